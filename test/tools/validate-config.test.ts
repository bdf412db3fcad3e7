/**
 * portguard-validate-config (src/tools/validate-config.ts): the shipped example configs are
 * valid and do what examples/config/README.md says; each kind of mistake is rejected with one
 * line naming the policy and the option; the command's exit codes.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { POLICIES } from "../../src/policies";
import { configFileSchema, didYouMean, readConfigFile, validateConfig } from "../../src/tools/validate-config";
import { acl, check, entry, sg, sgRule } from "../helpers";

const require = createRequire(import.meta.url);
const { parsePolicyPackConfig, reconcileConfig } = require("../../scripts/lib/analyzer.js");

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLES = path.join(ROOT, "examples", "config");
const NOW = new Date("2026-11-01");
const policy = (name: string) => POLICIES.find((p) => p.name === name)!;

const errorsOf = (config: unknown) => validateConfig(config, { now: NOW }).errors;

describe("examples/config", () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".json")).sort();

    it("holds the four documented examples", () => {
        expect(files).toEqual(["advisory.json", "exemptions.json", "linux-only-clients.json", "strict.json"]);
    });

    for (const f of files) {
        it(`${f} is valid, with no warnings, and the CLI's own parsing accepts it`, () => {
            const config = readConfigFile(path.join(EXAMPLES, f));
            expect(validateConfig(config, { now: NOW })).toEqual({ valid: true, errors: [], warnings: [] });
            expect(() => parsePolicyPackConfig(config)).not.toThrow();
        });
    }

    const info = { policies: POLICIES.map((p) => ({ name: p.name, enforcementLevel: p.enforcementLevel, configSchema: p.configSchema })) };
    const levels = (f: string) => Object.fromEntries(Object.entries(reconcileConfig(info, readConfigFile(path.join(EXAMPLES, f)))).filter(([n]) => n !== "all").map(([n, c]: [string, any]) => [n, c.enforcementLevel]));

    it("strict.json makes every policy mandatory; advisory.json makes every policy advisory", () => {
        expect(new Set(Object.values(levels("strict.json")))).toEqual(new Set(["mandatory"]));
        expect(new Set(Object.values(levels("advisory.json")))).toEqual(new Set(["advisory"]));
    });

    it("strict.json counts SSH open to a single public address; the defaults do not", () => {
        const config = readConfigFile(path.join(EXAMPLES, "strict.json")) as Record<string, Record<string, unknown>>;
        const r = sg("bastion", [sgRule("tcp", 22, 22, ["8.8.8.8/32"])]);
        expect(check(policy("exposed-service-ports"), r, config["exposed-service-ports"])).toHaveLength(1);
        expect(check(policy("exposed-service-ports"), r)).toHaveLength(0);
    });

    it("linux-only-clients.json accepts an ACL whose replies reach only Linux's ephemeral range; the defaults report it", () => {
        const config = readConfigFile(path.join(EXAMPLES, "linux-only-clients.json")) as Record<string, Record<string, unknown>>;
        const r = acl("private", [entry(100, "allow", "tcp", 5432, 5432, "10.0.0.0/16")], [entry(100, "allow", "tcp", 32768, 60999, "10.0.0.0/16")]);
        expect(check(policy("stateless-acl-return-traffic"), r, config["stateless-acl-return-traffic"])).toEqual([]);
        expect(check(policy("stateless-acl-return-traffic"), r)).toHaveLength(1);
    });

    it("exemptions.json waives the legacy share until its expiry, then reports that the exemption expired", () => {
        const config = readConfigFile(path.join(EXAMPLES, "exemptions.json")) as Record<string, Record<string, unknown>>;
        const r = sg("legacy-smb-branch", [sgRule("tcp", 445, 445)]);
        expect(check(policy("high-risk-ports"), r, config["high-risk-ports"], NOW)).toEqual([]);
        const later = check(policy("high-risk-ports"), r, config["high-risk-ports"], new Date("2027-04-01"));
        expect(later).toHaveLength(1);
        expect(later[0].message).toMatch(/expired on 2027-03-31/);
    });
});

describe("rejections, one line each naming the policy and the option", () => {
    it("an unknown option (a typo) says which option was meant", () => {
        expect(errorsOf({ "high-risk-ports": { minExposur: "internet" } })).toEqual(["high-risk-ports.minExposur: unknown option (did you mean minExposure?)"]);
    });

    it("an unknown option with no close match lists the options", () => {
        const [e] = errorsOf({ "unverifiable-rules": { verbose: true } });
        expect(e).toBe("unverifiable-rules.verbose: unknown option (expected one of: enforcementLevel, includeUnknowns, directions, exemptions, honourTagExemptions)");
    });

    it("an unknown policy name (a typo) says which policy was meant", () => {
        expect(errorsOf({ "unrestricted-ingres": "mandatory" })).toEqual(["unrestricted-ingres: unknown policy (did you mean unrestricted-ingress?)"]);
    });

    it("a policy of another pack is unknown here", () => {
        expect(errorsOf({ "aws-ec2-instance-no-public-ip": "mandatory" })[0]).toMatch(/^aws-ec2-instance-no-public-ip: unknown policy \(expected one of: all, high-risk-ports, /);
    });

    it("a bad enforcement level, as a string or as enforcementLevel", () => {
        expect(errorsOf({ "high-risk-ports": "mandtory" })).toEqual(['high-risk-ports: "mandtory" is not an enforcement level (advisory, mandatory, remediate, disabled)']);
        expect(errorsOf({ "high-risk-ports": { enforcementLevel: "warn" } })).toEqual(['high-risk-ports.enforcementLevel: "warn" is not an enforcement level (advisory, mandatory, remediate, disabled)']);
        expect(errorsOf({ all: "block" })).toEqual(['all: "block" is not an enforcement level (advisory, mandatory, remediate, disabled)']);
        expect(errorsOf({ "high-risk-ports": { enforcementLevel: 2 } })).toEqual(["high-risk-ports.enforcementLevel: 2 is not an enforcement level (advisory, mandatory, remediate, disabled)"]);
    });

    it("`all` takes a level only", () => {
        expect(errorsOf({ all: { enforcementLevel: "advisory" } })).toEqual([]);
        expect(errorsOf({ all: { minExposure: "internet" } })).toEqual(["all.minExposure: only enforcementLevel can be set for all policies; options belong to one policy"]);
    });

    it("a policy's value that is neither a level nor an object", () => {
        expect(errorsOf({ "high-risk-ports": true })).toEqual(["high-risk-ports: must be an enforcement level (advisory, mandatory, remediate, disabled) or an object of options (got true)"]);
    });

    it("wrong types", () => {
        expect(errorsOf({ "unrestricted-ingress": { maxPorts: "1000" } })).toEqual(['unrestricted-ingress.maxPorts: must be integer 1-65536 (got "1000")']);
        expect(errorsOf({ "high-risk-ports": { judgeReturnTrafficRules: "yes" } })).toEqual(['high-risk-ports.judgeReturnTrafficRules: must be boolean (got "yes")']);
        expect(errorsOf({ "high-risk-ports": { trustedSources: "10.0.0.0/8" } })).toEqual(['high-risk-ports.trustedSources: must be array of string (got "10.0.0.0/8")']);
    });

    it("violated constraints: enum, minimum, minLength, pattern, minItems", () => {
        expect(errorsOf({ "exposed-service-ports": { minExposure: "everywhere" } })).toEqual(['exposed-service-ports.minExposure: must be one of "public", "wide", "internet" (got "everywhere")']);
        expect(errorsOf({ "unrestricted-ingress": { maxPorts: 0 } })).toEqual(["unrestricted-ingress.maxPorts: must be >= 1 (got 0)"]);
        expect(errorsOf({ "high-risk-ports": { exemptions: [{ resource: "", reason: "r" }] } })).toEqual(["high-risk-ports.exemptions[0].resource: must not be empty"]);
        expect(errorsOf({ "high-risk-ports": { exemptions: [{ resource: "a", reason: "r", expires: "next year" }] } })).toEqual(['high-risk-ports.exemptions[0].expires: must be date YYYY-MM-DD (got "next year")']);
        expect(errorsOf({ "high-risk-ports": { tcpPorts: [445, "smb"] } })).toEqual(['high-risk-ports.tcpPorts[1]: must be integer 0-65535 or string "n" or "a-b" (got "smb")']);
        expect(errorsOf({ "stateless-acl-return-traffic": { remoteClients: ["linux", "bsd"] } })[0]).toMatch(/^stateless-acl-return-traffic\.remoteClients\[1\]: must be one of "linux", .* \(got "bsd"\)$/);
        expect(errorsOf({ "exposed-service-ports": { services: [{ name: "Redis", protocol: "tcp", ports: [] }] } })).toEqual(["exposed-service-ports.services[0].ports: must have at least 1 item"]);
    });

    it("missing required fields, and unknown fields, of an exemption", () => {
        expect(errorsOf({ "high-risk-ports": { exemptions: [{ resource: "legacy-*" }] } })).toEqual(["high-risk-ports.exemptions[0].reason: required, but missing"]);
        expect(errorsOf({ "high-risk-ports": { exemptions: [{ resource: "a", reason: "r", expiry: "2027-01-01" }] } })).toEqual(["high-risk-ports.exemptions[0].expiry: unknown field (did you mean expires?)"]);
    });

    it("values the schema accepts but that mean nothing: a CIDR that does not parse, ports beyond 65535 or reversed, a date that does not exist", () => {
        expect(errorsOf({ "high-risk-ports": { trustedSources: ["10.0.0.0/33"] } })).toEqual(['high-risk-ports.trustedSources[0]: "10.0.0.0/33" has prefix length 33, more than 32']);
        expect(errorsOf({ "high-risk-ports": { udpPorts: ["70000", "20-10"] } })).toEqual([
            'high-risk-ports.udpPorts[0]: "70000" is not a port or a low-high range within 0-65535',
            'high-risk-ports.udpPorts[1]: "20-10" is not a port or a low-high range within 0-65535',
        ]);
        expect(errorsOf({ "exposed-service-ports": { services: [{ name: "X", protocol: "tcp", ports: ["99999"] }] } })).toEqual(['exposed-service-ports.services[0].ports[0]: "99999" is not a port or a low-high range within 0-65535']);
        expect(errorsOf({ "high-risk-ports": { exemptions: [{ resource: "a", reason: "r", expires: "2027-02-30" }] } })).toEqual(['high-risk-ports.exemptions[0].expires: "2027-02-30" is not a real date (the exemption would never lapse)']);
    });

    it("reports every problem of a file, in the file's order", () => {
        const r = validateConfig({ "high-risk-ports": { minExposur: "x" }, "unrestricted-ingres": "mandatory", "unrestricted-ingress": { maxPorts: -1 } }, { now: NOW });
        expect(r.valid).toBe(false);
        expect(r.errors.map((e) => e.split(":")[0])).toEqual(["high-risk-ports.minExposur", "unrestricted-ingres", "unrestricted-ingress.maxPorts"]);
    });

    it("a file that is not an object", () => {
        expect(errorsOf([])).toEqual(["(the file): must be a JSON object of policy names (got an array)"]);
        expect(errorsOf("advisory")).toEqual(['(the file): must be a JSON object of policy names (got "advisory")']);
    });
});

describe("warnings: valid, but probably not meant", () => {
    it("an exemption that already expired", () => {
        const r = validateConfig({ "high-risk-ports": { exemptions: [{ resource: "old", reason: "r", expires: "2026-01-31" }] } }, { now: NOW });
        expect(r.valid).toBe(true);
        expect(r.warnings).toEqual(['high-risk-ports.exemptions[0].expires: expired on 2026-01-31; the exemption for "old" no longer applies']);
    });

    it("remediate on a policy that has no automatic remediation", () => {
        const cannot = POLICIES.find((p) => typeof (p as { remediate?: unknown }).remediate !== "function")!;
        const r = validateConfig({ [cannot.name]: "remediate" }, { now: NOW });
        expect(r.valid).toBe(true);
        expect(r.warnings).toEqual([`${cannot.name}: this policy has no automatic remediation; at "remediate" it reports its violations as mandatory`]);
    });
});

describe("the schema", () => {
    it("is a valid JSON Schema that accepts an empty config and every example", () => {
        const ajv = new Ajv({ strict: false });
        const validate = ajv.compile(configFileSchema());
        expect(validate({})).toBe(true);
        for (const f of readdirSync(EXAMPLES).filter((x) => x.endsWith(".json"))) expect(validate(readConfigFile(path.join(EXAMPLES, f))), f).toBe(true);
    });

    it("lists every policy with every option, and no other key", () => {
        const s = configFileSchema() as { properties: Record<string, { else: { properties: Record<string, unknown>; additionalProperties: boolean } }>; additionalProperties: boolean };
        expect(Object.keys(s.properties)).toEqual(["all", ...POLICIES.map((p) => p.name)]);
        expect(s.additionalProperties).toBe(false);
        for (const p of POLICIES) {
            expect(Object.keys(s.properties[p.name].else.properties)).toEqual(["enforcementLevel", ...Object.keys(p.configSchema.properties)]);
            expect(s.properties[p.name].else.additionalProperties).toBe(false);
        }
    });

    it("didYouMean suggests only close words", () => {
        expect(didYouMean("minexposure", ["minExposure", "maxPorts"])).toBe("minExposure");
        expect(didYouMean("tcpPort", ["tcpPorts", "udpPorts"])).toBe("tcpPorts");
        expect(didYouMean("colour", ["minExposure", "maxPorts"])).toBeUndefined();
    });
});

describe("the command (dist/tools/validate-config.js, the package's portguard-validate-config bin)", () => {
    const BIN = path.join(ROOT, "dist", "tools", "validate-config.js");
    const tmp = mkdtempSync(path.join(os.tmpdir(), "portguard-validate-"));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });
    const write = (name: string, text: string) => {
        const f = path.join(tmp, name);
        writeFileSync(f, text);
        return f;
    };

    it("exits 0 on a valid file", () => {
        const r = run(path.join(EXAMPLES, "strict.json"));
        expect(r.stdout).toMatch(/strict\.json: valid/);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
    });

    it("exits 0 on an empty file, which the CLI accepts", () => {
        const r = run(write("empty.json", "\n"));
        expect(r.stdout).toMatch(/valid \(empty/);
        expect(r.status).toBe(0);
    });

    it("exits 1 on an invalid file, one line per problem and a count", () => {
        const r = run(write("typo.json", JSON.stringify({ "high-risk-ports": { minExposur: "internet" }, "unrestricted-ingres": "mandatory" })));
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("typo.json: high-risk-ports.minExposur: unknown option (did you mean minExposure?)\n");
        expect(r.stderr).toContain("typo.json: unrestricted-ingres: unknown policy (did you mean unrestricted-ingress?)\n");
        expect(r.stderr).toMatch(/2 problems; the policy pack config is not valid/);
        expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it("exits 2 when the file is missing or is not JSON, with one line and no stack trace", () => {
        const missing = run(path.join(tmp, "nope.json"));
        expect(missing.status).toBe(2);
        expect(missing.stderr).toMatch(/^validate-config: cannot read .*nope\.json: ENOENT\n$/);
        const bad = run(write("bad.json", "{ all: advisory }"));
        expect(bad.status).toBe(2);
        expect(bad.stderr).toMatch(/^validate-config: .*bad\.json is not valid JSON/);
        expect(run().status).toBe(2);
    });

    it("--print-schema prints the JSON Schema", () => {
        const r = run("--print-schema");
        expect(r.status).toBe(0);
        expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(configFileSchema())));
    });
});
