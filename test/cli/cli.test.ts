/**
 * The built command line (bin/portguard.js -> dist/cli/main.js), spawned: exit codes 0/1/2,
 * one clear line on stderr for unreadable input and usage errors (no stack trace), stdin,
 * --format, --output-file, and commander kept out of the pack.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, ROOT } from "./helpers";

const BIN = path.join(ROOT, "bin", "portguard.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portguard-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], input?: string) {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", input, timeout: 60_000, env: { ...process.env, NO_COLOR: "" } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const rel = (p: string) => path.relative(ROOT, p);
function oneLine(stderr: string, re: RegExp) {
    expect(stderr.endsWith("\n")).toBe(true);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(re);
    expect(stderr).not.toMatch(/\n\s+at /);
}

describe("portguard scan (spawned)", () => {
    beforeAll(() => {
        if (!fs.existsSync(path.join(ROOT, "dist", "cli", "main.js"))) throw new Error("dist/cli/main.js is missing: run `npm run build` first (npm test does)");
    });

    it("has a shebang and is the package's portguard bin", () => {
        expect(fs.readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
        expect(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).bin.portguard).toBe("bin/portguard.js");
    });

    it("exits 1 on mandatory violations", () => {
        const r = run(["scan", rel(fixture("terraform/aws-insecure.plan.json"))]);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe("");
        expect(r.stdout).toMatch(/^4 mandatory, 7 advisory/m);
    });

    it("exits 0 when only advisory violations remain", () => {
        const cfg = path.join(tmp, "advisory.json");
        fs.writeFileSync(cfg, JSON.stringify({ all: "advisory" }));
        const r = run(["scan", "--config", cfg, rel(fixture("pulumi/aws-insecure.export.json"))]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^12 advisory \(12 violations/m);
    });

    it("reads stdin with -, and --format skips detection", () => {
        const text = fs.readFileSync(fixture("pulumi/aws-insecure.preview.json"), "utf8");
        const r = run(["scan", "-", "--output", "json"], text);
        expect(r.code).toBe(1);
        expect(JSON.parse(r.stdout).stacks[0]).toMatchObject({ source: "-", format: "pulumi-preview" });
        const forced = run(["scan", "-", "--format", "terraform-state"], text);
        expect(forced.code).toBe(0);
        expect(forced.stdout).toMatch(/^portguard scan: stdin \(terraform-state, 0 resources/);
    });

    it("writes --output-file without colour and prints nothing on stdout", () => {
        const out = path.join(tmp, "out.sarif");
        const r = spawnSync(process.execPath, [BIN, "scan", rel(fixture("terraform/gcp-firewall.plan.json")), "-o", "sarif", "--output-file", out], { cwd: ROOT, encoding: "utf8" });
        expect(r.status).toBe(1);
        expect(r.stdout).toBe("");
        expect(JSON.parse(fs.readFileSync(out, "utf8")).version).toBe("2.1.0");
        const txt = path.join(tmp, "out.txt");
        spawnSync(process.execPath, [BIN, "scan", rel(fixture("terraform/gcp-firewall.plan.json")), "--output-file", txt, "--color", "auto"], { cwd: ROOT, encoding: "utf8" });
        expect(fs.readFileSync(txt, "utf8")).not.toContain("\x1b[");
    });

    it.each([
        ["a file that is not JSON", "notjson.json", "this is not json\n", /^portguard: .*notjson\.json: not valid JSON: /],
        ["a truncated file", "truncated.json", fs.readFileSync(fixture("terraform/aws-insecure.plan.json"), "utf8").slice(0, 5000), /^portguard: .*truncated\.json: not valid JSON \(truncated\?\)/],
        ["an empty file", "empty.json", "", /^portguard: .*empty\.json: is empty$/m],
        ["JSON of an unknown format", "package-like.json", JSON.stringify({ name: "x", version: "1.0.0" }), /^portguard: .*package-like\.json: unknown format \(expected/],
        ["a raw Terraform state", "terraform.tfstate", JSON.stringify({ version: 4, terraform_version: "1.9.8", serial: 1, lineage: "x", outputs: {}, resources: [] }), /raw Terraform state file .*terraform show -json/],
        ["a stack export of another version", "v1.json", JSON.stringify({ version: 1, deployment: {} }), /stack export version 1 is not supported/],
    ])("exits 2 with one line on stderr for %s", (_, name, content, re) => {
        const f = path.join(tmp, name);
        fs.writeFileSync(f, content);
        const r = run(["scan", f]);
        expect(r.code).toBe(2);
        oneLine(r.stderr, re);
    });

    it("exits 2 with one line for a missing file, an unreadable config and invalid config", () => {
        oneLine(run(["scan", "nope.json"]).stderr, /^portguard: nope\.json: no such file or directory$/m);
        expect(run(["scan", "nope.json"]).code).toBe(2);
        const bad = path.join(tmp, "bad-config.json");
        fs.writeFileSync(bad, "{ nope");
        const r = run(["scan", "--config", bad, rel(fixture("terraform/gcp-firewall.plan.json"))]);
        expect(r.code).toBe(2);
        oneLine(r.stderr, /^portguard: config .*bad-config\.json: not valid JSON/);
        fs.writeFileSync(bad, JSON.stringify({ "high-risk-ports": "strict" }));
        const r2 = run(["scan", "--config", bad, rel(fixture("terraform/gcp-firewall.plan.json"))]);
        expect(r2.code).toBe(2);
        oneLine(r2.stderr, /^portguard: parsing enforcement level for "high-risk-ports": "strict" is not a valid enforcement level$/m);
    });

    it("exits 2 on usage errors: no input, unknown option, bad --output value, unknown command", () => {
        for (const args of [["scan"], ["scan", "--bogus", "x.json"], ["scan", "-o", "xml", "x.json"], ["lint", "x.json"], []]) {
            const r = run(args);
            expect(r.code, args.join(" ")).toBe(2);
            expect(r.stderr, args.join(" ")).not.toMatch(/\n\s+at /);
        }
        expect(run(["scan", "-o", "xml", "x.json"]).stderr).toMatch(/error: option '-o, --output <format>' argument 'xml' is invalid/);
    });

    it("prints help and the version with exit 0", () => {
        const h = run(["scan", "--help"]);
        expect(h.code).toBe(0);
        expect(h.stdout).toMatch(/Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 usage error/);
        expect(run(["help", "scan"]).code).toBe(0);
        const v = run(["--version"]);
        expect(v.code).toBe(0);
        expect(v.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
    });

    it("the pack and src/cli/index.ts never load commander", () => {
        const probe = `
            require(${JSON.stringify(path.join(ROOT, "dist", "cli", "index.js"))});
            require(${JSON.stringify(path.join(ROOT, "dist", "lib.js"))});
            const loaded = Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/]commander[\\\\/]/.test(k));
            process.stdout.write(JSON.stringify(loaded));`;
        const r = spawnSync(process.execPath, ["-e", probe], { cwd: ROOT, encoding: "utf8" });
        expect(r.stderr).toBe("");
        expect(JSON.parse(r.stdout)).toEqual([]);
    });
});
