/**
 * Huawei Cloud (huaweicloud/pulumi-huaweicloud; no npm SDK, so programs use
 * `pulumi.CustomResource` with these tokens, or Python). What each field means, with Huawei
 * Cloud's documentation as the source: docs/providers/huaweicloud.md.
 *
 * - Security groups (`Vpc/secgroup`) are stateful and ORDERED: each `Vpc/secgroupRule` has an
 *   `action` (allow/deny, default allow) and a `priority` (1-100, default 1, lower first; a
 *   deny wins at equal priority). Rules follow Neutron's shape: `direction`, `ethertype`
 *   (IPv4/IPv6), `protocol` (absent = every protocol), ports as `ports` ("80", "1-30",
 *   "22,3389,80") or `portRangeMin`/`portRangeMax` (absent = every port), and
 *   `remoteIpPrefix` / `remoteGroupId` / `remoteAddressGroupId` (one at most: Huawei refuses a
 *   rule with two, so the second is malformed); with none of them the rule matches ANY
 *   address of its ethertype (0.0.0.0/0 or ::/0). Ports are 1-65535. Priorities may repeat
 *   (a deny wins at equal priority), so the kind has no `uniqueOrder`.
 * - Unless `deleteDefaultRules` is set, Huawei adds rules allowing everything out (IPv4 and
 *   IPv6) and everything in from the group itself: those are implicit rules, placed at the
 *   lowest priority (100) so the user's rules decide first.
 * - Network ACLs (`Vpc/networkAcl`) carry inline `ingressRules`/`egressRules`, first match in
 *   list order, then deny. They are STATEFUL per Huawei's documentation (replies of allowed
 *   flows pass), so the return-traffic check does not apply to them. An ingress rule's
 *   `destinationIpAddress` and `sourcePort` (an egress rule's `sourceIpAddress`) narrow it to
 *   part of the traffic: they are its `scope`. `enabled: false` turns every rule off.
 */
import type { Direction, Peer, Protocol, Rule } from "../model";
import { AddressSet, type Family } from "../net/addresses";
import { MAX_PORT, PortSet } from "../net/ports";
import { normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at, type Read } from "./read";
import type { Adapter } from "./types";

const SG_KIND = { stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } } as const;
const ACL_KIND = { stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } } as const;
const ACTIONS = { allow: ["allow"], deny: ["deny"] };
const ACL_FIELDS: Array<[Direction, string]> = [
    ["ingress", "ingressRules"],
    ["egress", "egressRules"],
];
/** Where Huawei's default rules sit: after every user rule. */
const DEFAULT_RULE_ORDER = 100;

/** A protocol name or number; `any`/absent = every protocol. */
function protocol(r: Reader, v: Read<string>, path: string, required: boolean): Protocol | undefined {
    if (v === undefined || v === "") {
        if (!required) return "all";
        r.bad(path, "is required but absent");
        return undefined;
    }
    if (v === UNKNOWN || v === BAD) return undefined;
    const p = normalizeProtocol(v);
    if (!p) r.bad(path, `"${b.clip(v, 30)}" is not one of tcp, udp, icmp, icmpv6, any or a protocol number`);
    return p;
}

/** A Huawei port string: "80", "1-30", "22,3389,80" (1-65535). */
function portList(r: Reader, v: string, path: string): PortSet | undefined {
    const set = b.portString(r, v, path, { listSep: ",", all: ["any", "all"] });
    if (set && !set.isAll && (set.min === 0 || set.spans.some(([, hi]) => hi > MAX_PORT))) {
        r.bad(path, `"${b.clip(v, 30)}" includes port 0; ports are 1-${MAX_PORT}`);
        return undefined;
    }
    return set;
}

// ---------------------------------------------------------------------------------------------
// Security groups

/** huaweicloud:Vpc/secgroup:Secgroup: rules are separate resources; default rules are implicit. */
export const secgroup: Adapter = (i) => {
    const r = new Reader();
    const del = r.bool(i.props, "deleteDefaultRules", "deleteDefaultRules");
    const implicit: Rule[] =
        del === true
            ? []
            : (["ipv4", "ipv6"] as const).flatMap((f) => [
                  b.rule(i, "deleteDefaultRules", [], { direction: "egress", action: "allow", protocol: "all", ports: PortSet.ALL, peers: [b.anyOfFamily(f, "deleteDefaultRules", "a default rule")], order: DEFAULT_RULE_ORDER }),
                  b.rule(i, "deleteDefaultRules", [], {
                      direction: "ingress",
                      action: "allow",
                      protocol: "all",
                      ports: PortSet.ALL,
                      peers: [{ kind: "reference", refKind: "security group", ref: "self", path: "deleteDefaultRules" }],
                      order: DEFAULT_RULE_ORDER,
                  }),
              ]);
    return items.groupOfRuleResources(i, SG_KIND, { implicitRules: implicit, tags: b.tags(r, i.props), keys: b.keys(r, i.props, "id") });
};

