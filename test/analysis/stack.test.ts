/** Stack-level behaviour: joins of separate rules, prefix lists, inherited tags, no double reports. */
import { describe, it, expect } from "vitest";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { statelessAclReturnTraffic } from "../../src/policies/stateless-acl-return-traffic";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { acl, checkBoth, checkStack, entry, res, sg, T, UNKNOWN } from "../helpers";

const aclRule = (name: string, no: number, action: string, from: number, to: number, aclUrn?: string, extra: Record<string, unknown> = {}) =>
    res(T.aclRule, name, { networkAclId: aclUrn ? UNKNOWN : "acl-existing", ruleNumber: no, ruleAction: action, protocol: "tcp", fromPort: from, toPort: to, cidrBlock: "0.0.0.0/0", ...extra }, aclUrn ? { networkAclId: [aclUrn] } : undefined);

describe("separate network ACL rules", () => {
    const parent = res(T.acl, "acl", { vpcId: UNKNOWN });
    const deny = aclRule("deny-445", 90, "deny", 445, 445, parent.urn);
    const allow = aclRule("allow-all-tcp", 100, "allow", 0, 65535, parent.urn);

    it("are not judged alone at resource level (a deny in another resource may shadow them)", () => {
        const { resource } = checkBoth(highRiskPorts, [parent, deny, allow]);
        expect(resource).toEqual([]);
    });
    it("are joined through propertyDependencies while ids are unknown, and a deny shadows the allow", () => {
        const { stack } = checkBoth(highRiskPorts, [parent, deny, allow]);
        expect(stack).toHaveLength(1);
        expect(stack[0].urn).toBe(allow.urn);
        expect((stack[0].data as { ports: Array<{ ports: string }> }).ports[0].ports).toMatch(/^42, 135, 137-139, 444, 593/);
        expect(stack[0].message).not.toMatch(/444-445|\b445\b/);
    });
    it("rules naming the same literal ACL id are joined even when the ACL is not in the stack", () => {
        const f = checkStack(highRiskPorts, [aclRule("d", 90, "deny", 0, 65535), aclRule("a", 100, "allow", 445, 445)]);
        expect(f).toEqual([]);
    });
    it("a rule with no known parent is judged alone", () => {
        const lone = res(T.aclRule, "lone", { networkAclId: UNKNOWN, ruleNumber: 100, ruleAction: "allow", protocol: "tcp", fromPort: 445, toPort: 445, cidrBlock: "0.0.0.0/0" });
        const f = checkStack(highRiskPorts, [lone]);
        expect(f).toHaveLength(1);
        expect(f[0].urn).toBe(lone.urn);
    });
    it("join to an ACL whose id is known from its outputs", () => {
        const existing = res(T.acl, "acl", { id: "acl-0abc", vpcId: "vpc-1" });
        const r1 = res(T.aclRule, "d", { networkAclId: "acl-0abc", ruleNumber: 1, ruleAction: "deny", protocol: "-1", cidrBlock: "0.0.0.0/0" });
        const r2 = res(T.aclRule, "a", { networkAclId: "acl-0abc", ruleNumber: 2, ruleAction: "allow", protocol: "tcp", fromPort: 445, toPort: 445, cidrBlock: "0.0.0.0/0" });
        expect(checkStack(highRiskPorts, [existing, r1, r2])).toEqual([]);
    });
    it("return traffic is checked on the ACL assembled from separate rules", () => {
        const https = aclRule("https", 100, "allow", 443, 443, parent.urn);
        const f = checkStack(statelessAclReturnTraffic, [parent, https], { localClients: [] });
        expect(f).toHaveLength(1);
        expect(f[0].urn).toBe(https.urn);
        const reply = aclRule("reply", 100, "allow", 1024, 65535, parent.urn, { egress: true });
        expect(checkStack(statelessAclReturnTraffic, [parent, https, reply], { localClients: [] })).toEqual([]);
    });
    it("a joined rule inherits its ACL's portguard:exempt tag", () => {
        const tagged = res(T.acl, "acl", { vpcId: UNKNOWN, tags: { "portguard:exempt": "high-risk-ports", "portguard:exempt-reason": "scanner subnet" } });
        const a = aclRule("a", 100, "allow", 445, 445, tagged.urn);
        expect(checkStack(highRiskPorts, [tagged, a])).toEqual([]);
    });
    it("outputs that echo separate rules inside the ACL's inline lists are not reported twice nor as a conflict", () => {
        const echoed = res(T.acl, "acl", { vpcId: "vpc-1", ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 445, toPort: 445, cidrBlock: "0.0.0.0/0" }] });
        const a = aclRule("a", 100, "allow", 445, 445, echoed.urn);
        const hr = checkStack(highRiskPorts, [echoed, a]);
        expect(hr.map((f) => f.urn)).toEqual([a.urn]);
        expect(checkStack(unverifiableRules, [echoed, a])).toEqual([]);
    });
});

