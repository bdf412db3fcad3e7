/**
 * stateless-acl-return-traffic (advisory): stateless ACLs must let replies reach the
 * ephemeral ports of the clients on both sides (the common-ports page's table "临时端口", docs/seed/).
 */
import { CLIENT_TYPES, CLIENT_TYPE_IDS, HIGH_RISK_PORTS, clientType, type ClientType } from "../catalog";
import { parsePortList, PortSet } from "../net/ports";
import { hasStatelessRules, returnTrafficGaps, type MissingRange, type ReturnTrafficGap, type ReturnTrafficOptions } from "../analysis/returnTraffic";
import { schemas, PORT_ITEM } from "../pack/config";
import type { Finding, PolicyDef } from "./types";
import { firewallRef, ruleRef } from "../findings/data";
import type { Direction, Firewall, Rule } from "../model";
import type { Edit, NewRule } from "../model/edits";
import type { AddressSet } from "../net/addresses";

const clientList = (dflt: string[], what: string) => ({
    type: "array",
    items: { type: "string", enum: CLIENT_TYPE_IDS },
    default: dflt,
    description: what,
});

function asClients(v: unknown): ClientType[] {
    if (!Array.isArray(v)) return [...CLIENT_TYPES];
    return v.map((id) => (typeof id === "string" ? clientType(id) : undefined)).filter((c): c is ClientType => !!c);
}

/** Show a missing set without the tolerated holes that fragment it: 1024-32767, not 1024, 1026-1067, ... */
function hull(missing: PortSet, tolerated: PortSet, range: PortSet, rangeText = range.toString()): PortSet {
    const inRange = toleratedIn(tolerated, range, rangeText);
    if (inRange.isEmpty) return missing;
    const filled = missing.union(inRange);
    // The stretches of `filled` that hold a missing port (each missing stretch lies in one of them).
    const m = missing.spans;
    const kept: Array<readonly [number, number]> = [];
    let j = 0;
    for (const f of filled.spans) {
        while (j < m.length && m[j][1] < f[0]) j++;
        if (j < m.length && m[j][0] <= f[1]) kept.push(f);
    }
    return kept.length === filled.spans.length ? filled : PortSet.fromSpans(kept);
}

/** The tolerated ports inside a client range: once per tolerated set and range. */
const toleratedMemo = new WeakMap<PortSet, Map<string, PortSet>>();
function toleratedIn(tolerated: PortSet, range: PortSet, k: string): PortSet {
    let byRange = toleratedMemo.get(tolerated);
    if (!byRange) toleratedMemo.set(tolerated, (byRange = new Map()));
    let r = byRange.get(k);
    if (!r) byRange.set(k, (r = tolerated.intersect(range)));
    return r;
}

/** The gaps of one flow as data: clients with the same range and the same gap are one entry. */
function gapData(g: ReturnTrafficGap, tolerated: PortSet) {
    const groups = new Map<string, { labels: string[]; m: MissingRange }>();
    for (const m of g.gaps) {
        const k = `${m.client.required[0]}-${m.client.required[1]}|${m.missing.toString()}|${m.blockedBy ? `${m.blockedBy.urn}${m.blockedBy.path}` : ""}`;
        const e = groups.get(k);
        if (e) e.labels.push(m.client.label);
        else groups.set(k, { labels: [m.client.label], m });
    }
    return [...groups.values()].map(({ labels, m }) => {
        const rangeText = `${m.client.required[0]}-${m.client.required[1]}`;
        const shown = hull(m.missing, tolerated, PortSet.range(m.client.required[0], m.client.required[1]), rangeText);
        return {
            clients: labels,
            range: rangeText,
            protocol: g.slot,
            missing: shown.toString(),
            highRiskHoles: !shown.equals(m.missing),
            blockedBy: m.blockedBy ? ruleRef(m.blockedBy) : null,
        };
    });
}

