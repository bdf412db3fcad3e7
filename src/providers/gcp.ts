/**
 * Google Cloud (@pulumi/gcp): VPC firewall rules and firewall-policy rules. Stateful and
 * ordered by priority (lower first; a deny beats an allow at equal priority).
 * Types, fields and what an omitted field means: docs/providers/gcp.md.
 *
 * - A `Firewall` resource is a set of rules of its `network`: all firewalls of one network are
 *   judged together (a deny in one resource shadows an allow in another). Its implied rules
 *   (deny all ingress, allow all egress, priority 65535) come with it.
 * - `allows[]`/`denies[]` carry a protocol (`tcp`, `all`, a number ...) and `ports`; omitted or
 *   empty `ports` means every port. Source tags and service accounts are references, a union
 *   with `sourceRanges` (a tag never narrows a range).
 * - An INGRESS firewall with no source (no `sourceRanges`, `sourceTags` or
 *   `sourceServiceAccounts`, or only empty lists) applies to 0.0.0.0/0 in the GCP API; recent
 *   providers refuse it at plan time, older ones and the API do not. An allow is judged as
 *   0.0.0.0/0; a deny shadows nothing (current providers refuse it, so it may not exist).
 * - VPC firewall rules may share a priority; firewall-policy rules may not (the priority is the
 *   rule's id in its policy, whatever the direction, disabled rules included): policy kinds say
 *   `uniqueOrder: "policy"`.
 * - Target tags, target service accounts and the local ranges (ingress `destinationRanges`,
 *   egress `sourceRanges`) narrow where a rule applies: they become the rule's `scope`, so a
 *   deny for tagged instances does not shadow an allow for the whole network.
 * - Firewall-policy rules (`match.layer4Configs`, `srcIpRanges`, address groups, FQDNs, region
 *   codes, threat intelligence, secure tags; `srcNetworkScope: INTERNET` is the internet) belong
 *   to their `firewallPolicy`; the `...WithRules` forms hold them inline in `rules[]`. Action
 *   `goto_next` decides nothing here (kept, disabled); `apply_security_profile_group` allows.
 */
import type { Action, Direction, Peer, Rule } from "../model";
import { AddressSet, PUBLIC } from "../net/addresses";
import { PortSet } from "../net/ports";
import { hasPorts } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at } from "./read";
import type { Adapter, Modeled } from "./types";

const STATEFUL = { stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "allow" } } as const;
/** A firewall policy: each rule's priority is unique in the policy, whatever its direction (see model/orders.ts). */
const POLICY = { ...STATEFUL, uniqueOrder: "policy" } as const;
const DIRECTIONS = { ingress: ["ingress"], egress: ["egress"] };
const FIREWALL_MAX_PRIORITY = 65535;
/** The lowest priority a user's firewall-policy rule may take (GCP keeps the ones below for its own rules). */
const POLICY_MAX_PRIORITY = 2147483547;

/** How an INGRESS firewall without a source is named: what GCP applies it to, and why. */
const NO_SOURCE_TEXT = "0.0.0.0/0 (no source given: the GCP API's default; current providers also refuse the rule as written)";
const NO_SOURCE_DENY =
    "is absent, and so are sourceTags and sourceServiceAccounts: the GCP API would apply the deny to 0.0.0.0/0, but current providers refuse the rule as written, so it may not exist and shadows nothing";

/** Whether a list read by Reader.strings holds at least one element. */
function nonEmpty(l: ReturnType<Reader["strings"]>): boolean {
    return Array.isArray(l) && l.length > 0;
}

/** Ports of one allows/denies entry or layer-4 config: absent or empty = every port. */
function portList(r: Reader, obj: unknown, base: string, proto: ReturnType<typeof b.protocol>): PortSet | undefined {
    const path = at(base, "ports");
    const l = r.strings(obj, "ports", path);
    if (l === UNKNOWN || l === BAD) return undefined;
    if (l === undefined || l.length === 0) return PortSet.ALL;
    if (proto !== undefined && (!hasPorts(proto) || proto === "all") && proto !== "ip-132") {
        // GCP takes ports only with tcp, udp and sctp.
        r.bad(path, `ports are only allowed with tcp, udp or sctp`);
        return PortSet.ALL;
    }
    let set = PortSet.EMPTY;
    let ok = true;
    for (const it of l) {
        if (typeof it !== "object") {
            ok = false;
            continue;
        }
        const p = b.portString(r, it.value, it.path, {});
        if (p) set = set.union(p);
        else ok = false;
    }
    return ok ? set : undefined;
}

