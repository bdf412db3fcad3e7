/**
 * Tencent Cloud (tencentcloudstack/pulumi-tencentcloud; no npm SDK, so programs use
 * `pulumi.CustomResource` with these tokens, or Python). What each field means, with Tencent
 * Cloud's documentation as the source: docs/providers/tencentcloud.md.
 *
 * Security groups (stateful, ORDERED: first match wins, ACCEPT or DROP):
 * - `Security/group` declares no rules. Its rules come from one of
 *   `Security/groupRule` (one rule; `policyIndex` is its position, 0 first),
 *   `Security/groupRuleSet` (`ingresses[]`/`egresses[]` objects; list order is the priority) or
 *   `Security/groupLiteRule` (`ingresses[]`/`egresses[]` strings `ACTION#SOURCE#PORT#PROTOCOL`).
 * - `ipProtocol`/`protocol` TCP, UDP, ICMP, ICMPv6, GRE or ALL (absent = ALL); ports `"80"`,
 *   `"80,90"`, `"80-90"`, `"ALL"` (absent = ALL). ICMP, GRE and ALL take only `"ALL"`.
 * - Peers: a CIDR, a security group (`sourceSgid`, `sourceSecurityId`, `sg-...`) or an
 *   address template (`ipm-...`/`ipmg-...`): groups and templates are references. A
 *   protocol/service template (`ppm-...`) hides the protocol and ports: such a rule is never
 *   judged, and a DROP behind a template may shadow what follows it.
 * - A GroupRule without `policyIndex` is appended after the rules present when it is created,
 *   so its place depends on creation order. An ACCEPT is judged as if after every indexed
 *   rule; a DROP is named (`ambiguous` at `policyIndex`) and shadows nothing.
 * - `policyIndex` is an insertion point (0 = before every rule), so two rules of one group and
 *   direction with the same index end up in creation order: the group kind has `uniqueOrder`,
 *   which marks them ambiguous (neither shadows anything; unverifiable-rules names both).
 * - A rule names exactly one source: a CIDR, an IPv6 CIDR, a security group or an address
 *   template ("四者是排他关系"); and IPv6 sources take ICMPv6, not ICMP. Tencent refuses
 *   anything else, so it is malformed here.
 *
 * Network ACLs (stateless by default: Tencent's final rules drop everything both ways; the
 * return-traffic policy's `statefulTypes` option can mark them stateful):
 * - `Vpc/acl` with `ingresses`/`egresses` STRINGS `ACTION#CIDR#PORT#PROTOCOL[#DESCRIPTION]`,
 *   list order first match. The description is never read or echoed.
 * - `Vpc/networkAclQuintuple` adds five-tuple entries to an ACL (`networkAclQuintupleSet`
 *   `.ingresses[]`/`.egresses[]`, ordered by `priority`, else list position). The local side
 *   (`destinationCidr` of an ingress entry, `sourceCidr` of an egress one) and `sourcePort`
 *   narrow an entry to some traffic: they are its `scope`, so a DROP narrowed that way only
 *   certainly shadows entries with the same narrowing.
 */
import type { Action, Direction, Peer, Protocol, Rule } from "../model";
import { PortSet } from "../net/ports";
import { normalizeProtocol, protocolLabel } from "../net/protocols";
import { AddressSet, parseCidr } from "../net/addresses";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at, type Read } from "./read";
import type { Adapter } from "./types";

/** Security groups: `policyIndex` duplicates are ambiguous (see the header). */
const SG_KIND = { stateless: false, ordered: true, uniqueOrder: true, defaultAction: { ingress: "deny", egress: "deny" } } as const;
const ACL_KIND = { stateless: true, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } } as const;

const ACTIONS = { allow: ["accept"], deny: ["drop"] };
const SG_PROTOCOLS = ["tcp", "udp", "icmp", "icmpv6", "gre", "all"];
const ACL_PROTOCOLS = ["tcp", "udp", "icmp", "all"];
const LIST_FIELDS: Array<[Direction, string]> = [
    ["ingress", "ingresses"],
    ["egress", "egresses"],
];

/** A protocol word out of `allowed`; absent = ALL. */
function protocolWord(r: Reader, v: Read<string>, path: string, allowed: string[]): Protocol | undefined {
    if (v === undefined || v === "") return "all";
    const w = b.oneOf(r, v, path, allowed, allowed.map((a) => (a === "icmpv6" ? "ICMPv6" : a.toUpperCase())).join(", "), 30);
    return w === undefined ? undefined : normalizeProtocol(w);
}

