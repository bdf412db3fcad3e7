/**
 * The one rename layer between Terraform and the Pulumi adapters: Terraform type -> Pulumi
 * type token, snake_case keys -> camelCase (as Pulumi's Terraform bridge names them), plus
 * the names the bridge changes beyond camelCase: repeated blocks with singular names become
 * plural (`allow` -> `allows`, `security_rule` -> `securityRules`; `ingress`/`egress` stay)
 * and blocks with at most one item become one object (`tcp_options` -> `tcpOptions`).
 * Attributes left unset, which Terraform writes as null or `""` (the zero value of a string
 * inside a block), are left out as Pulumi inputs leave them out. Nothing else: the Pulumi
 * adapters in src/providers do all the reading.
 */
import { isObject } from "./types";

export interface TfMapping {
    /** The Pulumi type token whose adapter reads this resource. */
    token: string;
    /** Keys (at any depth) the bridge renames beyond camelCase, by their Terraform name. */
    renames?: Record<string, string>;
    /** Keys (at any depth) of blocks or lists with at most one item, which Pulumi holds as one value. */
    single?: string[];
}

const ACL_RULES = { inbound_rule: "inboundRules", outbound_rule: "outboundRules" };
const PLURAL_DIRECTIONS = { ingress: "ingresses", egress: "egresses" };
const OCI_SINGLE = ["tcp_options", "udp_options", "icmp_options", "source_port_range", "destination_port_range"];

