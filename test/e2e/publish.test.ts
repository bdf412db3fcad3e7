/**
 * The published pack, end to end: `npm pack` (what `pulumi policy publish` runs), then what a
 * machine that runs the pack does with the tarball: unpack it into an empty directory, `npm
 * install` there (the Pulumi CLI runs a plain `npm install`; we also try `--omit=dev`), and
 * start it with the loader of the @pulumi/pulumi copy installed there, as the Node language
 * host does (`node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine> <pack>`).
 *
 * Findings this test pins down (see also the README's rollout section):
 * - The tarball holds dist/, PulumiPolicy.yaml, package.json, README.md and CHANGELOG.md only.
 *   Its package.json keeps `workspaces: ["examples/*"]`; with no examples in the tarball npm
 *   installs it as a plain package.
 * - A plain `npm install` installs the devDependencies too (the provider SDKs of the examples).
 * - run-policy-pack always registers ts-node. It uses the `typescript` resolvable from its
 *   @pulumi/pulumi, else its vendored TypeScript 3.8.3 and ts-node 7. With `--omit=dev`, npm
 *   still installs `typescript` (5.x): @pulumi/pulumi declares it an optional peer dependency,
 *   which makes the devDependency "devOptional"; `--omit=optional` as well removes it. Either
 *   way the pack is JavaScript and nothing is compiled: it starts and judges the same.
 *
 * npm runs against the registry with --prefer-offline (the local cache usually has it all).
 * `npm pack` runs with --ignore-scripts: `npm test` has just built dist/, and rebuilding it
 * (prepack) while other test files read it would race.
 */
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICIES } from "../../src/policies";

const require = createRequire(import.meta.url);
const { createClient, reconcileConfig } = require("../../scripts/lib/analyzer.js");

const ROOT = path.resolve(__dirname, "../..");
const TIMEOUT = 300_000;
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
const SG = "aws:ec2/securityGroup:SecurityGroup";

const tmp = mkdtempSync(path.join(os.tmpdir(), "portguard-publish-"));
// Asynchronously: removing hundreds of MB synchronously would stall the test worker.
afterAll(() => rm(tmp, { recursive: true, force: true }), 120_000);

/** The environment without npm's variables: under `npm test` they point npm at this repository. */
function cleanEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== "INIT_CWD") env[k] = v;
    return env;
}

/** Runs a command without blocking the test worker (npm install takes tens of seconds). */
function run(cmd: string, args: string[], cwd: string, timeout = TIMEOUT - 20_000): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
        child.on("error", (e) => (clearTimeout(timer), reject(e)));
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            if (code === 0) resolve({ stdout, stderr });
            else reject(new Error(`${cmd} ${args.join(" ")} failed in ${cwd} (${code ?? signal}):\n${stderr}\n${stdout}`));
        });
    });
}

const npm = (args: string[], cwd: string) => run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], cwd);

interface Launched {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    client: any;
    close(): void;
    ms: number;
}

/** Starts the pack in `dir` with the loader installed in `dir`, as the CLI does, and connects. */
function launchInstalled(dir: string): Promise<Launched> {
    const loader = path.join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
    const started = Date.now();
    const child = spawn(process.execPath, [loader, "127.0.0.1:1", dir], { cwd: dir, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => fail("no port within 60 s"), 60_000);
        const fail = (why: string) => {
            clearTimeout(timer);
            child.kill("SIGKILL");
            reject(new Error(`the installed pack in ${dir} did not start: ${why}\n${err}`));
        };
        child.on("exit", (code) => fail(`exited with ${code}`));
        child.stdout.on("data", (d) => {
            out += d;
            const nl = out.indexOf("\n");
            if (nl < 0) return;
            clearTimeout(timer);
            child.removeAllListeners("exit");
            const line = out.slice(0, nl).trim();
            if (!/^\d+$/.test(line)) return fail(`first stdout line is not a port: ${JSON.stringify(line)}`);
            const client = createClient(`127.0.0.1:${line}`);
            resolve({ client, ms: Date.now() - started, close: () => (client.close(), child.kill("SIGTERM")) });
        });
    });
}

