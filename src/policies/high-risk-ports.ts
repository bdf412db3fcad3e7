/**
 * high-risk-ports (mandatory): rules that open a seed high-risk port, over its own protocol
 * (all-protocols counts for both), to sources at or above `minExposure`.
 */
import { HIGH_RISK_PORTS } from "../catalog";
import { parsePortList, type PortSet } from "../net/ports";
import type { Slot } from "../analysis/evaluate";
import { exposures, isAllOpen, unionExposures, type ExposureOptions, type RuleExposure, type UnionExposure } from "../analysis/exposure";
import { PORT_ITEM, asExposure, exposureSchemas } from "../pack/config";
import type { Finding, PolicyDef } from "./types";
import { firewallRef, openPorts, ruleRef, sourcesData, unionPath } from "../findings/data";
import type { Firewall } from "../model";
import type { Edit } from "../model/edits";
import { PUBLIC, type AddressSet } from "../net/addresses";
import type { CheckContext } from "./types";

export interface HighRiskConfig {
    ports: Record<"tcp" | "udp", PortSet>;
    exposure: ExposureOptions;
}

export const highRiskPorts: PolicyDef<HighRiskConfig> = {
    name: "high-risk-ports",
    displayName: "High-risk ports",
    description: "Blocks rules that open a high-risk port (SMB, RPC, NetBIOS, VNC ...) to public sources.",
    tags: ["security", "network", "firewall", "ports"],
    remediationSteps:
        "Remove the high-risk ports from the rule, or move the service to a port that is not high-risk. " +
        "If the service must stay reachable, narrow the rule's sources to private ranges, a VPN, or the ranges listed in trustedSources. " +
        "A rule that needs one port should not open a range that contains these ports.",
    enforcementLevel: "mandatory",
    severity: "high",
    controls: [
        { framework: "AWS Security Hub", id: "EC2.19", title: "Security groups should not allow unrestricted access to ports with high risk", primary: true },
        { framework: "AWS Security Hub", id: "EC2.18", title: "Security groups should only allow unrestricted incoming traffic for authorized ports" },
    ],
    configSchema: {
        properties: {
            tcpPorts: { type: "array", items: PORT_ITEM, default: [...HIGH_RISK_PORTS.tcp], description: "High-risk TCP ports: numbers or \"a-b\" ranges. Defaults to the carrier-blocked TCP list of the cloud provider's common-ports page." },
            udpPorts: { type: "array", items: PORT_ITEM, default: [...HIGH_RISK_PORTS.udp], description: "High-risk UDP ports: numbers or \"a-b\" ranges. Defaults to the carrier-blocked UDP list of the cloud provider's common-ports page." },
            ...exposureSchemas("public"),
        },
    },
    parseConfig: (raw) => ({
        ports: {
            tcp: parsePortList(Array.isArray(raw.tcpPorts) ? raw.tcpPorts : []).set,
            udp: parsePortList(Array.isArray(raw.udpPorts) ? raw.udpPorts : []).set,
        },
        exposure: asExposure(raw, "public"),
    }),
    messages: {
        open: "A rule opens high-risk ports, over their own protocol, to sources at or above `minExposure`, once rule order and deny rules are applied.",
        allOpen: "A rule opens every protocol and port to a wide public range or more: one line that points to unrestricted-ingress's finding on the same rule, with the number of high-risk ports among them.",
        together: "No single rule opens a high-risk port at `minExposure`, but several rules of one firewall together do (their sources add up): one finding on the firewall naming every contributing rule.",
    },
    check(fw, c, ctx) {
        const out: Finding[] = [];
        const found = offending(fw, c, ctx);
        const firewall = firewallRef(fw);
        for (const { x, hits } of found.rules) {
            const rule = ruleRef(x.rule);
            const sources = sourcesData(x);
            if (isAllOpen(x)) {
                const ports = [...hits.values()].reduce((n, p) => n + p.count, 0);
                const examples = openPorts(hits).flatMap((p) => p.named.map((n) => `${n.service} ${n.ports}`));
                out.push({ urn: x.rule.urn, path: x.rule.path, messageId: "allOpen", data: { firewall, rule, sources, count: ports, examples: examples.slice(0, 3), ports: openPorts(hits) } });
            } else {
                out.push({ urn: x.rule.urn, path: x.rule.path, messageId: "open", data: { firewall, rule, ports: openPorts(hits), sources } });
            }
        }
        for (const { u, hits } of found.together) {
            out.push({ urn: fw.urn, path: unionPath(u.contributors), messageId: "together", data: { firewall, rules: u.contributors.map(ruleRef), ports: openPorts(hits), direction: u.direction, tier: u.tier } });
        }
        return out;
    },
    /** Drop the public sources of each offending rule, keeping private and trusted ones; remove a rule left with none. */
    remediate(fw, c, ctx) {
        const edits: Edit[] = [];
        const found = offending(fw, c, ctx);
        if (found.together.length) return undefined; // several rules together: no one rule to narrow safely
        for (const { x } of found.rules) {
            const isPublic = (set: AddressSet | undefined) => !!set && !set.minus(c.exposure.trustedSources).intersect(PUBLIC).isEmpty;
            const drop = x.rule.peers.filter((p) => isPublic(p.kind === "addresses" ? p.set : p.kind === "prefix-list" ? p.resolved : undefined));
            if (drop.length === x.rule.peers.length) {
                if (!/\[\d+\]$/.test(x.rule.path)) return undefined; // a rule resource cannot remove itself
                edits.push({ op: "remove", path: x.rule.path });
            } else {
                for (const p of drop) edits.push({ op: "remove", path: p.path });
            }
        }
        return edits;
    },
};

function offending(fw: Firewall, c: HighRiskConfig, ctx: CheckContext) {
    const rules: Array<{ x: RuleExposure; hits: Map<Slot, PortSet> }> = [];
    const together: Array<{ u: UnionExposure; hits: Map<Slot, PortSet> }> = [];
    if (ctx.fragment && fw.ordered) return { rules, together };
    const xs = exposures(fw, c.exposure);
    for (const x of xs) {
        const hits = highRisk(x.open, c);
        if (hits.size) rules.push({ x, hits });
    }
    for (const u of unionExposures(fw, c.exposure, xs)) {
        const hits = highRisk(u.together, c);
        if (hits.size) together.push({ u, hits });
    }
    return { rules, together };
}

/** The high-risk ports among open ones, per port-carrying slot. */
function highRisk(open: Map<Slot, PortSet>, c: HighRiskConfig): Map<Slot, PortSet> {
    const hits = new Map<Slot, PortSet>();
    for (const slot of ["tcp", "udp"] as const) {
        const hit = open.get(slot)?.intersect(c.ports[slot]);
        if (hit && !hit.isEmpty) hits.set(slot, hit);
    }
    return hits;
}
