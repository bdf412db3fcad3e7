/**
 * Duplicate order keys. Where the cloud refuses two rules of one direction with the same rule
 * number or priority (AWS network ACLs answer `NetworkAclEntryAlreadyExists`, Azure refuses a
 * second NSG rule with a priority and direction already taken), a list that has them is never
 * created as written; with separate rule resources, whichever is created first stays. Either
 * way which rule holds the number is not certain, so every rule of such a pair is marked
 * `ambiguous`: the evaluation then lets none of them shadow anything (a questionable deny never
 * lowers a verdict), and unverifiable-rules names them.
 */
import type { Rule, UniqueOrder } from "./index";

/**
 * `rules` with each rule that shares its order key with another marked ambiguous (new objects for
 * those; the rest as they are): within one direction, or with `unique` `"policy"` across both
 * directions and counting disabled rules (a GCP policy's priority is its rule's id).
 */
export function markDuplicateOrders(rules: readonly Rule[], unique: UniqueOrder = true): Rule[] {
    const policy = unique === "policy";
    // Per direction (one map for a policy), order key -> the rules' indexes (a number until a second comes).
    const ingress = new Map<number, number | number[]>();
    const egress = policy ? ingress : new Map<number, number | number[]>();
    let shared = false;
    for (let i = 0; i < rules.length; i++) {
        const r = rules[i];
        if (r.order === undefined || r.unsure?.order || (!policy && (r.disabled || r.unsure?.direction))) continue;
        const byOrder = r.direction === "egress" ? egress : ingress;
        const list = byOrder.get(r.order);
        if (list === undefined) byOrder.set(r.order, i);
        else {
            shared = true;
            if (typeof list === "number") byOrder.set(r.order, [list, i]);
            else list.push(i);
        }
    }
    if (!shared) return rules as Rule[];
    const groups: number[][] = [];
    for (const byOrder of policy ? [ingress] : [ingress, egress]) for (const v of byOrder.values()) if (typeof v !== "number") groups.push(v);
    let out: Rule[] | undefined;
    for (const idx of groups) {
        // Model rules split from one cloud rule (Rule.entry) share its order: not duplicates.
        if (new Set(idx.map((i) => entryOf(rules[i]))).size < 2) continue;
        out ??= rules.slice();
        for (const i of idx) {
            const r = rules[i];
            const others = [...new Set(idx.filter((j) => entryOf(rules[j]) !== entryOf(r)).map((j) => describe(rules[j], r)))];
            const problem = policy
                ? `has the same priority (${r.order}) as ${others.join(", ")}; a firewall policy refuses a second rule with one priority, whatever its direction, so which one applies is not certain. Fix: give each rule its own priority`
                : `has the same ${r.direction} rule number or priority (${r.order}) as ${others.join(", ")}; the cloud refuses the second such rule or orders them as they were created, so which one applies is not certain. Fix: give each rule its own number`;
            if (out[i].problems.some((p) => p.kind === "ambiguous" && p.problem === problem)) continue;
            out[i] = { ...out[i], problems: [...out[i].problems, { kind: "ambiguous", path: r.path, problem }] };
        }
    }
    return out ?? (rules as Rule[]);
}

/** The cloud rule a model rule stands for: its resource and entry path. */
function entryOf(r: Rule): string {
    return `${r.urn}\u0000${r.entry ?? r.path}`;
}

function describe(other: Rule, self: Rule): string {
    const where = (other.entry ?? other.path) || "the rule";
    return other.urn === self.urn ? where : `${where} of ${other.resourceType.split(":").pop()} "${other.resourceName}"`;
}
