/**
 * The examples on each policy's doc page are programs, and they do what the page says: every
 * docs/snippets/<policy>.fail.ts runs under Pulumi's mocks (scripts/lib/mocks.js, preview mode)
 * and is flagged by its policy; every <policy>.pass.ts passes all of portguard's policies.
 * The captured registrations go through the engine as the pack sends them: each resource
 * (validateResource), then the stack (validateStack).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICIES } from "../../src/policies";
import { Evaluator } from "../../src/pack/evaluator";
import type { Finding } from "../../src/policies/types";
import type { ResourceInput } from "../../src/providers/types";

const ROOT = path.resolve(__dirname, "../..");
const SNIPPETS = path.join(ROOT, "docs", "snippets");
const MOCKS = path.join(ROOT, "scripts", "lib", "mocks.js");
const TIMEOUT = 180_000;

interface Captured {
    type: string;
    name: string;
    urn: string;
    inputs: Record<string, unknown>;
    propertyDependencies: Record<string, string[]>;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "portguard-snippets-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs one snippet under mocks in its own process (the Pulumi runtime is global state). */
function capture(file: string): Promise<Captured[]> {
    const base = path.basename(file, ".ts");
    const project = path.join(tmp, base);
    // A Pulumi project whose entry is the snippet itself, so the snippet stays a plain file.
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, "Pulumi.yaml"), `name: ${base.replace(/\./g, "-")}\nruntime: nodejs\nmain: ${JSON.stringify(file)}\n`);
    const script = `require(${JSON.stringify(MOCKS)}).capture(${JSON.stringify(project)})
        .then((r) => process.stdout.write(JSON.stringify(r.resources)), (e) => { console.error(e.message); process.exit(2); });`;
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-e", script], { cwd: ROOT });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${path.relative(ROOT, file)} could not be captured (exit ${code}): ${err}`))));
    });
}

function toInput(r: Captured): ResourceInput {
    return { type: r.type, urn: r.urn, name: r.name, props: r.inputs, propertyDependencies: r.propertyDependencies };
}

/** Findings per policy, as one `pulumi preview` reports them (resource level, then stack level). */
function judge(resources: Captured[]): Record<string, Finding[]> {
    const inputs = resources.map(toInput);
    const out: Record<string, Finding[]> = {};
    for (const def of POLICIES) {
        const evaluator = new Evaluator();
        const found = inputs.flatMap((r) => evaluator.evaluateResource(def, r, {}));
        found.push(...evaluator.evaluateStack(def, inputs, {}));
        out[def.name] = found;
    }
    return out;
}

const files = readdirSync(SNIPPETS).filter((f) => /\.(fail|pass)\.ts$/.test(f)).sort();
const results = new Map<string, Record<string, Finding[]>>();

describe("docs/snippets", () => {
    beforeAll(async () => {
        const captured = await Promise.all(files.map((f) => capture(path.join(SNIPPETS, f))));
        files.forEach((f, i) => results.set(f, judge(captured[i])));
    }, TIMEOUT);

    it("every snippet names a policy of the pack", () => {
        const names = new Set(POLICIES.map((p) => p.name));
        for (const f of files) expect(names.has(f.replace(/\.(fail|pass)\.ts$/, "")), f).toBe(true);
    });

    for (const def of POLICIES) {
        it(`${def.name}.fail.ts is flagged by ${def.name}`, () => {
            const r = results.get(`${def.name}.fail.ts`);
            expect(r, `docs/snippets/${def.name}.fail.ts is missing`).toBeDefined();
            expect(r![def.name].length).toBeGreaterThan(0);
        });
        it(`${def.name}.pass.ts passes every portguard policy`, () => {
            const r = results.get(`${def.name}.pass.ts`);
            expect(r, `docs/snippets/${def.name}.pass.ts is missing`).toBeDefined();
            const flagged = Object.fromEntries(Object.entries(r!).filter(([, f]) => f.length > 0).map(([p, f]) => [p, f.map((x) => x.message)]));
            expect(flagged).toEqual({});
        });
    }

    it("the snippets type-check against @pulumi/aws (docs/snippets/tsconfig.json)", () => {
        const r = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(SNIPPETS, "tsconfig.json")], { cwd: ROOT, encoding: "utf8", timeout: TIMEOUT - 10_000 });
        expect(r.stdout + r.stderr).toBe("");
        expect(r.status).toBe(0);
    }, TIMEOUT);
});