/** `ports`, or `portRangeMin`/`portRangeMax` (not both); absent = every port. */
function ruleports(r: Reader, props: unknown, proto: Protocol | undefined): PortSet | undefined {
    const list = r.str(props, "ports", "ports");
    const min = r.int(props, "portRangeMin", "portRangeMin");
    const max = r.int(props, "portRangeMax", "portRangeMax");
    if (proto === undefined) return undefined;
    const given = (list !== undefined && list !== "") || min !== undefined || max !== undefined;
    if (proto !== "tcp" && proto !== "udp" && proto !== "all") return PortSet.ALL; // ICMP type/code
    if (!given) return PortSet.ALL;
    if (proto === "all") {
        r.bad(list !== undefined ? "ports" : min !== undefined ? "portRangeMin" : "portRangeMax", "needs a protocol: Huawei takes ports only with tcp or udp");
        return undefined;
    }
    if (list !== undefined && list !== "" && (min !== undefined || max !== undefined)) {
        r.bad("ports", "cannot be combined with portRangeMin/portRangeMax");
        return undefined;
    }
    if (list !== undefined && list !== "") return list === UNKNOWN || list === BAD ? undefined : portList(r, list, "ports");
    if (min === UNKNOWN || max === UNKNOWN || min === BAD || max === BAD) return undefined;
    // Huawei takes ports 1-65535 (port 0 is refused); one bound alone is that single port.
    return b.boundedRange(r, { key: "portRangeMin", path: "portRangeMin", value: min }, { key: "portRangeMax", path: "portRangeMax", value: max }, 1);
}

/** huaweicloud:Vpc/secgroupRule:SecgroupRule */
export const secgroupRule: Adapter = (i) => {
    const r = new Reader();
    const dir = b.direction(r, i.props, "direction", "direction", { ingress: ["ingress"], egress: ["egress"] });
    const family = b.oneOf(r, r.str(i.props, "ethertype", "ethertype"), "ethertype", ["ipv4", "ipv6"], "IPv4, IPv6", 30);
    const act = b.action(r, i.props, "action", "action", ACTIONS, "allow");
    const proto = protocol(r, r.str(i.props, "protocol", "protocol"), "protocol", false);
    const ports = ruleports(r, i.props, proto);
    const order = b.priorityOrder(r, i.props, "priority", 1, 100, 1);
    const peers: Peer[] = [];
    const prefix = r.str(i.props, "remoteIpPrefix", "remoteIpPrefix");
    if (prefix !== undefined && prefix !== "") peers.push(b.cidrPeer(r, prefix, "remoteIpPrefix", family));
    for (const [key, kind] of [
        ["remoteGroupId", "security group"],
        ["remoteAddressGroupId", "address group"],
    ] as const) {
        const v = r.str(i.props, key, key, true);
        if (v === undefined || v === "") continue;
        peers.push(b.refPeer(v, key, kind));
    }
    // remoteIpPrefix, remoteGroupId and remoteAddressGroupId exclude one another (Huawei's API).
    for (const p of peers.slice(1)) r.bad(p.path, `cannot be combined with ${peers[0].path}: Huawei Cloud takes one remote per rule (remoteIpPrefix, remoteGroupId or remoteAddressGroupId)`);
    if (peers.length === 0) peers.push(family ? b.anyOfFamily(family, "remoteIpPrefix", "no remote given") : { kind: "unreadable", path: "ethertype" });
    const unsure = { action: act === undefined, order: order === undefined };
    const rules = b.ruleInDirection(i, r.problems.slice(), dir, "direction", { action: act ?? "allow", protocol: proto, ports, peers, order, unsure });
    return items.rulesItem(i, r, SG_KIND, "securityGroupId", "security group", rules);
};

// ---------------------------------------------------------------------------------------------
// Network ACLs

