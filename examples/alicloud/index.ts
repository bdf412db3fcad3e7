// Alibaba Cloud: security groups and network ACLs portguard stops, beside ones it lets through.
//
//   pulumi preview --policy-pack ../..   (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/alicloud   (from the repo root, no Pulumi CLI needed)
//
// Alibaba security groups are stateful but ORDERED: every rule has a priority (1-100, lower
// first) and a policy (accept or drop), and at equal priority a drop wins. The rules are
// separate SecurityGroupRule resources, so portguard judges a group once its rules are
// joined (stack level). Network ACLs are stateless: list position is the priority, and
// replies need their own rules.
import * as alicloud from "@pulumi/alicloud";

const vpc = new alicloud.vpc.Network("demo", { vpcName: "portguard-demo", cidrBlock: "10.0.0.0/16" });

// --- What portguard stops -------------------------------------------------------------------

// Every protocol and port ("all" with "-1/-1") from the whole internet:
// unrestricted-ingress (mandatory) and high-risk-ports (mandatory).
export const debug = new alicloud.ecs.SecurityGroup("debug", { vpcId: vpc.id, securityGroupName: "debug" });
export const debugAll = new alicloud.ecs.SecurityGroupRule("debug-all", {
    securityGroupId: debug.id,
    type: "ingress",
    ipProtocol: "all",
    portRange: "-1/-1",
    cidrIp: "0.0.0.0/0",
});

// SMB (TCP 445) from anywhere: high-risk-ports (mandatory). The drop below sits at a lower
// priority (a higher number), so it does not shadow the accept.
export const files = new alicloud.ecs.SecurityGroup("files", { vpcId: vpc.id, securityGroupName: "files" });
export const filesSmb = new alicloud.ecs.SecurityGroupRule("files-smb", {
    securityGroupId: files.id,
    type: "ingress",
    ipProtocol: "tcp",
    portRange: "445/445",
    priority: 10,
    cidrIp: "0.0.0.0/0",
});
export const filesDropLate = new alicloud.ecs.SecurityGroupRule("files-drop-late", {
    securityGroupId: files.id,
    type: "ingress",
    ipProtocol: "all",
    policy: "drop",
    priority: 50,
    cidrIp: "0.0.0.0/0",
});

// A stateless ACL that lets HTTPS in but has no egress entry for the clients' ephemeral
// ports: the replies never leave. Outbound HTTPS has the same problem the other way round
// (no ingress entry for the replies). stateless-acl-return-traffic (advisory), twice.
export const webAcl = new alicloud.vpc.NetworkAcl("web-acl", {
    vpcId: vpc.id,
    networkAclName: "web-acl",
    ingressAclEntries: [{ protocol: "tcp", port: "443/443", sourceCidrIp: "0.0.0.0/0", policy: "accept" }],
    egressAclEntries: [{ protocol: "tcp", port: "443/443", destinationCidrIp: "0.0.0.0/0", policy: "accept" }],
});

// --- What portguard lets through ------------------------------------------------------------

// SMB accepted at priority 10, but a drop of every TCP port at priority 1 comes first: the
// accept never matches public traffic. SSH only from the office range.
export const shielded = new alicloud.ecs.SecurityGroup("shielded", { vpcId: vpc.id, securityGroupName: "shielded" });
export const shieldedDrop = new alicloud.ecs.SecurityGroupRule("shielded-drop", {
    securityGroupId: shielded.id,
    type: "ingress",
    ipProtocol: "tcp",
    portRange: "1/65535",
    policy: "drop",
    priority: 1,
    cidrIp: "0.0.0.0/0",
});
export const shieldedSmb = new alicloud.ecs.SecurityGroupRule("shielded-smb", {
    securityGroupId: shielded.id,
    type: "ingress",
    ipProtocol: "tcp",
    portRange: "445/445",
    priority: 10,
    cidrIp: "0.0.0.0/0",
});

// The admin networks in one ECS prefix list (private ranges), referenced by an SSH rule.
export const adminNetworks = new alicloud.ecs.EcsPrefixList("admin-networks", {
    prefixListName: "admin-networks",
    addressFamily: "IPv4",
    maxEntries: 5,
    entries: [{ cidr: "192.168.10.0/24", description: "office" }],
});
export const shieldedSsh = new alicloud.ecs.SecurityGroupRule("shielded-ssh", {
    securityGroupId: shielded.id,
    type: "ingress",
    ipProtocol: "tcp",
    portRange: "22/22",
    priority: 5,
    prefixListId: adminNetworks.id,
});

// HTTPS in and, for its replies, Alibaba's recommended ephemeral range 1024/65535 out (and
// in, for the replies to outbound HTTPS).
export const goodAcl = new alicloud.vpc.NetworkAcl("good-acl", {
    vpcId: vpc.id,
    networkAclName: "good-acl",
    ingressAclEntries: [
        { protocol: "tcp", port: "443/443", sourceCidrIp: "0.0.0.0/0", policy: "accept" },
        { protocol: "tcp", port: "1024/65535", sourceCidrIp: "0.0.0.0/0", policy: "accept" },
    ],
    egressAclEntries: [
        { protocol: "tcp", port: "443/443", destinationCidrIp: "0.0.0.0/0", policy: "accept" },
        { protocol: "tcp", port: "1024/65535", destinationCidrIp: "0.0.0.0/0", policy: "accept" },
    ],
});
