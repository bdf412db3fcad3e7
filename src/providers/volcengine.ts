/**
 * Volcengine (volcengine/pulumi-volcengine; no npm SDK, so programs use
 * `pulumi.CustomResource` with these tokens, or Python). What each field means, with
 * Volcengine's documentation as the source: docs/providers/volcengine.md.
 *
 * - Security groups (`vpc/securityGroup`) are stateful and ORDERED: each
 *   `vpc/securityGroupRule` has a `policy` (accept/drop, default accept) and a `priority`
 *   (1-100, default 1, lower first; a drop wins at equal priority). `protocol` tcp, udp, icmp,
 *   icmpv6 or all; `portStart`/`portEnd` with -1 meaning any port (the only value all and ICMP
 *   take); `cidrIp`, `sourceGroupId` (a reference) or `prefixListId`: when several are given
 *   only the first of them in that order takes effect (Volcengine's API), and with none the
 *   rule is malformed.
 *   Priorities may repeat (the provider's own examples give several rules priority 2), so the
 *   kind has no `uniqueOrder`.
 * - Network ACLs (`vpc/networkAcl`) carry inline `ingressAclEntries`/`egressAclEntries`
 *   (`protocol` icmp, gre, tcp, udp or all, default all; `port` "80/80" or "-1/-1", default
 *   "-1/-1"; `sourceCidrIp`/`destinationCidrIp`, `policy` default accept, `priority`),
 *   first match by priority (list position when absent), then drop. Their statefulness is
 *   not documented; the field design copies Alibaba's stateless ACLs, so they are judged
 *   stateless (the return-traffic policy's `statefulTypes` option can say otherwise).
 */
import type { Direction, Peer, Protocol, Rule } from "../model";
import { MAX_PORT, PortSet } from "../net/ports";
import { normalizeProtocol, protocolLabel } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at, type Read } from "./read";
import type { Adapter } from "./types";

const SG_KIND = { stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } } as const;
const ACL_KIND = { stateless: true, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } } as const;
const POLICY = { allow: ["accept"], deny: ["drop"] };
const PROTOCOLS = ["tcp", "udp", "icmp", "icmpv6", "all"];
/** What an ACL entry takes (the provider's schema: icmp, gre, tcp, udp, all). */
const ACL_PROTOCOLS = ["tcp", "udp", "icmp", "gre", "all"];
const ACL_FIELDS: Array<[Direction, string]> = [
    ["ingress", "ingressAclEntries"],
    ["egress", "egressAclEntries"],
];
/** Where an ACL entry names its remote addresses. */
const ACL_PEER: Record<Direction, string> = { ingress: "sourceCidrIp", egress: "destinationCidrIp" };

function protocol(r: Reader, v: Read<string>, path: string, dflt?: Protocol, allowed = PROTOCOLS): Protocol | undefined {
    if ((v === undefined || v === "") && dflt) return dflt;
    const w = b.oneOf(r, b.optional(v), path, allowed, allowed.join(", "), 30);
    return w === undefined ? undefined : normalizeProtocol(w);
}

/** `portStart`/`portEnd`; -1 is any port. TCP/UDP need a range, other protocols take only -1. */
function startEnd(r: Reader, obj: unknown, proto: Protocol | undefined): PortSet | undefined {
    const s = r.int(obj, "portStart", "portStart");
    const e = r.int(obj, "portEnd", "portEnd");
    if (s === UNKNOWN || e === UNKNOWN || s === BAD || e === BAD || proto === undefined) return undefined;
    const portful = proto === "tcp" || proto === "udp";
    if (s === undefined || e === undefined) {
        r.bad(s === undefined ? "portStart" : "portEnd", "is required but absent");
        return undefined;
    }
    if (s === -1 || e === -1) {
        if (s !== e) {
            r.bad(s === -1 ? "portEnd" : "portStart", "must be -1 too when the other bound is -1 (any port)");
            return undefined;
        }
        return PortSet.ALL;
    }
    if (!portful) {
        r.bad("portStart", `${protocolLabel(proto)} takes only -1 (any port)`);
        return undefined;
    }
    return b.boundedRange(r, { key: "portStart", path: "portStart", value: s }, { key: "portEnd", path: "portEnd", value: e }, 1);
}

/** "80/80", "1/200" or "-1/-1" (absent = "-1/-1"). */
function slashPorts(r: Reader, value: Read<string>, path: string, proto: Protocol | undefined): PortSet | undefined {
    if (value === UNKNOWN || value === BAD) return undefined;
    const text = value === undefined || value === "" ? "-1/-1" : value.trim();
    if (text === "-1/-1") return PortSet.ALL;
    const m = /^(\d{1,5})\/(\d{1,5})$/.exec(text);
    if (!m || Number(m[1]) < 1 || Number(m[2]) > MAX_PORT || Number(m[1]) > Number(m[2])) {
        r.bad(path, `"${b.clip(text, 30)}" is not a port range such as "80/80", "1/200" or "-1/-1"`);
        return undefined;
    }
    if (proto !== undefined && proto !== "tcp" && proto !== "udp") {
        r.bad(path, `"${text}": ${protocolLabel(proto)} takes only "-1/-1"`);
        return undefined;
    }
    return PortSet.range(Number(m[1]), Number(m[2]));
}