/** A priority within 0..max; absent takes `dflt` (or is malformed when there is none). */
function priority(r: Reader, obj: unknown, path: string, max: number, dflt?: number): number | undefined {
    const v = r.int(obj, "priority", path);
    if (v === undefined) {
        if (dflt !== undefined) return dflt;
        r.bad(path, "is required but absent");
        return undefined;
    }
    if (v === UNKNOWN || v === BAD) return undefined;
    if (v < 0 || v > max) {
        r.bad(path, `priority ${v} is outside 0-${max}`);
        return undefined;
    }
    return v;
}

/** `disabled`: unknown leaves the rule's effect unsure (it may be off). */
function disabled(r: Reader, obj: unknown, path: string): { disabled: boolean; unsure: boolean } {
    const v = r.bool(obj, "disabled", path);
    return { disabled: v === true, unsure: v === UNKNOWN || v === BAD };
}

let unknownSeq = 0;

/** Scope key of a rule's local side (targets, local ranges); undefined = every instance. */
function scopeOf(parts: Array<[string, Peer[]]>): string | undefined {
    const out: string[] = [];
    for (const [label, peers] of parts) {
        if (peers.length === 0) continue;
        // A target not known until apply matches no other rule's scope.
        const keys = peers.map((p) => (p.kind === "addresses" ? `a:${p.set.key()}` : p.kind === "reference" ? (p.ref === b.UNKNOWN_REF ? `?${++unknownSeq}` : `r:${p.ref}`) : `?${++unknownSeq}`)).sort();
        out.push(`${label}:${keys.join(",")}`);
    }
    return out.length ? out.join("|") : undefined;
}

/** A network reference as a join key: `default` and `global/networks/default` are the same. */
export function networkKey(v: string | undefined): string | undefined {
    if (!v) return undefined;
    const t = v.trim();
    const full = /(?:^|\/)projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(t);
    if (full) return `projects/${full[1]}/global/networks/${full[2]}`;
    const short = /^global\/networks\/([^/]+)$/.exec(t);
    return short ? short[1] : t;
}

/** The implied rules of every VPC network. */
export function impliedRules(o: b.Origin): Rule[] {
    const mk = (direction: Direction, action: Action, path: string): Rule =>
        b.rule(o, path, [], { direction, action, protocol: "all", ports: PortSet.ALL, peers: [b.anyPeer(path, direction === "ingress" ? "0.0.0.0/0, ::/0" : "0.0.0.0/0, ::/0")], order: FIREWALL_MAX_PRIORITY });
    return [mk("ingress", "deny", "(implied rule: deny all ingress)"), mk("egress", "allow", "(implied rule: allow all egress)")];
}