/** `"80"`, `"80,90"`, `"80-90"`, `"ALL"` (absent = ALL). Only TCP and UDP take real ports. */
function portWord(r: Reader, v: Read<string>, path: string, proto: Protocol | undefined): PortSet | undefined {
    if (v === UNKNOWN || v === BAD) return undefined;
    if (v === undefined || v === "" || v.trim().toLowerCase() === "all") return PortSet.ALL;
    const set = b.portString(r, v, path, { listSep: "," });
    if (set && proto !== undefined && proto !== "tcp" && proto !== "udp") {
        r.bad(path, `"${b.clip(v, 30)}": ${protocolLabel(proto)} takes only ALL`);
        return undefined;
    }
    return set;
}

/** A reference peer from an id field (an unknown id is expected during preview). */
function idPeer(r: Reader, obj: unknown, key: string, path: string, refKind: string): Peer | undefined {
    const v = r.str(obj, key, path, true);
    return v === undefined || v === "" ? undefined : b.refPeer(v, path, refKind);
}

const TEMPLATE_HIDES = "names a protocol-port template: the rule's protocol and ports are kept in the template, which portguard cannot read, so the rule cannot be judged. Fix: state the protocol and ports on the rule, or exempt it";

/** `{templateId?, groupId?}` template objects (GroupRule `addressTemplate`/`protocolTemplate`). */
function templateIds(r: Reader, obj: unknown, key: string): { path: string; ref: string } | undefined {
    const t = r.obj(obj, key, key);
    if (t === undefined) return undefined;
    if (t === UNKNOWN || t === BAD) return { path: key, ref: b.UNKNOWN_REF };
    for (const k of ["templateId", "groupId"]) {
        const v = r.str(t, k, at(key, k), true);
        if (v === UNKNOWN) return { path: at(key, k), ref: b.UNKNOWN_REF };
        if (typeof v === "string" && v !== "") return { path: at(key, k), ref: v };
    }
    return undefined;
}

/**
 * Tencent takes exactly one source per rule (CIDR, IPv6 CIDR, security group, address
 * template: "四者是排他关系"): every further one is malformed at its own path; and an IPv6
 * source needs ICMPv6, not ICMP ("IPv6CidrBlock和ICMP是排他关系").
 */
function oneSource(r: Reader, peers: Peer[], proto: Protocol | undefined, protocolPath: string): void {
    for (const p of peers.slice(1)) r.bad(p.path, `cannot be combined with ${peers[0].path}: Tencent Cloud takes exactly one source per rule (CIDR, IPv6 CIDR, security group or address template)`);
    if (proto === "icmp" && peers.some((p) => p.kind === "addresses" && p.set.v6.length > 0)) {
        r.bad(protocolPath, "is ICMP, but the source is IPv6: Tencent Cloud refuses the rule (use ICMPv6)");
    }
}

// ---------------------------------------------------------------------------------------------
// Security groups

/** tencentcloud:Security/group:Group: rules are separate resources. */
export const group: Adapter = (i) => {
    const r = new Reader();
    return items.groupOfRuleResources(i, SG_KIND, { tags: b.tags(r, i.props), keys: b.keys(r, i.props, "id") });
};

/** tencentcloud:Security/groupRule:GroupRule */
export const groupRule: Adapter = (i) => {
    const r = new Reader();
    const dir = b.direction(r, i.props, "type", "type", { ingress: ["ingress"], egress: ["egress"] });
    const act = b.action(r, i.props, "policy", "policy", ACTIONS);
    const protoTemplate = templateIds(r, i.props, "protocolTemplate");
    let proto: Protocol | undefined;
    let ports: PortSet | undefined;
    if (protoTemplate) r.ambiguous(protoTemplate.path, TEMPLATE_HIDES);
    else {
        proto = protocolWord(r, r.str(i.props, "ipProtocol", "ipProtocol"), "ipProtocol", SG_PROTOCOLS);
        ports = portWord(r, r.str(i.props, "portRange", "portRange"), "portRange", proto);
    }
    const peers: Peer[] = [];
    const cidr = r.str(i.props, "cidrIp", "cidrIp");
    if (cidr !== undefined && cidr !== "") peers.push(b.cidrPeer(r, cidr, "cidrIp"));
    const sg = idPeer(r, i.props, "sourceSgid", "sourceSgid", "security group");
    if (sg) peers.push(sg);
    const tpl = templateIds(r, i.props, "addressTemplate");
    if (tpl) peers.push({ kind: "reference", refKind: "address template", ref: tpl.ref, path: tpl.path });
    if (peers.length === 0) {
        r.bad("cidrIp", "is absent, and so are sourceSgid and addressTemplate: Tencent needs one of them");
        peers.push({ kind: "unreadable", path: "cidrIp" });
    } else oneSource(r, peers, proto, "ipProtocol");
    const idx = r.int(i.props, "policyIndex", "policyIndex");
    if (typeof idx === "number" && idx < 0) r.bad("policyIndex", `policyIndex ${idx} is negative`);
    const order = typeof idx === "number" ? idx : undefined;
    // Without a literal index, a DROP's position is not known (see the header).
    const orderUnsure = idx === UNKNOWN || idx === BAD || (idx === undefined && act !== "allow");
    // ... and is named, so unverifiable-rules reports the DROP itself (an unreadable action is named already).
    if (idx === undefined && act === "deny") r.ambiguous("policyIndex", "is absent: Tencent Cloud then places this DROP itself, so which rules it comes before, and shadows, cannot be known. Fix: set policyIndex");
    const unsure = { action: act === undefined, order: orderUnsure };
    const rules = b.ruleInDirection(i, r.problems.slice(), dir, "type", { action: act ?? "allow", protocol: proto, ports, peers, order, unsure });
    return items.rulesItem(i, r, SG_KIND, "securityGroupId", "security group", rules);
};

