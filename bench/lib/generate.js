"use strict";
// Seeded generators for the benchmarks: resources in the engine's wire form (what the CLI
// sends over gRPC). Every generator takes a PRNG so a run is reproducible from its seed.
//
// Generator ("random, overlapping ranges"): ports are single ports (40 %), short ranges
// (40 %, up to 200 ports) or long ranges (20 %, up to 30,000 ports), so ranges overlap
// often; addresses are 60 % IPv4 / 40 % IPv6 with prefix lengths drawn across the whole
// range (/0 to /32, /0 to /128, biased to short prefixes so blocks contain each other), from
// public and private space alike; protocols are tcp 45 %, udp 25 %, all (-1) 20 %, icmp 10 %.

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** mulberry32: a small, fast, seeded 32-bit PRNG. Returns floats in [0, 1). */
function prng(seed) {
    let a = seed >>> 0;
    const next = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const rnd = {
        next,
        int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
        pick: (xs) => xs[Math.floor(next() * xs.length)],
        chance: (p) => next() < p,
    };
    return rnd;
}

function ports(rnd) {
    const r = rnd.next();
    const lo = rnd.int(0, 65535);
    if (r < 0.4) return [lo, lo];
    const len = r < 0.8 ? rnd.int(1, 200) : rnd.int(200, 30000);
    return [lo, Math.min(65535, lo + len)];
}

function prefixLen(rnd, bits) {
    // Biased to short prefixes: wide blocks that contain the narrow ones.
    const u = rnd.next();
    return Math.min(bits, Math.floor(u * u * (bits + 1)));
}

function v4(rnd) {
    const len = prefixLen(rnd, 32);
    const octets = [rnd.pick([10, 172, 192, 203, 52, 8, rnd.int(1, 223)]), rnd.int(0, 255), rnd.int(0, 255), rnd.int(0, 255)];
    return `${octets.join(".")}/${len}`;
}

function v6(rnd) {
    const len = prefixLen(rnd, 128);
    const groups = [rnd.pick(["2001", "2600", "2a00", "fd00", "fe80", "2400", rnd.int(0, 0xffff).toString(16)])];
    for (let i = 0; i < 7; i++) groups.push(rnd.int(0, 0xffff).toString(16));
    return `${groups.join(":")}/${len}`;
}

function protocol(rnd) {
    const r = rnd.next();
    return r < 0.45 ? "tcp" : r < 0.7 ? "udp" : r < 0.9 ? "-1" : "icmp";
}

/** One inline AWS security-group rule (random, overlapping ranges). */
function sgRule(rnd) {
    const proto = protocol(rnd);
    const [from, to] = proto === "-1" ? [0, 0] : proto === "icmp" ? [8, 0] : ports(rnd);
    const rule = { protocol: proto, fromPort: from, toPort: to };
    const cidrs = [];
    const cidrs6 = [];
    const n = rnd.int(1, 3);
    for (let i = 0; i < n; i++) (rnd.chance(0.6) ? cidrs : cidrs6).push(rnd.chance(0.6) ? v4(rnd) : v6(rnd));
    // a CIDR of the other family in the wrong list would be malformed: keep them apart
    rule.cidrBlocks = cidrs.map((c) => (c.includes(":") ? v4(rnd) : c));
    if (cidrs6.length) rule.ipv6CidrBlocks = cidrs6.map((c) => (c.includes(":") ? c : v6(rnd)));
    if (rnd.chance(0.1)) rule.securityGroups = ["sg-0123456789abcdef0"];
    return rule;
}

/** One inline AWS network ACL entry; `deny` the probability of a deny. */
function aclEntry(rnd, ruleNo, deny = 0.35) {
    const proto = protocol(rnd);
    const [from, to] = proto === "-1" || proto === "icmp" ? [0, 0] : ports(rnd);
    const e = { ruleNo, action: rnd.chance(deny) ? "deny" : "allow", protocol: proto, fromPort: from, toPort: to };
    if (rnd.chance(0.6)) e.cidrBlock = v4(rnd);
    else e.ipv6CidrBlock = v6(rnd);
    return e;
}

/** Distinct rule numbers in 1-32766, in random order. */
function ruleNumbers(rnd, n) {
    const all = new Set();
    while (all.size < n) all.add(rnd.int(1, 32766));
    return [...all];
}

const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    acl: "aws:ec2/networkAcl:NetworkAcl",
    aclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    nsg: "azure-native:network:NetworkSecurityGroup",
    nsgRule: "azure-native:network:SecurityRule",
    gcpFirewall: "gcp:compute/firewall:Firewall",
};

const urnOf = (type, name) => `urn:pulumi:bench::portguard-bench::${type}::${name}`;

