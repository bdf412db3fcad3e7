import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
    type Num,
    type Span,
    normalize,
    union,
    intersect,
    subtract,
    covers,
    overlaps,
    size,
    contains,
} from "../../src/net/spans";

/** FUZZ_RUNS=5000 npx vitest run test/net/spans.test.ts for a thorough run. */
const RUNS = Number(process.env.FUZZ_RUNS) > 0 ? Number(process.env.FUZZ_RUNS) : 150;
const U = 200; // the small universe 0..U the model enumerates

// ---- brute-force model -------------------------------------------------------------

/** Every element of a (possibly unnormalized) span list, as a Set of numbers. */
function model<T extends Num>(spans: readonly Span<T>[]): Set<number> {
    const s = new Set<number>();
    for (const [lo, hi] of spans) for (let x = Number(lo); x <= Number(hi); x++) s.add(x);
    return s;
}
function elements<T extends Num>(spans: readonly Span<T>[]): number[] {
    return [...model(spans)].sort((a, b) => a - b);
}
function sorted(s: Set<number>): number[] {
    return [...s].sort((a, b) => a - b);
}

/** Normalized form: each span non-empty, sorted, disjoint and not adjacent. */
function expectCanonical<T extends Num>(spans: readonly Span<T>[]): void {
    for (let i = 0; i < spans.length; i++) {
        const [lo, hi] = spans[i];
        expect(lo <= hi, `span ${i} has lo <= hi`).toBe(true);
        if (i > 0) {
            const prevHi = BigInt(spans[i - 1][1]);
            expect(BigInt(lo) > prevHi + 1n, `span ${i} starts after span ${i - 1} ends + 1`).toBe(true);
        }
    }
}

// ---- arbitraries ----------------------------------------------------------------------

const rawNumSpans = fc.array(fc.tuple(fc.integer({ min: 0, max: U }), fc.integer({ min: 0, max: U })), {
    maxLength: 8,
}) as fc.Arbitrary<Span<number>[]>;
/** Mostly short spans, so that gaps and adjacency are common. */
const shortNumSpans = fc.array(
    fc.tuple(fc.integer({ min: 0, max: U }), fc.integer({ min: 0, max: 12 })).map(([lo, w]) => [lo, Math.min(U, lo + w)] as Span<number>),
    { maxLength: 8 },
);
const numSpans = fc.oneof(rawNumSpans, shortNumSpans).map((s) => normalize(s));
const toBig = (s: readonly Span<number>[]): Span<bigint>[] => s.map(([lo, hi]) => [BigInt(lo), BigInt(hi)] as const);
const bigSpans = numSpans.map(toBig);

type Impl = {
    name: string;
    arb: fc.Arbitrary<Span<any>[]>;
    /** Lift a number element / span list into this implementation's type. */
    el: (x: number) => any;
    lift: (s: Span<number>[]) => Span<any>[];
};
const impls: Impl[] = [
    { name: "numbers (ports)", arb: numSpans, el: (x) => x, lift: (s) => s },
    { name: "bigints (addresses)", arb: bigSpans, el: (x) => BigInt(x), lift: toBig },
];

// ---- example-based ------------------------------------------------------------------

describe("normalize", () => {
    it.each([
        { name: "merges overlapping spans", input: [[1, 5], [3, 8]], want: [[1, 8]] },
        { name: "merges adjacent spans", input: [[1, 5], [6, 8]], want: [[1, 8]] },
        { name: "keeps spans with a gap apart", input: [[1, 5], [7, 8]], want: [[1, 5], [7, 8]] },
        { name: "sorts unordered spans", input: [[20, 30], [1, 2]], want: [[1, 2], [20, 30]] },
        { name: "drops an inverted span", input: [[9, 3]], want: [] },
        { name: "swallows a span inside another", input: [[1, 100], [10, 20]], want: [[1, 100]] },
        { name: "keeps a single point", input: [[7, 7]], want: [[7, 7]] },
    ])("$name", ({ input, want }) => {
        expect(normalize(input as Span<number>[])).toEqual(want);
    });

    it("does not change the caller's array", () => {
        const input: Span<number>[] = [[5, 9], [1, 6]];
        normalize(input);
        expect(input).toEqual([[5, 9], [1, 6]]);
    });

    it("handles bigints past 2^53 exactly", () => {
        const big = 1n << 100n;
        expect(normalize([[big + 1n, big + 5n], [big, big]])).toEqual([[big, big + 5n]]);
        expect(size([[0n, (1n << 128n) - 1n]])).toBe(1n << 128n);
    });
});