/** The gaps of a rule's flows in short: per protocol and blocking deny, the clients and the union of the ports they miss. */
function summary(gaps: readonly ReturnTrafficGap[], tolerated: Record<"tcp" | "udp", PortSet>) {
    // (the client ranges of each group are gathered and made one set at the end; missing ports
    // already covered, often the same set for several clients, add nothing)
    const groups = new Map<string, { protocol: "tcp" | "udp"; clients: string[]; missing: PortSet; range: Array<readonly [number, number]>; blockedBy: Rule | undefined }>();
    for (const g of gaps) {
        for (const m of g.gaps) {
            const k = `${g.slot}|${m.blockedBy ? `${m.blockedBy.urn}${m.blockedBy.path}` : ""}`;
            let e = groups.get(k);
            if (!e) groups.set(k, (e = { protocol: g.slot, clients: [], missing: PortSet.EMPTY, range: [], blockedBy: m.blockedBy }));
            if (!e.clients.includes(m.client.label)) e.clients.push(m.client.label);
            if (e.missing.isEmpty) e.missing = m.missing;
            else if (!e.missing.covers(m.missing)) e.missing = e.missing.union(m.missing);
            e.range.push(m.client.required);
        }
    }
    return [...groups.values()].map((e) => {
        const missing = e.missing;
        const shown = hull(missing, tolerated[e.protocol], PortSet.fromSpans(e.range));
        return { protocol: e.protocol, clients: e.clients, missing: shown.toString(), highRiskHoles: !shown.equals(missing), blockedBy: e.blockedBy ? ruleRef(e.blockedBy) : null };
    });
}

/** Types whose rules carry their own statefulness (a stateless rule may come from a separate resource). */
const PER_RULE_STATEFULNESS = /^oci:/;

export interface ReturnTrafficConfig extends ReturnTrafficOptions {
    statefulTypes: string[];
}