/** One GroupRuleSet entry (object), at its list position. */
function ruleSetEntry(r: Reader, o: b.Origin, item: Record<string, unknown>, p: string, dir: Direction, k: number): Rule {
    const mark = r.problems.length;
    const act = b.action(r, item, "action", at(p, "action"), ACTIONS);
    let proto: Protocol | undefined;
    let ports: PortSet | undefined;
    const service = idPeer(r, item, "serviceTemplateId", at(p, "serviceTemplateId"), "service template") ?? idPeer(r, item, "serviceTemplateGroup", at(p, "serviceTemplateGroup"), "service template");
    if (service) r.ambiguous(service.path, TEMPLATE_HIDES);
    else {
        proto = protocolWord(r, r.str(item, "protocol", at(p, "protocol")), at(p, "protocol"), SG_PROTOCOLS);
        ports = portWord(r, r.str(item, "port", at(p, "port")), at(p, "port"), proto);
    }
    const peers: Peer[] = [];
    const v4 = r.str(item, "cidrBlock", at(p, "cidrBlock"));
    if (v4 !== undefined && v4 !== "") peers.push(b.cidrPeer(r, v4, at(p, "cidrBlock"), "ipv4"));
    const v6 = r.str(item, "ipv6CidrBlock", at(p, "ipv6CidrBlock"));
    if (v6 !== undefined && v6 !== "") peers.push(b.cidrPeer(r, v6, at(p, "ipv6CidrBlock"), "ipv6"));
    for (const [key, kind] of [
        ["sourceSecurityId", "security group"],
        ["addressTemplateId", "address template"],
        ["addressTemplateGroup", "address template"],
    ] as const) {
        const peer = idPeer(r, item, key, at(p, key), kind);
        if (peer) peers.push(peer);
    }
    if (peers.length === 0) {
        r.bad(at(p, "cidrBlock"), "is absent, and so are ipv6CidrBlock, sourceSecurityId and the address templates: Tencent needs one of them");
        peers.push({ kind: "unreadable", path: at(p, "cidrBlock") });
    } else oneSource(r, peers, proto, at(p, "protocol"));
    return b.rule(o, p, r.problems.slice(mark), { direction: dir, action: act ?? "allow", protocol: proto, ports, peers, order: k, unsure: act === undefined ? { action: true } : undefined });
}

/** tencentcloud:Security/groupRuleSet:GroupRuleSet (the whole rule set of a group; list order). */
export const groupRuleSet: Adapter = (i) => {
    const r = new Reader();
    const { rules } = items.directionLists(r, i, i.props, LIST_FIELDS, (dir) => ({
        what: "a rule object",
        // Its action is unknown: it may drop what later rules accept.
        placeholder: (k) => ({ direction: dir, order: k, unsure: { action: true } }),
        read: (item, p, k) => ruleSetEntry(r, i, item, p, dir, k),
    }));
    const problems = b.problemsAt(r, ...LIST_FIELDS.map(([, f]) => f));
    return items.rulesItem(i, r, SG_KIND, "securityGroupId", "security group", rules, { problems });
};

// ---------------------------------------------------------------------------------------------
// `#`-separated rule strings (GroupLiteRule, Vpc Acl)