/** A security group with `n` inline rules (3/4 ingress, 1/4 egress). */
function securityGroup(rnd, name, n) {
    const ingress = [];
    const egress = [];
    for (let i = 0; i < n; i++) (i % 4 === 3 ? egress : ingress).push(sgRule(rnd));
    return { type: T.sg, name, urn: urnOf(T.sg, name), properties: { vpcId: "vpc-1", description: "bench", ingress, egress } };
}

/** A network ACL with `n` inline entries (3/4 ingress, 1/4 egress), ~35 % deny. */
function networkAcl(rnd, name, n) {
    const nums = ruleNumbers(rnd, n);
    const ingress = [];
    const egress = [];
    nums.forEach((no, i) => (i % 4 === 3 ? egress : ingress).push(aclEntry(rnd, no)));
    return { type: T.acl, name, urn: urnOf(T.acl, name), properties: { vpcId: "vpc-1", ingress, egress } };
}

function azurePrefix(rnd) {
    const r = rnd.next();
    return r < 0.15 ? "*" : r < 0.25 ? "Internet" : r < 0.35 ? "VirtualNetwork" : rnd.chance(0.7) ? v4(rnd) : v6(rnd);
}

function azureRule(rnd, priority, name) {
    const [from, to] = ports(rnd);
    return {
        name,
        priority,
        direction: rnd.chance(0.75) ? "Inbound" : "Outbound",
        access: rnd.chance(0.3) ? "Deny" : "Allow",
        protocol: rnd.pick(["Tcp", "Udp", "*", "Icmp"]),
        sourcePortRange: "*",
        destinationPortRange: rnd.chance(0.1) ? "*" : from === to ? `${from}` : `${from}-${to}`,
        sourceAddressPrefix: azurePrefix(rnd),
        destinationAddressPrefix: "*",
    };
}

function gcpFirewall(rnd, name) {
    const list = () => {
        const out = [];
        const k = rnd.int(1, 3);
        for (let i = 0; i < k; i++) {
            const proto = rnd.pick(["tcp", "udp", "all", "icmp"]);
            const item = { protocol: proto };
            if (proto === "tcp" || proto === "udp") item.ports = [0, 1].slice(0, rnd.int(1, 2)).map(() => { const [a, b] = ports(rnd); return a === b ? `${a}` : `${a}-${b}`; });
            out.push(item);
        }
        return out;
    };
    const deny = rnd.chance(0.25);
    const props = { network: UNKNOWN, direction: rnd.chance(0.8) ? "INGRESS" : "EGRESS", priority: rnd.int(0, 65535), [deny ? "denies" : "allows"]: list() };
    const ranges = [];
    for (let i = rnd.int(1, 3); i > 0; i--) ranges.push(rnd.chance(0.7) ? v4(rnd) : v6(rnd));
    props[props.direction === "INGRESS" ? "sourceRanges" : "destinationRanges"] = ranges;
    if (rnd.chance(0.3)) props.targetTags = ["web"];
    return { type: T.gcpFirewall, name, urn: urnOf(T.gcpFirewall, name), properties: props, propertyDependencies: { network: [urnOf("gcp:compute/network:Network", "net")] } };
}

/**
 * A stack of `total` resources in the wire form AnalyzeStack carries (properties are what a
 * preview sends: ids of resources being created are unknown, so separate rules find their
 * parent through propertyDependencies). The mix, per block of resources:
 *   - security groups with 4-12 inline rules;
 *   - security groups with 3-6 separate rule resources (legacy SecurityGroupRule and
 *     vpc SecurityGroupIngressRule, alternately), joined through propertyDependencies;
 *   - network ACLs with 6-20 inline entries (~35 % deny);
 *   - network ACLs with 4-8 separate NetworkAclRule resources;
 *   - when `tokens` (the registry's handled type tokens) include them: Azure NSGs with inline
 *     rules plus separate SecurityRule resources, and GCP firewalls.
 */
