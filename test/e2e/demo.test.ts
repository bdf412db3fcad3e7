/**
 * The example programs through `portguard check` (what `npm run check` and `npm run demo` run): mocks capture the program's resources in
 * preview mode, then the built pack judges them as `pulumi preview --policy-pack` would.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const TIMEOUT = 120_000;

function check(...args: string[]) {
    const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "portguard.js"), "check", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: TIMEOUT - 5_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("portguard check on the example programs", () => {
    beforeAll(() => {
        if (!existsSync(path.join(ROOT, "dist", "index.js"))) {
            throw new Error("dist/index.js is missing: run `npm run build` first (npm test does)");
        }
    });

    it("examples/aws-insecure exits 1 and prints mandatory violations, as a failing `pulumi preview` would", () => {
        const r = check("examples/aws-insecure");
        expect(r.stderr).not.toMatch(/^portguard: /m);
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(/\[mandatory\] high-risk-ports: .*\b445\b/);
        expect(r.stdout).toMatch(/\[mandatory\] unrestricted-ingress: /);
    }, TIMEOUT);

    it("examples/aws-secure exits 0 with no mandatory violation", () => {
        const r = check("examples/aws-secure");
        expect(r.stderr).not.toMatch(/^portguard: /m);
        expect(r.stdout).not.toMatch(/\[mandatory\]/);
        expect(r.status).toBe(0);
    }, TIMEOUT);

    it("exits 2 with a one-line usage error and no stack trace when the program directory does not exist", () => {
        const r = check("examples/no-such-example");
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/^portguard: .*no-such-example.* is not a directory$/m);
        expect(r.stderr).not.toMatch(/\n\s+at /);
    }, TIMEOUT);
});
