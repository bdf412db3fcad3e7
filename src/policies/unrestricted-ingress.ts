/**
 * unrestricted-ingress (mandatory): a rule that, after order and deny rules, exposes all
 * protocols, or more than `maxPorts` ports of one protocol, to wide public sources.
 */
import { PortSet } from "../net/ports";
import { exposures, describeSources, type ExposureOptions } from "../analysis/exposure";
import { asExposure, exposureSchemas } from "../pack/config";
import { where, type PolicyDef } from "../pack/engine";
import { fromOrTo, peersWord } from "../pack/messages";

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
    check(fw, c, ctx) {
        if (ctx.fragment && fw.ordered) return [];
        const out = [];
        for (const x of exposures(fw, c.exposure)) {
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
            out.push({
                urn: x.rule.urn,
                path: x.rule.path,
                message:
                    `${where(x.rule)} allows ${what} ${fromOrTo(d)} ${describeSources(x)}${x.open.has("other") ? "" : `, more than the ${c.maxPorts} ports allowed`}. ` +
                    `Everything listening behind it becomes reachable, including services nobody meant to publish. ` +
                    `Fix: open only the protocol and ports the service needs, or narrow the rule's ${peersWord(d)} to private ranges or trustedSources.`,
            });
        }
        return out;
    },
};
