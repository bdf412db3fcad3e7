/**
 * Stack joins: separate rule resources are attached to their group/ACL/network, prefix lists
 * are resolved, and conflicts between inline and separate rules are recorded.
 *
 * Parent lookup, in order: propertyDependencies of the parent property (ids are unknown
 * during preview), then the literal id/key. Rules that name the same parent that is not in
 * the stack are grouped together; rules with no known parent are judged alone.
 */
import type { Firewall, Peer, Problem, Rule } from "../model";
import { AddressSet } from "../net/addresses";
import { markDuplicateOrders } from "../model/orders";
import type { FirewallItem, Modeled, PrefixListItem, ResourceInput, RulesItem } from "../model/items";

export interface StackItem {
    input: ResourceInput;
    modeled: Modeled;
    /** The model was built from outputs (stack policies without the inputs at hand). */
    fromOutputs?: boolean;
}

export interface JoinedFirewall {
    firewall: Firewall;
    /** URNs of the resources whose rules it holds. */
    members: string[];
}

function ruleSignature(r: Rule): string {
    const peers = r.peers.map((p) => (p.kind === "addresses" ? p.set.key() : p.kind === "reference" ? `${p.refKind}:${p.ref}` : p.kind === "prefix-list" ? `pl:${p.id}` : "?")).sort();
    return [r.direction, r.action, r.protocol ?? "?", r.ports?.toString() ?? "?", r.order ?? "", peers.join(";")].join("|");
}

/** Firewall made of a rules item alone (its parent is not known). */
export function fragmentFirewall(item: RulesItem): Firewall {
    return {
        urn: item.urn,
        name: item.name,
        type: item.type,
        stateless: item.stateless,
        ordered: item.ordered,
        defaultAction: item.defaultAction,
        ...(item.uniqueOrder ? { uniqueOrder: item.uniqueOrder } : {}),
        rules: item.rules,
        problems: item.problems,
        implicitRules: item.implicitRules,
        tags: item.tags,
    };
}

