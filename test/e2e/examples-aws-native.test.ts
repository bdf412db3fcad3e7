/**
 * examples/aws-native through `portguard check` (Pulumi's mocks, then the built pack as
 * `pulumi preview --policy-pack` runs it): exactly the resources the program marks as "stops"
 * are reported, by the policies its comments name; and the program type-checks.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkExample, ROOT, TIMEOUT } from "./harness";

const run = () => checkExample("aws-native");

describe("examples/aws-native", () => {
    beforeAll(() => {
        if (!existsSync(path.join(ROOT, "dist", "index.js"))) throw new Error("dist/index.js is missing: run `npm run build` first (npm test does)");
    });

    it("reports only the insecure groups and rules, each by the policies its comment names", { timeout: TIMEOUT }, () => {
        const r = run();
        expect(r.stderr).not.toMatch(/Error/);
        expect(r.flagged).toEqual({
            files: ["high-risk-ports"],
            "debug-all": ["exposed-service-ports", "high-risk-ports", "unrestricted-ingress"],
            admin: ["exposed-service-ports"],
        });
        expect(r.status).toBe(1);
    });

    it("type-checks (tsc --noEmit with its own tsconfig.json)", { timeout: TIMEOUT }, () => {
        const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
        const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", path.join(ROOT, "examples", "aws-native", "tsconfig.json")], { cwd: ROOT, encoding: "utf8", timeout: TIMEOUT - 5_000 });
        expect(r.stdout + r.stderr).toBe("");
        expect(r.status).toBe(0);
    });
});
