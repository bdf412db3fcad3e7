/**
 * Oracle Cloud Infrastructure (@pulumi/oci; the module token is capitalised: `Core`).
 * Types, fields and what an omitted field means: docs/providers/oci.md.
 *
 * - Security lists (`SecurityList`, `DefaultSecurityList`) carry inline
 *   `ingressSecurityRules[]` (`source`/`sourceType`) and `egressSecurityRules[]`
 *   (`destination`/`destinationType`). Network security groups have no inline rules; their
 *   rules are `NetworkSecurityGroupSecurityRule` resources with a `direction`.
 * - Rules are allow-only and unordered: the effective set is their union.
 * - Statefulness is PER RULE: `stateless: true` marks the rule stateless (`Rule.stateless`),
 *   so only its replies need a rule in the other direction; the firewall itself is stateful.
 * - `protocol` is `"all"` or an IANA number (`"6"` TCP, `"17"` UDP, `"1"` ICMP, `"58"` ICMPv6);
 *   OCI rejects names such as `"tcp"`.
 * - Destination ports: security lists use FLAT `tcpOptions.min/max` (`udpOptions` likewise);
 *   NSG rules NEST them in `tcpOptions.destinationPortRange.{min,max}`. An absent options
 *   block (or one without a destination range) covers every destination port.
 * - Source port ranges (`sourcePortRange`) become `Rule.sourcePorts`: exposure still judges
 *   every destination port (a client picks its own source port), but a stateless rule from
 *   service ports only is recognised as a reply rule (OCI's documented pattern), not a flow.
 * - `SERVICE_CIDR_BLOCK` peers name an Oracle service (e.g. `all-phx-services-in-oracle-services-network`)
 *   and `NETWORK_SECURITY_GROUP` peers name an NSG: both are references, not address space.
 */
import type { Direction, Peer, Protocol, Rule } from "../model";
import { MAX_PORT, PortSet } from "../net/ports";
import { normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at } from "./read";
import type { Adapter } from "./types";

const KIND = { stateless: false, ordered: false, defaultAction: { ingress: "deny", egress: "deny" } } as const;
const FIELDS: Array<[Direction, string]> = [
    ["ingress", "ingressSecurityRules"],
    ["egress", "egressSecurityRules"],
];

/** `"all"` or an IANA protocol number (0-255) as a string; OCI takes nothing else. */
function protocol(r: Reader, obj: unknown, path: string): Protocol | undefined {
    const v = r.str(obj, "protocol", path);
    if (v === undefined) {
        r.bad(path, "is required but absent");
        return undefined;
    }
    if (v === UNKNOWN || v === BAD) return undefined;
    const t = v.trim();
    const p = /^(all|\d{1,3})$/i.test(t) ? normalizeProtocol(t) : undefined;
    if (!p) r.bad(path, `"${b.clip(v, 30)}" is not "all" or an IANA protocol number such as "6" (TCP) or "17" (UDP)`);
    return p;
}

/** Destination ports from `tcpOptions`/`udpOptions`: flat `min/max`, or nested `destinationPortRange`. */
function destinationPorts(r: Reader, obj: unknown, proto: Protocol | undefined, base: string, nested: boolean): PortSet | undefined {
    if (proto === undefined) return undefined;
    if (proto !== "tcp" && proto !== "udp") return PortSet.ALL; // "all", ICMP ...: options do not narrow
    const optKey = proto === "tcp" ? "tcpOptions" : "udpOptions";
    const optPath = at(base, optKey);
    const opts = r.obj(obj, optKey, optPath);
    if (opts === UNKNOWN || opts === BAD) return undefined;
    if (opts === undefined) return PortSet.ALL;
    let holder: unknown = opts;
    let holderPath = optPath;
    if (nested) {
        holderPath = at(optPath, "destinationPortRange");
        const range = r.obj(opts, "destinationPortRange", holderPath);
        if (range === UNKNOWN || range === BAD) return undefined;
        if (range === undefined) return PortSet.ALL;
        holder = range;
    }
    const minPath = at(holderPath, "min");
    const maxPath = at(holderPath, "max");
    const min = r.int(holder, "min", minPath);
    const max = r.int(holder, "max", maxPath);
    if (min === UNKNOWN || max === UNKNOWN || min === BAD || max === BAD) return undefined;
    if (min === undefined && max === undefined) {
        if (nested) {
            r.bad(minPath, "is required in destinationPortRange");
            return undefined;
        }
        return PortSet.ALL;
    }
    if (min === undefined || max === undefined) {
        r.bad(min === undefined ? minPath : maxPath, "is required when the other bound is set");
        return undefined;
    }
    return b.boundedRange(r, { key: "min", path: minPath, value: min }, { key: "max", path: maxPath, value: max }, 1);
}

