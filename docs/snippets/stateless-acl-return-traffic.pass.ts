// Passes: each direction lets the other's replies reach the clients' ephemeral ports
// (1024-65535 covers Linux, Windows, NAT gateways, load balancers and Lambda).
import * as aws from "@pulumi/aws";

const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });

export const publicAcl = new aws.ec2.NetworkAcl("public", {
    vpcId: vpc.id,
    ingress: [
        { ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" },
        // Replies to the subnet's own outbound HTTPS calls.
        { ruleNo: 110, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" },
    ],
    egress: [
        // Replies to inbound HTTPS.
        { ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" },
        { ruleNo: 110, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" },
    ],
});
