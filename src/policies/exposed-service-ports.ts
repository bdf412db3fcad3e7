/**
 * exposed-service-ports (advisory): admin, database and legacy services (SSH, RDP, Telnet,
 * FTP, SQL Server, Oracle, MySQL, NetBIOS, proxies) open to wide public sources.
 */
import { COMMON_PORTS } from "../catalog";
import { parsePortList, PortSet } from "../net/ports";
import { exposures, isAllOpen, unionExposures, type ExposureOptions } from "../analysis/exposure";
import { PORT_ITEM, asExposure, exposureSchemas } from "../pack/config";
import type { Finding, PolicyDef } from "./types";
import { firewallRef, portsData, ruleRef, sourcesData, unionPath } from "../findings/data";
import type { PortsData } from "../findings/types";
import type { Slot } from "../analysis/evaluate";

export interface Service {
    name: string;
    protocol: "tcp" | "udp";
    ports: PortSet;
}

export interface ExposedServiceConfig {
    services: Service[];
    exposure: ExposureOptions;
}

/** Web and mail are public by design; everything else in the seed's common ports is an admin, database or legacy service. */
const PUBLIC_BY_DESIGN = new Set(["HTTP", "HTTPS", "SMTP", "POP3", "IMAP"]);

export const DEFAULT_SERVICES: Array<{ name: string; protocol: "tcp" | "udp"; ports: string[] }> = [
    ...COMMON_PORTS.filter((c) => !PUBLIC_BY_DESIGN.has(c.service)).map((c) => ({ name: c.service, protocol: c.protocol, ports: [c.ports] })),
    // RDP also runs over UDP 3389 (RDP 8.0+ transport); not in the seed's table.
    { name: "RDP", protocol: "udp" as const, ports: ["3389"] },
];

export const exposedServicePorts: PolicyDef<ExposedServiceConfig> = {
    name: "exposed-service-ports",
    displayName: "Exposed admin and database ports",
    description: "Advises on admin, database and legacy service ports (SSH, RDP, SQL ...) opened to wide public ranges.",
    tags: ["security", "network", "firewall", "ports", "remote-access"],
    remediationSteps:
        "Narrow the rule's sources to the addresses that need the service (an office or VPN range, a bastion host, a load balancer), " +
        "or reach the service through a bastion, a VPN or the cloud's session manager instead of a public port. " +
        "List trusted ranges in trustedSources so they never count as exposure.",
    enforcementLevel: "advisory",
    severity: "medium",
    controls: [
        { framework: "CIS AWS Foundations Benchmark v3.0.0", id: "5.1", title: "Ensure no Network ACLs allow ingress from 0.0.0.0/0 to remote server administration ports" },
        { framework: "CIS AWS Foundations Benchmark v3.0.0", id: "5.2", title: "Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports", primary: true },
        { framework: "CIS AWS Foundations Benchmark v3.0.0", id: "5.3", title: "Ensure no security groups allow ingress from ::/0 to remote server administration ports" },
        { framework: "AWS Security Hub", id: "EC2.13", title: "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22" },
        { framework: "AWS Security Hub", id: "EC2.14", title: "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389" },
        { framework: "AWS Security Hub", id: "EC2.19", title: "Security groups should not allow unrestricted access to ports with high risk" },
        { framework: "AWS Security Hub", id: "EC2.21", title: "Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389" },
    ],
    configSchema: {
        properties: {
            services: {
                type: "array",
                default: DEFAULT_SERVICES,
                description: "Services to protect: `{name, protocol: \"tcp\"|\"udp\", ports: [number | \"a-b\"]}`. Defaults to the admin, database and legacy services of the cloud provider's common-ports page (web and mail are public by design and not listed).",
                items: {
                    type: "object",
                    properties: {
                        name: { type: "string", minLength: 1, description: "The service's name, as messages show it (e.g. `SSH`)." },
                        protocol: { type: "string", enum: ["tcp", "udp"], description: "The transport protocol the service listens on." },
                        ports: { type: "array", items: PORT_ITEM, minItems: 1, description: "Its ports: numbers or \"a-b\" ranges." },
                    },
                    required: ["name", "protocol", "ports"],
                    additionalProperties: false,
                },
            },
            ...exposureSchemas("wide"),
        },
    },
    parseConfig: (raw) => ({
        services: (Array.isArray(raw.services) ? raw.services : [])
            .filter((s): s is { name: string; protocol: "tcp" | "udp"; ports: unknown[] } => !!s && typeof s === "object" && typeof s.name === "string" && (s.protocol === "tcp" || s.protocol === "udp") && Array.isArray(s.ports))
            .map((s) => ({ name: s.name, protocol: s.protocol, ports: parsePortList(s.ports).set })),
        exposure: asExposure(raw, "wide"),
    }),
    messages: {
        open: "A rule exposes a configured admin, database or legacy service port to sources at or above `minExposure`, once rule order and deny rules are applied.",
        allOpen: "A rule opens every protocol and port to a wide public range or more: one line that points to unrestricted-ingress's finding on the same rule, naming the services among them.",
        together: "No single rule exposes a service at `minExposure`, but several rules of one firewall together do: one finding on the firewall naming every contributing rule.",
    },
    check(fw, c, ctx) {
        if (ctx.fragment && fw.ordered) return [];
        const out: Finding[] = [];
        const firewall = firewallRef(fw);
        const xs = exposures(fw, c.exposure);
        for (const x of xs) {
            const hits = serviceHits(x.open, c.services);
            if (hits.length === 0) continue;
            out.push({ urn: x.rule.urn, path: x.rule.path, messageId: isAllOpen(x) ? "allOpen" : "open", data: { firewall, rule: ruleRef(x.rule), services: hits, sources: sourcesData(x) } });
        }
        for (const u of unionExposures(fw, c.exposure, xs)) {
            const hits = serviceHits(u.together, c.services);
            if (hits.length === 0) continue;
            out.push({ urn: fw.urn, path: unionPath(u.contributors), messageId: "together", data: { firewall, rules: u.contributors.map(ruleRef), services: hits, direction: u.direction, tier: u.tier } });
        }
        return out;
    },
};

/** Each configured service with open ports: its name and those ports (with their service names). */
function serviceHits(open: Map<Slot, PortSet>, services: readonly Service[]): Array<{ name: string; ports: PortsData }> {
    const hits: Array<{ name: string; ports: PortsData }> = [];
    for (const s of services) {
        const hit = open.get(s.protocol)?.intersect(s.ports);
        if (hit && !hit.isEmpty) hits.push({ name: s.name, ports: portsData(s.protocol, hit) });
    }
    return hits;
}
