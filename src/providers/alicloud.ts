/**
 * Alibaba Cloud (@pulumi/alicloud). Types, fields and what an omitted field means:
 * docs/providers/alicloud.md.
 *
 * - Security groups are stateful, but ORDERED: every rule has a `priority` (1-100, default 1,
 *   lower first) and a `policy` (accept/drop, default accept); at equal priority a drop wins,
 *   so priorities may repeat (no `uniqueOrder`). A priority outside 1-100 is refused: such a
 *   drop shadows nothing. A rule names exactly one source (`cidrIp`, `ipv6CidrIp`,
 *   `sourceSecurityGroupId`, or `prefixListId` alone); `cidrIp` with `ipv6CidrIp` or with
 *   `sourceSecurityGroupId` is malformed.
 *   The group itself (`ecs/securityGroup`) declares no rules; they are separate
 *   `ecs/securityGroupRule` resources. Outbound traffic no rule matches is allowed.
 * - Network ACLs (`vpc/networkAcl`) are stateless: list position is the priority, first match
 *   wins, and traffic no entry matches is dropped (an ACL without entries drops everything).
 *   The deprecated `vpc/networkAclEntries` holds the entries of an ACL declared elsewhere.
 * - Ports are written `"22/22"`, `"1/65535"`, and `"-1/-1"` for "no port restriction", which
 *   is the only value `all`, `icmp` and `gre` take, and which TCP and UDP reject.
 * - ECS and VPC prefix lists resolve `prefixListId` / `pl-...` peers when they are in the stack.
 */
import type { Direction, Peer, Protocol, Rule } from "../model";
import { MAX_PORT, PortSet } from "../net/ports";
import { protocolLabel } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at, type Read } from "./read";
import type { Adapter } from "./types";

const SG_KIND = { stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "allow" } } as const;
const ACL_KIND = { stateless: true, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } } as const;

const POLICY = { allow: ["accept"], deny: ["drop"] };
const ACL_FIELDS: Array<[Direction, string]> = [
    ["ingress", "ingressAclEntries"],
    ["egress", "egressAclEntries"],
];
/** The entry lists of the deprecated NetworkAclEntries. */
const DEPRECATED_ACL_FIELDS: Array<[Direction, string]> = [
    ["ingress", "ingresses"],
    ["egress", "egresses"],
];
const DIRECTION = { ingress: ["ingress"], egress: ["egress"] };

/**
 * `"22/22"`, `"1/65535"` or `"-1/-1"`. Absent means `"-1/-1"`. TCP and UDP need a real range
 * (1-65535); every other protocol takes only `"-1/-1"` (Alibaba rejects anything else).
 */
export function slashPorts(r: Reader, value: Read<string>, path: string, proto: Protocol | undefined): PortSet | undefined {
    if (value === UNKNOWN || value === BAD) return undefined;
    const text = value === undefined ? "-1/-1" : value.trim();
    const portful = proto === "tcp" || proto === "udp";
    if (text === "-1/-1") {
        if (!portful) return PortSet.ALL;
        r.bad(path, value === undefined ? `is required for ${protocolLabel(proto)} (e.g. "22/22"); its default "-1/-1" is only valid for all, icmp and gre` : `"-1/-1" is only valid for all, icmp and gre; ${protocolLabel(proto)} needs a range such as "1/65535"`);
        return undefined;
    }
    const m = /^(\d{1,5})\/(\d{1,5})$/.exec(text);
    if (!m) {
        r.bad(path, `"${b.clip(text, 30)}" is not a port range such as "22/22", "1/65535" or "-1/-1"`);
        return undefined;
    }
    const lo = Number(m[1]);
    const hi = Number(m[2]);
    if (lo < 1 || hi > MAX_PORT || lo > hi) {
        r.bad(path, `"${text}" is not a range inside 1-${MAX_PORT}`);
        return undefined;
    }
    if (proto !== undefined && !portful) {
        r.bad(path, `"${text}" is only valid for TCP and UDP; ${protocolLabel(proto)} takes "-1/-1"`);
        return undefined;
    }
    return PortSet.range(lo, hi);
}

