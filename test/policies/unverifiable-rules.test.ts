import { describe, it, expect } from "vitest";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { acl, check, checkBoth, entry, res, sg, sgRule, T, UNKNOWN, type Case, type InvalidCase } from "../helpers";
import { runCases } from "./shared";

const valid: Case[] = [
    { name: "a fully known, well-formed group has nothing unverifiable", resource: sg("a", [sgRule("tcp", 22, 22, ["10.0.0.0/8"])]) },
    { name: "an absent or null optional field is not malformed", resource: sg("a", [sgRule("tcp", 22, 22, ["10.0.0.0/8"], { ipv6CidrBlocks: null, prefixListIds: undefined })]) },
    { name: "ICMP type 8 code 0 (fromPort > toPort) is not malformed", resource: sg("a", [sgRule("icmp", 8, 0)]) },
    { name: "an unknown parent id of a separate rule is not a problem", resource: res(T.sgRule, "r", { type: "ingress", securityGroupId: UNKNOWN, protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }) },
    { name: "includeUnknowns false keeps quiet about preview unknowns", resource: sg("a", [sgRule("tcp", 445, 445, [UNKNOWN])]), config: { includeUnknowns: false } },
    { name: "an unknown destination of an AWS egress rule hides no exposure while no policy judges egress", resource: sg("a", [], [sgRule("tcp", 443, 443, [UNKNOWN])]) },
    {
        name: "an unknown destination of a GCP EGRESS firewall is not reported by default",
        resource: res("gcp:compute/firewall:Firewall", "out", { network: "default", direction: "EGRESS", allows: [{ protocol: "tcp", ports: ["443"] }], destinationRanges: [UNKNOWN] }),
    },
    {
        name: "an unknown destination of an Azure Outbound rule is not reported by default",
        resource: res("azure-native:network:NetworkSecurityGroup", "nsg", {
            resourceGroupName: "rg",
            securityRules: [{ name: "out", access: "Allow", direction: "Outbound", priority: 100, protocol: "Tcp", sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: UNKNOWN, destinationPortRange: "443" }],
        }),
    },
];

