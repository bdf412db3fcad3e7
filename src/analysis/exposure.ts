/**
 * Exposure: which (slot, ports) each allow rule opens to sources at or above a tier, once
 * order, deny rules and trusted sources are taken into account. Shared by the three exposure
 * policies (high-risk-ports, exposed-service-ports, unrestricted-ingress).
 */
import type { Direction, Firewall, Peer, Rule } from "../model";
import { AddressSet, PUBLIC, type Tier, tierOf, tierRank } from "../net/addresses";
import { PortSet } from "../net/ports";
import { CLIENT_TYPES } from "../catalog";
import { DenyMap, evaluate, isStatelessRule, SLOTS, type Effect, type Slot } from "./evaluate";

export interface ExposureOptions {
    minExposure: Tier;
    trustedSources: AddressSet;
    directions: readonly Direction[];
    judgeReturnTrafficRules: boolean;
}

export interface RuleExposure {
    firewall: Firewall;
    effect: Effect;
    rule: Rule;
    /** Ports open at or above the threshold, per slot (`other` uses PortSet.ALL as a flag). */
    open: Map<Slot, PortSet>;
    /** The widest tier reached, and the addresses that reach it (after denies, minus trusted). */
    tier: Tier;
    addrs: AddressSet;
    /** The rule's address peers that are public (for messages: text and path). */
    publicPeers: Peer[];
}

/**
 * A return-traffic rule of a stateless ACL: an allow that lies entirely at 1024 or above and
 * contains a whole ephemeral range of a client type. It exists to let replies in.
 */
export function isReturnTrafficRule(fw: Firewall, rule: Rule): boolean {
    if (!isStatelessRule(fw, rule) || rule.action !== "allow" || !rule.ports) return false;
    if (rule.protocol !== "tcp" && rule.protocol !== "udp" && rule.protocol !== "all") return false;
    const min = rule.ports.min;
    if (min === undefined || min < 1024) return false;
    return CLIENT_RANGES.some((r) => rule.ports!.covers(r));
}

/** The client types' ephemeral ranges, built once (this runs for every allow rule of every policy). */
const CLIENT_RANGES: readonly PortSet[] = CLIENT_TYPES.map((c) => PortSet.range(c.required[0], c.required[1]));

const effectCache = new WeakMap<Firewall, Map<Direction, Effect[]>>();

/** evaluate(), memoised per firewall object (policies share one model per run). */
export function effectsOf(fw: Firewall, direction: Direction): Effect[] {
    let m = effectCache.get(fw);
    if (!m) effectCache.set(fw, (m = new Map()));
    let e = m.get(direction);
    if (!e) m.set(direction, (e = evaluate(fw, direction)));
    return e;
}

/**
 * For every user-declared allow rule in the judged directions, what it certainly opens at or
 * above `minExposure`. Rules that may be shadowed by an unreadable rule are left out (the
 * unverifiable-rules policy reports them).
 */
export function exposures(fw: Firewall, opts: ExposureOptions): RuleExposure[] {
    const memo = memoOf(fw, opts);
    return (memo.rules ??= ruleExposures(fw, opts));
}

/**
 * What exposures and unionExposures found, per firewall object and options content: the three
 * exposure policies judge the same model, two of them with the same options at their defaults.
 * The answers are shared, so callers read them and never change them.
 */
const exposureMemo = new WeakMap<Firewall, Map<string, { rules?: RuleExposure[]; union?: UnionExposure[] }>>();

function memoOf(fw: Firewall, opts: ExposureOptions): { rules?: RuleExposure[]; union?: UnionExposure[] } {
    let byOpts = exposureMemo.get(fw);
    if (!byOpts) exposureMemo.set(fw, (byOpts = new Map()));
    const k = `${opts.minExposure}|${opts.directions.join(",")}|${opts.judgeReturnTrafficRules ? 1 : 0}|${opts.trustedSources.key()}`;
    let m = byOpts.get(k);
    if (!m) byOpts.set(k, (m = {}));
    return m;
}

function ruleExposures(fw: Firewall, opts: ExposureOptions): RuleExposure[] {
    const out: RuleExposure[] = [];
    const min = tierRank(opts.minExposure);
    for (const dir of opts.directions) {
        for (const effect of effectsOf(fw, dir)) {
            const rule = effect.rule;
            if (!judged(fw, effect, opts)) continue;
            let open: Map<Slot, PortSet> | undefined; // made for the rules that reach the threshold
            let best: Tier = "private";
            let addrs = AddressSet.EMPTY;
            for (const p of effect.pieces) {
                const reach = p.addrs.minus(opts.trustedSources);
                if (reach.isEmpty) continue;
                const t = tierOf(reach);
                if (tierRank(t) < min) continue;
                open ??= new Map();
                open.set(p.slot, (open.get(p.slot) ?? PortSet.EMPTY).union(p.ports));
                if (tierRank(t) > tierRank(best)) best = t;
                addrs = addrs.union(reach);
            }
            if (!open) continue;
            const publicPeers = rule.peers.filter((pp) => {
                const set = pp.kind === "addresses" ? pp.set : pp.kind === "prefix-list" ? pp.resolved : undefined;
                return set !== undefined && tierRank(tierOf(set.minus(opts.trustedSources))) >= min;
            });
            out.push({ firewall: fw, effect, rule, open, tier: tierOf(addrs), addrs, publicPeers });
        }
    }
    return out;
}

