// Oracle Cloud: security lists and network security groups portguard stops, beside ones it
// lets through.
//
//   pulumi preview --policy-pack ../..   (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/oci        (from the repo root, no Pulumi CLI needed)
//
// OCI rules are allow-only and unordered. Protocols are "all" or IANA numbers ("6" TCP,
// "17" UDP, "1" ICMP). A TCP rule without tcpOptions covers every port. Each rule is stateful
// unless it says `stateless: true`; a stateless rule needs a rule in the other direction for
// its replies.
import * as pulumi from "@pulumi/pulumi";
import * as oci from "@pulumi/oci";

const compartmentId = new pulumi.Config().get("compartmentId") ?? "ocid1.compartment.oc1..example";
const vcn = new oci.core.Vcn("demo", { compartmentId, cidrBlocks: ["10.0.0.0/16"], displayName: "portguard-demo" });

// --- What portguard stops -------------------------------------------------------------------

// TCP without tcpOptions from anywhere: every TCP port is open, high-risk ones included.
// high-risk-ports (mandatory). RDP from anywhere: exposed-service-ports (advisory).
export const legacy = new oci.core.SecurityList("legacy", {
    compartmentId,
    vcnId: vcn.id,
    displayName: "legacy",
    ingressSecurityRules: [
        { protocol: "6", source: "0.0.0.0/0" },
        { protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 3389, max: 3389 } },
    ],
});

// A STATELESS ingress rule for HTTPS with no stateless egress rule for the replies: the
// connections hang. stateless-acl-return-traffic (advisory).
export const edge = new oci.core.SecurityList("edge", {
    compartmentId,
    vcnId: vcn.id,
    displayName: "edge",
    ingressSecurityRules: [{ protocol: "6", source: "0.0.0.0/0", stateless: true, tcpOptions: { min: 443, max: 443 } }],
    egressSecurityRules: [],
});

// An NSG whose separate rule opens every protocol to the internet: unrestricted-ingress
// (mandatory). NSG rules are unordered, so the rule is judged on its own.
export const debugNsg = new oci.core.NetworkSecurityGroup("debug", { compartmentId, vcnId: vcn.id, displayName: "debug" });
export const debugAll = new oci.core.NetworkSecurityGroupSecurityRule("debug-all", {
    networkSecurityGroupId: debugNsg.id,
    direction: "INGRESS",
    protocol: "all",
    source: "0.0.0.0/0",
    sourceType: "CIDR_BLOCK",
});

// --- What portguard lets through ------------------------------------------------------------

// HTTPS from anywhere (stateful: replies pass on their own), SSH only from the VCN, and
// traffic from the Oracle Services Network (a service, not address space).
export const web = new oci.core.SecurityList("web", {
    compartmentId,
    vcnId: vcn.id,
    displayName: "web",
    ingressSecurityRules: [
        { protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 443, max: 443 } },
        { protocol: "6", source: "10.0.0.0/16", tcpOptions: { min: 22, max: 22 } },
        { protocol: "6", source: "all-iad-services-in-oracle-services-network", sourceType: "SERVICE_CIDR_BLOCK" },
    ],
    egressSecurityRules: [{ protocol: "all", destination: "0.0.0.0/0" }],
});

// Stateless HTTPS done right: the egress rule lets the replies reach the clients'
// ephemeral ports (1024-65535).
export const fastPath = new oci.core.SecurityList("fast-path", {
    compartmentId,
    vcnId: vcn.id,
    displayName: "fast-path",
    ingressSecurityRules: [{ protocol: "6", source: "0.0.0.0/0", stateless: true, tcpOptions: { min: 443, max: 443 } }],
    egressSecurityRules: [{ protocol: "6", destination: "0.0.0.0/0", stateless: true, tcpOptions: { min: 1024, max: 65535 } }],
});

// An application tier reachable only from the web tier's NSG (a reference, never public),
// on the NSG rules' nested destinationPortRange.
export const webNsg = new oci.core.NetworkSecurityGroup("web-nsg", { compartmentId, vcnId: vcn.id, displayName: "web" });
export const appNsg = new oci.core.NetworkSecurityGroup("app", { compartmentId, vcnId: vcn.id, displayName: "app" });
export const appFromWeb = new oci.core.NetworkSecurityGroupSecurityRule("app-from-web", {
    networkSecurityGroupId: appNsg.id,
    direction: "INGRESS",
    protocol: "6",
    source: webNsg.id,
    sourceType: "NETWORK_SECURITY_GROUP",
    tcpOptions: { destinationPortRange: { min: 8080, max: 8080 } },
});
