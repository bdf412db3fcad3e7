/**
 * The analysis against a deliberately simple brute-force oracle.
 *
 * The oracle below imports nothing from src/analysis. It works on its own rule records
 * (action, order, protocol all/tcp/udp/icmp, a port range, CIDRs as bigint intervals) and
 * decides everything by enumeration: every port 0-65535 of each protocol, and, for
 * addresses, a finite set of sample addresses made of every CIDR edge (lo-1, lo, hi, hi+1 of
 * every rule CIDR and of every span of the public address space). Every set the analysis
 * computes is a boolean combination of those intervals, so a non-empty one always contains a
 * sample: the samples decide exactly.
 *
 * The real analysis (evaluate + exposures with minExposure public and no trusted sources, and
 * returnTrafficGaps) must agree with it exactly: which ports of which slot each rule exposes,
 * the service ports and peers of every flow whose replies are blocked, the missing ephemeral
 * ports per client type, and the first deny that blocks them.
 *
 * ORACLE_RUNS=2000 npx vitest run test/fuzz/oracle.test.ts   for a thorough run.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Direction, Firewall, Peer, Rule } from "../../src/model";
import { AddressSet, PUBLIC, tierOf, type Tier } from "../../src/net/addresses";
import { PortSet } from "../../src/net/ports";
import { CLIENT_TYPES, highRiskPorts } from "../../src/catalog";
import { effectsOf, exposures, unionExposures } from "../../src/analysis/exposure";
import { returnTrafficGaps } from "../../src/analysis/returnTraffic";
import { POLICIES } from "../../src/policies";
import { resolveConfig } from "../../src/pack/config";
import { breathe, runsFrom, seedFrom } from "./run";

const RUNS = runsFrom("ORACLE_RUNS", 20);
const META_RUNS = runsFrom("ORACLE_RUNS", 40);
const PARAMS = { numRuns: RUNS, ...seedFrom("ORACLE_SEED") };
const META = { numRuns: META_RUNS, ...seedFrom("ORACLE_SEED") };
/** Each test's time limit: two minutes at the default sizes, a second per case for a thorough run. */
const TIMEOUT = Math.max(120_000, 1_000 * Math.max(RUNS, META_RUNS));

// ---- the oracle's own world --------------------------------------------------------------

type Fam = "v4" | "v6";
type Proto = "all" | "tcp" | "udp" | "icmp";
type Slot = "tcp" | "udp" | "other";
interface Cidr {
    fam: Fam;
    lo: bigint;
    hi: bigint;
    text: string;
}
interface ORule {
    direction: Direction;
    action: "allow" | "deny";
    order: number;
    proto: Proto;
    from: number;
    to: number;
    cidrs: Cidr[];
}
interface OFirewall {
    ordered: boolean;
    stateless: boolean;
    rules: ORule[];
}

const BITS: Record<Fam, bigint> = { v4: 32n, v6: 128n };
const MAXA: Record<Fam, bigint> = { v4: (1n << 32n) - 1n, v6: (1n << 128n) - 1n };

function cidr(fam: Fam, addr: bigint, len: number): Cidr {
    const host = BITS[fam] - BigInt(len);
    const lo = (addr >> host) << host;
    const hi = lo + (1n << host) - 1n;
    return { fam, lo, hi, text: `${fam}:${lo.toString(16)}/${len}` };
}

const SLOT_PORTS: Record<Slot, [number, number]> = { tcp: [0, 65535], udp: [0, 65535], other: [0, 0] };

/** Whether a rule matches one packet (slot, port, family, address). `other` = protocols without ports. */
function matches(r: ORule, slot: Slot, port: number, fam: Fam, a: bigint): boolean {
    if (slot === "other") {
        if (r.proto !== "all" || r.from !== 0 || r.to !== 65535) return false;
    } else {
        if (r.proto !== slot && r.proto !== "all") return false;
        if (port < r.from || port > r.to) return false;
    }
    for (const c of r.cidrs) if (c.fam === fam && c.lo <= a && a <= c.hi) return true;
    return false;
}

/** Rules of one direction in evaluation order: order, deny before allow, declaration. Unordered: denies first. */
const orderMemo = new WeakMap<OFirewall, Map<Direction, Array<{ r: ORule; i: number }>>>();
function inOrder(fw: OFirewall, dir: Direction): Array<{ r: ORule; i: number }> {
    let m = orderMemo.get(fw);
    if (!m) orderMemo.set(fw, (m = new Map()));
    const hit = m.get(dir);
    if (hit) return hit;
    const list = fw.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.direction === dir);
    list.sort((x, y) =>
        fw.ordered
            ? x.r.order - y.r.order || (x.r.action === "deny" ? 0 : 1) - (y.r.action === "deny" ? 0 : 1) || x.i - y.i
            : (x.r.action === "deny" ? 0 : 1) - (y.r.action === "deny" ? 0 : 1) || x.i - y.i,
    );
    m.set(dir, list);
    return list;
}