/** A prefix-list peer from a string field. */
function prefixListPeer(r: Reader, obj: unknown, key: string, path: string): Peer | undefined {
    const v = r.str(obj, key, path, true);
    if (v === undefined) return undefined;
    if (v === BAD) return { kind: "unreadable", path };
    return { kind: "prefix-list", id: v === UNKNOWN ? "" : v, path };
}

// ---------------------------------------------------------------------------------------------
// Security groups

/**
 * alicloud:ecs/securityGroup:SecurityGroup: no inline rules, so alone it is a fragment
 * (`rulesElsewhere`); its keys let the separate rules join it in the stack.
 */
export const securityGroup: Adapter = (i) => {
    const r = new Reader();
    return items.groupOfRuleResources(i, SG_KIND, { tags: b.tags(r, i.props), keys: b.keys(r, i.props, "id") });
};

/**
 * alicloud:ecs/securityGroupRule:SecurityGroupRule
 *
 * `nicType`: in a classic network, an `intranet` rule only filters the internal NIC, so only
 * internal (classic-network) addresses reach it. portguard does not narrow the sources by
 * nicType, on purpose: a rule cannot tell a classic group from a VPC group, VPC groups accept
 * only `intranet`, and in a VPC the intranet rules are the ones that filter traffic from the
 * internet (EIPs and NAT arrive on the private NIC). Narrowing would hide real exposure in
 * every VPC; keeping the declared sources over-reports only legacy classic groups, whose
 * internal network is shared with other tenants of the region anyway. The value is still
 * checked, since Alibaba rejects anything but `internet` and `intranet`.
 */
export const securityGroupRule: Adapter = (i) => {
    const r = new Reader();
    const dir = b.direction(r, i.props, "type", "type", DIRECTION);
    const act = b.action(r, i.props, "policy", "policy", POLICY, "allow");
    const proto = b.protocol(r, i.props, "ipProtocol", "ipProtocol");
    const ports = slashPorts(r, r.str(i.props, "portRange", "portRange"), "portRange", proto);
    const order = b.priorityOrder(r, i.props, "priority", 1, 100, 1);
    const nic = r.str(i.props, "nicType", "nicType");
    if (typeof nic === "string") b.oneOf(r, nic, "nicType", ["internet", "intranet"], "internet, intranet", 30);

    const peers: Peer[] = [];
    const v4 = b.optional(r.str(i.props, "cidrIp", "cidrIp"));
    if (v4 !== undefined) peers.push(b.cidrPeer(r, v4, "cidrIp", "ipv4"));
    const v6 = b.optional(r.str(i.props, "ipv6CidrIp", "ipv6CidrIp"));
    if (v6 !== undefined) peers.push(b.cidrPeer(r, v6, "ipv6CidrIp", "ipv6"));
    const sg = b.optional(r.str(i.props, "sourceSecurityGroupId", "sourceSecurityGroupId", true));
    if (sg !== undefined) peers.push(b.refPeer(sg, "sourceSecurityGroupId", "security group"));
    // The API takes one source; the provider refuses cidrIp together with ipv6CidrIp or sourceSecurityGroupId.
    if (v4 !== undefined && v6 !== undefined) r.bad("ipv6CidrIp", "cannot be set together with cidrIp: a rule takes one source");
    if (v4 !== undefined && sg !== undefined) r.bad("sourceSecurityGroupId", "cannot be set together with cidrIp: a rule takes one source");
    // Alibaba ignores prefixListId when a CIDR or a source group is given.
    if (peers.length === 0) {
        const pl = prefixListPeer(r, i.props, "prefixListId", "prefixListId");
        if (pl) peers.push(pl);
    }
    if (peers.length === 0) {
        r.bad("cidrIp", "is absent, and so are ipv6CidrIp, sourceSecurityGroupId and prefixListId: Alibaba needs one of them");
        peers.push({ kind: "unreadable", path: "cidrIp" });
    }

    const unsure = { action: act === undefined, order: order === undefined };
    const rules = b.ruleInDirection(i, r.problems.slice(), dir, "type", { action: act ?? "allow", protocol: proto, ports, peers, order, unsure });
    return items.rulesItem(i, r, SG_KIND, "securityGroupId", "security group", rules, { tags: b.tags(r, i.props) });
};

