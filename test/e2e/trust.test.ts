/**
 * A pass can be trusted, end to end through Pulumi's loader (the built pack, launched as the
 * Pulumi CLI launches it, driven over gRPC): the configurations an adversarial review found
 * passing clean are judged, each named for what it shows.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { analyzer, TIMEOUT, urnFor, usePack, type Diagnostic } from "./harness";

const { UNKNOWN } = analyzer;

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ACL = "aws:ec2/networkAcl:NetworkAcl";
const ACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule";
const urnOf = urnFor("trust-test");
const resource = (type: string, name: string, properties: Record<string, unknown>, propertyDependencies?: Record<string, string[]>) => ({ type, name, urn: urnOf(type, name), properties, ...(propertyDependencies ? { propertyDependencies } : {}) });
const sgRule = (protocol: string, from: number, to: number, cidrBlocks: string[]) => ({ protocol, fromPort: from, toPort: to, cidrBlocks });
const entry = (ruleNo: number, action: string, protocol: string, fromPort: number, toPort: number, cidrBlock = "0.0.0.0/0") => ({ ruleNo, action, protocol, fromPort, toPort, cidrBlock });
const of = (ds: Diagnostic[], policy: string) => ds.filter((d) => d.policyName === policy);

describe("a pass can be trusted: what the red team found passing clean, through the pack", () => {
    const h = usePack();
    beforeEach(async () => {
        await h.configureDefaults();
    });

    it("-1 from 11.0.0.0/9 in one rule and from 11.128.0.0/9 in another open everything to a /8: unrestricted-ingress blocks the group, naming both rules", async () => {
        const ds: Diagnostic[] = await h.pack.analyze(resource(SG, "split-8", { ingress: [sgRule("-1", 0, 0, ["11.0.0.0/9"]), sgRule("-1", 0, 0, ["11.128.0.0/9"])] }));
        const u = of(ds, "unrestricted-ingress");
        expect(u).toHaveLength(1);
        expect(u[0].enforcementLevel).toBe("mandatory");
        expect(u[0].violation).toContain('ingress[0] and ingress[1] of security group "split-8" together allow all protocols and ports from a wide public range');
    }, TIMEOUT);

    it("RDP from 0.0.0.0/1 and from 128.0.0.0/1 is open to the whole internet under minExposure: internet", async () => {
        await h.configureDefaults({ "exposed-service-ports": { enforcementLevel: "mandatory", minExposure: "internet" } });
        const ds: Diagnostic[] = await h.pack.analyze(resource(SG, "rdp-halves", { ingress: [sgRule("tcp", 3389, 3389, ["0.0.0.0/1"]), sgRule("tcp", 3389, 3389, ["128.0.0.0/1"])] }));
        const e = of(ds, "exposed-service-ports");
        expect(e.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
        expect(e[0].violation).toContain("together expose RDP (TCP 3389) from the whole internet");
    }, TIMEOUT);

    it("512 /9 rules that tile the IPv4 space open SMB to the whole internet: high-risk-ports blocks under minExposure: internet", async () => {
        await h.configureDefaults({ "high-risk-ports": { minExposure: "internet" } });
        const tiles = Array.from({ length: 512 }, (_, k) => sgRule("tcp", 445, 445, [`${k >> 1}.${(k & 1) * 128}.0.0/9`]));
        const found = of(await h.pack.analyze(resource(SG, "tiles", { ingress: tiles })), "high-risk-ports");
        expect(found).toHaveLength(1);
        expect(found[0].enforcementLevel).toBe("mandatory");
        expect(found[0].violation).toContain('and 506 more of security group "tiles" together open high-risk TCP 445 (SMB) from the whole internet');
    }, TIMEOUT);

    it("separate ingress rule resources for 0.0.0.0/1 and 128.0.0.0/1 add up at stack level, on the group", async () => {
        await h.configureDefaults({ "high-risk-ports": { minExposure: "internet" } });
        const group = resource(SG, "web", { vpcId: "vpc-1" });
        const rule = (name: string, cidrIpv4: string) => resource(INGRESS_RULE, name, { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIpv4 }, { securityGroupId: [group.urn] });
        const rs = [group, rule("low-half", "0.0.0.0/1"), rule("high-half", "128.0.0.0/1")];
        for (const r of rs) expect(of(await h.pack.analyze(r), "high-risk-ports")).toEqual([]);
        const found = of(await h.pack.analyzeStack(rs), "high-risk-ports");
        expect(found.map((d) => d.urn)).toEqual([group.urn]);
        expect(found[0].violation).toContain('SecurityGroupIngressRule "high-half" and SecurityGroupIngressRule "low-half" of security group "web" together open high-risk TCP 445 (SMB) from the whole internet');
    }, TIMEOUT);

    it("a deny that takes the allow's rule number (AWS refuses the second entry) does not hide TCP 445: blocked, and both entries named", async () => {
        const acl = resource(ACL, "dup", { vpcId: "vpc-1", ingress: [entry(100, "deny", "-1", 0, 0), entry(100, "allow", "tcp", 445, 445)] });
        const ds: Diagnostic[] = await h.pack.analyze(acl);
        expect(of(ds, "high-risk-ports").map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
        const u = of(ds, "unverifiable-rules");
        expect(u.map((d) => d.violation).join("\n")).toContain("has the same ingress rule number or priority (100) as ingress[1]");
    }, TIMEOUT);

    it("separate NetworkAclRule resources with one number: whichever is created first stays, so the deny shadows nothing", async () => {
        const acl = resource(ACL, "legacy", { vpcId: "vpc-1" });
        const rule = (name: string, ruleAction: string, protocol: string, fromPort: number, toPort: number) =>
            resource(ACL_RULE, name, { networkAclId: UNKNOWN, ruleNumber: 100, egress: false, protocol, ruleAction, cidrBlock: "0.0.0.0/0", fromPort, toPort }, { networkAclId: [acl.urn] });
        const ds: Diagnostic[] = await h.pack.analyzeStack([acl, rule("deny-all", "deny", "-1", 0, 0), rule("allow-smb", "allow", "tcp", 445, 445)]);
        expect(of(ds, "high-risk-ports").map((d) => d.urn)).toEqual([urnOf(ACL_RULE, "allow-smb")]);
        expect(of(ds, "unverifiable-rules").map((d) => d.urn).sort()).toEqual([urnOf(ACL_RULE, "allow-smb"), urnOf(ACL_RULE, "deny-all")].sort());
    }, TIMEOUT);

    it("a deny with a malformed CIDR (the cloud refuses it) does not hide TCP 445 behind it", async () => {
        const ds: Diagnostic[] = await h.pack.analyze(resource(ACL, "bad-deny", { vpcId: "vpc-1", ingress: [entry(90, "deny", "-1", 0, 0, "0.0.0.0/33"), entry(100, "allow", "tcp", 445, 445)] }));
        expect(of(ds, "high-risk-ports").map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
        expect(of(ds, "unverifiable-rules").map((d) => d.violation).join("\n")).toContain("ingress[0].cidrBlock");
    }, TIMEOUT);

    it("a deny whose CIDR is merely unknown during preview still may shadow: the allow behind it is named as unverifiable, not blocked", async () => {
        const ds: Diagnostic[] = await h.pack.analyze(resource(ACL, "unknown-deny", { vpcId: "vpc-1", ingress: [entry(90, "deny", "-1", 0, 0, UNKNOWN), entry(100, "allow", "tcp", 445, 445)] }));
        expect(of(ds, "high-risk-ports")).toEqual([]);
        expect(of(ds, "unverifiable-rules").map((d) => d.violation).join("\n")).toContain("may be shadowed by ingress[0]");
    }, TIMEOUT);

    it("an unknown destination of a security group's egress rule is not reported while no policy judges egress", async () => {
        const ds: Diagnostic[] = await h.pack.analyze(resource(SG, "egress-unknown", { ingress: [], egress: [sgRule("tcp", 443, 443, [UNKNOWN])] }));
        expect(ds).toEqual([]);
    }, TIMEOUT);
});
