/**
 * AWS through the aws-native provider (@pulumi/aws-native, AWS Cloud Control / CloudFormation
 * shapes; read from the package's own ec2/*.d.ts and types/input.d.ts):
 * - `aws-native:ec2:SecurityGroup`: inline `securityGroupIngress` / `securityGroupEgress`, each
 *   rule `{ipProtocol, fromPort, toPort, cidrIp | cidrIpv6 | sourcePrefixListId |
 *   sourceSecurityGroupId | sourceSecurityGroupName}` (egress: `destinationPrefixListId`,
 *   `destinationSecurityGroupId`). Stateful, allow-only, union, like the classic group. Without
 *   `securityGroupEgress`, EC2 keeps the allow-all egress rule every VPC group starts with
 *   (CloudFormation removes it only when the list is given): an implicit rule.
 *   Tags are CloudFormation's `[{key, value}]` list.
 * - `aws-native:ec2:SecurityGroupIngress` / `SecurityGroupEgress`: one rule each, joined to
 *   their group through `groupId` (or, for an ingress rule, `groupName`) and its property
 *   dependencies. CloudFormation has no `-1` shorthand for ports: `ipProtocol: "-1"` ignores them.
 * - `aws-native:ec2:PrefixList`: a managed prefix list (`entries: [{cidr}]`), resolved like the
 *   classic one (its id is `prefixListId`).
 * aws-native has no network ACL entry resource (Cloud Control does not expose one): an
 * aws-native NetworkAcl takes its entries from classic `aws.ec2.NetworkAclRule` resources,
 * which the classic adapter reads and the join attaches through `networkAclId`.
 */
import type { Direction, Peer, Rule } from "../model";
import { PortSet } from "../net/ports";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at } from "./read";
import type { Adapter, ResourceInput } from "./types";

const SG_KIND = { stateless: false, ordered: false, defaultAction: { ingress: "deny", egress: "deny" } } as const;
const ACL_KIND = { stateless: true, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } } as const;

/** Field names of one direction's peers. */
const PEER_FIELDS: Record<Direction, { prefixList: string; group: string; groupName?: string }> = {
    ingress: { prefixList: "sourcePrefixListId", group: "sourceSecurityGroupId", groupName: "sourceSecurityGroupName" },
    egress: { prefixList: "destinationPrefixListId", group: "destinationSecurityGroupId" },
};

/** The peers of one CloudFormation rule object at `base`. */
function peersOf(r: Reader, obj: unknown, base: string, dir: Direction): Peer[] {
    const f = PEER_FIELDS[dir];
    const peers: Peer[] = [];
    const v4 = b.optional(r.str(obj, "cidrIp", at(base, "cidrIp")));
    if (v4 !== undefined) peers.push(b.cidrPeer(r, v4, at(base, "cidrIp"), "ipv4"));
    const v6 = b.optional(r.str(obj, "cidrIpv6", at(base, "cidrIpv6")));
    if (v6 !== undefined) peers.push(b.cidrPeer(r, v6, at(base, "cidrIpv6"), "ipv6"));
    const pl = r.str(obj, f.prefixList, at(base, f.prefixList), true);
    if (pl !== undefined && pl !== BAD) peers.push({ kind: "prefix-list", id: pl === UNKNOWN ? "" : pl, path: at(base, f.prefixList) });
    for (const key of [f.group, f.groupName]) {
        if (!key) continue;
        const g = r.str(obj, key, at(base, key), true);
        if (g !== undefined && g !== BAD && g !== "") peers.push(b.refPeer(g, at(base, key), "security group"));
    }
    return peers;
}

/** One CloudFormation rule (inline element or rule resource) at `base`. */
function cfnRule(r: Reader, i: ResourceInput, obj: unknown, base: string, dir: Direction, mark: number): Rule {
    const proto = b.protocol(r, obj, "ipProtocol", at(base, "ipProtocol"));
    const ports = b.fromTo(r, obj, proto, { from: "fromPort", to: "toPort" }, base, { required: true, allIgnoresPorts: true });
    const peers = peersOf(r, obj, base, dir);
    return b.rule(i, base, r.problems.slice(mark), { direction: dir, action: "allow", protocol: proto, ports, peers });
}