function stack(rnd, total, tokens = []) {
    const has = (t) => tokens.includes(t);
    const kinds = ["sgInline", "sgSeparate", "aclInline", "aclSeparate"];
    if (has(T.nsg) && has(T.nsgRule)) kinds.push("nsg");
    if (has(T.gcpFirewall)) kinds.push("gcp");
    const out = [];
    let k = 0;
    while (out.length < total) {
        const kind = kinds[k % kinds.length];
        const id = k++;
        const left = total - out.length;
        if (kind === "sgInline" || left < 3) {
            out.push(securityGroup(rnd, `sg-${id}`, rnd.int(4, 12)));
        } else if (kind === "sgSeparate") {
            const g = { type: T.sg, name: `sgx-${id}`, urn: urnOf(T.sg, `sgx-${id}`), properties: { vpcId: "vpc-1", description: "bench" } };
            out.push(g);
            const n = Math.min(left - 1, rnd.int(3, 6));
            for (let i = 0; i < n; i++) {
                const rule = sgRule(rnd);
                const name = `sgx-${id}-r${i}`;
                if (i % 2 === 0) {
                    const props = { securityGroupId: UNKNOWN, type: rnd.chance(0.8) ? "ingress" : "egress", protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort, cidrBlocks: rule.cidrBlocks };
                    out.push({ type: T.sgRule, name, urn: urnOf(T.sgRule, name), properties: props, propertyDependencies: { securityGroupId: [g.urn] } });
                } else {
                    const props = { securityGroupId: UNKNOWN, ipProtocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort, cidrIpv4: rule.cidrBlocks[0] ?? "10.0.0.0/8" };
                    if (rule.protocol === "-1") (delete props.fromPort, delete props.toPort);
                    out.push({ type: T.ingressRule, name, urn: urnOf(T.ingressRule, name), properties: props, propertyDependencies: { securityGroupId: [g.urn] } });
                }
            }
        } else if (kind === "aclInline") {
            out.push(networkAcl(rnd, `acl-${id}`, rnd.int(6, 20)));
        } else if (kind === "aclSeparate") {
            const a = { type: T.acl, name: `aclx-${id}`, urn: urnOf(T.acl, `aclx-${id}`), properties: { vpcId: "vpc-1" } };
            out.push(a);
            const n = Math.min(left - 1, rnd.int(4, 8));
            const nums = ruleNumbers(rnd, n);
            for (let i = 0; i < n; i++) {
                const e = aclEntry(rnd, nums[i]);
                const name = `aclx-${id}-r${i}`;
                const props = { networkAclId: UNKNOWN, ruleNumber: e.ruleNo, egress: rnd.chance(0.3), ruleAction: e.action, protocol: e.protocol, fromPort: e.fromPort, toPort: e.toPort };
                if (e.cidrBlock) props.cidrBlock = e.cidrBlock;
                else props.ipv6CidrBlock = e.ipv6CidrBlock;
                out.push({ type: T.aclRule, name, urn: urnOf(T.aclRule, name), properties: props, propertyDependencies: { networkAclId: [a.urn] } });
            }
        } else if (kind === "nsg") {
            const nsgName = `nsg-${id}`;
            const inline = [];
            const prios = ruleNumbers(rnd, 12).map((p) => 100 + (p % 3996));
            const nInline = rnd.int(3, 8);
            for (let i = 0; i < nInline; i++) inline.push(azureRule(rnd, prios[i], `r${i}`));
            const g = { type: T.nsg, name: nsgName, urn: urnOf(T.nsg, nsgName), properties: { resourceGroupName: "rg", networkSecurityGroupName: nsgName, location: "westeurope", securityRules: inline } };
            out.push(g);
            // separate rules on a second NSG (inline and separate on one NSG conflict)
            const g2name = `nsgx-${id}`;
            const g2 = { type: T.nsg, name: g2name, urn: urnOf(T.nsg, g2name), properties: { resourceGroupName: "rg", networkSecurityGroupName: g2name, location: "westeurope" } };
            if (left > 2) out.push(g2);
            const n = Math.min(total - out.length, rnd.int(2, 4));
            for (let i = 0; i < n; i++) {
                const name = `nsgx-${id}-r${i}`;
                const props = { ...azureRule(rnd, prios[nInline + i] ?? 4000, name), resourceGroupName: "rg", networkSecurityGroupName: UNKNOWN };
                out.push({ type: T.nsgRule, name, urn: urnOf(T.nsgRule, name), properties: props, propertyDependencies: { networkSecurityGroupName: [g2.urn] } });
            }
        } else {
            out.push(gcpFirewall(rnd, `fw-${id}`));
        }
    }
    return out.slice(0, total);
}

