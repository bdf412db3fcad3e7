/**
 * portguard as a library inside another pack: examples/composed-pack (portguard's policies,
 * configured, plus one custom policy) launched through Pulumi's loader as the CLI launches it;
 * and the library entry (dist/lib.js) loads without side effects.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICIES } from "../../src/policies";

const require = createRequire(import.meta.url);
const { launchPack, reconcileConfig } = require("../../scripts/lib/analyzer.js");

const ROOT = path.resolve(__dirname, "../..");
const PACK = path.join(ROOT, "examples", "composed-pack");
const LIB = path.join(ROOT, "dist", "lib.js");
const TIMEOUT = 120_000;
const SG = "aws:ec2/securityGroup:SecurityGroup";

describe("examples/composed-pack, launched as the Pulumi CLI launches it", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let pack: any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let info: any;

    beforeAll(async () => {
        if (!existsSync(LIB)) throw new Error("dist/lib.js is missing: run `npm run build` first (npm test does)");
        pack = await launchPack(PACK);
        info = await pack.getAnalyzerInfo();
        await pack.configure(reconcileConfig(info, undefined));
    }, TIMEOUT);

    afterAll(() => pack?.close());

    it("is a pack, not a program: no Pulumi.yaml (the demo skips it), and its package.json installs nothing", () => {
        expect(existsSync(path.join(PACK, "Pulumi.yaml"))).toBe(false);
        expect(existsSync(path.join(PACK, "PulumiPolicy.yaml"))).toBe(true);
        const pkg = require(path.join(PACK, "package.json"));
        expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
        expect(pkg.dependencies ?? {}).toEqual({});
        expect(pkg.devDependencies ?? {}).toEqual({});
    });

    it("serves portguard's five policies plus its own, under its own name and version", () => {
        expect(info.name).toBe("acme-network");
        expect(info.version).toBe("0.1.0");
        expect(info.policies.map((p: { name: string }) => p.name)).toEqual([...POLICIES.map((p) => p.name), "firewall-owner-tag"]);
    });

    it("applies the overrides it passed to portguardPolicies(): a level and option defaults", () => {
        const byName = Object.fromEntries(info.policies.map((p: { name: string }) => [p.name, p]));
        expect(byName["exposed-service-ports"].enforcementLevel).toBe("mandatory");
        expect(byName["exposed-service-ports"].configSchema.properties.minExposure.default).toBe("internet");
        expect(byName["high-risk-ports"].enforcementLevel).toBe("mandatory");
        expect(byName["high-risk-ports"].configSchema.properties.trustedSources.default).toEqual(["198.51.100.0/24"]);
        expect(byName["unrestricted-ingress"].enforcementLevel).toBe("mandatory");
    });

    it("judges a resource with portguard's policies and the custom one together", async () => {
        const ds = await pack.analyze({
            type: SG,
            name: "file-share",
            urn: `urn:pulumi:dev::composed::${SG}::file-share`,
            properties: { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"] }] },
        });
        const by = (name: string) => ds.filter((d: { policyName: string }) => d.policyName === name);
        expect(by("high-risk-ports").map((d: { enforcementLevel: string }) => d.enforcementLevel)).toEqual(["mandatory"]);
        expect(by("firewall-owner-tag")).toHaveLength(1);
        expect(by("firewall-owner-tag")[0].violation).toMatch(/SecurityGroup "file-share" has no owner tag/);
        expect(ds.every((d: { policyPackName: string }) => d.policyPackName === "acme-network")).toBe(true);
    }, TIMEOUT);
});

describe("the library entry, dist/lib.js", () => {
    it("loads without side effects: prints nothing, starts no server (the process ends by itself), loads neither ajv nor commander", () => {
        const script = `
            const lib = require(${JSON.stringify(LIB)});
            const loaded = Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/](ajv|commander)[\\\\/]/.test(f));
            process.stderr.write(JSON.stringify({ exports: Object.keys(lib).sort(), policies: lib.portguardPolicies().length, loaded }));`;
        const started = Date.now();
        const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
        expect(r.signal, "the process did not end by itself: something keeps it alive").toBeNull();
        expect(r.status).toBe(0);
        expect(r.stdout, "the CLI reads a pack's first stdout line as its port").toBe("");
        const out = JSON.parse(r.stderr);
        expect(out.exports).toContain("portguardPolicies");
        expect(out.policies).toBe(POLICIES.length);
        expect(out.loaded).toEqual([]);
        expect(Date.now() - started).toBeLessThan(30_000);
    }, TIMEOUT);

    it("is what `import ... from \"portguard\"` resolves to (package.json exports), while `main` is the runnable pack", () => {
        const pkg = require(path.join(ROOT, "package.json"));
        expect(pkg.exports["."].default).toBe("./dist/lib.js");
        expect(pkg.exports["."].types).toBe("./dist/lib.d.ts");
        expect(pkg.main).toBe("dist/index.js");
        // Inside the package, a self-reference goes through `exports` exactly as a dependent's import does.
        expect(require.resolve("portguard")).toBe(LIB);
    });
});
