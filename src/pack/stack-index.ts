/**
 * What one stack is, for every policy that judges it: the join, which joined firewalls are a
 * resource's own unchanged (nothing new to find at stack level), and the lookups by URN. Built
 * once and reused while every policy of one AnalyzeStack judges the same stack: the same model
 * objects (./models.ts), read the same way, with the same names and property dependencies.
 * The joined firewalls are then shared, and so is their evaluation.
 */
import type { Firewall, Rule } from "../model";
import type { Modeled } from "../model/items";
import { joinStack, type JoinedFirewall, type StackItem } from "../analysis/join";
import type { CheckContext } from "../policies/types";

export interface StackIndex {
    /** What the sameness check compares (not the inputs: they hold the SDK's copy of the properties). */
    seen: Array<{ modeled: Modeled; fromOutputs: boolean; urn: string; name: string; deps?: Record<string, string[]> }>;
    /**
     * The joined firewalls, in join order. Those the join left as the resource's own firewall
     * (same rules, same problems, same context: `unchanged`) find exactly what resource level
     * found, nothing new.
     */
    joined: Array<{ j: JoinedFirewall; parentMissing: boolean; unchanged: boolean }>;
    /** The last item of each URN (its name, and its tags when it is a rules item), by position in `seen`. */
    byUrn: Map<string, number>;
    /** Models with a firewall of their own, by URN (one model, or several in stack order). */
    itemsByUrn: Map<string, Modeled | Modeled[]>;
    /** Every URN in each resource's own firewall (its own, its rules', its problems') is the resource's. */
    ownUrns: boolean;
}

export type ResourceFirewall = (m: Modeled) => { fw: Firewall; ctx: CheckContext } | undefined;

/** The index of `items`: `prev` itself when it indexes the same items, else a new one. */
export function indexStack(items: StackItem[], prev: StackIndex | undefined, resourceFirewall: ResourceFirewall): StackIndex {
    if (prev && sameItems(items, prev)) return prev;
    const seen = items.map((it) => ({ modeled: it.modeled, fromOutputs: !!it.fromOutputs, urn: it.input.urn, name: it.input.name, deps: it.input.propertyDependencies }));
    const byUrn = new Map<string, number>();
    const itemsByUrn = new Map<string, Modeled | Modeled[]>();
    const firewallsByUrn = new Map<string, Modeled[]>();
    let ownUrns = true;
    items.forEach((it, i) => byUrn.set(it.input.urn, i));
    for (const it of items) {
        const one = resourceFirewall(it.modeled);
        if (!one) continue;
        const list = itemsByUrn.get(it.input.urn);
        if (list === undefined) itemsByUrn.set(it.input.urn, it.modeled);
        else if (Array.isArray(list)) list.push(it.modeled);
        else itemsByUrn.set(it.input.urn, [list, it.modeled]);
        if (ownUrns && !onlyOwnUrn(one.fw, it.input.urn)) ownUrns = false;
        if (it.modeled.kind === "firewall") {
            const fws = firewallsByUrn.get(it.input.urn);
            if (fws) fws.push(it.modeled);
            else firewallsByUrn.set(it.input.urn, [it.modeled]);
        }
    }
    const joined: StackIndex["joined"] = [];
    for (const j of joinStack(items)) {
        const parentMissing = !j.members.some((u) => firewallsByUrn.has(u));
        // A group or ACL the join left as it was (same rules, same problems, judged in the same
        // context) finds exactly what resource level found: nothing new.
        const unchanged = j.members.length === 1 && (firewallsByUrn.get(j.members[0]) ?? []).some((m) => unchangedByJoin(resourceFirewall(m), j.firewall, parentMissing));
        joined.push({ j, parentMissing, unchanged });
    }
    return { seen, joined, byUrn, itemsByUrn, ownUrns };
}

function sameItems(items: StackItem[], prev: StackIndex): boolean {
    const seen = prev.seen;
    return (
        seen.length === items.length &&
        items.every(
            (it, i) =>
                it.modeled === seen[i].modeled &&
                !!it.fromOutputs === seen[i].fromOutputs &&
                it.input.urn === seen[i].urn &&
                it.input.name === seen[i].name &&
                sameDeps(it.input.propertyDependencies, seen[i].deps),
        )
    );
}

function sameDeps(a: Record<string, string[]> | undefined, b: Record<string, string[]> | undefined): boolean {
    if (a === b) return true;
    const ka = Object.keys(a ?? {});
    const kb = Object.keys(b ?? {});
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
        const x = a![k];
        const y = b?.[k];
        if (!y || x.length !== y.length || x.some((u, i) => u !== y[i])) return false;
    }
    return true;
}

/** Whether every URN a resource's own firewall carries (its own, its rules', its problems') is `urn`. */
function onlyOwnUrn(fw: Firewall, urn: string): boolean {
    const own = (u: string | undefined) => u === undefined || u === urn;
    const rulesOk = (rs: readonly Rule[] | undefined) => (rs ?? []).every((r) => r.urn === urn && r.problems.every((p) => own(p.urn)));
    return fw.urn === urn && rulesOk(fw.rules) && rulesOk(fw.implicitRules) && fw.problems.every((p) => own(p.urn));
}

/** Whether a joined firewall is the resource's own firewall in content and check context. */
function unchangedByJoin(one: ReturnType<ResourceFirewall>, joined: Firewall, parentMissing: boolean): boolean {
    if (!one || one.ctx.fragment || one.ctx.parentMissing !== parentMissing) return false;
    const a = one.fw as unknown as Record<string, unknown>;
    const b = joined as unknown as Record<string, unknown>;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) {
        const x = a[k];
        const y = b[k];
        if (x === y) continue;
        if (!(k in b) || !Array.isArray(x) || !Array.isArray(y) || x.length !== y.length || x.some((e, i) => e !== y[i])) return false;
    }
    return true;
}
