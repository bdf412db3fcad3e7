/**
 * AWS (@pulumi/aws): security groups and their separate rules (stateful, allow-only, union),
 * network ACLs and their separate rules (stateless, ordered by rule number, final deny),
 * and managed prefix lists. Types, fields and what an omitted field means: docs/providers/aws.md.
 *
 * - A network ACL refuses a second entry with a rule number already taken in its direction
 *   (`NetworkAclEntryAlreadyExists`): the kind says `uniqueOrder`, so such entries (inline or
 *   separate `NetworkAclRule`s joined at stack level) are marked ambiguous and shadow nothing.
 * - An ACL entry takes exactly one of `cidrBlock`/`ipv6CidrBlock`; a `vpc` ingress/egress rule
 *   exactly one of `cidrIpv4`, `cidrIpv6`, `prefixListId`, `referencedSecurityGroupId`; a
 *   legacy `SecurityGroupRule` at least one source. Anything else is malformed (named, and a
 *   deny with it shadows nothing).
 */
import type { Direction, Peer, Rule } from "../model";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at } from "./read";
import type { Adapter, ResourceInput } from "./types";
import type { RuleWriter } from "../model/edits";

const SG_DEFAULTS = { stateless: false, ordered: false, defaultAction: { ingress: "deny", egress: "deny" } } as const;
/** Rule numbers are unique per direction: AWS refuses a duplicate (see model/orders.ts). */
const ACL_DEFAULTS = { stateless: true, ordered: true, defaultAction: { ingress: "deny", egress: "deny" }, uniqueOrder: true } as const;
/** Rule numbers an ACL entry may take (32767 is AWS's own final `*` rule). */
const MIN_RULE_NO = 1;
const MAX_RULE_NO = 32766;

/** Peers of a security-group rule (inline or legacy SecurityGroupRule). */
function sgPeers(r: Reader, obj: unknown, base: string, sourceGroupKey: string, sourceGroupIsList: boolean): Peer[] {
    const v4 = at(base, "cidrBlocks");
    const v6 = at(base, "ipv6CidrBlocks");
    const pl = at(base, "prefixListIds");
    const peers = b.cidrPeers(r, r.strings(obj, "cidrBlocks", v4), v4, "ipv4");
    for (const p of b.cidrPeers(r, r.strings(obj, "ipv6CidrBlocks", v6), v6, "ipv6")) peers.push(p);
    for (const p of prefixListPeers(r, r.strings(obj, "prefixListIds", pl, true), pl)) peers.push(p);
    if (sourceGroupIsList) {
        const sg = at(base, sourceGroupKey);
        for (const p of b.refPeers(r, r.strings(obj, sourceGroupKey, sg, true), sg, "security group")) peers.push(p);
    } else {
        const g = b.optional(r.str(obj, sourceGroupKey, at(base, sourceGroupKey), true));
        if (g !== undefined && g !== BAD) peers.push(b.refPeer(g, at(base, sourceGroupKey), "security group"));
    }
    const self = r.bool(obj, "self", at(base, "self"));
    if (self === true) peers.push({ kind: "reference", refKind: "security group", ref: "self", path: at(base, "self") });
    return peers;
}

/**
 * A security-group rule that names no source: the provider refuses it ("One of cidr_blocks,
 * ipv6_cidr_blocks, self, source_security_group_id, prefix_list_ids must be set"), and the EC2
 * API adds no permission for it. Malformed, with an unreadable peer so it is named, never
 * judged as if it opened nothing.
 */
function noSource(r: Reader, path: string, groupKey: string, peers: Peer[]): void {
    r.bad(path, `is absent, and so are ipv6CidrBlocks, prefixListIds, ${groupKey} and self: a rule needs at least one source`);
    peers.push({ kind: "unreadable", path });
}

function prefixListPeers(r: Reader, items: ReturnType<Reader["strings"]>, path: string): Peer[] {
    if (items === undefined) return [];
    if (items === UNKNOWN) return [{ kind: "prefix-list", id: "", path }];
    if (items === BAD) return [{ kind: "unreadable", path }];
    return items.map((it, i) =>
        typeof it === "object" ? { kind: "prefix-list", id: it.value, path: it.path } : it === UNKNOWN ? { kind: "prefix-list", id: "", path: `${path}[${i}]` } : { kind: "unreadable", path: `${path}[${i}]` },
    );
}

