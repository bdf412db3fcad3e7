/**
 * The data of findings, built from the model: refs to firewalls and rules, ports with their
 * service names, sources with their tier. No English here beyond the names the clouds use
 * (src/findings/render.ts writes the messages).
 */
import type { Firewall, Peer, Rule } from "../model";
import type { PortSet } from "../net/ports";
import { serviceName } from "../catalog";
import type { Slot } from "../analysis/evaluate";
import type { RuleExposure } from "../analysis/exposure";
import type { FirewallRef, PortsData, RuleRef, SourcesData } from "./types";

/** The last part of a type token: `SecurityGroup` for `aws:ec2/securityGroup:SecurityGroup`. */
export function shortType(type: string): string {
    const parts = type.split(":");
    return parts[parts.length - 1] || type;
}

/** The word users call a firewall (or a rule resource's parent) by, from its type token. */
export function firewallKind(type: string): string {
    const t = type.toLowerCase();
    if (/networksecuritygroup|securityrule/.test(t)) return "network security group";
    if (/securitygroup|secgroup|security\/group/.test(t)) return "security group";
    if (/networkacl|\/acl:|:acl$|aclrule|aclentr|quintuple/.test(t)) return "network ACL";
    if (/securitylist/.test(t)) return "security list";
    if (/firewallpolicy/.test(t)) return "firewall policy";
    if (/firewallgroup|firewallrule/.test(t) && t.startsWith("vultr")) return "firewall group";
    return "firewall";
}

export function firewallRef(fw: Pick<Firewall, "name" | "type">): FirewallRef {
    return { name: fw.name, type: shortType(fw.type), kind: firewallKind(fw.type) };
}

export function ruleRef(r: Pick<Rule, "path" | "resourceName" | "resourceType">): RuleRef {
    return { resource: r.resourceName, type: shortType(r.resourceType), path: r.path };
}

/** Ports of one protocol with the service names of each stretch (for stretches of at most 8 ports). */
export function portsData(protocol: "tcp" | "udp", ports: PortSet): PortsData {
    const named: PortsData["named"] = [];
    const spans = ports.spans;
    for (let i = 0; i < spans.length; i++) {
        const lo = spans[i][0];
        const hi = spans[i][1];
        if (hi - lo >= 8) continue; // a name beside a long stretch would read as the stretch's
        // the distinct names in port order (a list only for a stretch with several)
        let first: string | undefined;
        let more: string[] | undefined;
        for (let p = lo; p <= hi; p++) {
            const n = serviceName(protocol, p);
            if (!n || n === first) continue;
            if (first === undefined) first = n;
            else if (!more) more = [first, n];
            else if (!more.includes(n)) more.push(n);
        }
        if (first !== undefined) named.push({ ports: lo === hi ? `${lo}` : `${lo}-${hi}`, service: more ? more.join(", ") : first });
    }
    return { protocol, ports: ports.toString(), count: ports.count, named };
}

/** The TCP and UDP ports of an open-ports map, in that order. */
export function openPorts(open: Map<Slot, PortSet>): PortsData[] {
    const out: PortsData[] = [];
    for (const slot of ["tcp", "udp"] as const) {
        const p = open.get(slot);
        if (p && !p.isEmpty) out.push(portsData(slot, p));
    }
    return out;
}

function hiddenPeer(p: Peer): SourcesData["hidden"][number] | undefined {
    if (p.kind === "reference") return { what: p.refKind, ref: p.ref, path: p.path };
    if (p.kind === "prefix-list") return { what: "prefix list", ref: p.id, path: p.path };
    return undefined;
}

/** The sources (or destinations) of a rule's exposure. */
export function sourcesData(x: RuleExposure): SourcesData {
    return {
        direction: x.rule.direction,
        tier: x.tier,
        peers: x.publicPeers.map((p) => ({ text: p.kind === "addresses" ? p.text : p.kind === "prefix-list" ? (p.id ? `the entries of prefix list ${p.id}` : "the entries of a prefix list in this stack") : "", path: p.path })),
        addresses: x.addrs.toString(),
        hidden: x.effect.opaque.map(hiddenPeer).filter((h): h is NonNullable<typeof h> => h !== undefined),
    };
}

/** The property path of a finding about several rules: theirs, joined (so each distinct union is its own finding). */
export function unionPath(rules: readonly Rule[]): string {
    return rules.map((r) => (r.path ? (r.urn === rules[0].urn ? r.path : `${r.resourceName}.${r.path}`) : r.resourceName)).join(", ");
}
