import { describe, expect, it } from "vitest";
import { hasPorts, normalizeProtocol, protocolLabel } from "../../src/net/protocols";
import type { Protocol } from "../../src/model";

describe("normalizeProtocol", () => {
    it.each<{ input: unknown; want: Protocol }>([
        { input: "-1", want: "all" },
        { input: -1, want: "all" },
        { input: "all", want: "all" },
        { input: "ALL", want: "all" },
        { input: "*", want: "all" },
        { input: "Any", want: "all" },
        { input: "any", want: "all" },
        { input: "tcp", want: "tcp" },
        { input: "TCP", want: "tcp" },
        { input: "Tcp", want: "tcp" },
        { input: " tcp ", want: "tcp" },
        { input: "6", want: "tcp" },
        { input: 6, want: "tcp" },
        { input: "udp", want: "udp" },
        { input: "17", want: "udp" },
        { input: 17, want: "udp" },
        { input: "icmp", want: "icmp" },
        { input: "1", want: "icmp" },
        { input: "icmpv6", want: "icmpv6" },
        { input: "58", want: "icmpv6" },
        { input: "gre", want: "ip-47" },
        { input: "47", want: "ip-47" },
        { input: 47, want: "ip-47" },
        { input: "esp", want: "ip-50" },
        { input: "0", want: "ip-0" },
        { input: "255", want: "ip-255" },
    ])("reads $input as $want", ({ input, want }) => {
        expect(normalizeProtocol(input)).toBe(want);
    });

    // A protocol number written with leading zeros is still that protocol: "06" must not
    // slip past a TCP check as "ip-6".
    it.each<{ input: unknown; want: Protocol }>([
        { input: "06", want: "tcp" },
        { input: "006", want: "tcp" },
        { input: "017", want: "udp" },
        { input: "01", want: "icmp" },
        { input: "058", want: "icmpv6" },
        { input: "047", want: "ip-47" },
    ])("reads the zero-padded number $input as $want", ({ input, want }) => {
        expect(normalizeProtocol(input)).toBe(want);
    });

    it.each<{ name: string; input: unknown }>([
        { name: "an unknown word", input: "banana" },
        { name: "an empty string", input: "" },
        { name: "a number above 255", input: "256" },
        { name: "a number above 255 (number)", input: 256 },
        { name: "a fraction", input: 6.5 },
        { name: "NaN", input: Number.NaN },
        { name: "null", input: null },
        { name: "undefined", input: undefined },
        { name: "an object", input: { protocol: "tcp" } },
        // names inherited from Object.prototype must not be mistaken for protocols
        { name: "constructor", input: "constructor" },
        { name: "__proto__", input: "__proto__" },
    ])("rejects $name", ({ input }) => {
        expect(normalizeProtocol(input)).toBeUndefined();
    });
});

describe("hasPorts", () => {
    it.each<{ p: Protocol; want: boolean }>([
        { p: "tcp", want: true },
        { p: "udp", want: true },
        { p: "all", want: true },
        { p: "icmp", want: false },
        { p: "icmpv6", want: false },
        { p: "ip-47", want: false },
        { p: "ip-132", want: false },
    ])("$p carries ports: $want", ({ p, want }) => {
        expect(hasPorts(p)).toBe(want);
    });
});

describe("protocolLabel", () => {
    it.each<{ p: Protocol; want: string }>([
        { p: "all", want: "all protocols" },
        { p: "tcp", want: "TCP" },
        { p: "icmpv6", want: "ICMPv6" },
        { p: "ip-47", want: "IP protocol 47" },
    ])("labels $p as $want", ({ p, want }) => {
        expect(protocolLabel(p)).toBe(want);
    });
});
