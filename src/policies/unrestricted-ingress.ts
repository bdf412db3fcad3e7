/**
 * unrestricted-ingress (mandatory): a rule that, after order and deny rules, exposes all
 * protocols, or more than `maxPorts` ports of one protocol, to wide public sources.
 */
import { PortSet } from "../net/ports";
import { exposures, unionExposures, describeSources, tierPhrase, type ExposureOptions } from "../analysis/exposure";
import { asExposure, exposureSchemas } from "../pack/config";
import { where, type PolicyDef } from "../pack/engine";
import { firewallRef, fromOrTo, peersWord, ruleList, unionPath } from "../pack/messages";
import type { Rule } from "../model";
import { tierOf } from "../net/addresses";

export interface UnrestrictedConfig {
    maxPorts: number;
    exposure: ExposureOptions;
}

export const unrestrictedIngress: PolicyDef<UnrestrictedConfig> = {
    name: "unrestricted-ingress",
    description: "Blocks rules that expose all protocols, or more than `maxPorts` ports of one protocol, to wide public sources once rule order and deny rules are applied.",
    enforcementLevel: "mandatory",
    severity: "critical",
    controls: [
        { framework: "AWS Security Hub", id: "EC2.18", title: "Security groups should only allow unrestricted incoming traffic for authorized ports" },
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
    check(fw, c, ctx) {
        if (ctx.fragment && fw.ordered) return [];
        const out = [];
        const xs = exposures(fw, c.exposure);
        const reported: typeof xs = [];
        for (const x of xs) {
            const d = x.rule.direction;
            let what: string | undefined;
            if (x.open.has("other")) {
                const tcp = x.open.get("tcp") ?? PortSet.EMPTY;
                const udp = x.open.get("udp") ?? PortSet.EMPTY;
                what = tcp.isAll && udp.isAll ? "all protocols and ports" : `all protocols (of them TCP ${tcp.toString()} and UDP ${udp.toString()})`;
            } else {
                const wide: string[] = [];
                for (const slot of ["tcp", "udp"] as const) {
                    const p = x.open.get(slot) ?? PortSet.EMPTY;
                    if (p.count > c.maxPorts) wide.push(`${slot.toUpperCase()} ${p.toString()} (${p.count} ports)`);
                }
                if (wide.length) what = wide.join(" and ");
            }
            if (!what) continue;
            reported.push(x);
            out.push({
                urn: x.rule.urn,
                path: x.rule.path,
                message:
                    `${where(x.rule)} allows ${what} ${fromOrTo(d)} ${describeSources(x)}${x.open.has("other") ? "" : `, more than the ${c.maxPorts} ports allowed`}. ` +
                    `Everything listening behind it becomes reachable, including services nobody meant to publish. ` +
                    `Fix: open only the protocol and ports the service needs, or narrow the rule's ${peersWord(d)} to private ranges or trustedSources.`,
            });
        }
        // A group's rules add up: all protocols, or more than maxPorts ports, over their union.
        for (const u of unionExposures(fw, c.exposure, xs)) {
            const d = u.direction;
            const mine = reported.filter((x) => x.rule.direction === d);
            const opening = (slot: "tcp" | "udp" | "other"): Rule[] => {
                const rules = xs.filter((x) => x.rule.direction === d && x.open.has(slot)).map((x) => x.rule);
                if (u.together.has(slot)) for (const r of u.contributors) if (!rules.includes(r)) rules.push(r);
                return rules;
            };
            let what: string | undefined;
            let rules: Rule[] = [];
            if (u.open.has("other") && !mine.some((x) => x.open.has("other"))) {
                what = "all protocols and ports";
                rules = opening("other");
            } else {
                const wide: string[] = [];
                for (const slot of ["tcp", "udp"] as const) {
                    const p = u.open.get(slot) ?? PortSet.EMPTY;
                    if (p.count <= c.maxPorts || mine.some((x) => (x.open.get(slot)?.count ?? 0) > c.maxPorts) || mine.some((x) => x.open.has("other"))) continue;
                    wide.push(`${slot.toUpperCase()} ${p.toString()} (${p.count} ports)`);
                    for (const r of opening(slot)) if (!rules.includes(r)) rules.push(r);
                }
                if (wide.length) what = `${wide.join(" and ")}, more than the ${c.maxPorts} ports allowed`;
            }
            if (!what || rules.length < 2) continue;
            const reach = (rs: Rule[]) => tierOf(xs.filter((x) => rs.includes(x.rule)).reduce((a, x) => a.union(x.addrs), u.addrs));
            out.push({
                urn: fw.urn,
                path: unionPath(fw, rules),
                message:
                    `${firewallRef(fw)}: ${ruleList(fw, rules)} together allow ${what} ${fromOrTo(d)} ${tierPhrase(reach(rules))}. ` +
                    `No rule does alone, but a group's rules add up. Everything listening behind them becomes reachable, including services nobody meant to publish. ` +
                    `Fix: open only the protocols and ports the services need, or narrow the rules' ${peersWord(d)} to private ranges or trustedSources.`,
            });
        }
        return out;
    },
};