/** The packet passes the rule itself: it matches and no earlier deny (any deny when unordered) matches. */
function effective(fw: OFirewall, dir: Direction, idx: number, slot: Slot, port: number, fam: Fam, a: bigint): boolean {
    const r = fw.rules[idx];
    if (!matches(r, slot, port, fam, a)) return false;
    // (unordered: every deny sorts before every allow)
    for (const { r: d, i } of inOrder(fw, dir)) {
        if (i === idx) break;
        if (d.action === "deny" && matches(d, slot, port, fam, a)) return false;
    }
    return true;
}

/** The first matching rule decides (ordered); unordered: some allow and no deny. Nothing matches: denied. */
function passes(fw: OFirewall, dir: Direction, slot: Slot, port: number, fam: Fam, a: bigint): boolean {
    if (!fw.ordered) {
        let allow = false;
        for (const r of fw.rules) {
            if (r.direction !== dir || !matches(r, slot, port, fam, a)) continue;
            if (r.action === "deny") return false;
            allow = true;
        }
        return allow;
    }
    for (const { r } of inOrder(fw, dir)) if (matches(r, slot, port, fam, a)) return r.action === "allow";
    return false;
}

/** Public, by a linear scan of the public address space's spans. */
function isPublic(fam: Fam, a: bigint): boolean {
    for (const [lo, hi] of fam === "v4" ? PUBLIC.v4 : PUBLIC.v6) if (lo <= a && a <= hi) return true;
    return false;
}

/** Every CIDR edge, and (for exposure) every edge of the public address space. */
function samples(fw: OFirewall, withPublicEdges = true): Array<{ fam: Fam; a: bigint; pub: boolean }> {
    const pts = { v4: new Set<bigint>(), v6: new Set<bigint>() };
    const edge = (fam: Fam, lo: bigint, hi: bigint) => {
        for (const x of [lo - 1n, lo, hi, hi + 1n]) if (x >= 0n && x <= MAXA[fam]) pts[fam].add(x);
    };
    for (const r of fw.rules) for (const c of r.cidrs) edge(c.fam, c.lo, c.hi);
    if (withPublicEdges) {
        for (const [lo, hi] of PUBLIC.v4) edge("v4", lo, hi);
        for (const [lo, hi] of PUBLIC.v6) edge("v6", lo, hi);
    }
    edge("v4", 0n, MAXA.v4);
    edge("v6", 0n, MAXA.v6);
    const out: Array<{ fam: Fam; a: bigint; pub: boolean }> = [];
    for (const fam of ["v4", "v6"] as const) for (const a of pts[fam]) out.push({ fam, a, pub: isPublic(fam, a) });
    return out;
}

/**
 * Enumerate every port of a slot, grouping ports that every rule of the firewall treats alike
 * (the same rules' ranges contain them): the answer for one port of a class is the answer for
 * all of them. `classOf[p]` is the class of port p, `reps[c]` one port of class c.
 */
interface Classes {
    classOf: Int32Array;
    reps: number[];
}
const classMemo = new WeakMap<OFirewall, Map<Slot, Classes>>();
function portClasses(fw: OFirewall, slot: Slot): Classes {
    let m = classMemo.get(fw);
    if (!m) classMemo.set(fw, (m = new Map()));
    const hit = m.get(slot);
    if (hit) return hit;
    const [lo, hi] = SLOT_PORTS[slot];
    const classOf = new Int32Array(65536).fill(-1);
    const reps: number[] = [];
    const byKey = new Map<number, number>();
    for (let p = lo; p <= hi; p++) {
        let key = 0;
        for (let i = 0; i < fw.rules.length; i++) if (p >= fw.rules[i].from && p <= fw.rules[i].to) key |= 1 << i;
        let c = byKey.get(key);
        if (c === undefined) {
            byKey.set(key, (c = reps.length));
            reps.push(p);
        }
        classOf[p] = c;
    }
    const classes = { classOf, reps };
    m.set(slot, classes);
    return classes;
}

/** `22, 80-90` for the ports whose flag is set, in PortSet's notation. */
function portsText(flags: Uint8Array): string {
    const spans: string[] = [];
    for (let p = 0; p < 65536; p++) {
        if (!flags[p]) continue;
        let q = p;
        while (q + 1 < 65536 && flags[q + 1]) q++;
        spans.push(p === q ? `${p}` : `${p}-${q}`);
        p = q;
    }
    return spans.length === 0 ? "none" : spans.join(", ");
}

/** Flags for every port whose class is flagged. */
function classFlags(cl: Classes, flagged: boolean[]): Uint8Array {
    const out = new Uint8Array(65536);
    for (let p = 0; p < 65536; p++) if (cl.classOf[p] >= 0 && flagged[cl.classOf[p]]) out[p] = 1;
    return out;
}