/** volcengine:vpc/securityGroup:SecurityGroup: rules are separate resources. */
export const securityGroup: Adapter = (i) => {
    const r = new Reader();
    return items.groupOfRuleResources(i, SG_KIND, { tags: b.tags(r, i.props), keys: b.keys(r, i.props, "id") });
};

/** volcengine:vpc/securityGroupRule:SecurityGroupRule */
export const securityGroupRule: Adapter = (i) => {
    const r = new Reader();
    const dir = b.direction(r, i.props, "direction", "direction", { ingress: ["ingress"], egress: ["egress"] });
    const act = b.action(r, i.props, "policy", "policy", POLICY, "allow");
    const proto = protocol(r, r.str(i.props, "protocol", "protocol"), "protocol");
    const ports = startEnd(r, i.props, proto);
    const order = b.priorityOrder(r, i.props, "priority", 1, 100, 1);
    const peers: Peer[] = [];
    // One source takes effect: CidrIp, else SourceGroupId, else PrefixListId (Volcengine's API:
    // "若传入多个，仅生效一个，生效的优先级为CidrIp > SourceGroupId > PrefixListId").
    const cidr = r.str(i.props, "cidrIp", "cidrIp");
    if (cidr !== undefined && cidr !== "") peers.push(b.cidrPeer(r, cidr, "cidrIp"));
    const grp = r.str(i.props, "sourceGroupId", "sourceGroupId", true);
    if (peers.length === 0 && grp !== undefined && grp !== "") peers.push(b.refPeer(grp, "sourceGroupId", "security group"));
    const pl = r.str(i.props, "prefixListId", "prefixListId", true);
    if (peers.length === 0 && pl !== undefined && pl !== "") peers.push(pl === BAD ? { kind: "unreadable", path: "prefixListId" } : { kind: "prefix-list", id: pl === UNKNOWN ? "" : pl, path: "prefixListId" });
    if (peers.length === 0) {
        r.bad("cidrIp", "is absent, and so are sourceGroupId and prefixListId: Volcengine needs one of them");
        peers.push({ kind: "unreadable", path: "cidrIp" });
    }
    const unsure = { action: act === undefined, order: order === undefined };
    const rules = b.ruleInDirection(i, r.problems.slice(), dir, "direction", { action: act ?? "allow", protocol: proto, ports, peers, order, unsure });
    return items.rulesItem(i, r, SG_KIND, "securityGroupId", "security group", rules);
};

function aclEntry(r: Reader, o: b.Origin, item: Record<string, unknown>, p: string, dir: Direction, k: number, peerKey: string): Rule {
    const mark = r.problems.length;
    const act = b.action(r, item, "policy", at(p, "policy"), POLICY, "allow");
    const proto = protocol(r, r.str(item, "protocol", at(p, "protocol")), at(p, "protocol"), "all", ACL_PROTOCOLS);
    const ports = slashPorts(r, r.str(item, "port", at(p, "port")), at(p, "port"), proto);
    const pp = at(p, peerKey);
    const peer = b.requiredCidrPeer(r, b.optional(r.str(item, peerKey, pp)), pp);
    // Priority when given, else list position (1-based, like the priorities).
    const order = b.priorityOrder(r, item, at(p, "priority"), 1, 100, k + 1);
    return b.rule(o, p, r.problems.slice(mark), {
        direction: dir,
        action: act ?? "allow",
        protocol: proto,
        ports,
        peers: [peer],
        order,
        unsure: act === undefined || order === undefined ? { action: act === undefined, order: order === undefined } : undefined,
    });
}

/** volcengine:vpc/networkAcl:NetworkAcl (judged stateless; priority order; final drop). */
export const networkAcl: Adapter = (i) => {
    const r = new Reader();
    const { rules, present } = items.directionLists(r, i, i.props, ACL_FIELDS, (dir) => ({
        what: "an entry object",
        // Its position (1-based, like the priorities) is known; its action, which may be a drop, is not.
        placeholder: (k) => ({ direction: dir, order: k + 1, unsure: { action: true } }),
        read: (item, p, k) => aclEntry(r, i, item, p, dir, k, ACL_PEER[dir]),
    }));
    const firewall = items.firewall(i, ACL_KIND, {
        rules,
        problems: b.problemsAt(r, ...ACL_FIELDS.map(([, f]) => f)),
        tags: b.tags(r, i.props),
        keys: b.keys(r, i.props, "id"),
    });
    return { kind: "firewall", firewall, inlineFields: present };
};

export const adapters: Record<string, Adapter> = {
    "volcengine:vpc/securityGroup:SecurityGroup": securityGroup,
    "volcengine:vpc/securityGroupRule:SecurityGroupRule": securityGroupRule,
    "volcengine:vpc/networkAcl:NetworkAcl": networkAcl,
};
