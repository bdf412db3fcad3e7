/**
 * Rule evaluation over the model: what each allow rule effectively lets through once rule
 * order and deny rules are applied.
 *
 * - Unordered firewalls (security groups) are unions of allows; any deny rules they have
 *   override allows.
 * - Ordered firewalls (ACLs, NSGs, priorities) are first match: a rule only sees the traffic
 *   that no earlier rule matched. At equal order, deny comes first (GCP's rule).
 * Traffic is split by "slot": tcp and udp (matched on ports) and `other` (every protocol
 * without ports; only all-protocol rules reach it).
 */
import type { Direction, Firewall, Peer, Rule } from "../model";
import { AddressSet } from "../net/addresses";
import { PortSet } from "../net/ports";

export type Slot = "tcp" | "udp" | "other";
export const SLOTS: readonly Slot[] = ["tcp", "udp", "other"];

/** A box of traffic: ports x addresses, in one slot. */
export interface Piece {
    slot: Slot;
    ports: PortSet;
    addrs: AddressSet;
}

export interface Effect {
    rule: Rule;
    /** Whether the rule is one the cloud adds itself. */
    implicit: boolean;
    /** What the rule certainly matches (known parts only), before earlier rules. */
    match: Piece[];
    /** Allow rules: what the rule lets through after earlier (certain) deny rules. */
    pieces: Piece[];
    /** Earlier rules that could not be read and may deny part of this rule's traffic. */
    maybeShadowedBy: Rule[];
    /** The rule's own match could not be fully read (unknown/malformed protocol, ports or peers). */
    incomplete: boolean;
    /** Peers that hide addresses: security-group references, unresolved prefix lists. */
    opaque: Peer[];
}

/** The address set a rule's peers name (known parts only). */
export function peerAddresses(rule: Rule): { set: AddressSet; opaque: Peer[]; unreadable: boolean } {
    let set = AddressSet.EMPTY;
    const opaque: Peer[] = [];
    let unreadable = false;
    for (const p of rule.peers) {
        if (p.kind === "addresses") set = set.union(p.set);
        else if (p.kind === "prefix-list" && p.resolved) set = set.union(p.resolved);
        else if (p.kind === "unreadable") unreadable = true;
        else opaque.push(p);
    }
    return { set, opaque, unreadable };
}

/** Slots and ports a rule matches; undefined when protocol or ports are unreadable. */
export function ruleSlots(rule: Rule): Array<{ slot: Slot; ports: PortSet }> | undefined {
    const proto = rule.protocol;
    if (proto === undefined) return undefined;
    if (proto === "tcp" || proto === "udp") {
        if (!rule.ports) return undefined;
        return [{ slot: proto, ports: rule.ports }];
    }
    if (proto === "all") {
        if (!rule.ports) return undefined;
        const out: Array<{ slot: Slot; ports: PortSet }> = [
            { slot: "tcp", ports: rule.ports },
            { slot: "udp", ports: rule.ports },
        ];
        if (rule.ports.isAll) out.push({ slot: "other", ports: PortSet.ALL });
        return out;
    }
    return []; // icmp, gre ...: nothing any policy judges
}

function ruleMatch(rule: Rule): { match: Piece[]; incomplete: boolean; opaque: Peer[] } {
    const slots = ruleSlots(rule);
    const { set, opaque, unreadable } = peerAddresses(rule);
    const incomplete = slots === undefined || unreadable || rule.problems.length > 0;
    if (!slots || set.isEmpty) return { match: [], incomplete, opaque };
    return { match: slots.filter((s) => !s.ports.isEmpty).map((s) => ({ ...s, addrs: set })), incomplete, opaque };
}

/** Remove a deny box from pieces (same slot). */
function subtractBox(pieces: Piece[], deny: Piece): Piece[] {
    const out: Piece[] = [];
    for (const p of pieces) {
        if (p.slot !== deny.slot) {
            out.push(p);
            continue;
        }
        const common = p.ports.intersect(deny.ports);
        if (common.isEmpty) {
            out.push(p);
            continue;
        }
        const addrCommon = p.addrs.intersect(deny.addrs);
        if (addrCommon.isEmpty) {
            out.push(p);
            continue;
        }
        const rest = p.ports.minus(deny.ports);
        if (!rest.isEmpty) out.push({ slot: p.slot, ports: rest, addrs: p.addrs });
        const left = p.addrs.minus(deny.addrs);
        if (!left.isEmpty) out.push({ slot: p.slot, ports: common, addrs: left });
    }
    return out;
}

