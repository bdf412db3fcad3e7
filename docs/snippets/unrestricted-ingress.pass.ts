// Passes: the internet reaches only HTTP and HTTPS; everything else only from inside the VPC.
import * as aws from "@pulumi/aws";

export const web = new aws.ec2.SecurityGroup("web", {
    description: "Web servers",
    ingress: [
        { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
        { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] },
    ],
});
