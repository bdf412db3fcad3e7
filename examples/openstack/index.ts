// OpenStack: Neutron security groups portguard stops, beside ones it lets through.
//
//   pulumi preview --policy-pack ../..    (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/openstack   (from the repo root, no Pulumi CLI needed)
//
// Neutron security groups are stateful, allow-only and unordered. A rule with neither
// remoteIpPrefix nor remoteGroupId matches ANY address of its ethertype: it is open to the
// internet. No protocol means every protocol; no port range means every port.
import * as openstack from "@pulumi/openstack";

// --- What portguard stops -------------------------------------------------------------------

// "Temporary" rule with no remote, no protocol and no ports: every protocol and port from
// any IPv4 address. unrestricted-ingress (mandatory) and high-risk-ports (mandatory).
export const debug = new openstack.networking.SecGroup("debug", { description: "debugging" });
export const debugAll = new openstack.networking.SecGroupRule("debug-all", {
    securityGroupId: debug.id,
    direction: "ingress",
    ethertype: "IPv4",
});

// SMB from any IPv6 address (no remoteIpPrefix on an IPv6 rule): high-risk-ports (mandatory).
export const files = new openstack.networking.SecGroup("files", { description: "file servers" });
export const filesSmb = new openstack.networking.SecGroupRule("files-smb-v6", {
    securityGroupId: files.id,
    direction: "ingress",
    ethertype: "IPv6",
    protocol: "tcp",
    portRangeMin: 445,
    portRangeMax: 445,
});

// The deprecated Nova API: MySQL from anywhere. exposed-service-ports (advisory).
export const legacy = new openstack.compute.SecGroup("legacy", {
    description: "legacy database",
    rules: [{ ipProtocol: "tcp", fromPort: 3306, toPort: 3306, cidr: "0.0.0.0/0" }],
});

// --- What portguard lets through ------------------------------------------------------------

// HTTPS from anywhere, SSH only from the management network, and the app port only from
// the web group (a reference). Neutron's default allow-all egress rules stay; portguard
// models them as implicit rules and does not report them as yours.
export const web = new openstack.networking.SecGroup("web", { description: "web servers" });
export const webHttps = new openstack.networking.SecGroupRule("web-https", {
    securityGroupId: web.id,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    portRangeMin: 443,
    portRangeMax: 443,
    remoteIpPrefix: "0.0.0.0/0",
});
export const webSsh = new openstack.networking.SecGroupRule("web-ssh", {
    securityGroupId: web.id,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    portRangeMin: 22,
    portRangeMax: 22,
    remoteIpPrefix: "172.16.0.0/24",
});
export const app = new openstack.networking.SecGroup("app", { description: "application tier", deleteDefaultRules: true });
export const appFromWeb = new openstack.networking.SecGroupRule("app-from-web", {
    securityGroupId: app.id,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    portRangeMin: 8080,
    portRangeMax: 8080,
    remoteGroupId: web.id,
});
