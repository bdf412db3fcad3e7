// Flagged by stateless-acl-return-traffic (advisory): network ACLs are stateless, and this one
// lets HTTPS in but has no outbound rule for the replies, so every connection hangs.
import * as aws from "@pulumi/aws";

const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });

export const publicAcl = new aws.ec2.NetworkAcl("public", {
    vpcId: vpc.id,
    ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" }],
    egress: [],
});
