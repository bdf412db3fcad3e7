/**
 * Address sets over IPv4 and IPv6, and what "public" means.
 *
 * Public = globally reachable per the IANA IPv4 and IPv6 special-purpose address
 * registries. Parsing uses ipaddr.js; the set arithmetic is ./spans.
 */
import * as ipaddr from "ipaddr.js";
import { type Span, normalize, union, intersect, subtract, covers, overlaps, overlapSize, size } from "./spans";

export type Family = "ipv4" | "ipv6";
const MAX = { ipv4: (1n << 32n) - 1n, ipv6: (1n << 128n) - 1n } as const;
const BITS = { ipv4: 32, ipv6: 128 } as const;

export class AddressSet {
    /** The exposure tier, computed once per set (sets are immutable); see tierOf. */
    #tier: Tier | undefined = undefined;
    #key: string | undefined = undefined;
    #text: string | undefined = undefined;
    #hash: number | undefined = undefined;

    private constructor(
        readonly v4: readonly Span<bigint>[],
        readonly v6: readonly Span<bigint>[],
    ) {}

    /** @internal tierOf's memo: `compute(this)` the first time, the same tier afterwards. */
    tierOnce(compute: (s: AddressSet) => Tier): Tier {
        return (this.#tier ??= compute(this));
    }

    static readonly EMPTY = new AddressSet([], []);
    static readonly ALL = new AddressSet([[0n, MAX.ipv4]], [[0n, MAX.ipv6]]);
    static readonly ALL_V4 = new AddressSet([[0n, MAX.ipv4]], []);
    static readonly ALL_V6 = new AddressSet([], [[0n, MAX.ipv6]]);

    static of(v4: readonly Span<bigint>[], v6: readonly Span<bigint>[]): AddressSet {
        return new AddressSet(normalize(v4), normalize(v6));
    }
    /** @internal One block [lo, hi] of one family (lo <= hi): already normalised, nothing to check. */
    static block(family: Family, lo: bigint, hi: bigint): AddressSet {
        return family === "ipv4" ? new AddressSet([[lo, hi]], []) : new AddressSet([], [[lo, hi]]);
    }
    union(o: AddressSet): AddressSet {
        if (o.isEmpty) return this;
        if (this.isEmpty) return o;
        return new AddressSet(union(this.v4, o.v4), union(this.v6, o.v6));
    }
    intersect(o: AddressSet): AddressSet {
        return new AddressSet(intersect(this.v4, o.v4), intersect(this.v6, o.v6));
    }
    minus(o: AddressSet): AddressSet {
        if (o.isEmpty) return this;
        return new AddressSet(subtract(this.v4, o.v4), subtract(this.v6, o.v6));
    }
    covers(o: AddressSet): boolean {
        return covers(this.v4, o.v4) && covers(this.v6, o.v6);
    }
    /** Whether the sets share an address (cheaper than `!intersect(o).isEmpty`). */
    overlaps(o: AddressSet): boolean {
        return overlaps(this.v4, o.v4) || overlaps(this.v6, o.v6);
    }
    get isEmpty(): boolean {
        return this.v4.length === 0 && this.v6.length === 0;
    }
    count(family: Family): bigint {
        return size(family === "ipv4" ? this.v4 : this.v6);
    }
    /** An exact identity string (for maps); built once per set (hexadecimal: the cheapest BigInt rendering). */
    key(): string {
        if (this.#key === undefined) {
            const f = (sp: readonly Span<bigint>[]) => {
                let out = "";
                for (let i = 0; i < sp.length; i++) out += `${i ? "," : ""}${sp[i][0].toString(16)}-${sp[i][1].toString(16)}`;
                return out;
            };
            this.#key = `${f(this.v4)}|${f(this.v6)}`;
        }
        return this.#key;
    }
    /** A number from the content (equal sets, equal hashes), made once per set, without building a string. */
    hash(): number {
        if (this.#hash === undefined) {
            let h = Math.imul(this.v4.length, 0x9e3779b1) ^ this.v6.length;
            for (const sp of this.v4) h = Math.imul(h ^ (Number(sp[0]) % 2147483629), 0x01000193) ^ (Number(sp[1]) % 2147483629);
            for (const sp of this.v6) h = Math.imul(h ^ (Number(sp[0]) % 2147483629), 0x01000193) ^ (Number(sp[1]) % 2147483629);
            this.#hash = h | 0;
        }
        return this.#hash;
    }
    /** Whether the sets hold the same addresses (sets are normalized: the same spans). */
    equals(o: AddressSet): boolean {
        if (o === this) return true;
        return sameSpans(this.v4, o.v4) && sameSpans(this.v6, o.v6);
    }
    /** Every CIDR of the set, shortest rendering. */
    toCidrs(): string[] {
        return [...toCidrs(this.v4, "ipv4").parts, ...toCidrs(this.v6, "ipv6").parts];
    }
    /** Shortest CIDR rendering, for messages: `0.0.0.0/0`, `10.0.0.0/8, ::/0` (made once per set). */
    toString(): string {
        if (this.#text === undefined) {
            // Only the first five blocks are rendered (a message shows four, or "and N more").
            const v4 = toCidrs(this.v4, "ipv4", 5);
            const v6 = toCidrs(this.v6, "ipv6", 5 - v4.parts.length);
            const parts = [...v4.parts, ...v6.parts];
            const total = v4.total + v6.total;
            this.#text = total === 0 ? "no addresses" : total > 4 ? `${parts.slice(0, 4).join(", ")} and ${total - 4} more` : parts.join(", ");
        }
        return this.#text;
    }
}

function sameSpans(a: readonly Span<bigint>[], b: readonly Span<bigint>[]): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && (a[i][0] !== b[i][0] || a[i][1] !== b[i][1])) return false;
    return true;
}

