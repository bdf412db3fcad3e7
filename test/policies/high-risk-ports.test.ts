import { describe, it, expect } from "vitest";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { acl, check, entry, res, sg, sgRule, T, UNKNOWN, type Case, type InvalidCase } from "../helpers";
import { runCases } from "./shared";

const valid: Case[] = [
    { name: "TCP 445 open only to a private range passes", resource: sg("a", [sgRule("tcp", 445, 445, ["10.0.0.0/8"])]) },
    { name: "UDP 445 to the internet passes: UDP 445 is not on the seed's list", resource: sg("a", [sgRule("udp", 445, 445)]) },
    { name: "TCP 1433 to the internet passes: only UDP 1433 is high-risk", resource: sg("a", [sgRule("tcp", 1433, 1433)]) },
    { name: "HTTPS 443 to the internet passes", resource: sg("a", [sgRule("tcp", 443, 443), sgRule("tcp", 443, 443, [], { ipv6CidrBlocks: ["::/0"] })]) },
    { name: "a rule allowing only another security group is not public address space", resource: sg("a", [{ protocol: "-1", fromPort: 0, toPort: 0, securityGroups: ["sg-123"] }]) },
    { name: "self-references are not public", resource: sg("a", [{ protocol: "tcp", fromPort: 445, toPort: 445, self: true }]) },
    { name: "ICMP type 8 code 0 is neither malformed nor judged on ports", resource: sg("a", [sgRule("icmp", 8, 0)]) },
    {
        name: "a network ACL deny numbered before the allow fully shadows 445",
        resource: acl("n", [entry(100, "allow", "tcp", 445, 445), entry(90, "deny", "tcp", 440, 450)]),
    },
    {
        name: "AWS's recommended ACL (inbound 1024-65535 for return traffic) passes",
        resource: acl("n", [entry(100, "allow", "tcp", 443, 443), entry(110, "allow", "tcp", 1024, 65535)], [entry(100, "allow", "tcp", 1024, 65535)]),
    },
    { name: "trustedSources make a public office range not count", resource: sg("a", [sgRule("tcp", 445, 445, ["198.18.0.0/15", "203.0.114.0/24"])]), config: { trustedSources: ["203.0.114.0/24"] } },
    { name: "minExposure internet lets a single public /32 through", resource: sg("a", [sgRule("tcp", 445, 445, ["8.8.8.8/32"])]), config: { minExposure: "internet" } },
    { name: "egress rules are not judged unless directions includes egress", resource: sg("a", [], [sgRule("tcp", 445, 445)]) },
    { name: "a config exemption with a reason waives the resource", resource: sg("legacy-smb", [sgRule("tcp", 445, 445)]), config: { exemptions: [{ resource: "legacy-*", reason: "migration ticket OPS-1" }] } },
    {
        name: "a portguard:exempt tag with a reason waives the resource",
        resource: sg("a", [sgRule("tcp", 445, 445)], undefined, { tags: { "portguard:exempt": "high-risk-ports,unrestricted-ingress", "portguard:exempt-reason": "honeypot" } }),
    },
    { name: "custom tcpPorts replace the seed's list", resource: sg("a", [sgRule("tcp", 445, 445)]), config: { tcpPorts: [9999] } },
];