/** gcp:compute/firewall:Firewall: one RulesItem of its network. */
export const firewall: Adapter = (i): Modeled => {
    const r = new Reader();
    const props = i.props;
    const dir = b.direction(r, props, "direction", "direction", DIRECTIONS, "ingress");
    const prio = priority(r, props, "priority", FIREWALL_MAX_PRIORITY, 1000);
    const off = disabled(r, props, "disabled");
    // Tags and service accounts may be other resources' outputs: unknown is expected then.
    const v = (key: string, quiet = false) => r.strings(props, key, key, quiet);
    const egress = dir === "egress";
    let peers: Peer[];
    let local: Peer[];
    let noSource = false;
    if (egress) {
        const dst = v("destinationRanges");
        peers = b.cidrPeers(r, dst, "destinationRanges");
        if (dst === undefined || (Array.isArray(dst) && dst.length === 0)) peers = [{ kind: "addresses", set: AddressSet.ALL_V4, text: "0.0.0.0/0 (the default without destinationRanges)", path: "destinationRanges" }];
        local = b.cidrPeers(r, v("sourceRanges"), "sourceRanges");
    } else {
        const tags = v("sourceTags", true);
        const accounts = v("sourceServiceAccounts", true);
        peers = [
            ...b.cidrPeers(r, v("sourceRanges"), "sourceRanges"),
            ...b.refPeers(r, tags, "sourceTags", "network tag"),
            ...b.refPeers(r, accounts, "sourceServiceAccounts", "service account"),
        ];
        if (peers.length === 0) {
            // No source (or only empty lists): the GCP API applies the rule to 0.0.0.0/0.
            noSource = true;
            peers = [{ kind: "addresses", set: AddressSet.ALL_V4, text: NO_SOURCE_TEXT, path: "sourceRanges" }];
        }
        if (nonEmpty(tags) && nonEmpty(accounts)) r.bad("sourceServiceAccounts", "cannot be used together with sourceTags");
        local = b.cidrPeers(r, v("destinationRanges"), "destinationRanges");
    }
    const targetTags = v("targetTags", true);
    const targetAccounts = v("targetServiceAccounts", true);
    if (nonEmpty(targetAccounts) && (nonEmpty(targetTags) || (!egress && nonEmpty(v("sourceTags", true))))) r.bad("targetServiceAccounts", "cannot be used together with targetTags or sourceTags");
    const scope = scopeOf([
        ["local", local],
        ["tags", b.refPeers(r, targetTags, "targetTags", "network tag")],
        ["accounts", b.refPeers(r, targetAccounts, "targetServiceAccounts", "service account")],
    ]);
    const shared = r.problems.slice();
    // A deny without a source: current providers refuse it as written, so it may not exist.
    const denyShared = noSource ? [...shared, { kind: "malformed" as const, path: "sourceRanges", problem: NO_SOURCE_DENY }] : shared;
    const unsure = { action: off.unsure || dir === undefined, order: prio === undefined, direction: dir === undefined };
    const rules: Rule[] = [];
    const itemProblems: Rule["problems"] = [];
    const lists: Array<[string, Action]> = [
        ["allows", "allow"],
        ["denies", "deny"],
    ];
    const present: string[] = [];
    for (const [field, action] of lists) {
        const mark = r.problems.length;
        const list = r.list(props, field, field);
        if (list === undefined) continue;
        present.push(field);
        if (list === UNKNOWN || list === BAD) {
            itemProblems.push(...r.problems.slice(mark));
            continue;
        }
        if (list.length === 0) present.pop();
        list.forEach((item, k) => {
            const base = `${field}[${k}]`;
            const m = r.problems.length;
            if (item === UNKNOWN || item === null || typeof item !== "object" || Array.isArray(item)) {
                if (item === UNKNOWN) r.unknown(base);
                else r.bad(base, item === null ? "is null inside the list" : "is not an object with a protocol");
                rules.push(b.rule(i, base, [...(action === "deny" ? denyShared : shared), ...r.problems.slice(m)], { direction: dir ?? "ingress", action, peers: [...peers, { kind: "unreadable", path: base }], order: prio, disabled: off.disabled, scope, unsure }));
                return;
            }
            const proto = b.protocol(r, item, "protocol", at(base, "protocol"));
            const ports = portList(r, item, base, proto);
            rules.push(
                b.rule(i, base, [...(action === "deny" ? denyShared : shared), ...r.problems.slice(m)], {
                    direction: dir ?? "ingress",
                    action,
                    protocol: proto,
                    ports,
                    peers,
                    order: prio,
                    disabled: off.disabled,
                    scope,
                    unsure: unsure.action || unsure.order || unsure.direction ? unsure : undefined,
                }),
            );
        });
    }
    if (present.length === 0) itemProblems.push({ kind: "malformed", path: "allows", problem: "is required when denies is absent (a firewall needs allows or denies)" });
    else if (present.length === 2) itemProblems.push({ kind: "malformed", path: "denies", problem: "cannot be set together with allows" });
    if (rules.length === 0) itemProblems.push(...shared);
    const net = r.raw(props, "network");
    return {
        ...items.rulesItem(i, r, STATEFUL, "network", "VPC network", rules, { problems: itemProblems, implicitRules: impliedRules(i) }),
        // `default` and `global/networks/default` name the same network.
        parentKey: networkKey(typeof net === "string" && net !== "" ? net : undefined),
    };
};

