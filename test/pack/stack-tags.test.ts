/**
 * Stack tags (args.stackTags, Pulumi Cloud backends only): `portguard:exempt` naming policies,
 * with `portguard:exempt-reason`, exempts the whole stack from them under the same rules as a
 * resource's tags; the `honourTagExemptions` option (default true) turns every tag exemption
 * off, leaving only the configuration's.
 */
import { describe, expect, it } from "vitest";
import { highRiskPorts, unrestrictedIngress } from "../../src/policies";
import { Evaluator } from "../../src/pack/evaluator";
import { exemptionFor } from "../../src/pack/exemptions";
import { sg, sgRule } from "../helpers";

const smb = () => sg("smb", [sgRule("tcp", 445, 445)]);
const now = new Date("2026-06-01");

function resourceLevel(stackTags: Record<string, string> | Map<string, string>, config: Record<string, unknown> = {}, r = smb()) {
    return new Evaluator().evaluateResource(highRiskPorts, r, config, now, { stackTags });
}

describe("stack tags", () => {
    it("portguard:exempt naming the policy, with a reason, exempts every resource of the stack (Analyze and AnalyzeStack)", () => {
        const tags = new Map([["portguard:exempt", "high-risk-ports"], ["portguard:exempt-reason", "sandbox account, no internet gateway"]]);
        expect(resourceLevel(tags)).toEqual([]);
        // An ACL's separate entry is judged once joined (stack phase only).
        const aclUrn = "urn:pulumi:dev::p::aws:ec2/networkAcl:NetworkAcl::legacy";
        const stack = [
            { type: "aws:ec2/networkAcl:NetworkAcl", urn: aclUrn, name: "legacy", props: { vpcId: "vpc-1" } },
            { type: "aws:ec2/networkAclRule:NetworkAclRule", urn: "urn:pulumi:dev::p::aws:ec2/networkAclRule:NetworkAclRule::all", name: "all", props: { networkAclId: "x", ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 65535 }, propertyDependencies: { networkAclId: [aclUrn] } },
        ];
        expect(new Evaluator().evaluateStack(highRiskPorts, stack, {}, now, { stackTags: new Map() }).length).toBeGreaterThan(0);
        expect(new Evaluator().evaluateStack(highRiskPorts, stack, {}, now, { stackTags: tags })).toEqual([]);
    });

    it("`all` exempts the stack from every policy; a list exempts only the policies it names", () => {
        const all = { "portguard:exempt": "all", "portguard:exempt-reason": "lab" };
        expect(resourceLevel(all)).toEqual([]);
        const other = { "portguard:exempt": "exposed-service-ports, unrestricted-ingress", "portguard:exempt-reason": "lab" };
        expect(resourceLevel(other)).toHaveLength(1);
        const anyOpen = sg("all-open", [sgRule("-1", 0, 0)]);
        expect(new Evaluator().evaluateResource(unrestrictedIngress, anyOpen, {}, now, { stackTags: other })).toEqual([]);
    });

    it("a stack tag without a reason is not honoured, and the message says why, naming the stack", () => {
        const [f] = resourceLevel({ "portguard:exempt": "high-risk-ports" });
        expect(f.message).toMatch(/stack's portguard:exempt tag is ignored because portguard:exempt-reason is missing or empty on the stack/);
    });

    it("a reason on the stack does not complete a resource's tag, nor the reverse", () => {
        const tagged = sg("smb", [sgRule("tcp", 445, 445)], undefined, { tags: { "portguard:exempt": "high-risk-ports" } });
        const [f] = resourceLevel({ "portguard:exempt-reason": "a reason for something else" }, {}, tagged);
        expect(f.message).toMatch(/the portguard:exempt tag is ignored/);
        const reasonOnly = sg("smb", [sgRule("tcp", 445, 445)], undefined, { tags: { "portguard:exempt-reason": "x" } });
        expect(resourceLevel({ "portguard:exempt": "high-risk-ports" }, {}, reasonOnly)).toHaveLength(1);
    });

    it("honourTagExemptions: false ignores stack and resource tags and says so; the configuration's exemptions still apply", () => {
        const tags = { "portguard:exempt": "high-risk-ports", "portguard:exempt-reason": "sandbox" };
        const [f] = resourceLevel(tags, { honourTagExemptions: false });
        expect(f.message).toMatch(/stack's portguard:exempt tag is not honoured because this policy's honourTagExemptions option is false/);
        const tagged = sg("smb", [sgRule("tcp", 445, 445)], undefined, { tags });
        const [g] = resourceLevel({}, { honourTagExemptions: false }, tagged);
        expect(g.message).toMatch(/the portguard:exempt tag is not honoured/);
        expect(resourceLevel({}, { honourTagExemptions: false, exemptions: [{ resource: "smb", reason: "tracked in OPS-1" }] })).toEqual([]);
    });

    it("reads the SDK's frozen Map-like stackTags (entries/get/size, not a Map)", () => {
        const m = new Map([["portguard:exempt", "high-risk-ports"], ["portguard:exempt-reason", "sandbox"]]);
        const frozen = Object.freeze({ entries: m.entries.bind(m), get: m.get.bind(m), has: m.has.bind(m), keys: m.keys.bind(m), values: m.values.bind(m), forEach: m.forEach.bind(m), size: m.size, [Symbol.iterator]: m[Symbol.iterator].bind(m) });
        expect(resourceLevel(frozen as unknown as Map<string, string>)).toEqual([]);
    });

    it("no stack tags (a self-managed backend, or `pulumi policy analyze`) change nothing", () => {
        expect(resourceLevel(new Map())).toHaveLength(1);
        expect(exemptionFor("high-risk-ports", { name: "x", urn: "u" }, [], undefined, now, {})).toEqual({ exempt: false, note: undefined });
    });
});
