// Passes: SSH only from the VPN's address range.
import * as aws from "@pulumi/aws";

export const bastion = new aws.ec2.SecurityGroup("bastion", {
    description: "Bastion host",
    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.20.0.0/16"] }],
});
