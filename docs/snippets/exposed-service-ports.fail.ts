// Flagged by exposed-service-ports (advisory): SSH, TCP 22, is open to every IPv4 and IPv6 address.
import * as aws from "@pulumi/aws";

export const bastion = new aws.ec2.SecurityGroup("bastion", {
    description: "Bastion host",
    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
});