/** Reference peers of a list of strings (ids of other resources: unknown is expected). */
function refs(r: Reader, obj: unknown, key: string, base: string, refKind: string): Peer[] {
    return b.refPeers(r, r.strings(obj, key, at(base, key), true), at(base, key), refKind);
}

/** Secure tags: `[{name}]`. */
function secureTags(r: Reader, obj: unknown, key: string, base: string): Peer[] {
    const path = at(base, key);
    const l = r.raw(obj, key) === UNKNOWN ? UNKNOWN : r.list(obj, key, path);
    if (l === undefined) return [];
    if (l === UNKNOWN) return [{ kind: "reference", refKind: "secure tag", ref: b.UNKNOWN_REF, path }];
    if (l === BAD) return [{ kind: "unreadable", path }];
    return l.map((item, k): Peer => {
        const ip = `${path}[${k}]`;
        if (item === UNKNOWN) return { kind: "reference", refKind: "secure tag", ref: b.UNKNOWN_REF, path: ip };
        if (item === null || typeof item !== "object" || Array.isArray(item)) {
            r.bad(ip, item === null ? "is null inside the list" : "is not an object with a name");
            return { kind: "unreadable", path: ip };
        }
        const n = r.str(item, "name", at(ip, "name"), true);
        if (n === BAD) return { kind: "unreadable", path: at(ip, "name") };
        return { kind: "reference", refKind: "secure tag", ref: n === undefined ? "(no name)" : n === UNKNOWN ? b.UNKNOWN_REF : n, path: at(ip, "name") };
    });
}

const NETWORK_SCOPES = ["UNSPECIFIED", "INTERNET", "INTRA_VPC", "NON_INTERNET", "VPC_NETWORKS"];

/**
 * One side (`src` or `dest`) of a firewall-policy rule's match. Every listed source is an
 * alternative (OR); a network scope narrows them all (AND): INTERNET keeps only public
 * addresses, other scopes leave no public address.
 */
function matchSide(r: Reader, match: unknown, base: string, s: "src" | "dest"): { peers: Peer[]; local: Peer[] } {
    const ranges = b.cidrPeers(r, r.strings(match, `${s}IpRanges`, at(base, `${s}IpRanges`)), at(base, `${s}IpRanges`));
    const groups = refs(r, match, `${s}AddressGroups`, base, "address group");
    const others: Peer[] = [
        ...refs(r, match, `${s}Fqdns`, base, "FQDN"),
        ...refs(r, match, `${s}RegionCodes`, base, "region code"),
        ...refs(r, match, `${s}ThreatIntelligences`, base, "threat intelligence list"),
        ...(s === "src" ? [...secureTags(r, match, "srcSecureTags", base), ...refs(r, match, "srcNetworks", base, "VPC network")] : []),
    ];
    let peers: Peer[] = [...ranges, ...groups, ...others];
    for (const key of [`${s}NetworkScope`, `${s}NetworkContext`]) {
        const path = at(base, key);
        const ns = r.str(match, key, path);
        if (ns === undefined) continue;
        if (ns === UNKNOWN || ns === BAD) {
            peers = [...peers, { kind: "unreadable", path }];
            continue;
        }
        const w = ns.trim().toUpperCase();
        if (!NETWORK_SCOPES.includes(w)) {
            r.bad(path, `"${b.clip(ns, 20)}" is not one of ${NETWORK_SCOPES.join(", ")}`);
            peers = [...peers, { kind: "unreadable", path }];
        } else if (w === "INTERNET") {
            // The internet alone, or only the public part of the sources listed with it.
            peers = peers.length
                ? peers.map((p) => (p.kind === "addresses" ? { ...p, set: p.set.intersect(PUBLIC) } : p))
                : [{ kind: "addresses", set: PUBLIC, text: `${key} ${w}`, path }];
        } else if (w !== "UNSPECIFIED") {
            // Not the internet: addresses stay, but none of them is reachable from the internet.
            const ref: Peer = { kind: "reference", refKind: "network scope", ref: w, path };
            peers = [...peers.filter((p) => p.kind !== "addresses"), ref];
        }
    }
    // The local side of a rule: its ranges and address groups narrow where it applies.
    return { peers, local: [...ranges, ...groups] };
}