describe("separate security-group rules", () => {
    it("are reported at resource level and not again at stack level", () => {
        const g = sg("g", undefined as unknown as unknown[]);
        const r = res(T.ingressRule, "r", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [g.urn] });
        const { resource, stack } = checkBoth(highRiskPorts, [g, r]);
        expect(resource).toHaveLength(1);
        expect(stack).toEqual([]);
    });
});

describe("managed prefix lists", () => {
    const listWith = (cidrs: string[]) => res(T.prefixList, "pl", { addressFamily: "IPv4", maxEntries: 5, entries: cidrs.map((cidr) => ({ cidr })) });
    const ruleUsing = (pl: { urn: string }) =>
        sg("g", [{ protocol: "tcp", fromPort: 445, toPort: 445, prefixListIds: [UNKNOWN] }], undefined, {});
    it("a prefix list in the stack is resolved to its CIDRs (public entries are flagged)", () => {
        const pl = listWith(["0.0.0.0/0"]);
        const g = { ...ruleUsing(pl), propertyDependencies: { ingress: [pl.urn] } };
        const { resource, stack } = checkBoth(highRiskPorts, [pl, g]);
        expect(resource).toEqual([]); // one resource alone cannot see the list
        expect(stack).toHaveLength(1);
        expect(stack[0].message).toContain("prefix list");
    });
    it("a prefix list of private CIDRs passes", () => {
        const pl = listWith(["10.0.0.0/8"]);
        const g = { ...ruleUsing(pl), propertyDependencies: { ingress: [pl.urn] } };
        expect(checkStack(highRiskPorts, [pl, g])).toEqual([]);
    });
    it("ManagedPrefixListEntry resources add their CIDRs to the list", () => {
        const pl = listWith(["10.0.0.0/8"]);
        const e = res(T.prefixListEntry, "e", { prefixListId: UNKNOWN, cidr: "0.0.0.0/0" }, { prefixListId: [pl.urn] });
        const g = { ...ruleUsing(pl), propertyDependencies: { ingress: [pl.urn] } };
        expect(checkStack(highRiskPorts, [pl, e, g])).toHaveLength(1);
    });
    it("a separate rule naming a list whose id is unknown during preview is not unverifiable, and is resolved in the stack", () => {
        const pl = listWith(["0.0.0.0/0"]);
        const r = res(T.sgRule, "r", { type: "ingress", securityGroupId: UNKNOWN, protocol: "tcp", fromPort: 445, toPort: 445, prefixListIds: [UNKNOWN] }, { prefixListIds: [pl.urn] });
        expect(checkBoth(unverifiableRules, [pl, r])).toEqual({ resource: [], stack: [] });
        const { stack } = checkBoth(highRiskPorts, [pl, r]);
        expect(stack.map((f) => f.urn)).toEqual([r.urn]);
    });
    it("an AWS-managed list outside the stack stays opaque and is not treated as public", () => {
        const g = sg("g", [{ protocol: "tcp", fromPort: 445, toPort: 445, prefixListIds: ["pl-02cd2c6b"] }]);
        expect(checkStack(highRiskPorts, [g])).toEqual([]);
    });
});

describe("inline ACL", () => {
    it("is judged at resource level so pulumi up stops before creating it", () => {
        const n = acl("n", [entry(100, "allow", "tcp", 445, 445)]);
        const { resource, stack } = checkBoth(highRiskPorts, [n]);
        expect(resource).toHaveLength(1);
        expect(stack).toEqual([]);
    });
});
