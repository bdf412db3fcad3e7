/**
 * `portguard check` end to end, on the programs in test/fixtures/check/: each pattern users
 * write (resources passed as inputs, stack config with a secret, data sources, local and remote
 * components, an ES-module program outside the repository with its own dependencies) runs
 * offline through the built pack, with the findings and exit code a real `pulumi preview
 * --policy-pack` would give.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, cpSync, symlinkSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../helpers";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin", "portguard.js");
const FIXTURES = path.join(ROOT, "test", "fixtures", "check");
const TIMEOUT = 120_000;
const PASSPHRASE = "portguard-test-passphrase";

interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
}

function check(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
    const base = { ...process.env };
    delete base.PULUMI_CONFIG_PASSPHRASE;
    delete base.PULUMI_CONFIG_PASSPHRASE_FILE;
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, "check", ...args], { cwd: ROOT, env: { ...base, ...env, NO_COLOR: "1" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/** Resource name -> the policies (with level) the text output reports on it. */
function flagged(stdout: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    let current: string | undefined;
    for (const line of stdout.split("\n")) {
        const head = /^(\S+:\S+:\S+)\s{2}(\S+)$/.exec(line);
        if (head) {
            current = head[2];
            out[current] = [];
            continue;
        }
        const v = /^\s+\[(advisory|mandatory)\] ([a-z-]+):/.exec(line);
        if (v && current) out[current].push(`${v[2]} (${v[1]})`);
    }
    return out;
}

function lastLine(s: string): string {
    return s.trimEnd().split("\n").pop() ?? "";
}

const fixture = (name: string) => path.relative(ROOT, path.join(FIXTURES, name));

beforeAll(() => {
    if (!existsSync(path.join(ROOT, "dist", "cli", "check", "run.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
});

describe("resources passed as inputs", () => {
    it("judges a rule whose securityGroupId is the group itself instead of crashing on the reference, and exits 1 on its mandatory violation", { timeout: TIMEOUT }, async () => {
        const r = await check([fixture("references")]);
        expect(r.stderr).not.toMatch(/Unrecognized signature|unmarshal/);
        expect(flagged(r.stdout)).toEqual({ "smb-from-anywhere": ["high-risk-ports (mandatory)"] });
        expect(lastLine(r.stdout)).toBe("judged 4 firewall resources of 6 registered");
        expect(r.status).toBe(1);
    });

    it("sends the pack the referenced group's id (unknown in preview) or a component's URN, and keeps the dependency", { timeout: TIMEOUT }, async () => {
        const { capture } = require("../../dist/cli/check/capture.js");
        const cap = await capture(path.join(FIXTURES, "references"), { env: {} });
        const byName = (n: string) => cap.resources.find((x: { name: string }) => x.name === n);
        const rule = byName("smb-from-anywhere");
        expect(rule.properties.securityGroupId).toBe(UNKNOWN);
        expect(rule.propertyDependencies.securityGroupId).toEqual([byName("files").urn]);
        expect(byName("backups").properties.tags).toEqual({ owner: byName("storage").urn });
    });
});

describe("components", () => {
    let r: Run;
    beforeAll(async () => {
        r = await check([fixture("components")]);
    }, TIMEOUT);

    it("judges the children of a local component", () => {
        expect(flagged(r.stdout)).toEqual({ "files-sg": ["high-risk-ports (mandatory)"] });
        expect(r.status).toBe(1);
    });

    it("names a remote component whose children were not judged, and ends with how many firewalls were judged", () => {
        expect(r.stdout).toContain('note: awsx:ec2:Vpc "network" is a remote (multi-language) component: its children, security groups included, were not judged offline');
        expect(lastLine(r.stdout)).toBe("judged 1 firewall resource of 3 registered");
    });

    it("follows --policy-pack-config: high-risk-ports at advisory no longer fails the run", { timeout: TIMEOUT }, async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "portguard-check-"));
        const file = path.join(dir, "policy.json");
        writeFileSync(file, JSON.stringify({ "high-risk-ports": "advisory" }));
        const a = await check([fixture("components"), "--policy-pack-config", file]);
        rmSync(dir, { recursive: true, force: true });
        expect(flagged(a.stdout)).toEqual({ "files-sg": ["high-risk-ports (advisory)"] });
        expect(a.status).toBe(0);
    });
});

