/**
 * The library entry (src/lib.ts, `import { portguardPolicies } from "portguard"`): its option
 * types match the policies' schemas, callers' code type-checks (and mistakes do not), and the
 * overrides reach the policies.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { POLICIES } from "../../src/policies";
import { portguardPolicies } from "../../src/lib";
import { CLIENT_TYPE_IDS, DIRECTIONS, EXPOSURES, OPTION_KEYS } from "../../src/tools/option-types";

const ROOT = path.resolve(__dirname, "../..");
const schemaOf = (policy: string, option: string) => POLICIES.find((p) => p.name === policy)!.configSchema.properties[option];

describe("the library's option types", () => {
    it("name every policy, and exactly the options of each policy's configSchema", () => {
        expect(Object.keys(OPTION_KEYS).sort()).toEqual(POLICIES.map((p) => p.name).sort());
        for (const p of POLICIES) {
            expect(Object.keys(OPTION_KEYS[p.name as keyof typeof OPTION_KEYS]).sort(), p.name).toEqual(Object.keys(p.configSchema.properties).sort());
        }
    });

    it("hold the schemas' enum values (exposure tiers, directions, client types)", () => {
        expect(Object.keys(EXPOSURES).sort()).toEqual([...(schemaOf("high-risk-ports", "minExposure").enum as string[])].sort());
        expect(Object.keys(DIRECTIONS).sort()).toEqual([...((schemaOf("high-risk-ports", "directions").items as { enum: string[] }).enum)].sort());
        expect(Object.keys(CLIENT_TYPE_IDS).sort()).toEqual([...((schemaOf("stateless-acl-return-traffic", "remoteClients").items as { enum: string[] }).enum)].sort());
    });

    it("type-check callers' code, old and new, and reject typos, foreign options, bad levels and enums (test/meta/fixtures/lib-caller.ts)", () => {
        const r = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "test/meta/fixtures/tsconfig.json")], { cwd: ROOT, encoding: "utf8", timeout: 110_000 });
        expect(r.stdout + r.stderr).toBe("");
        expect(r.status).toBe(0);
    }, 120_000);
});

describe("portguardPolicies()", () => {
    it("returns the five policies at their default levels", () => {
        expect(portguardPolicies().map((p) => [p.name, p.enforcementLevel])).toEqual(POLICIES.map((p) => [p.name, p.enforcementLevel]));
    });

    it("applies a level override and turns option overrides into the schema defaults the CLI starts from", () => {
        const ps = portguardPolicies({ "unrestricted-ingress": { enforcementLevel: "advisory", config: { maxPorts: 100 } } });
        const p = ps.find((x) => x.name === "unrestricted-ingress")!;
        expect(p.enforcementLevel).toBe("advisory");
        expect((p.configSchema!.properties as Record<string, { default: unknown }>).maxPorts.default).toBe(100);
        const untouched = ps.find((x) => x.name === "high-risk-ports")!;
        expect(untouched.enforcementLevel).toBe("mandatory");
    });
});
