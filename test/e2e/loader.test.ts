/**
 * End to end through Pulumi's loader: the built pack (dist/, `npm run build`) is launched
 * exactly as the Pulumi CLI launches it (run-policy-pack, port on stdout) and driven over
 * gRPC with the analyzer stubs that ship with @pulumi/pulumi. See scripts/lib/analyzer.js.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POLICIES } from "../../src/policies";
import { packMetadata, policyUrl } from "../../src/pack/meta";
import { analyzer, TIMEOUT, usePack, type Diagnostic } from "./harness";

const { UNKNOWN, reconcileConfig } = analyzer;

const SG = "aws:ec2/securityGroup:SecurityGroup";
const ACL = "aws:ec2/networkAcl:NetworkAcl";
const ACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule";
const urnOf = (type: string, name: string) => `urn:pulumi:dev::loader-test::${type}::${name}`;

function securityGroup(name: string, ingress: unknown[]) {
    return { type: SG, name, urn: urnOf(SG, name), properties: { description: "test", ingress } };
}

const smbToInternet = securityGroup("smb-open", [
    { protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"] },
]);

/** Every port or "a-b" range written in a message, as [from, to] pairs. */
function portSpans(text: string): Array<[number, number]> {
    return [...text.matchAll(/(?<![\d.\/])(\d{1,5})(?:-(\d{1,5}))?(?![\d.\/])/g)].map((m) => [
        Number(m[1]),
        Number(m[2] ?? m[1]),
    ]);
}
const mentionsPort = (text: string, port: number) => portSpans(text).some(([a, b]) => a <= port && port <= b);

