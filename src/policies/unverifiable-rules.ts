/**
 * unverifiable-rules (advisory): every rule the other policies could not judge, reported once
 * here instead of by each of them: values unknown until apply, malformed values, and groups
 * or ACLs whose inline and separate rules overwrite each other.
 */
import type { Direction, Firewall, Rule } from "../model";
import { isStatelessRule } from "../analysis/evaluate";
import { highRiskPorts as catalogHighRisk } from "../catalog";
import { effectsOf } from "../analysis/exposure";
import { asDirections, schemas } from "../pack/config";
import type { Finding, PolicyDef } from "./types";
import { firewallRef, portsData, ruleRef } from "../findings/data";
import type { PortsData } from "../findings/types";

export interface UnverifiableConfig {
    includeUnknowns: boolean;
    /** Directions whose unknowns matter to a stateful firewall (the exposure policies' `directions`). */
    directions: readonly Direction[];
}

/** The rule's known ports (with the high-risk ones among them), or undefined when protocol or ports are unreadable. */
function knownPorts(rule: Rule): { ports: Array<PortsData & { highRisk: string | null }>; allPorts: boolean; highRisk: boolean } | undefined {
    if (!rule.protocol || !rule.ports) return undefined;
    const slots = rule.protocol === "all" ? (["tcp", "udp"] as const) : rule.protocol === "tcp" || rule.protocol === "udp" ? [rule.protocol] : [];
    if (slots.length === 0) return undefined;
    if (rule.protocol === "all" && rule.ports.isAll) return { ports: [], allPorts: true, highRisk: true };
    let highRisk = false;
    const ports = slots.map((s) => {
        const hr = rule.ports!.intersect(catalogHighRisk(s));
        if (!hr.isEmpty) highRisk = true;
        return { ...portsData(s, rule.ports!), highRisk: hr.isEmpty ? null : hr.toString() };
    });
    return { ports, allPorts: false, highRisk };
}

/** Whether an unknown value is one of the rule's peers: its path is an unreadable peer's, or contains it, or lies inside it. */
function isPeerPath(rule: Rule, path: string): boolean {
    const inside = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
    return rule.peers.some((p) => p.kind === "unreadable" && (inside(p.path, path) || inside(path, p.path)));
}

/** The rule's problems as one finding (refused, ambiguous, unknown), or undefined when it has none. */
function ruleFinding(rule: Rule): Finding | undefined {
    if (rule.problems.length === 0) return undefined;
    const at = (kinds: string[]) => rule.problems.filter((p) => kinds.includes(p.kind)).map((p) => ({ path: p.path, problem: p.problem }));
    const refused = at(["malformed", "conflict"]);
    const ambiguous = at(["ambiguous"]);
    const unknown = rule.problems.filter((p) => p.kind === "unknown").map((p) => p.path || "the rule");
    const known = unknown.length ? knownPorts(rule) : undefined;
    const peersUnknown = rule.problems.some((p) => p.kind === "unknown" && isPeerPath(rule, p.path));
    return {
        urn: rule.urn,
        path: rule.path,
        messageId: "ruleProblems",
        data: { rule: ruleRef(rule), direction: rule.direction, refused, ambiguous, unknown, peersUnknown, ports: known?.ports ?? null, allPorts: known?.allPorts ?? false, highRisk: known?.highRisk ?? false },
    };
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
            directions: {
                ...schemas.directions(),
                description:
                    "Directions in which values unknown until apply are reported for stateful firewalls: set it to the union of the exposure policies' `directions`. An unknown destination of an outbound rule hides no exposure while no policy judges egress, so by default it is not reported. Stateless ACLs are reported in both directions (their replies need them).",
            },
            exemptions: schemas.exemptions(),
            honourTagExemptions: schemas.honourTagExemptions(),
        },
    },
    parseConfig: (raw) => ({ includeUnknowns: raw.includeUnknowns !== false, directions: asDirections(raw.directions) }),
    messages: {
        ruleProblems: "A rule has values the cloud refuses (malformed, out of range), reads ambiguously (a number taken twice, a place the cloud picks), or that are not known until apply; refused and ambiguous rules shadow nothing, so the rules around them are judged without them.",
        conflict: "A group or ACL declares inline rules and also has separate rule resources: the provider makes them overwrite each other.",
        firewallProblem: "A firewall's rule list itself cannot be read (not known until apply, or not a list), so its rules cannot be judged.",
        notJudged: "`portguard scan` of Terraform files: a part of the configuration could not be read at all (a registry module without `.terraform/modules`, a `count` or `for_each` not known without a plan); the message names it with its file and line.",
        mayBeShadowed: "An allow may be shadowed by an earlier rule whose values are not known until apply; the update judges it.",
    },
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
            const f = ruleFinding(visible);
            if (f) push(f);
        }
        const firewall = firewallRef(fw);
        for (const p of fw.problems) {
            if (p.kind === "unknown" && !c.includeUnknowns) continue;
            push({ urn: p.urn ?? fw.urn, path: p.path, messageId: p.kind === "conflict" ? "conflict" : "firewallProblem", data: { firewall, path: p.path, problem: p.problem } });
        }
        if (ctx.fragment) return out;
        // Rules that a rule of unknown values placed before them may shadow.
        for (const dir of ["ingress", "egress"] as const) {
            for (const e of effectsOf(fw, dir)) {
                if (e.implicit || e.rule.action !== "allow" || e.maybeShadowedBy.length === 0 || e.pieces.length === 0) continue;
                if (e.rule.problems.length || !read(e.rule)) continue; // reported with its own problems, or read by no policy
                const known = knownPorts(e.rule);
                push({
                    urn: e.rule.urn,
                    path: e.rule.path,
                    messageId: "mayBeShadowed",
                    data: { rule: ruleRef(e.rule), by: e.maybeShadowedBy.map(ruleRef), ports: known?.ports ?? null, allPorts: known?.allPorts ?? false },
                });
            }
        }
        return out;
    },
};