/**
 * Rules in a fixed order, by resource and property path (`ingress[2]` before `ingress[10]`): a
 * finding about several rules of a union reads the same whatever order they are declared in.
 */
export function byPlace(rules: readonly Rule[]): Rule[] {
    if (rules.length < 2) return [...rules];
    const { urn, path } = (orders ??= { urn: new Intl.Collator(), path: new Intl.Collator("en", { numeric: true }) });
    return [...rules].sort((a, b) => (a.urn === b.urn ? 0 : urn.compare(a.urn, b.urn)) || path.compare(a.path, b.path));
}

/**
 * What `localeCompare()` and `localeCompare(_, "en", { numeric: true })` compare with, made
 * once, when first needed (not per comparison, and not at pack start-up: ICU's collation data
 * loads slowly).
 */
let orders: { urn: Intl.Collator; path: Intl.Collator } | undefined;

/** Whether an effect is a user's allow that the exposure policies judge (see exposures). */
function judged(fw: Firewall, effect: Effect, opts: ExposureOptions): boolean {
    const rule = effect.rule;
    if (effect.implicit || rule.action !== "allow" || effect.pieces.length === 0) return false;
    if (effect.maybeShadowedBy.length > 0 || rule.unsure?.action || rule.unsure?.order) return false;
    return opts.judgeReturnTrafficRules || !isReturnTrafficRule(fw, rule);
}

/**
 * What a firewall's rules open together, in one direction. A group is a union: a port is open
 * to the union of the sources of every rule that reaches it, so its tier is judged over that
 * union. `open` holds, per slot, every port open at or above the threshold (by one rule alone or
 * by several together); `together` the ports that no single rule opens at that tier but the
 * union does, with the tier and addresses of that union and the rules that contribute to it.
 */
export interface UnionExposure {
    firewall: Firewall;
    direction: Direction;
    /** Per slot, every port open at or above the threshold (`other` uses PortSet.ALL as a flag). */
    open: Map<Slot, PortSet>;
    /** Per slot, the ports open at or above the threshold only through several rules together. */
    together: Map<Slot, PortSet>;
    /** The widest tier the union reaches on the `together` ports, and those addresses. */
    tier: Tier;
    addrs: AddressSet;
    /** The rules whose sources reach the `together` ports, by place (see byPlace). */
    contributors: Rule[];
}

/**
 * The union view of `exposures`, per judged direction (see UnionExposure). `rules` are the
 * per-rule exposures already computed for the same options (each rule's own open ports).
 */
export function unionExposures(fw: Firewall, opts: ExposureOptions, rules: readonly RuleExposure[]): UnionExposure[] {
    const memo = memoOf(fw, opts);
    if (rules !== memo.rules) return unionsOf(fw, opts, rules);
    return (memo.union ??= unionsOf(fw, opts, rules));
}

function unionsOf(fw: Firewall, opts: ExposureOptions, rules: readonly RuleExposure[]): UnionExposure[] {
    const out: UnionExposure[] = [];
    const min = tierRank(opts.minExposure);
    for (const dir of opts.directions) {
        const open = new Map<Slot, PortSet>();
        for (const x of rules) {
            if (x.rule.direction !== dir) continue;
            for (const [slot, ports] of x.open) open.set(slot, (open.get(slot) ?? PortSet.EMPTY).union(ports));
        }
        // The pieces no rule reaches the threshold with alone: only their union can. A tier
        // depends only on the public part of a set (see tierOf), so the union is built from the
        // public parts, and a stretch of ports stops growing once it reaches the threshold.
        const below: Array<{ rule: Rule; slot: Slot; ports: PortSet; reach: AddressSet; pub: AddressSet }> = [];
        for (const effect of effectsOf(fw, dir)) {
            if (!judged(fw, effect, opts)) continue;
            for (const p of effect.pieces) {
                const reach = p.addrs.minus(opts.trustedSources);
                if (reach.isEmpty || tierRank(tierOf(reach)) >= min) continue;
                below.push({ rule: effect.rule, slot: p.slot, ports: p.ports, reach, pub: publicPart(reach) });
            }
        }
        const together = new Map<Slot, PortSet>();
        let addrs = AddressSet.EMPTY;
        if (below.length > 1 && tierRank(tierOf(unionAll(below.map((b) => b.pub)))) >= min) {
            const reached = min === tierRank("wide") ? wideCounter() : (s: AddressSet) => tierRank(tierOf(s)) >= min;
            for (const slot of SLOTS) {
                const map = new DenyMap(undefined, reached);
                let any = false;
                for (const b of below) {
                    if (b.slot !== slot || b.pub.isEmpty) continue;
                    map.add(b.ports, b.pub);
                    any = true;
                }
                if (!any) continue;
                const spans: Array<[number, number]> = [];
                for (const g of map.segments()) if (g.denied === AddressSet.ALL) spans.push([g.lo, g.hi]);
                const ports = PortSet.fromSpans(spans).minus(open.get(slot) ?? PortSet.EMPTY);
                if (!ports.isEmpty) together.set(slot, ports);
            }
            // The addresses that reach the `together` ports: every piece on them.
            if (together.size) addrs = unionAll(below.filter((b) => together.get(b.slot)?.overlaps(b.ports)).map((b) => b.reach));
        }
        for (const [slot, ports] of together) open.set(slot, (open.get(slot) ?? PortSet.EMPTY).union(ports));
        const contributors = new Set<Rule>();
        if (together.size) {
            for (const b of below) {
                const t = together.get(b.slot);
                if (t && t.overlaps(b.ports)) contributors.add(b.rule);
            }
        }
        out.push({ firewall: fw, direction: dir, open, together, tier: together.size ? tierOf(addrs) : "private", addrs, contributors: byPlace([...contributors]) });
    }
    return out;
}

