/**
 * Azure network security groups, Azure Native (@pulumi/azure-native) and Azure classic
 * (@pulumi/azure): NSGs with inline `securityRules` and standalone rule resources. Stateful,
 * ordered by priority (lower first, 100-4096), allow and deny rules, and the built-in rules
 * 65000/65001/65500 as implicit rules. Types, fields and what an omitted field means:
 * docs/providers/azure.md.
 *
 * - Priorities are unique per direction: Azure refuses a second rule with a priority and
 *   direction already taken. The kind says `uniqueOrder`, so every rule of such a pair (inline,
 *   or standalone rules joined at stack level) is marked ambiguous and shadows nothing.
 * - Every field a rule is judged by is required: protocol, access, direction, priority, a
 *   destination and a source port range, a source and a destination (prefix, prefixes or
 *   application security groups). Azure has no default for any of them, so an absent one is
 *   malformed, never read as "any". A field's singular and plural forms (`sourceAddressPrefix` and
 *   `sourceAddressPrefixes`, the port ranges likewise) exclude each other; `""` is absent (how
 *   outputs write an unset string).
 * - Addresses: a CIDR or IP, `*`/`Any` (every address), `Internet` (the public internet), or
 *   a service tag (`VirtualNetwork`, `AzureLoadBalancer`, `Sql.WestEurope` ...), which is a
 *   reference, not public address space. Application security groups are references.
 * - The remote side is the source of an Inbound rule and the destination of an Outbound one.
 *   The local side (Inbound destination, Outbound source) and source ports narrow where a
 *   rule applies: they become the rule's `scope`, so a deny narrowed to one host does not
 *   shadow an allow for the whole group.
 * - Ports: `"22"`, `"1000-2000"`, `"*"`. Protocol `*` with port 22 is TCP and UDP port 22.
 * - Standalone rules find their NSG by resource group + NSG name (compared case-insensitively,
 *   as Azure names are), or by the `networkSecurityGroupName` property's dependencies.
 */
import type { Direction, Peer, Protocol, Rule } from "../model";
import { AddressSet, PUBLIC } from "../net/addresses";
import { PortSet } from "../net/ports";
import { normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at, type Read } from "./read";
import type { Adapter, Modeled, ResourceInput } from "./types";

/** Stateful, ordered by priority; a priority is unique per direction (see model/orders.ts). */
const NSG = { stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "deny" }, uniqueOrder: true } as const;
const ACCESS = { allow: ["allow"], deny: ["deny"] };
const DIRECTIONS = { ingress: ["inbound"], egress: ["outbound"] };
const PROTOCOLS = ["*", "any", "tcp", "udp", "icmp", "esp", "ah"];
const MIN_PRIORITY = 100;
const MAX_PRIORITY = 4096;

/** How a flavour spells application security groups. */
type AsgShape = "objects" | "id-list" | "id-string";

/** Azure's own protocol words (case-insensitive): `*`, Tcp, Udp, Icmp, Esp, Ah. */
function protocol(r: Reader, obj: unknown, path: string): Protocol | undefined {
    const w = b.oneOf(r, r.str(obj, "protocol", path), path, PROTOCOLS, "*, Tcp, Udp, Icmp, Esp, Ah", 20);
    return w === undefined ? undefined : normalizeProtocol(w);
}

/**
 * A port field given singular (`destinationPortRange: "22"`) and/or plural
 * (`destinationPortRanges: ["80", "1000-2000"]`). One of them is required.
 */
function ports(r: Reader, obj: unknown, base: string, single: string, plural: string): PortSet | undefined {
    const sp = at(base, single);
    const pp = at(base, plural);
    // "" is how outputs write an unset string: absent.
    const s = b.optional(r.str(obj, single, sp));
    const l = r.strings(obj, plural, pp);
    const empty = Array.isArray(l) && l.length === 0;
    if (s === undefined && (l === undefined || empty)) {
        r.bad(sp, `is required when ${plural} is ${empty ? "empty" : "absent"}`);
        return undefined;
    }
    if (s !== undefined && Array.isArray(l) && l.length > 0) r.bad(pp, `cannot be set together with ${single}: a rule takes one of them`);
    let set = PortSet.EMPTY;
    let unreadable = false;
    if (s !== undefined) {
        const p = b.portString(r, s, sp, { all: ["*"] });
        if (p) set = set.union(p);
        else unreadable = true;
    }
    if (l === UNKNOWN || l === BAD) unreadable = true;
    else if (l !== undefined) {
        for (const it of l) {
            const p = typeof it === "object" ? b.portString(r, it.value, it.path, { all: ["*"] }) : undefined;
            if (p) set = set.union(p);
            else unreadable = true;
        }
    }
    return unreadable ? undefined : set;
}