describe("data sources", () => {
    it("answers availability zones, the default VPC and an AMI offline, and names the invoke and the stack reference it cannot answer", { timeout: TIMEOUT }, async () => {
        const r = await check([fixture("data-sources")]);
        // db allows 5432 from the default VPC's 172.31.0.0/16: private, nothing to report.
        expect(flagged(r.stdout)).toEqual({ "office-files": ["unverifiable-rules (advisory)"], "from-shared": ["unverifiable-rules (advisory)"] });
        expect(r.stdout.match(/acme:index\/getOffice:getOffice/g)).toHaveLength(1);
        expect(r.stdout).toContain("note: no offline answer for acme:index/getOffice:getOffice");
        expect(r.stdout).toContain("note: the outputs of stack reference acme/network/prod are unknown offline");
        expect(lastLine(r.stdout)).toBe("judged 4 firewall resources of 5 registered");
        expect(r.status).toBe(0);
    });

    it("uses the answers of a --mocks module (an invoke and a stack reference's outputs), which can turn an unknown into a violation", { timeout: TIMEOUT }, async () => {
        const r = await check([fixture("data-sources"), "--mocks", path.join(fixture("data-sources"), "mocks.js")]);
        expect(flagged(r.stdout)).toEqual({ "office-files": ["high-risk-ports (mandatory)"] });
        expect(r.stdout).not.toMatch(/no offline answer|stack reference/);
        expect(r.status).toBe(1);
    });
});

describe("a --mocks module in TypeScript", () => {
    it("is compiled like the program and answers what it knows; what it leaves out stays unknown and named", { timeout: TIMEOUT }, async () => {
        const r = await check([fixture("data-sources"), "--mocks", path.join(fixture("data-sources"), "mocks-private.ts")]);
        expect(flagged(r.stdout)).toEqual({ "from-shared": ["unverifiable-rules (advisory)"] });
        expect(r.stdout).not.toContain("no offline answer");
        expect(r.stdout).toContain("note: the outputs of stack reference acme/network/prod are unknown offline");
        expect(r.status).toBe(0);
    });
});

describe("stack config", () => {
    it("reads Pulumi.dev.yaml and the Pulumi.yaml defaults, decrypts the secret with PULUMI_CONFIG_PASSPHRASE, and never prints it", { timeout: TIMEOUT }, async () => {
        const r = await check([fixture("stack-config"), "-o", "json"], { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE });
        const doc = JSON.parse(r.stdout);
        expect(doc.findings.map((f: { name: string; policy: string; level: string; path: string }) => `${f.name} ${f.policy} ${f.level} at ${f.path}`)).toEqual(["files high-risk-ports mandatory at ingress[0]"]);
        expect(doc.check.judged).toBe(1);
        expect(r.stdout + r.stderr).not.toContain("s3cr3t-db-password");
        expect(r.status).toBe(1);
    });

    it("hands the decrypted value to the program as a secret (PULUMI_CONFIG_PASSPHRASE_FILE works too)", { timeout: TIMEOUT }, async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "portguard-check-"));
        const file = path.join(dir, "passphrase");
        writeFileSync(file, `${PASSPHRASE}\n`);
        const { capture } = require("../../dist/cli/check/capture.js");
        const cap = await capture(path.join(FIXTURES, "stack-config"), { env: { PULUMI_CONFIG_PASSPHRASE_FILE: file } });
        rmSync(dir, { recursive: true, force: true });
        const db = cap.resources.find((x: { name: string }) => x.name === "db");
        expect(db.properties.password).toEqual({ [SECRET_SIG_KEY]: SECRET_SIG, value: "s3cr3t-db-password" });
    });

    it("without a passphrase, stops with one line naming the secret key and how to give it", { timeout: TIMEOUT }, async () => {
        const r = await check([fixture("stack-config")]);
        expect(r.stderr.trim().split("\n")).toEqual([
            "portguard: Pulumi.dev.yaml: secret config dbPassword cannot be read (set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to decrypt them), or give it with --config dbPassword=<value>",
        ]);
        expect(r.status).toBe(2);
    });

    it("with a wrong passphrase, says so in one line", { timeout: TIMEOUT }, async () => {
        const r = await check([fixture("stack-config")], { PULUMI_CONFIG_PASSPHRASE: "not-it" });
        expect(r.stderr.trim()).toBe("portguard: Pulumi.dev.yaml: incorrect passphrase (PULUMI_CONFIG_PASSPHRASE does not decrypt encryptionsalt)");
        expect(r.status).toBe(2);
    });

    it("names a required key the stack does not set, and how to give it", { timeout: TIMEOUT }, async () => {
        const r = await check([fixture("stack-config"), "--stack", "prod"]);
        expect(r.stderr.trim()).toBe("portguard: the program needs config check-stack-config:adminCidr: give it with --config adminCidr=<value> (or set it in Pulumi.prod.yaml)");
        expect(r.status).toBe(2);
    });

    it("lets --config override the stack file, a secret included", { timeout: TIMEOUT }, async () => {
        const r = await check([fixture("stack-config"), "--config", "adminCidr=10.0.0.0/8", "--config", "dbPassword=given-here"]);
        expect(flagged(r.stdout)).toEqual({});
        expect(r.stdout).toContain("no violations");
        expect(r.status).toBe(0);
    });
});

