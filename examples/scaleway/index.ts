// Scaleway instance security groups: the first two are what portguard stops, the rest pass.
//
//   pulumi preview --policy-pack ../..  (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/scaleway  (from the repo root, no Pulumi CLI needed)
//
// Rules apply in list order and the first match wins. Traffic no rule matches follows
// inboundDefaultPolicy/outboundDefaultPolicy, and both default to "accept". A group can be
// stateless (`stateful: false`), and its rules can live in a separate SecurityGroupRules
// resource (`externalRules: true`).
import * as scaleway from "@pulumiverse/scaleway";

// No arguments: both default policies are "accept", so everything gets in.
// unrestricted-ingress (mandatory) and high-risk-ports (mandatory) report
// `inboundDefaultPolicy`.
export const allowAll = new scaleway.instance.SecurityGroup("allow-all", {});

// Stateless, drop by default, HTTPS accepted in, and no outbound rule for the replies: the
// server can never answer. stateless-acl-return-traffic (advisory).
export const statelessWeb = new scaleway.instance.SecurityGroup("stateless-web", {
    stateful: false,
    inboundDefaultPolicy: "drop",
    outboundDefaultPolicy: "drop",
    inboundRules: [{ action: "accept", protocol: "TCP", port: 443 }],
});

// Passes: drop by default. SMB is dropped before a broad accept of 440-450 (first match
// wins), and SSH is accepted only from the private network.
export const web = new scaleway.instance.SecurityGroup("web", {
    inboundDefaultPolicy: "drop",
    outboundDefaultPolicy: "accept",
    inboundRules: [
        { action: "drop", protocol: "TCP", portRange: "444-445" },
        { action: "accept", protocol: "TCP", portRange: "440-450" },
        { action: "accept", protocol: "TCP", port: 22, ipRange: "10.0.0.0/8" },
    ],
});

// Passes: stateless, with an outbound rule that lets the replies reach the clients'
// ephemeral ports.
export const statelessApi = new scaleway.instance.SecurityGroup("stateless-api", {
    stateful: false,
    inboundDefaultPolicy: "drop",
    outboundDefaultPolicy: "drop",
    inboundRules: [{ action: "accept", protocol: "TCP", port: 443 }],
    outboundRules: [{ action: "accept", protocol: "TCP", portRange: "1024-65535" }],
});

// Passes: the rules live in a separate SecurityGroupRules resource. portguard joins it to
// the group through `securityGroupId` and judges the whole (the group's drop defaults come
// after the rules).
export const database = new scaleway.instance.SecurityGroup("database", {
    externalRules: true,
    inboundDefaultPolicy: "drop",
    outboundDefaultPolicy: "accept",
});
export const databaseRules = new scaleway.instance.SecurityGroupRules("database-rules", {
    securityGroupId: database.id,
    inboundRules: [{ action: "accept", protocol: "TCP", port: 5432, ipRange: "10.0.0.0/8" }],
});
