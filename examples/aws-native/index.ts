// AWS through the aws-native provider (AWS Cloud Control, CloudFormation shapes): security
// groups portguard stops, beside ones it lets through.
//
//   npm run check -- examples/aws-native   (from the repo root, no Pulumi CLI needed)
//   pulumi preview --policy-pack ../..     (needs the aws-native plugin and credentials)
//
// The program declares the resources by type token with `pulumi.CustomResource` rather than
// importing @pulumi/aws-native (a package of some 14,000 files, too heavy for an example a
// test runs). A policy pack sees exactly the same tokens and inputs as with
// `new awsnative.ec2.SecurityGroup(...)`: the property names below are the SDK's.
import * as pulumi from "@pulumi/pulumi";

/** An aws-native resource, declared by its type token. */
class Declared extends pulumi.CustomResource {
    constructor(token: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(token, name, props, opts);
    }
}

function resource(token: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions): pulumi.CustomResource {
    return new Declared(token, name, props, opts);
}

const vpcId = "vpc-0123456789abcdef0";

// Stops: SMB open to the internet, inline (high-risk-ports, mandatory).
export const files = resource("aws-native:ec2:SecurityGroup", "files", {
    groupDescription: "file servers",
    vpcId,
    securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIp: "0.0.0.0/0" }],
});

// Stops: every protocol from anywhere, as a separate SecurityGroupIngress joined through
// groupId (unrestricted-ingress, high-risk-ports: mandatory; exposed-service-ports: advisory).
export const debug = resource("aws-native:ec2:SecurityGroup", "debug", { groupDescription: "debugging", vpcId });
export const debugAll = resource("aws-native:ec2:SecurityGroupIngress", "debug-all", {
    groupId: debug.id,
    ipProtocol: "-1",
    cidrIpv6: "::/0",
});

// Stops: RDP from a managed prefix list that holds the whole internet (exposed-service-ports, advisory).
export const anyone = resource("aws-native:ec2:PrefixList", "anyone", {
    addressFamily: "IPv4",
    maxEntries: 2,
    prefixListName: "anyone",
    entries: [{ cidr: "0.0.0.0/0", description: "everyone" }],
});
export const admin = resource("aws-native:ec2:SecurityGroup", "admin", {
    groupDescription: "remote desktop",
    vpcId,
    securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 3389, toPort: 3389, sourcePrefixListId: anyone.id }],
});

// Lets through: HTTPS from anywhere, SSH from the VPC only, egress to the VPC.
export const web = resource("aws-native:ec2:SecurityGroup", "web", {
    groupDescription: "web tier",
    vpcId,
    securityGroupIngress: [
        { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIp: "0.0.0.0/0" },
        { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIp: "10.0.0.0/16" },
    ],
    securityGroupEgress: [{ ipProtocol: "-1", cidrIp: "10.0.0.0/16" }],
    tags: [{ key: "team", value: "web" }],
});

// Lets through: an application group whose rules are all separate resources: traffic from
// the web group in, PostgreSQL to the database subnet out.
export const app = resource("aws-native:ec2:SecurityGroup", "app", { groupDescription: "application tier", vpcId });
export const appFromWeb = resource("aws-native:ec2:SecurityGroupIngress", "app-from-web", {
    groupId: app.id,
    ipProtocol: "tcp",
    fromPort: 8443,
    toPort: 8443,
    sourceSecurityGroupId: web.id,
});
export const appToDb = resource("aws-native:ec2:SecurityGroupEgress", "app-to-db", {
    groupId: app.id,
    ipProtocol: "tcp",
    fromPort: 5432,
    toPort: 5432,
    cidrIp: "10.0.20.0/24",
});