function overlapsAny(a: Piece[], b: Piece[]): boolean {
    for (const x of a) for (const y of b) if (x.slot === y.slot && !x.ports.intersect(y.ports).isEmpty) return true;
    return false;
}

function sortKey(fw: Firewall, r: Rule, index: number): [number, number, number] {
    if (!fw.ordered) return [r.action === "deny" ? 0 : 1, 0, index];
    return [r.order ?? Number.MAX_SAFE_INTEGER, r.action === "deny" ? 0 : 1, index];
}

/**
 * Evaluate one direction of a firewall. Returns one Effect per rule of that direction,
 * in evaluation order (implicit rules included, marked).
 */
export function evaluate(fw: Firewall, direction: Direction): Effect[] {
    const all: Array<{ rule: Rule; implicit: boolean; key: [number, number, number] }> = [];
    fw.rules.forEach((r, i) => {
        if (r.direction === direction && !r.disabled) all.push({ rule: r, implicit: false, key: sortKey(fw, r, i) });
    });
    (fw.implicitRules ?? []).forEach((r, i) => {
        if (r.direction === direction) all.push({ rule: r, implicit: true, key: sortKey(fw, r, fw.rules.length + i) });
    });
    all.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);

    const denied: Array<Piece & { scope?: string }> = [];
    const uncertain: Array<{ rule: Rule; match: Piece[] | undefined }> = [];
    const effects: Effect[] = [];
    // A deny whose place is unknown may come before any allow: it makes overlapping allows
    // uncertain, wherever it was sorted, and never certainly shadows them.
    for (const { rule } of all) {
        if (!rule.unsure?.order || (rule.action !== "deny" && !rule.unsure.action)) continue;
        const { match } = ruleMatch(rule);
        uncertain.push({ rule, match: ruleSlots(rule) === undefined ? undefined : match.length ? match : undefined });
    }
    for (const { rule, implicit } of all) {
        const { match, incomplete, opaque } = ruleMatch(rule);
        const unsure = rule.unsure ?? {};
        if (rule.action === "deny" && !unsure.action) {
            if (!unsure.order) for (const m of match) denied.push({ ...m, scope: rule.scope });
            if (incomplete && !unsure.order) uncertain.push({ rule, match: ruleSlots(rule) === undefined ? undefined : match.length ? match : undefined });
            effects.push({ rule, implicit, match, pieces: [], maybeShadowedBy: [], incomplete, opaque });
            continue;
        }
        // An allow (or a rule whose action is unreadable: judged as an allow but flagged).
        let pieces = match;
        for (const d of denied) {
            if (pieces.length === 0) break;
            // A deny narrowed by a scope (targets, source ports) leaves the allow's other traffic.
            if (d.scope !== undefined && d.scope !== rule.scope) continue;
            pieces = subtractBox(pieces, d);
        }
        pieces = mergePieces(pieces);
        const maybeShadowedBy = uncertain
            .filter((u) => u.rule !== rule)
            .filter((u) => u.match === undefined || overlapsAny(u.match, match) || peerAddresses(u.rule).unreadable)
            .map((u) => u.rule);
        effects.push({ rule, implicit, match, pieces, maybeShadowedBy, incomplete: incomplete || !!unsure.action || !!unsure.order, opaque });
        if (unsure.action && !unsure.order) uncertain.push({ rule, match: match.length ? match : undefined });
    }
    return effects;
}

/** Merge pieces of the same slot with equal address sets (keeps splits from multiplying). */
function mergePieces(pieces: Piece[]): Piece[] {
    if (pieces.length <= 1) return pieces;
    const byKey = new Map<string, Piece>();
    for (const p of pieces) {
        const k = `${p.slot}|${p.addrs.key()}`;
        const prev = byKey.get(k);
        byKey.set(k, prev ? { slot: p.slot, ports: prev.ports.union(p.ports), addrs: p.addrs } : p);
    }
    return [...byKey.values()];
}

/** Whether a rule is judged as stateless (per-rule flag wins over the firewall's kind). */
export function isStatelessRule(fw: Firewall, rule: Rule): boolean {
    return rule.stateless ?? fw.stateless;
}
