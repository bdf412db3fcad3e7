/**
 * unverifiable-rules (advisory): every rule the other policies could not judge, reported once
 * here instead of by each of them: values unknown until apply, malformed values, and groups
 * or ACLs whose inline and separate rules overwrite each other.
 */
import type { Direction, Firewall, Rule } from "../model";
import { isStatelessRule } from "../analysis/evaluate";
import { highRiskPorts as catalogHighRisk } from "../catalog";
import { describePorts } from "../catalog";
import { effectsOf } from "../analysis/exposure";
import { peerAddresses } from "../analysis/evaluate";
import { asDirections, schemas } from "../pack/config";
import { where, type Finding, type PolicyDef } from "../pack/engine";

export interface UnverifiableConfig {
    includeUnknowns: boolean;
    /** Directions whose unknowns matter to a stateful firewall (the exposure policies' `directions`). */
    directions: readonly Direction[];
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
    description:
        "Reports, once, every rule the other policies could not judge: values unknown until apply (during preview), malformed values (bad CIDRs, ports out of range, unknown protocols, nulls in lists), and groups or ACLs whose inline and separate rules overwrite each other.",
    enforcementLevel: "advisory",
    severity: "low",
    controls: [], // reports what could not be judged: no compliance control covers it
    configSchema: {
        properties: {
            includeUnknowns: { type: "boolean", default: true, description: "Report rules whose values are not known until apply (preview). Malformed values and conflicts are always reported." },
            directions: {
                ...schemas.directions(),
                description:
                    "Directions in which values unknown until apply are reported for stateful firewalls: set it to the union of the exposure policies' `directions`. An unknown destination of an outbound rule hides no exposure while no policy judges egress, so by default it is not reported. Stateless ACLs are reported in both directions (their replies need them).",
            },
            exemptions: schemas.exemptions(),
        },
    },
    parseConfig: (raw) => ({ includeUnknowns: raw.includeUnknowns !== false, directions: asDirections(raw.directions) }),
    check(fw: Firewall, c, ctx) {
        const out: Finding[] = [];
        const seen = new Set<string>();
        const push = (f: Finding) => {
            const k = `${f.urn}\u0000${f.path}`;
            if (seen.has(k)) return;
            seen.add(k);
            out.push(f);
        };
        // What no policy reads under this configuration hides nothing: an unknown in a direction
        // that is not judged, on a stateful firewall (a stateless one needs both for replies).
        const read = (rule: Rule) => isStatelessRule(fw, rule) || c.directions.includes(rule.direction);
        for (const rule of fw.rules) {
            const visible = c.includeUnknowns && read(rule) ? rule : { ...rule, problems: rule.problems.filter((p) => p.kind !== "unknown") };
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
                if (e.rule.problems.length || !read(e.rule)) continue; // reported with its own problems, or read by no policy
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

