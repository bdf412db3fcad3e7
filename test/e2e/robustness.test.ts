/**
 * A pack that cannot be made to crash through the protocol. The built pack is launched as the
 * Pulumi CLI launches it (scripts/lib/analyzer.js) and sent malformed resources over gRPC:
 * nulls, wrong types, unknown sentinels in every position, secrets, huge lists and strings,
 * deep nesting, non-finite numbers, a type no adapter handles, empty properties, and a stack
 * mixing all of them. Each must give a clear diagnostic (or none, for what is not a firewall):
 * never the SDK's blanket "can't run policy ... during preview", never an internal error or a
 * stack trace, never a failed RPC; and the pack still serves a normal request afterwards.
 *
 * The SDK deserializes properties before any policy runs. The two things it rejects itself
 * (a secret without a value, an asset with no content; the engine never sends either over
 * Analyze) fail that one RPC: the pack must keep serving.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { SENTINELS } from "../helpers";
import { analyzer, TIMEOUT, usePack, type Diagnostic } from "./harness";

const { UNKNOWN, SIG_KEY, SECRET_SIG, secret } = analyzer;

const SG = "aws:ec2/securityGroup:SecurityGroup";
const ACL = "aws:ec2/networkAcl:NetworkAcl";
const ACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule";
const SG_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const NSG = "azure-native:network:NetworkSecurityGroup";
const GCP = "gcp:compute/firewall:Firewall";
const urnOf = (type: string, name: string) => `urn:pulumi:dev::robustness::${type}::${name}`;
const res = (type: string, name: string, properties: unknown, extra: Record<string, unknown> = {}) => ({ type, name, urn: urnOf(type, name), properties, ...extra });

const smbToInternet = res(SG, "smb-open", { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"] }] });

function nested(depth: number, leaf: unknown): unknown {
    let x = leaf;
    for (let i = 0; i < depth; i++) x = [x];
    return x;
}

/** Malformed firewall resources: each must be named by unverifiable-rules, at the path given. */
const MALFORMED: Array<{ what: string; resource: ReturnType<typeof res>; path: RegExp; reason: RegExp }> = [
    { what: "null rules and null fields", resource: res(SG, "nulls", { ingress: [null, { protocol: null, fromPort: null, toPort: null, cidrBlocks: [null] }] }), path: /ingress\[0\]/, reason: /null/ },
    { what: "a string where the rule list belongs", resource: res(SG, "string-list", { ingress: "tcp 22 from anywhere" }), path: /ingress/, reason: /not a list/ },
    { what: "wrong types in every field", resource: res(SG, "wrong-types", { ingress: [{ protocol: 6, fromPort: "x", toPort: {}, cidrBlocks: "0.0.0.0/0" }] }), path: /ingress\[0\]/, reason: /not a whole number|not a list|not an object|malformed/ },
    { what: "strings where numbers belong", resource: res(ACL, "string-numbers", { ingress: [{ ruleNo: "ten", action: "allow", protocol: "tcp", fromPort: "twenty-two", toPort: "22", cidrBlock: "0.0.0.0/0" }] }), path: /ingress\[0\]/, reason: /not a whole number/ },
    { what: "huge and negative numbers", resource: res(SG, "huge-numbers", { ingress: [{ protocol: "tcp", fromPort: 1e308, toPort: -1e308, cidrBlocks: ["0.0.0.0/0"] }] }), path: /ingress\[0\]/, reason: /outside|not a whole number/ },
    { what: "non-finite numbers", resource: res(SG, "non-finite", { ingress: [{ protocol: "tcp", fromPort: Number.NaN, toPort: Infinity, cidrBlocks: ["0.0.0.0/0"] }] }), path: /ingress\[0\]/, reason: /not a whole number/ },
    { what: "a malformed CIDR, protocol and port", resource: res(SG, "malformed-values", { ingress: [{ protocol: "banana", fromPort: 70000, toPort: 70000, cidrBlocks: ["10.0.0.0/33"] }] }), path: /ingress\[0\]/, reason: /not a protocol|outside|prefix length/ },
    { what: "unknown sentinels in every field", resource: res(SG, "unknown-fields", { ingress: [{ protocol: UNKNOWN, fromPort: SENTINELS[1], toPort: SENTINELS[1], cidrBlocks: [UNKNOWN], self: SENTINELS[0] }] }), path: /ingress\[0\]/, reason: /not known until apply/ },
    { what: "an unknown rule list", resource: res(ACL, "unknown-list", { ingress: SENTINELS[3], egress: [SENTINELS[6]] }), path: /ingress|egress/, reason: /not known until apply/ },
    { what: "a rule that is only an unknown object", resource: res(SG, "unknown-rule", { ingress: [SENTINELS[6], SENTINELS[4], SENTINELS[5]] }), path: /ingress\[0\]/, reason: /not known until apply/ },
    { what: "deep nesting", resource: res(SG, "deep", { ingress: [nested(60, { protocol: "tcp" })] }), path: /ingress\[0\]/, reason: /not a rule object|malformed|not an object/ },
    { what: "a huge string", resource: res(SG, "huge-string", { ingress: [{ protocol: "x".repeat(1_000_000), fromPort: 22, toPort: 22, cidrBlocks: ["y".repeat(100_000)] }] }), path: /ingress\[0\]/, reason: /not a protocol|not a valid/ },
    { what: "a separate rule with nothing in it", resource: res(ACL_RULE, "empty-rule", {}), path: /ruleNumber|ruleAction|protocol/, reason: /required/ },
    { what: "a separate rule with only unknowns", resource: res(SG_RULE, "unknown-rule-resource", { securityGroupId: UNKNOWN, ipProtocol: UNKNOWN, fromPort: SENTINELS[1], toPort: SENTINELS[1], cidrIpv4: UNKNOWN }), path: /ipProtocol|cidrIpv4|fromPort/, reason: /not known until apply/ },
    { what: "an Azure NSG with junk rules", resource: res(NSG, "nsg-junk", { resourceGroupName: "rg", securityRules: [{ access: 42, direction: null, priority: "high", protocol: [], destinationPortRange: {} }] }), path: /securityRules\[0\]/, reason: /./ },
    { what: "a GCP firewall with junk", resource: res(GCP, "gcp-junk", { network: UNKNOWN, allows: [{ protocol: null, ports: [70000, "x-y"] }], sourceRanges: [null] }), path: /allows|sourceRanges/, reason: /./ },
];

