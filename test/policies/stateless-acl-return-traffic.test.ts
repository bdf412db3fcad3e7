import { describe, it, expect } from "vitest";
import { statelessAclReturnTraffic } from "../../src/policies/stateless-acl-return-traffic";
import { acl, check, entry, sg, sgRule, T, type Case, type InvalidCase } from "../helpers";
import { runCases } from "./shared";

const HTTPS_IN = entry(100, "allow", "tcp", 443, 443);
const RETURN_IN = entry(110, "allow", "tcp", 1024, 65535);
const HTTPS_OUT = entry(100, "allow", "tcp", 443, 443);
const EPHEMERAL_OUT = entry(110, "allow", "tcp", 1024, 65535);

const valid: Case[] = [
    { name: "AWS's recommended ACL (443 and 1024-65535 both ways) passes", resource: acl("n", [HTTPS_IN, RETURN_IN], [HTTPS_OUT, EPHEMERAL_OUT]) },
    { name: "security groups are stateful and never judged", resource: sg("a", [sgRule("tcp", 443, 443)]) },
    {
        name: "deny rules at the high-risk ports in front of the ephemeral allow are tolerated",
        resource: acl("n", [HTTPS_IN], [entry(50, "deny", "tcp", 1025, 1025), entry(51, "deny", "tcp", 4444, 4444), EPHEMERAL_OUT]),
        config: { localClients: [] },
    },
    {
        name: "Linux clients are covered by 32768-60999 (the kernel default), not only by 32768-61000",
        resource: acl("n", [HTTPS_IN], [entry(110, "allow", "tcp", 32768, 60999)]),
        config: { remoteClients: ["linux"], localClients: [] },
    },
    { name: "an ACL with no allow rules has no flows to answer", resource: acl("n", [entry(100, "deny", "-1", 0, 0)], []) },
    { name: "statefulTypes skips ACL types the user knows to be stateful", resource: acl("n", [HTTPS_IN], []), config: { statefulTypes: [T.acl] } },
    {
        name: "replies to a private peer only need to reach that peer",
        resource: acl("n", [entry(100, "allow", "tcp", 5432, 5432, "10.1.0.0/16")], [entry(100, "allow", "tcp", 1024, 65535, "10.0.0.0/8")]),
        config: { localClients: [] },
    },
];

const invalid: InvalidCase[] = [
    {
        name: "inbound 443 with no egress ephemeral rule names every client type and the final deny",
        resource: acl("n", [HTTPS_IN, RETURN_IN], [HTTPS_OUT]),
        path: "ingress[0]",
        messageId: "repliesBlocked",
        data: { direction: "ingress", flows: [{ protocol: "tcp", ports: "443" }], peers: "0.0.0.0/0", fix: { direction: "egress", protocols: ["tcp"], from: 1024, to: 65535, peers: "0.0.0.0/0" } },
        messages: ["lets TCP 443 in from 0.0.0.0/0", "Linux, Windows Server 2003, Windows Server 2008+ and 3 more clients miss TCP 1024-65535", "Fix: add an egress allow for TCP 1024-65535 to 0.0.0.0/0"],
    },
    {
        name: "an egress deny numbered before the ephemeral allow is named as the blocker",
        resource: acl("n", [HTTPS_IN, RETURN_IN], [entry(50, "deny", "tcp", 32768, 65535), EPHEMERAL_OUT]),
        config: { remoteClients: ["linux"], localClients: [] },
        data: { gaps: expect.arrayContaining([expect.objectContaining({ clients: ["Linux"], range: "32768-60999", missing: "32768-60999", blockedBy: { resource: "n", type: "NetworkAcl", path: "egress[0]" } })]) },
        messages: ["clients miss TCP 32768-60999, blocked by egress[0] of NetworkAcl \"n\" (deny)"],
    },
    {
        name: "replies allowed only to 10.0.0.0/8 do not reach internet clients",
        resource: acl("n", [HTTPS_IN], [entry(110, "allow", "tcp", 1024, 65535, "10.0.0.0/8")]),
        config: { localClients: [] },
        messages: ["lets TCP 443 in from 0.0.0.0/0"],
    },
    {
        name: "outbound 443 with no inbound ephemeral rule: replies cannot come back to local clients",
        resource: acl("n", [], [HTTPS_OUT]),
        path: "egress[0]",
        messages: ["lets TCP 443 out to 0.0.0.0/0", "ingress rules do not let the replies reach the local clients' ephemeral ports", "Fix: add an ingress allow for TCP 1024-65535 from 0.0.0.0/0"],
    },
    {
        name: "Windows Server 2008+ clients miss 61000-65535 when only the Linux range is open",
        resource: acl("n", [HTTPS_IN], [entry(110, "allow", "tcp", 32768, 60999)]),
        config: { remoteClients: ["linux", "windows-2008-plus"], localClients: [] },
        data: { gaps: [expect.objectContaining({ clients: ["Windows Server 2008+"], missing: "61000-65535" })] },
        messages: ["Windows Server 2008+ clients miss TCP 61000-65535"],
        not: ["Linux clients"],
    },
    {
        name: "an IPv6 flow needs an IPv6 reply rule",
        resource: acl("n", [entry(100, "allow", "tcp", 443, 443, undefined, { cidrBlock: undefined, ipv6CidrBlock: "::/0" })], [EPHEMERAL_OUT]),
        config: { localClients: [] },
        messages: ["in from ::/0"],
    },
    {
        name: "UDP flows (DNS) need UDP replies",
        resource: acl("n", [entry(100, "allow", "udp", 53, 53)], [EPHEMERAL_OUT]),
        config: { remoteClients: ["nat-gateway"], localClients: [] },
        messages: ["UDP 53", "miss UDP 1024-65535"],
    },
];

describe("stateless-acl-return-traffic", () => {
    runCases(statelessAclReturnTraffic, valid, invalid);
    it("reports one violation per flow rule even when TCP and UDP both miss replies", () => {
        const f = check(statelessAclReturnTraffic, acl("n", [entry(100, "allow", "-1", 0, 0)], []), { localClients: [] });
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("TCP 0-65535 and UDP 0-65535");
    });
});
