/**
 * Every way Pulumi calls a pack, each with its driver (test/e2e/harness.ts), over Pulumi's
 * loader and gRPC, after pulumi/pulumi's pkg/resource/deploy/analyze_snapshot.go and the step
 * generator:
 *   - `pulumi preview` / `pulumi up`: Remediate, Analyze on inputs, AnalyzeStack on outputs;
 *   - `pulumi policy analyze` (and `--file <export>`): Remediate (reported, not applied) and
 *     Analyze on each resource's state inputs, then AnalyzeStack on the outputs with property
 *     dependencies, in one process, without ConfigureStack;
 *   - audit policy groups: resource policies alone on resources as the provider reads them
 *     (outputs, ids, no property dependencies, maybe no inputs), and an analyzer that runs only
 *     stack policies.
 * One pack process serves every test, as one CLI run would: each scenario uses its own stack
 * name in its URNs, so no scenario sees what the pack remembers of another.
 */
import { describe, expect, it } from "vitest";
import { POLICIES } from "../../src/policies";
import { allDiagnostics, auditResources, policyAnalyze, previewOrUp, stackOnly, TIMEOUT, urnFor, usePack, type Diagnostic, type StateResource } from "./harness";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const BUCKET = "aws:s3/bucketV2:BucketV2";
const STACK = "pulumi:pulumi:Stack";
const ALL = POLICIES.map((p) => p.name).sort();

/** What the AWS provider reads back for an inline rule (every field present). */
const echoed = (protocol: string, port: number, cidr: string) => ({ cidrBlocks: [cidr], description: "", fromPort: port, ipv6CidrBlocks: [], prefixListIds: [], protocol, securityGroups: [], self: false, toPort: port });

/**
 * A stack's state: a group whose rules are separate resources (the provider echoes them in
 * the group's outputs), a group with an inline SMB rule, a bucket, and the root stack.
 */
