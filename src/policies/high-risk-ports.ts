/**
 * high-risk-ports (mandatory): rules that open a seed high-risk port, over its own protocol
 * (all-protocols counts for both), to sources at or above `minExposure`.
 */
import { HIGH_RISK_PORTS } from "../catalog";
import { parsePortList, type PortSet } from "../net/ports";
import type { Slot } from "../analysis/evaluate";
import { exposures, describeSources, type ExposureOptions } from "../analysis/exposure";
import { PORT_ITEM, asExposure, exposureSchemas } from "../pack/config";
import { where, type PolicyDef } from "../pack/engine";
import { describeOpen, fromOrTo, peersWord } from "../pack/messages";
import type { Firewall } from "../model";
import type { Edit } from "../model/edits";
import { PUBLIC, type AddressSet } from "../net/addresses";
import type { CheckContext } from "../pack/engine";

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
            tcpPorts: { type: "array", items: PORT_ITEM, default: [...HIGH_RISK_PORTS.tcp], description: "High-risk TCP ports: numbers or \"a-b\" ranges. Defaults to the seed's TCP list." },
            udpPorts: { type: "array", items: PORT_ITEM, default: [...HIGH_RISK_PORTS.udp], description: "High-risk UDP ports: numbers or \"a-b\" ranges. Defaults to the seed's UDP list." },
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
    check(fw, c, ctx) {
        const out = [];
        for (const { x, hits } of offending(fw, c, ctx)) {
            const d = x.rule.direction;
            out.push({
                urn: x.rule.urn,
                path: x.rule.path,
                message:
                    `${where(x.rule)} allows high-risk ${describeOpen(hits)} ${fromOrTo(d)} ${describeSources(x)}. ` +
                    `Carriers block these ports and worms scan them. ` +
                    `Fix: remove these ports from the rule (move the service to a port that is not high-risk), or narrow its ${peersWord(d)} to private ranges or trustedSources.`,
            });
        }
        return out;
    },
    /** Drop the public sources of each offending rule, keeping private and trusted ones; remove a rule left with none. */
    remediate(fw, c, ctx) {
        const edits: Edit[] = [];
        for (const { x } of offending(fw, c, ctx)) {
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
    if (ctx.fragment && fw.ordered) return [];
    const out = [];
    for (const x of exposures(fw, c.exposure)) {
        const hits = new Map<Slot, PortSet>();
        for (const slot of ["tcp", "udp"] as const) {
            const hit = x.open.get(slot)?.intersect(c.ports[slot]);
            if (hit && !hit.isEmpty) hits.set(slot, hit);
        }
        if (hits.size) out.push({ x, hits });
    }
    return out;
}
