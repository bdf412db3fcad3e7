/**
 * QingCloud (青云), the seed document's own cloud, through Pulumi's "any Terraform provider"
 * bridge (`pulumi package add terraform-provider yunify/qingcloud`): there is no npm SDK, the
 * generated one is local, and programs may equally use `pulumi.CustomResource` with the tokens.
 * Shapes (docs/providers/qingcloud.md), read from the provider's schema
 * (qingcloud/resource_qingcloud_security_group_rule.go) and QingCloud's documentation
 * (API AddSecurityGroupRules; 安全组 > 添加安全组规则).
 *
 * `qingcloud:index/securityGroup:SecurityGroup` declares no rules. Each rule is a
 * `qingcloud:index/securityGroupRule:SecurityGroupRule`:
 *
 * | field           | meaning                                                                  |
 * |-----------------|--------------------------------------------------------------------------|
 * | securityGroupId | the group (required)                                                     |
 * | direction       | a NUMBER: 0 = inbound (下行, the default), 1 = outbound (上行)           |
 * | priority        | 0-100, 0 is the HIGHEST (evaluated first); default 0                     |
 * | action          | accept or drop (required)                                                |
 * | protocol        | tcp, udp, icmp, gre, esp, ah or ipip (required)                          |
 * | fromPort/toPort | STRINGS (API val1/val2): start and end port for tcp/udp, ICMP type and   |
 * |                 | code for icmp; unused by the other protocols                             |
 * | cidrBlock       | the remote addresses (API val3); empty or absent means ANY address       |
 *
 * Semantics, as portguard models them:
 * - Stateful: replies of an allowed flow pass both ways.
 * - Ordered: rules are matched by priority, first match wins. At equal priority QingCloud's
 *   guides disagree: one says the drop wins ("如果两个安全组规则其他都相同只有行为不同，则拒绝
 *   生效"), the copy published for its Shanhe platform that the pair takes effect at random
 *   ("目前是随机生效"). A drop is therefore never certain to beat an accept of its own priority:
 *   it is ordered just after the accepts of that priority (priority + 0.5) and before those of
 *   the next, so it shadows only accepts of a larger priority number and never lowers a
 *   verdict on one of its own.
 * - Unmatched inbound traffic is dropped; unmatched outbound traffic is allowed ("上行规则和端口
 *   默认放行"), so outbound rules only matter together with drops.
 * - tcp/udp ports: both absent (or empty strings, which the provider does not send) mean every
 *   port; a `fromPort` alone is that single port (the API's own example sends val1=22, val2
 *   empty); a `toPort` alone likewise. Ports are 0-65535 (the provider's PortRegex).
 * - An empty `cidrBlock` is ANY address, IPv4 and IPv6 alike ("不填表示所有IP地址").
 */
import type { Direction, Peer, Protocol } from "../model";
import { AddressSet } from "../net/addresses";
import { MAX_PORT, PortSet } from "../net/ports";
import { normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, type Read } from "./read";
import type { Adapter } from "./types";

/** The group's kind: stateful, ordered by priority, inbound default drop, outbound default accept. */
const KIND = { stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "allow" } } as const;
const ACTIONS = { allow: ["accept"], deny: ["drop"] };
/** The protocols the provider's schema accepts (withinArrayString). */
const PROTOCOLS = ["tcp", "udp", "icmp", "gre", "esp", "ah", "ipip"] as const;
/** direction numbers. */
const DIRECTIONS: Record<number, Direction> = { 0: "ingress", 1: "egress" };

/** `direction`: 0 (inbound, default) or 1 (outbound); numeric strings are accepted. */
function direction(r: Reader, props: unknown): Direction | undefined {
    const d = r.int(props, "direction", "direction");
    if (d === undefined) return "ingress";
    if (d === UNKNOWN || d === BAD) return undefined;
    const dir = DIRECTIONS[d];
    if (!dir) r.bad("direction", `${d} is not 0 (inbound) or 1 (outbound)`);
    return dir;
}

