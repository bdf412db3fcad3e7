// Fails unrestricted-ingress (mandatory): every protocol and port from anywhere.
// (high-risk-ports fails it too: all ports include the high-risk ones.)
import * as aws from "@pulumi/aws";

export const debug = new aws.ec2.SecurityGroup("debug", {
    description: "Temporary debugging access",
    ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
});