export function joinStack(items: readonly StackItem[]): JoinedFirewall[] {
    // Prefix lists and their entries.
    const plByUrn = new Map<string, { item: PrefixListItem; set: AddressSet; incomplete: boolean }>();
    const plByKey = new Map<string, string>();
    for (const { modeled } of items) {
        if (modeled.kind !== "prefix-list") continue;
        plByUrn.set(modeled.urn, { item: modeled, set: modeled.set, incomplete: modeled.incomplete });
        for (const k of modeled.keys) plByKey.set(k, modeled.urn);
    }
    for (const { input, modeled } of items) {
        if (modeled.kind !== "prefix-list-entry") continue;
        const target = (input.propertyDependencies?.[modeled.parentProperty] ?? []).find((u) => plByUrn.has(u)) ?? (modeled.parentKey ? plByKey.get(modeled.parentKey) : undefined);
        const pl = target ? plByUrn.get(target) : undefined;
        if (!pl) continue;
        if (modeled.set) pl.set = pl.set.union(modeled.set);
        else pl.incomplete = true;
    }
    const resolvePeers = (rule: Rule, input: ResourceInput): Rule => {
        if (!rule.peers.some((p) => p.kind === "prefix-list")) return rule;
        const peers: Peer[] = rule.peers.map((p) => {
            if (p.kind !== "prefix-list") return p;
            let urn = p.id ? plByKey.get(p.id) : undefined;
            if (!urn) {
                // id unknown during preview: the property's dependencies name the list when there is one candidate
                const prop = (rule.path || p.path).split(/[.[]/)[0];
                const cands = (input.propertyDependencies?.[prop] ?? []).filter((u) => plByUrn.has(u));
                if (cands.length === 1) urn = cands[0];
            }
            const pl = urn ? plByUrn.get(urn) : undefined;
            return pl && !pl.incomplete ? { ...p, resolved: pl.set } : p;
        });
        return { ...rule, peers };
    };

    // Firewalls declared by one resource.
    const fws = new Map<string, { item: FirewallItem; input: ResourceInput; fromOutputs: boolean; joined: Rule[]; joinedFrom: Set<string> }>();
    const fwByKey = new Map<string, string>();
    for (const { input, modeled, fromOutputs } of items) {
        if (modeled.kind !== "firewall") continue;
        fws.set(modeled.firewall.urn, { item: modeled, input, fromOutputs: !!fromOutputs, joined: [], joinedFrom: new Set() });
        for (const k of modeled.firewall.keys ?? []) fwByKey.set(k, modeled.firewall.urn);
    }

    // Separate rules: attach, group, or leave alone.
    const groups = new Map<string, { items: Array<{ item: RulesItem; input: ResourceInput }> }>();
    for (const { input, modeled } of items) {
        if (modeled.kind !== "rules") continue;
        const deps = modeled.parentProperty ? input.propertyDependencies?.[modeled.parentProperty] ?? [] : [];
        const parentUrn = deps.find((u) => fws.has(u)) ?? (modeled.parentKey ? fwByKey.get(modeled.parentKey) : undefined);
        if (parentUrn) {
            const fw = fws.get(parentUrn)!;
            for (const r of modeled.rules) fw.joined.push(resolvePeers(r, input));
            fw.joinedFrom.add(modeled.type);
            continue;
        }
        const groupKey = deps[0] ? `urn:${deps[0]}` : modeled.parentKey ? `key:${modeled.type}:${modeled.parentKey}` : `alone:${modeled.urn}`;
        let g = groups.get(groupKey);
        if (!g) groups.set(groupKey, (g = { items: [] }));
        g.items.push({ item: modeled, input });
    }

    const out: JoinedFirewall[] = [];
    for (const { item, input, fromOutputs, joined, joinedFrom } of fws.values()) {
        const base = item.firewall;
        let inline = base.rules.map((r) => resolvePeers(r, input));
        const problems: Problem[] = fromOutputs ? base.problems.filter((p) => p.kind !== "unknown") : base.problems.slice();
        if (joined.length && fromOutputs) {
            // Outputs echo separate rules inside the inline lists after apply: drop the echoes.
            const sigs = new Set(joined.map(ruleSignature));
            inline = inline.filter((r) => !sigs.has(ruleSignature(r)));
            // What remains is in effect but declared by nothing in the stack next to separate
            // rules: rules added outside the stack (drift), or inline rules the separate ones fight.
            if (inline.length) {
                problems.push({
                    kind: "conflict",
                    path: [...new Set(inline.map((r) => r.path.replace(/\[.*$/, "")))].join(", "),
                    problem: `holds ${inline.length} rule(s) that no separate rule resource in the stack declares, next to ${joined.length} rule(s) from separate ${[...joinedFrom].join(", ")} resources: either rules were added outside the stack (drift), or inline rules and separate ones overwrite each other`,
                });
            }
        } else if (joined.length && item.inlineFields.length) {
            problems.push({
                kind: "conflict",
                path: item.inlineFields.join(", "),
                problem: `declares inline rules and also has ${joined.length} ${joined.length === 1 ? "rule" : "rules"} from separate ${[...joinedFrom].join(", ")} resources; the provider makes them overwrite each other, so which rules end up in effect is unknown`,
            });
        }
        const rules = [...inline, ...joined];
        out.push({
            firewall: { ...base, rules: base.uniqueOrder && joined.length ? markDuplicateOrders(rules, base.uniqueOrder) : rules, problems },
            members: [base.urn],
        });
    }
    for (const g of groups.values()) {
        const first = g.items[0].item;
        const fw = fragmentFirewall(first);
        out.push({
            firewall: {
                ...fw,
                rules: orderChecked(fw, g.items.flatMap(({ item, input }) => item.rules.map((r) => resolvePeers(r, input)))),
                problems: g.items.flatMap(({ item }) => item.problems.map((p) => ({ ...p, urn: p.urn ?? item.urn }))),
            },
            members: g.items.map(({ item }) => item.urn),
        });
    }
    return out;
}

/** Rules gathered from several resources, with duplicate order keys marked where the parent refuses them. */
function orderChecked(fw: Firewall, rules: Rule[]): Rule[] {
    return fw.uniqueOrder ? markDuplicateOrders(rules, fw.uniqueOrder) : rules;
}
