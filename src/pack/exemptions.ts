/**
 * Exemptions: from config (`exemptions` option), from resource tags and from stack tags
 * (`portguard:exempt` naming policies, with `portguard:exempt-reason`). Tags are honoured
 * unless a policy's `honourTagExemptions` option is false: whoever can write a resource's or a
 * stack's tags can exempt it, so a platform team can keep only the config's exemptions.
 */

import type { EvaluationContext, PolicyDef } from "../policies/types";
import type { Finding, ReportedFinding } from "../findings/types";
import { renderMessage } from "../findings/render";

export interface Exemption {
    resource: string;
    reason: string;
    expires?: string;
}

const TAG_EXEMPT = "portguard:exempt";
const TAG_REASON = "portguard:exempt-reason";

function globToRegExp(glob: string): RegExp {
    let re = "";
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === "*" && glob[i + 1] === "*") {
            re += ".*";
            i++;
        } else if (c === "*") re += "[^:/]*";
        else if (c === "?") re += "[^:/]";
        else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    return new RegExp(`^${re}$`);
}

function asExemptions(v: unknown): Exemption[] {
    if (!Array.isArray(v)) return [];
    return v.filter(
        (e): e is Exemption => !!e && typeof e === "object" && typeof (e as Exemption).resource === "string" && typeof (e as Exemption).reason === "string" && (e as Exemption).reason.trim() !== "",
    );
}

export interface ExemptionVerdict {
    exempt: boolean;
    /** Appended to the message when an exemption did not apply. */
    note?: string;
}

export interface TagSources {
    /** The stack's tags (Pulumi Cloud backends; empty under `pulumi policy analyze`). */
    stackTags?: Record<string, string>;
    /** Honour `portguard:exempt` tags at all (the `honourTagExemptions` option; default true). */
    honourTags?: boolean;
}

/** What one set of tags says about `policy`: exempt, a note why a tag was not honoured, or nothing. */
function tagVerdict(policy: string, tags: Record<string, string> | undefined, where: string, honour: boolean): { exempt: boolean; note?: string } {
    const tagged = tags?.[TAG_EXEMPT];
    if (tagged === undefined) return { exempt: false };
    const names = tagged.split(",").map((s) => s.trim());
    if (!names.includes(policy) && !names.includes("all")) return { exempt: false };
    if (!honour) return { exempt: false, note: `the ${where}${TAG_EXEMPT} tag is not honoured because this policy's honourTagExemptions option is false; exempt it in the policy configuration instead` };
    if ((tags?.[TAG_REASON] ?? "").trim() !== "") return { exempt: true };
    return { exempt: false, note: `the ${where}${TAG_EXEMPT} tag is ignored because ${TAG_REASON} is missing or empty${where ? " on the stack" : ""}; add a reason to honour it` };
}

/**
 * Whether `policy` is waived for a resource. `tags` are the firewall's (separate rules inherit
 * their parent's once joined) merged with the rule resource's own; the stack's tags are read
 * on their own (a reason on the stack does not complete a resource's tag, nor the reverse).
 */
export function exemptionFor(policy: string, resource: { name: string; urn: string }, exemptions: Exemption[], tags: Record<string, string> | undefined, now: Date, sources: TagSources = {}): ExemptionVerdict {
    const notes: string[] = [];
    for (const e of exemptions) {
        const re = globToRegExp(e.resource);
        if (!re.test(resource.name) && !re.test(resource.urn)) continue;
        if (e.expires) {
            const end = new Date(e.expires);
            if (!Number.isNaN(end.getTime()) && now.getTime() > end.getTime() + 86_400_000 - 1) {
                notes.push(`the exemption for "${e.resource}" expired on ${e.expires}`);
                continue;
            }
        }
        return { exempt: true };
    }
    const honour = sources.honourTags !== false;
    for (const [t, where] of [[tags, ""], [sources.stackTags, "stack's "]] as const) {
        const v = tagVerdict(policy, t, where, honour);
        if (v.exempt) return { exempt: true };
        if (v.note) notes.push(v.note);
    }
    return { exempt: false, note: notes.length ? notes.join("; ") : undefined };
}

// ---------------------------------------------------------------------------------------------
// Applying them to a policy's findings

/** A finding as reported by `def`: its policy named, its message rendered when first read (most findings of a stack phase are never read). */
export function reported(def: PolicyDef<any>, f: Finding): ReportedFinding {
    let message: string | undefined;
    return Object.defineProperty({ ...f, policy: def.name }, "message", {
        get: () => (message ??= renderMessage(def.name, f)),
        enumerable: true,
    }) as ReportedFinding;
}

function plainTags(t: EvaluationContext["stackTags"]): Record<string, string> | undefined {
    if (!t) return undefined;
    // The SDK hands a frozen Map-like object (entries/get/size), not a Map.
    const m = t as ReadonlyMap<string, string>;
    const entries = typeof m.entries === "function" && typeof m.get === "function" ? [...m.entries()] : Object.entries(t as Record<string, string>);
    return entries.length ? Object.fromEntries(entries) : undefined;
}

export function applyExemptions(def: PolicyDef<any>, findings: Finding[], full: Record<string, unknown>, names: (urn: string) => { name: string; tags?: Record<string, string> }, fwTags: Record<string, string> | undefined, now: Date, ctx: EvaluationContext = {}): ReportedFinding[] {
    if (findings.length === 0) return [];
    const exemptions = asExemptions(full.exemptions);
    const honourTags = full.honourTagExemptions !== false;
    const stackTags = plainTags(ctx.stackTags);
    const out: ReportedFinding[] = [];
    for (const f of findings) {
        const who = names(f.urn);
        const tags = { ...(fwTags ?? {}), ...(who.tags ?? {}) };
        const v = exemptionFor(def.name, { name: who.name, urn: f.urn }, exemptions, tags, now, { stackTags, honourTags });
        if (v.exempt) continue;
        out.push(reported(def, v.note ? { ...f, note: v.note } : f));
    }
    return out;
}
