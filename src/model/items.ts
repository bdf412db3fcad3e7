/**
 * What an adapter returns for one resource, the contract between providers and the rest: a
 * firewall with its inline rules, rules declared apart from their firewall, prefix lists and
 * their entries. Part of the one model (src/providers/ builds them, src/analysis/ reads them).
 */
import type { Action, Direction, Firewall, Problem, Rule, UniqueOrder } from "./index";
import type { AddressSet } from "../net/addresses";

export interface ResourceInput {
    type: string;
    urn: string;
    name: string;
    /** Inputs (resource policies) or outputs (stack policies), possibly proxied. */
    props: unknown;
    /** Property name -> URNs of the resources that property depends on (stack policies). */
    propertyDependencies?: Record<string, string[]>;
}

/** A firewall declared by one resource, with its inline rules. */
export interface FirewallItem {
    kind: "firewall";
    firewall: Firewall;
    /** Inline rule fields that are explicitly present (even empty): the resource manages its rules. */
    inlineFields: string[];
    /**
     * The firewall's rules are declared by separate resources (Scaleway `externalRules`): alone
     * it is only a fragment (like a rules item), judged in full at stack level once joined.
     */
    rulesElsewhere?: boolean;
}

/** Rules declared apart from their firewall (a rule resource, or a GCP firewall on a network). */
export interface RulesItem {
    kind: "rules";
    urn: string;
    name: string;
    type: string;
    /** The property that names the parent (for propertyDependencies), e.g. `securityGroupId`. */
    parentProperty: string;
    /** The parent's literal key (an id, or a composite like `rg/nsg-name`) when known. */
    parentKey?: string;
    /** Kind of the parent, so rules without a known parent can still be judged. */
    stateless: boolean;
    ordered: boolean;
    defaultAction: Record<Direction, Action>;
    /** The parent refuses two rules of one direction with one order key (see model/orders.ts). */
    uniqueOrder?: UniqueOrder;
    rules: Rule[];
    problems: Problem[];
    tags?: Record<string, string>;
    /** Rules the cloud adds to the parent by itself, used when the parent is not in the stack. */
    implicitRules?: Rule[];
    /** Label of the parent kind for messages (e.g. `security group`). */
    parentLabel: string;
}

/** Address sets that rules can refer to by id (prefix lists). */
export interface PrefixListItem {
    kind: "prefix-list";
    urn: string;
    /** Literal id when known (outputs of existing resources). */
    keys: string[];
    set: AddressSet;
    /** Entries could not all be read. */
    incomplete: boolean;
}

export interface PrefixListEntryItem {
    kind: "prefix-list-entry";
    urn: string;
    parentProperty: string;
    parentKey?: string;
    set?: AddressSet;
}

export type Modeled = FirewallItem | RulesItem | PrefixListItem | PrefixListEntryItem;

