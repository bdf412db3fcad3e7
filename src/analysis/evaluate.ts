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
import { MAX_PORT, PortSet } from "../net/ports";

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
    const match: Piece[] = [];
    for (const s of slots) if (!s.ports.isEmpty) match.push({ slot: s.slot, ports: s.ports, addrs: set });
    return { match, incomplete, opaque };
}

/** One object per distinct address set (by hash and equality: no key string per set). */
export class SetInterner {
    private readonly byHash = new Map<number, AddressSet | AddressSet[]>();

    constructor(...known: AddressSet[]) {
        for (const s of known) this.intern(s);
    }

    /** The set first interned with this content, or `set` itself when it is the first. */
    intern(set: AddressSet): AddressSet {
        const h = set.hash();
        const b = this.byHash.get(h);
        if (b === undefined) {
            this.byHash.set(h, set);
            return set;
        }
        if (!Array.isArray(b)) {
            if (b.equals(set)) return b;
            this.byHash.set(h, [b, set]);
            return set;
        }
        for (const s of b) if (s.equals(set)) return s;
        b.push(set);
        return set;
    }
}

/** One stretch of ports and the union of the deny addresses that cover all of it. */
export interface Segment {
    lo: number;
    hi: number;
    denied: AddressSet;
}

/**
 * A union of (ports x addresses) boxes in one slot, as a partition of the ports 0-65535 into
 * segments, each with the union of the addresses added there. Evaluation keeps one per slot for
 * the deny rules seen so far; exposure keeps one for the allows that reach a port together. Subtracting it from an allow walks only
 * the segments the allow's ports overlap, instead of subtracting every earlier deny box in turn
 * (which made an ordered list quadratic in its denies and let the pieces multiply).
 * Segments whose denied sets came from the same union share one AddressSet object, so equal
 * work is done once per distinct set.
 */
export class DenyMap {
    private segs: Segment[] = [{ lo: 0, hi: MAX_PORT, denied: AddressSet.EMPTY }];

    /**
     * `interned`: one object per distinct denied set (shared by the maps of one evaluation).
     * `saturated`: when given, a stretch whose set satisfies it holds AddressSet.ALL from then
     * on (it grows no further: for callers that only ask whether a monotone test is met). It
     * is asked with the union and the two sets it was made of, so it may count incrementally.
     */
    constructor(
        private readonly interned: SetInterner = new SetInterner(),
        private readonly saturated?: (union: AddressSet, denied: AddressSet, added: AddressSet) => boolean,
    ) {}

    /** The segments, in port order: each stretch of ports with the union of what was added there. */
    segments(): ReadonlyArray<Readonly<Segment>> {
        return this.segs;
    }

    clone(): DenyMap {
        const c = new DenyMap(this.interned, this.saturated);
        c.segs = this.segs.map((g) => ({ ...g }));
        return c;
    }