/** Oracle exposure: per rule index and slot, the ports at which some public address passes the rule. */
function oracleExposure(fw: OFirewall): Map<number, Record<string, string>> {
    const out = new Map<number, Record<string, string>>();
    const smp = samples(fw).filter((s) => s.pub);
    fw.rules.forEach((r, idx) => {
        if (r.action !== "allow") return;
        const rec: Record<string, string> = {};
        for (const slot of ["tcp", "udp", "other"] as const) {
            const cl = portClasses(fw, slot);
            const open = cl.reps.map((rep) => smp.some((s) => effective(fw, r.direction, idx, slot, rep, s.fam, s.a)));
            if (open.some(Boolean)) rec[slot] = slot === "other" ? "flag" : portsText(classFlags(cl, open));
        }
        if (Object.keys(rec).length) out.set(idx, rec);
    });
    return out;
}

function realExposure(fw: OFirewall, model: Firewall): Map<number, Record<string, string>> {
    const out = new Map<number, Record<string, string>>();
    const xs = exposures(model, { minExposure: "public", trustedSources: AddressSet.EMPTY, directions: ["ingress", "egress"], judgeReturnTrafficRules: true });
    for (const x of xs) {
        const idx = model.rules.indexOf(x.rule);
        const rec: Record<string, string> = {};
        for (const [slot, ports] of x.open) rec[slot] = slot === "other" ? "flag" : ports.toString();
        expect(out.has(idx), `rule ${idx} reported once`).toBe(false);
        out.set(idx, rec);
        // The tier the analysis gives is the tier of what the rule lets through.
        expect(["public", "wide", "internet"]).toContain(x.tier);
    }
    void fw;
    return out;
}

// ---- the union: a port's tier over every allow that reaches it ------------------------------

const INTERNET_V6_TOP = { lo: 1n << 125n, hi: (2n << 125n) - 1n }; // 2000::/3
const TIER_ORDER: Tier[] = ["private", "public", "wide", "internet"];

/**
 * The address line of each family cut at every CIDR edge (the rules', the public space's and
 * 2000::/3's): membership of any set the analysis builds is constant on each segment, so sizes
 * are sums of segment lengths.
 */
function segmentsOf(fw: OFirewall): Record<Fam, Array<{ lo: bigint; size: bigint; pub: boolean; top: boolean }>> {
    const pts = { v4: new Set<bigint>([0n]), v6: new Set<bigint>([0n]) };
    const cut = (fam: Fam, lo: bigint, hi: bigint) => {
        pts[fam].add(lo);
        if (hi + 1n <= MAXA[fam]) pts[fam].add(hi + 1n);
    };
    for (const r of fw.rules) for (const c of r.cidrs) cut(c.fam, c.lo, c.hi);
    for (const [lo, hi] of PUBLIC.v4) cut("v4", lo, hi);
    for (const [lo, hi] of PUBLIC.v6) cut("v6", lo, hi);
    cut("v6", INTERNET_V6_TOP.lo, INTERNET_V6_TOP.hi);
    const out = { v4: [] as Array<{ lo: bigint; size: bigint; pub: boolean; top: boolean }>, v6: [] as Array<{ lo: bigint; size: bigint; pub: boolean; top: boolean }> };
    for (const fam of ["v4", "v6"] as const) {
        const sorted = [...pts[fam]].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        sorted.forEach((lo, i) => {
            const next = i + 1 < sorted.length ? sorted[i + 1] : MAXA[fam] + 1n;
            out[fam].push({ lo, size: next - lo, pub: isPublic(fam, lo), top: fam === "v6" && lo >= INTERNET_V6_TOP.lo && lo <= INTERNET_V6_TOP.hi });
        });
    }
    return out;
}

/** The tier of the addresses that pass, by sizes: every public IPv4 (or public 2000::/3) address, at least 2^24 (2^96), any. */
function oracleTier(segs: ReturnType<typeof segmentsOf>, pass: (fam: Fam, a: bigint) => boolean): Tier {
    let any = false;
    let wide = false;
    let internet = false;
    for (const fam of ["v4", "v6"] as const) {
        let passed = 0n;
        let all = true;
        for (const g of segs[fam]) {
            if (!g.pub) continue;
            const p = pass(fam, g.lo);
            if (p) passed += g.size;
            if (!p && (fam === "v4" || g.top)) all = false;
        }
        if (passed > 0n) any = true;
        if (passed >= (fam === "v4" ? 1n << 24n : 1n << 96n)) wide = true;
        if (all) internet = true;
    }
    return internet ? "internet" : wide ? "wide" : any ? "public" : "private";
}

/** Oracle union exposure: per direction and slot, the ports whose passing addresses, over every allow, reach `min`. */
function oracleUnion(fw: OFirewall, min: Tier): Record<string, string> {
    const segs = segmentsOf(fw);
    const out: Record<string, string> = {};
    for (const dir of ["ingress", "egress"] as const) {
        const allows = fw.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.direction === dir && r.action === "allow");
        for (const slot of ["tcp", "udp", "other"] as const) {
            const cl = portClasses(fw, slot);
            const open = cl.reps.map((rep) => {
                const t = oracleTier(segs, (fam, a) => allows.some(({ i }) => effective(fw, dir, i, slot, rep, fam, a)));
                return TIER_ORDER.indexOf(t) >= TIER_ORDER.indexOf(min);
            });
            if (open.some(Boolean)) out[`${dir} ${slot}`] = slot === "other" ? "flag" : portsText(classFlags(cl, open));
        }
    }
    return out;
}