// "Typical" content: what a production group or ACL of that size tends to hold. Sources come
// from a small pool (the VPC, peered VPCs, an office range, a few partner /32s, the internet for
// web ports), ports from the usual services; a few rules are findings (SSH or a database open
// to the internet). CIDRs repeat across resources, as they do in a real stack.
const TYPICAL_PRIVATE = ["10.0.0.0/8", "10.1.0.0/16", "10.20.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "10.0.12.0/24", "10.0.13.0/24"];
const TYPICAL_PUBLIC = ["52.95.110.1/32", "198.51.100.7/32", "34.120.10.0/24", "18.130.4.17/32", "3.8.0.0/16"];
const TYPICAL_PORTS = [[443, 443], [80, 80], [22, 22], [5432, 5432], [3306, 3306], [6379, 6379], [8080, 8080], [9090, 9100], [30000, 32767], [8443, 8443], [2049, 2049], [9200, 9300], [11211, 11211], [5000, 5010]];

function typicalSgRule(rnd) {
    const [from, to] = rnd.pick(TYPICAL_PORTS);
    const web = from === 443 || from === 80;
    const r = rnd.next();
    const cidrs = web && r < 0.6 ? ["0.0.0.0/0"] : r < 0.97 ? [rnd.pick(TYPICAL_PRIVATE), ...(rnd.chance(0.3) ? [rnd.pick(TYPICAL_PUBLIC)] : [])] : ["0.0.0.0/0"];
    const rule = { protocol: rnd.chance(0.9) ? "tcp" : "udp", fromPort: from, toPort: to, cidrBlocks: cidrs, description: "managed by terraform" };
    if (web && cidrs[0] === "0.0.0.0/0" && rnd.chance(0.5)) rule.ipv6CidrBlocks = ["::/0"];
    if (rnd.chance(0.15)) rule.securityGroups = ["sg-0a1b2c3d4e5f67890"];
    return rule;
}

/** A security group with `n` rules of typical content (3/4 ingress; egress mostly all-to-anywhere). */
function typicalSecurityGroup(rnd, name, n) {
    const ingress = [];
    const egress = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }];
    for (let i = 0; i < n - 1; i++) (i % 4 === 3 ? egress : ingress).push(typicalSgRule(rnd));
    return { type: T.sg, name, urn: urnOf(T.sg, name), properties: { vpcId: "vpc-0123456789abcdef0", description: "app tier", ingress, egress, tags: { team: "payments", env: "prod" } } };
}

/**
 * A network ACL with `n` entries of typical content (3/4 ingress): ingress denies the
 * carrier-blocked ports first, then allows web from anywhere, return traffic (1024-65535) from
 * anywhere, the VPC and peers on every protocol, a few services from partners; egress denies
 * SMB/NetBIOS and allows the rest everywhere.
 */
function typicalNetworkAcl(rnd, name, n) {
    const ingress = [];
    const egress = [];
    const add = (list, action, protocol, from, to, cidr) => {
        const e = { ruleNo: (list.length + 1) * 10, action, protocol, fromPort: from, toPort: to };
        if (cidr.includes(":")) e.ipv6CidrBlock = cidr;
        else e.cidrBlock = cidr;
        list.push(e);
    };
    const nIn = Math.ceil((n * 3) / 4);
    for (const [from, to] of [[445, 445], [135, 139], [3389, 3389], [23, 23]]) if (ingress.length < nIn) add(ingress, "deny", "tcp", from, to, "0.0.0.0/0");
    for (const cidr of ["0.0.0.0/0", "::/0"]) for (const port of [443, 80]) if (ingress.length < nIn) add(ingress, "allow", "tcp", port, port, cidr);
    for (const cidr of ["0.0.0.0/0", "::/0"]) for (const proto of ["tcp", "udp"]) if (ingress.length < nIn) add(ingress, "allow", proto, 1024, 65535, cidr);
    while (ingress.length < nIn) {
        if (rnd.chance(0.5)) add(ingress, "allow", "-1", 0, 0, rnd.pick(TYPICAL_PRIVATE));
        else add(ingress, "allow", "tcp", ...rnd.pick(TYPICAL_PORTS), rnd.chance(0.7) ? rnd.pick(TYPICAL_PRIVATE) : rnd.pick(TYPICAL_PUBLIC));
    }
    for (const [from, to] of [[445, 445], [135, 139]]) if (egress.length < n - nIn) add(egress, "deny", "tcp", from, to, "0.0.0.0/0");
    for (const cidr of ["0.0.0.0/0", "::/0"]) if (egress.length < n - nIn) add(egress, "allow", "-1", 0, 0, cidr);
    while (egress.length < n - nIn) add(egress, "allow", "tcp", ...rnd.pick(TYPICAL_PORTS), rnd.pick(TYPICAL_PRIVATE));
    return { type: T.acl, name, urn: urnOf(T.acl, name), properties: { vpcId: "vpc-0123456789abcdef0", ingress, egress, tags: { env: "prod" } } };
}

/** An ordered rule list of `n` entries (AWS network ACL, all judged directions), for in-process worst cases. */
function orderedWorstCase(rnd, n) {
    return networkAcl(rnd, `worst-acl-${n}`, n);
}

/** A security group with `n` rule entries, for in-process worst cases. */
function groupWorstCase(rnd, n) {
    return securityGroup(rnd, `worst-sg-${n}`, n);
}

module.exports = { prng, stack, securityGroup, networkAcl, typicalSecurityGroup, typicalNetworkAcl, orderedWorstCase, groupWorstCase, sgRule, aclEntry, UNKNOWN, T, urnOf };
