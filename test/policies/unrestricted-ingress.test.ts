import { describe } from "vitest";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { acl, entry, res, sg, sgRule, T, type Case, type InvalidCase } from "../helpers";
import { runCases } from "./shared";

const valid: Case[] = [
    { name: "exactly 1000 ports passes (maxPorts is inclusive)", resource: sg("a", [sgRule("tcp", 8000, 8999)]) },
    { name: "all ports from a private range passes", resource: sg("a", [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/8"] }]) },
    { name: "all ports from a single public /32 is below minExposure wide", resource: sg("a", [sgRule("tcp", 0, 65535, ["8.8.8.8/32"])]) },
    { name: "all traffic from another security group is not public", resource: sg("a", [{ protocol: "-1", fromPort: 0, toPort: 0, securityGroups: ["sg-9"] }]) },
    { name: "AWS's recommended ACL return rule 1024-65535 is not judged by default", resource: acl("n", [entry(100, "allow", "tcp", 443, 443), entry(110, "allow", "tcp", 1024, 65535)], [entry(100, "allow", "tcp", 1024, 65535)]) },
    { name: "an allow-all shadowed by an earlier deny-all exposes nothing", resource: acl("n", [entry(10, "deny", "-1", 0, 0), entry(100, "allow", "-1", 0, 0)]) },
    { name: "egress all-traffic is not judged by default", resource: sg("a", [], [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]) },
    { name: "ICMP all types to the internet is not a port exposure", resource: sg("a", [sgRule("icmp", -1, -1)]) },
];

const invalid: InvalidCase[] = [
    { name: "protocol -1 to 0.0.0.0/0 exposes all protocols", resource: sg("a", [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]), messages: ["all protocols and ports", "0.0.0.0/0"] },
    { name: "protocol all (as the legacy rule spells it) is all protocols", resource: res(T.sgRule, "r", { type: "ingress", securityGroupId: "sg-1", protocol: "all", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }), messages: ["all protocols and ports"] },
    { name: "1001 TCP ports is one too many", resource: sg("a", [sgRule("tcp", 8000, 9000)]), messageId: "tooManyPorts", data: { ports: [{ protocol: "tcp", ports: "8000-9000", count: 1001 }], maxPorts: 1000 }, messages: ["opens 1001 TCP ports (8000-9000)", "more than the 1000 allowed"] },
    { name: "maxPorts is configurable", resource: sg("a", [sgRule("udp", 5000, 5100)]), config: { maxPorts: 100 }, messages: ["101 UDP ports (5000-5100)", "more than the 100 allowed"] },
    { name: "an ACL allow-all after a narrow deny still exposes everything else", resource: acl("n", [entry(10, "deny", "tcp", 22, 22), entry(100, "allow", "-1", 0, 0)]), path: "ingress[1]", messageId: "allProtocols", data: { ports: [{ protocol: "tcp", ports: "0-21, 23-65535" }, { protocol: "udp", ports: "0-65535" }] }, messages: ["all protocols (of them TCP 0-21, 23-65535 and every UDP port)"] },
    { name: "judgeReturnTrafficRules judges the 1024-65535 return rule", resource: acl("n", [entry(110, "allow", "tcp", 1024, 65535)]), config: { judgeReturnTrafficRules: true }, messages: ["64512 TCP ports (1024-65535)"] },
    { name: "an IPv6 /0 counts as the internet", resource: sg("a", [sgRule("tcp", 0, 65535, [], { ipv6CidrBlocks: ["::/0"] })]), messages: ["::/0", "the whole internet"] },
];

describe("unrestricted-ingress", () => {
    runCases(unrestrictedIngress, valid, invalid);
});