interface HashRule {
    action?: Action;
    peer: Peer;
    protocol?: Protocol;
    ports?: PortSet;
    unsure?: Rule["unsure"];
}

/**
 * `ACTION#PEER#PORT#PROTOCOL[#DESCRIPTION]`. Problems name the field, never the description;
 * `lite` strings may name security groups and templates in place of a CIDR.
 */
function hashRule(r: Reader, text: string, p: string, lite: boolean): HashRule {
    const parts = text.split("#");
    if (parts.length < 4) {
        r.bad(p, `has ${parts.length} of the 4 #-separated fields ACTION#${lite ? "SOURCE" : "CIDR"}#PORT#PROTOCOL`);
        return { peer: { kind: "unreadable", path: p }, unsure: { action: true } };
    }
    const [a, peerText, portText, protoText] = parts.map((s) => s.trim());
    let action: Action | undefined;
    if (/^accept$/i.test(a)) action = "allow";
    else if (/^drop$/i.test(a)) action = "deny";
    else r.bad(p, `action field "${b.clip(a, 30)}" is not one of ACCEPT, DROP`);

    let protocol: Protocol | undefined;
    let ports: PortSet | undefined;
    if (lite && /^ppmg?-/i.test(protoText)) {
        // a protocol template: protocol and ports hidden
    } else {
        const mark = r.problems.length;
        protocol = protocolWord(r, protoText, p, lite ? ["tcp", "udp", "icmp", "all"] : ACL_PROTOCOLS);
        if (r.problems.length > mark) r.problems[r.problems.length - 1].problem = `protocol field ${r.problems[r.problems.length - 1].problem}`;
        const mark2 = r.problems.length;
        ports = portWord(r, portText, p, protocol);
        if (r.problems.length > mark2) r.problems[r.problems.length - 1].problem = `port field ${r.problems[r.problems.length - 1].problem}`;
    }

    let peer: Peer;
    if (lite && /^sg-/i.test(peerText)) peer = { kind: "reference", refKind: "security group", ref: peerText, path: p };
    else if (lite && /^ipmg?-/i.test(peerText)) peer = { kind: "reference", refKind: "address template", ref: peerText, path: p };
    else {
        const c = parseCidr(peerText);
        if (c.ok) peer = { kind: "addresses", set: c.set, text: peerText, path: p };
        else {
            r.bad(p, `${lite ? "source" : "CIDR"} field ${c.problem}`);
            peer = { kind: "unreadable", path: p };
        }
    }
    return { action, peer, protocol, ports, unsure: action === undefined ? { action: true } : undefined };
}

/** Rules from `ingresses`/`egresses` string lists, in list order. */
function hashLists(r: Reader, o: b.Origin, props: unknown, lite: boolean): { rules: Rule[]; present: string[] } {
    const rules: Rule[] = [];
    const present: string[] = [];
    for (const [dir, field] of LIST_FIELDS) {
        const items = r.strings(props, field, field);
        if (items === undefined) continue;
        present.push(field);
        if (items === UNKNOWN || items === BAD) continue;
        items.forEach((it, k) => {
            const p = `${field}[${k}]`;
            const mark = r.problems.length;
            if (typeof it !== "object") {
                // unknown or not a string: recorded by Reader.strings; may be a DROP
                const problems = r.problems.filter((x) => x.path === p);
                rules.push(b.rule(o, p, problems, { direction: dir, action: "allow", peers: [{ kind: "unreadable", path: p }], order: k, unsure: { action: true } }));
                return;
            }
            const h = hashRule(r, it.value, p, lite);
            rules.push(b.rule(o, p, r.problems.slice(mark), { direction: dir, action: h.action ?? "allow", protocol: h.protocol, ports: h.ports, peers: [h.peer], order: k, unsure: h.unsure }));
        });
    }
    return { rules, present };
}

/** tencentcloud:Security/groupLiteRule:GroupLiteRule (`ACTION#SOURCE#PORT#PROTOCOL` strings). */
export const groupLiteRule: Adapter = (i) => {
    const r = new Reader();
    const { rules } = hashLists(r, i, i.props, true);
    const problems = b.problemsAt(r, ...LIST_FIELDS.map(([, f]) => f));
    return items.rulesItem(i, r, SG_KIND, "securityGroupId", "security group", rules, { problems });
};

// ---------------------------------------------------------------------------------------------
// Network ACLs