function aclRule(r: Reader, o: b.Origin, item: Record<string, unknown>, p: string, dir: Direction, k: number, disabled: boolean): Rule {
    const mark = r.problems.length;
    const act = b.action(r, item, "action", at(p, "action"), ACTIONS);
    const proto = protocol(r, r.str(item, "protocol", at(p, "protocol")), at(p, "protocol"), true);
    const dp = r.str(item, "destinationPort", at(p, "destinationPort"));
    let ports: PortSet | undefined;
    if (proto !== undefined && proto !== "tcp" && proto !== "udp") ports = PortSet.ALL;
    else if (dp === UNKNOWN || dp === BAD) ports = undefined;
    else ports = dp === undefined || dp === "" ? PortSet.ALL : portList(r, dp, at(p, "destinationPort"));
    let family: Family | undefined;
    const ver = r.int(item, "ipVersion", at(p, "ipVersion"));
    if (ver === undefined || ver === 4) family = "ipv4";
    else if (ver === 6) family = "ipv6";
    else if (typeof ver === "number") r.bad(at(p, "ipVersion"), `${ver} is not 4 or 6`);
    const remoteKey = dir === "ingress" ? "sourceIpAddress" : "destinationIpAddress";
    const localKey = dir === "ingress" ? "destinationIpAddress" : "sourceIpAddress";
    const groupKey = dir === "ingress" ? "sourceIpAddressGroupId" : "destinationIpAddressGroupId";
    const peers: Peer[] = [];
    const remote = r.str(item, remoteKey, at(p, remoteKey));
    if (remote !== undefined && remote !== "") peers.push(b.cidrPeer(r, remote, at(p, remoteKey), family));
    const grp = r.str(item, groupKey, at(p, groupKey), true);
    if (grp !== undefined && grp !== "") peers.push(b.refPeer(grp, at(p, groupKey), "address group"));
    if (peers.length === 0) peers.push(family ? b.anyOfFamily(family, at(p, remoteKey), `no ${remoteKey} given`) : { kind: "unreadable", path: at(p, "ipVersion") });
    // Local destinations (ingress) / sources (egress) and source ports narrow the rule.
    const scope: string[] = [];
    const local = r.str(item, localKey, at(p, localKey));
    if (typeof local === "string" && local !== "") {
        const peer = b.cidrPeer(r, local, at(p, localKey), family);
        if (peer.kind === "addresses" && !peer.set.covers(family === "ipv6" ? AddressSet.ALL_V6 : AddressSet.ALL_V4)) scope.push(`local=${peer.set.key()}`);
    } else if (local === UNKNOWN || local === BAD) scope.push("local=?");
    const localGroup = r.str(item, dir === "ingress" ? "destinationIpAddressGroupId" : "sourceIpAddressGroupId", at(p, dir === "ingress" ? "destinationIpAddressGroupId" : "sourceIpAddressGroupId"), true);
    if (localGroup !== undefined && localGroup !== "") scope.push(`localGroup=${typeof localGroup === "string" ? localGroup : "?"}`);
    const sp = r.str(item, "sourcePort", at(p, "sourcePort"));
    if (typeof sp === "string" && sp !== "") {
        const s = portList(r, sp, at(p, "sourcePort"));
        if (!s?.isAll) scope.push(`sport=${s ? s.toString() : "?"}`);
    } else if (sp === UNKNOWN || sp === BAD) scope.push("sport=?");
    return b.rule(o, p, r.problems.slice(mark), {
        direction: dir,
        action: act ?? "allow",
        protocol: proto,
        ports,
        peers,
        order: k,
        disabled: disabled || undefined,
        scope: scope.length ? scope.join(";") : undefined,
        unsure: act === undefined ? { action: true } : undefined,
    });
}

/** huaweicloud:Vpc/networkAcl:NetworkAcl (stateful per Huawei; list order; final deny). */
export const networkAcl: Adapter = (i) => {
    const r = new Reader();
    const enabled = r.bool(i.props, "enabled", "enabled");
    const disabled = enabled === false;
    const { rules, present } = items.directionLists(r, i, i.props, ACL_FIELDS, (dir) => ({
        what: "a rule object",
        placeholder: (k) => ({ direction: dir, order: k, disabled: disabled || undefined, unsure: { action: true } }),
        read: (item, p, k) => aclRule(r, i, item, p, dir, k, disabled),
    }));
    // A disabled ACL filters nothing.
    const kind = disabled ? { ...ACL_KIND, defaultAction: { ingress: "allow", egress: "allow" } as const } : ACL_KIND;
    const firewall = items.firewall(i, kind, {
        rules,
        problems: b.problemsAt(r, "enabled", ...ACL_FIELDS.map(([, f]) => f)),
        tags: b.tags(r, i.props),
        keys: b.keys(r, i.props, "id"),
    });
    return { kind: "firewall", firewall, inlineFields: present };
};

export const adapters: Record<string, Adapter> = {
    "huaweicloud:Vpc/secgroup:Secgroup": secgroup,
    "huaweicloud:Vpc/secgroupRule:SecgroupRule": secgroupRule,
    "huaweicloud:Vpc/networkAcl:NetworkAcl": networkAcl,
};
