/**
 * The one renderer: every message portguard shows (the pack's diagnostics, the CLI's text, JSON,
 * SARIF and JUnit, the docs' examples) is made here from a finding's message id and data. All
 * user-facing English about findings lives in this file.
 *
 * Aims: a diagnostic reads in a preview at a glance (about 400 characters in the common cases;
 * the full port lists, sources and rules are in the data); each port is named next to itself
 * (`445 (SMB)`); long lists are summarised; no `(s)` plurals.
 */
import type { Tier } from "../net/addresses";
import type { Direction } from "../model";
import type { Finding, FirewallRef, PortsData, RuleRef, SourcesData } from "./types";

// ---------------------------------------------------------------------------------------------
// Pieces

const TIER: Record<Tier, string> = {
    internet: "the whole internet",
    wide: "a wide public range",
    public: "public addresses",
    private: "private addresses",
};

export function tierPhrase(t: Tier): string {
    return TIER[t];
}

function fromTo(d: Direction): string {
    return d === "ingress" ? "from" : "to";
}

function peersWord(d: Direction): string {
    return d === "ingress" ? "sources" : "destinations";
}

/** `ingress[2] of SecurityGroup "web"`, or `SecurityGroupIngressRule "ssh"` for a rule resource. */
export function whereRule(r: RuleRef): string {
    return r.path ? `${r.path} of ${r.type} "${r.resource}"` : `${r.type} "${r.resource}"`;
}

function firewallName(fw: FirewallRef): string {
    return `${fw.kind} "${fw.name}"`;
}

/** `a, b and c`; past `max` items, `a, b, c and 4 more`. */
export function list(items: readonly string[], max = 6): string {
    if (items.length <= 1) return items.join("");
    if (items.length > max) return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
    return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
    return `${n} ${n === 1 ? one : many}`;
}

/** The rules of a finding about several of them, each on its own resource where it is not the firewall's. */
function ruleList(fw: FirewallRef, rules: readonly RuleRef[]): string {
    return list(rules.map((r) => (r.resource === fw.name && r.type === fw.type && r.path ? r.path : whereRule(r))));
}

/**
 * `TCP 445 (SMB), 5900 (VNC)`; more than six stretches are summarised:
 * `TCP: 21 ports, including 445 (SMB) and 5900 (VNC)`; every port: `every TCP port`.
 */
export function portsPhrase(p: PortsData, max = 6): string {
    const proto = p.protocol.toUpperCase();
    if (p.count === 65536) return `every ${proto} port`;
    const names = new Map(p.named.map((n) => [n.ports, n.service]));
    const spans = p.ports.split(", ");
    const label = (s: string) => (names.has(s) ? `${s} (${names.get(s)})` : s);
    if (spans.length <= max) return `${proto} ${spans.map(label).join(", ")}`;
    const some = p.named.slice(0, 2).map((n) => `${n.ports} (${n.service})`);
    return `${proto}: ${plural(p.count, "port")}${some.length ? `, including ${list(some)}` : ` (${spans.slice(0, 3).join(", ")} ...)`}`;
}

function portsPhrases(ports: readonly PortsData[]): string {
    return list(ports.map((p) => portsPhrase(p)));
}

/** `from 0.0.0.0/0 (ingress[0].cidrBlocks[0]), the whole internet`, with hidden peers noted after. */
export function sourcesPhrase(s: SourcesData): string {
    const named = s.peers.map((p) => `${p.text} (${p.path})`);
    const shown = named.length ? list(named, 3) : s.addresses;
    const hidden = s.hidden.map((h) => `${h.what} ${h.ref || "(not known until apply)"} (${h.path})`);
    const also = hidden.length ? `; it also admits ${list(hidden, 2)}, not counted as public address space` : "";
    return `${fromTo(s.direction)} ${shown}, ${tierPhrase(s.tier)}${also}`;
}

// ---------------------------------------------------------------------------------------------
// Messages, by policy and id

type D = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Template = (d: D) => string;

const FIX_NARROW = (d: Direction, them = "its") => `narrow ${them} ${peersWord(d)} to private ranges or trustedSources`;

/** The line other policies give a rule that unrestricted-ingress reports as opening everything. */
function allOpenLine(d: D, what: string): string {
    return (
        `${whereRule(d.rule)} opens every protocol and port ${sourcesPhrase(d.sources)}, ${what} among them; unrestricted-ingress reports this rule. ` +
        `Fix: replace it with rules for the ports your services need.`
    );
}