function realUnion(model: Firewall, min: Tier): Record<string, string> {
    const opts = { minExposure: min, trustedSources: AddressSet.EMPTY, directions: ["ingress", "egress"] as Direction[], judgeReturnTrafficRules: true };
    const out: Record<string, string> = {};
    for (const u of unionExposures(model, opts, exposures(model, opts))) {
        for (const [slot, ports] of u.open) if (!ports.isEmpty) out[`${u.direction} ${slot}`] = slot === "other" ? "flag" : ports.toString();
    }
    return out;
}

const OTHER: Record<Direction, Direction> = { ingress: "egress", egress: "ingress" };

/** Return-traffic rules (stateless allows at >= 1024 containing a whole client range) are not flows. */
function isReturnRule(fw: OFirewall, r: ORule): boolean {
    if (!fw.stateless || r.action !== "allow" || r.proto === "icmp") return false;
    if (r.from < 1024) return false;
    return CLIENT_TYPES.some((c) => r.from <= c.required[0] && c.required[1] <= r.to);
}

interface GapRecord {
    rule: number;
    direction: Direction;
    slot: "tcp" | "udp";
    ports: string;
    gaps: Array<{ client: string; missing: string; blockedBy: number | undefined }>;
}

function oracleGaps(fw: OFirewall, tolerated: Record<"tcp" | "udp", Uint8Array>): GapRecord[] {
    if (!fw.stateless) return [];
    const out: GapRecord[] = [];
    const smp = samples(fw, false);
    const missing = new Uint8Array(65536);
    for (const dir of ["ingress", "egress"] as const) {
        const reply = OTHER[dir];
        for (const { r, i: idx } of inOrder(fw, dir)) {
            if (r.action !== "allow" || isReturnRule(fw, r)) continue;
            for (const slot of ["tcp", "udp"] as const) {
                if (r.proto !== slot && r.proto !== "all") continue;
                // The flow: ports and peers at which packets pass this rule.
                const cl = portClasses(fw, slot);
                const peers = new Set<number>(); // indexes into smp
                const flowClasses = cl.reps.map((rep) => {
                    let any = false;
                    smp.forEach((s, k) => {
                        if (effective(fw, dir, idx, slot, rep, s.fam, s.a)) {
                            peers.add(k);
                            any = true;
                        }
                    });
                    return any;
                });
                if (!flowClasses.some(Boolean)) continue;
                // Replies go to each peer at the client's ephemeral ports: blocked where some peer is refused.
                const blocked = classFlags(
                    cl,
                    cl.reps.map((rep) => [...peers].some((k) => !passes(fw, reply, slot, rep, smp[k].fam, smp[k].a))),
                );
                const gaps: GapRecord["gaps"] = [];
                for (const client of CLIENT_TYPES) {
                    missing.fill(0);
                    let any = false;
                    for (let p = client.required[0]; p <= client.required[1]; p++) {
                        if (blocked[p] && !tolerated[slot][p]) {
                            missing[p] = 1;
                            any = true;
                        }
                    }
                    if (!any) continue;
                    // The first user deny of the reply direction matching part of the missing traffic.
                    let by: number | undefined;
                    for (const { r: d, i } of inOrder(fw, reply)) {
                        if (d.action !== "deny" || (d.proto !== slot && d.proto !== "all")) continue;
                        let portHit = false;
                        for (let p = d.from; p <= d.to && !portHit; p++) portHit = missing[p] === 1;
                        if (!portHit) continue;
                        const addrHit = [...peers].some((k) => d.cidrs.some((c) => c.fam === smp[k].fam && c.lo <= smp[k].a && smp[k].a <= c.hi));
                        if (addrHit) {
                            by = i;
                            break;
                        }
                    }
                    gaps.push({ client: client.id, missing: portsText(missing), blockedBy: by });
                }
                if (gaps.length) out.push({ rule: idx, direction: dir, slot, ports: portsText(classFlags(cl, flowClasses)), gaps });
            }
        }
    }
    return out;
}

function realGaps(model: Firewall, tolerated: Record<"tcp" | "udp", PortSet>): GapRecord[] {
    return returnTrafficGaps(model, { remoteClients: CLIENT_TYPES, localClients: CLIENT_TYPES, tolerated }).map((g) => ({
        rule: model.rules.indexOf(g.rule),
        direction: g.direction,
        slot: g.slot,
        ports: g.ports.toString(),
        gaps: g.gaps.map((m) => ({ client: m.client.id, missing: m.missing.toString(), blockedBy: m.blockedBy ? model.rules.indexOf(m.blockedBy) : undefined })),
    }));
}

// ---- the model, built directly -------------------------------------------------------------

const URN = "urn:pulumi:test::oracle::test:oracle:Firewall::fw";

