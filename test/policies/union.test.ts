/**
 * A group's rules are a union: the tier of a port is judged over the sources of every rule that
 * reaches it, inline and in separate rule resources alike, after order and denies.
 */
import { describe, expect, it } from "vitest";
import { highRiskPorts, exposedServicePorts, unrestrictedIngress } from "../../src/policies";
import { check, checkBoth, entry, res, sg, sgRule, T, urnOf } from "../helpers";

describe("tiers are judged over the union of a group's rules", () => {
    it("-1 from 11.0.0.0/9 and -1 from 11.128.0.0/9 open everything to a /8: unrestricted-ingress reports one finding naming both rules", () => {
        const r = sg("split", [sgRule("-1", 0, 0, ["11.0.0.0/9"]), sgRule("-1", 0, 0, ["11.128.0.0/9"])]);
        const f = check(unrestrictedIngress, r);
        expect(f).toHaveLength(1);
        expect(f[0].urn).toBe(r.urn);
        expect(f[0].path).toBe("ingress[0], ingress[1]");
        expect(f[0].messageId).toBe("togetherAllProtocols");
        expect(f[0].data).toMatchObject({ firewall: { name: "split", kind: "security group" }, rules: [{ path: "ingress[0]" }, { path: "ingress[1]" }], direction: "ingress", tier: "wide" });
        expect(f[0].message).toContain('ingress[0] and ingress[1] of security group "split" together allow all protocols and ports from a wide public range');
    });
    it("one rule from 11.0.0.0/8 is still reported on the rule itself, with no union finding", () => {
        const f = check(unrestrictedIngress, sg("one", [sgRule("-1", 0, 0, ["11.0.0.0/8"])]));
        expect(f.map((x) => x.path)).toEqual(["ingress[0]"]);
    });
    it("RDP from 0.0.0.0/1 and 128.0.0.0/1 in two rules is open to the whole internet under minExposure: internet", () => {
        const r = sg("rdp", [sgRule("tcp", 3389, 3389, ["0.0.0.0/1"]), sgRule("tcp", 3389, 3389, ["128.0.0.0/1"])]);
        const f = check(exposedServicePorts, r, { minExposure: "internet" });
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("together expose RDP (TCP 3389) from the whole internet");
    });
    it("SMB from 512 /9 rules that tile the public IPv4 space is blocked by high-risk-ports under minExposure: internet", () => {
        const blocks = Array.from({ length: 512 }, (_, k) => `${k >> 1}.${(k & 1) * 128}.0.0/9`);
        const r = sg("tiles", blocks.map((b) => sgRule("tcp", 445, 445, [b])));
        const f = check(highRiskPorts, r, { minExposure: "internet" });
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain('and 506 more of security group "tiles" together open high-risk TCP 445 (SMB) from the whole internet');
        expect((f[0].data as { rules: unknown[] }).rules).toHaveLength(512);
    });
    it("IPv6 adds up exactly at the wide line: two /33s are a /32's worth (wide), a /33 with a /34 and a /35 is not", () => {
        const v6 = (cidrs: string[]) => sgRule("-1", 0, 0, [], { ipv6CidrBlocks: cidrs });
        const wide = check(unrestrictedIngress, sg("v6", [v6(["2600::/33"]), v6(["2a00::/33"])]));
        expect(wide.map((x) => [x.path, x.messageId])).toEqual([["ingress[0], ingress[1]", "togetherAllProtocols"]]);
        expect(wide[0].data).toMatchObject({ tier: "wide" });
        expect(check(unrestrictedIngress, sg("v6", [v6(["2600::/33"]), v6(["2a00::/34"]), v6(["2b00::/35"])]))).toEqual([]);
    });
    it("two /9s of private space never add up to a public tier", () => {
        expect(check(unrestrictedIngress, sg("private", [sgRule("-1", 0, 0, ["10.0.0.0/9"]), sgRule("-1", 0, 0, ["10.128.0.0/9"])]))).toEqual([]);
    });
    it("trustedSources apply to the union as to a rule: trusting one half leaves less than a /8", () => {
        const r = sg("trusted", [sgRule("-1", 0, 0, ["11.0.0.0/9"]), sgRule("-1", 0, 0, ["11.128.0.0/9"])]);
        expect(check(unrestrictedIngress, r, { trustedSources: ["11.128.0.0/9"] })).toEqual([]);
    });
    it("ports split across rules add up: 1-1000 and 1001-2000 from the internet are 2000 ports for unrestricted-ingress", () => {
        const r = sg("ports", [sgRule("tcp", 1, 1000), sgRule("tcp", 1001, 2000)]);
        const f = check(unrestrictedIngress, r);
        expect(f).toHaveLength(1);
        expect(f[0].messageId).toBe("togetherTooManyPorts");
        expect(f[0].data).toMatchObject({ ports: [{ protocol: "tcp", ports: "1-2000", count: 2000 }], maxPorts: 1000 });
        expect(f[0].message).toContain("together open 2000 TCP ports from the whole internet, more than the 1000 allowed");
    });
    it("the union is judged after order and denies: in an ACL, a deny of 11.128.0.0/9 before the allows keeps them under a /8", () => {
        const acl = res(T.acl, "acl", { vpcId: "vpc-1", ingress: [entry(10, "deny", "-1", 0, 0, "11.128.0.0/9"), entry(20, "allow", "-1", 0, 0, "11.0.0.0/9"), entry(30, "allow", "-1", 0, 0, "11.128.0.0/9")] });
        expect(check(unrestrictedIngress, acl)).toEqual([]);
        const open = res(T.acl, "acl", { vpcId: "vpc-1", ingress: [entry(20, "allow", "-1", 0, 0, "11.0.0.0/9"), entry(30, "allow", "-1", 0, 0, "11.128.0.0/9")] });
        expect(check(unrestrictedIngress, open).map((x) => x.path)).toEqual(["ingress[0], ingress[1]"]);
    });
    it("separate rule resources joined to their group add up at stack level, naming each rule resource", () => {
        const group = res(T.sg, "web", { vpcId: "vpc-1" });
        const rule = (name: string, cidr: string) => res(T.ingressRule, name, { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIpv4: cidr }, { securityGroupId: [group.urn] });
        const { resource, stack } = checkBoth(highRiskPorts, [group, rule("low", "0.0.0.0/1"), rule("high", "128.0.0.0/1")], { minExposure: "internet" });
        expect(resource).toEqual([]);
        expect(stack).toHaveLength(1);
        expect(stack[0].urn).toBe(urnOf(T.sg, "web"));
        expect(stack[0].message).toContain('SecurityGroupIngressRule "high" and SecurityGroupIngressRule "low" of security group "web" together open high-risk TCP 445 (SMB) from the whole internet');
    });
    it("a finding on several rules reads the same whatever order the rules are declared in (the rules by place)", () => {
        const a = sgRule("tcp", 445, 445, ["0.0.0.0/1"]);
        const b = sgRule("tcp", 445, 445, ["128.0.0.0/1"]);
        const c = sgRule("tcp", 22, 22, ["10.0.0.0/8"]);
        const one = check(highRiskPorts, sg("order", [a, c, b]), { minExposure: "internet" });
        const other = check(highRiskPorts, sg("order", [b, c, a]), { minExposure: "internet" });
        expect(one.map((f) => f.path)).toEqual(["ingress[0], ingress[2]"]);
        expect(other.map((f) => f.path)).toEqual(["ingress[0], ingress[2]"]);
        expect(one[0].message).toBe(other[0].message);
    });
    it("a port one rule opens alone is reported on that rule only, even when others reach it too", () => {
        const r = sg("mixed", [sgRule("tcp", 445, 445, ["0.0.0.0/0"]), sgRule("tcp", 445, 445, ["0.0.0.0/1"]), sgRule("tcp", 445, 445, ["128.0.0.0/1"])]);
        expect(check(highRiskPorts, r, { minExposure: "internet" }).map((x) => x.path)).toEqual(["ingress[0]"]);
    });
});
