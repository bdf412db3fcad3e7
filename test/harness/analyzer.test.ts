/**
 * The analyzer client of `portguard check` (src/cli/check/analyzer.ts, through the
 * scripts/lib/analyzer.js re-export), against tiny packs under test/fixtures/
 * rather than the real pack: config reconciliation as the CLI does it, the launch, and the
 * wire encoding of AnalyzeStack's propertyDependencies.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { reconcileConfig, parsePolicyPackConfig, launchPack, toEngineValue, UNKNOWN } = require("../../scripts/lib/analyzer.js");

const FIXTURES = path.resolve(__dirname, "../fixtures");
const TIMEOUT = 120_000;

const info = {
    policies: [
        {
            name: "a",
            enforcementLevel: "mandatory",
            configSchema: { properties: { port: { type: "number", default: 22 }, list: { type: "array", default: ["x"] }, free: { type: "string" } } },
        },
        { name: "b", enforcementLevel: "advisory" },
    ],
    initialConfig: {},
};

describe("reconcileConfig, the CLI's --policy-pack-config handling", () => {
    it("starts from each policy's default level and the defaults in its config schema", () => {
        expect(reconcileConfig(info, undefined)).toEqual({
            a: { enforcementLevel: "mandatory", properties: { port: 22, list: ["x"] } },
            b: { enforcementLevel: "advisory", properties: undefined },
        });
    });

    it("applies `all` to every policy's level, then per-policy levels and options over the defaults", () => {
        const c = reconcileConfig(info, { all: "disabled", a: { enforcementLevel: "advisory", port: 3389 }, b: "mandatory" });
        expect(c.a).toEqual({ enforcementLevel: "advisory", properties: { port: 3389, list: ["x"] } });
        expect(c.b).toEqual({ enforcementLevel: "mandatory", properties: undefined });
    });

    it("keeps the `all` level for a policy whose entry has options but no level", () => {
        const c = reconcileConfig(info, { all: "advisory", a: { port: 80 } });
        expect(c.a).toEqual({ enforcementLevel: "advisory", properties: { port: 80, list: ["x"] } });
    });

    it("does not let a file's options leak into the defaults it started from", () => {
        reconcileConfig(info, { a: { list: ["changed"] } });
        expect(reconcileConfig(info, undefined).a.properties.list).toEqual(["x"]);
    });

    it("rejects what the CLI rejects: an unknown level, a non-string level, a value that is neither string nor object", () => {
        expect(() => parsePolicyPackConfig({ a: "strict" })).toThrow(/not a valid enforcement level/);
        expect(() => parsePolicyPackConfig({ a: { enforcementLevel: 1 } })).toThrow(/not a valid enforcement level/);
        expect(() => parsePolicyPackConfig({ a: 3 })).toThrow(/must be a string or object/);
    });
});

describe("toEngineValue, mock values to the engine's wire form", () => {
    it("turns the SDK's {__pulumiUnknown: true} into the engine's unknown sentinel at any depth and keeps known values", () => {
        expect(toEngineValue({ ingress: [{ fromPort: 445, cidrBlocks: [{ __pulumiUnknown: true }] }], id: { __pulumiUnknown: true } })).toEqual({
            ingress: [{ fromPort: 445, cidrBlocks: [UNKNOWN] }],
            id: UNKNOWN,
        });
    });
});

describe("launchPack", () => {
    it("fails with the pack's stderr when the pack exits before printing its port", async () => {
        await expect(launchPack(path.join(FIXTURES, "broken-pack"))).rejects.toThrow(/failed to start[\s\S]*Version must be defined/);
    }, TIMEOUT);

    describe("with a tiny pack", () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        let pack: any;
        beforeAll(async () => {
            pack = await launchPack(path.join(FIXTURES, "tiny-pack"));
        }, TIMEOUT);
        afterAll(() => pack?.close());

        it("reports GetAnalyzerInfo's levels and config schema as plain values", async () => {
            const got = await pack.getAnalyzerInfo();
            expect(got.name).toBe("tiny-pack");
            expect(got.policies.map((p: { name: string; enforcementLevel: string }) => [p.name, p.enforcementLevel])).toEqual([
                ["tiny-port", "mandatory"],
                ["tiny-advice", "advisory"],
            ]);
            expect(got.policies[0].configSchema.properties.port.default).toBe(22);
        }, TIMEOUT);

        it("sends Configure's options and levels: the configured port and the `all` level reach the policies", async () => {
            const got = await pack.getAnalyzerInfo();
            await pack.configure(reconcileConfig(got, { all: "advisory", "tiny-port": { port: 3389 } }));
            const sg = {
                type: "aws:ec2/securityGroup:SecurityGroup",
                urn: "urn:pulumi:dev::t::aws:ec2/securityGroup:SecurityGroup::sg",
                name: "sg",
                properties: { ingress: [{ fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/0"] }] },
            };
            const ds = await pack.analyze(sg);
            const port = ds.find((d: { policyName: string }) => d.policyName === "tiny-port");
            expect(port).toMatchObject({ enforcementLevel: "advisory", urn: sg.urn });
            expect(port.message).toMatch(/port 3389 open/);
        }, TIMEOUT);

        it("delivers AnalyzeStack's propertyDependencies to validateStack as the linked resources", async () => {
            const acl = { type: "t:i:Acl", urn: "urn:pulumi:dev::t::t:i:Acl::acl", name: "acl", properties: {} };
            const rule = {
                type: "t:i:Rule",
                urn: "urn:pulumi:dev::t::t:i:Rule::rule",
                name: "rule",
                properties: { aclId: UNKNOWN },
                propertyDependencies: { aclId: [acl.urn] },
            };
            const ds = await pack.analyzeStack([acl, rule]);
            expect(ds.map((d: { message: string; urn: string }) => [d.message.split("\n").pop(), d.urn])).toEqual([["rule.aclId <- acl", rule.urn]]);
        }, TIMEOUT);
    });
});