function toModel(fw: OFirewall, peerSplit?: (c: Cidr) => Cidr[]): Firewall {
    const rules: Rule[] = fw.rules.map((r, i) => {
        const cidrs = peerSplit ? r.cidrs.flatMap(peerSplit) : r.cidrs;
        const peers: Peer[] = cidrs.map((c, k) => ({
            kind: "addresses",
            set: c.fam === "v4" ? AddressSet.of([[c.lo, c.hi]], []) : AddressSet.of([], [[c.lo, c.hi]]),
            text: c.text,
            path: `rules[${i}].cidrs[${k}]`,
        }));
        return {
            path: `rules[${i}]`,
            urn: URN,
            resourceName: "fw",
            resourceType: "test:oracle:Firewall",
            direction: r.direction,
            action: r.action,
            protocol: r.proto,
            ports: r.proto === "icmp" ? PortSet.ALL : PortSet.range(r.from, r.to),
            peers,
            order: fw.ordered ? r.order : undefined,
            problems: [],
        };
    });
    return { urn: URN, name: "fw", type: "test:oracle:Firewall", stateless: fw.stateless, ordered: fw.ordered, defaultAction: { ingress: "deny", egress: "deny" }, rules, problems: [] };
}

// ---- generators ------------------------------------------------------------------------------

const V4_BASES = ["0.0.0.0", "10.0.0.0", "100.64.0.0", "127.0.0.0", "128.0.0.0", "172.16.0.0", "192.168.0.0", "203.0.113.0", "52.0.0.0", "52.1.2.0", "224.0.0.0", "8.8.8.8"].map((t) =>
    t.split(".").reduce((n, o) => (n << 8n) | BigInt(o), 0n),
);
const V6_BASES = [0n, 0x2000n << 112n, 0x2001_0db8n << 96n, 0x2600n << 112n, 0xfd00n << 112n, 0xfe80n << 112n, 0x2001n << 112n, 0x8000n << 112n];

const arbCidr: fc.Arbitrary<Cidr> = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...V4_BASES), fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 8, 10, 12, 16, 24, 32), fc.integer({ min: 0, max: 32 }))).map(([a, l]) => cidr("v4", a, l)) },
    { weight: 1, arbitrary: fc.tuple(fc.bigInt({ min: 0n, max: MAXA.v4 }), fc.integer({ min: 0, max: 32 })).map(([a, l]) => cidr("v4", a, l)) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...V6_BASES), fc.oneof(fc.constantFrom(0, 1, 3, 8, 16, 32, 64, 128), fc.integer({ min: 0, max: 128 }))).map(([a, l]) => cidr("v6", a, l)) },
    { weight: 1, arbitrary: fc.tuple(fc.bigInt({ min: 0n, max: MAXA.v6 }), fc.integer({ min: 0, max: 128 })).map(([a, l]) => cidr("v6", a, l)) },
);

const EDGES = [0, 1, 21, 22, 23, 135, 139, 445, 1023, 1024, 1025, 3389, 5000, 5001, 32767, 32768, 49151, 49152, 60999, 61000, 65534, 65535];
const arbPort = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...EDGES) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 65535 }) });
const arbRange = fc.oneof(
    { weight: 1, arbitrary: fc.constant<[number, number]>([0, 65535]) },
    { weight: 4, arbitrary: fc.tuple(arbPort, arbPort).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [number, number]) },
);

function arbRule(opts: { denies: boolean; directions: readonly Direction[] }): fc.Arbitrary<ORule> {
    return fc.record({
        direction: fc.constantFrom(...opts.directions),
        action: opts.denies ? fc.constantFrom<"allow" | "deny">("allow", "allow", "deny") : fc.constant<"allow" | "deny">("allow"),
        order: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 32766 }) }),
        proto: fc.constantFrom<Proto>("tcp", "tcp", "udp", "all", "all", "icmp"),
        range: arbRange,
        cidrs: fc.array(arbCidr, { minLength: 1, maxLength: 3 }),
    }).map(({ range, ...r }) => ({ ...r, from: r.proto === "icmp" ? 0 : range[0], to: r.proto === "icmp" ? 65535 : range[1] }));
}

const arbOrdered = fc.record({
    ordered: fc.constant(true),
    stateless: fc.boolean(),
    rules: fc.array(arbRule({ denies: true, directions: ["ingress", "egress"] }), { minLength: 1, maxLength: 9 }),
});
const arbGroup = fc.record({
    ordered: fc.constant(false),
    stateless: fc.constant(false),
    rules: fc.array(arbRule({ denies: false, directions: ["ingress", "egress"] }), { minLength: 1, maxLength: 9 }),
});
/** Unordered with denies (a deny overrides every allow), stateless so return traffic is checked too. */
const arbUnorderedDeny = fc.record({
    ordered: fc.constant(false),
    stateless: fc.boolean(),
    rules: fc.array(arbRule({ denies: true, directions: ["ingress", "egress"] }), { minLength: 1, maxLength: 8 }),
});
const arbTolerated = fc.constantFrom("none", "high-risk");

