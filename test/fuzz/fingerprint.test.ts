/**
 * The engine adapts a resource once per request by remembering its model with a snapshot of
 * the properties (src/pack/fingerprint.ts), and reuses it for a later copy that matches the
 * snapshot. A false match would hand a policy the model of other properties, so: a match must
 * mean equal values (leaf by leaf, Object.is, same keys in the same order), copies must match,
 * and whatever an adapter could read differently from equal-looking data must not be
 * snapshotted at all.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRequire } from "node:module";
import { matches, snapshot } from "../../src/pack/fingerprint";
import { Evaluator } from "../../src/pack/evaluator";
import { POLICIES } from "../../src/policies";

import { breathe, runsFrom, seedFrom } from "./run";

const require = createRequire(import.meta.url);
const { unknownCheckingProxy } = require("@pulumi/policy/proxy.js");

const RUNS = runsFrom("FUZZ_RUNS", 2000);
const SEED = seedFrom("FUZZ_SEED");
/** A property's time limit: vitest's default at the default size, 10 ms per case beyond. */
const TIMEOUT = Math.max(5_000, 10 * RUNS);

function same(a: unknown, b: unknown): boolean {
    if (typeof a !== typeof b) return false;
    if (a === null || b === null || typeof a !== "object") return Object.is(a, b);
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => same(x, (b as unknown[])[i]));
    const ka = Object.getOwnPropertyNames(a);
    const kb = Object.getOwnPropertyNames(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

// A small alphabet, so that distinct values often look alike.
const leaf = fc.constantFrom<unknown>(0, -0, 1, 22, "22", "0", "", "a", "sa", "s", "s1:a", "n1;", "n0;", "[", "]", "{}", null, undefined, true, false, Number.NaN, "NaN", Infinity, 1e21, "1e+21", 10n, "U", "N", "T");
const key = fc.constantFrom("a", "b", "s1:a", "", "0", "1", "n1;", "protocol", "U");
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(key, tie("v"), { maxKeys: 3, noNullPrototype: true })),
})).v;

/** Whether a later copy `b` would be served the model adapted from `a`. */
function reused(a: unknown, b: unknown): boolean {
    const s = snapshot(a);
    return s !== undefined && matches(s, b);
}