    /** Index of the segment that contains port p. */
    private find(p: number): number {
        let lo = 0;
        let hi = this.segs.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (this.segs[mid].lo <= p) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Make a segment start at port p. */
    private cut(p: number): void {
        if (p <= 0 || p > MAX_PORT) return;
        const i = this.find(p);
        const g = this.segs[i];
        if (g.lo === p) return;
        this.segs.splice(i + 1, 0, { lo: p, hi: g.hi, denied: g.denied });
        g.hi = p - 1;
    }

    /** The one object for this content, so equal denied sets are the same object. */
    private intern(set: AddressSet): AddressSet {
        return this.interned.intern(set);
    }

    private grow(denied: AddressSet, addrs: AddressSet): AddressSet {
        const u = denied.union(addrs);
        return this.saturated?.(u, denied, addrs) ? AddressSet.ALL : this.intern(u);
    }

    add(ports: PortSet, addrs: AddressSet): void {
        // What each denied set becomes, once per set: the last one answered, then a map (made
        // only when a second distinct set is met: most additions touch one or two).
        let lastIn: AddressSet | undefined;
        let lastOut: AddressSet | undefined;
        let memo: Map<AddressSet, AddressSet> | undefined;
        for (const [lo, hi] of ports.spans) {
            this.cut(lo);
            this.cut(hi + 1);
            const first = this.find(lo);
            let last = first;
            for (let i = first; i < this.segs.length && this.segs[i].lo <= hi; i++) {
                const g = this.segs[i];
                let u: AddressSet | undefined;
                if (g.denied === lastIn) u = lastOut!;
                else {
                    if (lastIn !== undefined) (memo ??= new Map()).set(lastIn, lastOut!);
                    u = memo?.get(g.denied);
                    if (u === undefined) u = g.denied.covers(addrs) ? g.denied : this.grow(g.denied, addrs);
                    lastIn = g.denied;
                    lastOut = u;
                }
                g.denied = u;
                last = i;
            }
            // Neighbours that now deny the same set are one segment (denied sets saturate fast).
            this.merge(Math.max(0, first - 1), Math.min(this.segs.length - 1, last + 1));
        }
    }

    /** Merge runs of adjacent segments with the same denied set, between indexes a and b. */
    private merge(a: number, b: number): void {
        const kept: Segment[] = [];
        for (let i = a; i <= b; i++) {
            const g = this.segs[i];
            const prev = kept[kept.length - 1];
            if (prev && prev.denied === g.denied) prev.hi = g.hi;
            else kept.push(g);
        }
        if (kept.length !== b - a + 1) this.segs.splice(a, b - a + 1, ...kept);
    }

    /**
     * ports x addrs minus the denied traffic, as pieces grouped by address set: for each
     * distinct set of remaining addresses, the ports where exactly that set remains.
     */
    subtract(slot: Slot, ports: PortSet, addrs: AddressSet): Piece[] {
        // One stretch of ports inside one segment (single ports, short ranges): one piece or none.
        if (ports.spans.length === 1) {
            const g = this.segs[this.find(ports.spans[0][0])];
            if (g.hi >= ports.spans[0][1]) {
                const rest = addrs.overlaps(g.denied) ? addrs.minus(g.denied) : addrs;
                return rest.isEmpty ? [] : [{ slot, ports, addrs: rest }];
            }
        }
        const left = new Map<AddressSet, AddressSet>();
        const groups = new Map<AddressSet, Array<[number, number]>>();
        for (const [lo, hi] of ports.spans) {
            for (let i = this.find(lo); i < this.segs.length && this.segs[i].lo <= hi; i++) {
                const g = this.segs[i];
                let rest = left.get(g.denied);
                if (rest === undefined) left.set(g.denied, (rest = addrs.overlaps(g.denied) ? addrs.minus(g.denied) : addrs));
                if (rest.isEmpty) continue;
                const a = g.lo > lo ? g.lo : lo;
                const b = g.hi < hi ? g.hi : hi;
                let spans = groups.get(rest);
                if (!spans) groups.set(rest, (spans = []));
                const last = spans[spans.length - 1];
                if (last && last[1] + 1 === a) last[1] = b;
                else spans.push([a, b]);
            }
        }
        if (groups.size <= 1) return [...groups].map(([set, spans]) => ({ slot, ports: PortSet.fromSpans(spans), addrs: set }));
        // Different objects may hold equal sets: merge them (pieces are one per distinct set).
        const byKey = new Map<string, { addrs: AddressSet; spans: Array<[number, number]> }>();
        for (const [set, spans] of groups) {
            const k = set.key();
            const prev = byKey.get(k);
            if (prev) prev.spans.push(...spans);
            else byKey.set(k, { addrs: set, spans });
        }
        return [...byKey.values()].map((g) => ({ slot, ports: PortSet.fromSpans(g.spans), addrs: g.addrs }));
    }
}

/** The deny maps of one direction: per slot, for unscoped denies and per scope (which also hold the unscoped ones). */
class Denied {
    private unscoped = new Map<Slot, DenyMap>();
    private scoped = new Map<string, Map<Slot, DenyMap>>();
    private interned = new SetInterner(AddressSet.EMPTY);

    private map(scope: string | undefined, slot: Slot, create: boolean): DenyMap | undefined {
        if (scope === undefined) {
            let m = this.unscoped.get(slot);
            if (!m && create) this.unscoped.set(slot, (m = new DenyMap(this.interned)));
            return m;
        }
        let bySlot = this.scoped.get(scope);
        if (!bySlot) {
            if (!create) return this.map(undefined, slot, false);
            this.scoped.set(scope, (bySlot = new Map()));
        }
        let m = bySlot.get(slot);
        if (!m) {
            if (!create) return this.map(undefined, slot, false);
            bySlot.set(slot, (m = this.unscoped.get(slot)?.clone() ?? new DenyMap(this.interned)));
        }
        return m;
    }

