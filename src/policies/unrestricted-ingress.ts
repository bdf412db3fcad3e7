/**
 * unrestricted-ingress (mandatory): a rule that, after order and deny rules, exposes all
 * protocols, or more than `maxPorts` ports of one protocol, to wide public sources.
 */
import { PortSet } from "../net/ports";
import { byPlace, exposures, unionExposures, type ExposureOptions } from "../analysis/exposure";
import { asExposure, exposureSchemas } from "../pack/config";
import type { Finding, PolicyDef } from "./types";
import { firewallRef, portsData, ruleRef, sourcesData, unionPath } from "../findings/data";
import type { PortsData } from "../findings/types";
import type { Rule } from "../model";
import { tierOf } from "../net/addresses";

export interface UnrestrictedConfig {
    maxPorts: number;
    exposure: ExposureOptions;
}

export const unrestrictedIngress: PolicyDef<UnrestrictedConfig> = {
    name: "unrestricted-ingress",
    displayName: "Unrestricted ingress",
    description: "Blocks rules that open all protocols, or more than maxPorts ports, to wide public sources.",
    tags: ["security", "network", "firewall"],
    remediationSteps:
        "Replace the rule with rules that open only the protocols and ports the service needs, from the sources that need them. " +
        "In an ordered firewall (network ACL, NSG, prioritised firewall rules), a deny rule placed before the broad allow also closes what should stay closed.",
    enforcementLevel: "mandatory",
    severity: "critical",
    controls: [
        { framework: "AWS Security Hub", id: "EC2.18", title: "Security groups should only allow unrestricted incoming traffic for authorized ports", primary: true },
    ],
    configSchema: {
        properties: {
            maxPorts: { type: "integer", minimum: 1, maximum: 65536, default: 1000, description: "Most ports of one protocol a rule may open to such sources; exactly this many passes." },
            ...exposureSchemas("wide"),
        },
    },
    parseConfig: (raw) => ({
        maxPorts: typeof raw.maxPorts === "number" && raw.maxPorts >= 1 ? Math.floor(raw.maxPorts) : 1000,
        exposure: asExposure(raw, "wide"),
    }),
    messages: {
        allProtocols: "A rule allows every protocol (all its ports, or the ports listed) to sources at or above `minExposure`, once rule order and deny rules are applied.",
        tooManyPorts: "A rule opens more than `maxPorts` ports of one protocol to sources at or above `minExposure`.",
        togetherAllProtocols: "No single rule allows every protocol at `minExposure`, but several rules of one firewall together do: one finding on the firewall naming every contributing rule.",
        togetherTooManyPorts: "No single rule opens more than `maxPorts` ports of one protocol at `minExposure`, but several rules of one firewall together do.",
    },
    check(fw, c, ctx) {
        if (ctx.fragment && fw.ordered) return [];
        const out: Finding[] = [];
        const firewall = firewallRef(fw);
        const xs = exposures(fw, c.exposure);
        const reported: typeof xs = [];
        for (const x of xs) {
            // (the data is built only for a rule that is reported)
            if (x.open.has("other")) {
                const tcp = x.open.get("tcp") ?? PortSet.EMPTY;
                const udp = x.open.get("udp") ?? PortSet.EMPTY;
                const allPorts = tcp.isAll && udp.isAll;
                const ports = allPorts ? [] : [portsData("tcp", tcp), portsData("udp", udp)].filter((p) => p.count > 0);
                out.push({ urn: x.rule.urn, path: x.rule.path, messageId: "allProtocols", data: { firewall, rule: ruleRef(x.rule), sources: sourcesData(x), allPorts, ports } });
                reported.push(x);
                continue;
            }
            const wide = (["tcp", "udp"] as const).filter((slot) => (x.open.get(slot)?.count ?? 0) > c.maxPorts).map((slot) => portsData(slot, x.open.get(slot)!));
            if (wide.length === 0) continue;
            out.push({ urn: x.rule.urn, path: x.rule.path, messageId: "tooManyPorts", data: { firewall, rule: ruleRef(x.rule), sources: sourcesData(x), ports: wide, maxPorts: c.maxPorts } });
            reported.push(x);
        }
        // A group's rules add up: all protocols, or more than maxPorts ports, over their union.
        for (const u of unionExposures(fw, c.exposure, xs)) {
            const d = u.direction;
            const mine = reported.filter((x) => x.rule.direction === d);
            const opening = (slot: "tcp" | "udp" | "other"): Rule[] => {
                const rules = new Set(xs.filter((x) => x.rule.direction === d && x.open.has(slot)).map((x) => x.rule));
                if (u.together.has(slot)) for (const r of u.contributors) rules.add(r);
                return [...rules];
            };
            let found: { messageId: string; rules: Rule[]; ports?: PortsData[] } | undefined;
            if (u.open.has("other") && !mine.some((x) => x.open.has("other"))) {
                found = { messageId: "togetherAllProtocols", rules: opening("other") };
            } else if (!mine.some((x) => x.open.has("other"))) {
                const rules = new Set<Rule>();
                const ports: PortsData[] = [];
                for (const slot of ["tcp", "udp"] as const) {
                    const p = u.open.get(slot) ?? PortSet.EMPTY;
                    if (p.count <= c.maxPorts || mine.some((x) => (x.open.get(slot)?.count ?? 0) > c.maxPorts)) continue;
                    ports.push(portsData(slot, p));
                    for (const r of opening(slot)) rules.add(r);
                }
                if (ports.length) found = { messageId: "togetherTooManyPorts", rules: [...rules], ports };
            }
            if (!found || found.rules.length < 2) continue;
            const rules = byPlace(found.rules);
            const among = new Set(rules);
            const tier = tierOf(xs.filter((x) => among.has(x.rule)).reduce((a, x) => a.union(x.addrs), u.addrs));
            out.push({
                urn: fw.urn,
                path: unionPath(rules),
                messageId: found.messageId,
                data: { firewall, rules: rules.map(ruleRef), direction: d, tier, ...(found.ports ? { ports: found.ports, maxPorts: c.maxPorts } : {}) },
            });
        }
        return out;
    },
};
