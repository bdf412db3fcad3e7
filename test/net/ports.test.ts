import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_PORT, PortSet, parsePortList, parsePortSpec } from "../../src/net/ports";

const RUNS = Number(process.env.FUZZ_RUNS) > 0 ? Number(process.env.FUZZ_RUNS) : 100;

const ps = (s: string): PortSet => {
    const p = parsePortSpec(s);
    if (!p) throw new Error(`test setup: ${s} did not parse`);
    return p;
};

describe("PortSet", () => {
    it.each([
        { name: "a single port prints bare", set: PortSet.of(22), want: "22" },
        { name: "a range prints lo-hi", set: PortSet.range(1024, 65535), want: "1024-65535" },
        { name: "several ports print sorted and comma separated", set: PortSet.of(443, 80, 22), want: "22, 80, 443" },
        { name: "adjacent ports merge into a range", set: PortSet.of(80, 81, 82), want: "80-82" },
        { name: "every port prints as the full range", set: PortSet.ALL, want: "0-65535" },
        { name: "the empty set prints none", set: PortSet.EMPTY, want: "none" },
        { name: "an inverted range is empty", set: PortSet.range(90, 80), want: "none" },
    ])("toString: $name", ({ set, want }) => {
        expect(set.toString()).toBe(want);
    });

    it.each([
        { name: "joins disjoint ranges", a: "80-90", b: "100-110", want: "80-90, 100-110" },
        { name: "merges overlapping ranges", a: "80-90", b: "85-100", want: "80-100" },
        { name: "merges touching ranges", a: "80-90", b: "91-100", want: "80-100" },
        { name: "with the empty set is unchanged", a: "22", b: undefined, want: "22" },
    ])("union $name", ({ a, b, want }) => {
        expect(ps(a).union(b ? ps(b) : PortSet.EMPTY).toString()).toBe(want);
    });

    it.each([
        { name: "keeps the shared ports", a: "80-90", b: "85-100", want: "85-90" },
        { name: "of disjoint ranges is empty", a: "80-90", b: "91-100", want: "none" },
        { name: "with everything is unchanged", a: "22", b: "0-65535", want: "22" },
    ])("intersect $name", ({ a, b, want }) => {
        expect(ps(a).intersect(ps(b)).toString()).toBe(want);
    });

    it.each([
        { name: "cuts a hole", a: "0-65535", b: "22", want: "0-21, 23-65535" },
        { name: "trims an end", a: "80-90", b: "85-100", want: "80-84" },
        { name: "of a covered range is empty", a: "80-90", b: "0-65535", want: "none" },
        { name: "of a disjoint range is unchanged", a: "80-90", b: "22", want: "80-90" },
    ])("minus $name", ({ a, b, want }) => {
        expect(ps(a).minus(ps(b)).toString()).toBe(want);
    });

    it.each([
        { name: "a wider range covers a narrower one", a: "0-1023", b: "22", want: true },
        { name: "a range covers itself", a: "80-90", b: "80-90", want: true },
        { name: "a partial overlap does not cover", a: "80-90", b: "85-95", want: false },
        { name: "anything covers the empty set", a: "22", b: undefined, want: true },
    ])("covers: $name", ({ a, b, want }) => {
        expect(ps(a).covers(b ? ps(b) : PortSet.EMPTY)).toBe(want);
    });

    it("the empty set covers nothing non-empty", () => {
        expect(PortSet.EMPTY.covers(PortSet.of(22))).toBe(false);
    });

    it.each([
        { port: 79, want: false },
        { port: 80, want: true },
        { port: 85, want: true },
        { port: 90, want: true },
        { port: 91, want: false },
        { port: 443, want: true },
    ])("has($port) on 80-90, 443 is $want", ({ port, want }) => {
        expect(PortSet.fromSpans([[80, 90], [443, 443]]).has(port)).toBe(want);
    });

    it.each([
        { name: "a single port", set: PortSet.of(22), want: 1 },
        { name: "an inclusive range", set: PortSet.range(80, 90), want: 11 },
        { name: "overlapping ranges count once", set: PortSet.fromSpans([[80, 90], [85, 95]]), want: 16 },
        { name: "all ports", set: PortSet.ALL, want: 65536 },
        { name: "no ports", set: PortSet.EMPTY, want: 0 },
    ])("count of $name", ({ set, want }) => {
        expect(set.count).toBe(want);
    });

    it("knows when it is all ports or none", () => {
        expect(PortSet.range(0, MAX_PORT).isAll).toBe(true);
        expect(PortSet.range(1, MAX_PORT).isAll).toBe(false);
        expect(PortSet.range(0, 1023).union(PortSet.range(1024, 65535)).isAll).toBe(true);
        expect(PortSet.of(22).minus(PortSet.of(22)).isEmpty).toBe(true);
        expect(PortSet.of(22).isEmpty).toBe(false);
    });

    it("min, ports() and equals", () => {
        expect(PortSet.of(443, 80).min).toBe(80);
        expect(PortSet.EMPTY.min).toBeUndefined();
        expect([...PortSet.fromSpans([[5, 7], [10, 10]]).ports()]).toEqual([5, 6, 7, 10]);
        expect(PortSet.of(80, 81).equals(PortSet.range(80, 81))).toBe(true);
        expect(PortSet.of(80).equals(PortSet.of(81))).toBe(false);
    });
});