function tolerance(kind: string): { model: Record<"tcp" | "udp", PortSet>; oracle: Record<"tcp" | "udp", Uint8Array> } {
    const model = kind === "none" ? { tcp: PortSet.EMPTY, udp: PortSet.EMPTY } : { tcp: highRiskPorts("tcp"), udp: highRiskPorts("udp") };
    const flags = (ps: PortSet) => {
        const a = new Uint8Array(65536);
        for (const p of ps.ports()) a[p] = 1;
        return a;
    };
    return { model, oracle: { tcp: flags(model.tcp), udp: flags(model.udp) } };
}

/**
 * What each allow rule lets through, packet by packet: per rule, slot and port class, the
 * samples that pass the rule (oracle) or lie in one of its effective pieces (real).
 */
function passing(fw: OFirewall, model: Firewall | undefined): Record<string, string> {
    const smp = samples(fw);
    const out: Record<string, string> = {};
    const pieces = new Map<Rule, ReturnType<typeof effectsOf>[number]["pieces"]>();
    if (model) for (const dir of ["ingress", "egress"] as const) for (const e of effectsOf(model, dir)) pieces.set(e.rule, e.pieces);
    fw.rules.forEach((r, idx) => {
        if (r.action !== "allow") return;
        for (const slot of ["tcp", "udp", "other"] as const) {
            const cl = portClasses(fw, slot);
            cl.reps.forEach((rep, c) => {
                let bits = "";
                for (const s of smp) {
                    const pass = model
                        ? (pieces.get(model.rules[idx]) ?? []).some((p) => p.slot === slot && p.ports.has(rep) && (s.fam === "v4" ? p.addrs.v4 : p.addrs.v6).some(([lo, hi]) => lo <= s.a && s.a <= hi))
                        : effective(fw, r.direction, idx, slot, rep, s.fam, s.a);
                    bits += pass ? "1" : "0";
                }
                if (bits.includes("1")) out[`${idx} ${slot} ${rep}`] = bits;
            });
        }
    });
    return out;
}

function agree(fw: OFirewall, tol: string): void {
    const model = toModel(fw);
    expect(passing(fw, model), "what each allow lets through, per port class and sample address").toEqual(passing(fw, undefined));
    expect(Object.fromEntries(realExposure(fw, model)), "exposure per rule and slot").toEqual(Object.fromEntries(oracleExposure(fw)));
    const t = tolerance(tol);
    expect(realGaps(model, t.model), "return-traffic gaps").toEqual(oracleGaps(fw, t.oracle));
}

describe("the union over a group's rules agrees with a brute-force oracle", () => {
    const arbMin = fc.constantFrom<Tier>("public", "wide", "internet");
    /** Rules from the /1 and /9 halves that only add up together, beside random ones. */
    const halves = fc.constantFrom("0.0.0.0/1", "128.0.0.0/1", "11.0.0.0/9", "11.128.0.0/9", "52.0.0.0/8", "::/1", "8000::/1", "2000::/4", "3000::/4").map((t) => {
        const [a, l] = t.split("/");
        return a.includes(":") ? cidr("v6", BigInt(`0x${a.replace(/:/g, "") || "0"}`) << 112n, Number(l)) : cidr("v4", a.split(".").reduce((n, o) => (n << 8n) | BigInt(o), 0n), Number(l));
    });
    const unionRule = (denies: boolean) =>
        fc.tuple(arbRule({ denies, directions: ["ingress", "egress"] }), fc.array(halves, { minLength: 1, maxLength: 2 }), fc.boolean()).map(([r, hs, mix]) => ({ ...r, cidrs: mix ? [...hs, ...r.cidrs.slice(0, 1)] : hs }));
    const unionFw = (ordered: boolean, denies: boolean) =>
        fc.record({ ordered: fc.constant(ordered), stateless: fc.boolean(), rules: fc.array(fc.oneof(unionRule(denies), arbRule({ denies, directions: ["ingress", "egress"] })), { minLength: 1, maxLength: 7 }) });

    it("on random security groups: every port's tier is the tier of the union of the rules that reach it", async () => {
        await fc.assert(fc.asyncProperty(unionFw(false, false), arbMin, async (fw, min) => {
            expect(realUnion(toModel(fw), min)).toEqual(oracleUnion(fw, min));
            await breathe();
        }), PARAMS);
    }, TIMEOUT);

    it("on random ordered lists with denies: the union is taken over what each allow lets through after order and denies", async () => {
        await fc.assert(fc.asyncProperty(unionFw(true, true), arbMin, async (fw, min) => {
            expect(realUnion(toModel(fw), min)).toEqual(oracleUnion(fw, min));
            await breathe();
        }), PARAMS);
    }, TIMEOUT);

    it("on random unordered sets with denies", async () => {
        await fc.assert(fc.asyncProperty(unionFw(false, true), arbMin, async (fw, min) => {
            expect(realUnion(toModel(fw), min)).toEqual(oracleUnion(fw, min));
            await breathe();
        }), PARAMS);
    }, TIMEOUT);
});