function services(list_: ReadonlyArray<{ name: string; ports: PortsData }>): string {
    return list(list_.map((s) => `${s.name} (${s.ports.protocol.toUpperCase()} ${s.ports.ports})`), 6);
}

const TEMPLATES: Record<string, Record<string, Template>> = {
    "high-risk-ports": {
        open: (d) =>
            `${whereRule(d.rule)} opens high-risk ${portsPhrases(d.ports)} ${sourcesPhrase(d.sources)}. Carriers block these ports and worms scan them. ` +
            `Fix: remove them from the rule (move the service to a port that is not high-risk), or ${FIX_NARROW(d.sources.direction)}.`,
        allOpen: (d) => allOpenLine(d, `${plural(d.count, "high-risk port")} (${list(d.examples, 3)})`),
        together: (d) =>
            `${ruleList(d.firewall, d.rules)} of ${firewallName(d.firewall)} together open high-risk ${portsPhrases(d.ports)} ${fromTo(d.direction)} ${tierPhrase(d.tier)}: no rule does alone, but a ${d.firewall.kind}'s rules add up. ` +
            `Fix: remove these ports from the rules, or ${FIX_NARROW(d.direction, "their")}.`,
    },
    "exposed-service-ports": {
        open: (d) =>
            `${whereRule(d.rule)} exposes ${services(d.services)} ${sourcesPhrase(d.sources)}. Admin, database and legacy services facing the internet are brute-forced and exploited. ` +
            `Fix: narrow its ${peersWord(d.sources.direction)} to your admin, VPN or application ranges (or trustedSources), or reach the service through a bastion, VPN or private endpoint.`,
        allOpen: (d) => allOpenLine(d, list(d.services.map((s: { name: string }) => s.name), 4)),
        together: (d) =>
            `${ruleList(d.firewall, d.rules)} of ${firewallName(d.firewall)} together expose ${services(d.services)} ${fromTo(d.direction)} ${tierPhrase(d.tier)}: no rule does alone, but a ${d.firewall.kind}'s rules add up. ` +
            `Fix: narrow their ${peersWord(d.direction)} to your admin, VPN or application ranges (or trustedSources).`,
    },
    "unrestricted-ingress": {
        allProtocols: (d) =>
            `${whereRule(d.rule)} allows ${d.allPorts ? "all protocols and ports" : d.ports.length ? `all protocols (of them ${portsPhrases(d.ports)})` : "all protocols other than TCP and UDP"} ${sourcesPhrase(d.sources)}. Everything listening behind it becomes reachable, including services nobody meant to publish. ` +
            `Fix: open only the protocols and ports the service needs, or ${FIX_NARROW(d.sources.direction)}.`,
        tooManyPorts: (d) =>
            `${whereRule(d.rule)} opens ${list(d.ports.map((p: PortsData) => `${plural(p.count, `${p.protocol.toUpperCase()} port`)} (${p.ports.split(", ").slice(0, 3).join(", ")}${p.ports.split(", ").length > 3 ? " ..." : ""})`))} ${sourcesPhrase(d.sources)}, more than the ${d.maxPorts} allowed. ` +
            `Fix: open only the ports the service needs, or ${FIX_NARROW(d.sources.direction)}.`,
        togetherAllProtocols: (d) =>
            `${ruleList(d.firewall, d.rules)} of ${firewallName(d.firewall)} together allow all protocols and ports ${fromTo(d.direction)} ${tierPhrase(d.tier)}: no rule does alone, but a ${d.firewall.kind}'s rules add up. ` +
            `Fix: open only the protocols and ports the services need, or ${FIX_NARROW(d.direction, "their")}.`,
        togetherTooManyPorts: (d) =>
            `${ruleList(d.firewall, d.rules)} of ${firewallName(d.firewall)} together open ${list(d.ports.map((p: PortsData) => plural(p.count, `${p.protocol.toUpperCase()} port`)))} ${fromTo(d.direction)} ${tierPhrase(d.tier)}, more than the ${d.maxPorts} allowed: no rule does alone, but a ${d.firewall.kind}'s rules add up. ` +
            `Fix: open only the ports the services need, or ${FIX_NARROW(d.direction, "their")}.`,
    },
    "stateless-acl-return-traffic": {
        repliesBlocked: (d) => {
            const inbound = d.direction === "ingress";
            const reply = inbound ? "egress" : "ingress";
            const clauses = (d.summary as D[])
                .map((g) => {
                    const by = g.blockedBy ? `, blocked by ${whereRule(g.blockedBy)} (deny)` : "";
                    const holes = g.highRiskHoles ? " (high-risk ports aside)" : "";
                    return `${list(g.clients, 3)} clients miss ${g.protocol.toUpperCase()} ${g.missing}${holes}${by}`;
                })
                .join("; ");
            return (
                `${whereRule(d.rule)} lets ${list(d.flows.map((f: D) => `${f.protocol.toUpperCase()} ${f.ports}`))} ${inbound ? "in from" : "out to"} ${d.peers}, but this stateless ${d.firewall.kind}'s ${reply} rules do not let the replies reach the ${inbound ? "clients'" : "local clients'"} ephemeral ports, so those connections hang: ${clauses}. ` +
                `Fix: add an ${reply} allow for ${list(d.fix.protocols.map((p: string) => p.toUpperCase()))} ${d.fix.from}-65535 ${inbound ? "to" : "from"} ${d.peers}, numbered after the deny rules you keep for high-risk ports.`
            );
        },
    },
    "unverifiable-rules": {
        ruleProblems: (d) => {
            const parts: string[] = [];
            const at = (ps: Array<{ path: string; problem: string }>) => ps.map((p) => `${p.path || "the rule"} ${p.problem}`).join("; ");
            if (d.refused.length) {
                parts.push(
                    `${whereRule(d.rule)} has values the cloud refuses: ${at(d.refused)}. It shadows nothing here: the rules around it are judged as if it were absent. Fix: correct ${d.refused.length > 1 ? "these values" : "this value"}.`,
                );
            }
            if (d.ambiguous.length) parts.push(`${whereRule(d.rule)} is read ambiguously: ${at(d.ambiguous)}. It shadows nothing here: the rules around it are judged as if it were absent.`);
            if (d.unknown.length) {
                const paths = d.unknown.join(", ");
                const ports = knownPorts(d);
                if (ports && d.peersUnknown) {
                    parts.push(
                        `${whereRule(d.rule)} opens ${ports} to ${peersWord(d.direction)} not known until apply (${paths}); ` +
                            (d.highRisk ? "if they are public, high-risk-ports will block the update." : "if they are public, the exposure policies will judge them at update.") +
                            " Fix: use known CIDRs, or re-run the check after the values resolve.",
                    );
                } else {
                    parts.push(`${whereRule(d.rule)} cannot be judged during preview: ${paths} ${d.unknown.length > 1 ? "are" : "is"} not known until apply. The policies will judge it once ${d.unknown.length > 1 ? "they resolve" : "it resolves"}.`);
                }
            }
            return parts.join(" ");
        },
        notJudged: (d) => d.reason,
        conflict: (d) => `${firewallName(d.firewall)} ${d.problem}. Fix: keep the rules in one place, either inline (${d.path}) or as separate rule resources.`,
        firewallProblem: (d) => `${firewallName(d.firewall)}: ${d.path} ${d.problem}, so its rules cannot be judged.`,
        mayBeShadowed: (d) => {
            const ports = knownPorts(d);
            return (
                `${whereRule(d.rule)}${ports ? ` (${ports})` : ""} may be shadowed by ${list(d.by.map(whereRule), 3)}, whose values are not known until apply; what it exposes will be judged at update. ` +
                `Fix: make the earlier rule's values known.`
            );
        },
    },
};

