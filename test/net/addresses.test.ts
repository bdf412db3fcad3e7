import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { AddressSet, type Family, type Tier, parseCidr, tierOf, tierRank, TIERS, PUBLIC } from "../../src/net/addresses";

const RUNS = Number(process.env.FUZZ_RUNS) > 0 ? Number(process.env.FUZZ_RUNS) : 200;

/** Parse or fail the test. */
function cidr(text: string): AddressSet {
    const p = parseCidr(text);
    if (!p.ok) throw new Error(`test setup: ${text}: ${p.problem}`);
    return p.set;
}
/** Union of several CIDRs. */
function set(...texts: string[]): AddressSet {
    return texts.map(cidr).reduce((a, b) => a.union(b), AddressSet.EMPTY);
}

describe("parseCidr accepts", () => {
    it.each<{ input: string; family: Family; want: string; v4?: bigint; v6?: bigint }>([
        { input: "10.0.0.0/8", family: "ipv4", want: "10.0.0.0/8", v4: 1n << 24n },
        { input: "0.0.0.0/0", family: "ipv4", want: "0.0.0.0/0", v4: 1n << 32n },
        { input: "::/0", family: "ipv6", want: "::/0", v6: 1n << 128n },
        { input: "2001:db8::/32", family: "ipv6", want: "2001:db8::/32", v6: 1n << 96n },
        { input: "192.168.1.7", family: "ipv4", want: "192.168.1.7/32", v4: 1n },
        { input: "2001:db8::1", family: "ipv6", want: "2001:db8::1/128", v6: 1n },
        { input: "10.0.0.1/8", family: "ipv4", want: "10.0.0.0/8", v4: 1n << 24n },
        { input: "2001:db8::1/32", family: "ipv6", want: "2001:db8::/32" },
        { input: " 10.0.0.0/8 ", family: "ipv4", want: "10.0.0.0/8" },
        { input: "255.255.255.255/32", family: "ipv4", want: "255.255.255.255/32" },
    ])("$input as $want", ({ input, family, want, v4, v6 }) => {
        const p = parseCidr(input);
        expect(p.ok).toBe(true);
        if (!p.ok) return;
        expect(p.family).toBe(family);
        expect(p.set.toString()).toBe(want);
        if (v4 !== undefined) expect(p.set.count("ipv4")).toBe(v4);
        if (v6 !== undefined) expect(p.set.count("ipv6")).toBe(v6);
        expect(p.set.count(family === "ipv4" ? "ipv6" : "ipv4")).toBe(0n);
    });

    it("the family it is told to expect", () => {
        expect(parseCidr("10.0.0.0/8", "ipv4").ok).toBe(true);
        expect(parseCidr("::/0", "ipv6").ok).toBe(true);
    });
});

describe("parseCidr rejects", () => {
    it.each<{ name: string; input: unknown; mentions?: string }>([
        { name: "an IPv4 prefix over 32", input: "10.0.0.0/33", mentions: "33" },
        { name: "an IPv6 prefix over 128", input: "::/129", mentions: "129" },
        { name: "a word", input: "banana" },
        { name: "a three-part address", input: "1.2.3" },
        { name: "an octet over 255", input: "10.0.0.256/32" },
        { name: "a hex octet", input: "0x0a.0.0.0/8" },
        { name: "a leading-zero (octal-looking) octet", input: "010.0.0.0/8" },
        { name: "an empty string", input: "" },
        { name: "a missing prefix length", input: "10.0.0.0/" },
        { name: "a negative prefix length", input: "10.0.0.0/-1" },
        { name: "text after the prefix", input: "10.0.0.0/8 junk" },
        { name: "a second slash", input: "10.0.0.0/8/9" },
        { name: "a second slash (IPv6)", input: "2001:db8::/32/64" },
        { name: "an IPv6 zone id", input: "fe80::1%eth0/64" },
        { name: "null", input: null, mentions: "null" },
        { name: "a number", input: 42, mentions: "number" },
        { name: "undefined", input: undefined },
        { name: "an array", input: ["10.0.0.0/8"] },
    ])("$name", ({ input, mentions }) => {
        const p = parseCidr(input);
        expect(p.ok).toBe(false);
        if (p.ok) return;
        expect(typeof p.problem).toBe("string");
        expect(p.problem.length).toBeGreaterThan(5);
        if (mentions) expect(p.problem).toContain(mentions);
    });

    it.each<{ input: string; only: Family; mentions: string }>([
        { input: "::/0", only: "ipv4", mentions: "IPv4 is expected" },
        { input: "10.0.0.0/8", only: "ipv6", mentions: "IPv6 is expected" },
    ])("$input where only $only is allowed", ({ input, only, mentions }) => {
        const p = parseCidr(input, only);
        expect(p.ok).toBe(false);
        if (!p.ok) expect(p.problem).toContain(mentions);
    });

    it("without echoing more than 50 characters of a long input", () => {
        for (const input of ["x".repeat(500), `10.0.0.0/${"9".repeat(200)}`, `${"1".repeat(300)}::/64`]) {
            const p = parseCidr(input);
            expect(p.ok).toBe(false);
            if (p.ok) continue;
            expect(p.problem).not.toContain(input.slice(0, 51));
            expect(p.problem.length).toBeLessThan(120);
        }
    });
});

