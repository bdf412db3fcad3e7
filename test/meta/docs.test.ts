/**
 * Meta-tests: the build fails when a policy lacks an index entry, a doc page, a test file or
 * its doc examples; when a doc page is stale; or when an option lacks a description or a
 * default (or its default breaks its own schema).
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { POLICIES } from "../../src/policies";
import { configExample, DOCS_DIR, renderAll, snippetPath, stalePages } from "../../src/tools/docs";
import { validateConfig } from "../../src/tools/validate-config";

const ROOT = path.resolve(__dirname, "../..");
const policyFiles = readdirSync(path.join(ROOT, "src", "policies"))
    .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "types.ts") // index.ts lists them, types.ts is their contract
    .map((f) => f.replace(/\.ts$/, ""))
    .sort();

describe("every policy is complete", () => {
    it("every file in src/policies/ (but index.ts and the contract, types.ts) is a policy listed in POLICIES, under its file's name", () => {
        expect(policyFiles).toEqual(POLICIES.map((p) => p.name).sort());
    });

    it("policy names are unique", () => {
        const names = POLICIES.map((p) => p.name);
        expect(new Set(names).size).toBe(names.length);
    });

    for (const def of POLICIES) {
        describe(def.name, () => {
            it("has a doc page, a test file and a failing and a passing doc example", () => {
                for (const f of [
                    path.join(DOCS_DIR, `${def.name}.md`),
                    path.join("test", "policies", `${def.name}.test.ts`),
                    snippetPath(def.name, "fail"),
                    snippetPath(def.name, "pass"),
                ]) {
                    expect(existsSync(path.join(ROOT, f)), `${f} is missing`).toBe(true);
                }
            });

            it("has a description", () => {
                expect(def.description.trim().length).toBeGreaterThan(20);
            });

            const options = Object.entries(def.configSchema.properties);
            it("has options, each with a description and a default", () => {
                expect(options.length).toBeGreaterThan(0);
                for (const [k, s] of options) {
                    expect(typeof s.description === "string" && s.description.trim() !== "", `${def.name}.${k} has no description`).toBe(true);
                    expect("default" in s && s.default !== undefined, `${def.name}.${k} has no default`).toBe(true);
                }
            });

            it("describes every field of object items (e.g. exemptions[].reason)", () => {
                for (const [k, s] of options) {
                    const items = s.items as { type?: string; properties?: Record<string, { description?: string }> } | undefined;
                    if (!items || items.type !== "object") continue;
                    expect(items.properties, `${def.name}.${k} items have no properties`).toBeDefined();
                    for (const [f, fs] of Object.entries(items.properties ?? {})) {
                        expect(typeof fs.description === "string" && fs.description.trim() !== "", `${def.name}.${k}[].${f} has no description`).toBe(true);
                    }
                }
            });

            it("each option's default satisfies the option's own schema", () => {
                const ajv = new Ajv({ allErrors: true, strict: false });
                for (const [k, s] of options) {
                    const validate = ajv.compile(s);
                    expect(validate(s.default), `${def.name}.${k} default: ${ajv.errorsText(validate.errors)}`).toBe(true);
                }
            });
        });
    }
});

describe("docs/policies", () => {
    it("is up to date with the policy objects and the snippets (run `npm run docs`)", () => {
        const { stale, orphans } = stalePages(ROOT);
        expect(stale, "stale or missing pages: run `npm run docs`").toEqual([]);
        expect(orphans, "pages that no policy generates").toEqual([]);
    });

    it("each page shows the level, severity, every option and both examples", () => {
        const pages = renderAll(ROOT);
        for (const def of POLICIES) {
            const page = pages.get(path.join(DOCS_DIR, `${def.name}.md`))!;
            expect(page).toContain(`| Default enforcement level | \`${def.enforcementLevel}\` |`);
            expect(page).toContain(`| Severity | ${def.severity} |`);
            for (const k of Object.keys(def.configSchema.properties)) expect(page, `${def.name}.${k}`).toContain(`| \`${k}\``);
            expect(page).not.toContain("// missing: docs/snippets/");
        }
    });

    it("each page's example config is valid", () => {
        for (const def of POLICIES) expect(validateConfig(JSON.parse(configExample(def)), { now: new Date("2026-11-01") }), def.name).toEqual({ valid: true, errors: [], warnings: [] });
    });

    it("the index links every policy", () => {
        const index = renderAll(ROOT).get(path.join(DOCS_DIR, "README.md"))!;
        for (const def of POLICIES) expect(index).toContain(`[\`${def.name}\`](${def.name}.md)`);
    });
});
