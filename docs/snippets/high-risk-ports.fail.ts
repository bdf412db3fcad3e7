// Fails high-risk-ports (mandatory): SMB, TCP 445, is open to the whole internet.
// Carriers block 445 and worms scan for it.
import * as aws from "@pulumi/aws";

export const fileShare = new aws.ec2.SecurityGroup("file-share", {
    description: "Windows file share",
    ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"] }],
});