describe("tierOf", () => {
    it.each<{ name: string; set: () => AddressSet; want: Tier }>([
        // the whole internet
        { name: "0.0.0.0/0", set: () => cidr("0.0.0.0/0"), want: "internet" },
        { name: "::/0", set: () => cidr("::/0"), want: "internet" },
        { name: "2000::/3 (all global unicast)", set: () => cidr("2000::/3"), want: "internet" },
        { name: "0.0.0.0/1 with 128.0.0.0/1", set: () => set("0.0.0.0/1", "128.0.0.0/1"), want: "internet" },
        { name: "::/1 with 8000::/1", set: () => set("::/1", "8000::/1"), want: "internet" },
        { name: "10.0.0.0/0 (host bits ignored)", set: () => cidr("10.0.0.0/0"), want: "internet" },
        { name: "0.0.0.0/0 minus 10.0.0.0/8", set: () => cidr("0.0.0.0/0").minus(cidr("10.0.0.0/8")), want: "internet" },
        { name: "2000::/3 minus 2001:db8::/32", set: () => cidr("2000::/3").minus(cidr("2001:db8::/32")), want: "internet" },
        { name: "every IPv4 public block only", set: () => PUBLIC.intersect(AddressSet.ALL_V4), want: "internet" },
        // wide
        { name: "8.0.0.0/7 (2^25 public IPv4)", set: () => cidr("8.0.0.0/7"), want: "wide" },
        { name: "8.0.0.0/8 (exactly 2^24 public IPv4)", set: () => cidr("8.0.0.0/8"), want: "wide" },
        { name: "0.0.0.0/1 (half the internet)", set: () => cidr("0.0.0.0/1"), want: "wide" },
        { name: "2600::/32 (an IPv6 /32)", set: () => cidr("2600::/32"), want: "wide" },
        { name: "0.0.0.0/0 minus 8.8.8.8", set: () => cidr("0.0.0.0/0").minus(cidr("8.8.8.8")), want: "wide" },
        // public
        { name: "8.8.8.0/24", set: () => cidr("8.8.8.0/24"), want: "public" },
        { name: "a single public /32", set: () => cidr("8.8.8.8"), want: "public" },
        { name: "8.0.0.0/9 (under 2^24)", set: () => cidr("8.0.0.0/9"), want: "public" },
        { name: "2600::/48", set: () => cidr("2600::/48"), want: "public" },
        { name: "8.0.0.0/8 minus one address (one under 2^24)", set: () => cidr("8.0.0.0/8").minus(cidr("8.1.2.3")), want: "public" },
        { name: "2600::/32 minus one address (one under 2^96)", set: () => cidr("2600::/32").minus(cidr("2600::1")), want: "public" },
        { name: "two IPv6 /33 halves apart, each under 2^96 but 2^96 together", set: () => set("2600::/33", "2a00::/33"), want: "wide" },
        { name: "a single public IPv6", set: () => cidr("2600::1"), want: "public" },
        { name: "private plus one public address", set: () => set("10.0.0.0/8", "1.1.1.1"), want: "public" },
        // private
        ...[
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "0.0.0.0/8",
            "224.0.0.0/4", "240.0.0.0/4", "fc00::/7", "fe80::/10", "2001:db8::/32", "::1/128", "::/128",
        ].map((c) => ({ name: c, set: () => cidr(c), want: "private" as Tier })),
        { name: "the empty set", set: () => AddressSet.EMPTY, want: "private" },
    ])("$name is $want", ({ set, want }) => {
        expect(tierOf(set())).toBe(want);
    });

    it("ranks tiers from least to most exposed", () => {
        expect(TIERS.map(tierRank)).toEqual([0, 1, 2, 3]);
        expect(tierRank("internet")).toBeGreaterThan(tierRank("wide"));
        expect(tierRank("public")).toBeGreaterThan(tierRank("private"));
    });

    it("adding addresses never lowers the tier", () => {
        const v4 = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 })).map(([n, len]) => cidr(`${ipv4(n)}/${len}`));
        fc.assert(
            fc.property(v4, v4, (a, b) => {
                expect(tierRank(tierOf(a.union(b)))).toBeGreaterThanOrEqual(tierRank(tierOf(a)));
            }),
            { numRuns: RUNS },
        );
    });
});