/** tencentcloud:Vpc/acl:Acl (`ACTION#CIDR#PORT#PROTOCOL[#DESC]` strings, list order). */
export const acl: Adapter = (i) => {
    const r = new Reader();
    const { rules, present } = hashLists(r, i, i.props, false);
    const firewall = items.firewall(i, ACL_KIND, {
        rules,
        problems: b.problemsAt(r, ...LIST_FIELDS.map(([, f]) => f)),
        tags: b.tags(r, i.props),
        keys: b.keys(r, i.props, "id"),
    });
    return { kind: "firewall", firewall, inlineFields: present };
};

/** One quintuple entry. */
function quintuple(r: Reader, o: b.Origin, item: Record<string, unknown>, p: string, dir: Direction, k: number): Rule {
    const mark = r.problems.length;
    const act = b.action(r, item, "action", at(p, "action"), ACTIONS);
    const proto = protocolWord(r, r.str(item, "protocol", at(p, "protocol")), at(p, "protocol"), ACL_PROTOCOLS);
    const ports = portWord(r, r.str(item, "destinationPort", at(p, "destinationPort")), at(p, "destinationPort"), proto);
    const remoteKey = dir === "ingress" ? "sourceCidr" : "destinationCidr";
    const localKey = dir === "ingress" ? "destinationCidr" : "sourceCidr";
    const peer = b.requiredCidrPeer(r, b.optional(r.str(item, remoteKey, at(p, remoteKey))), at(p, remoteKey));
    // What narrows the entry beyond (protocol, destination port, remote): its scope.
    const scope: string[] = [];
    const local = r.str(item, localKey, at(p, localKey));
    if (typeof local === "string" && local !== "") {
        const c = parseCidr(local);
        if (!c.ok) r.bad(at(p, localKey), c.problem);
        else if (!c.set.covers(c.family === "ipv4" ? AddressSet.ALL_V4 : AddressSet.ALL_V6)) scope.push(`local=${c.set.key()}`);
    } else if (local === UNKNOWN || local === BAD) scope.push("local=?");
    const sport = r.str(item, "sourcePort", at(p, "sourcePort"));
    if (typeof sport === "string" && sport !== "" && sport.trim().toLowerCase() !== "all") {
        const s = b.portString(r, sport, at(p, "sourcePort"), { listSep: "," });
        scope.push(`sport=${s ? s.toString() : "?"}`);
    } else if (sport === UNKNOWN || sport === BAD) scope.push("sport=?");
    const prio = r.int(item, "priority", at(p, "priority"));
    if (typeof prio === "number" && prio < 1) r.bad(at(p, "priority"), `priority ${prio} is below 1`);
    const order = typeof prio === "number" ? prio : prio === undefined ? k + 1 : undefined;
    return b.rule(o, p, r.problems.slice(mark), {
        direction: dir,
        action: act ?? "allow",
        protocol: proto,
        ports,
        peers: [peer],
        order,
        scope: scope.length ? scope.join(";") : undefined,
        unsure: act === undefined || order === undefined ? { action: act === undefined, order: order === undefined } : undefined,
    });
}

/** tencentcloud:Vpc/networkAclQuintuple:NetworkAclQuintuple (entries of an ACL declared elsewhere). */
export const networkAclQuintuple: Adapter = (i) => {
    const r = new Reader();
    const setPath = "networkAclQuintupleSet";
    const set = r.obj(i.props, setPath, setPath);
    if (set === undefined) r.bad(setPath, "is required but absent");
    const spec = (dir: Direction): items.EntrySpec => ({
        what: "an entry object",
        // Its position (1-based, like the priorities) is known; its action, which may be a drop, is not.
        placeholder: (k) => ({ direction: dir, order: k + 1, unsure: { action: true } }),
        read: (item, p, k) => quintuple(r, i, item, p, dir, k),
    });
    const rules = typeof set === "object" ? items.directionLists(r, i, set, LIST_FIELDS, spec, setPath).rules : [];
    const problems = b.problemsAt(r, setPath, ...LIST_FIELDS.map(([, f]) => at(setPath, f)));
    return items.rulesItem(i, r, ACL_KIND, "networkAclId", "network ACL", rules, { problems });
};

export const adapters: Record<string, Adapter> = {
    "tencentcloud:Security/group:Group": group,
    "tencentcloud:Security/groupRule:GroupRule": groupRule,
    "tencentcloud:Security/groupRuleSet:GroupRuleSet": groupRuleSet,
    "tencentcloud:Security/groupLiteRule:GroupLiteRule": groupLiteRule,
    "tencentcloud:Vpc/acl:Acl": acl,
    "tencentcloud:Vpc/networkAclQuintuple:NetworkAclQuintuple": networkAclQuintuple,
};
