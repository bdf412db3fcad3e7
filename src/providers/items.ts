/**
 * The items adapters return, built alike for every provider: a firewall with its inline rules,
 * a group whose rules are all separate resources, and a rules item (rules declared apart from
 * their firewall); and the reading of inline rule lists, element by element.
 */
import type { Action, Direction, Firewall, Rule, UniqueOrder } from "../model";
import { AddressSet } from "../net/addresses";
import { markDuplicateOrders } from "../model/orders";
import { cidrPeer, key, type Origin, rule } from "./build";
import { type Reader, UNKNOWN, BAD, at, type Read } from "./read";
import type { FirewallItem, PrefixListItem, ResourceInput, RulesItem } from "./types";

/** What kind of firewall: statefulness, rule order, and what traffic no rule matches meets. */
export interface FirewallKind {
    stateless: boolean;
    ordered: boolean;
    defaultAction: Record<Direction, Action>;
    /** The cloud refuses two rules with one order key: of one direction, or of a whole policy (see model/orders.ts). */
    uniqueOrder?: UniqueOrder;
}

/** The firewall resource `i` declares, of `kind` (its default actions copied). */
export function firewall(i: ResourceInput, kind: FirewallKind, fields: Omit<Firewall, "urn" | "name" | "type" | keyof FirewallKind>): Firewall {
    const fw: Firewall = { urn: i.urn, name: i.name, type: i.type, stateless: kind.stateless, ordered: kind.ordered, defaultAction: { ...kind.defaultAction }, ...fields };
    if (kind.uniqueOrder) {
        fw.uniqueOrder = kind.uniqueOrder;
        fw.rules = markDuplicateOrders(fw.rules, kind.uniqueOrder);
    }
    return fw;
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
 * stack. `more`: the item's own problems (none by default), its tags, the parent's implicit rules.
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
        ...(kind.uniqueOrder ? { uniqueOrder: kind.uniqueOrder } : {}),
        rules: kind.uniqueOrder ? markDuplicateOrders(rules, kind.uniqueOrder) : rules,
        problems: [],
        ...more,
        parentLabel,
    };
}

/**
 * A prefix list whose entries are all in its props (`{cidr}` objects in the `entriesKey` list):
 * the union of their CIDRs, `incomplete` when the list or an entry could not be read.
 */
export function prefixList(i: ResourceInput, r: Reader, entriesKey: string, keys: string[]): PrefixListItem {
    const entries = r.list(i.props, entriesKey, entriesKey);
    let set = AddressSet.EMPTY;
    let incomplete = entries === UNKNOWN || entries === BAD;
    if (Array.isArray(entries)) {
        entries.forEach((e, k) => {
            const p = `${entriesKey}[${k}].cidr`;
            const peer = cidrPeer(r, r.str(e, "cidr", p), p);
            if (peer.kind === "addresses") set = set.union(peer.set);
            else incomplete = true;
        });
    }
    return { kind: "prefix-list", urn: i.urn, keys, set, incomplete };
}

/** What is known of a list element that is not a rule object: its direction, its order, what it may be. */
export type Placeholder = Pick<Rule, "direction"> & Partial<Pick<Rule, "order" | "disabled" | "unsure">>;

/** How to read the elements of an inline rule list. */
export interface EntrySpec {
    /** What an element must be, for the problem `is not <what>` (`a rule object`, `an entry object`). */
    what: string;
    /** The fields of the rule standing for element `k` when it is not an object. */
    placeholder: (k: number) => Placeholder;
    /** The rules of object element `k`, at `path`. */
    read: (item: Record<string, unknown>, path: string, k: number) => Rule | Rule[];
}

/**
 * The rules of an inline list (as Reader.list read it at `path`): each object element through
 * `spec.read`. Any other element (not known until apply, null, a string ...) has its problem
 * recorded and stands as a rule whose peer is unreadable, so it is reported, never judged; in an
 * ordered list its placeholder marks it as a possible drop. An absent, unknown or malformed list
 * has no rules (Reader.list recorded its problem).
 */
export function entries(r: Reader, o: Origin, list: Read<unknown[]>, path: string, spec: EntrySpec): Rule[] {
    if (!Array.isArray(list)) return [];
    return list.flatMap((item, k) => {
        const p = `${path}[${k}]`;
        if (item !== null && typeof item === "object" && !Array.isArray(item)) return spec.read(item as Record<string, unknown>, p, k);
        const mark = r.problems.length;
        if (item === UNKNOWN) r.unknown(p);
        else r.bad(p, item === null ? "is null inside the list" : `is not ${spec.what}`);
        const { direction, ...known } = spec.placeholder(k);
        return [rule(o, p, r.problems.slice(mark), { direction, action: "allow", peers: [{ kind: "unreadable", path: p }], ...known })];
    });
}

/**
 * A firewall's inline rule lists, one per direction (`[direction, field]` pairs under `base`),
 * read in turn by `entries` with `spec(direction)`: their rules in order, and the fields given
 * (a list that is given manages the rules inline, even when it is unknown or empty).
 */
export function directionLists(
    r: Reader,
    o: Origin,
    obj: unknown,
    fields: ReadonlyArray<readonly [Direction, string]>,
    spec: (dir: Direction) => EntrySpec,
    base = "",
): { rules: Rule[]; present: string[] } {
    const rules: Rule[] = [];
    const present: string[] = [];
    for (const [dir, field] of fields) {
        const path = at(base, field);
        const list = r.list(obj, field, path);
        if (list === undefined) continue;
        present.push(field);
        rules.push(...entries(r, o, list, path, spec(dir)));
    }
    return { rules, present };
}