/** CloudFormation tags: `[{key, value}]` (a map is read too). */
function cfnTags(r: Reader, obj: unknown): Record<string, string> | undefined {
    const v = r.raw(obj, "tags");
    if (!Array.isArray(v)) return b.tags(r, obj);
    const out: Record<string, string> = {};
    for (const t of v) {
        const k = r.raw(t, "key");
        const val = r.raw(t, "value");
        if (typeof k === "string" && typeof val === "string") out[k] = val;
    }
    return out;
}

/** The allow-all egress rule a VPC security group keeps while CloudFormation is given no egress list. */
function defaultEgress(i: ResourceInput): Rule {
    return b.rule(i, "", [], { direction: "egress", action: "allow", protocol: "all", ports: PortSet.ALL, peers: [b.anyPeer("", "any address (the default egress rule: no securityGroupEgress given)")] });
}

/** aws-native:ec2:SecurityGroup */
export const securityGroup: Adapter = (i) => {
    const r = new Reader();
    const { rules, present } = items.directionLists(
        r,
        i,
        i.props,
        [
            ["ingress", "securityGroupIngress"],
            ["egress", "securityGroupEgress"],
        ],
        (dir) => ({
            what: "a rule object",
            placeholder: () => ({ direction: dir }),
            read: (item, base) => cfnRule(r, i, item, base, dir, r.problems.length),
        }),
    );
    const firewall = items.firewall(i, SG_KIND, {
        rules,
        problems: b.problemsAt(r, "securityGroupIngress", "securityGroupEgress"),
        implicitRules: present.includes("securityGroupEgress") ? [] : [defaultEgress(i)],
        tags: cfnTags(r, i.props),
        keys: b.keys(r, i.props, "id", "groupId", "awsId", "groupName"),
    });
    return { kind: "firewall", firewall, inlineFields: present };
};

/** aws-native:ec2:SecurityGroupIngress / SecurityGroupEgress: one rule, its group by `groupId` or `groupName`. */
export function securityGroupRule(dir: Direction): Adapter {
    return (i) => {
        const r = new Reader();
        const rules = [cfnRule(r, i, i.props, "", dir, 0)];
        // An ingress rule may name its group instead (default VPC); the one given is the join key.
        const byName = dir === "ingress" && r.raw(i.props, "groupId") === undefined && r.raw(i.props, "groupName") !== undefined;
        return items.rulesItem(i, r, SG_KIND, byName ? "groupName" : "groupId", "security group", rules, { tags: cfnTags(r, i.props) });
    };
}

/** aws-native:ec2:PrefixList (managed prefix list; its id is `prefixListId`). */
export const prefixList: Adapter = (i) => {
    const r = new Reader();
    return items.prefixList(i, r, "entries", b.keys(r, i.props, "id", "prefixListId", "arn"));
};

/**
 * aws-native:ec2:NetworkAcl: no entries of its own (Cloud Control has no entry resource); its
 * entries are classic aws:ec2/networkAclRule resources, joined by `networkAclId` (its `id`).
 */
export const networkAcl: Adapter = (i) => {
    const r = new Reader();
    return items.groupOfRuleResources(i, ACL_KIND, { keys: b.keys(r, i.props, "id", "awsId"), tags: cfnTags(r, i.props) });
};

export const adapters: Record<string, Adapter> = {
    "aws-native:ec2:NetworkAcl": networkAcl,
    "aws-native:ec2:SecurityGroup": securityGroup,
    "aws-native:ec2:SecurityGroupIngress": securityGroupRule("ingress"),
    "aws-native:ec2:SecurityGroupEgress": securityGroupRule("egress"),
    "aws-native:ec2:PrefixList": prefixList,
};