/**
 * Whether a rule opens every protocol and port at a wide public tier or more: unrestricted-ingress
 * reports it (at its defaults), so the other exposure policies only point to that finding.
 */
export function isAllOpen(x: RuleExposure): boolean {
    return x.open.has("other") && !!x.open.get("tcp")?.isAll && !!x.open.get("udp")?.isAll && tierRank(x.tier) >= tierRank("wide");
}

/** The globally reachable part of a set (all a tier depends on). */
function publicPart(s: AddressSet): AddressSet {
    return PUBLIC.covers(s) ? s : s.intersect(PUBLIC);
}

/** The union of many sets in one sort (instead of one growing union per set). */
function unionAll(sets: readonly AddressSet[]): AddressSet {
    const v4: Array<readonly [bigint, bigint]> = [];
    const v6: Array<readonly [bigint, bigint]> = [];
    for (const s of sets) {
        for (const sp of s.v4) v4.push(sp);
        for (const sp of s.v6) v6.push(sp);
    }
    return AddressSet.of(v4, v6);
}

/**
 * "Reaches the wide tier" for the union map, whose sets are public parts only: then the tier is
 * wide or more exactly when the set holds 2^24 IPv4 or 2^96 IPv6 addresses (see tierOf). The
 * counts of each union are kept, from the counts of the two sets it was made of less their
 * overlap (a piece's public part is a few spans: found by binary search), instead of walking the
 * whole union each time. IPv4 counts are exact in doubles; IPv6 counts are close, and tierOf
 * decides when one lies within 1 % of the line.
 */
function wideCounter(): (union: AddressSet, denied: AddressSet, added: AddressSet) => boolean {
    const counts = new Map<AddressSet, { v4: number; v6: number }>();
    const countOf = (s: AddressSet): { v4: number; v6: number } => {
        let c = counts.get(s);
        if (!c) counts.set(s, (c = { v4: spanCount(s.v4), v6: spanCount(s.v6) }));
        return c;
    };
    return (union, denied, added) => {
        const d = countOf(denied);
        const a = countOf(added);
        const v4 = d.v4 + a.v4 - overlapCount(denied.v4, added.v4);
        const v6 = d.v6 + a.v6 - overlapCount(denied.v6, added.v6);
        counts.set(union, { v4, v6 });
        if (v4 >= 2 ** 24 || v6 >= 2 ** 96 * 1.01) return true;
        if (v6 <= 2 ** 96 * 0.99) return false;
        return tierRank(tierOf(union)) >= tierRank("wide");
    };
}

function spanCount(spans: readonly (readonly [bigint, bigint])[]): number {
    let n = 0;
    for (const sp of spans) n += Number(sp[1]) - Number(sp[0]) + 1;
    return n;
}

/** How many elements the (normalized) lists share, in doubles; `b` is short, `a` searched. */
function overlapCount(a: readonly (readonly [bigint, bigint])[], b: readonly (readonly [bigint, bigint])[]): number {
    let n = 0;
    for (const [lo, hi] of b) {
        let l = 0;
        let h = a.length - 1;
        while (l <= h) {
            const mid = (l + h) >> 1;
            if (a[mid][1] < lo) l = mid + 1;
            else h = mid - 1;
        }
        for (let i = l; i < a.length && a[i][0] <= hi; i++) {
            const x = a[i][0] > lo ? a[i][0] : lo;
            const y = a[i][1] < hi ? a[i][1] : hi;
            if (x <= y) n += Number(y) - Number(x) + 1;
        }
    }
    return n;
}
