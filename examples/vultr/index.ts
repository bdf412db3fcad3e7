// Vultr firewall groups: the rules of the first group are what portguard stops, the rules
// of the second pass.
//
//   pulumi preview --policy-pack ../..  (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/vultr     (from the repo root, no Pulumi CLI needed)
//
// Vultr firewalls filter inbound traffic only. They drop by default and their rules can
// only accept. Each rule is its own resource pointing at its group. The address is
// `subnet`/`subnetSize`, and size 0 means every address of the family.
import * as vultr from "@ediri/vultr";

export const legacy = new vultr.FirewallGroup("legacy", { description: "Legacy Windows hosts" });

// Every UDP port from the whole IPv4 internet (no port = all ports): unrestricted-ingress
// (mandatory) and high-risk-ports (mandatory).
export const legacyUdp = new vultr.FirewallRule("legacy-udp", {
    firewallGroupId: legacy.id,
    ipType: "v4",
    protocol: "udp",
    subnet: "0.0.0.0",
    subnetSize: 0,
});

// SMB from the whole IPv6 internet: high-risk-ports (mandatory).
export const legacySmb = new vultr.FirewallRule("legacy-smb", {
    firewallGroupId: legacy.id,
    ipType: "v6",
    protocol: "tcp",
    subnet: "::",
    subnetSize: 0,
    port: "445",
});

// A colon range "3380:3390" that contains Remote Desktop (3389): exposed-service-ports
// (advisory).
export const legacyRdp = new vultr.FirewallRule("legacy-rdp", {
    firewallGroupId: legacy.id,
    ipType: "v4",
    protocol: "tcp",
    subnet: "0.0.0.0",
    subnetSize: 0,
    port: "3380:3390",
});

export const web = new vultr.FirewallGroup("web", { description: "Web servers behind Cloudflare" });

// Passes: every TCP port, but only from Cloudflare's ranges (`source: "cloudflare"`; the
// subnet is then ignored). That is a named set of proxies, not the internet.
export const webCloudflare = new vultr.FirewallRule("web-cloudflare", {
    firewallGroupId: web.id,
    ipType: "v4",
    protocol: "tcp",
    subnet: "0.0.0.0",
    subnetSize: 0,
    source: "cloudflare",
    port: "1:65535",
});

// Passes: HTTPS from anywhere, SSH from one office address.
export const webHttps = new vultr.FirewallRule("web-https", {
    firewallGroupId: web.id,
    ipType: "v4",
    protocol: "tcp",
    subnet: "0.0.0.0",
    subnetSize: 0,
    port: "443",
});
export const webSsh = new vultr.FirewallRule("web-ssh", {
    firewallGroupId: web.id,
    ipType: "v4",
    protocol: "tcp",
    subnet: "203.0.113.10",
    subnetSize: 32,
    port: "22",
});