/** One address prefix: a CIDR/IP, `*`/`Any`, `Internet`, or a service tag. */
function prefixPeer(r: Reader, value: Read<string>, path: string): Peer {
    if (value === UNKNOWN || value === BAD || value === undefined) return { kind: "unreadable", path };
    const t = value.trim();
    const w = t.toLowerCase();
    if (w === "*" || w === "any") return { kind: "addresses", set: AddressSet.ALL, text: t, path };
    if (w === "internet") return { kind: "addresses", set: PUBLIC, text: t, path };
    if (t === "") {
        r.bad(path, "is empty");
        return { kind: "unreadable", path };
    }
    // Digits, dots, colons or a slash: an address. Service tags are words (`Sql.WestEurope`).
    if (/[/:]/.test(t) || /^[0-9.]+$/.test(t)) return b.cidrPeer(r, t, path);
    if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(t)) {
        r.bad(path, `"${b.clip(t, 20)}" is neither an address, a CIDR, * nor a service tag`);
        return { kind: "unreadable", path };
    }
    return { kind: "reference", refKind: "service tag", ref: t, path };
}

/** Application security groups of one side, in the flavour's shape. */
function asgPeers(r: Reader, obj: unknown, base: string, side: "source" | "destination", shape: AsgShape): Peer[] {
    const refKind = "application security group";
    if (shape === "objects") {
        const key = `${side}ApplicationSecurityGroups`;
        const path = at(base, key);
        // Ids of other resources are expected to be unknown during preview: not a problem.
        const l = r.raw(obj, key) === UNKNOWN ? UNKNOWN : r.list(obj, key, path);
        if (l === undefined) return [];
        if (l === UNKNOWN) return [{ kind: "reference", refKind, ref: b.UNKNOWN_REF, path }];
        if (l === BAD) return [{ kind: "unreadable", path }];
        return l.map((item, k): Peer => {
            const ip = `${path}[${k}]`;
            if (item === UNKNOWN) return { kind: "reference", refKind, ref: b.UNKNOWN_REF, path: ip };
            if (item === null || typeof item !== "object" || Array.isArray(item)) {
                r.bad(ip, item === null ? "is null inside the list" : "is not an object with an id");
                return { kind: "unreadable", path: ip };
            }
            const id = r.str(item, "id", at(ip, "id"), true);
            if (id === undefined) {
                r.bad(at(ip, "id"), "is required but absent");
                return { kind: "unreadable", path: at(ip, "id") };
            }
            return b.refPeer(id, at(ip, "id"), refKind);
        });
    }
    const key = `${side}ApplicationSecurityGroupIds`;
    const path = at(base, key);
    if (shape === "id-list") return b.refPeers(r, r.strings(obj, key, path, true), path, refKind);
    const id = b.optional(r.str(obj, key, path, true));
    return id === undefined ? [] : [b.refPeer(id, path, refKind)];
}

/** Every peer one side of a rule names: prefix, prefixes and application security groups. */
function side(r: Reader, obj: unknown, base: string, s: "source" | "destination", shape: AsgShape): Peer[] {
    const single = `${s}AddressPrefix`;
    const plural = `${s}AddressPrefixes`;
    const peers: Peer[] = [];
    // "" is how outputs write an unset string: absent.
    const one = b.optional(r.str(obj, single, at(base, single)));
    if (one !== undefined) peers.push(prefixPeer(r, one, at(base, single)));
    const many = r.strings(obj, plural, at(base, plural));
    if (one !== undefined && Array.isArray(many) && many.length > 0) r.bad(at(base, plural), `cannot be set together with ${single}: a rule takes one of them`);
    if (many === UNKNOWN || many === BAD) peers.push({ kind: "unreadable", path: at(base, plural) });
    else if (many !== undefined) {
        many.forEach((it, k) => peers.push(typeof it === "object" ? prefixPeer(r, it.value, it.path) : { kind: "unreadable", path: `${at(base, plural)}[${k}]` }));
    }
    peers.push(...asgPeers(r, obj, base, s, shape));
    if (peers.length === 0) r.bad(at(base, single), `is required when ${plural} and the ${s} application security groups are absent`);
    return peers;
}