describe("parsePortSpec", () => {
    it.each([
        { name: "a port as text", spec: "22", want: "22" },
        { name: "a port as a number", spec: 22, want: "22" },
        { name: "a range", spec: "80-90", want: "80-90" },
        { name: "a range with spaces around the dash", spec: "80 - 90", want: "80-90" },
        { name: "surrounding spaces", spec: " 22 ", want: "22" },
        { name: "port 0", spec: "0", want: "0" },
        { name: "the highest port", spec: "65535", want: "65535" },
        { name: "the full range", spec: "0-65535", want: "0-65535" },
        { name: "a one-port range", spec: "443-443", want: "443" },
    ])("accepts $name", ({ spec, want }) => {
        expect(parsePortSpec(spec)?.toString()).toBe(want);
    });

    it.each([
        { name: "a port above 65535 (number)", spec: 70000 },
        { name: "a port above 65535 (text)", spec: "70000" },
        { name: "65536", spec: "65536" },
        { name: "a range ending above 65535", spec: "80-70000" },
        { name: "an inverted range", spec: "90-80" },
        { name: "a negative number", spec: -1 },
        { name: "a negative number as text", spec: "-1" },
        { name: "a word", spec: "abc" },
        { name: "an empty string", spec: "" },
        { name: "a fraction", spec: 22.5 },
        { name: "a fraction as text", spec: "22.5" },
        { name: "NaN", spec: Number.NaN },
        { name: "Infinity", spec: Number.POSITIVE_INFINITY },
        { name: "an open range", spec: "80-" },
        { name: "a list", spec: "80,443" },
        { name: "a port with a trailing word", spec: "22 ssh" },
        { name: "null", spec: null },
        { name: "undefined", spec: undefined },
        { name: "an object", spec: { from: 22, to: 22 } },
        { name: "a boolean", spec: true },
    ])("rejects $name", ({ spec }) => {
        expect(parsePortSpec(spec)).toBeUndefined();
    });

    it("round-trips any valid range through its text form", () => {
        const port = fc.integer({ min: 0, max: MAX_PORT });
        fc.assert(
            fc.property(port, port, (a, b) => {
                const [lo, hi] = a <= b ? [a, b] : [b, a];
                const p = parsePortSpec(`${lo}-${hi}`);
                expect(p?.count).toBe(hi - lo + 1);
                expect(p?.has(lo) && p.has(hi)).toBe(true);
                expect(p?.has(lo - 1) || p?.has(hi + 1)).toBe(false);
            }),
            { numRuns: RUNS },
        );
    });
});

describe("parsePortList", () => {
    it("unions the good entries and returns the bad ones as given", () => {
        const { set, bad } = parsePortList(["22", 80, "8000-8080", "abc", 70000, "90-80", " 443 ", -1]);
        expect(set.toString()).toBe("22, 80, 443, 8000-8080");
        expect(bad).toEqual(["abc", 70000, "90-80", -1]);
    });

    it("an empty list is the empty set with nothing bad", () => {
        const { set, bad } = parsePortList([]);
        expect(set.isEmpty).toBe(true);
        expect(bad).toEqual([]);
    });

    it("overlapping entries merge", () => {
        expect(parsePortList(["135-139", "137", "139-140"]).set.toString()).toBe("135-140");
    });
});
