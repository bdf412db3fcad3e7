/**
 * Return traffic of stateless ACLs: for every flow the ACL lets in (or out), do the rules of
 * the other direction let the replies reach the ephemeral ports of the clients?
 *
 * Inbound flow (client at S -> our port P): replies go out to S at the client's ephemeral
 * ports, so the egress rules must allow (dst S, dst port in the client's range).
 * Outbound flow (we are the client, to S): replies come in from S to our ephemeral ports, so
 * the ingress rules must allow (src S, dst port in our range).
 */
import type { Direction, Firewall, Rule } from "../model";
import { AddressSet } from "../net/addresses";
import { MAX_PORT, PortSet } from "../net/ports";
import type { ClientType } from "../catalog";
import { isQuestionable, isStatelessRule, peerAddresses, type Piece } from "./evaluate";
import { effectsOf, isReturnTrafficRule } from "./exposure";

export interface MissingRange {
    client: ClientType;
    /** Ports of the client's range that replies cannot reach. */
    missing: PortSet;
    /** The first rule that denies them, or undefined when only the final deny blocks them. */
    blockedBy?: Rule;
}

export interface ReturnTrafficGap {
    firewall: Firewall;
    /** The rule that allows the flow whose replies are blocked. */
    rule: Rule;
    direction: Direction;
    slot: "tcp" | "udp";
    /** The flow's service ports and peers. */
    ports: PortSet;
    peers: AddressSet;
    gaps: MissingRange[];
}

export interface ReturnTrafficOptions {
    /** Clients on the far side of inbound flows (their ephemeral ports receive our replies). */
    remoteClients: readonly ClientType[];
    /** Our own clients (outbound flows): replies come back to their ephemeral ports. */
    localClients: readonly ClientType[];
    /** Holes at these ports are tolerated (carrier-blocked high-risk ports). */
    tolerated: Record<"tcp" | "udp", PortSet>;
}

const OTHER: Record<Direction, Direction> = { ingress: "egress", egress: "ingress" };

/**
 * Where replies can go in one slot: the ports 0-65535 cut at every boundary of the allowing
 * pieces, each stretch with the union of the addresses allowed there. Built once per firewall,
 * direction and slot with a segment tree (each piece is added to O(log n) nodes, each stretch's
 * set is the union along its path), then asked once per distinct set of peers. It replaces a
 * scan of every allowing piece for every stretch, for every flow and client type.
 */
class Reach {
    /** Stretch i is [lows[i], lows[i + 1] - 1] (the last one ends at 65535). */
    private lows: number[];
    private readonly sets: AddressSet[];
    /** Stretch i's set, numbered: equal objects get one number (a covers test per distinct set). */
    private readonly setIds: Int32Array;
    private readonly distinct: number;
    private readonly blockedFor = new Map<string, PortSet>();
    private readonly blockedForSet = new Map<AddressSet, PortSet>();

    constructor(allowed: readonly Piece[]) {
        const cuts = new Set<number>([0]);
        for (const p of allowed) {
            for (const [lo, hi] of p.ports.spans) {
                cuts.add(lo);
                if (hi < MAX_PORT) cuts.add(hi + 1);
            }
        }
        this.lows = [...cuts].sort((x, y) => x - y);
        const n = this.lows.length;
        let size = 1;
        while (size < n) size <<= 1;
        const node: AddressSet[] = new Array(2 * size).fill(AddressSet.EMPTY);
        for (const p of allowed) {
            for (const [lo, hi] of p.ports.spans) {
                let l = this.index(lo) + size;
                let r = (hi < MAX_PORT ? this.index(hi + 1) : n) + size;
                for (; l < r; l >>= 1, r >>= 1) {
                    if (l & 1) {
                        node[l] = node[l].union(p.addrs);
                        l++;
                    }
                    if (r & 1) {
                        r--;
                        node[r] = node[r].union(p.addrs);
                    }
                }
            }
        }
        for (let i = 2; i < 2 * size; i++) node[i] = node[i >> 1].union(node[i]);
        // Neighbouring stretches that ended up with the same set object are one stretch.
        const lows: number[] = [];
        const sets: AddressSet[] = [];
        const ids = new Map<AddressSet, number>();
        const setIds: number[] = [];
        for (let i = 0; i < n; i++) {
            const set = node[size + i];
            if (sets.length && sets[sets.length - 1] === set) continue;
            lows.push(this.lows[i]);
            sets.push(set);
            let id = ids.get(set);
            if (id === undefined) ids.set(set, (id = ids.size));
            setIds.push(id);
        }
        this.lows = lows;
        this.sets = sets;
        this.setIds = Int32Array.from(setIds);
        this.distinct = ids.size;
    }