describe("subtract", () => {
    it.each([
        { name: "punches a hole in the middle", a: [[0, 10]], b: [[4, 6]], want: [[0, 3], [7, 10]] },
        { name: "trims the left end", a: [[0, 10]], b: [[0, 2]], want: [[3, 10]] },
        { name: "trims the right end", a: [[0, 10]], b: [[8, 20]], want: [[0, 7]] },
        { name: "removes everything when covered", a: [[3, 5], [8, 9]], b: [[0, 10]], want: [] },
        { name: "leaves a alone when disjoint", a: [[3, 5]], b: [[6, 9]], want: [[3, 5]] },
        { name: "one b span cuts two a spans", a: [[0, 5], [8, 12]], b: [[4, 9]], want: [[0, 3], [10, 12]] },
    ])("$name", ({ a, b, want }) => {
        expect(subtract(a as Span<number>[], b as Span<number>[])).toEqual(want);
    });
});

// ---- properties against the model ------------------------------------------------------

describe.each(impls)("spans on $name agree with a Set model over 0..200", ({ arb, el, lift }) => {
    const opts = { numRuns: RUNS };

    it("normalize keeps the elements, produces canonical form and is idempotent", () => {
        const raw = fc.oneof(rawNumSpans, shortNumSpans);
        fc.assert(
            fc.property(raw, (r) => {
                const spans = lift(r);
                const n = normalize(spans);
                expect(elements(n)).toEqual(elements(spans));
                expectCanonical(n);
                expect(normalize(n)).toEqual(n);
            }),
            opts,
        );
    });

    it("union", () => {
        fc.assert(
            fc.property(arb, arb, (a, b) => {
                const u = union(a, b);
                expectCanonical(u);
                expect(elements(u)).toEqual(sorted(new Set([...model(a), ...model(b)])));
            }),
            opts,
        );
    });

    it("intersect", () => {
        fc.assert(
            fc.property(arb, arb, (a, b) => {
                const i = intersect(a, b);
                expectCanonical(i);
                const mb = model(b);
                expect(elements(i)).toEqual(elements(a).filter((x) => mb.has(x)));
            }),
            opts,
        );
    });

    it("subtract", () => {
        fc.assert(
            fc.property(arb, arb, (a, b) => {
                const d = subtract(a, b);
                expectCanonical(d);
                const mb = model(b);
                expect(elements(d)).toEqual(elements(a).filter((x) => !mb.has(x)));
            }),
            opts,
        );
    });

    it("covers", () => {
        fc.assert(
            fc.property(arb, arb, (a, b) => {
                const ma = model(a);
                expect(covers(a, b)).toBe([...model(b)].every((x) => ma.has(x)));
                expect(covers(a, intersect(a, b))).toBe(true);
            }),
            opts,
        );
    });

    it("overlaps", () => {
        fc.assert(
            fc.property(arb, arb, (a, b) => {
                const ma = model(a);
                expect(overlaps(a, b)).toBe([...model(b)].some((x) => ma.has(x)));
            }),
            opts,
        );
    });

    it("size", () => {
        fc.assert(
            fc.property(arb, (a) => {
                expect(size(a)).toBe(BigInt(model(a).size));
            }),
            opts,
        );
    });

    it("contains", () => {
        fc.assert(
            fc.property(arb, fc.integer({ min: -2, max: U + 2 }), (a, x) => {
                expect(contains(a, el(x))).toBe(model(a).has(x));
            }),
            opts,
        );
    });
});
