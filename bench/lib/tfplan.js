"use strict";
// A seeded `terraform show -json <planfile>` document with n managed resources, for the
// offline scanner's benchmark: AWS security groups with inline rules, groups with separate
// aws_security_group_rule resources (their security_group_id unknown until apply and
// referenced in the configuration, as in a real plan), network ACLs with inline entries, and
// ACLs with separate aws_network_acl_rule resources. Rules come from the same generator as the
// other benchmarks (bench/lib/generate.js).
const g = require("./generate");

const snake = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function sgBlock(rule) {
    return {
        cidr_blocks: rule.cidrBlocks ?? [],
        description: "",
        from_port: rule.fromPort,
        ipv6_cidr_blocks: rule.ipv6CidrBlocks ?? [],
        prefix_list_ids: [],
        protocol: rule.protocol,
        security_groups: rule.securityGroups ?? [],
        self: false,
        to_port: rule.toPort,
    };
}

function aclBlock(e) {
    const out = {};
    for (const [k, v] of Object.entries(e)) out[snake(k)] = v;
    out.cidr_block = out.cidr_block ?? "";
    out.ipv6_cidr_block = out.ipv6_cidr_block ?? "";
    out.icmp_code = 0;
    out.icmp_type = 0;
    return out;
}

function plan(rnd, n) {
    const planned = [];
    const changes = [];
    const config = [];
    const add = (type, name, values, unknown = { id: true }, expressions = {}) => {
        const address = `${type}.${name}`;
        planned.push({ address, mode: "managed", type, name, provider_name: "registry.terraform.io/hashicorp/aws", schema_version: 1, values, sensitive_values: {} });
        changes.push({ address, mode: "managed", type, name, provider_name: "registry.terraform.io/hashicorp/aws", change: { actions: ["create"], before: null, after: values, after_unknown: unknown, before_sensitive: false, after_sensitive: {} } });
        config.push({ address, mode: "managed", type, name, provider_config_key: "aws", expressions, schema_version: 1 });
    };
    let k = 0;
    while (planned.length < n) {
        const id = k++;
        const kind = id % 4;
        const left = n - planned.length;
        if (kind === 0 || left < 3) {
            const ingress = [];
            const egress = [];
            for (let i = rnd.int(4, 12); i > 0; i--) (rnd.chance(0.75) ? ingress : egress).push(sgBlock(g.sgRule(rnd)));
            add("aws_security_group", `sg_${id}`, { description: "bench", egress, ingress, name: `sg-${id}`, revoke_rules_on_delete: false, tags: null, timeouts: null, vpc_id: "vpc-0123456789abcdef0" }, { arn: true, id: true, owner_id: true, tags_all: true }, { ingress: [], vpc_id: { constant_value: "vpc-0123456789abcdef0" } });
        } else if (kind === 1) {
            const sg = `sgx_${id}`;
            add("aws_security_group", sg, { description: "bench", name: `sgx-${id}`, revoke_rules_on_delete: false, tags: null, timeouts: null, vpc_id: "vpc-0123456789abcdef0" }, { arn: true, egress: true, id: true, ingress: true, owner_id: true, tags_all: true }, { vpc_id: { constant_value: "vpc-0123456789abcdef0" } });
            for (let i = Math.min(left - 1, rnd.int(3, 6)); i > 0; i--) {
                const r = g.sgRule(rnd);
                add(
                    "aws_security_group_rule",
                    `${sg}_r${i}`,
                    { cidr_blocks: r.cidrBlocks, description: null, from_port: r.fromPort, ipv6_cidr_blocks: null, prefix_list_ids: null, protocol: r.protocol, self: false, source_security_group_id: null, timeouts: null, to_port: r.toPort, type: rnd.chance(0.8) ? "ingress" : "egress" },
                    { id: true, security_group_id: true, security_group_rule_id: true },
                    { security_group_id: { references: [`aws_security_group.${sg}.id`, `aws_security_group.${sg}`] } },
                );
            }
        } else if (kind === 2) {
            const nums = [];
            const seen = new Set();
            while (nums.length < rnd.int(6, 20)) {
                const x = rnd.int(1, 32766);
                if (!seen.has(x)) (seen.add(x), nums.push(x));
            }
            const ingress = [];
            const egress = [];
            nums.forEach((no, i) => (i % 4 === 3 ? egress : ingress).push(aclBlock(g.aclEntry(rnd, no))));
            add("aws_network_acl", `acl_${id}`, { egress, ingress, subnet_ids: null, tags: null, vpc_id: "vpc-0123456789abcdef0" }, { arn: true, id: true, owner_id: true, subnet_ids: true, tags_all: true }, { ingress: [], egress: [] });
        } else {
            const acl = `aclx_${id}`;
            add("aws_network_acl", acl, { subnet_ids: null, tags: null, vpc_id: "vpc-0123456789abcdef0" }, { arn: true, egress: true, id: true, ingress: true, owner_id: true, subnet_ids: true, tags_all: true }, { vpc_id: { constant_value: "vpc-0123456789abcdef0" } });
            const used = new Set();
            for (let i = Math.min(left - 1, rnd.int(4, 8)); i > 0; i--) {
                let no = rnd.int(1, 32766);
                while (used.has(no)) no = rnd.int(1, 32766);
                used.add(no);
                const e = g.aclEntry(rnd, no);
                add(
                    "aws_network_acl_rule",
                    `${acl}_r${i}`,
                    { cidr_block: e.cidrBlock ?? null, egress: rnd.chance(0.3), from_port: e.fromPort, icmp_code: null, icmp_type: null, ipv6_cidr_block: e.ipv6CidrBlock ?? null, protocol: e.protocol, rule_action: e.action, rule_number: e.ruleNo, to_port: e.toPort },
                    { id: true, network_acl_id: true },
                    { network_acl_id: { references: [`aws_network_acl.${acl}.id`, `aws_network_acl.${acl}`] } },
                );
            }
        }
    }
    return {
        format_version: "1.2",
        terraform_version: "1.9.8",
        planned_values: { root_module: { resources: planned.slice(0, n) } },
        resource_changes: changes.slice(0, n),
        configuration: { provider_config: { aws: { name: "aws", full_name: "registry.terraform.io/hashicorp/aws" } }, root_module: { resources: config.slice(0, n) } },
        timestamp: "2026-01-01T00:00:00Z",
        applyable: true,
        complete: true,
        errored: false,
    };
}

module.exports = { plan };
