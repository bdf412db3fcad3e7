// Tencent Cloud, Huawei Cloud, Volcengine and QingCloud: firewalls portguard stops, beside
// ones it lets through.
//
//   npm run check -- examples/chinese-clouds   (from the repo root, no Pulumi CLI needed)
//   pulumi preview --policy-pack ../..         (needs the providers' plugins installed)
//
// None of these clouds publishes an npm SDK (Tencent, Huawei and Volcengine publish Python
// ones; QingCloud is reached through `pulumi package add terraform-provider yunify/qingcloud`),
// so this program declares the resources by type token with `pulumi.CustomResource` (a thin
// subclass, since TypeScript marks the class abstract). A policy pack sees exactly the same
// tokens and inputs either way.
import * as pulumi from "@pulumi/pulumi";

/** A resource of a provider without an npm SDK, declared by its type token. */
class Declared extends pulumi.CustomResource {
    constructor(token: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(token, name, props, opts);
    }
}

function resource(token: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions): pulumi.CustomResource {
    return new Declared(token, name, props, opts);
}

// =============================================================================================
// Tencent Cloud: security groups are ordered (policyIndex, or list order), ACLs are judged
// stateless and their rules are strings "ACTION#CIDR#PORT#PROTOCOL".

// Stops: every protocol from anywhere (unrestricted-ingress, mandatory).
export const tcDebug = resource("tencentcloud:Security/group:Group", "tc-debug", { name: "debug" });
export const tcDebugAll = resource("tencentcloud:Security/groupRule:GroupRule", "tc-debug-all", {
    securityGroupId: tcDebug.id,
    type: "ingress",
    policy: "ACCEPT",
    ipProtocol: "ALL",
    cidrIp: "0.0.0.0/0",
});

// Stops: an ACL string accepting SMB from anywhere (high-risk-ports, mandatory), and SMB and
// HTTPS in without an outbound rule for their replies (stateless-acl-return-traffic, advisory).
// The description after the fourth # is never read or echoed.
export const tcLegacyAcl = resource("tencentcloud:Vpc/acl:Acl", "tc-legacy-acl", {
    vpcId: "vpc-example",
    name: "legacy",
    ingresses: ["ACCEPT#0.0.0.0/0#445#TCP", "ACCEPT#0.0.0.0/0#443#TCP#HTTPS"],
    egresses: [],
});

// Passes: the group's rule set drops SMB first, then accepts HTTPS and SSH from the office.
export const tcWeb = resource("tencentcloud:Security/group:Group", "tc-web", { name: "web" });
export const tcWebRules = resource("tencentcloud:Security/groupRuleSet:GroupRuleSet", "tc-web-rules", {
    securityGroupId: tcWeb.id,
    ingresses: [
        { action: "DROP", protocol: "TCP", port: "445", cidrBlock: "0.0.0.0/0" },
        { action: "ACCEPT", protocol: "TCP", port: "443", cidrBlock: "0.0.0.0/0" },
        { action: "ACCEPT", protocol: "TCP", port: "22", cidrBlock: "192.168.10.0/24" },
    ],
});

// Passes: HTTPS in, and the ephemeral range out for its replies (and in for outbound calls).
export const tcWebAcl = resource("tencentcloud:Vpc/acl:Acl", "tc-web-acl", {
    vpcId: "vpc-example",
    name: "web",
    ingresses: ["ACCEPT#0.0.0.0/0#443#TCP", "ACCEPT#0.0.0.0/0#1024-65535#TCP"],
    egresses: ["ACCEPT#0.0.0.0/0#443#TCP", "ACCEPT#0.0.0.0/0#1024-65535#TCP"],
});

// =============================================================================================
// Huawei Cloud: security group rules are ordered by priority (1-100) with allow/deny; a rule
// without a remote matches any address of its ethertype. Network ACLs are stateful.

// Stops: RDP from any IPv4 address (no remoteIpPrefix): exposed-service-ports (advisory).
export const hwWindows = resource("huaweicloud:Vpc/secgroup:Secgroup", "hw-windows", { name: "windows" });
export const hwRdp = resource("huaweicloud:Vpc/secgroupRule:SecgroupRule", "hw-rdp", {
    securityGroupId: hwWindows.id,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    ports: "3389",
});

// Passes: a deny of the NetBIOS/SMB ports at priority 1 shadows the broad allow at priority
// 50; SSH only from the VPC.
export const hwApp = resource("huaweicloud:Vpc/secgroup:Secgroup", "hw-app", { name: "app" });
export const hwAppDeny = resource("huaweicloud:Vpc/secgroupRule:SecgroupRule", "hw-app-deny-smb", {
    securityGroupId: hwApp.id,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    ports: "135-139,445",
    action: "deny",
    priority: 1,
    remoteIpPrefix: "0.0.0.0/0",
});
export const hwAppWeb = resource("huaweicloud:Vpc/secgroupRule:SecgroupRule", "hw-app-web", {
    securityGroupId: hwApp.id,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    ports: "80,135-139,443,445",
    priority: 50,
    remoteIpPrefix: "0.0.0.0/0",
});
export const hwAppSsh = resource("huaweicloud:Vpc/secgroupRule:SecgroupRule", "hw-app-ssh", {
    securityGroupId: hwApp.id,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    ports: "22",
    remoteIpPrefix: "10.0.0.0/16",
});