/** `TCP 445 (SMB) (high-risk: 445)` for a rule's known ports, or undefined. */
function knownPorts(d: D): string | undefined {
    if (d.allPorts) return "all protocols and ports";
    if (!d.ports) return undefined;
    return list(d.ports.map((p: PortsData & { highRisk: string | null }) => `${portsPhrase(p)}${p.highRisk ? ` (high-risk: ${p.highRisk})` : ""}`));
}

/** A check that failed inside portguard (never a policy's own finding): any policy may report it. */
const INTERNAL: Template = (d) => `portguard could not evaluate ${d.type} "${d.name}" (internal ${d.error}); please report this. The resource was not judged by ${d.policy}.`;

/** Whether a template exists for a policy's message id (the meta-tests check every declared id). */
export function hasTemplate(policy: string, messageId: string): boolean {
    return messageId === "internalError" || !!TEMPLATES[policy]?.[messageId];
}

/** The message of a finding: its template over its data, then the exemption note when there is one. */
export function renderMessage(policy: string, f: Pick<Finding, "messageId" | "data" | "note">): string {
    const t = f.messageId === "internalError" ? INTERNAL : TEMPLATES[policy]?.[f.messageId];
    const text = t ? t(f.data as D) : `${policy}: ${f.messageId}`;
    return f.note ? `${text} (Note: ${f.note}.)` : text;
}