/** `targetType` other than INSTANCES (the default) narrows a rule to load balancers. */
function targetType(r: Reader, obj: unknown, base: string): Peer[] {
    const path = at(base, "targetType");
    const v = r.str(obj, "targetType", path);
    if (v === undefined || v === BAD) return [];
    if (v === UNKNOWN) return [{ kind: "unreadable", path }];
    const w = v.trim().toUpperCase();
    return w === "INSTANCES" ? [] : [{ kind: "reference", refKind: "target type", ref: w, path }];
}

const POLICY_ACTIONS = ["allow", "deny", "gotonext", "applysecurityprofilegroup"];

/**
 * One firewall-policy rule (a resource, base ``; or `rules[2]` of a WithRules form): one model
 * rule per `match.layer4Configs` entry.
 */
function policyRule(r: Reader, o: b.Origin, obj: unknown, base: string, directionRequired: boolean): Rule[] {
    const mark = r.problems.length;
    const prio = priority(r, obj, at(base, "priority"), POLICY_MAX_PRIORITY);
    const dir = b.direction(r, obj, "direction", at(base, "direction"), DIRECTIONS, directionRequired ? undefined : "ingress");
    const off = disabled(r, obj, at(base, "disabled"));
    const ap = at(base, "action");
    const a = r.str(obj, "action", ap);
    let action: Action | undefined;
    let gotoNext = false;
    if (a === undefined) r.bad(ap, "is required but absent");
    else if (a !== UNKNOWN && a !== BAD) {
        const w = a.trim().toLowerCase().replace(/_/g, "");
        if (!POLICY_ACTIONS.includes(w)) r.bad(ap, `"${b.clip(a, 20)}" is not one of allow, deny, goto_next, apply_security_profile_group`);
        else if (w === "deny") action = "deny";
        else {
            action = "allow";
            gotoNext = w === "gotonext";
        }
    }
    const mp = at(base, "match");
    const match = r.obj(obj, "match", mp);
    if (match === undefined) r.bad(mp, "is required but absent");
    const egress = dir === "egress";
    let peers: Peer[] = [];
    let local: Peer[] = [];
    if (match && typeof match === "object") {
        const src = matchSide(r, match, mp, "src");
        const dst = matchSide(r, match, mp, "dest");
        peers = egress ? dst.peers : src.peers;
        local = egress ? src.local : dst.local;
        if (peers.length === 0) {
            if (egress) peers = [b.anyPeer(at(mp, "destIpRanges"), "any destination")];
            else {
                // Named as malformed (a deny without a source shadows nothing), and an allow is
                // judged at its widest: never a pass because the source was left out.
                r.bad(at(mp, "srcIpRanges"), "is required for INGRESS when no other source (address groups, FQDNs, region codes, threat intelligence, secure tags, network scope) is given; an allow is judged as open to any address");
                peers = [b.anyPeer(at(mp, "srcIpRanges"), "any address (no source given)")];
            }
        }
    } else {
        peers = [{ kind: "unreadable", path: mp }];
    }
    const scope = scopeOf([
        ["local", local],
        ["accounts", refs(r, obj, "targetServiceAccounts", base, "service account")],
        ["tags", secureTags(r, obj, "targetSecureTags", base)],
        ["resources", refs(r, obj, "targetResources", base, "VPC network")],
        ["forwarding", refs(r, obj, "targetForwardingRules", base, "forwarding rule")],
        ["type", targetType(r, obj, base)],
    ]);
    const shared = r.problems.slice(mark);
    const unsure = { action: action === undefined || off.unsure || dir === undefined, order: prio === undefined, direction: dir === undefined };
    const fields = {
        // One model rule per layer4Configs entry: they share this rule's priority (not duplicates).
        entry: base,
        direction: dir ?? ("ingress" as Direction),
        action: action ?? ("allow" as Action),
        peers,
        order: prio,
        // goto_next hands the traffic to the next policy level: it decides nothing here.
        disabled: off.disabled || gotoNext,
        scope,
        unsure: unsure.action || unsure.order || unsure.direction ? unsure : undefined,
    };
    const lp = at(mp, "layer4Configs");
    const l4 = match && typeof match === "object" ? r.list(match, "layer4Configs", lp) : undefined;
    if (l4 === undefined || (Array.isArray(l4) && l4.length === 0)) {
        if (match && typeof match === "object") r.bad(lp, "is required but absent");
        return [b.rule(o, base, r.problems.slice(mark), { ...fields, peers: [...peers, { kind: "unreadable", path: lp }] })];
    }
    if (l4 === UNKNOWN || l4 === BAD) return [b.rule(o, base, r.problems.slice(mark), { ...fields, peers: [...peers, { kind: "unreadable", path: lp }] })];
    return l4.map((cfg, k) => {
        const cp = `${lp}[${k}]`;
        const m = r.problems.length;
        if (cfg === UNKNOWN || cfg === null || typeof cfg !== "object" || Array.isArray(cfg)) {
            if (cfg === UNKNOWN) r.unknown(cp);
            else r.bad(cp, cfg === null ? "is null inside the list" : "is not an object with an ipProtocol");
            return b.rule(o, cp, [...shared, ...r.problems.slice(m)], { ...fields, peers: [...peers, { kind: "unreadable", path: cp }] });
        }
        const proto = b.protocol(r, cfg, "ipProtocol", at(cp, "ipProtocol"));
        const ports = portList(r, cfg, cp, proto);
        return b.rule(o, cp, [...shared, ...r.problems.slice(m)], { ...fields, protocol: proto, ports });
    });
}