describe("AddressSet", () => {
    it.each<{ name: string; set: () => AddressSet; want: string }>([
        { name: "two halves print as the whole", set: () => set("0.0.0.0/1", "128.0.0.0/1"), want: "0.0.0.0/0" },
        { name: "two /9 siblings print as their /8", set: () => set("10.0.0.0/9", "10.128.0.0/9"), want: "10.0.0.0/8" },
        { name: "IPv4 prints before IPv6", set: () => set("::/0", "10.0.0.0/8"), want: "10.0.0.0/8, ::/0" },
        { name: "a span that is not one block splits minimally", set: () => set("10.0.0.1", "10.0.0.2", "10.0.0.3"), want: "10.0.0.1/32, 10.0.0.2/31" },
        { name: "the internet minus one half prints the other half", set: () => cidr("0.0.0.0/0").minus(cidr("128.0.0.0/1")), want: "0.0.0.0/1" },
        { name: "IPv6 uses the compressed form", set: () => cidr("2001:0db8:0000:0000::/64"), want: "2001:db8::/64" },
        { name: "the empty set", set: () => AddressSet.EMPTY, want: "no addresses" },
        {
            name: "more than four blocks are summarised",
            set: () => set("10.0.0.0/32", "10.0.0.2/32", "10.0.0.4/32", "10.0.0.6/32", "10.0.0.8/32", "10.0.0.10/32"),
            want: "10.0.0.0/32, 10.0.0.2/32, 10.0.0.4/32, 10.0.0.6/32 and 2 more",
        },
    ])("toString: $name", ({ set, want }) => {
        expect(set().toString()).toBe(want);
    });

    it("union, minus and covers", () => {
        const ten = cidr("10.0.0.0/8");
        const tenA = cidr("10.0.0.0/9");
        const tenB = cidr("10.128.0.0/9");
        expect(tenA.union(tenB).toString()).toBe("10.0.0.0/8");
        expect(ten.minus(tenA).toString()).toBe("10.128.0.0/9");
        expect(ten.minus(ten).isEmpty).toBe(true);
        expect(ten.covers(tenA)).toBe(true);
        expect(tenA.covers(ten)).toBe(false);
        expect(AddressSet.ALL.covers(cidr("::1"))).toBe(true);
        expect(AddressSet.ALL_V4.covers(cidr("::1"))).toBe(false);
        expect(ten.covers(AddressSet.EMPTY)).toBe(true);
        expect(ten.intersect(cidr("::/0")).isEmpty).toBe(true);
        expect(ten.union(AddressSet.EMPTY)).toBe(ten);
    });

    it("keeps IPv4 and IPv6 apart", () => {
        const both = set("0.0.0.0/0", "::/0");
        expect(both.count("ipv4")).toBe(1n << 32n);
        expect(both.count("ipv6")).toBe(1n << 128n);
        expect(both.minus(AddressSet.ALL_V4).toString()).toBe("::/0");
    });
});

// ---- round trip ----------------------------------------------------------------------

function ipv4(n: number): string {
    return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}
function network(n: number, len: number): number {
    return len === 0 ? 0 : (n & (0xffffffff << (32 - len))) >>> 0;
}

describe("CIDR round trip", () => {
    it("parseCidr(random IPv4 CIDR).set.toString() is the canonical network CIDR", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (n, len) => {
                const p = parseCidr(`${ipv4(n)}/${len}`);
                expect(p.ok).toBe(true);
                if (!p.ok) return;
                expect(p.set.toString()).toBe(`${ipv4(network(n, len))}/${len}`);
                expect(p.set.count("ipv4")).toBe(1n << BigInt(32 - len));
            }),
            { numRuns: RUNS },
        );
    });

    it("a random IPv6 CIDR prints as one block that parses back to the same set", () => {
        const groups = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });
        fc.assert(
            fc.property(groups, fc.integer({ min: 0, max: 128 }), (g, len) => {
                const a = cidr(`${g.map((x) => x.toString(16)).join(":")}/${len}`);
                const text = a.toString();
                expect(text).not.toContain(",");
                expect(text.endsWith(`/${len}`)).toBe(true);
                const b = cidr(text);
                expect(b.covers(a) && a.covers(b)).toBe(true);
            }),
            { numRuns: RUNS },
        );
    });

    it("an IPv6 address prints exactly as ipaddr.js writes it (RFC 5952), zero runs included", () => {
        // groups drawn mostly from 0 and 1, so runs of zero groups of every length and place occur
        const group = fc.oneof(fc.constant(0), fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 0xffff }));
        fc.assert(
            fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (g) => {
                const text = g.map((x) => x.toString(16)).join(":");
                const want = ipaddr.IPv6.parse(text).toString();
                expect(cidr(`${text}/128`).toString()).toBe(`${want}/128`);
            }),
            { numRuns: RUNS * 5 },
        );
    });

    it("any IPv4 span prints as blocks that together are exactly the span", () => {
        const addr = fc.integer({ min: 0, max: 2 ** 32 - 1 });
        fc.assert(
            fc.property(addr, fc.integer({ min: 0, max: 5000 }), (lo, w) => {
                const hi = Math.min(2 ** 32 - 1, lo + w);
                const s = AddressSet.of([[BigInt(lo), BigInt(hi)]], []);
                const text = s.toString();
                fc.pre(!text.includes("more"));
                const back = set(...text.split(", "));
                expect(back.covers(s) && s.covers(back)).toBe(true);
            }),
            { numRuns: RUNS },
        );
    });
});