function sgInlineRules(r: Reader, i: ResourceInput, dir: Direction, field: string): { rules: Rule[]; present: boolean } {
    const list = r.list(i.props, field, field);
    if (list === undefined) return { rules: [], present: false };
    if (list === UNKNOWN || list === BAD) return { rules: [], present: true };
    const rules: Rule[] = [];
    list.forEach((item, k) => {
        const base = `${field}[${k}]`;
        const mark = r.problems.length;
        if (item === UNKNOWN) {
            r.unknown(base);
            rules.push(b.rule(i, base, r.problems.slice(mark), { direction: dir, action: "allow", peers: [{ kind: "unreadable", path: base }] }));
            return;
        }
        if (item === null || typeof item !== "object" || Array.isArray(item)) {
            r.bad(base, item === null ? "is null inside the list" : "is not a rule object");
            rules.push(b.rule(i, base, r.problems.slice(mark), { direction: dir, action: "allow", peers: [] }));
            return;
        }
        const proto = b.protocol(r, item, "protocol", at(base, "protocol"));
        const ports = b.fromTo(r, item, proto, { from: "fromPort", to: "toPort" }, base, { required: true, allIgnoresPorts: true });
        const peers = sgPeers(r, item, base, "securityGroups", true);
        if (peers.length === 0) noSource(r, at(base, "cidrBlocks"), "securityGroups", peers);
        rules.push(b.rule(i, base, r.problems.slice(mark), { direction: dir, action: "allow", protocol: proto, ports, peers }));
    });
    return { rules, present: true };
}

/** aws:ec2/securityGroup:SecurityGroup and aws:ec2/defaultSecurityGroup:DefaultSecurityGroup */
export const securityGroup: Adapter = (i) => {
    const r = new Reader();
    const ing = sgInlineRules(r, i, "ingress", "ingress");
    const eg = sgInlineRules(r, i, "egress", "egress");
    const firewall = items.firewall(i, SG_DEFAULTS, {
        rules: [...ing.rules, ...eg.rules],
        problems: b.problemsAt(r, "ingress", "egress"),
        tags: b.tags(r, i.props),
        keys: b.keys(r, i.props, "id", "arn"),
    });
    return { kind: "firewall", firewall, inlineFields: [ing.present ? "ingress" : "", eg.present ? "egress" : ""].filter(Boolean) };
};

/** aws:ec2/securityGroupRule:SecurityGroupRule (legacy, one rule with a `type`). */
export const securityGroupRule: Adapter = (i) => {
    const r = new Reader();
    const dir = b.direction(r, i.props, "type", "type", { ingress: ["ingress"], egress: ["egress"] });
    const proto = b.protocol(r, i.props, "protocol", "protocol");
    const ports = b.fromTo(r, i.props, proto, { from: "fromPort", to: "toPort" }, "", { required: true, allIgnoresPorts: true });
    const peers = sgPeers(r, i.props, "", "sourceSecurityGroupId", false);
    if (peers.length === 0) noSource(r, "cidrBlocks", "sourceSecurityGroupId", peers);
    const rules = dir ? [b.rule(i, "", r.problems.slice(), { direction: dir, action: "allow", protocol: proto, ports, peers })] : [];
    // Without a direction there is no rule: its problems are the item's.
    return items.rulesItem(i, r, SG_DEFAULTS, "securityGroupId", "security group", rules, { problems: dir ? [] : r.problems.slice(), tags: b.tags(r, i.props) });
};

