// The shapes of ../aws-insecure, done right: portguard lets this preview pass.
//
//   pulumi preview --policy-pack ../..    (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/aws-secure  (from the repo root, no Pulumi CLI needed)
import * as aws from "@pulumi/aws";

const vpc = new aws.ec2.Vpc("demo", {
    cidrBlock: "10.0.0.0/16",
    assignGeneratedIpv6CidrBlock: true,
});

// SMB and Remote Desktop only from the private networks of the company.
export const fileServers = new aws.ec2.SecurityGroup("file-servers", {
    vpcId: vpc.id,
    description: "Windows file servers",
    ingress: [
        { protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["10.0.0.0/16"], description: "SMB from the VPC" },
        { protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["10.0.0.0/16", "192.168.10.0/24"], description: "RDP from the VPC and the office" },
    ],
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
});

// All protocols, but only from a private (unique local) IPv6 range.
export const internal = new aws.ec2.SecurityGroup("internal-v6", {
    vpcId: vpc.id,
    description: "Cluster-internal traffic",
    ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["fd12:3456:789a::/48"] }],
});

// The networks admins connect from, kept in one managed prefix list (private CIDRs only).
export const adminNetworks = new aws.ec2.ManagedPrefixList("admin-networks", {
    addressFamily: "IPv4",
    maxEntries: 5,
    entries: [
        { cidr: "10.20.0.0/16", description: "VPN clients" },
        { cidr: "192.168.10.0/24", description: "Office" },
    ],
});

// SSH to the bastion only from the admin networks, as a separate rule resource.
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
    prefixListIds: [adminNetworks.id],
});

// MySQL only from inside the VPC.
export const database = new aws.ec2.SecurityGroup("database", {
    vpcId: vpc.id,
    description: "MySQL servers",
});
export const databaseMysql = new aws.vpc.SecurityGroupIngressRule("database-mysql", {
    securityGroupId: database.id,
    ipProtocol: "tcp",
    fromPort: 3306,
    toPort: 3306,
    cidrIpv4: "10.0.0.0/16",
});

// A stateless network ACL for web servers: HTTPS in, the ephemeral ports in (replies to
// the servers' own outbound connections) and out (replies to HTTPS clients).
export const webAcl = new aws.ec2.NetworkAcl("web-acl", {
    vpcId: vpc.id,
    ingress: [
        { ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" },
        { ruleNo: 110, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" },
    ],
    egress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" }],
});

// A network ACL built from separate rules: the deny at rule 90 comes first and covers
// every address and port the allow at rule 100 would let in, so NetBIOS and MS RPC
// (TCP 135-139) stay closed whatever rule 100 says.
export const legacyAcl = new aws.ec2.NetworkAcl("legacy-acl", { vpcId: vpc.id });
export const legacyDenyNetbios = new aws.ec2.NetworkAclRule("legacy-deny-netbios", {
    networkAclId: legacyAcl.id,
    ruleNumber: 90,
    egress: false,
    protocol: "tcp",
    ruleAction: "deny",
    cidrBlock: "0.0.0.0/0",
    fromPort: 135,
    toPort: 139,
});
export const legacyNetbios = new aws.ec2.NetworkAclRule("legacy-netbios", {
    networkAclId: legacyAcl.id,
    ruleNumber: 100,
    egress: false,
    protocol: "tcp",
    ruleAction: "allow",
    cidrBlock: "10.0.0.0/16",
    fromPort: 135,
    toPort: 139,
});
export const legacyReturn = new aws.ec2.NetworkAclRule("legacy-return", {
    networkAclId: legacyAcl.id,
    ruleNumber: 100,
    egress: true,
    protocol: "tcp",
    ruleAction: "allow",
    cidrBlock: "10.0.0.0/16",
    fromPort: 1024,
    toPort: 65535,
});
