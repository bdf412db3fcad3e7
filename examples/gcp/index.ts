// Google Cloud VPC firewall rules and a network firewall policy: the first resources are
// what portguard stops, the last ones pass.
//
//   pulumi preview --policy-pack ../..  (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/gcp       (from the repo root, no Pulumi CLI needed)
//
// Each resource's comment says what portguard reports for it. GCP firewall rules are
// stateful. Every `Firewall` resource is a rule of its network, so portguard judges all the
// firewalls of one network together, on the stack: lower priority numbers come first, a
// deny wins over an allow at equal priority, and the network's implied rules (deny all
// ingress, allow all egress, priority 65535) come last. Omitted `ports` means every port.
import * as gcp from "@pulumi/gcp";

const vpc = new gcp.compute.Network("vpc", { autoCreateSubnetworks: false });
const network = vpc.id;

// SMB (TCP 445) from the whole IPv4 internet: high-risk-ports (mandatory).
export const allowSmb = new gcp.compute.Firewall("allow-smb", {
    network,
    sourceRanges: ["0.0.0.0/0"],
    allows: [{ protocol: "tcp", ports: ["445"] }],
});

// TCP with no `ports` is every TCP port: unrestricted-ingress (mandatory), high-risk-ports
// (mandatory) and exposed-service-ports (advisory) all report it, less TCP 135-139, which
// the "deny-netbios" firewall below denies first.
export const allowAllTcp = new gcp.compute.Firewall("allow-all-tcp", {
    network,
    sourceRanges: ["0.0.0.0/0"],
    allows: [{ protocol: "tcp" }],
});

// Remote Desktop from any IPv6 address: exposed-service-ports (advisory).
export const allowRdp = new gcp.compute.Firewall("allow-rdp", {
    network,
    sourceRanges: ["::/0"],
    allows: [{ protocol: "tcp", ports: ["3389"] }],
    targetTags: ["windows"],
});

// A deny that only covers the instances tagged "legacy" does not protect the others:
// Telnet stays open to the internet on every other instance: exposed-service-ports (advisory).
export const denyTelnetLegacy = new gcp.compute.Firewall("deny-telnet-legacy", {
    network,
    priority: 900,
    sourceRanges: ["0.0.0.0/0"],
    denies: [{ protocol: "tcp", ports: ["23"] }],
    targetTags: ["legacy"],
});
export const allowTelnet = new gcp.compute.Firewall("allow-telnet", {
    network,
    sourceRanges: ["0.0.0.0/0"],
    allows: [{ protocol: "tcp", ports: ["23"] }],
});

// Passes: a deny at priority 900 in one Firewall shadows the NetBIOS ports (TCP 135-139)
// of the allow at priority 1000 in another, so only the web ports stay open.
export const denyNetbios = new gcp.compute.Firewall("deny-netbios", {
    network,
    priority: 900,
    sourceRanges: ["0.0.0.0/0"],
    denies: [{ protocol: "tcp", ports: ["135-139"] }],
});
export const allowWeb = new gcp.compute.Firewall("allow-web", {
    network,
    priority: 1000,
    sourceRanges: ["0.0.0.0/0"],
    allows: [{ protocol: "tcp", ports: ["80", "443", "135-139"] }],
    targetTags: ["web"],
});

// Passes: SSH only through Identity-Aware Proxy's range, everything inside the VPC, and
// instances tagged "bastion" (a tag is a reference, not public address space).
export const allowIapSsh = new gcp.compute.Firewall("allow-iap-ssh", {
    network,
    sourceRanges: ["35.235.240.0/20"],
    allows: [{ protocol: "tcp", ports: ["22"] }],
});
export const allowInternal = new gcp.compute.Firewall("allow-internal", {
    network,
    sourceRanges: ["10.128.0.0/9"],
    allows: [{ protocol: "all" }],
});
export const allowFromBastion = new gcp.compute.Firewall("allow-from-bastion", {
    network,
    sourceTags: ["bastion"],
    allows: [{ protocol: "tcp", ports: ["22", "3389"] }],
});

// A network firewall policy with its rules inline. MySQL from anywhere:
// exposed-service-ports (advisory). The SMB allow at 300 is shadowed by the deny at 100;
// the goto_next rule hands everything else to the VPC firewall rules and opens nothing.
export const edgePolicy = new gcp.compute.NetworkFirewallPolicyWithRules("edge-policy", {
    rules: [
        {
            priority: 100,
            action: "deny",
            direction: "INGRESS",
            match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["445"] }] },
        },
        {
            priority: 200,
            action: "allow",
            direction: "INGRESS",
            match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["3306"] }] },
        },
        {
            priority: 300,
            action: "allow",
            direction: "INGRESS",
            match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["443", "445"] }] },
        },
        {
            priority: 1000,
            action: "goto_next",
            direction: "INGRESS",
            match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "all" }] },
        },
    ],
});

// A policy whose rules are separate resources, joined on the stack through the rule's
// `firewallPolicy` property: the VNC allow (TCP 5900, high-risk) from anywhere is
// high-risk-ports (mandatory); the DNS allow from the internal range passes.
export const appPolicy = new gcp.compute.NetworkFirewallPolicy("app-policy", {});
export const appVnc = new gcp.compute.NetworkFirewallPolicyRule("app-vnc", {
    firewallPolicy: appPolicy.name,
    priority: 100,
    action: "allow",
    direction: "INGRESS",
    match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["5900"] }] },
});
export const appDns = new gcp.compute.NetworkFirewallPolicyRule("app-dns", {
    firewallPolicy: appPolicy.name,
    priority: 200,
    action: "allow",
    direction: "INGRESS",
    match: { srcIpRanges: ["10.0.0.0/8"], layer4Configs: [{ ipProtocol: "udp", ports: ["53"] }] },
});
