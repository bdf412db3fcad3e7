/**
 * parseCidr reads the common spellings itself (four-part decimal IPv4, hexadecimal IPv6
 * groups) and remembers results; everything else goes through ipaddr.js. This compares it with
 * a reference written here on ipaddr.js alone (the parser as it was before the fast path), on
 * strings drawn from a grammar of near-misses: leading zeros, octets over 255, three or five
 * parts, hex and octal IPv4, IPv6 with one, two or no `::`, 5-digit groups, embedded IPv4,
 * zone ids, bad prefixes, whitespace. FUZZ_RUNS sets a thorough run.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { breathe, runsFrom, seedFrom } from "./run";
import { AddressSet, PUBLIC, parseCidr, tierOf, type Family, type ParsedCidr } from "../../src/net/addresses";

const RUNS = runsFrom("FUZZ_RUNS", 3000);
const SEED = seedFrom("FUZZ_SEED");
/** A property's time limit: vitest's default at the default size, 10 ms per case beyond. */
const TIMEOUT = Math.max(5_000, 10 * RUNS);

function clip(s: string): string {
    return s.length > 50 ? `${s.slice(0, 47)}...` : s;
}

/** The reference: ipaddr.js for every spelling. */
function reference(text: unknown, only?: Family): { ok: boolean; problem?: string; family?: Family; key?: string } {
    if (typeof text !== "string") return { ok: false, problem: `is a ${text === null ? "null" : typeof text}, not a CIDR string` };
    const t = text.trim();
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
    if (addr.kind() === "ipv4" && !ipaddr.IPv4.isValidFourPartDecimal(t.split("/")[0])) return { ok: false, problem: `"${clip(t)}" is not a valid IPv4 or IPv6 CIDR` };
    const family: Family = addr.kind() === "ipv4" ? "ipv4" : "ipv6";
    const bits = family === "ipv4" ? 32 : 128;
    if (len > bits) return { ok: false, problem: `"${clip(t)}" has prefix length ${len}, more than ${bits}` };
    if (only && family !== only) return { ok: false, problem: `"${clip(t)}" is ${family === "ipv4" ? "IPv4" : "IPv6"} where ${only === "ipv4" ? "IPv4" : "IPv6"} is expected` };
    let n = 0n;
    for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
    const host = BigInt(bits - len);
    const lo = (n >> host) << host;
    const hi = lo + (1n << host) - 1n;
    return { ok: true, family, key: `${lo.toString(16)}-${hi.toString(16)}` };
}

function actual(p: ParsedCidr): { ok: boolean; problem?: string; family?: Family; key?: string } {
    if (!p.ok) return { ok: false, problem: p.problem };
    const spans = p.family === "ipv4" ? p.set.v4 : p.set.v6;
    expect(spans.length).toBe(1);
    expect((p.family === "ipv4" ? p.set.v6 : p.set.v4).length).toBe(0);
    return { ok: true, family: p.family, key: `${spans[0][0].toString(16)}-${spans[0][1].toString(16)}` };
}

const octet = fc.oneof(
    fc.integer({ min: 0, max: 255 }).map(String),
    fc.integer({ min: 0, max: 999 }).map(String),
    fc.constantFrom("00", "01", "010", "0x1f", "256", "1000", "", "a", "-1", "08"),
);
const v4 = fc.oneof(
    { weight: 4, arbitrary: fc.array(octet, { minLength: 4, maxLength: 4 }).map((o) => o.join(".")) },
    { weight: 1, arbitrary: fc.array(octet, { minLength: 1, maxLength: 6 }).map((o) => o.join(".")) },
    { weight: 1, arbitrary: fc.constantFrom("0", "4294967295", "0xffffffff", "10.1", "127.1", "1.2.3") },
);
const group = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).toUpperCase().padStart(4, "0")) },
    { weight: 1, arbitrary: fc.constantFrom("", "12345", "g", "0000", "FfFf", "1.2.3.4", "0x1") },
);
const v6 = fc.tuple(fc.array(group, { minLength: 0, maxLength: 9 }), fc.nat(), fc.constantFrom("", "::", "::", ":", ":::"), fc.boolean()).map(([gs, at, sep, dbl]) => {
    const i = gs.length ? at % (gs.length + 1) : 0;
    if (!dbl) return gs.join(":");
    return `${gs.slice(0, i).join(":")}${sep}${gs.slice(i).join(":")}`;
});
const prefix = fc.oneof(
    { weight: 3, arbitrary: fc.constant("") },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 130 }).map((n) => `/${n}`) },
    { weight: 1, arbitrary: fc.constantFrom("/", "/-1", "/a", "/1000", "/032", "//8", "/8/8", "%eth0", "%1/64", "/ 8") },
);
const cidrText = fc.tuple(fc.oneof(v4, v6), prefix, fc.constantFrom("", " ", "\t", "\n ")).map(([a, p, ws]) => `${ws}${a}${p}${ws}`);