/** `tcpOptions.sourcePortRange` / `udpOptions.sourcePortRange`, when it narrows the rule. */
function sourcePorts(r: Reader, obj: unknown, proto: Protocol | undefined, base: string): PortSet | undefined {
    if (proto !== "tcp" && proto !== "udp") return undefined;
    const optKey = proto === "tcp" ? "tcpOptions" : "udpOptions";
    const range = r.raw(r.raw(obj, optKey), "sourcePortRange");
    if (!range || typeof range !== "object") return undefined;
    const path = at(at(base, optKey), "sourcePortRange");
    const min = r.int(range, "min", at(path, "min"));
    const max = r.int(range, "max", at(path, "max"));
    if (typeof min !== "number" || typeof max !== "number" || min < 1 || max > MAX_PORT || min > max) return undefined;
    return PortSet.range(min, max);
}

/** The remote party: `source`+`sourceType` (ingress) or `destination`+`destinationType` (egress). */
function peer(r: Reader, obj: unknown, dir: Direction, base: string, nsgAllowed: boolean): Peer {
    const key = dir === "ingress" ? "source" : "destination";
    const typeKey = `${key}Type`;
    const path = at(base, key);
    const typePath = at(base, typeKey);
    const t = r.str(obj, typeKey, typePath);
    if (t === UNKNOWN || t === BAD) {
        r.str(obj, key, path);
        return { kind: "unreadable", path: typePath };
    }
    const type = (t ?? "CIDR_BLOCK").trim().toUpperCase();
    if (type === "CIDR_BLOCK") {
        return b.requiredCidrPeer(r, r.str(obj, key, path), path);
    }
    if (type === "SERVICE_CIDR_BLOCK" || (type === "NETWORK_SECURITY_GROUP" && nsgAllowed)) {
        const v = r.str(obj, key, path, true);
        if (v === undefined) {
            r.bad(path, "is required but absent");
            return { kind: "unreadable", path };
        }
        return b.refPeer(v, path, type === "SERVICE_CIDR_BLOCK" ? "Oracle service" : "network security group");
    }
    r.bad(typePath, `"${b.clip(t!, 30)}" is not one of CIDR_BLOCK, SERVICE_CIDR_BLOCK${nsgAllowed ? ", NETWORK_SECURITY_GROUP" : ""}`);
    return { kind: "unreadable", path };
}

/** One security rule (inline in a security list, or an NSG rule resource). */
function securityRule(r: Reader, o: b.Origin, obj: unknown, base: string, dir: Direction, nested: boolean): Rule {
    const mark = r.problems.length;
    const proto = protocol(r, obj, at(base, "protocol"));
    const ports = destinationPorts(r, obj, proto, base, nested);
    const p = peer(r, obj, dir, base, nested);
    const stateless = r.bool(obj, "stateless", at(base, "stateless"));
    const sports = sourcePorts(r, obj, proto, base);
    return b.rule(o, base, r.problems.slice(mark), {
        direction: dir,
        action: "allow",
        protocol: proto,
        ports,
        ...(sports ? { sourcePorts: sports } : {}),
        peers: [p],
        // Unreadable statefulness is judged stateful; the problem keeps the rule unverified.
        stateless: stateless === true,
    });
}

/** oci:Core/securityList:SecurityList and oci:Core/defaultSecurityList:DefaultSecurityList */
export const securityList: Adapter = (i) => {
    const r = new Reader();
    const { rules, present } = items.directionLists(r, i, i.props, FIELDS, (dir) => ({
        what: "a rule object",
        placeholder: () => ({ direction: dir }),
        read: (item, base) => securityRule(r, i, item, base, dir, false),
    }));
    const firewall = items.firewall(i, KIND, {
        rules,
        problems: b.problemsAt(r, ...FIELDS.map(([, f]) => f)),
        tags: b.tags(r, i.props, "freeformTags"),
        // A default security list's id is its manageDefaultResourceId: one key.
        keys: [...new Set(b.keys(r, i.props, "id", "manageDefaultResourceId"))],
    });
    return { kind: "firewall", firewall, inlineFields: present };
};

/** oci:Core/networkSecurityGroup:NetworkSecurityGroup: rules are separate resources. */
export const networkSecurityGroup: Adapter = (i) => {
    const r = new Reader();
    return items.groupOfRuleResources(i, KIND, { tags: b.tags(r, i.props, "freeformTags"), keys: b.keys(r, i.props, "id") });
};

/** oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule */
export const networkSecurityGroupSecurityRule: Adapter = (i) => {
    const r = new Reader();
    const dir = b.direction(r, i.props, "direction", "direction", { ingress: ["ingress"], egress: ["egress"] });
    let rules: Rule[];
    if (dir) {
        rules = [securityRule(r, i, i.props, "", dir, true)];
    } else {
        // Allow-only: an unreadable direction can shadow nothing; keep the rule so it is reported.
        r.str(i.props, "protocol", "protocol");
        rules = [b.rule(i, "", r.problems.slice(), { direction: "ingress", action: "allow", peers: [{ kind: "unreadable", path: "direction" }], unsure: { direction: true } })];
    }
    return items.rulesItem(i, r, KIND, "networkSecurityGroupId", "network security group", rules);
};

export const adapters: Record<string, Adapter> = {
    "oci:Core/securityList:SecurityList": securityList,
    "oci:Core/defaultSecurityList:DefaultSecurityList": securityList,
    "oci:Core/networkSecurityGroup:NetworkSecurityGroup": networkSecurityGroup,
    "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule": networkSecurityGroupSecurityRule,
};
