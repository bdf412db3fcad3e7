/**
 * unverifiable-rules (advisory): every rule the other policies could not judge, reported once
 * here instead of by each of them: values unknown until apply, malformed values, and groups
 * or ACLs whose inline and separate rules overwrite each other.
 */
import type { Firewall, Rule } from "../model";
import { highRiskPorts as catalogHighRisk } from "../catalog";
import { describePorts } from "../catalog";
import { effectsOf } from "../analysis/exposure";
import { peerAddresses } from "../analysis/evaluate";
import { schemas } from "../pack/config";
import { where, type Finding, type PolicyDef } from "../pack/engine";

export interface UnverifiableConfig {
    includeUnknowns: boolean;
}

/** `TCP 445 (SMB; high-risk)` for the rule's known ports, or undefined. */
function knownPorts(rule: Rule): { text: string; highRisk: boolean } | undefined {
    if (!rule.protocol || !rule.ports) return undefined;
    const slots = rule.protocol === "all" ? (["tcp", "udp"] as const) : rule.protocol === "tcp" || rule.protocol === "udp" ? [rule.protocol] : [];
    if (slots.length === 0) return undefined;
    if (rule.protocol === "all" && rule.ports.isAll) return { text: "all protocols and ports", highRisk: true };
    let highRisk = false;
    const parts = slots.map((s) => {
        const hr = rule.ports!.intersect(catalogHighRisk(s));
        if (!hr.isEmpty) highRisk = true;
        return `${describePorts(s, rule.ports!)}${hr.isEmpty ? "" : ` (high-risk: ${hr.toString()})`}`;
    });
    return { text: parts.join(" and "), highRisk };
}

function ruleMessage(rule: Rule): string | undefined {
    if (rule.problems.length === 0) return undefined;
    const unknowns = rule.problems.filter((p) => p.kind === "unknown");
    const bad = rule.problems.filter((p) => p.kind === "malformed" || p.kind === "conflict");
    const ambiguous = rule.problems.filter((p) => p.kind === "ambiguous");
    const parts: string[] = [];
    if (bad.length) {
        parts.push(
            `${where(rule)} has malformed values: ${bad.map((p) => `${p.path || "the rule"} ${p.problem}`).join("; ")}. ` +
                `The cloud will reject or misread this rule, and portguard cannot judge it. Fix: correct ${bad.length > 1 ? "these values" : "this value"}.`,
        );
    }
    if (ambiguous.length) {
        parts.push(`${where(rule)} cannot be judged: ${ambiguous.map((p) => `${p.path || "the rule"} ${p.problem}`).join("; ")}.`);
    }
    if (unknowns.length) {
        const ports = knownPorts(rule);
        const peersUnknown = unknowns.some((p) => /cidr|source|destination|prefix|remote|address|peer|ranges|ip/i.test(p.path)) && peerAddresses(rule).unreadable;
        const paths = unknowns.map((p) => p.path || "the rule").join(", ");
        const dirWord = rule.direction === "ingress" ? "sources" : "destinations";
        if (ports && peersUnknown) {
            parts.push(
                `${where(rule)} opens ${ports.text} to ${dirWord} not known until apply (${paths}); ` +
                    (ports.highRisk ? `if they are public, high-risk-ports will block the update.` : `if they are public, the exposure policies will judge them at update.`) +
                    ` Fix: use known CIDRs, or re-run the check after the values resolve.`,
            );
        } else {
            parts.push(`${where(rule)} cannot be judged during preview: ${paths} ${unknowns.length > 1 ? "are" : "is"} not known until apply. The policies will judge it once the value${unknowns.length > 1 ? "s resolve" : " resolves"}.`);
        }
    }
    return parts.join(" ");
}

export const unverifiableRules: PolicyDef<UnverifiableConfig> = {
    name: "unverifiable-rules",
    displayName: "Unverifiable rules",
    description: "Reports, once, every rule the other policies could not judge: unknown, malformed or conflicting values.",
    tags: ["security", "network", "firewall", "correctness"],
    remediationSteps:
        "A value unknown during preview is judged once it is known: by the stack policies after the update, and by the next preview. " +
        "Fix a malformed value (CIDR, port, protocol) as the message says. " +
        "Manage a group's or ACL's rules either inline or as separate resources, not both: the provider makes one overwrite the other.",
    enforcementLevel: "advisory",
    severity: "low",
    controls: [], // reports what could not be judged: no compliance control covers it
    configSchema: {
        properties: {
            includeUnknowns: { type: "boolean", default: true, description: "Report rules whose values are not known until apply (preview). Malformed values and conflicts are always reported." },
            exemptions: schemas.exemptions(),
            honourTagExemptions: schemas.honourTagExemptions(),
        },
    },
    parseConfig: (raw) => ({ includeUnknowns: raw.includeUnknowns !== false }),
    check(fw: Firewall, c, ctx) {
        const out: Finding[] = [];
        const seen = new Set<string>();
        const push = (f: Finding) => {
            const k = `${f.urn}\u0000${f.path}`;
            if (seen.has(k)) return;
            seen.add(k);
            out.push(f);
        };
        for (const rule of fw.rules) {
            const visible = c.includeUnknowns ? rule : { ...rule, problems: rule.problems.filter((p) => p.kind !== "unknown") };
            const msg = ruleMessage(visible);
            if (msg) push({ urn: rule.urn, path: rule.path, message: msg });
        }
        for (const p of fw.problems) {
            if (p.kind === "unknown" && !c.includeUnknowns) continue;
            const urn = p.urn ?? fw.urn;
            const text =
                p.kind === "conflict"
                    ? `${fw.type.split(":").pop()} "${fw.name}" ${p.problem}. Fix: keep the rules in one place, either inline (${p.path}) or as separate rule resources.`
                    : `${fw.type.split(":").pop()} "${fw.name}": ${p.path} ${p.problem}, so its rules cannot be judged.`;
            push({ urn, path: p.path, message: text });
        }
        if (ctx.fragment) return out;
        // Rules that an unreadable rule placed before them may shadow.
        for (const dir of ["ingress", "egress"] as const) {
            for (const e of effectsOf(fw, dir)) {
                if (e.implicit || e.rule.action !== "allow" || e.maybeShadowedBy.length === 0 || e.pieces.length === 0) continue;
                if (e.rule.problems.length) continue; // already reported with its own problems
                const by = e.maybeShadowedBy.map((r) => where(r)).join(", ");
                const ports = knownPorts(e.rule);
                push({
                    urn: e.rule.urn,
                    path: e.rule.path,
                    message: `${where(e.rule)}${ports ? ` (${ports.text})` : ""} may be shadowed by ${by}, whose values cannot be read; what it exposes cannot be judged until they are known. Fix: make the earlier rule's values known or valid.`,
                });
            }
        }
        return out;
    },
};

