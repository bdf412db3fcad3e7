/**
 * The engine adapts a resource once per request by remembering its model under a fingerprint
 * of the properties (src/pack/fingerprint.ts). A fingerprint collision would hand a policy the
 * model of other properties, so: equal fingerprints must mean equal values (leaf by leaf,
 * Object.is, same keys in the same order), copies must fingerprint alike, and whatever an
 * adapter could read differently from equal-looking data must not be fingerprinted at all.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRequire } from "node:module";
import { fingerprint } from "../../src/pack/fingerprint";
import { evaluateResource, forgetInputModels } from "../../src/pack/engine";
import { POLICIES } from "../../src/policies";

const require = createRequire(import.meta.url);
const { unknownCheckingProxy } = require("@pulumi/policy/proxy.js");

const RUNS = Number(process.env.FUZZ_RUNS) > 0 ? Number(process.env.FUZZ_RUNS) : 2000;

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

describe("fingerprints of resource properties", () => {
    it("equal fingerprints mean equal values (no collisions between look-alikes)", () => {
        fc.assert(
            fc.property(value, value, (a, b) => {
                const fa = fingerprint(a);
                const fb = fingerprint(b);
                if (fa !== undefined && fa === fb) expect(same(a, b), `${fa}`).toBe(true);
                if (same(a, b)) expect(fa).toBe(fb);
            }),
            { numRuns: RUNS },
        );
    });

    it("tells apart every list of up to two look-alike leaves and every object of up to two keys (exhaustive)", () => {
        const leaves = [0, -0, 1, 22, "22", "0", "", "a", "sa", "s", "s1:a", "n1;", "n0;", "[", "]", "{}", null, undefined, true, false, Number.NaN, "NaN", Infinity, 1e21, "1e+21", 10n, "U", "N", "T", [], {}];
        const keys = ["a", "b", "s1:a", "", "0", "sa", "n1;"];
        const values: unknown[] = [...leaves];
        for (const x of leaves) values.push([x]);
        for (const x of leaves) for (const y of leaves) values.push([x, y]);
        for (const k of keys) for (const x of leaves) values.push({ [k]: x });
        for (const k of keys) for (const j of keys) if (k !== j) for (const x of leaves.slice(0, 12)) for (const y of leaves.slice(0, 12)) values.push({ [k]: x, [j]: y });
        const seen = new Map<string, unknown>();
        for (const v of values) {
            const f = fingerprint(v);
            expect(f).toBeDefined();
            const prev = seen.get(f!);
            if (prev !== undefined || seen.has(f!)) expect(same(prev, v), `${f} for two different values`).toBe(true);
            seen.set(f!, v);
        }
    });

    it("copies fingerprint alike, and the policy SDK's proxy is read through to its target", () => {
        const json = fc.jsonValue();
        fc.assert(
            fc.property(fc.dictionary(fc.string(), json, { noNullPrototype: true }), (props) => {
                const f = fingerprint(props);
                expect(f).toBeDefined();
                expect(fingerprint(structuredClone(props))).toBe(f);
                expect(fingerprint(unknownCheckingProxy(props))).toBe(`P${f}`);
            }),
            { numRuns: Math.ceil(RUNS / 4) },
        );
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
        for (const v of [{ s: new Secret(1) }, { f: () => 1 }, { y: Symbol("y") }, cyclic, getter, holes, deep, Object.create(null), new Proxy({}, {}), { d: new Date(0) }, { m: new Map() }]) {
            expect(fingerprint(v)).toBeUndefined();
        }
        // not enumerable, still read by an adapter: part of the fingerprint
        const hidden = Object.defineProperty({ a: 1 }, "b", { value: 2, enumerable: false });
        expect(fingerprint(hidden)).not.toBe(fingerprint({ a: 1 }));
    });
});

describe("the engine's model memo", () => {
    const SG = "aws:ec2/securityGroup:SecurityGroup";
    const urn = `urn:pulumi:dev::fp::${SG}::web`;
    const input = (port: number) => ({ type: SG, urn, name: "web", props: { ingress: [{ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"] }] } });
    const findings = (i: ReturnType<typeof input>) => POLICIES.flatMap((d) => evaluateResource(d, i, {}).map((f) => `${d.name} ${f.message}`));

    it("never hands a policy the model of other properties under the same URN", () => {
        forgetInputModels();
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