/** aws:vpc/securityGroupIngressRule and aws:vpc/securityGroupEgressRule (one CIDR each). */
export function vpcSecurityGroupRule(dir: Direction): Adapter {
    return (i) => {
        const r = new Reader();
        const proto = b.protocol(r, i.props, "ipProtocol", "ipProtocol");
        const ports = b.fromTo(r, i.props, proto, { from: "fromPort", to: "toPort" }, "", { required: true, allIgnoresPorts: true });
        const peers: Peer[] = [];
        const given: string[] = [];
        const v4 = b.optional(r.str(i.props, "cidrIpv4", "cidrIpv4"));
        if (v4 !== undefined) {
            given.push("cidrIpv4");
            peers.push(b.cidrPeer(r, v4, "cidrIpv4", "ipv4"));
        }
        const v6 = b.optional(r.str(i.props, "cidrIpv6", "cidrIpv6"));
        if (v6 !== undefined) {
            given.push("cidrIpv6");
            peers.push(b.cidrPeer(r, v6, "cidrIpv6", "ipv6"));
        }
        const pl = b.optional(r.str(i.props, "prefixListId", "prefixListId", true));
        if (pl !== undefined) {
            given.push("prefixListId");
            if (pl !== BAD) peers.push({ kind: "prefix-list", id: pl === UNKNOWN ? "" : pl, path: "prefixListId" });
        }
        const sg = b.optional(r.str(i.props, "referencedSecurityGroupId", "referencedSecurityGroupId", true));
        if (sg !== undefined) {
            given.push("referencedSecurityGroupId");
            peers.push(b.refPeer(sg, "referencedSecurityGroupId", "security group"));
        }
        // The provider requires exactly one source ("exactly one of cidr_ipv4, cidr_ipv6,
        // prefix_list_id, referenced_security_group_id"): none or several is refused.
        if (given.length === 0) {
            r.bad("cidrIpv4", "is absent, and so are cidrIpv6, prefixListId and referencedSecurityGroupId: the rule needs exactly one of them");
            peers.push({ kind: "unreadable", path: "cidrIpv4" });
        } else if (given.length > 1) {
            r.bad(given[1], `cannot be set together with ${given[0]}: the rule takes exactly one of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId`);
        }
        const rules = [b.rule(i, "", r.problems.slice(), { direction: dir, action: "allow", protocol: proto, ports, peers })];
        return items.rulesItem(i, r, SG_DEFAULTS, "securityGroupId", "security group", rules, { tags: b.tags(r, i.props) });
    };
}

const ACL_ACTIONS = { allow: ["allow"], deny: ["deny"] };

/** One network ACL entry, inline (`ruleNo`/`action`) or separate (`ruleNumber`/`ruleAction`). */
function aclEntry(r: Reader, i: ResourceInput, item: unknown, base: string, dir: Direction, names: { no: string; action: string }): Rule {
    const mark = r.problems.length;
    const order = r.int(item, names.no, at(base, names.no));
    const act = b.action(r, item, names.action, at(base, names.action), ACL_ACTIONS);
    const proto = b.protocol(r, item, "protocol", at(base, "protocol"));
    const ports = b.fromTo(r, item, proto, { from: "fromPort", to: "toPort" }, base, { required: true, allIgnoresPorts: true });
    const peers: Peer[] = [];
    const v4p = at(base, "cidrBlock");
    const v6p = at(base, "ipv6CidrBlock");
    const v4 = b.optional(r.str(item, "cidrBlock", v4p));
    if (v4 !== undefined) peers.push(b.cidrPeer(r, v4, v4p, "ipv4"));
    const v6 = b.optional(r.str(item, "ipv6CidrBlock", v6p));
    if (v6 !== undefined) peers.push(b.cidrPeer(r, v6, v6p, "ipv6"));
    // An entry takes exactly one CIDR: AWS refuses an entry with both, or with neither.
    if (v4 === undefined && v6 === undefined) {
        r.bad(v4p, "is absent, and so is ipv6CidrBlock: an entry needs exactly one of them");
        peers.push({ kind: "unreadable", path: v4p });
    } else if (v4 !== undefined && v6 !== undefined) {
        r.bad(v6p, "cannot be set together with cidrBlock: an entry takes exactly one of them");
    }
    if (order === undefined) r.bad(at(base, names.no), "is required but absent");
    else if (typeof order === "number" && (order < MIN_RULE_NO || order > MAX_RULE_NO)) r.bad(at(base, names.no), `rule number ${order} is outside ${MIN_RULE_NO}-${MAX_RULE_NO}`);
    return b.rule(i, base, r.problems.slice(mark), {
        direction: dir,
        action: act ?? "allow",
        protocol: proto,
        ports,
        peers,
        order: typeof order === "number" ? order : undefined,
        unsure: act === undefined || typeof order !== "number" ? { action: act === undefined, order: typeof order !== "number" } : undefined,
    });
}

function aclInline(r: Reader, i: ResourceInput, dir: Direction, field: string): { rules: Rule[]; present: boolean } {
    const list = r.list(i.props, field, field);
    if (list === undefined) return { rules: [], present: false };
    if (list === UNKNOWN || list === BAD) return { rules: [], present: true };
    const rules = list.map((item, k) => {
        const base = `${field}[${k}]`;
        if (item === UNKNOWN || item === null || typeof item !== "object") {
            const mark = r.problems.length;
            if (item === UNKNOWN) r.unknown(base);
            else r.bad(base, item === null ? "is null inside the list" : "is not a rule object");
            return b.rule(i, base, r.problems.slice(mark), { direction: dir, action: "allow", peers: [{ kind: "unreadable", path: base }] });
        }
        return aclEntry(r, i, item, base, dir, { no: "ruleNo", action: "action" });
    });
    return { rules, present: true };
}