function webStack(stack: string): StateResource[] {
    const urn = urnFor(stack);
    const web = urn(SG, "web");
    return [
        { urn: urn(STACK, `${stack}-dev`), type: STACK, inputs: {}, outputs: {} },
        { urn: web, type: SG, id: "sg-0web", inputs: { description: "web", vpcId: "vpc-1" }, outputs: { id: "sg-0web", description: "web", vpcId: "vpc-1", ingress: [echoed("tcp", 445, "0.0.0.0/0")], egress: [] } },
        {
            urn: urn(SG_IN, "smb"),
            type: SG_IN,
            id: "sgr-1",
            inputs: { securityGroupId: "sg-0web", ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIpv4: "0.0.0.0/0" },
            outputs: { id: "sgr-1", securityGroupId: "sg-0web", ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIpv4: "0.0.0.0/0" },
            dependencies: [web],
            propertyDependencies: { securityGroupId: [web] },
        },
        {
            urn: urn(SG, "legacy"),
            type: SG,
            id: "sg-0legacy",
            inputs: { description: "legacy", ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0", "10.0.0.0/8"] }] },
            outputs: { id: "sg-0legacy", description: "legacy", ingress: [echoed("tcp", 445, "0.0.0.0/0")], egress: [] },
        },
        { urn: urn(BUCKET, "logs"), type: BUCKET, inputs: { bucket: "logs" }, outputs: { id: "logs", bucket: "logs" } },
    ];
}

const of = (ds: Diagnostic[], policy: string) => ds.filter((d) => d.policyName === policy);
const names = (ds: Diagnostic[]) => ds.map((d) => `${d.policyName} ${d.urn.slice(d.urn.lastIndexOf("::") + 2)}`).sort();
const CONFLICT = /overwrite|drift|no separate rule resource/;

describe("every way Pulumi calls the pack", () => {
    const h = usePack();

    it("preview / up: the separate SMB rule and the inline one are each reported once, by the phase that proves them", async () => {
        const run = await previewOrUp(h, webStack("preview"));
        const ds = allDiagnostics(run);
        expect(names(of(ds, "high-risk-ports"))).toEqual(["high-risk-ports legacy", "high-risk-ports smb"]);
        expect(of(ds, "unverifiable-rules").filter((d) => CONFLICT.test(d.violation))).toEqual([]);
    }, TIMEOUT);

    describe("pulumi policy analyze", () => {
        it("Analyze on state inputs, AnalyzeStack on outputs: the rule the provider echoes in the group's outputs is one finding, and no conflict is reported", async () => {
            const run = await policyAnalyze(h, webStack("analyze"));
            const ds = allDiagnostics(run);
            expect(names(of(ds, "high-risk-ports"))).toEqual(["high-risk-ports legacy", "high-risk-ports smb"]);
            expect(of(ds, "unverifiable-rules")).toEqual([]);
            // Stack phase: a stack with firewalls is judged by every policy.
            expect(run.stack.notApplicable).toEqual([]);
            // The root stack resource and the bucket: not applicable to every policy, no diagnostic.
            for (const [urn, a] of run.resources) {
                if (urn.includes(STACK) || urn.includes(BUCKET)) {
                    expect(a.notApplicable.map((n) => n.policyName).sort(), urn).toEqual(ALL);
                    expect(a.diagnostics, urn).toEqual([]);
                }
            }
        }, TIMEOUT);

        it("remediations are reported, not applied: Analyze still judges the state's own inputs", async () => {
            await h.configureDefaults({ "high-risk-ports": "remediate" });
            try {
                const state = webStack("analyze-remediate");
                const run = await policyAnalyze(h, state);
                const legacy = state.find((r) => r.urn.endsWith("::legacy"))!.urn;
                const rem = run.remediations.get(legacy)!;
                expect(rem.map((r) => r.policyName)).toEqual(["high-risk-ports"]);
                // The remediated inputs keep the private source and drop the public one...
                expect(JSON.stringify(rem[0].properties)).toContain("10.0.0.0/8");
                expect(JSON.stringify(rem[0].properties)).not.toContain("0.0.0.0/0");
                // ...but the state was analysed as it is: the violation stands (remediate reads as mandatory).
                const hr = of(run.resources.get(legacy)!.diagnostics, "high-risk-ports");
                expect(hr).toHaveLength(1);
                expect(hr[0].enforcementLevel).toBe("mandatory");
            } finally {
                await h.configureDefaults();
            }
        }, TIMEOUT);

        it("--file <export>: a secret that could not be decrypted arrives as the string [secret] and is a value that cannot be known, never a malformed one", async () => {
            const urn = urnFor("analyze-file");
            const admin = {
                urn: urn(SG, "admin"),
                type: SG,
                id: "sg-0admin",
                inputs: { description: "admin", ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["[secret]"] }] },
                outputs: { id: "sg-0admin", description: "admin", ingress: [{ ...echoed("tcp", 22, "0.0.0.0/0"), cidrBlocks: ["[secret]"] }], egress: [] },
            };
            const whole = { urn: urn(SG, "whole-list-secret"), type: SG, id: "sg-0w", inputs: { ingress: "[secret]" }, outputs: { id: "sg-0w", ingress: "[secret]", egress: [] } };
            const run = await policyAnalyze(h, [admin, whole]);
            const ds = allDiagnostics(run);
            const unverifiable = of(ds, "unverifiable-rules");
            expect(names(unverifiable)).toEqual(["unverifiable-rules admin", "unverifiable-rules whole-list-secret"]);
            for (const d of ds) {
                expect(d.enforcementLevel, d.violation).toBe("advisory");
                expect(d.violation).not.toMatch(/malformed|not a CIDR|not a list|not an? (IP|address)/i);
                expect(d.violation).not.toContain("[secret]");
                expect(d.violation).toMatch(/not known/);
            }
            expect(of(ds, "exposed-service-ports")).toEqual([]);
        }, TIMEOUT);
    });

    describe("audit policy groups", () => {
        it("resource policies alone, on outputs with ids and no property dependencies: discovered groups and rules are judged, other resources are not applicable", async () => {
            const urn = urnFor("audit");
            const answers = await auditResources(h, [
                // Created by the console: the provider's read of it, no inputs at all.
                { urn: urn(SG, "console-made"), type: SG, outputs: { id: "sg-0c", arn: "arn:aws:ec2:eu-west-1:1:security-group/sg-0c", ingress: [echoed("tcp", 445, "0.0.0.0/0")], egress: [], tags: {} } },
                { urn: urn(SG_IN, "terraform-made"), type: SG_IN, outputs: { id: "sgr-9", securityGroupId: "sg-0c", ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "0.0.0.0/0" } },
                // A group read with nothing but its id: judged (compliant), not "not applicable".
                { urn: urn(SG, "bare"), type: SG, outputs: { id: "sg-0bare" } },
                { urn: urn(BUCKET, "b"), type: BUCKET, outputs: { id: "b", bucket: "b" } },
            ]);
            expect(names(answers.get(urn(SG, "console-made"))!.diagnostics)).toEqual(["high-risk-ports console-made"]);
            expect(names(answers.get(urn(SG_IN, "terraform-made"))!.diagnostics)).toEqual(["exposed-service-ports terraform-made"]);
            const bare = answers.get(urn(SG, "bare"))!;
            expect(bare.diagnostics).toEqual([]);
            expect(bare.notApplicable.map((n) => n.policyName)).toEqual(["stateless-acl-return-traffic"]);
            expect(answers.get(urn(BUCKET, "b"))!.notApplicable.map((n) => n.policyName).sort()).toEqual(ALL);
        }, TIMEOUT);

        it("stack policies alone give the verdicts preview and up give (each reported once)", async () => {
            const alone = await stackOnly(h, webStack("audit-stack"));
            const full = allDiagnostics(await previewOrUp(h, webStack("audit-preview")));
            expect(names(alone.diagnostics)).toEqual(names(full));
            expect(names(alone.diagnostics)).toContain("high-risk-ports legacy");
        }, TIMEOUT);

        it("stack policies alone: a group whose outputs hold an inline rule no separate resource accounts for, next to separate rules, is reported as conflict or drift, and the rule is judged", async () => {
            const state = webStack("audit-drift");
            const web = state.find((r) => r.urn.endsWith("::web"))!;
            web.outputs = { ...web.outputs, ingress: [echoed("tcp", 445, "0.0.0.0/0"), echoed("tcp", 3389, "0.0.0.0/0")] };
            const { diagnostics } = await stackOnly(h, state);
            const conflict = of(diagnostics, "unverifiable-rules").filter((d) => d.urn === web.urn);
            expect(conflict).toHaveLength(1);
            expect(conflict[0].violation).toMatch(/drift/);
            expect(names(of(diagnostics, "exposed-service-ports"))).toEqual(["exposed-service-ports web"]);
            // The echoed SMB rule is still one finding, on the rule resource that declares it.
            expect(names(of(diagnostics, "high-risk-ports"))).toEqual(["high-risk-ports legacy", "high-risk-ports smb"]);
        }, TIMEOUT);
    });
});