describe("parseCidr's fast paths and memo agree with ipaddr.js", () => {
    it("on near-miss spellings of IPv4 and IPv6 CIDRs, with and without a required family", async () => {
        await fc.assert(
            fc.asyncProperty(cidrText, fc.constantFrom<Family | undefined>(undefined, "ipv4", "ipv6"), async (t, only) => {
                expect(actual(parseCidr(t, only)), t).toEqual(reference(t, only));
                // remembered: a second call gives the same answer
                expect(actual(parseCidr(t, only)), t).toEqual(reference(t, only));
                await breathe();
            }),
            { numRuns: RUNS, ...SEED },
        );
    }, TIMEOUT);

    it("on the spellings the fast paths must get right", () => {
        const cases = ["0.0.0.0/0", "10.0.0.0/8", "255.255.255.255", "256.0.0.0/8", "01.2.3.4/8", "1.2.3.4/33", "::/0", "::", "::1", "1::", "2001:db8::/32", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "1::2::3", ":1::", "FFFF::/16", "12345::", "::ffff:1.2.3.4/96", "fe80::1%eth0", "2001:db8::/129", " 10.0.0.0/8 "];
        for (const t of cases) for (const only of [undefined, "ipv4", "ipv6"] as const) expect(actual(parseCidr(t, only)), `${t} ${only}`).toEqual(reference(t, only));
        for (const v of [null, undefined, 42, {}, []]) expect(actual(parseCidr(v))).toEqual(reference(v));
    });
});

describe("tierOf (computed without building the public part) agrees with its definition", () => {
    const PUBLIC_V4 = PUBLIC.intersect(AddressSet.ALL_V4);
    const INTERNET_V6 = PUBLIC.intersect(AddressSet.of([], [[0x2000n << 112n, (0x4000n << 112n) - 1n]]));
    const reference = (set: AddressSet) => {
        const pub = set.intersect(PUBLIC);
        if (pub.isEmpty) return "private";
        if (pub.covers(PUBLIC_V4) || pub.covers(INTERNET_V6)) return "internet";
        if (pub.count("ipv4") >= 1n << 24n || pub.count("ipv6") >= 1n << 96n) return "wide";
        return "public";
    };
    it("on unions of random CIDRs, with public, private and wide parts", async () => {
        const block = fc.oneof(
            fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 32 })).map(([a, b, l]) => `${a}.${b}.0.0/${l}`),
            fc.tuple(fc.constantFrom("2000", "2001:db8", "2600", "fd00", "2001", "64:ff9b", "3fff", "8000"), fc.integer({ min: 0, max: 128 })).map(([p, l]) => `${p}::/${l}`),
            fc.constantFrom("0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8", "::/0", "2000::/3", "::/1", "8000::/1"),
        );
        await fc.assert(
            fc.asyncProperty(fc.array(block, { maxLength: 5 }), async (list) => {
                let set = AddressSet.EMPTY;
                for (const t of list) {
                    const p = parseCidr(t);
                    if (p.ok) set = set.union(p.set);
                }
                expect(tierOf(set), list.join(" ")).toBe(reference(set));
                await breathe();
            }),
            { numRuns: RUNS, ...SEED },
        );
    }, TIMEOUT);
});

describe("an address set's message text names its first blocks and counts the rest exactly", () => {
    it("on unions and differences of random IPv4 and IPv6 blocks", async () => {
        const v4 = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([n, l]) => `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".")}/${l}`);
        const v6 = fc.tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 128 })).map(([g, l]) => `${g.map((x) => x.toString(16)).join(":")}/${l}`);
        await fc.assert(
            fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), fc.oneof(v4, v6)), { maxLength: 8 }), async (ops) => {
                let set = AddressSet.EMPTY;
                for (const [cut, t] of ops) {
                    const p = parseCidr(t);
                    if (p.ok) set = cut ? set.minus(p.set) : set.union(p.set);
                }
                const all = set.toCidrs();
                const expected = all.length === 0 ? "no addresses" : all.length > 4 ? `${all.slice(0, 4).join(", ")} and ${all.length - 4} more` : all.join(", ");
                expect(set.toString(), ops.map(([c, t]) => `${c ? "-" : "+"}${t}`).join(" ")).toBe(expected);
                await breathe();
            }),
            { numRuns: RUNS, ...SEED },
        );
    }, TIMEOUT);
});
