/**
 * Scaleway (@pulumiverse/scaleway): instance security groups and their external rule sets.
 * What each field means, with Scaleway's documentation as the source: docs/providers/scaleway.md.
 *
 * - Rules apply in list order, first match wins (`action` accept|drop). `protocol`
 *   TCP|UDP|ICMP|ANY (default TCP); `portRange` "22-23" or `port` (0 or neither = every
 *   port; `portRange` wins when both are set, as in the provider); `ipRange` or the
 *   deprecated `ip` (neither = any address).
 * - `inboundDefaultPolicy`/`outboundDefaultPolicy` (default accept: a `{}` group allows
 *   everything) decide unmatched traffic. drop is the firewall's default action; accept is
 *   modelled as a real rule of the user's at path `inboundDefaultPolicy` /
 *   `outboundDefaultPolicy`, evaluated after every rule (all protocols, ports, addresses).
 * - `stateful: false` makes the group stateless (return traffic needs its own rules).
 * - `externalRules: true`: the rules live in one `SecurityGroupRules` resource (parent
 *   `securityGroupId`). The group alone is then a fragment (`rulesElsewhere`), judged in
 *   full at stack level once joined: the join appends the external rules (orders 0..n) to
 *   the group's own default-policy rules (order POLICY_ORDER, so still last), and the
 *   joined firewall keeps the group's statefulness and defaults. A rules resource whose group
 *   is not in the stack is judged alone as a stateful ordered list with no default rule
 *   (the group's defaults are unknown).
 * - Without `externalRules`, the group manages its rules (absent lists mean "no rules") and
 *   deletes rules added elsewhere: a SecurityGroupRules joined to it is a conflict.
 */
import type { Direction, Peer, Protocol, Rule } from "../model";
import { PortSet } from "../net/ports";
import { normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at } from "./read";
import type { Adapter, ResourceInput } from "./types";

/** Order of a default-policy rule: after every rule, inline or joined from SecurityGroupRules. */
export const POLICY_ORDER = 1_000_000_000;

/** Rules whose group is not in the stack: a stateful ordered list, with no default rule (the group's defaults are unknown). */
const ALONE_KIND = { stateless: false, ordered: true, defaultAction: { ingress: "allow", egress: "allow" } } as const;
const PROTOCOLS = ["tcp", "udp", "icmp", "any"] as const;
const ACTIONS = { allow: ["accept"], deny: ["drop"] };
const RULE_FIELDS: Array<[Direction, string]> = [
    ["ingress", "inboundRules"],
    ["egress", "outboundRules"],
];

/** TCP (the default), UDP, ICMP or ANY. */
function protocol(r: Reader, obj: unknown, path: string): Protocol | undefined {
    const v = r.str(obj, "protocol", path);
    if (v === undefined || v === "") return "tcp";
    const w = b.oneOf(r, v, path, PROTOCOLS, "TCP, UDP, ICMP, ANY", 20);
    return w === undefined ? undefined : normalizeProtocol(w);
}

/** `portRange` ("22-23"), else `port` (0 or absent = every port). ICMP has no ports. */
function ports(r: Reader, item: unknown, proto: Protocol | undefined, base: string): PortSet | undefined {
    if (proto === "icmp") return PortSet.ALL;
    const rp = at(base, "portRange");
    const range = r.str(item, "portRange", rp);
    if (range !== undefined && range !== "") return b.portString(r, range, rp, {});
    const pp = at(base, "port");
    const port = r.int(item, "port", pp);
    if (port === UNKNOWN || port === BAD) return undefined;
    if (port === undefined || port === 0) return PortSet.ALL;
    if (port < 1 || port > 65535) {
        r.bad(pp, `port ${port} is outside 1-65535`);
        return undefined;
    }
    return PortSet.of(port);
}

/** `ipRange`, else the deprecated `ip`, else any address. */
function peers(r: Reader, item: unknown, base: string): Peer[] {
    for (const key of ["ipRange", "ip"]) {
        const path = at(base, key);
        const v = r.str(item, key, path);
        if (v === undefined || v === "") continue;
        return [b.cidrPeer(r, v, path)];
    }
    return [b.anyPeer(base, "any address (no ipRange)")];
}