    /** A deny narrowed by a scope only shadows allows of the same scope; an unscoped one shadows all. */
    add(scope: string | undefined, piece: Piece): void {
        this.map(scope, piece.slot, true)!.add(piece.ports, piece.addrs);
        if (scope === undefined) for (const bySlot of this.scoped.values()) bySlot.get(piece.slot)?.add(piece.ports, piece.addrs);
    }

    /** What of an allow's match no applicable deny covers. */
    subtract(scope: string | undefined, match: Piece[]): Piece[] {
        const out: Piece[] = [];
        for (const m of match) {
            const d = this.map(scope, m.slot, false);
            if (!d) out.push(m);
            else out.push(...d.subtract(m.slot, m.ports, m.addrs));
        }
        return out;
    }
}

function overlapsAny(a: Piece[], b: Piece[]): boolean {
    for (const x of a) for (const y of b) if (x.slot === y.slot && x.ports.overlaps(y.ports)) return true;
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

    const denied = new Denied();
    const uncertain: Array<{ rule: Rule; match: Piece[] | undefined }> = [];
    const effects: Effect[] = [];
    // A deny whose place is unknown may come before any allow: it makes overlapping allows
    // uncertain, wherever it was sorted, and never certainly shadows them.
    for (const { rule } of all) {
        if (!rule.unsure?.order || (rule.action !== "deny" && !rule.unsure.action) || isQuestionable(rule)) continue;
        const { match } = ruleMatch(rule);
        uncertain.push({ rule, match: ruleSlots(rule) === undefined ? undefined : match.length ? match : undefined });
    }
    for (const { rule, implicit } of all) {
        const { match, incomplete, opaque } = ruleMatch(rule);
        const unsure = rule.unsure ?? {};
        if (isQuestionable(rule) && (rule.action === "deny" || unsure.action)) {
            // The cloud refuses this rule, or reads it ambiguously: it shadows nothing, so the
            // allows around it are judged as if it were absent (unverifiable-rules names it).
            effects.push({ rule, implicit, match, pieces: [], maybeShadowedBy: [], incomplete: true, opaque });
            continue;
        }
        if (rule.action === "deny" && !unsure.action) {
            if (!unsure.order) for (const m of match) denied.add(rule.scope, m);
            if (incomplete && !unsure.order) uncertain.push({ rule, match: ruleSlots(rule) === undefined ? undefined : match.length ? match : undefined });
            effects.push({ rule, implicit, match, pieces: [], maybeShadowedBy: [], incomplete, opaque });
            continue;
        }
        // An allow (or a rule whose action is unreadable: judged as an allow but flagged).
        // A deny narrowed by a scope (targets, source ports) leaves the allow's other traffic.
        const pieces = denied.subtract(rule.scope, match);
        const maybeShadowedBy =
            uncertain.length === 0
                ? []
                : uncertain
                      .filter((u) => u.rule !== rule)
                      .filter((u) => u.match === undefined || overlapsAny(u.match, match) || peerAddresses(u.rule).unreadable)
                      .map((u) => u.rule);
        effects.push({ rule, implicit, match, pieces, maybeShadowedBy, incomplete: incomplete || !!unsure.action || !!unsure.order, opaque });
        if (unsure.action && !unsure.order) uncertain.push({ rule, match: match.length ? match : undefined });
    }
    return effects;
}

/**
 * A rule the cloud would refuse or read ambiguously: it carries a problem other than a value
 * merely unknown during preview (malformed, conflicting, ambiguous). Such a rule never shadows
 * another, so it can never lower a verdict; a value unknown during preview is different (the
 * rule will exist, and the update, which sees the value, judges it).
 */
export function isQuestionable(rule: Rule): boolean {
    for (const p of rule.problems) if (p.kind !== "unknown") return true;
    return false;
}

/** Whether a rule is judged as stateless (per-rule flag wins over the firewall's kind). */
export function isStatelessRule(fw: Firewall, rule: Rule): boolean {
    return rule.stateless ?? fw.stateless;
}
