/**
 * Remediation: apply a policy's edits to a resource's props in place (so secret fields stay
 * secret), but only after the edits, applied to a plain copy, make the policy pass.
 * Never touches a resource that cannot be fully read.
 */
import type { Edit } from "../model/edits";
import { modelResource } from "../providers";
import { containsUnknown, innermost as target, plain, writerFor } from "../providers/writers";
import type { ResourceInput } from "../model/items";
import type { PolicyDef } from "../policies/types";
import { resolveConfig } from "./config";

type Step = string | number;

function parsePath(path: string): Step[] | undefined {
    const steps: Step[] = [];
    const re = /([^.[\]]+)|\[(\d+)\]/g;
    let m: RegExpExecArray | null;
    let consumed = "";
    while ((m = re.exec(path))) {
        consumed += m[0];
        steps.push(m[2] !== undefined ? Number(m[2]) : m[1]);
    }
    return consumed.replace(/\./g, "") === path.replace(/\./g, "") && steps.length ? steps : undefined;
}

/** Apply edits to `root` (raw targets are edited so Secret wrappers survive). False if any path is missing. */
function apply(root: unknown, edits: Edit[], type: string): boolean {
    const removals = new Map<unknown, Array<string | number>>();
    const parents: Array<[unknown, Step]> = [];
    for (const e of edits) {
        if (e.op !== "remove") continue;
        const steps = parsePath(e.path);
        if (!steps) return false;
        let o = target(root);
        for (const s of steps.slice(0, -1)) {
            o = target((o as Record<string | number, unknown>)?.[s]);
            if (o === null || typeof o !== "object") return false;
        }
        const last = steps[steps.length - 1];
        if ((o as Record<string | number, unknown>)[last] === undefined) return false;
        parents.push([o, last]);
    }
    for (const [o, last] of parents) {
        const l = removals.get(o) ?? [];
        l.push(last);
        removals.set(o, l);
    }
    for (const [o, keys] of removals) {
        if (Array.isArray(o)) {
            for (const k of [...new Set(keys as number[])].sort((a, b) => b - a)) o.splice(k, 1);
        } else {
            for (const k of keys) delete (o as Record<string | number, unknown>)[k];
        }
    }
    for (const e of edits) {
        if (e.op !== "add-rule") continue;
        const writer = writerFor(type);
        if (!writer || e.rule.order > writer.maxOrder) return false;
        const w = writer.write(e.rule);
        if (!w) return false;
        const o = target(root) as Record<string, unknown>;
        const list = target(o[w.listPath]);
        if (list === undefined) o[w.listPath] = [w.value];
        else if (Array.isArray(list)) list.push(w.value);
        else return false;
    }
    return true;
}

/**
 * The remediated props (the same object, edited in place), or undefined when the policy has
 * no safe fix for this resource.
 */
export function remediateResource<C>(def: PolicyDef<C>, input: ResourceInput, raw: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (!def.remediate) return undefined;
    const copy = plain(input.props);
    if (containsUnknown(copy) || !copy || typeof copy !== "object") return undefined;
    const m = modelResource({ ...input, props: copy });
    if (!m || (m.kind !== "firewall" && m.kind !== "rules")) return undefined;
    const fw = m.kind === "firewall" ? m.firewall : { urn: m.urn, name: m.name, type: m.type, stateless: m.stateless, ordered: m.ordered, defaultAction: m.defaultAction, rules: m.rules, problems: m.problems, implicitRules: m.implicitRules, tags: m.tags };
    if (fw.problems.length || fw.rules.some((r) => r.problems.length)) return undefined;
    const { config } = resolveConfig(def, raw);
    const ctx = { fragment: m.kind === "rules", parentMissing: false };
    if (def.check(fw, config, ctx).length === 0) return undefined;
    const edits = def.remediate(fw, config, ctx);
    if (!edits || edits.length === 0) return undefined;
    // Dry run on the copy: the result must pass the policy.
    const trial = plain(input.props) as Record<string, unknown>;
    if (!apply(trial, edits, input.type)) return undefined;
    const after = modelResource({ ...input, props: trial });
    if (!after || (after.kind !== "firewall" && after.kind !== "rules")) return undefined;
    const afterFw = after.kind === "firewall" ? after.firewall : { ...fw, rules: after.rules, problems: after.problems };
    if (afterFw.problems.length || afterFw.rules.some((r) => r.problems.length)) return undefined;
    if (def.check(afterFw, config, ctx).length !== 0) return undefined;
    const live = input.props as Record<string, unknown>;
    return apply(live, edits, input.type) ? live : undefined;
}