describe("snapshots of resource properties", () => {
    it("a copy matches the snapshot exactly when it equals the original (leaf by leaf, Object.is, key order)", async () => {
        await fc.assert(
            fc.asyncProperty(value, value, async (a, b) => {
                expect(snapshot(a)).toBeDefined();
                expect(reused(a, b), "match iff equal").toBe(same(a, b));
                expect(reused(a, a)).toBe(true);
                await breathe();
            }),
            { numRuns: RUNS, ...SEED },
        );
    }, TIMEOUT);

    it("tells apart every pair of look-alike leaves, lists of up to two of them, and one-key objects (exhaustive)", () => {
        const leaves = [0, -0, 1, 22, "22", "0", "", "a", "sa", "s1:a", "n0;", "[", "{}", null, undefined, true, false, Number.NaN, "NaN", Infinity, 1e21, "1e+21", 10n, "U", [], {}];
        const keys = ["a", "b", "", "0", "1", "__proto__", "constructor"];
        const values: unknown[] = [...leaves];
        for (const x of leaves) values.push([x]);
        for (const x of leaves.slice(0, 14)) for (const y of leaves.slice(0, 14)) values.push([x, y]);
        for (const k of keys) for (const x of leaves) values.push(Object.defineProperty({}, k, { value: x, enumerable: true, writable: true, configurable: true }));
        values.push({ a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1 }, { a: 1, b: undefined });
        for (const x of values) for (const y of values) if (reused(x, y) !== same(x, y)) expect.fail(`${String(x)} vs ${String(y)}: reused ${reused(x, y)}, equal ${same(x, y)}`);
    });

    it("copies match, and the policy SDK's proxy is read through to its target (but never matches a plain copy)", async () => {
        const json = fc.jsonValue();
        await fc.assert(
            fc.asyncProperty(fc.dictionary(fc.string(), json, { noNullPrototype: true }), async (props) => {
                expect(reused(props, structuredClone(props))).toBe(true);
                expect(reused(unknownCheckingProxy(props), unknownCheckingProxy(structuredClone(props)))).toBe(true);
                expect(reused(props, unknownCheckingProxy(props))).toBe(false);
                expect(reused(unknownCheckingProxy(props), props)).toBe(false);
                await breathe();
            }),
            { numRuns: Math.ceil(RUNS / 4), ...SEED },
        );
    }, TIMEOUT);

    it("is a copy: changing the original afterwards is seen", () => {
        const props: Record<string, unknown> = { ingress: [{ fromPort: 22, cidrBlocks: ["0.0.0.0/0"] }] };
        const s = snapshot(props)!;
        expect(matches(s, props)).toBe(true);
        ((props.ingress as Array<Record<string, unknown>>)[0].cidrBlocks as string[]).push("::/0");
        expect(matches(s, props)).toBe(false);
    });

    it("gives up on what an adapter could read differently from equal-looking data", () => {
        class Secret {
            constructor(readonly value: unknown) {}
        }
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        const getter = Object.defineProperty({}, "x", { get: () => { throw new Error("boom"); }, enumerable: true });
        const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
        let deep: unknown = 1;
        for (let i = 0; i < 100; i++) deep = [deep];
        for (const v of [{ s: new Secret(1) }, { f: () => 1 }, { y: Symbol("y") }, cyclic, getter, holes, deep, Object.create(null), new Proxy({}, {}), { d: new Date(0) }, { m: new Map() }, { p: unknownCheckingProxy({}) }]) {
            expect(snapshot(v)).toBeUndefined();
        }
        // and a copy holding one of them never matches
        const s = snapshot({ a: [1] })!;
        for (const v of [{ a: holes }, { a: [() => 1] }, { a: new Proxy([1], {}) }]) expect(matches(s, v)).toBe(false);
        expect(reused([1, undefined, 3], holes), "a hole is not an undefined element").toBe(false);
        expect(reused({ a: 1, b: 2 }, { a: 1, b: 2, c: 3 })).toBe(false);
        expect(reused({ a: 1, b: 2, c: 3 }, { a: 1, b: 2 })).toBe(false);
        // not enumerable: read by an adapter, hidden from Object.keys: never equal to anything plain
        const hidden = Object.defineProperty({ a: 1 }, "b", { value: 2, enumerable: false });
        expect(snapshot(hidden)).toBeUndefined();
        expect(reused({ a: 1 }, hidden)).toBe(false);
        expect(reused({ a: 1, b: 2 }, hidden)).toBe(false);
    });
});

describe("the evaluator's model memo", () => {
    let evaluator = new Evaluator();
    const SG = "aws:ec2/securityGroup:SecurityGroup";
    const urn = `urn:pulumi:dev::fp::${SG}::web`;
    const input = (port: number) => ({ type: SG, urn, name: "web", props: { ingress: [{ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"] }] } });
    const findings = (i: ReturnType<typeof input>) => POLICIES.flatMap((d) => evaluator.evaluateResource(d, i, {}).map((f) => `${d.name} ${f.message}`));

    it("never hands a policy the model of other properties under the same URN", () => {
        evaluator = new Evaluator();
        const smb = findings(input(445));
        const ssh = findings(input(22));
        expect(smb.some((f) => f.includes("445"))).toBe(true);
        expect(ssh.some((f) => f.includes("445"))).toBe(false);
        expect(findings(input(445))).toEqual(smb);
        // through the SDK's proxy, as the pack receives them
        expect(findings({ ...input(445), props: unknownCheckingProxy(input(445).props) })).toEqual(smb);
        expect(findings({ ...input(22), props: unknownCheckingProxy(input(22).props) })).toEqual(ssh);
    });
});
