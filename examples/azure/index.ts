// Azure network security groups (Azure Native): the first four are what portguard stops,
// the last two pass.
//
//   pulumi preview --policy-pack ../..  (from this directory, after `npm install` at the repo root)
//   npm run check -- examples/azure     (from the repo root, no Pulumi CLI needed)
//
// Each resource's comment says what portguard reports for it. NSG rules are stateful and
// evaluated by priority, lowest first; a Deny stops the traffic before later Allows. Azure
// adds its own rules at 65000-65500 (VNet and load balancer in, everything else denied);
// portguard evaluates them but never reports them. `Internet`, `*`, `Any`, `0.0.0.0/0` and
// `::/0` are the internet; `VirtualNetwork`, `AzureLoadBalancer` and other service tags are not.
import * as resources from "@pulumi/azure-native/resources";
import * as network from "@pulumi/azure-native/network";
import type * as types from "@pulumi/azure-native/types";

const group = new resources.ResourceGroup("portguard-demo", { resourceGroupName: "portguard-demo" });
const resourceGroupName = group.name;

/** An Inbound TCP rule from every source port to every local address; several ports go in the plural field. */
function inbound(name: string, priority: number, access: "Allow" | "Deny", ports: string | string[], source?: string): types.input.network.SecurityRuleArgs {
    return {
        name,
        priority,
        access,
        direction: "Inbound",
        protocol: "Tcp",
        sourceAddressPrefix: source,
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        ...(Array.isArray(ports) ? { destinationPortRanges: ports } : { destinationPortRange: ports }),
    };
}

// SMB (TCP 445) from the Internet service tag: high-risk-ports (mandatory).
// Remote Desktop (TCP 3389) from "*": exposed-service-ports (advisory).
export const fileServers = new network.NetworkSecurityGroup("file-servers", {
    resourceGroupName,
    securityRules: [inbound("smb", 100, "Allow", "445", "Internet"), inbound("rdp", 110, "Allow", "3389", "*")],
});

// Every protocol and port from any IPv6 address: unrestricted-ingress (mandatory), and
// every high-risk port with it.
export const debug = new network.NetworkSecurityGroup("debug", {
    resourceGroupName,
    securityRules: [{ ...inbound("everything", 100, "Allow", "*", "::/0"), protocol: "*" }],
});

// A Deny numbered AFTER the Allow does not help: priority 300 is evaluated after 200, so
// MySQL and SQL Server stay open to 0.0.0.0/0: exposed-service-ports (advisory).
export const database = new network.NetworkSecurityGroup("database", {
    resourceGroupName,
    securityRules: [
        inbound("sql", 200, "Allow", ["1433", "3306"], "0.0.0.0/0"),
        inbound("deny-sql", 300, "Deny", ["1433", "3306"], "Internet"),
    ],
});

// SSH from anywhere, written as a standalone SecurityRule. During preview the group's name
// is not known yet; portguard joins the rule to its NSG through the rule's property
// dependencies and judges them together: exposed-service-ports (advisory), on the stack.
export const bastion = new network.NetworkSecurityGroup("bastion", { resourceGroupName });
export const bastionSsh = new network.SecurityRule("bastion-ssh", {
    ...inbound("ssh", 100, "Allow", "22", "Any"),
    priority: 100,
    resourceGroupName,
    networkSecurityGroupName: bastion.name,
});

// Passes: a Deny at priority 100 shadows the SMB port of the broad Allow at 200, so only
// the web ports stay open to the Internet. Remote Desktop only from the virtual network and
// the load balancer probe (service tags, not public address space), SSH only from an office
// range. Outbound keeps Azure's defaults.
export const web = new network.NetworkSecurityGroup("web", {
    resourceGroupName,
    securityRules: [
        inbound("deny-smb", 100, "Deny", "445", "Internet"),
        inbound("web", 200, "Allow", ["80", "443", "445"], "Internet"),
        inbound("rdp-vnet", 300, "Allow", "3389", "VirtualNetwork"),
        inbound("probe", 310, "Allow", "80", "AzureLoadBalancer"),
        inbound("ssh-office", 320, "Allow", "22", "10.20.0.0/16"),
    ],
});

// Passes: an application tier reachable only from the web tier's application security group.
export const webTier = new network.ApplicationSecurityGroup("web-tier", { resourceGroupName });
export const app = new network.NetworkSecurityGroup("app", {
    resourceGroupName,
    securityRules: [
        { ...inbound("from-web", 100, "Allow", "8443"), sourceApplicationSecurityGroups: [{ id: webTier.id }] },
    ],
});