describe("the built pack, launched as the Pulumi CLI launches it", () => {
    const h = usePack();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let pack: any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let info: any;
    beforeAll(() => {
        pack = h.pack;
        info = h.info;
    });

    // Each test starts from the configuration the CLI sends when no config file is given.
    beforeEach(async () => {
        await pack.configure(reconcileConfig(info, undefined));
    });

    it("GetAnalyzerInfo lists the five policies with their default levels and config schemas with defaults", () => {
        const levels = Object.fromEntries(info.policies.map((p: { name: string; enforcementLevel: string }) => [p.name, p.enforcementLevel]));
        expect(levels).toEqual({
            "high-risk-ports": "mandatory",
            "exposed-service-ports": "advisory",
            "unrestricted-ingress": "mandatory",
            "stateless-acl-return-traffic": "advisory",
            "unverifiable-rules": "advisory",
        });
        for (const p of info.policies) {
            expect(p.description, p.name).not.toBe("");
            expect(p.configSchema, p.name).toBeDefined();
            const props = Object.entries(p.configSchema.properties as Record<string, Record<string, unknown>>);
            expect(props.length, p.name).toBeGreaterThan(0);
            for (const [option, schema] of props) {
                expect(schema, `${p.name}.${option}`).toHaveProperty("default");
            }
        }
    }, TIMEOUT);

    it("GetAnalyzerInfo carries the pack's metadata (display name, one-sentence description, readme, provider, tags, repository) and each policy's (display name, severity, framework, tags, remediation steps, doc URL)", () => {
        const meta = packMetadata(POLICIES);
        expect(info.name).toBe("portguard");
        expect(info.displayName).toBe(meta.displayName);
        expect(info.description).toBe(meta.description);
        expect(info.readme).toBe(meta.readme);
        expect(info.provider).toBe(meta.provider);
        expect(info.tags).toEqual(meta.tags);
        expect(info.repository).toBe("https://github.com/portguard/portguard");
        for (const def of POLICIES) {
            const p = info.policies.find((x: { name: string }) => x.name === def.name);
            expect(p.displayName, def.name).toBe(def.displayName);
            expect(p.description, def.name).toBe(def.description);
            expect(p.severity, def.name).toBe(def.severity);
            expect(p.tags, def.name).toEqual(def.tags);
            expect(p.remediationSteps, def.name).toBe(def.remediationSteps);
            expect(p.url, def.name).toBe(policyUrl(def.name));
            const primary = (def.controls ?? []).find((c) => c.primary);
            if (primary) expect(p.framework, def.name).toMatchObject({ reference: primary.id, specification: primary.title });
            else expect(p.framework?.name ?? "", def.name).toBe("");
        }
    }, TIMEOUT);

    it("Analyze of a security group opening TCP 445 to 0.0.0.0/0 reports a mandatory high-risk-ports violation naming 445", async () => {
        const ds: Diagnostic[] = await pack.analyze(smbToInternet);
        const highRisk = ds.filter((d) => d.policyName === "high-risk-ports");
        expect(highRisk.length).toBeGreaterThan(0);
        expect(highRisk.every((d) => d.enforcementLevel === "mandatory")).toBe(true);
        expect(highRisk.some((d) => /\b445\b/.test(d.violation))).toBe(true);
    }, TIMEOUT);

    it("a violation as Pulumi shows it is the finding alone, under the policy's name and level: the installed SDK takes the object form (src/pack/report.ts) and keeps the description in its own field", async () => {
        const ds = (await pack.analyze(smbToInternet)) as Array<Diagnostic & { description: string }>;
        expect(ds.length).toBeGreaterThan(0);
        for (const d of ds) {
            const def = POLICIES.find((p) => p.name === d.policyName)!;
            expect(d.description, d.policyName).toBe(def.description);
            expect(d.message, d.policyName).toBe(d.violation);
            expect(d.message.startsWith(def.description), d.policyName).toBe(false);
            expect(d.enforcementLevel, d.policyName).toBe(def.enforcementLevel);
            expect(d.message.length, d.message).toBeLessThanOrEqual(400);
        }
        const stack = (await pack.analyzeStack([smbToInternet])) as Array<Diagnostic & { description: string }>;
        for (const d of stack) expect(d.message.startsWith(d.description)).toBe(false);
    }, TIMEOUT);

    it("a --policy-pack-config file's `all` level and per-policy entry change the levels of reported violations", async () => {
        const config = reconcileConfig(info, {
            all: "advisory",
            "high-risk-ports": { enforcementLevel: "mandatory", minExposure: "internet" },
        });
        expect(config["high-risk-ports"].enforcementLevel).toBe("mandatory");
        expect(config["high-risk-ports"].properties.minExposure).toBe("internet");
        expect(config["unrestricted-ingress"].enforcementLevel).toBe("advisory");
        await pack.configure(config);

        // All protocols from anywhere: judged by both a policy the file keeps mandatory and
        // one whose default (mandatory) the file's `all` turns advisory.
        const ds: Diagnostic[] = await pack.analyze(
            securityGroup("all-open", [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]),
        );
        const of = (name: string) => ds.filter((d) => d.policyName === name);
        expect(of("high-risk-ports").length).toBeGreaterThan(0);
        expect(of("high-risk-ports").every((d) => d.enforcementLevel === "mandatory")).toBe(true);
        expect(of("unrestricted-ingress").length).toBeGreaterThan(0);
        expect(of("unrestricted-ingress").every((d) => d.enforcementLevel === "advisory")).toBe(true);

        // And with the default configuration back, unrestricted-ingress is mandatory again.
        await pack.configure(reconcileConfig(info, undefined));
        const again: Diagnostic[] = await pack.analyze(
            securityGroup("all-open", [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]),
        );
        const unrestricted = again.filter((d) => d.policyName === "unrestricted-ingress");
        expect(unrestricted.length).toBeGreaterThan(0);
        expect(unrestricted.every((d) => d.enforcementLevel === "mandatory")).toBe(true);
    }, TIMEOUT);

    it("an unknown source CIDR during preview gives an advisory unverifiable-rules violation, not the SDK's can't-run-during-preview message", async () => {
        const ds: Diagnostic[] = await pack.analyze(
            securityGroup("smb-unknown-source", [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: [UNKNOWN] }]),
        );
        const unverifiable = ds.filter((d) => d.policyName === "unverifiable-rules");
        expect(unverifiable.length).toBeGreaterThan(0);
        expect(unverifiable.every((d) => d.enforcementLevel === "advisory")).toBe(true);
        for (const d of ds) {
            expect(d.message).not.toMatch(/can't run policy .* during preview/);
        }
    }, TIMEOUT);

    it("AnalyzeStack joins NetworkAclRule resources to their ACL through propertyDependencies: a deny at 90 removes 445 from the allow-all at 100, other high-risk ports stay reported", async () => {
        const aclUrn = urnOf(ACL, "legacy");
        const rule = (name: string, ruleNumber: number, ruleAction: string, fromPort: number, toPort: number) => ({
            type: ACL_RULE,
            name,
            urn: urnOf(ACL_RULE, name),
            properties: { networkAclId: UNKNOWN, ruleNumber, egress: false, protocol: "tcp", ruleAction, cidrBlock: "0.0.0.0/0", fromPort, toPort },
            propertyDependencies: { networkAclId: [aclUrn] },
        });
        const denySmb = rule("deny-smb", 90, "deny", 445, 445);
        const allowAll = rule("allow-all", 100, "allow", 0, 65535);
        const ds: Diagnostic[] = await pack.analyzeStack([
            { type: ACL, name: "legacy", urn: aclUrn, properties: { vpcId: UNKNOWN } },
            denySmb,
            allowAll,
        ]);
        const highRisk = ds.filter((d) => d.policyName === "high-risk-ports");
        expect(highRisk.length).toBeGreaterThan(0);
        expect(highRisk.every((d) => d.enforcementLevel === "mandatory")).toBe(true);
        expect(highRisk.some((d) => mentionsPort(d.violation, 135))).toBe(true);
        expect(highRisk.filter((d) => mentionsPort(d.violation, 445))).toEqual([]);
        expect(highRisk.filter((d) => d.urn === denySmb.urn)).toEqual([]);
    }, TIMEOUT);

    it("Analyze of a resource no policy judges (an S3 bucket) lists every policy in AnalyzeResponse.not_applicable, with a reason, and no diagnostic", async () => {
        const bucket = { type: "aws:s3/bucketV2:BucketV2", name: "logs", urn: urnOf("aws:s3/bucketV2:BucketV2", "logs"), properties: { bucket: "logs" } };
        const { diagnostics, notApplicable } = await pack.analyzeFull(bucket);
        expect(diagnostics).toEqual([]);
        expect(notApplicable.map((n: { policyName: string }) => n.policyName).sort()).toEqual(POLICIES.map((p) => p.name).sort());
        for (const n of notApplicable) expect(n.reason).toContain("aws:s3/bucketV2:BucketV2");
    }, TIMEOUT);

    it("Analyze of a clean security group: judged (compliant) by every policy but stateless-acl-return-traffic, which is not applicable to a stateful group", async () => {
        const { diagnostics, notApplicable } = await pack.analyzeFull(securityGroup("https", [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }]));
        expect(diagnostics).toEqual([]);
        expect(notApplicable.map((n: { policyName: string }) => n.policyName)).toEqual(["stateless-acl-return-traffic"]);
    }, TIMEOUT);

    it("AnalyzeStack answers not applicable only for a stack with no firewall at all", async () => {
        const bucket = { type: "aws:s3/bucketV2:BucketV2", name: "logs", urn: urnOf("aws:s3/bucketV2:BucketV2", "logs"), properties: {} };
        const none = await pack.analyzeStackFull([bucket]);
        expect(none.notApplicable.map((n: { policyName: string }) => n.policyName).sort()).toEqual(POLICIES.map((p) => p.name).sort());
        const some = await pack.analyzeStackFull([bucket, { type: ACL, name: "empty", urn: urnOf(ACL, "empty"), properties: { vpcId: "vpc-1" } }]);
        expect(some.notApplicable).toEqual([]);
    }, TIMEOUT);

    it("ConfigureStack's tags: portguard:exempt with a reason exempts the stack; without a reason the violation stays and says why", async () => {
        try {
            await pack.configureStack({ tags: { "portguard:exempt": "high-risk-ports", "portguard:exempt-reason": "sandbox account without an internet gateway" } });
            const exempt: Diagnostic[] = await pack.analyze(smbToInternet);
            expect(exempt.filter((d) => d.policyName === "high-risk-ports")).toEqual([]);

            await pack.configureStack({ tags: { "portguard:exempt": "high-risk-ports" } });
            const noted: Diagnostic[] = await pack.analyze(smbToInternet);
            const hr = noted.filter((d) => d.policyName === "high-risk-ports");
            expect(hr.length).toBeGreaterThan(0);
            expect(hr[0].violation).toMatch(/stack's portguard:exempt tag is ignored because portguard:exempt-reason is missing/);
        } finally {
            await pack.configureStack({ tags: {} });
        }
    }, TIMEOUT);

    it("answers a malformed Analyze request (no options message) with an error and keeps serving", async () => {
        const { analyzerpb, structproto } = analyzer.proto;
        const bad = new analyzerpb.AnalyzeRequest();
        bad.setType(SG);
        bad.setUrn(smbToInternet.urn);
        bad.setName(smbToInternet.name);
        bad.setProperties(structproto.Struct.fromJavaScript(smbToInternet.properties));
        await expect(
            new Promise((resolve, reject) => pack.raw.analyze(bad, (err: Error | null, resp: unknown) => (err ? reject(err) : resolve(resp)))),
        ).rejects.toThrow();

        const ds: Diagnostic[] = await pack.analyze(smbToInternet);
        expect(ds.some((d) => d.policyName === "high-risk-ports" && d.enforcementLevel === "mandatory")).toBe(true);
    }, TIMEOUT);

    it("does not fail the RPC on resources whose properties have the wrong shapes, and keeps serving", async () => {
        const garbage = [
            securityGroup("ingress-is-a-string", "not a list" as unknown as unknown[]),
            securityGroup("ports-are-strings", [{ protocol: 6, fromPort: "x", toPort: null, cidrBlocks: "0.0.0.0/0" }]),
            { type: ACL, name: "acl-garbage", urn: urnOf(ACL, "acl-garbage"), properties: { ingress: [null, 7, { ruleNo: "a" }] } },
            { type: ACL_RULE, name: "rule-garbage", urn: urnOf(ACL_RULE, "rule-garbage"), properties: { ruleNumber: {}, fromPort: [] } },
        ];
        for (const r of garbage) {
            await expect(pack.analyze(r), r.name).resolves.toBeInstanceOf(Array);
        }
        await expect(pack.analyzeStack(garbage)).resolves.toBeInstanceOf(Array);

        const ds: Diagnostic[] = await pack.analyze(smbToInternet);
        expect(ds.some((d) => d.policyName === "high-risk-ports" && d.enforcementLevel === "mandatory")).toBe(true);
    }, TIMEOUT);
});