const invalid: InvalidCase[] = [
    {
        name: "a known TCP 445 with unknown sources says high-risk-ports will block it if they are public",
        resource: sg("a", [sgRule("tcp", 445, 445, [UNKNOWN])]),
        path: "ingress[0]",
        messages: ["TCP 445 (SMB) (high-risk: 445)", "not known until apply (ingress[0].cidrBlocks[0])", "if they are public, high-risk-ports will block the update"],
    },
    { name: "a CIDR with prefix /33 is malformed, with its path", resource: sg("a", [sgRule("tcp", 22, 22, ["10.0.0.0/33"])]), messages: ["ingress[0].cidrBlocks[0]", "prefix length 33"] },
    { name: "port 70000 is malformed", resource: sg("a", [sgRule("tcp", 22, 70000)]), messages: ["ingress[0].toPort", "70000 is outside 0-65535"] },
    { name: "fromPort greater than toPort for TCP is malformed", resource: sg("a", [sgRule("tcp", 90, 80)]), messages: ["fromPort 90 is greater than toPort 80"] },
    { name: "protocol banana is malformed", resource: sg("a", [sgRule("banana", 22, 22)]), messages: ["ingress[0].protocol", "\"banana\" is not a protocol"] },
    { name: "a null inside cidrBlocks is malformed", resource: sg("a", [sgRule("tcp", 22, 22, [null as unknown as string])]), messages: ["ingress[0].cidrBlocks[0] is null inside a list"] },
    { name: "a string where a list belongs is malformed", resource: sg("a", [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: "0.0.0.0/0" }]), messages: ["ingress[0].cidrBlocks is a string, not a list"] },
    { name: "a null rule inside ingress is malformed", resource: sg("a", [null]), messages: ["ingress[0] is null inside the list"] },
    { name: "an unknown protocol during preview cannot be judged", resource: sg("a", [sgRule(UNKNOWN, 22, 22)]), messages: ["ingress[0].protocol is not known until apply"] },
    { name: "an ACL entry with an unknown action is reported", resource: acl("n", [entry(100, UNKNOWN as "allow", "tcp", 445, 445)]), messages: ["ingress[0].action"] },
    {
        name: "with directions [ingress, egress] (as the exposure policies judge egress), an unknown egress destination is reported",
        resource: sg("a", [], [sgRule("tcp", 445, 445, [UNKNOWN])]),
        config: { directions: ["ingress", "egress"] },
        path: "egress[0]",
        messages: ["destinations not known until apply (egress[0].cidrBlocks[0])"],
    },
    {
        name: "an unknown destination of a stateless ACL's egress entry is reported by default (replies need it)",
        resource: acl("n", [], [entry(100, "allow", "tcp", 1024, 65535, UNKNOWN)]),
        path: "egress[0]",
        messages: ["egress[0].cidrBlock"],
    },
    {
        name: "a malformed egress destination is reported whatever the directions (the cloud refuses it)",
        resource: sg("a", [], [sgRule("tcp", 443, 443, ["10.0.0.0/33"])]),
        messages: ["egress[0].cidrBlocks[0]", "prefix length 33"],
    },
    {
        name: "a Tencent DROP without policyIndex is reported: the cloud picks its place, so what it shadows is unknown",
        resource: res("tencentcloud:Security/groupRule:GroupRule", "drop", { securityGroupId: "sg-1", type: "ingress", policy: "DROP", cidrIp: "0.0.0.0/0", ipProtocol: "TCP", portRange: "22" }),
        path: "",
        messageId: "ruleProblems",
        messages: ['GroupRule "drop" is read ambiguously: policyIndex is absent', "Fix: set policyIndex", "the rules around it are judged as if it were absent"],
    },
];

describe("unverifiable-rules", () => {
    runCases(unverifiableRules, valid, invalid);

    it("an unknown deny before an allow makes the allow unverifiable instead of a false block", () => {
        const r = acl("n", [entry(90, "deny", "tcp", 445, 445, UNKNOWN), entry(100, "allow", "tcp", 445, 445)]);
        expect(check(highRiskPorts, r)).toEqual([]);
        const f = check(unverifiableRules, r);
        expect(f.map((x) => x.path)).toEqual(["ingress[0]", "ingress[1]"]);
        expect(f[1].message).toContain("may be shadowed by ingress[0] of NetworkAcl \"n\"");
    });

    it("a group with inline rules and separate rule resources is reported once, at stack level", () => {
        const group = sg("g", []); // explicit empty inline list counts
        const rule = res(T.sgRule, "r", { type: "ingress", securityGroupId: UNKNOWN, protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }, { securityGroupId: [group.urn] });
        const { resource, stack } = checkBoth(unverifiableRules, [group, rule]);
        expect(resource).toEqual([]);
        expect(stack).toHaveLength(1);
        expect(stack[0].urn).toBe(group.urn);
        expect(stack[0].message).toMatch(/declares inline rules and also has 1 rule from separate aws:ec2\/securityGroupRule:SecurityGroupRule resources/);
    });

    it("the other policies still judge every rule as written when inline and separate rules conflict", () => {
        const group = sg("g", [sgRule("tcp", 445, 445)]);
        const rule = res(T.sgRule, "r", { type: "ingress", securityGroupId: UNKNOWN, protocol: "tcp", fromPort: 135, toPort: 135, cidrBlocks: ["0.0.0.0/0"] }, { securityGroupId: [group.urn] });
        const { resource, stack } = checkBoth(highRiskPorts, [group, rule]);
        expect(resource.map((f) => f.message.match(/TCP \d+/)?.[0])).toEqual(["TCP 445", "TCP 135"]);
        expect(stack).toEqual([]);
    });
});