describe("an ES-module program outside the repository, with its own node_modules", () => {
    let dir: string;
    beforeAll(() => {
        const own = path.join(FIXTURES, "esm-program", "node_modules", "@pulumi", "pulumi");
        if (!existsSync(own)) throw new Error("test/fixtures/check/esm-program has no node_modules: run `npm ci --prefix test/fixtures/check/esm-program` (.ci/run does)");
        dir = mkdtempSync(path.join(os.tmpdir(), "portguard-esm-"));
        cpSync(path.join(FIXTURES, "esm-program"), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
        symlinkSync(path.join(FIXTURES, "esm-program", "node_modules"), path.join(dir, "node_modules"), "dir");
    });
    afterAll(() => {
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("runs with its own @pulumi/pulumi, maps ./lib/groups.js to lib/groups.ts, and reports what preview would", { timeout: TIMEOUT }, async () => {
        const r = await check([dir, "-o", "json"]);
        const doc = JSON.parse(r.stdout);
        const own = JSON.parse(readFileSync(path.join(FIXTURES, "esm-program", "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version;
        expect(doc.check.pulumiVersion).toBe(own);
        expect(own).not.toBe(JSON.parse(readFileSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version);
        expect(doc.findings.map((f: { name: string; policy: string }) => `${f.name} ${f.policy}`)).toEqual(["admin exposed-service-ports"]);
        expect(doc.check.registered).toBe(2);
        expect(r.status).toBe(0);
    });
});

describe("what check cannot run", () => {
    it("says a Python program is out of scope and what to use instead, in one line, exit 2", { timeout: TIMEOUT }, async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "portguard-py-"));
        writeFileSync(path.join(dir, "Pulumi.yaml"), "name: py\nruntime: python\n");
        const r = await check([dir]);
        rmSync(dir, { recursive: true, force: true });
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toMatch(/runtime is "python"; portguard check runs Node\.js programs .*`pulumi preview --json`$/m);
        expect(r.status).toBe(2);
    });

    it("names the data sources a crashing program had no answer for", { timeout: TIMEOUT }, async () => {
        const r = await check([fixture("unanswered")]);
        expect(r.stderr).toMatch(/^portguard: the program failed: Cannot read properties of undefined \(reading '0'\) \(data source without an offline answer: acme:index\/getRanges:getRanges; give answers with --mocks <file>\)$/m);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.status).toBe(2);
    });
});
