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
import { PortSet } from "../net/ports";
import type { ClientType } from "../catalog";
import { isStatelessRule, peerAddresses, ruleSlots, type Piece } from "./evaluate";
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

/** Ports in `range` where the allowed address sets of `allowed` do not cover `peers`. */
function uncovered(allowed: Piece[], range: PortSet, peers: AddressSet): PortSet {
    // Segment the range at every boundary of the allowing pieces, then test each segment.
    const cuts = new Set<number>();
    for (const [lo, hi] of range.spans) {
        cuts.add(lo);
        cuts.add(hi + 1);
    }
    for (const p of allowed) {
        for (const [lo, hi] of p.ports.spans) {
            cuts.add(lo);
            cuts.add(hi + 1);
        }
    }
    const points = [...cuts].sort((a, b) => a - b);
    let missing = PortSet.EMPTY;
    for (let i = 0; i + 1 < points.length; i++) {
        const lo = points[i];
        const hi = points[i + 1] - 1;
        if (!range.has(lo)) continue;
        let reach = AddressSet.EMPTY;
        for (const p of allowed) if (p.ports.has(lo)) reach = reach.union(p.addrs);
        if (!reach.covers(peers)) missing = missing.union(PortSet.range(lo, hi));
    }
    return missing;
}

/** First deny rule of the reply direction that matches part of the missing traffic. */
function blocker(fw: Firewall, dir: Direction, slot: "tcp" | "udp", missing: PortSet, peers: AddressSet): Rule | undefined {
    for (const e of effectsOf(fw, dir)) {
        if (e.rule.action !== "deny" || e.implicit) continue;
        for (const m of e.match) {
            if (m.slot === slot && !m.ports.intersect(missing).isEmpty && !m.addrs.intersect(peers).isEmpty) return e.rule;
        }
    }
    return undefined;
}

/**
 * Gaps for every stateless flow rule of a firewall. Flows or replies that could not be fully
 * read are skipped (unverifiable-rules reports them).
 */
export function returnTrafficGaps(fw: Firewall, opts: ReturnTrafficOptions): ReturnTrafficGap[] {
    const out: ReturnTrafficGap[] = [];
    for (const dir of ["ingress", "egress"] as const) {
        const replyDir = OTHER[dir];
        const replies = effectsOf(fw, replyDir);
        if (replies.some((e) => e.incomplete && !e.implicit)) continue;
        const allowed = replies.filter((e) => e.rule.action === "allow").flatMap((e) => e.pieces);
        const clients = dir === "ingress" ? opts.remoteClients : opts.localClients;
        for (const e of effectsOf(fw, dir)) {
            const rule = e.rule;
            if (e.implicit || rule.action !== "allow" || e.incomplete || e.maybeShadowedBy.length) continue;
            if (!isStatelessRule(fw, rule) || isReturnTrafficRule(fw, rule)) continue;
            const slots = ruleSlots(rule) ?? [];
            for (const slot of ["tcp", "udp"] as const) {
                if (!slots.some((s) => s.slot === slot)) continue;
                // The flow is what the rule really lets through in this slot.
                const flow = e.pieces.filter((p) => p.slot === slot);
                if (flow.length === 0) continue;
                let peers = AddressSet.EMPTY;
                let ports = PortSet.EMPTY;
                for (const p of flow) {
                    peers = peers.union(p.addrs);
                    ports = ports.union(p.ports);
                }
                const slotAllowed = allowed.filter((p) => p.slot === slot);
                const gaps: MissingRange[] = [];
                for (const client of clients) {
                    const range = PortSet.range(client.required[0], client.required[1]).minus(opts.tolerated[slot]);
                    const missing = uncovered(slotAllowed, range, peers);
                    if (!missing.isEmpty) gaps.push({ client, missing, blockedBy: blocker(fw, replyDir, slot, missing, peers) });
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
