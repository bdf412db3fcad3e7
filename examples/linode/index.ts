// Linode cloud firewalls: the first two are what portguard stops, the last one passes.
//
//   pulumi preview --policy-pack ../..  (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/linode    (from the repo root, no Pulumi CLI needed)
//
// Linode firewalls are stateful. Rules apply in list order and the first match wins.
// `inboundPolicy`/`outboundPolicy` decide all other traffic.
import * as linode from "@pulumi/linode";

const anyV4 = ["0.0.0.0/0"];
const anyV6 = ["::/0"];

// inboundPolicy ACCEPT lets in everything the rules do not drop: unrestricted-ingress
// (mandatory) reports `inboundPolicy`. The rules only drop SSH, so high-risk-ports
// (mandatory) reports the policy too.
export const permissive = new linode.Firewall("permissive", {
    label: "permissive",
    inboundPolicy: "ACCEPT",
    outboundPolicy: "ACCEPT",
    inbounds: [{ label: "no-ssh", action: "DROP", protocol: "TCP", ports: "22", ipv4s: anyV4, ipv6s: anyV6 }],
});

// DROP by default, but Remote Desktop and VNC ("3389, 5900-5901") from anywhere:
// exposed-service-ports (advisory) for RDP, and high-risk-ports (mandatory) for VNC.
export const desktops = new linode.Firewall("desktops", {
    label: "desktops",
    inboundPolicy: "DROP",
    outboundPolicy: "ACCEPT",
    inbounds: [{ label: "remote", action: "ACCEPT", protocol: "TCP", ports: "3389, 5900-5901", ipv4s: anyV4 }],
});

// Passes: DROP by default. The first rule drops NetBIOS and SMB (TCP 135-139, 444-445), so
// the broad ACCEPT of TCP 80-450 after it never opens them (first match wins). SSH is
// accepted from the private network only.
export const web = new linode.Firewall("web", {
    label: "web",
    inboundPolicy: "DROP",
    outboundPolicy: "ACCEPT",
    inbounds: [
        { label: "drop-smb", action: "DROP", protocol: "TCP", ports: "135-139, 444-445", ipv4s: anyV4, ipv6s: anyV6 },
        { label: "web", action: "ACCEPT", protocol: "TCP", ports: "80-450", ipv4s: anyV4, ipv6s: anyV6 },
        { label: "ssh", action: "ACCEPT", protocol: "TCP", ports: "22", ipv4s: ["192.168.128.0/17"] },
    ],
});
