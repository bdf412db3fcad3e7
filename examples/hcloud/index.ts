// Hetzner Cloud firewalls: the first two are what portguard stops, the last one passes.
//
//   pulumi preview --policy-pack ../..  (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/hcloud    (from the repo root, no Pulumi CLI needed)
//
// Hetzner firewalls are stateful and allow-only. Inbound traffic is denied unless a rule
// allows it. Outbound traffic is allowed entirely until the first `out` rule exists.
import * as hcloud from "@pulumi/hcloud";

const everywhere = ["0.0.0.0/0", "::/0"];

// Every TCP port ("any") from the whole internet: unrestricted-ingress (mandatory) and
// high-risk-ports (mandatory). NetBIOS over UDP 137-139 from anywhere: high-risk-ports.
export const legacy = new hcloud.Firewall("legacy", {
    labels: { team: "ops" },
    rules: [
        { direction: "in", protocol: "tcp", port: "any", sourceIps: everywhere },
        { direction: "in", protocol: "udp", port: "137-139", sourceIps: everywhere },
    ],
});

// Remote Desktop from anywhere: exposed-service-ports (advisory).
export const windows = new hcloud.Firewall("windows", {
    rules: [{ direction: "in", protocol: "tcp", port: "3389", sourceIps: everywhere }],
});

// Passes: HTTPS and ping from anywhere, SSH only from the private network. With no `out`
// rule, outbound stays open; portguard models that as an implicit rule and does not report
// it as yours.
export const web = new hcloud.Firewall("web", {
    labels: { role: "web" },
    rules: [
        { direction: "in", protocol: "tcp", port: "443", sourceIps: everywhere },
        { direction: "in", protocol: "tcp", port: "22", sourceIps: ["10.0.0.0/16"] },
        { direction: "in", protocol: "icmp", sourceIps: everywhere },
    ],
});

// Attachments only bind servers to a firewall; portguard has nothing to judge here.
export const webServers = new hcloud.FirewallAttachment("web-servers", {
    firewallId: web.id.apply(Number),
    labelSelectors: ["role=web"],
});
