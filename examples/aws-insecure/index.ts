// What portguard is for: every firewall below exposes something it should not.
//
//   pulumi preview --policy-pack ../..     (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/aws-insecure (from the repo root, no Pulumi CLI needed)
//
// Each resource's comment says what portguard reports for it.
import * as aws from "@pulumi/aws";

const vpc = new aws.ec2.Vpc("demo", {
    cidrBlock: "10.0.0.0/16",
    assignGeneratedIpv6CidrBlock: true,
});

// SMB (TCP 445) and Remote Desktop (TCP 3389) open to the whole IPv4 internet.
// 445 is on the carrier-blocked high-risk list: high-risk-ports (mandatory).
// 3389 is an admin port: exposed-service-ports (advisory).
export const fileServers = new aws.ec2.SecurityGroup("file-servers", {
    vpcId: vpc.id,
    description: "Windows file servers",
    ingress: [
        { protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"], description: "SMB" },
        { protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/0"], description: "RDP" },
    ],
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
});

// Every protocol and every port from any IPv6 address: unrestricted-ingress (mandatory),
// and every high-risk port with it.
export const wideOpen = new aws.ec2.SecurityGroup("wide-open-v6", {
    vpcId: vpc.id,
    description: "Temporary debugging group",
    ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }],
});

// SSH from anywhere, written as a separate rule resource attached to the group by id.
// During preview the group's id is unknown; portguard joins the two through the rule's
// property dependencies.
export const bastion = new aws.ec2.SecurityGroup("bastion", {
    vpcId: vpc.id,
    description: "Bastion hosts",
});
export const bastionSsh = new aws.ec2.SecurityGroupRule("bastion-ssh", {
    type: "ingress",
    securityGroupId: bastion.id,
    protocol: "tcp",
    fromPort: 22,
    toPort: 22,
    cidrBlocks: ["0.0.0.0/0"],
});

// MySQL from anywhere through the newer one-rule-per-resource API.
export const database = new aws.ec2.SecurityGroup("database", {
    vpcId: vpc.id,
    description: "MySQL servers",
});
export const databaseMysql = new aws.vpc.SecurityGroupIngressRule("database-mysql", {
    securityGroupId: database.id,
    ipProtocol: "tcp",
    fromPort: 3306,
    toPort: 3306,
    cidrIpv4: "0.0.0.0/0",
});

// A stateless network ACL that lets HTTPS in but has no outbound rule for the ephemeral
// ports the replies go to: the web servers can never answer.
// stateless-acl-return-traffic (advisory).
export const webAcl = new aws.ec2.NetworkAcl("web-acl", {
    vpcId: vpc.id,
    ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" }],
    egress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" }],
});

// A network ACL built from separate rule resources, one of which lets the NetBIOS and
// MS RPC ports (TCP 135-139) in from anywhere: high-risk-ports (mandatory), judged on the
// joined ACL.
export const legacyAcl = new aws.ec2.NetworkAcl("legacy-acl", { vpcId: vpc.id });
export const legacyNetbios = new aws.ec2.NetworkAclRule("legacy-netbios", {
    networkAclId: legacyAcl.id,
    ruleNumber: 100,
    egress: false,
    protocol: "tcp",
    ruleAction: "allow",
    cidrBlock: "0.0.0.0/0",
    fromPort: 135,
    toPort: 139,
});
export const legacyReturn = new aws.ec2.NetworkAclRule("legacy-return", {
    networkAclId: legacyAcl.id,
    ruleNumber: 100,
    egress: true,
    protocol: "tcp",
    ruleAction: "allow",
    cidrBlock: "0.0.0.0/0",
    fromPort: 1024,
    toPort: 65535,
});
