/**
 * Versioning: package.json (what `pulumi policy publish` and GetAnalyzerInfo report) and
 * PulumiPolicy.yaml carry the same version, the CHANGELOG has an entry for it and states the
 * versioning rule, and the README's commands name the current version.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const read = (f: string) => readFileSync(path.join(ROOT, f), "utf8");
const version: string = JSON.parse(read("package.json")).version;

describe("versions", () => {
    it("package.json has a semver version", () => {
        expect(version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    });

    it("PulumiPolicy.yaml has the same version as package.json", () => {
        const m = /^version:\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/m.exec(read("PulumiPolicy.yaml"));
        expect(m, "PulumiPolicy.yaml has no version").not.toBeNull();
        expect(m![1]).toBe(version);
    });

    it("CHANGELOG.md has an entry for the current version", () => {
        const headings = [...read("CHANGELOG.md").matchAll(/^## \[?(\d+\.\d+\.\d+[^\]\s]*)\]?/gm)].map((m) => m[1]);
        expect(headings, `CHANGELOG.md has no "## [${version}]" entry`).toContain(version);
        expect(headings[0], "the newest entry comes first").toBe(version);
    });

    it("CHANGELOG.md and README.md state the versioning rule", () => {
        for (const f of ["CHANGELOG.md", "README.md"]) {
            const text = read(f);
            expect(text, f).toMatch(/stack that passed before/i);
            expect(text, f).toMatch(/major/i);
            expect(text, f).toMatch(/new coverage/i);
        }
    });

    it("the README's `pulumi policy enable` commands name the current version", () => {
        const enables = [...read("README.md").matchAll(/pulumi policy enable \S+\/portguard (\S+)/g)].map((m) => m[1]);
        expect(enables.length).toBeGreaterThan(0);
        for (const v of enables) if (v !== "latest") expect(v).toBe(version);
    });
});