/** Resources that are not firewalls (or hold nothing to judge): no diagnostic at all. */
const QUIET = [
    { what: "a type no adapter handles", resource: res("acme:network/widget:Widget", "widget", { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"] }] }) },
    { what: "a non-firewall type full of junk", resource: res("aws:s3/bucket:Bucket", "bucket", { acl: null, policy: UNKNOWN, tags: { a: [1, { b: null }] }, x: nested(50, SENTINELS[6]) }) },
    { what: "a security group with empty properties", resource: res(SG, "empty", {}) },
    { what: "a network ACL with empty rule lists", resource: res(ACL, "empty-lists", { vpcId: "vpc-1", ingress: [], egress: [] }) },
];

function assertClean(ds: Diagnostic[], what: string): void {
    for (const d of ds) {
        expect(d.message, what).not.toMatch(/can't run policy/);
        expect(d.message, what).not.toMatch(/could not evaluate|internal (Type|Range|Reference)?Error|please report this/);
        expect(d.message, what).not.toMatch(/could not be read \(/);
        expect(d.message, what).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // a stack trace
        expect(d.violation.length, what).toBeGreaterThan(0);
        expect(d.violation.length, `${what}: messages never echo huge input`).toBeLessThan(4000);
    }
}

describe("the built pack, sent malformed resources over gRPC", () => {
    const h = usePack();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let pack: any;
    beforeAll(() => {
        pack = h.pack;
    });

    async function stillServes(): Promise<void> {
        const ds: Diagnostic[] = await pack.analyze(smbToInternet);
        expect(ds.some((d) => d.policyName === "high-risk-ports" && d.enforcementLevel === "mandatory" && /\b445\b/.test(d.violation))).toBe(true);
    }

    for (const c of MALFORMED) {
        it(`Analyze: ${c.what} gives a clear unverifiable-rules diagnostic, no blanket message, and the pack keeps serving`, async () => {
            const ds: Diagnostic[] = await pack.analyze(c.resource);
            assertClean(ds, c.what);
            const named = ds.filter((d) => d.policyName === "unverifiable-rules");
            expect(named.length, `${c.what}: ${JSON.stringify(ds.map((d) => d.violation))}`).toBeGreaterThan(0);
            expect(named.some((d) => c.path.test(d.violation) && c.reason.test(d.violation)), `${c.what}: ${named.map((d) => d.violation).join(" | ")}`).toBe(true);
            await stillServes();
        }, TIMEOUT);
    }

    for (const c of QUIET) {
        it(`Analyze: ${c.what} gives no diagnostic`, async () => {
            const ds: Diagnostic[] = await pack.analyze(c.resource);
            expect(ds, c.what).toEqual([]);
            await stillServes();
        }, TIMEOUT);
    }

    it("Analyze: secrets are judged through (the plaintext inside), and never echoed: the finding names the service, with [secret] for the secret port and CIDR", async () => {
        const ds: Diagnostic[] = await pack.analyze(
            res(SG, "secret-fields", { ingress: [{ protocol: secret("tcp"), fromPort: secret(445), toPort: 445, cidrBlocks: [secret("0.0.0.0/0")], description: secret("s3cr3t-description") }] }),
        );
        assertClean(ds, "secrets");
        expect(ds.some((d) => d.policyName === "high-risk-ports" && d.enforcementLevel === "mandatory" && /TCP \[secret\] \(SMB\) from \[secret\]/.test(d.violation))).toBe(true);
        for (const d of ds) {
            expect(d.message).not.toContain("s3cr3t-description");
            expect(d.message).not.toContain("0.0.0.0/0");
            expect(d.violation).not.toMatch(/\b445\b/); // (the policy description above it lists the port catalogue)
        }
        await stillServes();
    }, TIMEOUT);

    it("Analyze: a huge rule list (10,000 rules) is answered, judged, and the pack keeps serving", async () => {
        const ingress = Array.from({ length: 10_000 }, (_, i) => (i % 7 === 0 ? null : { protocol: i % 3 ? "tcp" : "udp", fromPort: i % 65535, toPort: (i % 65535) + (i % 5), cidrBlocks: [`10.${(i >> 8) & 255}.${i & 255}.0/24`, i % 101 === 0 ? "0.0.0.0/0" : "192.168.0.0/16"] }));
        const ds: Diagnostic[] = await pack.analyze(res(SG, "huge-list", { ingress }));
        assertClean(ds, "huge list");
        expect(ds.some((d) => d.policyName === "high-risk-ports")).toBe(true);
        expect(ds.some((d) => d.policyName === "unverifiable-rules" && /null/.test(d.violation))).toBe(true);
        await stillServes();
    }, TIMEOUT);

    it("AnalyzeStack: every malformed and quiet resource at once, with separate rules pointing at missing, unknown or duplicate parents", async () => {
        const parent = urnOf(ACL, "string-numbers");
        const stack = [
            ...MALFORMED.map((c) => c.resource),
            ...QUIET.map((c) => c.resource),
            res(ACL_RULE, "orphan", { networkAclId: UNKNOWN, ruleNumber: 100, egress: false, ruleAction: "allow", protocol: "tcp", fromPort: 445, toPort: 445, cidrBlock: "0.0.0.0/0" }, { propertyDependencies: { networkAclId: [urnOf(ACL, "not-in-the-stack")] } }),
            res(ACL_RULE, "to-malformed-parent", { networkAclId: UNKNOWN, ruleNumber: 90, egress: false, ruleAction: "deny", protocol: UNKNOWN, cidrBlock: "0.0.0.0/0" }, { propertyDependencies: { networkAclId: [parent, parent, urnOf(SG, "nulls")] } }),
            res(SG_RULE, "rule-secret-parent", { securityGroupId: secret(UNKNOWN), ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: secret("0.0.0.0/0") }, { propertyDependencies: { securityGroupId: [urnOf(SG, "empty")] } }),
            smbToInternet,
            smbToInternet, // the same URN twice
        ];
        const ds: Diagnostic[] = await pack.analyzeStack(stack);
        assertClean(ds, "stack");
        expect(ds.some((d) => d.policyName === "unverifiable-rules")).toBe(true);
        expect(ds.some((d) => d.urn === urnOf(ACL_RULE, "orphan") && d.policyName === "high-risk-ports")).toBe(true);
        await stillServes();
    }, TIMEOUT);

    it("the two things the SDK itself rejects before any policy runs (a secret with no value, an asset with no content) fail that RPC only: the pack keeps serving", async () => {
        for (const bad of [{ cidrBlocks: [{ [SIG_KEY]: SECRET_SIG, ciphertext: "v1:abc" }] }, { x: { [SIG_KEY]: "c44067f5952c0a294b673a41bacd8c17" } }]) {
            const outcome = await pack.analyze(res(SG, "sdk-rejects", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, ...bad }] })).then(
                (ds: Diagnostic[]) => {
                    assertClean(ds, "sdk-rejects");
                    return "answered";
                },
                (e: Error) => {
                    expect(e.message).toMatch(/failed/);
                    return "rejected";
                },
            );
            expect(["answered", "rejected"]).toContain(outcome);
            await stillServes();
        }
    }, TIMEOUT);
});