/** `priority`: 0-100, 0 first; default 0. */
function priority(r: Reader, props: unknown): number | undefined {
    const p = r.int(props, "priority", "priority");
    if (p === undefined) return 0;
    if (p === UNKNOWN || p === BAD) return undefined;
    if (p < 0 || p > 100) {
        r.bad("priority", `priority ${p} is outside 0-100`);
        return undefined;
    }
    return p;
}

/** `protocol`: one of the provider's seven (required). */
function protocol(r: Reader, props: unknown): Protocol | undefined {
    const w = b.oneOf(r, b.optional(r.str(props, "protocol", "protocol")), "protocol", PROTOCOLS, PROTOCOLS.join(", "), 30);
    return w === undefined ? undefined : normalizeProtocol(w);
}

/** One port string (`fromPort`/`toPort`): digits 0-65535; "" or absent = not given. */
function portField(r: Reader, v: Read<string>, path: string): number | undefined | typeof BAD | typeof UNKNOWN {
    if (v === undefined) return undefined;
    if (v === UNKNOWN || v === BAD) return v;
    const t = v.trim();
    if (t === "") return undefined;
    if (!/^\d{1,5}$/.test(t) || Number(t) > MAX_PORT) return r.bad(path, `"${b.clip(v, 30)}" is not a port 0-${MAX_PORT}`);
    return Number(t);
}

/** Destination ports of a tcp/udp rule; other protocols carry none (icmp's are type/code). */
function ports(r: Reader, props: unknown, proto: Protocol | undefined): PortSet | undefined {
    const fromRaw = r.str(props, "fromPort", "fromPort");
    const toRaw = r.str(props, "toPort", "toPort");
    if (proto === undefined) return undefined;
    if (proto !== "tcp" && proto !== "udp") return PortSet.ALL;
    const from = portField(r, fromRaw, "fromPort");
    const to = portField(r, toRaw, "toPort");
    if (from === UNKNOWN || to === UNKNOWN || from === BAD || to === BAD) return undefined;
    // Both absent: every port; one alone: that port (portField kept both within 0-65535).
    return b.boundedRange(r, { key: "fromPort", path: "fromPort", value: from }, { key: "toPort", path: "toPort", value: to }, 0);
}

/** `cidrBlock`: a CIDR (IPv4 or IPv6); empty or absent = ANY address. */
function peer(r: Reader, props: unknown): Peer {
    const v = r.str(props, "cidrBlock", "cidrBlock");
    if (v === undefined || (typeof v === "string" && v.trim() === "")) {
        return { kind: "addresses", set: AddressSet.ALL, text: "any address (empty cidrBlock)", path: "cidrBlock" };
    }
    return b.cidrPeer(r, v, "cidrBlock");
}

/** qingcloud:index/securityGroup:SecurityGroup: the group; its rules are separate resources. */
export const securityGroup: Adapter = (i) => {
    const r = new Reader();
    return items.groupOfRuleResources(i, KIND, { tags: b.tags(r, i.props), keys: b.keys(r, i.props, "id") });
};

/** qingcloud:index/securityGroupRule:SecurityGroupRule: one rule of a group. */
export const securityGroupRule: Adapter = (i) => {
    const r = new Reader();
    const dir = direction(r, i.props);
    const act = b.action(r, i.props, "action", "action", ACTIONS);
    const proto = protocol(r, i.props);
    const p = ports(r, i.props, proto);
    const order = priority(r, i.props);
    const remote = peer(r, i.props);
    const unsure = { action: act === undefined, order: order === undefined };
    // A drop (or a rule that may be one) comes after the accepts of its own priority: see the header.
    const placed = order === undefined ? undefined : act === "allow" ? order : order + 0.5;
    const rules = b.ruleInDirection(i, r.problems.slice(), dir, "direction", { action: act ?? "allow", protocol: proto, ports: p, peers: [remote], order: placed, unsure });
    return items.rulesItem(i, r, KIND, "securityGroupId", "security group", rules, { tags: b.tags(r, i.props) });
};

export const adapters: Record<string, Adapter> = {
    "qingcloud:index/securityGroup:SecurityGroup": securityGroup,
    "qingcloud:index/securityGroupRule:SecurityGroupRule": securityGroupRule,
};