function toBig(bytes: number[]): bigint {
    let n = 0n;
    for (const b of bytes) n = (n << 8n) | BigInt(b);
    return n;
}

function fromBig(n: bigint, family: Family): string {
    return family === "ipv4" ? v4Text(Number(n)) : v6Text(n);
}

function v4Text(v: number): string {
    return `${Math.floor(v / 16777216)}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

/**
 * An IPv6 address as ipaddr.js writes it (RFC 5952: lower-case hexadecimal groups without
 * leading zeros, the longest run of two or more zero groups, the leftmost of equal runs, as
 * `::`), without building its objects (test/net/addresses.test.ts compares the two).
 */
function v6Text(n: bigint): string {
    const g: number[] = new Array(8);
    for (let i = 7; i >= 0; i--) {
        g[i] = Number(n & 0xffffn);
        n >>= 16n;
    }
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
        if (g[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && g[j] === 0) j++;
        if (j - i > bestLen) {
            best = i;
            bestLen = j - i;
        }
        i = j;
    }
    const hex = (from: number, to: number) => {
        let out = "";
        for (let i = from; i < to; i++) out += (i > from ? ":" : "") + g[i].toString(16);
        return out;
    };
    return best < 0 ? hex(0, 8) : `${hex(0, best)}::${hex(best + bestLen, 8)}`;
}

/** Number of bits of a non-negative bigint (0 for 0). */
function bitLength(n: bigint): number {
    if (n <= 0xffffffffn) return 32 - Math.clz32(Number(n));
    const h = n.toString(16);
    return 4 * (h.length - 1) + (32 - Math.clz32(parseInt(h[0], 16)));
}

/**
 * The CIDR blocks of a set of spans, in order, rendered: each block is the largest one aligned
 * at its start that fits in what is left of the span (the block size is computed from the
 * start's lowest set bit and the remaining size, instead of growing it one bit at a time). At
 * most `limit` blocks are rendered; `total` counts them all without rendering (blockCount).
 */
function toCidrs(spans: readonly Span<bigint>[], family: Family, limit = Infinity): { parts: string[]; total: number } {
    const parts: string[] = [];
    const bits = BITS[family];
    const whole = 1n << BigInt(bits);
    for (let i = 0; i < spans.length && parts.length < limit; i++) {
        const hi = spans[i][1];
        let lo = spans[i][0];
        if (family === "ipv4") {
            // under 2^32: exact in doubles
            let l = Number(lo);
            const h = Number(hi);
            while (l <= h && parts.length < limit) {
                const align = l === 0 ? 2 ** 32 : (l & -l) >>> 0;
                const room = h - l + 1;
                const fit = room === 2 ** 32 ? room : 2 ** (31 - Math.clz32(room));
                const blk = align < fit ? align : fit;
                parts.push(`${v4Text(l)}/${blk === 2 ** 32 ? 0 : 32 - (31 - Math.clz32(blk))}`);
                l += blk;
            }
            continue;
        }
        while (lo <= hi && parts.length < limit) {
            const align = lo === 0n ? whole : lo & -lo;
            const fit = 1n << BigInt(bitLength(hi - lo + 1n) - 1);
            const blk = align < fit ? align : fit;
            parts.push(`${fromBig(lo, family)}/${bits - (bitLength(blk) - 1)}`);
            lo += blk;
        }
    }
    let total = 0;
    if (family === "ipv4") for (const [lo, hi] of spans) total += blockCountV4(Number(lo), Number(hi));
    else for (const [lo, hi] of spans) total += blockCount(lo, hi);
    return { parts, total };
}

/** blockCount for IPv4, in doubles: the blocks toCidrs would render for [l, h], counted (at most 62). */
function blockCountV4(l: number, h: number): number {
    let n = 0;
    while (l <= h) {
        const align = l === 0 ? 2 ** 32 : (l & -l) >>> 0;
        const room = h - l + 1;
        const fit = room === 2 ** 32 ? room : 2 ** (31 - Math.clz32(room));
        l += align < fit ? align : fit;
        n++;
    }
    return n;
}

/** One bits of a non-negative bigint, counted per hexadecimal digit (one string, not a BigInt per bit). */
function popcount(n: bigint): number {
    const h = n.toString(16);
    let c = 0;
    for (let i = 0; i < h.length; i++) c += NIBBLE_BITS[hexValue(h.charCodeAt(i))];
    return c;
}
const NIBBLE_BITS = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/**
 * How many blocks toCidrs renders for [lo, hi], without rendering them. With y = hi + 1 and m
 * the multiple of 2^k in (lo, y] where k is the highest bit in which lo and y differ, the
 * blocks from lo up to m are the one bits of m - lo, and from m up to y those of y - m.
 */
function blockCount(lo: bigint, hi: bigint): number {
    const y = hi + 1n;
    const k = BigInt(bitLength(lo ^ y) - 1);
    const m = (y >> k) << k;
    return popcount(m - lo) + popcount(y - m);
}

export type ParsedCidr = { ok: true; family: Family; set: AddressSet } | { ok: false; problem: string };

/**
 * Parse `10.0.0.0/8`, `::/0`, or a bare address (a /32 or /128). Host bits below the prefix are
 * ignored, as the clouds normalise them.
 *
 * Results are remembered per text (a stack repeats the same few CIDRs thousands of times; the
 * results are immutable), and the common spellings (four-part decimal IPv4, hexadecimal IPv6
 * groups) are read directly; anything else goes through ipaddr.js. The direct reader
 * accepts only what ipaddr.js accepts, with the same value (test/fuzz/cidr.test.ts).
 */
export function parseCidr(text: unknown, only?: Family): ParsedCidr {
    if (typeof text !== "string") return { ok: false, problem: `is a ${text === null ? "null" : typeof text}, not a CIDR string` };
    // One memory per required family: the text alone is the key (no string built per lookup).
    const parsed = only === undefined ? parsedAny : only === "ipv4" ? parsedV4 : parsedV6;
    let r = parsed.get(text);
    if (r === undefined) {
        r = parseCidrText(text, only);
        if (parsed.size >= MAX_PARSED) parsed.clear();
        parsed.set(text, r);
    }
    return r;
}

const parsedAny = new Map<string, ParsedCidr>();
const parsedV4 = new Map<string, ParsedCidr>();
const parsedV6 = new Map<string, ParsedCidr>();
const MAX_PARSED = 20_000;

/** The value of a hexadecimal digit's character code, or -1. */
function hexValue(c: number): number {
    if (c >= 48 && c <= 57) return c - 48; // 0-9
    if (c >= 97 && c <= 102) return c - 87; // a-f
    if (c >= 65 && c <= 70) return c - 55; // A-F
    return -1;
}

/**
 * IPv6 in hexadecimal groups (with at most one `::`) and an optional prefix of 1-3 digits,
 * read by hand without ipaddr.js: the eight groups and the prefix length; undefined for
 * anything else (what /^([0-9a-fA-F:]+)(?:\/(\d{1,3}))?$/ with 1-4 hex digits per group, eight
 * groups or fewer around one `::`, accepts).
 */
function fastV6(t: string): { groups: number[]; len: number } | undefined {
    const slash = t.indexOf("/");
    const end = slash < 0 ? t.length : slash;
    let len = 128;
    if (slash >= 0) {
        const digits = t.length - slash - 1;
        if (digits < 1 || digits > 3) return undefined;
        len = 0;
        for (let i = slash + 1; i < t.length; i++) {
            const c = t.charCodeAt(i);
            if (c < 48 || c > 57) return undefined;
            len = len * 10 + (c - 48);
        }
    }
    const groups: number[] = [];
    let dbl = -1;
    let i = 0;
    if (end >= 2 && t.charCodeAt(0) === 58 && t.charCodeAt(1) === 58) {
        dbl = 0;
        i = 2;
    }
    while (i < end) {
        let g = 0;
        const start = i;
        for (let v = hexValue(t.charCodeAt(i)); i < end && v >= 0; v = hexValue(t.charCodeAt(++i))) g = g * 16 + v;
        if (i === start || i - start > 4 || groups.length >= 8) return undefined;
        groups.push(g);
        if (i === end) break;
        if (t.charCodeAt(i) !== 58) return undefined; // ":"
        i++;
        if (i < end && t.charCodeAt(i) === 58) {
            if (dbl >= 0) return undefined; // a second "::"
            dbl = groups.length;
            i++;
        } else if (i === end) return undefined; // a single trailing ":"
    }
    if (end === 0) return undefined;
    if (dbl < 0) return groups.length === 8 ? { groups, len } : undefined;
    if (groups.length > 7) return undefined;
    const out = groups.slice(0, dbl);
    for (let k = groups.length; k < 8; k++) out.push(0);
    for (let k = dbl; k < groups.length; k++) out.push(groups[k]);
    return { groups: out, len };
}

/** The first and last address of the /len block holding the eight groups `g` (two BigInts, from hexadecimal). */
function v6Block(g: readonly number[], len: number): [bigint, bigint] {
    let lo = "0x";
    let hi = "0x";
    for (let k = 0; k < 8; k++) {
        const p = Math.min(16, Math.max(0, len - 16 * k)); // prefix bits in this group
        const mask = p === 0 ? 0 : (0xffff << (16 - p)) & 0xffff;
        const l = g[k] & mask;
        lo += (l + 0x10000).toString(16).slice(1);
        hi += ((l | (~mask & 0xffff)) + 0x10000).toString(16).slice(1);
    }
    return [BigInt(lo), BigInt(hi)];
}

/**
 * /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}(\/\d{1,3})?$/ read by hand, with its values: four decimal octets without leading
 * zeros, each at most 255, and an optional prefix of 1-3 digits. undefined when the text does
 * not have that shape, null when an octet is over 255 (ipaddr.js then decides; either way the
 * text contains a "." and so is no IPv6 spelling the fast path reads).
 */
function fastV4(t: string): { n: number; len: number } | null | undefined {
    let i = 0;
    let n = 0;
    for (let part = 0; part < 4; part++) {
        if (part > 0) {
            if (t.charCodeAt(i) !== 46) return undefined; // "."
            i++;
        }
        const start = i;
        let o = 0;
        for (let c = t.charCodeAt(i); c >= 48 && c <= 57; c = t.charCodeAt(++i)) o = o * 10 + (c - 48);
        const digits = i - start;
        if (digits === 0 || digits > 3 || (digits > 1 && t.charCodeAt(start) === 48)) return undefined;
        if (o > 255) return null;
        n = n * 256 + o;
    }
    if (i === t.length) return { n, len: 32 };
    if (t.charCodeAt(i) !== 47) return undefined; // "/"
    const start = ++i;
    let len = 0;
    for (let c = t.charCodeAt(i); c >= 48 && c <= 57; c = t.charCodeAt(++i)) len = len * 10 + (c - 48);
    if (i !== t.length || i - start === 0 || i - start > 3) return undefined;
    return { n, len };
}

function parseCidrText(text: string, only?: Family): ParsedCidr {
    const t = text.trim();
    const v4 = fastV4(t);
    if (v4) return cidrOf(t, "ipv4", v4.n, v4.len, only);
    const v6 = v4 === null ? undefined : fastV6(t);
    if (v6) return cidrOf(t, "ipv6", 0n, v6.len, only, v6.groups);
    // One slash at most; no zone id (`fe80::1%eth0`): no cloud accepts either in a CIDR.
    if (t.split("/").length > 2 || t.includes("%")) return { ok: false, problem: `"${clip(t)}" is not a valid IPv4 or IPv6 CIDR` };
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    let len: number;
    try {
        if (t.includes("/")) {
            const [a, l] = t.split("/");
            if (!/^\d{1,3}$/.test(l ?? "")) return { ok: false, problem: `"${clip(t)}" has no valid prefix length` };
            addr = ipaddr.parse(a);
            len = Number(l);
        } else {
            addr = ipaddr.parse(t);
            len = addr.kind() === "ipv4" ? 32 : 128;
        }
    } catch {
        return { ok: false, problem: `"${clip(t)}" is not a valid IPv4 or IPv6 CIDR` };
    }
    if (addr.kind() === "ipv4" && !ipaddr.IPv4.isValidFourPartDecimal(t.split("/")[0])) {
        return { ok: false, problem: `"${clip(t)}" is not a valid IPv4 or IPv6 CIDR` };
    }
    return cidrOf(t, addr.kind() === "ipv4" ? "ipv4" : "ipv6", toBig(addr.toByteArray()), len, only);
}

/** `groups`: an IPv6 address as its eight groups (read by fastV6), instead of `n`. */
function cidrOf(t: string, family: Family, n: bigint | number, len: number, only?: Family, groups?: readonly number[]): ParsedCidr {
    const bits = BITS[family];
    if (len > bits) return { ok: false, problem: `"${clip(t)}" has prefix length ${len}, more than ${bits}` };
    if (only && family !== only) return { ok: false, problem: `"${clip(t)}" is ${family === "ipv4" ? "IPv4" : "IPv6"} where ${only === "ipv4" ? "IPv4" : "IPv6"} is expected` };
    if (family === "ipv4") {
        // exact in doubles (under 2^32): one BigInt per end instead of shifts on BigInts
        const size = 2 ** (32 - len);
        const lo = Number(n) - (Number(n) % size);
        return { ok: true, family, set: AddressSet.block(family, BigInt(lo), BigInt(lo + size - 1)) };
    }
    if (groups) {
        const [lo, hi] = v6Block(groups, len);
        return { ok: true, family, set: AddressSet.block(family, lo, hi) };
    }
    const hostBits = BigInt(bits - len);
    const lo = (BigInt(n) >> hostBits) << hostBits;
    return { ok: true, family, set: AddressSet.block(family, lo, lo + (1n << hostBits) - 1n) };
}

/** Keep messages short and free of long echoed input. */
function clip(s: string): string {
    return s.length > 50 ? `${s.slice(0, 47)}...` : s;
}

function cidrs(list: string[]): AddressSet {
    let s = AddressSet.EMPTY;
    for (const c of list) {
        const p = parseCidr(c);
        if (!p.ok) throw new Error(`bad built-in CIDR ${c}`);
        s = s.union(p.set);
    }
    return s;
}

/**
 * Globally reachable addresses. IPv4: everything but the special-purpose blocks marked not
 * globally reachable (and multicast/reserved). IPv6: the global unicast 2000::/3 and the NAT64
 * well-known prefix, less the special-purpose blocks inside it that are not globally reachable.
 */
export const PUBLIC: AddressSet = cidrs(["0.0.0.0/0", "2000::/3", "64:ff9b::/96"])
    .minus(
        cidrs([
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
            "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20",
        ]),
    )
    .union(
        cidrs([
            "192.0.0.9/32", "192.0.0.10/32",
            "2001:1::1/128", "2001:1::2/128", "2001:1::3/128", "2001:3::/32", "2001:4:112::/48",
            "2001:20::/28", "2001:30::/28",
        ]),
    );

const PUBLIC_V4 = PUBLIC.intersect(AddressSet.ALL_V4);
/**
 * What "every public IPv6 address" means for the internet tier: the public part of global
 * unicast 2000::/3. The NAT64 prefix 64:ff9b::/96 is public but only re-addresses IPv4 hosts,
 * so a rule for 2000::/3 (or ::/1 + 8000::/1) already opens IPv6 to the whole internet.
 */
const INTERNET_V6 = PUBLIC.intersect(cidrs(["2000::/3"]));

/** How far a set of addresses reaches, from least to most exposed. */
export type Tier = "private" | "public" | "wide" | "internet";
export const TIERS: readonly Tier[] = ["private", "public", "wide", "internet"];

export function tierRank(t: Tier): number {
    return TIERS.indexOf(t);
}

const WIDE_V4_COUNT = 2 ** 24;

/**
 * Whether at least 2^96 addresses of `v6` are public. Counted in doubles first (each term off by
 * at most about 2^77, so with at most 512 terms the sum is within 0.1 % of the count); exactly
 * in BigInts only when the sum lies that close to the line.
 */
function publicV6Wide(v6: readonly Span<bigint>[]): boolean {
    if (v6.length === 0) return false;
    const b = PUBLIC.v6;
    let approx = 0;
    let terms = 0;
    let i = 0;
    let j = 0;
    while (i < v6.length && j < b.length) {
        const lo = v6[i][0] > b[j][0] ? v6[i][0] : b[j][0];
        const hi = v6[i][1] < b[j][1] ? v6[i][1] : b[j][1];
        if (lo <= hi) {
            approx += Number(hi) - Number(lo) + 1;
            terms++;
        }
        if (v6[i][1] < b[j][1]) i++;
        else j++;
    }
    if (terms <= 512) {
        if (approx >= WIDE_V6_COUNT * 1.001) return true;
        if (approx <= WIDE_V6_COUNT * 0.999) return false;
    }
    return overlapSize(v6, b) >= WIDE_V6;
}
const WIDE_V6_COUNT = 2 ** 96;

/** Whether at least `n` addresses of `v4` are public (counted in doubles, exact below 2^53; stops once reached). */
function publicV4AtLeast(v4: readonly Span<bigint>[], n: number): boolean {
    const b = PUBLIC.v4;
    let count = 0;
    let i = 0;
    let j = 0;
    while (i < v4.length && j < b.length) {
        const alo = Number(v4[i][0]);
        const ahi = Number(v4[i][1]);
        const blo = Number(b[j][0]);
        const bhi = Number(b[j][1]);
        const lo = alo > blo ? alo : blo;
        const hi = ahi < bhi ? ahi : bhi;
        if (lo <= hi && (count += hi - lo + 1) >= n) return true;
        if (ahi < bhi) i++;
        else j++;
    }
    return false;
}
const WIDE_V6 = 1n << 96n;

/** The exposure tier of a source (or destination) address set. */
export function tierOf(set: AddressSet): Tier {
    // Once per set object: the exposure policies ask for the tiers of the same pieces and peers.
    return set.tierOnce(computeTier);
}

function computeTier(set: AddressSet): Tier {
    // Without building set ∩ PUBLIC: PUBLIC_V4 and INTERNET_V6 lie inside PUBLIC, so the public
    // part of the set covers them exactly when the set does.
    if (!set.overlaps(PUBLIC)) return "private";
    if (set.covers(PUBLIC_V4) || set.covers(INTERNET_V6)) return "internet";
    if (publicV4AtLeast(set.v4, WIDE_V4_COUNT) || publicV6Wide(set.v6)) return "wide";
    return "public";
}
