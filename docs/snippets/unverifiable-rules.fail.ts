// Flagged by unverifiable-rules (advisory) during preview: the source is the VPC's IPv6 block,
// which AWS assigns only when the VPC is created, so no policy can judge the rule yet.
import * as aws from "@pulumi/aws";

const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16", assignGeneratedIpv6CidrBlock: true });

export const app = new aws.ec2.SecurityGroup("app", {
    vpcId: vpc.id,
    description: "App servers",
    ingress: [{ protocol: "tcp", fromPort: 8443, toPort: 8443, ipv6CidrBlocks: [vpc.ipv6CidrBlock] }],
});
