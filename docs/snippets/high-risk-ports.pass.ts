// Passes: SMB is reachable only from the private network; the internet gets HTTPS only.
import * as aws from "@pulumi/aws";

export const fileShare = new aws.ec2.SecurityGroup("file-share", {
    description: "Windows file share behind the VPN",
    ingress: [
        { protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["10.0.0.0/8"] },
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
    ],
});
