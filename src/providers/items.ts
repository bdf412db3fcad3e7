/**
 * The items adapters return, built alike for every provider: a firewall with its inline rules,
 * a group whose rules are all separate resources, and a rules item (rules declared apart from
 * their firewall).
 */
import type { Action, Direction, Firewall, Rule } from "../model";
import { key } from "./build";
import type { Reader } from "./read";
import type { FirewallItem, ResourceInput, RulesItem } from "./types";

/** What kind of firewall: statefulness, rule order, and what traffic no rule matches meets. */
export interface FirewallKind {
    stateless: boolean;
    ordered: boolean;
    defaultAction: Record<Direction, Action>;
}

/** The firewall resource `i` declares, of `kind` (its default actions copied). */
export function firewall(i: ResourceInput, kind: FirewallKind, fields: Omit<Firewall, "urn" | "name" | "type" | keyof FirewallKind>): Firewall {
    return { urn: i.urn, name: i.name, type: i.type, stateless: kind.stateless, ordered: kind.ordered, defaultAction: { ...kind.defaultAction }, ...fields };
}

/**
 * A group that declares no rules itself: they are separate rule resources, so alone it is a
 * fragment (`rulesElsewhere`), judged in full at stack level once they join it by its `keys`.
 */
export function groupOfRuleResources(i: ResourceInput, kind: FirewallKind, fields: Pick<Firewall, "keys" | "tags" | "implicitRules">): FirewallItem {
    return { kind: "firewall", firewall: firewall(i, kind, { rules: [], problems: [], ...fields }), inlineFields: [], rulesElsewhere: true };
}

/**
 * Rules that resource `i` declares apart from their firewall, the parent named by the props'
 * `parentProperty` (its literal value is the parent's key; `parentLabel` names it in
 * messages). `kind` is the parent's, so the rules can be judged when the parent is not in the
 * stack.
 */
export function rulesItem(
    i: ResourceInput,
    r: Reader,
    kind: FirewallKind,
    parentProperty: string,
    parentLabel: string,
    rules: Rule[],
    more: Partial<Pick<RulesItem, "problems" | "tags" | "implicitRules">> = {},
): RulesItem {
    return {
        kind: "rules",
        urn: i.urn,
        name: i.name,
        type: i.type,
        parentProperty,
        parentKey: key(r, i.props, parentProperty, parentProperty),
        stateless: kind.stateless,
        ordered: kind.ordered,
        defaultAction: { ...kind.defaultAction },
        rules,
        problems: [],
        ...more,
        parentLabel,
    };
}
