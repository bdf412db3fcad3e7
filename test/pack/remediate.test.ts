/** Remediation: every remediated resource passes its policy, and nothing else in it changes. */
import { describe, it, expect } from "vitest";
import { Secret } from "@pulumi/policy";
import { secretsPreservingProxy } from "@pulumi/policy/secret";
import { unknownCheckingProxy } from "@pulumi/policy";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { statelessAclReturnTraffic } from "../../src/policies/stateless-acl-return-traffic";
import { remediateResource } from "../../src/pack/remediate";
import { portguardPolicies } from "../../src/lib";
import { acl, check, entry, res, sg, sgRule, T, UNKNOWN } from "../helpers";

const clone = <V>(v: V): V => JSON.parse(JSON.stringify(v));

describe("high-risk-ports remediation", () => {
    it("drops the public sources of the offending rule and keeps its private ones; other rules untouched", () => {
        const r = sg("a", [sgRule("tcp", 445, 445, ["0.0.0.0/0", "10.0.0.0/8"], { ipv6CidrBlocks: ["::/0"], description: "smb" }), sgRule("tcp", 443, 443)], [sgRule("-1", 0, 0)], { vpcId: "vpc-1", tags: { a: "b" } });
        const before = clone(r.props) as Record<string, any>;
        const out = remediateResource(highRiskPorts, r, {}) as Record<string, any>;
        expect(out).toBe(r.props); // edited in place
        const expected = clone(before);
        expected.ingress[0].cidrBlocks = ["10.0.0.0/8"];
        expected.ingress[0].ipv6CidrBlocks = [];
        expect(clone(out)).toEqual(expected);
        expect(check(highRiskPorts, r)).toEqual([]);
    });
    it("removes a rule left with no sources", () => {
        const r = sg("a", [sgRule("tcp", 22, 22, ["10.0.0.0/8"]), sgRule("tcp", 135, 139, ["0.0.0.0/0"])]);
        remediateResource(highRiskPorts, r, {});
        expect((r.props as any).ingress).toEqual([sgRule("tcp", 22, 22, ["10.0.0.0/8"])]);
        expect(check(highRiskPorts, r)).toEqual([]);
    });
    it("keeps trusted sources", () => {
        const r = sg("a", [sgRule("tcp", 445, 445, ["0.0.0.0/0", "203.0.114.0/24"])]);
        remediateResource(highRiskPorts, r, { trustedSources: ["203.0.114.0/24"] });
        expect((r.props as any).ingress[0].cidrBlocks).toEqual(["203.0.114.0/24"]);
    });
    it("removes the offending entries of an inline ACL", () => {
        const r = acl("n", [entry(100, "allow", "tcp", 445, 445), entry(110, "allow", "tcp", 443, 443, "10.0.0.0/8")]);
        remediateResource(highRiskPorts, r, {});
        expect((r.props as any).ingress).toEqual([entry(110, "allow", "tcp", 443, 443, "10.0.0.0/8")]);
    });
    it("never touches a resource with values not known until apply", () => {
        const r = sg("a", [sgRule("tcp", 445, 445, ["0.0.0.0/0"]), sgRule("tcp", 22, 22, [UNKNOWN])]);
        const before = clone(r.props);
        expect(remediateResource(highRiskPorts, r, {})).toBeUndefined();
        expect(r.props).toEqual(before);
    });
    it("never touches a resource with malformed values", () => {
        const r = sg("a", [sgRule("tcp", 445, 445, ["0.0.0.0/0"]), sgRule("tcp", 22, 22, ["10.0.0.0/33"])]);
        expect(remediateResource(highRiskPorts, r, {})).toBeUndefined();
    });
    it("leaves a separate rule resource whose only source is public (it cannot remove itself)", () => {
        const r = res(T.ingressRule, "r", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIpv4: "0.0.0.0/0" });
        expect(remediateResource(highRiskPorts, r, {})).toBeUndefined();
    });
    it("keeps secret fields secret: edits go to the raw objects behind the SDK's proxies", () => {
        const raw = { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0", new Secret("10.1.2.0/24")], description: new Secret("db-password=x") }] };
        const props = unknownCheckingProxy(secretsPreservingProxy(raw) as Record<string, unknown>);
        const out = remediateResource(highRiskPorts, { type: T.sg, urn: "u", name: "a", props }, {});
        expect(out).toBe(props);
        expect(raw.ingress[0].cidrBlocks).toHaveLength(1);
        expect(raw.ingress[0].cidrBlocks[0]).toBeInstanceOf(Secret);
        expect(raw.ingress[0].description).toBeInstanceOf(Secret);
    });
    it("does nothing when the resource already passes", () => {
        expect(remediateResource(highRiskPorts, sg("a", [sgRule("tcp", 443, 443)]), {})).toBeUndefined();
    });
});

describe("stateless-acl-return-traffic remediation", () => {
    it("adds the missing egress reply rule; the ACL then passes and its other entries are unchanged", () => {
        const r = acl("n", [entry(100, "allow", "tcp", 443, 443), entry(110, "allow", "tcp", 1024, 65535)], [entry(100, "allow", "tcp", 443, 443)]);
        const before = clone(r.props) as Record<string, any>;
        remediateResource(statelessAclReturnTraffic, r, {});
        const after = r.props as Record<string, any>;
        expect(after.ingress).toEqual(before.ingress);
        expect(after.egress.slice(0, 1)).toEqual(before.egress);
        expect(after.egress.slice(1)).toEqual([{ ruleNo: 110, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" }]);
        expect(check(statelessAclReturnTraffic, r)).toEqual([]);
    });
    it("numbers the new rule after every existing entry so a deny keeps its meaning", () => {
        const r = acl("n", [entry(100, "allow", "tcp", 443, 443)], [entry(200, "deny", "tcp", 4444, 4444)]);
        remediateResource(statelessAclReturnTraffic, r, { localClients: [] });
        const added = (r.props as any).egress[1];
        expect(added.ruleNo).toBe(210);
        expect(check(statelessAclReturnTraffic, r, { localClients: [] })).toEqual([]);
        expect(check(highRiskPorts, r)).toEqual([]);
    });
    it("adds an IPv6 rule for an IPv6 flow", () => {
        const r = acl("n", [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlock: "::/0" }], []);
        remediateResource(statelessAclReturnTraffic, r, { localClients: [] });
        expect((r.props as any).egress[0]).toMatchObject({ ipv6CidrBlock: "::/0", fromPort: 1024, toPort: 65535 });
    });
    it("leaves gaps that a deny blocks on purpose (no fix that would change the deny's meaning)", () => {
        const r = acl("n", [entry(100, "allow", "tcp", 443, 443)], [entry(50, "deny", "tcp", 32768, 65535), entry(100, "allow", "tcp", 1024, 65535)]);
        const before = clone(r.props);
        expect(remediateResource(statelessAclReturnTraffic, r, { localClients: [], remoteClients: ["linux"] })).toBeUndefined();
        expect(r.props).toEqual(before);
    });
});

describe("remediation wiring", () => {
    it("only the two policies with safe fixes offer remediateResource", () => {
        const withFix = portguardPolicies().filter((p) => typeof p.remediateResource === "function").map((p) => p.name);
        expect(withFix).toEqual(["high-risk-ports", "stateless-acl-return-traffic"]);
    });
});