export const statelessAclReturnTraffic: PolicyDef<ReturnTrafficConfig> = {
    name: "stateless-acl-return-traffic",
    displayName: "Stateless ACL return traffic",
    description: "Advises when a stateless network ACL blocks the replies to flows it allows (the clients' ephemeral ports).",
    tags: ["network", "network-acl", "availability"],
    remediationSteps:
        "Add an allow rule in the other direction for the clients' ephemeral ports to and from the flow's peers " +
        "(1024-65535 covers every client type; Linux uses 32768-60999, Windows Server 2008 and later 49152-65535), " +
        "numbered after any deny rules you keep for high-risk ports. At enforcement level remediate, portguard adds these rules to inline ACLs itself.",
    enforcementLevel: "advisory",
    severity: "medium",
    controls: [], // an availability check: no compliance control covers it
    configSchema: {
        properties: {
            remoteClients: clientList(CLIENT_TYPE_IDS, "Client types on the far side of inbound flows: replies leave toward their ephemeral ports. Defaults to every type the catalog lists."),
            localClients: clientList(CLIENT_TYPE_IDS, "Client types inside the subnet making outbound calls: replies come back to their ephemeral ports. Defaults to every type the catalog lists."),
            toleratedTcpPorts: { type: "array", items: PORT_ITEM, default: [...HIGH_RISK_PORTS.tcp], description: "TCP ports where a hole in the ephemeral range is tolerated (carriers block them anyway, and AWS advises denying them first). Defaults to the high-risk TCP list." },
            toleratedUdpPorts: { type: "array", items: PORT_ITEM, default: [...HIGH_RISK_PORTS.udp], description: "UDP ports where a hole in the ephemeral range is tolerated. Defaults to the high-risk UDP list." },
            statefulTypes: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Type tokens of ACLs to treat as stateful and skip, for clouds whose statefulness portguard assumes (Tencent `tencentcloud:Vpc/acl:Acl` and Volcengine `volcengine:vpc/networkAcl:NetworkAcl` default to stateless).",
            },
            exemptions: schemas.exemptions(),
            honourTagExemptions: schemas.honourTagExemptions(),
        },
    },
    parseConfig: (raw) => ({
        statefulTypes: Array.isArray(raw.statefulTypes) ? raw.statefulTypes.filter((t): t is string => typeof t === "string") : [],
        remoteClients: asClients(raw.remoteClients),
        localClients: asClients(raw.localClients),
        tolerated: {
            tcp: parsePortList(Array.isArray(raw.toleratedTcpPorts) ? raw.toleratedTcpPorts : []).set,
            udp: parsePortList(Array.isArray(raw.toleratedUdpPorts) ? raw.toleratedUdpPorts : []).set,
        },
    }),
    messages: {
        repliesBlocked: "A stateless firewall allows a flow, but its rules in the other direction do not let the replies reach the ephemeral ports of some client type (each gap names the clients, the missing ports and the deny that blocks them, if any).",
    },
    /**
     * Not applicable to a stateful firewall (replies pass by themselves): one with no stateless
     * rule, of a type whose rules cannot be stateless one by one (OCI's can), or a type the
     * statefulTypes option names.
     */
    notApplicable(fw, c) {
        if (c.statefulTypes.includes(fw.type)) return `${fw.type} is treated as stateful (the statefulTypes option)`;
        if (!hasStatelessRules(fw) && !PER_RULE_STATEFULNESS.test(fw.type)) return "a stateful firewall lets replies through by itself";
        return undefined;
    },
    check(fw, c, ctx) {
        if (ctx.fragment || ctx.parentMissing || !hasStatelessRules(fw) || c.statefulTypes.includes(fw.type)) return [];
        const byRule = new Map<string, { gaps: ReturnTrafficGap[] }>();
        for (const g of returnTrafficGaps(fw, c)) {
            const k = `${g.rule.urn}\u0000${g.rule.path}`;
            const e = byRule.get(k) ?? { gaps: [] };
            e.gaps.push(g);
            byRule.set(k, e);
        }
        const out: Finding[] = [];
        const firewall = firewallRef(fw);
        for (const { gaps } of byRule.values()) {
            const g0 = gaps[0];
            let widest = Infinity;
            for (const g of gaps) for (const m of g.gaps) if (m.client.required[0] < widest) widest = m.client.required[0];
            const peers = g0.peers.toString();
            out.push({
                urn: g0.rule.urn,
                path: g0.rule.path,
                messageId: "repliesBlocked",
                data: {
                    firewall,
                    rule: ruleRef(g0.rule),
                    direction: g0.direction,
                    flows: gaps.map((g) => ({ protocol: g.slot, ports: g.ports.toString() })),
                    peers,
                    gaps: gaps.flatMap((g) => gapData(g, c.tolerated[g.slot])),
                    summary: summary(gaps, c.tolerated),
                    fix: { direction: g0.direction === "ingress" ? "egress" : "ingress", protocols: [...new Set(gaps.map((g) => g.slot))], from: widest, to: 65535, peers },
                },
            });
        }
        return out;
    },
    /**
     * Add the missing reply rules to an inline ACL: one allow per peer CIDR covering the
     * missing ports, numbered after every existing entry of that direction (the next multiple
     * of 10), so no existing deny or allow changes meaning.
     * Gaps a deny rule blocks on purpose are left alone (then no fix is offered).
     */
    remediate(fw, c, ctx) {
        if (ctx.fragment || ctx.parentMissing || !fw.stateless || c.statefulTypes.includes(fw.type)) return undefined;
        const wanted = new Map<string, { dir: Direction; slot: "tcp" | "udp"; peers: AddressSet; ports: PortSet }>();
        for (const g of returnTrafficGaps(fw, c)) {
            const dir: Direction = g.direction === "ingress" ? "egress" : "ingress";
            for (const m of g.gaps) {
                if (m.blockedBy) return undefined;
                const k = `${dir}|${g.slot}|${g.peers.key()}`;
                const e = wanted.get(k) ?? { dir, slot: g.slot, peers: g.peers, ports: PortSet.EMPTY };
                e.ports = e.ports.union(m.missing);
                wanted.set(k, e);
            }
        }
        const used = new Set(fw.rules.filter((r) => r.order !== undefined).map((r) => `${r.direction}|${r.order}`));
        const edits: Edit[] = [];
        for (const w of wanted.values()) {
            const lo = w.ports.min!;
            const hi = w.ports.spans[w.ports.spans.length - 1][1];
            const cidrs = w.peers.toCidrs();
            if (cidrs.length > 16) return undefined;
            let order = nextOrder(fw, w.dir);
            for (const cidr of cidrs) {
                while (used.has(`${w.dir}|${order}`)) order++;
                used.add(`${w.dir}|${order}`);
                const rule: NewRule = { direction: w.dir, action: "allow", protocol: w.slot, from: lo, to: hi, cidr, family: cidr.includes(":") ? "ipv6" : "ipv4", order };
                edits.push({ op: "add-rule", rule });
            }
        }
        return edits;
    },
};

/** The next multiple of 10 after every numbered rule of a direction. */
function nextOrder(fw: Firewall, dir: Direction): number {
    let max = 0;
    for (const r of fw.rules) if (r.direction === dir && r.order !== undefined) max = Math.max(max, r.order);
    return Math.floor(max / 10) * 10 + 10;
}