/** aws:ec2/networkAcl:NetworkAcl and aws:ec2/defaultNetworkAcl:DefaultNetworkAcl */
export const networkAcl: Adapter = (i) => {
    const r = new Reader();
    const ing = aclInline(r, i, "ingress", "ingress");
    const eg = aclInline(r, i, "egress", "egress");
    const firewall = items.firewall(i, ACL_DEFAULTS, {
        rules: [...ing.rules, ...eg.rules],
        problems: b.problemsAt(r, "ingress", "egress"),
        tags: b.tags(r, i.props),
        keys: b.keys(r, i.props, "id", "arn", "defaultNetworkAclId"),
    });
    return { kind: "firewall", firewall, inlineFields: [ing.present ? "ingress" : "", eg.present ? "egress" : ""].filter(Boolean) };
};

/** aws:ec2/networkAclRule:NetworkAclRule (`egress` boolean, default ingress). */
export const networkAclRule: Adapter = (i) => {
    const r = new Reader();
    const egress = r.bool(i.props, "egress", "egress");
    const rules: Rule[] = [];
    if (egress === UNKNOWN || egress === BAD) {
        // Direction unreadable: keep the rule so unverifiable-rules reports it.
        rules.push(b.rule(i, "", r.problems.slice(), { direction: "ingress", action: "allow", peers: [{ kind: "unreadable", path: "egress" }] }));
    } else {
        rules.push(aclEntry(r, i, i.props, "", egress ? "egress" : "ingress", { no: "ruleNumber", action: "ruleAction" }));
    }
    return items.rulesItem(i, r, ACL_DEFAULTS, "networkAclId", "network ACL", rules, { tags: b.tags(r, i.props) });
};

/** aws:ec2/managedPrefixList:ManagedPrefixList */
export const managedPrefixList: Adapter = (i) => {
    const r = new Reader();
    return items.prefixList(i, r, "entries", b.keys(r, i.props, "id", "arn"));
};

/** aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry */
export const managedPrefixListEntry: Adapter = (i) => {
    const r = new Reader();
    const c = r.str(i.props, "cidr", "cidr");
    const peer = b.cidrPeer(r, c, "cidr");
    return {
        kind: "prefix-list-entry",
        urn: i.urn,
        parentProperty: "prefixListId",
        parentKey: b.key(r, i.props, "prefixListId", "prefixListId"),
        set: peer.kind === "addresses" ? peer.set : undefined,
    };
};

/** Inline network ACL entries (remediation writes them). */
const aclEntryWriter: RuleWriter = (rule) => ({
    listPath: rule.direction,
    value: {
        ruleNo: rule.order,
        action: "allow",
        protocol: rule.protocol,
        fromPort: rule.from,
        toPort: rule.to,
        ...(rule.family === "ipv4" ? { cidrBlock: rule.cidr } : { ipv6CidrBlock: rule.cidr }),
    },
});

export const writers: Record<string, RuleWriter> = {
    "aws:ec2/networkAcl:NetworkAcl": aclEntryWriter,
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": aclEntryWriter,
};

/** Highest rule number an AWS network ACL accepts. */
export const MAX_ORDER: Record<string, number> = {
    "aws:ec2/networkAcl:NetworkAcl": MAX_RULE_NO,
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": MAX_RULE_NO,
};

export const adapters: Record<string, Adapter> = {
    "aws:ec2/securityGroup:SecurityGroup": securityGroup,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": securityGroup,
    "aws:ec2/securityGroupRule:SecurityGroupRule": securityGroupRule,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": vpcSecurityGroupRule("ingress"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": vpcSecurityGroupRule("egress"),
    "aws:ec2/networkAcl:NetworkAcl": networkAcl,
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": networkAcl,
    "aws:ec2/networkAclRule:NetworkAclRule": networkAclRule,
    "aws:ec2/managedPrefixList:ManagedPrefixList": managedPrefixList,
    "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry": managedPrefixListEntry,
};