    /** Index of the stretch that starts at port p (p is a cut). */
    private index(p: number): number {
        let lo = 0;
        let hi = this.lows.length - 1;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (this.lows[mid] < p) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Ports at which replies cannot reach every address of `peers`. */
    blocked(peers: AddressSet): PortSet {
        const same = this.blockedForSet.get(peers);
        if (same) return same;
        const k = peers.key();
        const hit = this.blockedFor.get(k);
        if (hit) {
            this.blockedForSet.set(peers, hit);
            return hit;
        }
        // per distinct set: 0 not asked yet, 1 covers the peers, 2 does not
        const ok = new Uint8Array(this.distinct);
        const spans: Array<[number, number]> = [];
        for (let i = 0; i < this.lows.length; i++) {
            const id = this.setIds[i];
            let c = ok[id];
            if (c === 0) ok[id] = c = this.sets[i].covers(peers) ? 1 : 2;
            if (c === 1) continue;
            const lo = this.lows[i];
            const hi = i + 1 < this.lows.length ? this.lows[i + 1] - 1 : MAX_PORT;
            const last = spans[spans.length - 1];
            if (last && last[1] + 1 === lo) last[1] = hi;
            else spans.push([lo, hi]);
        }
        const out = PortSet.fromSpans(spans);
        this.blockedFor.set(k, out);
        this.blockedForSet.set(peers, out);
        return out;
    }
}

/**
 * First deny rule of the reply direction that matches part of the missing traffic. The user's
 * deny boxes of each slot are listed once, in evaluation order, and answers are remembered per
 * peers and missing-ports objects (both are shared: see missingOf in returnTrafficGaps; the
 * slot is part of both, as the missing ports come from a slot's own reach).
 */
function blockers(fw: Firewall, dir: Direction): (slot: "tcp" | "udp", missing: PortSet, peers: AddressSet) => Rule | undefined {
    const boxes: Record<"tcp" | "udp", Array<{ rule: Rule; m: Piece }>> = { tcp: [], udp: [] };
    for (const e of effectsOf(fw, dir)) {
        if (e.rule.action !== "deny" || e.implicit) continue;
        for (const m of e.match) if (m.slot === "tcp" || m.slot === "udp") boxes[m.slot].push({ rule: e.rule, m });
    }
    const memo = new Map<AddressSet, Map<PortSet, Rule | null>>();
    return (slot, missing, peers) => {
        let byMissing = memo.get(peers);
        if (!byMissing) memo.set(peers, (byMissing = new Map()));
        let r = byMissing.get(missing);
        if (r === undefined) {
            r = boxes[slot].find(({ m }) => m.ports.overlaps(missing) && m.addrs.overlaps(peers))?.rule ?? null;
            byMissing.set(missing, r);
        }
        return r ?? undefined;
    };
}

/** A client's range less the tolerated ports: once per client and tolerated set (options are parsed once per config). */
const clientRanges = new WeakMap<PortSet, Map<ClientType, PortSet>>();
function clientRange(client: ClientType, tolerated: PortSet): PortSet {
    let byClient = clientRanges.get(tolerated);
    if (!byClient) clientRanges.set(tolerated, (byClient = new Map()));
    let r = byClient.get(client);
    if (!r) byClient.set(client, (r = PortSet.range(client.required[0], client.required[1]).minus(tolerated)));
    return r;
}

/**
 * Gaps for every stateless flow rule of a firewall. Flows or replies that could not be fully
 * read are skipped (unverifiable-rules reports them).
 */
export function returnTrafficGaps(fw: Firewall, opts: ReturnTrafficOptions): ReturnTrafficGap[] {
    const out: ReturnTrafficGap[] = [];
    // Only stateless rules start flows that need replies (see isStatelessRule below).
    if (!hasStatelessRules(fw)) return out;
    for (const dir of ["ingress", "egress"] as const) {
        const replyDir = OTHER[dir];
        const replies = effectsOf(fw, replyDir);
        // A reply rule the cloud refuses (or reads ambiguously) lets nothing through and shadows
        // nothing: the replies are judged without it. One merely unknown leaves them unjudged.
        if (replies.some((e) => e.incomplete && !e.implicit && !isQuestionable(e.rule))) continue;
        const allowed = replies.filter((e) => e.rule.action === "allow" && !isQuestionable(e.rule)).flatMap((e) => e.pieces);
        const reach = new Map<"tcp" | "udp", Reach>();
        const reachOf = (slot: "tcp" | "udp"): Reach => {
            let r = reach.get(slot);
            if (!r) reach.set(slot, (r = new Reach(allowed.filter((p) => p.slot === slot))));
            return r;
        };
        const clients = dir === "ingress" ? opts.remoteClients : opts.localClients;
        let blocker: ReturnType<typeof blockers> | undefined;
        // A client's range (per slot) minus the blocked ports (per peers), once per pair of objects.
        const missingMemo = new Map<PortSet, Map<PortSet, PortSet>>();
        const missingOf = (range: PortSet, blocked: PortSet): PortSet => {
            let byBlocked = missingMemo.get(range);
            if (!byBlocked) missingMemo.set(range, (byBlocked = new Map()));
            let m = byBlocked.get(blocked);
            if (!m) byBlocked.set(blocked, (m = range.intersect(blocked)));
            return m;
        };
        const rangeOf = (client: ClientType, slot: "tcp" | "udp"): PortSet => clientRange(client, opts.tolerated[slot]);
        for (const e of effectsOf(fw, dir)) {
            const rule = e.rule;
            if (e.implicit || rule.action !== "allow" || (e.incomplete && !isQuestionable(rule)) || e.maybeShadowedBy.length || rule.unsure?.action) continue;
            if (!isStatelessRule(fw, rule) || isReturnTrafficRule(fw, rule)) continue;
            // Narrowed to service source ports (below every ephemeral range): it answers a flow, it starts none.
            if (rule.sourcePorts && rule.sourcePorts.intersect(PortSet.range(1024, 65535)).isEmpty) continue;
            for (const slot of ["tcp", "udp"] as const) {
                // The flow is what the rule really lets through in this slot (its pieces there: a
                // rule has pieces only in the slots it matches).
                let peers: AddressSet | undefined;
                let ports = PortSet.EMPTY;
                for (const p of e.pieces) {
                    if (p.slot !== slot) continue;
                    peers = peers === undefined ? p.addrs : peers.union(p.addrs);
                    ports = ports.isEmpty ? p.ports : ports.union(p.ports);
                }
                if (peers === undefined) continue;
                const blocked = reachOf(slot).blocked(peers);
                const gaps: MissingRange[] = [];
                for (const client of clients) {
                    const missing = missingOf(rangeOf(client, slot), blocked);
                    if (!missing.isEmpty) gaps.push({ client, missing, blockedBy: (blocker ??= blockers(fw, replyDir))(slot, missing, peers) });
                }
                if (gaps.length) out.push({ firewall: fw, rule, direction: dir, slot, ports, peers, gaps });
            }
        }
    }
    return out;
}

/** Whether a firewall has any rule subject to return-traffic checks. */
export function hasStatelessRules(fw: Firewall): boolean {
    return fw.stateless || fw.rules.some((r) => r.stateless === true);
}

export { peerAddresses };
