/**
 * The secret rule end to end: resources whose properties hold Pulumi secrets (the wire
 * signature, as `pulumi preview` sends them) go through the built pack, launched as the Pulumi
 * CLI launches it, over gRPC (scripts/lib/analyzer.js). The secret values are judged, and no
 * diagnostic prints them: `[secret]` stands where they would be.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { analyzer, TIMEOUT, urnFor, usePack, type Diagnostic } from "./harness";

const { secret } = analyzer;

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const ACL = "aws:ec2/networkAcl:NetworkAcl";
const urnOf = urnFor("secrets-test");
const res = (type: string, name: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type, name, urn: urnOf(type, name), properties, ...extra });

describe("secrets through the built pack (gRPC, Pulumi's loader)", () => {
    const h = usePack();
    beforeEach(async () => {
        await h.configureDefaults();
    });

    it("a secret 0.0.0.0/0 on TCP 445 is blocked by high-risk-ports, and the diagnostic writes [secret] where the CIDR would be", async () => {
        const ds: Diagnostic[] = await h.pack.analyze(res(SG, "secret-cidr", { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: [secret("0.0.0.0/0")] }] }));
        const blocked = ds.filter((d) => d.policyName === "high-risk-ports" && d.enforcementLevel === "mandatory");
        expect(blocked.length, JSON.stringify(ds)).toBeGreaterThan(0);
        expect(blocked[0].violation).toContain("[secret] (ingress[0].cidrBlocks[0])");
        for (const d of ds) expect(d.message).not.toContain("0.0.0.0/0");
    }, TIMEOUT);

    it("a secret list of CIDRs (the secret wraps the whole list) is judged, and none of its CIDRs is printed", async () => {
        const ds: Diagnostic[] = await h.pack.analyze(res(SG, "secret-list", { ingress: [{ protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: secret(["198.51.100.0/24", "11.0.0.0/8"]) }] }));
        expect(ds.some((d) => d.policyName === "exposed-service-ports"), JSON.stringify(ds)).toBe(true);
        for (const d of ds) {
            expect(d.message).not.toContain("11.0.0.0/8");
            expect(d.message).not.toContain("198.51.100.0/24");
        }
    }, TIMEOUT);

    it("a secret around a whole rule: the rule is judged (SSH to the internet), and none of its values is printed", async () => {
        const ds: Diagnostic[] = await h.pack.analyze(res(SG, "secret-rule", { ingress: [secret({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }), { protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: [secret("11.0.0.0/8")] }] }));
        const exposed = ds.filter((d) => d.policyName === "exposed-service-ports");
        expect(exposed.some((d) => /SSH \(TCP \[secret\]\) from \[secret\]/.test(d.violation)), JSON.stringify(ds)).toBe(true);
        expect(exposed.some((d) => /RDP/.test(d.violation) && /3389/.test(d.violation)), JSON.stringify(ds)).toBe(true); // not secret
        for (const d of ds) {
            expect(d.violation).not.toMatch(/\b22\b/);
            expect(d.violation).not.toContain("0.0.0.0/0");
            expect(d.violation).not.toContain("11.0.0.0/8");
        }
    }, TIMEOUT);

    it("the same resource sent first with a plain CIDR, then with it marked secret, is not printed the second time (no remembered model leaks it)", async () => {
        const plain = res(SG, "same-urn", { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"] }] });
        const first: Diagnostic[] = await h.pack.analyze(plain);
        expect(first.some((d) => d.violation.includes("0.0.0.0/0"))).toBe(true);
        const second: Diagnostic[] = await h.pack.analyze(res(SG, "same-urn", { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: [secret("0.0.0.0/0")] }] }));
        expect(second.some((d) => d.policyName === "high-risk-ports")).toBe(true);
        for (const d of second) expect(d.violation).not.toContain("0.0.0.0/0");
    }, TIMEOUT);

    it("a secret malformed CIDR is named by unverifiable-rules with its path, and its text is written [secret]", async () => {
        const ds: Diagnostic[] = await h.pack.analyze(res(SG, "secret-malformed", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [secret("hunter2-not-a-cidr")] }] }));
        const named = ds.filter((d) => d.policyName === "unverifiable-rules");
        expect(named.length, JSON.stringify(ds)).toBeGreaterThan(0);
        expect(named.some((d) => d.violation.includes("ingress[0].cidrBlocks[0]") && d.violation.includes("[secret]"))).toBe(true);
        for (const d of ds) expect(d.message).not.toContain("hunter2");
    }, TIMEOUT);

    it("a secret protocol word that is not a protocol is named without its text", async () => {
        const ds: Diagnostic[] = await h.pack.analyze(res(SG, "secret-protocol", { ingress: [{ protocol: secret("tcp-banana-s3cr3t"), fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }));
        expect(ds.some((d) => d.policyName === "unverifiable-rules" && d.violation.includes("ingress[0].protocol")), JSON.stringify(ds)).toBe(true);
        for (const d of ds) expect(d.message).not.toContain("banana");
    }, TIMEOUT);

    it("a secret out-of-range rule number of a network ACL is named without the number", async () => {
        const ds: Diagnostic[] = await h.pack.analyze(
            res(ACL, "secret-ruleno", { ingress: [{ ruleNo: secret(98765), action: "allow", protocol: "tcp", fromPort: 445, toPort: 445, cidrBlock: "0.0.0.0/0" }] }),
        );
        expect(ds.length, JSON.stringify(ds)).toBeGreaterThan(0);
        for (const d of ds) expect(d.message).not.toContain("98765");
    }, TIMEOUT);

    it("AnalyzeStack: a separate rule with a secret source joined to its group is judged, and the source is not printed", async () => {
        const group = res(SG, "joined-group", { ingress: [] });
        const rule = res(SG_RULE, "joined-rule", { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: [secret("11.0.0.0/8")] }, { propertyDependencies: { securityGroupId: [group.urn] } });
        const ds: Diagnostic[] = await h.pack.analyzeStack([group, rule]);
        const all: Diagnostic[] = [...ds, ...(await h.pack.analyze(rule))];
        expect(all.some((d) => d.policyName === "unrestricted-ingress"), JSON.stringify(all)).toBe(true);
        for (const d of all) expect(d.message).not.toContain("11.0.0.0/8");
    }, TIMEOUT);
});
