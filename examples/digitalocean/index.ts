// DigitalOcean cloud firewalls: the first three are what portguard stops, the last two
// pass.
//
//   pulumi preview --policy-pack ../..     (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/digitalocean (from the repo root, no Pulumi CLI needed)
//
// Each resource's comment says what portguard reports for it. DigitalOcean firewalls are
// stateful, and with no rule in a direction they deny it. Every rule allows: DigitalOcean
// rules have no action, so what no rule permits is blocked.
import * as digitalocean from "@pulumi/digitalocean";

const everywhere = ["0.0.0.0/0", "::/0"];

// Every TCP and UDP port from the whole internet ("1-65535" and "all" both mean every
// port): unrestricted-ingress (mandatory), and high-risk-ports (mandatory) for SMB,
// NetBIOS and the rest of the carrier-blocked list.
export const debug = new digitalocean.Firewall("debug", {
    tags: ["debug"],
    inboundRules: [
        { protocol: "tcp", portRange: "1-65535", sourceAddresses: everywhere },
        { protocol: "udp", portRange: "all", sourceAddresses: everywhere },
    ],
    outboundRules: [{ protocol: "tcp", portRange: "1-65535", destinationAddresses: everywhere }],
});

// SMB (TCP 445) from anywhere: high-risk-ports (mandatory).
export const fileShare = new digitalocean.Firewall("file-share", {
    tags: ["samba"],
    inboundRules: [{ protocol: "tcp", portRange: "445", sourceAddresses: everywhere }],
});

// SSH and MySQL from anywhere: exposed-service-ports (advisory).
export const admin = new digitalocean.Firewall("admin", {
    tags: ["db"],
    inboundRules: [
        { protocol: "tcp", portRange: "22", sourceAddresses: everywhere },
        { protocol: "tcp", portRange: "3306", sourceAddresses: ["0.0.0.0/0"] },
    ],
});

// Passes: web ports from anywhere; SSH only from the Droplets tagged "bastion" (a tag is
// a reference, not public address space); ping from anywhere.
export const web = new digitalocean.Firewall("web", {
    tags: ["web"],
    inboundRules: [
        { protocol: "tcp", portRange: "80", sourceAddresses: everywhere },
        { protocol: "tcp", portRange: "443", sourceAddresses: everywhere },
        { protocol: "tcp", portRange: "22", sourceTags: ["bastion"] },
        { protocol: "icmp", sourceAddresses: everywhere },
    ],
    outboundRules: [
        { protocol: "tcp", portRange: "1-65535", destinationAddresses: everywhere },
        { protocol: "udp", portRange: "53", destinationAddresses: everywhere },
    ],
});

// Passes: a wide range from the private network only (private addresses are not the
// internet).
export const internal = new digitalocean.Firewall("internal", {
    tags: ["internal"],
    inboundRules: [{ protocol: "tcp", portRange: "1-65535", sourceAddresses: ["10.0.0.0/8"] }],
});