describe("the analysis agrees with a brute-force oracle", () => {
    it("on random ordered rule lists (allow and deny, overlaps, IPv4 and IPv6, all/tcp/udp/icmp, stateless or not)", async () => {
        await fc.assert(fc.asyncProperty(arbOrdered, arbTolerated, async (fw, tol) => {
            agree(fw, tol);
            await breathe();
        }), PARAMS);
    }, TIMEOUT);

    it("on random security groups (unordered unions of allows)", async () => {
        await fc.assert(fc.asyncProperty(arbGroup, arbTolerated, async (fw, tol) => {
            agree(fw, tol);
            await breathe();
        }), PARAMS);
    }, TIMEOUT);

    it("on random unordered rule sets with deny rules (a deny overrides every allow), stateless or not", async () => {
        await fc.assert(fc.asyncProperty(arbUnorderedDeny, arbTolerated, async (fw, tol) => {
            agree(fw, tol);
            await breathe();
        }), PARAMS);
    }, TIMEOUT);

    it("on hand-picked cases: a deny shadowing part of a range, ties at equal order, the /1 halves, icmp", () => {
        const c = (t: string) => {
            const [a, l] = t.split("/");
            if (a.includes(":")) return cidr("v6", a === "::" ? 0n : BigInt(`0x${a.replace(/:/g, "")}`) << 112n, Number(l));
            return cidr("v4", a.split(".").reduce((n, o) => (n << 8n) | BigInt(o), 0n), Number(l));
        };
        const r = (direction: Direction, order: number, action: "allow" | "deny", proto: Proto, from: number, to: number, ...cidrs: string[]): ORule => ({ direction, order, action, proto, from, to, cidrs: cidrs.map(c) });
        const cases: OFirewall[] = [
            { ordered: true, stateless: true, rules: [r("ingress", 90, "deny", "tcp", 445, 445, "0.0.0.0/0"), r("ingress", 100, "allow", "all", 0, 65535, "0.0.0.0/0"), r("egress", 100, "allow", "tcp", 1024, 65535, "0.0.0.0/0")] },
            { ordered: true, stateless: true, rules: [r("ingress", 10, "allow", "tcp", 0, 65535, "0.0.0.0/1", "128.0.0.0/1"), r("ingress", 10, "deny", "tcp", 22, 22, "52.0.0.0/8"), r("egress", 5, "deny", "tcp", 40000, 50000, "10.0.0.0/8"), r("egress", 6, "allow", "all", 0, 65535, "0.0.0.0/0", "::/0")] },
            { ordered: false, stateless: false, rules: [r("ingress", 0, "allow", "icmp", 0, 65535, "0.0.0.0/0"), r("ingress", 0, "allow", "udp", 1434, 1434, "::/0")] },
        ];
        for (const fw of cases) for (const tol of ["none", "high-risk"]) agree(fw, tol);
    });
});

// ---- metamorphic properties -------------------------------------------------------------------

function exposureSignature(model: Firewall, key: (r: Rule) => string = (r) => r.path): Record<string, string> {
    const xs = exposures(model, { minExposure: "public", trustedSources: AddressSet.EMPTY, directions: ["ingress", "egress"], judgeReturnTrafficRules: false });
    const out: Record<string, string> = {};
    for (const x of xs) out[key(x.rule)] = `${[...x.open].map(([s, p]) => `${s}:${p.toString()}`).sort().join(" ")} @${x.tier} ${tierOf(x.addrs)}`;
    return out;
}

function gapSignature(model: Firewall, key: (r: Rule) => string = (r) => r.path): string[] {
    const t = tolerance("high-risk").model;
    return returnTrafficGaps(model, { remoteClients: CLIENT_TYPES, localClients: CLIENT_TYPES, tolerated: t })
        .map((g) => `${key(g.rule)} ${g.direction} ${g.slot} ${g.ports.toString()} ${g.peers.key()} ${g.gaps.map((m) => `${m.client.id}:${m.missing.toString()}:${m.blockedBy ? key(m.blockedBy) : "-"}`).join(",")}`)
        .sort();
}

/** The ports a finding's data names (its port lists, services, flows and gaps), as text. */
function portsOf(data: Record<string, unknown>): string {
    const d = data as { ports?: Array<{ protocol: string; ports: string }> | null; services?: Array<{ name: string; ports: { protocol: string; ports: string } }>; flows?: unknown; gaps?: unknown; count?: number };
    return JSON.stringify([d.ports?.map((p) => `${p.protocol} ${p.ports}`), d.services?.map((s) => `${s.name} ${s.ports.protocol} ${s.ports.ports}`), d.flows, d.gaps, d.count]);
}

/** Every policy's findings, as (policy, rule path, message id) with the ports each names. */
function verdict(model: Firewall): string[] {
    const out: string[] = [];
    for (const def of POLICIES) {
        const { config } = resolveConfig(def, {});
        for (const f of def.check(model, config, { fragment: false, parentMissing: false })) {
            out.push(`${def.name} ${f.path} ${f.messageId} ${portsOf(f.data)}`);
        }
    }
    return out.sort();
}

/** The model with its rules in another declaration order (paths and identities kept). */
function permuted(model: Firewall, perm: number[]): Firewall {
    return { ...model, rules: perm.map((i) => model.rules[i]) };
}