function sgRule(r: Reader, i: ResourceInput, item: unknown, base: string, dir: Direction, order: number): Rule {
    const mark = r.problems.length;
    const act = b.action(r, item, "action", at(base, "action"), ACTIONS);
    const proto = protocol(r, item, at(base, "protocol"));
    const p = ports(r, item, proto, base);
    const ps = peers(r, item, base);
    return b.rule(i, base, r.problems.slice(mark), {
        direction: dir,
        action: act ?? "allow",
        protocol: proto,
        ports: p,
        peers: ps,
        order,
        unsure: act === undefined ? { action: true } : undefined,
    });
}

/** `inboundRules` and `outboundRules`, in list order. */
function ruleLists(r: Reader, i: ResourceInput): { rules: Rule[]; present: string[] } {
    return items.directionLists(r, i, i.props, RULE_FIELDS, (dir) => ({
        what: "a rule object",
        // Its action is unknown too: it may drop what later rules accept.
        placeholder: (k) => ({ direction: dir, order: k, unsure: { action: true } }),
        read: (item, base, k) => sgRule(r, i, item, base, dir, k),
    }));
}

/** Keys a group is known by: its zoned id (`fr-par-1/<uuid>`) and the bare uuid. */
function ids(r: Reader, props: unknown): string[] {
    const id = b.key(r, props, "id", "id");
    if (!id) return [];
    const bare = id.split("/").pop();
    return bare && bare !== id ? [id, bare] : [id];
}

/** scaleway:instance/securityGroup:SecurityGroup (and the deprecated index alias). */
export const securityGroup: Adapter = (i) => {
    const r = new Reader();
    const { rules, present } = ruleLists(r, i);
    // Accept when absent (a `{}` group allows everything): an allow-all rule after every other rule.
    const pols = RULE_FIELDS.map(([dir]) => b.defaultPolicy(r, i, dir, dir === "ingress" ? "inboundDefaultPolicy" : "outboundDefaultPolicy", ACTIONS, POLICY_ORDER, "allow"));
    const stateful = r.bool(i.props, "stateful", "stateful");
    const external = r.bool(i.props, "externalRules", "externalRules");
    const fwProblems = b.problemsAt(r, "inboundRules", "outboundRules", "stateful", "externalRules");
    if (external === true && rules.length > 0) {
        fwProblems.push({ kind: "malformed", path: present.join(", "), problem: "cannot be set when externalRules is true (the provider rejects the group)" });
    }
    const fw = items.firewall(i, { stateless: stateful === false, ordered: true, defaultAction: { ingress: pols[0].dflt, egress: pols[1].dflt } }, {
        rules: [...rules, ...pols.flatMap((p) => (p.rule ? [p.rule] : []))],
        problems: fwProblems,
        keys: ids(r, i.props),
    });
    // Without externalRules the group manages its rule lists even when they are absent.
    const inlineFields = external === true ? [] : present.length ? present : ["externalRules"];
    return { kind: "firewall", firewall: fw, inlineFields, rulesElsewhere: external === true };
};

/** scaleway:instance/securityGroupRules:SecurityGroupRules (and the legacy index alias). */
export const securityGroupRules: Adapter = (i) => {
    const r = new Reader();
    const { rules } = ruleLists(r, i);
    return items.rulesItem(i, r, ALONE_KIND, "securityGroupId", "security group", rules, { problems: b.problemsAt(r, "inboundRules", "outboundRules") });
};

export const adapters: Record<string, Adapter> = {
    "scaleway:instance/securityGroup:SecurityGroup": securityGroup,
    "scaleway:index/instanceSecurityGroup:InstanceSecurityGroup": securityGroup,
    "scaleway:instance/securityGroupRules:SecurityGroupRules": securityGroupRules,
    "scaleway:index/instanceSecurityGroupRules:InstanceSecurityGroupRules": securityGroupRules,
};
