/**
 * examples/alicloud, examples/oci, examples/openstack and examples/chinese-clouds through
 * `portguard check`: exactly the resources each program marks as "stops" are reported, and
 * the ones marked "lets through" are not.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkExample, ROOT, TIMEOUT } from "./harness";

const run = checkExample;

const EXPECTED: Record<string, Record<string, string[]>> = {
    alicloud: {
        "debug-all": ["exposed-service-ports", "high-risk-ports", "unrestricted-ingress"],
        "files-smb": ["high-risk-ports"],
        "web-acl": ["stateless-acl-return-traffic"],
    },
    oci: {
        legacy: ["exposed-service-ports", "high-risk-ports", "unrestricted-ingress"],
        edge: ["stateless-acl-return-traffic"],
        "debug-all": ["exposed-service-ports", "high-risk-ports", "unrestricted-ingress"],
    },
    openstack: {
        "debug-all": ["exposed-service-ports", "high-risk-ports", "unrestricted-ingress"],
        "files-smb-v6": ["high-risk-ports"],
        legacy: ["exposed-service-ports"],
    },
    "chinese-clouds": {
        "tc-debug-all": ["exposed-service-ports", "high-risk-ports", "unrestricted-ingress"],
        "tc-legacy-acl": ["high-risk-ports", "stateless-acl-return-traffic"],
        "hw-rdp": ["exposed-service-ports"],
        "ve-debug-all": ["exposed-service-ports", "high-risk-ports", "unrestricted-ingress"],
        "ve-acl": ["stateless-acl-return-traffic"],
        "qc-files-smb": ["high-risk-ports"],
    },
};

describe("portguard check on the Alibaba, OCI, OpenStack and Chinese-cloud examples", () => {
    beforeAll(() => {
        if (!existsSync(path.join(ROOT, "dist", "index.js"))) {
            throw new Error("dist/index.js is missing: run `npm run build` first (npm test does)");
        }
    });
    for (const [example, expected] of Object.entries(EXPECTED)) {
        it(`examples/${example}: only the insecure resources are reported, each by the policies its comment names`, { timeout: TIMEOUT }, () => {
            const r = run(example);
            expect(r.stderr).not.toMatch(/Error/);
            expect(r.flagged).toEqual(expected);
            expect(r.status).toBe(1);
        });
    }
});