const arbAllowOnly = fc.record({
    ordered: fc.boolean(),
    stateless: fc.boolean(),
    rules: fc.array(arbRule({ denies: false, directions: ["ingress", "egress"] }), { minLength: 1, maxLength: 10 }),
});

describe("metamorphic properties", () => {
    it("reordering an allow-only set changes nothing (ordered or not)", async () => {
        await fc.assert(
            fc.asyncProperty(arbAllowOnly, fc.infiniteStream(fc.nat()), async (fw, stream) => {
                const model = toModel(fw);
                const keys = model.rules.map((_, i) => ({ i, k: stream.next().value }));
                const perm = keys.sort((a, b) => a.k - b.k).map((x) => x.i);
                const other = permuted(model, perm);
                // reordered: renumber so the new declaration order is also the evaluation order
                const renumbered: Firewall = { ...other, rules: other.rules.map((r, i) => ({ ...r, order: fw.ordered ? i + 1 : undefined })) };
                const byPath = (r: Rule) => r.path;
                expect(exposureSignature(other, byPath)).toEqual(exposureSignature(model, byPath));
                expect(exposureSignature(renumbered, byPath)).toEqual(exposureSignature(model, byPath));
                expect(gapSignature(renumbered, byPath)).toEqual(gapSignature(model, byPath));
                expect(verdict(renumbered)).toEqual(verdict(model));
                await breathe();
            }),
            META,
        );
    }, TIMEOUT);

    it("adding a deny never adds exposure", async () => {
        await fc.assert(
            fc.asyncProperty(arbOrdered, arbRule({ denies: true, directions: ["ingress", "egress"] }), fc.nat(), async (fw, extra, at) => {
                const j = at % (fw.rules.length + 1);
                const rules = fw.rules.slice();
                rules.splice(j, 0, { ...extra, action: "deny" });
                const before = toModel(fw);
                const after = toModel({ ...fw, rules });
                const opts = { minExposure: "public", trustedSources: AddressSet.EMPTY, directions: ["ingress", "egress"], judgeReturnTrafficRules: true } as const;
                const was = new Map(exposures(before, opts).map((x) => [before.rules.indexOf(x.rule), x]));
                for (const x of exposures(after, opts)) {
                    const i = after.rules.indexOf(x.rule);
                    const orig = i < j ? i : i - 1; // the inserted rule is a deny: never exposed
                    const b = was.get(orig);
                    expect(b, `rule ${orig} exposes something only after the deny was added`).toBeDefined();
                    for (const [slot, ports] of x.open) {
                        expect(b!.open.get(slot)?.covers(ports), `rule ${orig} ${slot}: ${ports.toString()} within ${b!.open.get(slot)?.toString()}`).toBe(true);
                    }
                    expect(b!.addrs.covers(x.addrs), `rule ${orig}: sources only grow`).toBe(true);
                }
                await breathe();
            }),
            META,
        );
    }, TIMEOUT);

    it("splitting 0.0.0.0/0 into the two /1s (and ::/0 into ::/1 + 8000::/1) gives the same verdict", async () => {
        const half = (c: Cidr): Cidr[] =>
            c.lo === 0n && c.hi === MAXA[c.fam]
                ? [cidr(c.fam, 0n, 1), cidr(c.fam, 1n << (BITS[c.fam] - 1n), 1)]
                : [c];
        const withWhole = fc.record({
            ordered: fc.boolean(),
            stateless: fc.boolean(),
            rules: fc.array(
                arbRule({ denies: true, directions: ["ingress", "egress"] }).chain((r) =>
                    fc.boolean().map((whole) => (whole ? { ...r, cidrs: [cidr(r.cidrs[0].fam, 0n, 0), ...r.cidrs.slice(1)] } : r)),
                ),
                { minLength: 1, maxLength: 8 },
            ),
        });
        await fc.assert(
            fc.asyncProperty(withWhole, async (fw) => {
                const a = toModel(fw);
                const b = toModel(fw, half);
                expect(exposureSignature(b)).toEqual(exposureSignature(a));
                expect(gapSignature(b)).toEqual(gapSignature(a));
                expect(verdict(b)).toEqual(verdict(a));
                await breathe();
            }),
            META,
        );
    }, TIMEOUT);

    it("renumbering an ordered list without changing its order gives the same verdict", async () => {
        await fc.assert(
            fc.asyncProperty(arbOrdered, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 1000 }), async (fw, scale, shift) => {
                const a = toModel(fw);
                // strictly increasing map of the rule numbers: ties stay ties, order stays order
                const b: Firewall = { ...a, rules: a.rules.map((r) => ({ ...r, order: (r.order ?? 0) * scale + shift })) };
                expect(exposureSignature(b)).toEqual(exposureSignature(a));
                expect(gapSignature(b)).toEqual(gapSignature(a));
                expect(verdict(b)).toEqual(verdict(a));
                await breathe();
            }),
            META,
        );
    }, TIMEOUT);
});