/** Which TypeScript the installed loader would register ts-node with (asked in a fresh process). */
async function loaderTypeScript(dir: string): Promise<string> {
    const tsutils = path.join(dir, "node_modules", "@pulumi", "pulumi", "tsutils.js");
    return (await run(process.execPath, ["-e", `process.stdout.write(require(${JSON.stringify(tsutils)}).typeScriptRequireStrings().typescriptRequire)`], dir)).stdout;
}

/** Whether `typescript` resolves from the installed @pulumi/pulumi (in a fresh process: Node caches resolutions). */
async function typescriptResolvable(dir: string): Promise<boolean> {
    const from = path.join(dir, "node_modules", "@pulumi", "pulumi", "package.json");
    return run(process.execPath, ["-e", `require("node:module").createRequire(${JSON.stringify(from)}).resolve("typescript")`], dir).then(
        () => true,
        () => false,
    );
}

/** GetAnalyzerInfo lists the five policies; a TCP 445 security group open to the internet is blocked. */
async function servesAndBlocks(dir: string): Promise<void> {
    const pack = await launchInstalled(dir);
    try {
        const info = await pack.client.getAnalyzerInfo();
        expect(info.name).toBe("portguard");
        expect(info.version).toBe(pkg.version);
        expect(info.policies.map((p: { name: string }) => p.name)).toEqual(POLICIES.map((p) => p.name));
        await pack.client.configure(reconcileConfig(info, undefined));
        const ds = await pack.client.analyze({
            type: SG,
            name: "smb-open",
            urn: `urn:pulumi:dev::publish-test::${SG}::smb-open`,
            properties: { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"] }] },
        });
        const blocked = ds.filter((d: { policyName: string; enforcementLevel: string }) => d.policyName === "high-risk-ports" && d.enforcementLevel === "mandatory");
        expect(blocked.length).toBe(1);
        expect(blocked[0].violation).toMatch(/\b445\b/);
    } finally {
        pack.close();
    }
}

async function unpack(tarball: string, name: string): Promise<string> {
    const dir = path.join(tmp, name);
    mkdirSync(dir);
    await run("tar", ["-xzf", tarball, "-C", dir, "--strip-components=1"], tmp);
    return dir;
}

let tarball = "";
let files: string[] = [];

describe("npm pack", () => {
    beforeAll(async () => {
        if (!existsSync(path.join(ROOT, "dist", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
        const r = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], ROOT);
        const [info] = JSON.parse(r.stdout);
        tarball = path.join(tmp, info.filename);
        files = info.files.map((f: { path: string }) => f.path).sort();
    }, TIMEOUT);

    it("builds on pack (prepack), so `pulumi policy publish` uploads compiled JavaScript", () => {
        expect(pkg.scripts.prepack).toMatch(/\bnpm run build\b|\btsc\b/);
    });

    it("holds the compiled pack and library, PulumiPolicy.yaml, package.json with the version, README and CHANGELOG", () => {
        for (const f of ["package.json", "PulumiPolicy.yaml", "README.md", "CHANGELOG.md", "dist/index.js", "dist/lib.js", "dist/lib.d.ts", pkg.bin["portguard-validate-config"]]) {
            expect(files, f).toContain(f);
        }
        expect(path.basename(tarball)).toBe(`portguard-${pkg.version}.tgz`);
    });

    it("holds no tests, examples, sources, docs or scripts", () => {
        const top = [...new Set(files.map((f) => f.split("/")[0]))].sort();
        for (const forbidden of ["src", "test", "examples", "docs", "scripts", "bench", ".ci", "node_modules", "tsconfig.json", "tsconfig.build.json", "package-lock.json"]) {
            expect(top, forbidden).not.toContain(forbidden);
        }
        // Everything comes from package.json `files` (plus package.json itself).
        const allowed = (pkg.files as string[]).map((f) => f.replace(/\/$/, ""));
        expect(top.filter((t) => t !== "package.json" && !allowed.includes(t))).toEqual([]);
        expect(files.filter((f) => /\.test\.|(^|\/)test\/|(^|\/)examples\//.test(f))).toEqual([]);
        expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    });
});

describe("installed as Pulumi installs a published pack: plain `npm install` in an empty directory", () => {
    let dir = "";
    beforeAll(async () => {
        dir = await unpack(tarball, "plain");
        await npm(["install", "--prefer-offline"], dir);
    }, TIMEOUT);
    // Several hundred MB: free them before the next install.
    afterAll(() => rm(dir, { recursive: true, force: true }), 120_000);

    it("needs none of the example workspaces", () => {
        const shipped = new Set(files.map((f) => f.split("/")[0]));
        expect(readdirSync(dir).filter((f) => !shipped.has(f)).sort()).toEqual(["node_modules", "package-lock.json"]);
        expect(readdirSync(path.join(dir, "node_modules")).filter((n) => n.startsWith("portguard"))).toEqual([]);
    });

    it("the loader finds the devDependency TypeScript (5.x), and the pack serves the five policies and blocks TCP 445 from the internet", async () => {
        expect(await loaderTypeScript(dir)).toBe("typescript");
        await servesAndBlocks(dir);
    }, TIMEOUT);
});

describe("installed with `npm install --omit=dev`", () => {
    let dir = "";
    beforeAll(async () => {
        dir = await unpack(tarball, "production");
        await npm(["install", "--omit=dev", "--prefer-offline"], dir);
    }, TIMEOUT);

    it("installs the runtime dependencies only (no provider SDKs, no vitest)", () => {
        const nm = path.join(dir, "node_modules");
        for (const dep of Object.keys(pkg.dependencies)) expect(existsSync(path.join(nm, dep, "package.json")), dep).toBe(true);
        // typescript: see below; @types/node: protobufjs (under @grpc/grpc-js) depends on it.
        for (const dev of Object.keys(pkg.devDependencies).filter((d) => d !== "typescript" && d !== "@types/node")) expect(existsSync(path.join(nm, dev)), dev).toBe(false);
    });

    it("still has TypeScript: npm keeps it for @pulumi/pulumi's optional peer dependency; the pack starts and blocks", async () => {
        // Pinned down as documentation: if npm stops doing this, update the header and the README.
        expect(await typescriptResolvable(dir)).toBe(true);
        await servesAndBlocks(dir);
    }, TIMEOUT);

    it("with no TypeScript resolvable at all (`npm prune --omit=dev --omit=optional`), the loader falls back to its vendored TypeScript 3.8.3 and the pack still serves and blocks", async () => {
        await npm(["prune", "--omit=dev", "--omit=optional"], dir);
        expect(await typescriptResolvable(dir)).toBe(false);
        expect(await loaderTypeScript(dir)).toMatch(/vendor[\\/]typescript@3\.8\.3/);
        await servesAndBlocks(dir);
    }, TIMEOUT);

    it("portguard-validate-config runs from the installed package (ajv is a runtime dependency)", () => {
        const config = path.join(tmp, "config.json");
        writeFileSync(config, JSON.stringify({ "high-risk-ports": { minExposur: "internet" } }));
        const bin = path.join(dir, pkg.bin["portguard-validate-config"]);
        const r = spawnSync(process.execPath, [bin, config], { cwd: dir, env: cleanEnv(), encoding: "utf8" });
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("high-risk-ports.minExposur: unknown option (did you mean minExposure?)");
    });

    it("`portguard check` runs from the installed package: a program outside it, judged by the installed pack", () => {
        const bin = path.join(dir, pkg.bin.portguard);
        const program = path.join(ROOT, "test", "fixtures", "check", "components");
        const r = spawnSync(process.execPath, [bin, "check", program, "-o", "json"], { cwd: dir, env: cleanEnv(), encoding: "utf8", timeout: TIMEOUT - 5_000 });
        const doc = JSON.parse(r.stdout);
        expect(doc.findings.map((f: { name: string; policy: string }) => `${f.name} ${f.policy}`)).toEqual(["files-sg high-risk-ports"]);
        expect(r.stderr).toContain("judged 1 firewall resource of 3 registered");
        expect(r.status).toBe(1);
    }, TIMEOUT);
});
