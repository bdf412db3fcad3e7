// Passes: the source is the VPC's IPv4 block, an input of the VPC, known during preview.
import * as aws from "@pulumi/aws";

const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });

export const app = new aws.ec2.SecurityGroup("app", {
    vpcId: vpc.id,
    description: "App servers",
    ingress: [{ protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: [vpc.cidrBlock] }],
});