// ---------------------------------------------------------------------------------------------
// Network ACLs

/** Where an ACL entry names its remote addresses. */
const ACL_PEER: Record<Direction, string> = { ingress: "sourceCidrIp", egress: "destinationCidrIp" };

/** ACL entry lists: list position is the priority, and an element that is not an entry may be a drop. */
function aclEntries(r: Reader, o: b.Origin): (dir: Direction) => items.EntrySpec {
    return (dir) => ({
        what: "an entry object",
        placeholder: (k) => ({ direction: dir, order: k, unsure: { action: true } }),
        read: (item, p, k) => aclEntry(r, o, item, p, dir, ACL_PEER[dir], k),
    });
}

function aclEntry(r: Reader, o: b.Origin, item: unknown, p: string, dir: Direction, peerKey: string, order: number): Rule {
    const mark = r.problems.length;
    const act = b.action(r, item, "policy", at(p, "policy"), POLICY, "allow");
    const proto = b.protocol(r, item, "protocol", at(p, "protocol"));
    const ports = slashPorts(r, r.str(item, "port", at(p, "port")), at(p, "port"), proto);
    // Absent: the CIDR itself says which family.
    const ver = r.str(item, "ipVersion", at(p, "ipVersion"));
    const family = typeof ver === "string" ? b.oneOf(r, ver, at(p, "ipVersion"), ["ipv4", "ipv6"], "IPv4, IPv6", 30) : undefined;
    const pp = at(p, peerKey);
    const cidr = r.str(item, peerKey, pp);
    const peer: Peer = typeof cidr === "string" && /^pl-/i.test(cidr.trim()) ? { kind: "prefix-list", id: cidr.trim(), path: pp } : b.requiredCidrPeer(r, cidr, pp, family);
    return b.rule(o, p, r.problems.slice(mark), { direction: dir, action: act ?? "allow", protocol: proto, ports, peers: [peer], order, unsure: { action: act === undefined } });
}

/** alicloud:vpc/networkAcl:NetworkAcl (stateless; list position is the priority). */
export const networkAcl: Adapter = (i) => {
    const r = new Reader();
    const { rules, present } = items.directionLists(r, i, i.props, ACL_FIELDS, aclEntries(r, i));
    const firewall = items.firewall(i, ACL_KIND, {
        rules,
        problems: b.problemsAt(r, ...ACL_FIELDS.map(([, f]) => f)),
        tags: b.tags(r, i.props),
        keys: b.keys(r, i.props, "id"),
    });
    return { kind: "firewall", firewall, inlineFields: present };
};

/** alicloud:vpc/networkAclEntries:NetworkAclEntries (deprecated): the entries of an ACL, in list order. */
export const networkAclEntries: Adapter = (i) => {
    const r = new Reader();
    const { rules } = items.directionLists(r, i, i.props, DEPRECATED_ACL_FIELDS, aclEntries(r, i));
    const problems = b.problemsAt(r, ...DEPRECATED_ACL_FIELDS.map(([, f]) => f));
    return items.rulesItem(i, r, ACL_KIND, "networkAclId", "network ACL", rules, { problems, tags: b.tags(r, i.props) });
};

// ---------------------------------------------------------------------------------------------
// Prefix lists

function prefixList(entriesKey: string): Adapter {
    return (i) => {
        const r = new Reader();
        return items.prefixList(i, r, entriesKey, b.keys(r, i.props, "id"));
    };
}

export const adapters: Record<string, Adapter> = {
    "alicloud:ecs/securityGroup:SecurityGroup": securityGroup,
    "alicloud:ecs/securityGroupRule:SecurityGroupRule": securityGroupRule,
    "alicloud:vpc/networkAcl:NetworkAcl": networkAcl,
    "alicloud:vpc/networkAclEntries:NetworkAclEntries": networkAclEntries,
    "alicloud:ecs/ecsPrefixList:EcsPrefixList": prefixList("entries"),
    "alicloud:vpc/prefixList:PrefixList": prefixList("entrys"),
};