// Passes: Huawei network ACLs are stateful, so HTTPS in needs no outbound rule for replies.
export const hwAcl = resource("huaweicloud:Vpc/networkAcl:NetworkAcl", "hw-acl", {
    name: "web",
    ingressRules: [{ action: "allow", protocol: "tcp", ipVersion: 4, sourceIpAddress: "0.0.0.0/0", destinationPort: "443" }],
    egressRules: [],
});

// =============================================================================================
// Volcengine: security group rules have a policy and a priority; portStart/portEnd -1 is any
// port. Network ACLs are judged stateless (like Alibaba's, whose design they copy).

// Stops: every port of every protocol from anywhere (unrestricted-ingress, mandatory).
export const veDebug = resource("volcengine:vpc/securityGroup:SecurityGroup", "ve-debug", { vpcId: "vpc-example", securityGroupName: "debug" });
export const veDebugAll = resource("volcengine:vpc/securityGroupRule:SecurityGroupRule", "ve-debug-all", {
    securityGroupId: veDebug.id,
    direction: "ingress",
    protocol: "all",
    portStart: -1,
    portEnd: -1,
    cidrIp: "0.0.0.0/0",
});

// Stops: HTTPS in without an egress entry for the replies (stateless-acl-return-traffic).
export const veAcl = resource("volcengine:vpc/networkAcl:NetworkAcl", "ve-acl", {
    vpcId: "vpc-example",
    networkAclName: "web",
    ingressAclEntries: [{ protocol: "tcp", port: "443/443", sourceCidrIp: "0.0.0.0/0", policy: "accept", priority: 1 }],
});

// Passes: HTTPS from anywhere, MySQL only from the VPC.
export const veDb = resource("volcengine:vpc/securityGroup:SecurityGroup", "ve-db", { vpcId: "vpc-example", securityGroupName: "db" });
export const veDbMysql = resource("volcengine:vpc/securityGroupRule:SecurityGroupRule", "ve-db-mysql", {
    securityGroupId: veDb.id,
    direction: "ingress",
    protocol: "tcp",
    portStart: 3306,
    portEnd: 3306,
    cidrIp: "172.16.0.0/16",
});

// =============================================================================================
// QingCloud (the seed's own cloud, via the Terraform bridge): direction 0 = inbound,
// 1 = outbound; priority 0 (the highest) to 100; ports are strings; an empty cidrBlock means
// ANY address.

// Stops: SMB with no cidrBlock, so from any address (high-risk-ports, mandatory).
export const qcFiles = resource("qingcloud:index/securityGroup:SecurityGroup", "qc-files", { name: "files" });
export const qcFilesSmb = resource("qingcloud:index/securityGroupRule:SecurityGroupRule", "qc-files-smb", {
    securityGroupId: qcFiles.id,
    protocol: "tcp",
    action: "accept",
    direction: 0,
    priority: 10,
    fromPort: "445",
    toPort: "445",
});

// Passes: an accept of SMB left over at priority 50 is shadowed by the drop of SMB at
// priority 0 (0 is matched first); HTTPS from anywhere; SSH only from the private network;
// the outbound rule (direction 1) is not inbound exposure.
export const qcWeb = resource("qingcloud:index/securityGroup:SecurityGroup", "qc-web", { name: "web" });
export const qcWebDropSmb = resource("qingcloud:index/securityGroupRule:SecurityGroupRule", "qc-web-drop-smb", {
    securityGroupId: qcWeb.id,
    protocol: "tcp",
    action: "drop",
    priority: 0,
    fromPort: "445",
    toPort: "445",
});
export const qcWebOldSmb = resource("qingcloud:index/securityGroupRule:SecurityGroupRule", "qc-web-old-smb", {
    securityGroupId: qcWeb.id,
    protocol: "tcp",
    action: "accept",
    priority: 50,
    fromPort: "445",
    toPort: "445",
});
export const qcWebSsh = resource("qingcloud:index/securityGroupRule:SecurityGroupRule", "qc-web-ssh", {
    securityGroupId: qcWeb.id,
    protocol: "tcp",
    action: "accept",
    priority: 20,
    fromPort: "22",
    toPort: "22",
    cidrBlock: "192.168.9.0/24",
});
export const qcWebHttps = resource("qingcloud:index/securityGroupRule:SecurityGroupRule", "qc-web-https", {
    securityGroupId: qcWeb.id,
    protocol: "tcp",
    action: "accept",
    priority: 20,
    fromPort: "443",
    toPort: "443",
});
export const qcWebOut = resource("qingcloud:index/securityGroupRule:SecurityGroupRule", "qc-web-out", {
    securityGroupId: qcWeb.id,
    protocol: "tcp",
    action: "accept",
    direction: 1,
    priority: 10,
    fromPort: "1",
    toPort: "65535",
    cidrBlock: "",
});