/** Terraform resource type -> its Pulumi twin (the bridged provider of the same Terraform provider). */
export const TERRAFORM_TYPES: Readonly<Record<string, TfMapping>> = {
    // AWS (hashicorp/aws -> @pulumi/aws)
    aws_security_group: { token: "aws:ec2/securityGroup:SecurityGroup" },
    aws_default_security_group: { token: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup" },
    aws_security_group_rule: { token: "aws:ec2/securityGroupRule:SecurityGroupRule" },
    aws_vpc_security_group_ingress_rule: { token: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" },
    aws_vpc_security_group_egress_rule: { token: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" },
    aws_network_acl: { token: "aws:ec2/networkAcl:NetworkAcl" },
    aws_default_network_acl: { token: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl" },
    aws_network_acl_rule: { token: "aws:ec2/networkAclRule:NetworkAclRule" },
    aws_ec2_managed_prefix_list: { token: "aws:ec2/managedPrefixList:ManagedPrefixList", renames: { entry: "entries" } },
    aws_ec2_managed_prefix_list_entry: { token: "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry" },
    // Azure (hashicorp/azurerm -> @pulumi/azure, "classic")
    azurerm_network_security_group: { token: "azure:network/networkSecurityGroup:NetworkSecurityGroup", renames: { security_rule: "securityRules" } },
    azurerm_network_security_rule: {
        token: "azure:network/networkSecurityRule:NetworkSecurityRule",
        single: ["source_application_security_group_ids", "destination_application_security_group_ids"],
    },
    // Google Cloud (hashicorp/google -> @pulumi/gcp)
    google_compute_firewall: { token: "gcp:compute/firewall:Firewall", renames: { allow: "allows", deny: "denies" }, single: ["log_config"] },
    google_compute_firewall_policy_rule: { token: "gcp:compute/firewallPolicyRule:FirewallPolicyRule", single: ["match"] },
    google_compute_network_firewall_policy_rule: { token: "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule", single: ["match"] },
    google_compute_region_network_firewall_policy_rule: { token: "gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule", single: ["match"] },
    // Alibaba Cloud (aliyun/alicloud -> @pulumi/alicloud)
    alicloud_security_group: { token: "alicloud:ecs/securityGroup:SecurityGroup" },
    alicloud_security_group_rule: { token: "alicloud:ecs/securityGroupRule:SecurityGroupRule" },
    alicloud_network_acl: { token: "alicloud:vpc/networkAcl:NetworkAcl" },
    alicloud_network_acl_entries: { token: "alicloud:vpc/networkAclEntries:NetworkAclEntries", renames: { ingress: "ingresses", egress: "egresses" } },
    alicloud_ecs_prefix_list: { token: "alicloud:ecs/ecsPrefixList:EcsPrefixList", renames: { entry: "entries" } },
    alicloud_vpc_prefix_list: { token: "alicloud:vpc/prefixList:PrefixList" },
    // Oracle Cloud (oracle/oci -> @pulumi/oci)
    oci_core_security_list: { token: "oci:Core/securityList:SecurityList", single: OCI_SINGLE },
    oci_core_default_security_list: { token: "oci:Core/defaultSecurityList:DefaultSecurityList", single: OCI_SINGLE },
    oci_core_network_security_group: { token: "oci:Core/networkSecurityGroup:NetworkSecurityGroup" },
    oci_core_network_security_group_security_rule: { token: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule", single: OCI_SINGLE },
    // OpenStack (terraform-provider-openstack -> @pulumi/openstack)
    openstack_networking_secgroup_v2: { token: "openstack:networking/secGroup:SecGroup" },
    openstack_networking_secgroup_rule_v2: { token: "openstack:networking/secGroupRule:SecGroupRule" },
    openstack_compute_secgroup_v2: { token: "openstack:compute/secGroup:SecGroup", renames: { rule: "rules" } },
    // DigitalOcean, Hetzner, Linode, Vultr, Scaleway
    digitalocean_firewall: { token: "digitalocean:index/firewall:Firewall", renames: ACL_RULES },
    hcloud_firewall: { token: "hcloud:index/firewall:Firewall", renames: { rule: "rules", apply_to: "applyTos" } },
    linode_firewall: { token: "linode:index/firewall:Firewall", renames: { inbound: "inbounds", outbound: "outbounds", ipv4: "ipv4s", ipv6: "ipv6s" } },
    vultr_firewall_group: { token: "vultr:index/firewallGroup:FirewallGroup" },
    vultr_firewall_rule: { token: "vultr:index/firewallRule:FirewallRule" },
    scaleway_instance_security_group: { token: "scaleway:instance/securityGroup:SecurityGroup", renames: ACL_RULES },
    scaleway_instance_security_group_rules: { token: "scaleway:instance/securityGroupRules:SecurityGroupRules", renames: ACL_RULES },
    // Chinese clouds whose Pulumi providers bridge their Terraform providers
    tencentcloud_security_group: { token: "tencentcloud:Security/group:Group" },
    tencentcloud_security_group_rule: { token: "tencentcloud:Security/groupRule:GroupRule" },
    tencentcloud_security_group_rule_set: { token: "tencentcloud:Security/groupRuleSet:GroupRuleSet", renames: PLURAL_DIRECTIONS },
    tencentcloud_security_group_lite_rule: { token: "tencentcloud:Security/groupLiteRule:GroupLiteRule", renames: PLURAL_DIRECTIONS },
    tencentcloud_vpc_acl: { token: "tencentcloud:Vpc/acl:Acl", renames: PLURAL_DIRECTIONS },
    tencentcloud_vpc_network_acl_quintuple: { token: "tencentcloud:Vpc/networkAclQuintuple:NetworkAclQuintuple", renames: PLURAL_DIRECTIONS, single: ["network_acl_quintuple_set"] },
    huaweicloud_networking_secgroup: { token: "huaweicloud:Vpc/secgroup:Secgroup" },
    huaweicloud_networking_secgroup_rule: { token: "huaweicloud:Vpc/secgroupRule:SecgroupRule" },
    huaweicloud_vpc_network_acl: { token: "huaweicloud:Vpc/networkAcl:NetworkAcl" },
    volcengine_security_group: { token: "volcengine:vpc/securityGroup:SecurityGroup" },
    volcengine_security_group_rule: { token: "volcengine:vpc/securityGroupRule:SecurityGroupRule" },
    volcengine_network_acl: { token: "volcengine:vpc/networkAcl:NetworkAcl" },
    qingcloud_security_group: { token: "qingcloud:index/securityGroup:SecurityGroup" },
    qingcloud_security_group_rule: { token: "qingcloud:index/securityGroupRule:SecurityGroupRule" },
};

/** Map-typed attributes: their keys are data (tag names), never renamed. */
const FREE_MAPS = new Set(["tags", "tags_all", "labels", "effective_labels", "terraform_labels", "freeform_tags", "defined_tags"]);

export function camelCase(key: string): string {
    return key.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function snakeCase(key: string): string {
    return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The Pulumi name of a Terraform key under a mapping. */
export function pulumiKey(m: TfMapping, key: string): string {
    return m.renames?.[key] ?? camelCase(key);
}

/**
 * Terraform values (already carrying unknown and secret markers) -> Pulumi-shaped props.
 * Builds new objects; leaves free maps as they are. A secret's value is renamed inside its
 * marker (a sensitive block keeps its attributes readable), and stays secret.
 */
export function toPulumiProps(m: TfMapping, values: unknown): unknown {
    const single = new Set(m.single ?? []);
    const walk = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(walk);
        if (!isObject(v)) return v;
        if (SECRET_KEY in v) return "value" in v ? { ...v, value: walk(v.value) } : v; // a secret marker
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
            const secret = isObject(x) && SECRET_KEY in x && "value" in x;
            let val = secret ? (x as Record<string, unknown>).value : x;
            // Terraform's zero value for an attribute left unset (`""`, null); Pulumi inputs omit it
            if (val === null || val === "" || val === undefined) continue;
            if (single.has(k) && Array.isArray(val)) {
                if (val.length === 0) continue; // an absent block
                if (val.length === 1) val = val[0];
            }
            const walked = FREE_MAPS.has(k) ? val : walk(val);
            out[pulumiKey(m, k)] = secret ? { ...(x as Record<string, unknown>), value: walked } : walked;
        }
        return out;
    };
    return walk(values);
}

const SECRET_KEY = "4dabf18193072939515e22adb298388d";

/**
 * A Pulumi property path the pack reports (`ingress[0].cidrBlocks[1]`) -> the Terraform
 * attribute path (`ingress[0].cidr_blocks[1]`). Paths that are not property paths (a
 * provider's default rule, several fields) come back unchanged.
 */
export function terraformPath(m: TfMapping, path: string): string {
    if (!/^[A-Za-z0-9_.[\]]+$/.test(path)) return path;
    const back = new Map<string, string>();
    for (const [tf, pu] of Object.entries(m.renames ?? {})) back.set(pu, tf);
    const single = new Set(m.single ?? []);
    return path.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (seg) => {
        const tf = back.get(seg) ?? snakeCase(seg);
        return single.has(tf) ? `${tf}[0]` : tf;
    });
}