const invalid: InvalidCase[] = [
    { name: "TCP 445 from 0.0.0.0/0 is blocked and named with its service", resource: sg("a", [sgRule("tcp", 445, 445)]), path: "ingress[0]", messageId: "open", data: { firewall: { name: "a", type: "SecurityGroup", kind: "security group" }, rule: { resource: "a", type: "SecurityGroup", path: "ingress[0]" }, ports: [{ protocol: "tcp", ports: "445", count: 1, named: [{ ports: "445", service: "SMB" }] }], sources: { direction: "ingress", tier: "internet", peers: [{ text: "0.0.0.0/0", path: "ingress[0].cidrBlocks[0]" }] } }, messages: ["ingress[0]", "SecurityGroup \"a\"", "TCP 445 (SMB)", "0.0.0.0/0 (ingress[0].cidrBlocks[0])", "the whole internet", "Carriers block", "Fix:"] },
    { name: "protocol -1 to ::/0 opens every high-risk TCP and UDP port", resource: sg("a", [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }]), messageId: "allOpen", data: { ports: [{ protocol: "tcp", ports: expect.stringContaining("42, 135, 137-139") }, { protocol: "udp", ports: expect.stringContaining("135-139") }] }, messages: ["opens every protocol and port from ::/0 (ingress[0].ipv6CidrBlocks[0])", "high-risk ports", "unrestricted-ingress reports this rule", "Fix: replace it with rules for the ports your services need"] },
    { name: "protocol -1 with a narrow port range still covers all ports (ports are ignored)", resource: sg("a", [{ protocol: "-1", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]), messageId: "allOpen", data: { ports: [{ protocol: "tcp", ports: expect.stringContaining("444-445") }, { protocol: "udp", ports: expect.stringContaining("1433-1434") }] }, messages: ["opens every protocol and port"] },
    { name: "a range 440-450 that contains 445 is caught", resource: sg("a", [sgRule("tcp", 440, 450)]), messages: ["TCP 444-445"] },
    { name: "IANA number 6 means TCP", resource: sg("a", [sgRule("6", 445, 445)]), messages: ["TCP 445"] },
    { name: "0.0.0.0/1 plus 128.0.0.0/1 together are the whole internet", resource: sg("a", [sgRule("tcp", 445, 445, ["0.0.0.0/1", "128.0.0.0/1"])]), messages: ["the whole internet"] },
    { name: "10.0.0.0/0 is the whole internet despite its address", resource: sg("a", [sgRule("tcp", 135, 135, ["10.0.0.0/0"])]), messages: ["TCP 135", "the whole internet"] },
    { name: "a single public /32 counts under the default minExposure public", resource: sg("a", [sgRule("tcp", 445, 445, ["8.8.8.8/32"])]), messages: ["8.8.8.8/32", "public addresses"] },
    {
        name: "security-group references and prefix lists beside a public CIDR are named as not public address space",
        resource: sg("a", [sgRule("tcp", 445, 445, ["0.0.0.0/0"], { securityGroups: ["sg-2"], prefixListIds: ["pl-9"] })]),
        messages: ["security group sg-2 (ingress[0].securityGroups[0])", "prefix list pl-9 (ingress[0].prefixListIds[0])", "not counted as public address space"],
    },
    { name: "UDP 137 is high-risk like TCP 137", resource: sg("a", [sgRule("udp", 137, 137)]), messages: ["UDP 137 (NetBIOS)"] },
    {
        name: "an ACL allow-all rule still fails at 135-139 and 445",
        resource: acl("n", [entry(100, "allow", "-1", 0, 0)], [entry(100, "allow", "-1", 0, 0)]),
        path: "ingress[0]",
        messageId: "allOpen",
        data: { ports: [{ protocol: "tcp", ports: expect.stringContaining("135, 137-139, 444-445") }, { protocol: "udp" }] },
        messages: ["opens every protocol and port", "unrestricted-ingress reports this rule"],
    },
    {
        name: "a partly shadowed allow reports only the ports the deny leaves open",
        resource: acl("n", [entry(90, "deny", "tcp", 445, 445), entry(100, "allow", "tcp", 135, 445)]),
        path: "ingress[1]",
        messageId: "open",
        data: { ports: [{ protocol: "tcp", ports: "135, 137-139, 444" }] },
        messages: ["TCP 135 (MS RPC), 137-139 (NetBIOS), 444"],
        not: ["445"],
    },
    {
        name: "a deny numbered AFTER the allow does not shadow it",
        resource: acl("n", [entry(100, "allow", "tcp", 445, 445), entry(110, "deny", "tcp", 445, 445)]),
        messages: ["TCP 445"],
    },
    {
        name: "a deny that covers only part of the sources leaves the rest exposed",
        resource: acl("n", [entry(90, "deny", "tcp", 445, 445, "0.0.0.0/1"), entry(100, "allow", "tcp", 445, 445)]),
        messages: ["TCP 445", "wide"],
    },
    { name: "egress is judged when directions includes egress", resource: sg("a", [], [sgRule("tcp", 445, 445)]), config: { directions: ["ingress", "egress"] }, path: "egress[0]", messages: ["to 0.0.0.0/0", "destinations"] },
    {
        name: "judgeReturnTrafficRules makes the ACL's 1024-65535 rule judged",
        resource: acl("n", [entry(110, "allow", "tcp", 1024, 65535)], [entry(100, "allow", "tcp", 1024, 65535)]),
        config: { judgeReturnTrafficRules: true },
        data: { ports: [{ protocol: "tcp", ports: expect.stringMatching(/^1025, .*4444/) }] },
        messages: ["high-risk TCP: ", "including 1025 (MS RPC)"],
    },
    {
        name: "an explicit ACL allow of 3389-4444 is not a return-traffic rule and is judged",
        resource: acl("n", [entry(100, "allow", "tcp", 3389, 4444)]),
        messages: ["4444"],
    },
    {
        name: "an expired exemption no longer applies and the message says so",
        resource: sg("legacy", [sgRule("tcp", 445, 445)]),
        config: { exemptions: [{ resource: "legacy", reason: "old", expires: "2020-01-31" }] },
        messages: ["TCP 445", "expired on 2020-01-31"],
    },
    {
        name: "an exempt tag without a reason is not honoured and the message says why",
        resource: sg("a", [sgRule("tcp", 445, 445)], undefined, { tags: { "portguard:exempt": "high-risk-ports" } }),
        messages: ["TCP 445", "portguard:exempt-reason is missing"],
    },
    {
        name: "a known 0.0.0.0/0 beside an unknown CIDR is already a certain violation",
        resource: sg("a", [sgRule("tcp", 445, 445, ["0.0.0.0/0", UNKNOWN])]),
        messages: ["TCP 445", "0.0.0.0/0"],
    },
    {
        name: "a separate legacy SecurityGroupRule is judged on its own (allow-only union)",
        resource: res(T.sgRule, "r", { type: "ingress", securityGroupId: UNKNOWN, protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"] }),
        path: "",
        messages: ["SecurityGroupRule \"r\"", "TCP 445", "(cidrBlocks[0])"],
    },
    {
        name: "a vpc SecurityGroupIngressRule with ipProtocol -1 and no ports covers everything",
        resource: res(T.ingressRule, "r", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv6: "::/0" }),
        messageId: "allOpen",
        messages: ["opens every protocol and port from ::/0 (cidrIpv6)"],
    },
];

describe("high-risk-ports", () => {
    runCases(highRiskPorts, valid, invalid);
    it("reports one violation per rule listing every high-risk port of that rule", () => {
        const f = check(highRiskPorts, sg("a", [sgRule("tcp", 135, 139), sgRule("tcp", 445, 445)]));
        expect(f.map((x) => x.path)).toEqual(["ingress[0]", "ingress[1]"]);
        expect(f[0].message).toContain("TCP 135 (MS RPC), 137-139 (NetBIOS)");
        expect(f[0].data).toMatchObject({ ports: [{ protocol: "tcp", ports: "135, 137-139", named: [{ ports: "135", service: "MS RPC" }, { ports: "137-139", service: "NetBIOS" }] }] });
    });
    it("an ACL entry whose action is unknown is not blocked (it may be a deny)", () => {
        expect(check(highRiskPorts, acl("n", [entry(100, UNKNOWN as "allow", "tcp", 445, 445)]))).toEqual([]);
    });
    it("an ACL entry whose rule number is unknown is not blocked (a deny may sit before it)", () => {
        expect(check(highRiskPorts, acl("n", [entry(UNKNOWN as unknown as number, "allow", "tcp", 445, 445)]))).toEqual([]);
    });
    it("never echoes a rule's description", () => {
        const f = check(highRiskPorts, sg("a", [sgRule("tcp", 445, 445, ["0.0.0.0/0"], { description: "password=hunter2" })]));
        expect(f[0].message).not.toContain("hunter2");
    });
});
