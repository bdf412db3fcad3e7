/**
 * Input formats: detection, and each reader producing the ResourceInputs the pack would get
 * (types, props, names, propertyDependencies, unknowns and secrets), through the one
 * Terraform rename layer.
 */
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { detectFormat, InputError, readDocument, requireFormat, TERRAFORM_TYPES, terraformPath, toPulumiProps, UNKNOWN_SENTINEL, type ScanInput } from "../../src/cli";
import { adapterFor } from "../../src/providers";
import { isUnknown, unwrap } from "../../src/providers/read";
import { fixture, load } from "./helpers";

const byName = (i: ScanInput, name: string) => {
    const r = i.resources.find((x) => x.input.name === name);
    if (!r) throw new Error(`no resource ${name} in ${i.source}`);
    return r;
};
const props = (i: ScanInput, name: string) => byName(i, name).input.props as Record<string, any>;
const SECRET = "4dabf18193072939515e22adb298388d";

describe("format detection", () => {
    it.each([
        ["terraform/aws-insecure.plan.json", "terraform-plan"],
        ["terraform/aws-web-tier.plan.json", "terraform-plan"],
        ["terraform/aws-web-tier.state.json", "terraform-state"],
        ["terraform/azure-nsg.plan.json", "terraform-plan"],
        ["pulumi/aws-insecure.preview.json", "pulumi-preview"],
        ["pulumi/aws-insecure.export.json", "pulumi-export"],
    ])("recognises %s as %s from its shape", (f, format) => {
        expect(detectFormat(JSON.parse(fs.readFileSync(fixture(f), "utf8")))).toBe(format);
    });

    it("reads an empty Terraform state and the DIY backend's checkpoint file", () => {
        expect(detectFormat({ format_version: "1.0" })).toBe("terraform-state");
        const cp = readDocument({ version: 3, checkpoint: { stack: "org/p/dev", latest: { resources: [{ urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", custom: false, type: "pulumi:pulumi:Stack" }] } } }, "cp.json");
        expect(cp.format).toBe("pulumi-export");
        expect(cp.stack).toBe("p/dev");
    });

    it("explains in one line what a raw tfstate, an engine event or an unrelated JSON file is", () => {
        expect(() => requireFormat({ version: 4, terraform_version: "1.9.8", serial: 3, resources: [] }, "terraform.tfstate")).toThrow(/raw Terraform state file.*terraform show -json/);
        expect(() => requireFormat({ sequence: 0, timestamp: 1, preludeEvent: {} }, "ev.json")).toThrow(/engine event/);
        expect(() => requireFormat({ name: "x", version: "1.0.0" }, "package.json")).toThrow(InputError);
        expect(() => requireFormat([1, 2], "a.json")).toThrow(/unknown format/);
    });

    it("rejects stack exports of another version", () => {
        expect(() => readDocument({ version: 2, deployment: { resources: [] } }, "old.json")).toThrow(/version 2 is not supported/);
    });
});

describe("the Terraform rename layer", () => {
    it("maps every Terraform type to a Pulumi token that an adapter in src/providers reads", () => {
        const missing = Object.entries(TERRAFORM_TYPES)
            .filter(([, m]) => !adapterFor(m.token))
            .map(([t, m]) => `${t} -> ${m.token}`);
        expect(missing).toEqual([]);
    });

    it("camelCases keys at every depth, pluralises singular repeated blocks and keeps ingress/egress", () => {
        expect(toPulumiProps(TERRAFORM_TYPES.google_compute_firewall, { source_ranges: ["0.0.0.0/0"], allow: [{ protocol: "tcp", ports: ["22"] }], deny: [] })).toEqual({
            sourceRanges: ["0.0.0.0/0"],
            allows: [{ protocol: "tcp", ports: ["22"] }],
            denies: [],
        });
        expect(toPulumiProps(TERRAFORM_TYPES.aws_security_group, { ingress: [{ cidr_blocks: ["10.0.0.0/8"], ipv6_cidr_blocks: [], from_port: 22 }] })).toEqual({
            ingress: [{ cidrBlocks: ["10.0.0.0/8"], ipv6CidrBlocks: [], fromPort: 22 }],
        });
        expect(toPulumiProps(TERRAFORM_TYPES.azurerm_network_security_group, { security_rule: [{ source_address_prefix: "*" }] })).toEqual({ securityRules: [{ sourceAddressPrefix: "*" }] });
        expect(toPulumiProps(TERRAFORM_TYPES.linode_firewall, { inbound: [{ ipv4: ["0.0.0.0/0"] }] })).toEqual({ inbounds: [{ ipv4s: ["0.0.0.0/0"] }] });
        expect(toPulumiProps(TERRAFORM_TYPES.tencentcloud_vpc_acl, { vpc_id: "vpc-1", ingress: ["ACCEPT#0.0.0.0/0#445#TCP"] })).toEqual({ vpcId: "vpc-1", ingresses: ["ACCEPT#0.0.0.0/0#445#TCP"] });
        expect(toPulumiProps(TERRAFORM_TYPES.tencentcloud_vpc_network_acl_quintuple, { network_acl_quintuple_set: [{ ingress: [{ destination_port: "445" }] }] })).toEqual({ networkAclQuintupleSet: { ingresses: [{ destinationPort: "445" }] } });
    });

    it("flattens blocks with at most one item, keeps tag keys as they are and leaves out Terraform's unset zero values", () => {
        expect(toPulumiProps(TERRAFORM_TYPES.oci_core_security_list, { ingress_security_rules: [{ tcp_options: [{ min: 22, max: 22, source_port_range: [] }], udp_options: [] }], freeform_tags: { cost_center: "x" } })).toEqual({
            ingressSecurityRules: [{ tcpOptions: { min: 22, max: 22 } }],
            freeformTags: { cost_center: "x" },
        });
        expect(toPulumiProps(TERRAFORM_TYPES.azurerm_network_security_rule, { source_application_security_group_ids: ["/subscriptions/1/asg"], description: null, destination_address_prefix: "" })).toEqual({
            sourceApplicationSecurityGroupIds: "/subscriptions/1/asg",
        });
    });

    it("maps the pack's property paths back to Terraform attribute paths", () => {
        expect(terraformPath(TERRAFORM_TYPES.aws_security_group, "ingress[1].cidrBlocks[0]")).toBe("ingress[1].cidr_blocks[0]");
        expect(terraformPath(TERRAFORM_TYPES.google_compute_firewall, "allows[0].ports[1]")).toBe("allow[0].ports[1]");
        expect(terraformPath(TERRAFORM_TYPES.azurerm_network_security_group, "securityRules[2].sourceAddressPrefix")).toBe("security_rule[2].source_address_prefix");
        expect(terraformPath(TERRAFORM_TYPES.oci_core_security_list, "ingressSecurityRules[0].tcpOptions.min")).toBe("ingress_security_rules[0].tcp_options[0].min");
        expect(terraformPath(TERRAFORM_TYPES.aws_security_group, "(default rule X)")).toBe("(default rule X)");
    });
});

describe("terraform show -json (plan)", () => {
    const plan = load("terraform/aws-insecure.plan.json");

    it("walks child modules and names resources by address, with synthetic URNs of the Pulumi token", () => {
        const r = byName(plan, "module.legacy.aws_network_acl_rule.netbios");
        expect(r.input.type).toBe("aws:ec2/networkAclRule:NetworkAclRule");
        expect(r.input.urn).toBe(`urn:pulumi:${plan.stack}::terraform::aws:ec2/networkAclRule:NetworkAclRule::module.legacy.aws_network_acl_rule.netbios`);
        expect(r.sourceType).toBe("aws_network_acl_rule");
        expect(plan.resources.map((x) => x.input.name)).toHaveLength(11);
    });

    it("turns after_unknown into the engine's unknown sentinel and leaves out what only the provider computes", () => {
        const rule = props(plan, "aws_security_group_rule.bastion_ssh");
        expect(rule.securityGroupId).toBe(UNKNOWN_SENTINEL);
        expect(rule).not.toHaveProperty("sourceSecurityGroupId"); // computed, not in the configuration
        expect(rule).not.toHaveProperty("id");
        const bastion = props(plan, "aws_security_group.bastion");
        expect(bastion).not.toHaveProperty("ingress"); // `(known after apply)` because no ingress block is written
        expect(bastion.vpcId).toBe(UNKNOWN_SENTINEL);
        expect(props(plan, "aws_security_group.file_servers").ingress[0]).toEqual({ cidrBlocks: ["0.0.0.0/0"], description: "SMB", fromPort: 445, ipv6CidrBlocks: [], prefixListIds: [], protocol: "tcp", securityGroups: [], self: false, toPort: 445 });
    });

    it("keeps sensitive values as secrets with their plaintext: known to the adapters, marked so no output prints them", () => {
        const d = props(plan, "aws_security_group_rule.bastion_ssh").description;
        expect(d).toHaveProperty(SECRET);
        expect(isUnknown(d)).toBe(false);
        expect(unwrap(d)).toBe("SSH for the on-call team");
        expect(plan.secretWord).toBe("[sensitive]");
        expect(plan.secrets?.has("SSH for the on-call team")).toBe(true);
    });

    it("translates configuration references into the referenced resources' URNs, through module variables", () => {
        const sg = byName(plan, "aws_security_group.bastion").input.urn;
        expect(byName(plan, "aws_security_group_rule.bastion_ssh").input.propertyDependencies).toEqual({ securityGroupId: [sg] });
        const acl = byName(plan, "module.legacy.aws_network_acl.this").input;
        expect(byName(plan, "module.legacy.aws_network_acl_rule.return").input.propertyDependencies).toEqual({ networkAclId: [acl.urn] });
        expect(acl.propertyDependencies).toEqual({ vpcId: [byName(plan, "aws_vpc.demo").input.urn] }); // var.vpc_id -> module call -> aws_vpc.demo
    });

    const web = load("terraform/aws-web-tier.plan.json");

    it("joins for_each instances, module outputs and module variables, and skips data sources and destroyed resources", () => {
        const sg = byName(web, "module.web[0].aws_security_group.this").input.urn;
        expect(byName(web, 'module.web[0].aws_vpc_security_group_ingress_rule.this["smb"]').input.propertyDependencies).toEqual({ securityGroupId: [sg] });
        expect(byName(web, "aws_security_group_rule.nat_rdp").input.propertyDependencies).toEqual({ cidrBlocks: [byName(web, "aws_eip.nat").input.urn], securityGroupId: [sg] });
        const pl = byName(web, "aws_ec2_managed_prefix_list.office").input;
        expect(byName(web, "module.web[0].aws_vpc_security_group_ingress_rule.admin_ssh").input.propertyDependencies?.prefixListId).toEqual([pl.urn]);
        expect((pl.props as Record<string, unknown>).entries).toEqual([{ cidr: "0.0.0.0/0", description: "temporary: travelling staff" }, { cidr: "198.51.100.0/24", description: "HQ" }]);
        expect(web.resources.some((r) => r.input.name.includes("old_vnc") || r.input.name.includes("data."))).toBe(false);
        expect(web.skipped).toBe(2);
    });

    it("keeps inline rules the configuration sets, even next to separate rules (the conflict is the pack's to report)", () => {
        expect(props(web, "aws_security_group.api").ingress).toHaveLength(1);
    });
});

describe("terraform show -json (state)", () => {
    const state = load("terraform/aws-web-tier.state.json");

    it("reads values as outputs, with literal ids for the joins and no propertyDependencies", () => {
        const r = byName(state, 'module.web[0].aws_vpc_security_group_ingress_rule.this["smb"]');
        expect(r.fromOutputs).toBe(true);
        expect((r.input.props as Record<string, unknown>).securityGroupId).toBe("sg-0123456789abcdef0");
        expect(r.input.propertyDependencies).toBeUndefined();
        expect(props(state, "module.web[0].aws_security_group.this").id).toBe("sg-0123456789abcdef0");
    });

    it("leaves out a group's rule list that only echoes its separate rule resources", () => {
        expect(props(state, "module.web[0].aws_security_group.this")).not.toHaveProperty("ingress");
        expect(props(state, "module.web[0].aws_security_group.this").egress).toEqual([]);
        expect(props(state, "aws_network_acl.legacy")).not.toHaveProperty("ingress");
        expect(props(state, "aws_network_acl.legacy")).not.toHaveProperty("egress");
    });

    it("turns sensitive_values into secrets that keep their known value", () => {
        const cidr = props(state, "module.web[0].aws_vpc_security_group_ingress_rule.partner").cidrIpv4;
        expect(cidr).toHaveProperty(SECRET);
        expect(unwrap(cidr)).toBe("203.0.113.0/24");
    });
});

describe("pulumi preview --json and pulumi stack export", () => {
    const preview = load("pulumi/aws-insecure.preview.json");
    const exported = load("pulumi/aws-insecure.export.json");

    it("takes each step's new state: inputs, name from the URN, propertyDependencies, parent", () => {
        const r = byName(preview, "bastion-ssh");
        expect(preview.stack).toBe("portguard-aws-insecure/dev");
        expect(r.input.type).toBe("aws:ec2/securityGroupRule:SecurityGroupRule");
        expect((r.input.props as Record<string, unknown>).securityGroupId).toBe(UNKNOWN_SENTINEL);
        expect(r.input.propertyDependencies?.securityGroupId).toEqual(["urn:pulumi:dev::portguard-aws-insecure::aws:ec2/securityGroup:SecurityGroup::bastion"]);
        expect(r.parent).toBe("urn:pulumi:dev::portguard-aws-insecure::pulumi:pulumi:Stack::portguard-aws-insecure-dev");
    });

    it("turns the preview's [secret] into a secret the adapters read as unknown", () => {
        const cidr = props(preview, "partner-sftp").cidrBlocks[0];
        expect(cidr).toHaveProperty(SECRET);
        expect(isUnknown(cidr)).toBe(true);
    });

    it("keeps an export's secrets as ciphertext and adds the resource id to its inputs", () => {
        const p = props(exported, "partner-sftp");
        expect(p.cidrBlocks[0]).toHaveProperty("ciphertext");
        expect(isUnknown(p.cidrBlocks[0])).toBe(true);
        expect(p.securityGroupId).toBe("sg-0b1a2c3d4e5f60718");
        expect(props(exported, "bastion").id).toBe("sg-0b1a2c3d4e5f60718");
        expect(props(exported, "bastion")).not.toHaveProperty("ingress"); // inputs, not the outputs' echo
    });

    it("falls back to the parent when an old export has no propertyDependencies", () => {
        const sg = "urn:pulumi:dev::p::aws:ec2/securityGroup:SecurityGroup::web";
        const rule = "urn:pulumi:dev::p::aws:ec2/securityGroup:SecurityGroup$aws:ec2/securityGroupRule:SecurityGroupRule::ssh";
        const i = readDocument(
            {
                version: 3,
                deployment: {
                    resources: [
                        { urn: sg, custom: true, id: "sg-1", type: "aws:ec2/securityGroup:SecurityGroup", inputs: {} },
                        { urn: rule, custom: true, id: "sgrule-1", type: "aws:ec2/securityGroupRule:SecurityGroupRule", inputs: { securityGroupId: "sg-1", type: "ingress" }, parent: sg },
                        { urn: "urn:pulumi:dev::p::aws:ec2/securityGroup:SecurityGroup::old", custom: true, id: "sg-0", type: "aws:ec2/securityGroup:SecurityGroup", inputs: {}, delete: true },
                    ],
                },
            },
            "old.json",
        );
        expect(i.resources.find((r) => r.input.urn === rule)?.input.propertyDependencies).toEqual({ securityGroupId: [sg], type: [sg], id: [sg] });
        expect(i.resources).toHaveLength(2);
        expect(i.skipped).toBe(1);
    });

    it("drops resources a preview deletes and keeps the last state of replaced ones", () => {
        const u = "urn:pulumi:dev::p::aws:ec2/securityGroup:SecurityGroup::a";
        const i = readDocument(
            {
                steps: [
                    { op: "same", urn: u, newState: { urn: u, custom: true, type: "aws:ec2/securityGroup:SecurityGroup", inputs: { description: "old" } } },
                    { op: "replace", urn: u, newState: { urn: u, custom: true, type: "aws:ec2/securityGroup:SecurityGroup", inputs: { description: "new" } } },
                    { op: "delete", urn: "urn:pulumi:dev::p::aws:ec2/securityGroup:SecurityGroup::gone" },
                ],
            },
            "p.json",
        );
        expect(i.resources.map((r) => (r.input.props as Record<string, unknown>).description)).toEqual(["new"]);
    });
});

describe("terraform plan configuration lookups", () => {
    // One plan: module "m" with three for_each instances (one key holds `[` and `]`), each with a
    // group; root rules reference the module output without and with an instance key, and a
    // root group declared twice in the configuration (the first declaration is the one read).
    const sgType = "aws_security_group";
    const ruleType = "aws_security_group_rule";
    const inst = (address: string, type: string, name: string, values: Record<string, unknown>, unknown: Record<string, unknown>) => ({
        planned: { address, mode: "managed", type, name, values, sensitive_values: {} },
        change: { address, mode: "managed", type, name, change: { actions: ["create"], before: null, after: values, after_unknown: unknown, after_sensitive: {} } },
    });
    const keys = ['["b"]', '["a[1]"]', "[0]"];
    const sgs = keys.map((k) => inst(`module.m${k}.${sgType}.g`, sgType, "g", { name: `g${k}` }, { id: true }));
    const rules = [
        inst(`${ruleType}.all`, ruleType, "all", { type: "ingress", from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] }, { security_group_id: true }),
        inst(`${ruleType}.one`, ruleType, "one", { type: "ingress", from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] }, { security_group_id: true }),
    ];
    const root = inst(`${sgType}.web`, sgType, "web", { name: "web" }, { id: true, ingress: true });
    const doc = {
        format_version: "1.2",
        planned_values: {
            root_module: {
                resources: [...rules, root].map((r) => r.planned),
                child_modules: keys.map((k, i) => ({ address: `module.m${k}`, resources: [sgs[i].planned] })),
            },
        },
        resource_changes: [...sgs, ...rules, root].map((r) => r.change),
        configuration: {
            root_module: {
                resources: [
                    { address: `${ruleType}.all`, mode: "managed", type: ruleType, name: "all", expressions: { security_group_id: { references: ["module.m.group_id", "module.m"] } } },
                    { address: `${ruleType}.one`, mode: "managed", type: ruleType, name: "one", expressions: { security_group_id: { references: ['module.m["b"].group_id', 'module.m["b"]'] } } },
                    { address: `data.${sgType}.web`, mode: "data", type: sgType, name: "web", expressions: { name: { constant_value: "data" } } },
                    { address: `${sgType}.web`, mode: "managed", type: sgType, name: "web", expressions: { name: { constant_value: "web" } } },
                    { address: `${sgType}.web`, mode: "managed", type: sgType, name: "web", expressions: { name: { constant_value: "web" }, ingress: { constant_value: [] } } },
                ],
                module_calls: {
                    m: {
                        source: "./m",
                        for_each_expression: { references: ["var.keys"] },
                        module: {
                            resources: [{ address: `${sgType}.g`, mode: "managed", type: sgType, name: "g", expressions: { name: { references: ["each.key"] } } }],
                            outputs: { group_id: { expression: { references: [`${sgType}.g.id`, `${sgType}.g`] } } },
                        },
                    },
                },
            },
        },
    };

    it("follows a module output to every instance of the call, in plan order, or to the one instance named", () => {
        const i = readDocument(JSON.parse(JSON.stringify(doc)), "modules.json");
        const urn = (k: string) => byName(i, `module.m${k}.${sgType}.g`).input.urn;
        expect(byName(i, `${ruleType}.all`).input.propertyDependencies).toEqual({ securityGroupId: keys.map(urn) });
        expect(byName(i, `${ruleType}.one`).input.propertyDependencies).toEqual({ securityGroupId: [urn('["b"]')] });
    });

    it("reads a resource's first managed declaration in the configuration", () => {
        const i = readDocument(JSON.parse(JSON.stringify(doc)), "modules.json");
        // The first declaration does not set `ingress`, so the unknown computed list is left out.
        expect(props(i, `${sgType}.web`)).not.toHaveProperty("ingress");
    });
});
