/** Remediation through Pulumi's loader: the Remediate RPC at enforcement level `remediate`. */
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { launchPack, reconcileConfig, secret, UNKNOWN } = require("../../scripts/lib/analyzer.js");
const ROOT = path.resolve(__dirname, "../..");
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SIG = "4dabf18193072939515e22adb298388d";

describe("remediation through the loader", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let pack: any;
    beforeAll(async () => {
        pack = await launchPack(ROOT);
        const info = await pack.getAnalyzerInfo();
        await pack.configure(reconcileConfig(info, { "high-risk-ports": "remediate" }));
    }, 120_000);
    afterAll(() => pack?.close());

    it("drops the public source of a high-risk rule and keeps the secret private source secret", async () => {
        const props = { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0", secret("10.9.0.0/16")] }] };
        const out = await pack.remediate({ type: SG, urn: `urn:pulumi:dev::p::${SG}::smb`, name: "smb", properties: props });
        expect(out.map((r: { policyName: string }) => r.policyName)).toEqual(["high-risk-ports"]);
        const cidrs = out[0].properties.ingress[0].cidrBlocks;
        expect(cidrs).toHaveLength(1);
        expect(cidrs[0][SIG]).toBeDefined();
        expect(cidrs[0].value).toBe("10.9.0.0/16");
    }, 60_000);

    it("leaves a resource with values unknown during preview alone", async () => {
        const props = { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0", UNKNOWN] }] };
        const out = await pack.remediate({ type: SG, urn: `urn:pulumi:dev::p::${SG}::u`, name: "u", properties: props });
        expect(out).toEqual([]);
    }, 60_000);
});