/** Whether a local-side peer covers every member of the group (the rule is not narrowed). */
function coversEveryMember(p: Peer): boolean {
    if (p.kind === "addresses") return p.set.covers(AddressSet.ALL_V4) || p.set.covers(AddressSet.ALL_V6);
    return p.kind === "reference" && p.refKind === "service tag" && p.ref.toLowerCase() === "virtualnetwork";
}

let unknownSeq = 0;

/** The scope key of a rule's local side and source ports; undefined when not narrowed. */
function scopeOf(local: Peer[], sourcePorts: PortSet | undefined): string | undefined {
    const parts: string[] = [];
    if (local.length && !local.some(coversEveryMember)) {
        // An id not known until apply matches no other rule's scope.
        const keys = local.map((p) => (p.kind === "addresses" ? `a:${p.set.key()}` : p.kind === "reference" ? (p.ref === b.UNKNOWN_REF ? `?${++unknownSeq}` : `r:${p.ref.toLowerCase()}`) : `?${++unknownSeq}`)).sort();
        parts.push(`local:${keys.join(",")}`);
    }
    if (sourcePorts === undefined) parts.push(`sport:?${++unknownSeq}`);
    else if (!sourcePorts.isAll) parts.push(`sport:${sourcePorts.toString()}`);
    return parts.length ? parts.join("|") : undefined;
}

/** One security rule, inline (`securityRules[2]`) or a standalone resource (base ``). */
function securityRule(r: Reader, i: ResourceInput, obj: unknown, base: string, shape: AsgShape): Rule {
    const mark = r.problems.length;
    const pp = at(base, "priority");
    const priority = r.int(obj, "priority", pp);
    if (priority === undefined) r.bad(pp, "is required but absent");
    else if (typeof priority === "number" && (priority < MIN_PRIORITY || priority > MAX_PRIORITY)) r.bad(pp, `priority ${priority} is outside ${MIN_PRIORITY}-${MAX_PRIORITY}`);
    const act = b.action(r, obj, "access", at(base, "access"), ACCESS);
    const dir = b.direction(r, obj, "direction", at(base, "direction"), DIRECTIONS);
    const proto = protocol(r, obj, at(base, "protocol"));
    const dports = ports(r, obj, base, "destinationPortRange", "destinationPortRanges");
    const sports = ports(r, obj, base, "sourcePortRange", "sourcePortRanges");
    const src = side(r, obj, base, "source", shape);
    const dst = side(r, obj, base, "destination", shape);
    const egress = dir === "egress";
    const orderKnown = typeof priority === "number" && priority >= MIN_PRIORITY && priority <= MAX_PRIORITY;
    const unsure = { action: act === undefined || dir === undefined, order: !orderKnown, direction: dir === undefined };
    return b.rule(i, base, r.problems.slice(mark), {
        direction: dir ?? "ingress",
        action: act ?? "allow",
        protocol: proto,
        ports: dports,
        peers: egress ? dst : src,
        order: orderKnown ? priority : undefined,
        scope: scopeOf(egress ? src : dst, sports),
        unsure: unsure.action || unsure.order || unsure.direction ? unsure : undefined,
    });
}

/** The rules Azure adds to every NSG (never reported; evaluated after the user's rules). */
export function defaultRules(o: b.Origin): Rule[] {
    const tag = (ref: string, path: string): Peer => ({ kind: "reference", refKind: "service tag", ref, path });
    const mk = (name: string, order: number, direction: Direction, action: "allow" | "deny", peer: Peer): Rule =>
        b.rule(o, `(default rule ${name})`, [], { direction, action, protocol: "all", ports: PortSet.ALL, peers: [peer], order });
    return [
        mk("AllowVnetInBound", 65000, "ingress", "allow", tag("VirtualNetwork", "(default rule AllowVnetInBound)")),
        mk("AllowAzureLoadBalancerInBound", 65001, "ingress", "allow", tag("AzureLoadBalancer", "(default rule AllowAzureLoadBalancerInBound)")),
        mk("DenyAllInBound", 65500, "ingress", "deny", b.anyPeer("(default rule DenyAllInBound)", "*")),
        mk("AllowVnetOutBound", 65000, "egress", "allow", tag("VirtualNetwork", "(default rule AllowVnetOutBound)")),
        mk("AllowInternetOutBound", 65001, "egress", "allow", { kind: "addresses", set: PUBLIC, text: "Internet", path: "(default rule AllowInternetOutBound)" }),
        mk("DenyAllOutBound", 65500, "egress", "deny", b.anyPeer("(default rule DenyAllOutBound)", "*")),
    ];
}