/** gcp:compute/{,network,regionNetwork}FirewallPolicyRule: rules of their `firewallPolicy`. */
export const firewallPolicyRule: Adapter = (i): Modeled => {
    const r = new Reader();
    const rules = policyRule(r, i, i.props, "", true);
    const fp = r.raw(i.props, "firewallPolicy");
    // The policy's key is a literal string only.
    return { ...items.rulesItem(i, r, POLICY, "firewallPolicy", "firewall policy", rules), parentKey: typeof fp === "string" && fp !== "" ? fp : undefined };
};

/** gcp:compute/{,network,regionNetwork}FirewallPolicyWithRules: a policy with inline `rules[]`. */
export const firewallPolicyWithRules: Adapter = (i): Modeled => {
    const r = new Reader();
    const list = r.list(i.props, "rules", "rules");
    if (list === undefined) r.bad("rules", "is required but absent");
    const rules = items.entries(r, i, list, "rules", {
        what: "a rule object",
        placeholder: () => ({ direction: "ingress", unsure: { action: true, order: true, direction: true } }),
        read: (item, base) => policyRule(r, i, item, base, false),
    });
    return {
        kind: "firewall",
        firewall: items.firewall(i, POLICY, {
            rules,
            problems: b.problemsAt(r, "rules"),
            keys: b.keys(r, i.props, "id", "name", "selfLink", "policyId"),
        }),
        inlineFields: list === undefined ? [] : ["rules"],
    };
};

export const adapters: Record<string, Adapter> = {
    "gcp:compute/firewall:Firewall": firewall,
    "gcp:compute/firewallPolicyRule:FirewallPolicyRule": firewallPolicyRule,
    "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule": firewallPolicyRule,
    "gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule": firewallPolicyRule,
    "gcp:compute/firewallPolicyWithRules:FirewallPolicyWithRules": firewallPolicyWithRules,
    "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules": firewallPolicyWithRules,
    "gcp:compute/regionNetworkFirewallPolicyWithRules:RegionNetworkFirewallPolicyWithRules": firewallPolicyWithRules,
};