/** The group's lower-cased `resource-group/name` key from an Azure resource id. */
function keyFromId(id: string): string | undefined {
    const m = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/networkSecurityGroups\/([^/]+)$/i.exec(id);
    return m ? `${m[1]}/${m[2]}`.toLowerCase() : undefined;
}

/** Literal keys an NSG is known by: `rg/name` (as written and lower-cased) and its id. */
function nsgKeys(r: Reader, props: unknown, nameFields: string[]): string[] {
    const out = new Set<string>();
    const rg = b.key(r, props, "resourceGroupName", "resourceGroupName");
    for (const f of nameFields) {
        const n = b.key(r, props, f, f);
        if (rg && n) {
            out.add(`${rg}/${n}`);
            out.add(`${rg}/${n}`.toLowerCase());
            break;
        }
    }
    const id = b.key(r, props, "id", "id");
    if (id) {
        out.add(id);
        const k = keyFromId(id);
        if (k) out.add(k);
    }
    return [...out];
}

function nsgAdapter(nameFields: string[], shape: AsgShape): Adapter {
    return (i) => {
        const r = new Reader();
        const field = "securityRules";
        const list = r.list(i.props, field, field);
        const rules = items.entries(r, i, list, field, {
            what: "a rule object",
            placeholder: () => ({ direction: "ingress", unsure: { action: true, order: true, direction: true } }),
            read: (item, base) => securityRule(r, i, item, base, shape),
        });
        const firewall = items.firewall(i, NSG, {
            rules,
            problems: b.problemsAt(r, field),
            implicitRules: defaultRules(i),
            tags: b.tags(r, i.props),
            keys: nsgKeys(r, i.props, nameFields),
        });
        return { kind: "firewall", firewall, inlineFields: list === undefined ? [] : [field] };
    };
}

function ruleAdapter(shape: AsgShape): Adapter {
    return (i): Modeled => {
        const r = new Reader();
        const rule = securityRule(r, i, i.props, "", shape);
        const rg = b.key(r, i.props, "resourceGroupName", "resourceGroupName");
        const nsg = b.key(r, i.props, "networkSecurityGroupName", "networkSecurityGroupName");
        return {
            ...items.rulesItem(i, r, NSG, "networkSecurityGroupName", "network security group", [rule], { implicitRules: defaultRules(i) }),
            // The NSG is known by resource group and name together.
            parentKey: rg && nsg ? `${rg}/${nsg}`.toLowerCase() : undefined,
        };
    };
}

/** azure-native:network:NetworkSecurityGroup (and its versioned aliases). */
export const nativeNetworkSecurityGroup = nsgAdapter(["networkSecurityGroupName", "name"], "objects");
/** azure-native:network:SecurityRule (and its versioned aliases). */
export const nativeSecurityRule = ruleAdapter("objects");
/** azure:network/networkSecurityGroup:NetworkSecurityGroup */
export const classicNetworkSecurityGroup = nsgAdapter(["name"], "id-list");
/** azure:network/networkSecurityRule:NetworkSecurityRule (ASG ids are single strings here). */
export const classicNetworkSecurityRule = ruleAdapter("id-string");

export const adapters: Record<string, Adapter> = {
    "azure-native:network:NetworkSecurityGroup": nativeNetworkSecurityGroup,
    "azure-native:network:SecurityRule": nativeSecurityRule,
    "azure:network/networkSecurityGroup:NetworkSecurityGroup": classicNetworkSecurityGroup,
    "azure:network/networkSecurityRule:NetworkSecurityRule": classicNetworkSecurityRule,
};

export const patterns: Array<[RegExp, Adapter]> = [
    [/^azure-native:network(\/v[0-9a-z]+)?:NetworkSecurityGroup$/, nativeNetworkSecurityGroup],
    [/^azure-native:network(\/v[0-9a-z]+)?:SecurityRule$/, nativeSecurityRule],
];
