/**
 * aws-native adapters (shapes from @pulumi/aws-native's own ec2/*.d.ts): props in, model out;
 * policy cases; and a table of aws-native resources with their aws-classic twins, which must
 * get the same verdicts from every policy, at resource and at stack level.
 */
import { describe, expect, it } from "vitest";
import { modelResource } from "../../src/providers";
import type { FirewallItem, PrefixListItem, RulesItem } from "../../src/providers/types";
import { POLICIES, highRiskPorts, unverifiableRules, exposedServicePorts } from "../../src/policies";
import type { Finding } from "../../src/policies/types";
import { checkBoth, res, T, UNKNOWN, urnOf } from "../helpers";

const N = {
    sg: "aws-native:ec2:SecurityGroup",
    ingress: "aws-native:ec2:SecurityGroupIngress",
    egress: "aws-native:ec2:SecurityGroupEgress",
    prefixList: "aws-native:ec2:PrefixList",
    acl: "aws-native:ec2:NetworkAcl",
} as const;

const fw = (props: Record<string, unknown>) => modelResource(res(N.sg, "x", props)) as FirewallItem;
const rulesOf = (type: string, props: Record<string, unknown>) => modelResource(res(type, "x", props)) as RulesItem;
const peersText = (r: { peers: Array<{ kind: string; text?: string; ref?: string; id?: string; path: string }> }) => r.peers.map((p) => `${p.kind}:${p.text ?? p.ref ?? p.id ?? ""}@${p.path}`);

describe("aws-native:ec2:SecurityGroup", () => {
    it("reads securityGroupIngress / securityGroupEgress (CloudFormation shapes) as allow rules of a stateful, unordered group", () => {
        const m = fw({
            groupDescription: "web",
            securityGroupIngress: [
                { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIp: "10.0.0.0/8" },
                { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" },
                { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, sourcePrefixListId: "pl-1" },
                { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, sourceSecurityGroupId: "sg-2" },
                { ipProtocol: "tcp", fromPort: 9090, toPort: 9090, sourceSecurityGroupName: "legacy" },
            ],
            securityGroupEgress: [{ ipProtocol: "-1", cidrIp: "0.0.0.0/0" }, { ipProtocol: "tcp", fromPort: 443, toPort: 443, destinationPrefixListId: "pl-2" }, { ipProtocol: "tcp", fromPort: 25, toPort: 25, destinationSecurityGroupId: "sg-3" }],
            tags: [{ key: "team", value: "a" }],
        });
        expect(m.kind).toBe("firewall");
        expect(m.firewall).toMatchObject({ stateless: false, ordered: false, tags: { team: "a" } });
        expect(m.inlineFields).toEqual(["securityGroupIngress", "securityGroupEgress"]);
        const rs = m.firewall.rules;
        expect(rs.map((r) => `${r.direction} ${r.protocol} ${r.ports?.toString()}`)).toEqual([
            "ingress tcp 22",
            "ingress tcp 443",
            "ingress tcp 5432",
            "ingress tcp 8080",
            "ingress tcp 9090",
            "egress all 0-65535",
            "egress tcp 443",
            "egress tcp 25",
        ]);
        expect(rs.flatMap(peersText)).toEqual([
            "addresses:10.0.0.0/8@securityGroupIngress[0].cidrIp",
            "addresses:::/0@securityGroupIngress[1].cidrIpv6",
            "prefix-list:pl-1@securityGroupIngress[2].sourcePrefixListId",
            "reference:sg-2@securityGroupIngress[3].sourceSecurityGroupId",
            "reference:legacy@securityGroupIngress[4].sourceSecurityGroupName",
            "addresses:0.0.0.0/0@securityGroupEgress[0].cidrIp",
            "prefix-list:pl-2@securityGroupEgress[1].destinationPrefixListId",
            "reference:sg-3@securityGroupEgress[2].destinationSecurityGroupId",
        ]);
        expect(rs.every((r) => r.problems.length === 0)).toBe(true);
        expect(m.firewall.implicitRules).toEqual([]);
    });

    it("is known by its id, groupId and groupName, so separate rules join it by either", () => {
        expect(fw({ id: "sg-1", groupId: "sg-1", groupName: "web" }).firewall.keys).toEqual(["sg-1", "sg-1", "web"]);
    });

    it("without securityGroupEgress keeps EC2's default allow-all egress rule (implicit); an absent list is not managed inline", () => {
        const m = fw({ securityGroupIngress: [] });
        expect(m.inlineFields).toEqual(["securityGroupIngress"]);
        expect(m.firewall.implicitRules?.map((r) => `${r.direction} ${r.action} ${r.protocol}`)).toEqual(["egress allow all"]);
        expect(fw({ securityGroupEgress: [] }).firewall.implicitRules).toEqual([]);
    });

    it("records unknown, malformed and missing values at their property paths", () => {
        const m = fw({ securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIp: UNKNOWN }, { ipProtocol: "tcp", cidrIp: "10.0.0.0/33", fromPort: 1, toPort: 2 }, { ipProtocol: "tcp", cidrIp: "0.0.0.0/0" }, null] });
        const problems = m.firewall.rules.flatMap((r) => r.problems.map((p) => `${p.kind} ${p.path}`));
        expect(problems).toEqual([
            "unknown securityGroupIngress[0].cidrIp",
            "malformed securityGroupIngress[1].cidrIp",
            "malformed securityGroupIngress[2].fromPort",
            "malformed securityGroupIngress[3]",
        ]);
    });
});

describe("aws-native:ec2:SecurityGroupIngress / SecurityGroupEgress", () => {
    it("one rule, joined through groupId", () => {
        const m = rulesOf(N.ingress, { groupId: "sg-1", ipProtocol: "udp", fromPort: 53, toPort: 53, cidrIp: "0.0.0.0/0" });
        expect(m).toMatchObject({ kind: "rules", parentProperty: "groupId", parentKey: "sg-1", stateless: false, parentLabel: "security group" });
        expect(m.rules.map((r) => `${r.direction} ${r.protocol} ${r.ports?.toString()}`)).toEqual(["ingress udp 53"]);
        const e = rulesOf(N.egress, { groupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, destinationPrefixListId: "pl-9" });
        expect(e.rules[0].direction).toBe("egress");
        expect(peersText(e.rules[0])).toEqual(["prefix-list:pl-9@destinationPrefixListId"]);
    });

    it("an ingress rule that names its group by groupName joins through groupName", () => {
        expect(rulesOf(N.ingress, { groupName: "web", ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIp: "0.0.0.0/0" })).toMatchObject({ parentProperty: "groupName", parentKey: "web" });
    });
});

describe("aws-native:ec2:PrefixList and NetworkAcl", () => {
    it("a prefix list is the union of its entries, known by its id and prefixListId", () => {
        const m = modelResource(res(N.prefixList, "office", { prefixListId: "pl-1", addressFamily: "IPv4", entries: [{ cidr: "203.0.113.0/24" }, { cidr: "198.51.100.0/24" }] })) as PrefixListItem;
        expect(m).toMatchObject({ kind: "prefix-list", keys: ["pl-1"], incomplete: false });
        expect(m.set.toCidrs()).toEqual(["198.51.100.0/24", "203.0.113.0/24"]);
    });

    it("a network ACL has no entries of its own: classic NetworkAclRule resources join it", () => {
        const m = modelResource(res(N.acl, "a", { id: "acl-1", vpcId: "vpc-1" })) as FirewallItem;
        expect(m).toMatchObject({ kind: "firewall", rulesElsewhere: true, firewall: { stateless: true, ordered: true, keys: ["acl-1"], rules: [] } });
        const aclUrn = urnOf(N.acl, "a");
        const entry = res(T.aclRule, "all", { networkAclId: UNKNOWN, ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 65535 }, { networkAclId: [aclUrn] });
        const { stack } = checkBoth(highRiskPorts, [res(N.acl, "a", { vpcId: "vpc-1" }), entry]);
        expect(stack.length).toBeGreaterThan(0);
        expect(stack.every((f) => f.urn === entry.urn)).toBe(true);
    });
});

describe("aws-native under the policies", () => {
    it("an inline SMB rule open to the internet is blocked by high-risk-ports at resource level", () => {
        const { resource } = checkBoth(highRiskPorts, [res(N.sg, "smb", { securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIp: "0.0.0.0/0" }] })]);
        expect(resource).toHaveLength(1);
        expect(resource[0].path).toBe("securityGroupIngress[0]");
        expect(resource[0].message).toContain("445");
    });

    it("a prefix list in the stack is resolved: a rule from a list holding 0.0.0.0/0 is exposed", () => {
        const pl = res(N.prefixList, "anyone", { prefixListId: "pl-any", entries: [{ cidr: "0.0.0.0/0" }] });
        const sg = res(N.sg, "ssh", { securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, sourcePrefixListId: "pl-any" }] });
        const { stack } = checkBoth(exposedServicePorts, [pl, sg]);
        expect(stack).toHaveLength(1);
        expect(stack[0].message).toContain("22");
    });

    it("inline rules next to separate SecurityGroupIngress resources on one group are reported as a conflict", () => {
        const sgUrn = urnOf(N.sg, "mixed");
        const rs = [
            res(N.sg, "mixed", { securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIp: "0.0.0.0/0" }] }),
            res(N.ingress, "extra", { groupId: UNKNOWN, ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIp: "0.0.0.0/0" }, { groupId: [sgUrn] }),
        ];
        const { stack } = checkBoth(unverifiableRules, rs);
        expect(stack.some((f) => f.urn === sgUrn && /overwrite/.test(f.message))).toBe(true);
    });
});

// ---------------------------------------------------------------------------
// Equivalence with aws-classic twins

interface Twin {
    name: string;
    native: () => ReturnType<typeof res>[];
    classic: () => ReturnType<typeof res>[];
}

const nIn = (rule: Record<string, unknown>) => ({ ipProtocol: "tcp", ...rule });
const TWINS: Twin[] = [
    {
        name: "SMB 445 from 0.0.0.0/0, inline",
        native: () => [res(N.sg, "g", { securityGroupIngress: [nIn({ fromPort: 445, toPort: 445, cidrIp: "0.0.0.0/0" })] })],
        classic: () => [res(T.sg, "g", { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"] }] })],
    },
    {
        name: "all protocols from ::/0, inline",
        native: () => [res(N.sg, "g", { securityGroupIngress: [{ ipProtocol: "-1", cidrIpv6: "::/0" }] })],
        classic: () => [res(T.sg, "g", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] })],
    },
    {
        name: "RDP from 0.0.0.0/0, inline",
        native: () => [res(N.sg, "g", { securityGroupIngress: [nIn({ fromPort: 3389, toPort: 3389, cidrIp: "0.0.0.0/0" })] })],
        classic: () => [res(T.sg, "g", { ingress: [{ protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/0"] }] })],
    },
    {
        name: "SSH from a private range (clean)",
        native: () => [res(N.sg, "g", { securityGroupIngress: [nIn({ fromPort: 22, toPort: 22, cidrIp: "10.0.0.0/8" })] })],
        classic: () => [res(T.sg, "g", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] })],
    },
    {
        name: "ports 1-65535 from 0.0.0.0/0",
        native: () => [res(N.sg, "g", { securityGroupIngress: [nIn({ fromPort: 1, toPort: 65535, cidrIp: "0.0.0.0/0" })] })],
        classic: () => [res(T.sg, "g", { ingress: [{ protocol: "tcp", fromPort: 1, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }] })],
    },
    {
        name: "a source unknown during preview",
        native: () => [res(N.sg, "g", { securityGroupIngress: [nIn({ fromPort: 445, toPort: 445, cidrIp: UNKNOWN })] })],
        classic: () => [res(T.sg, "g", { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: [UNKNOWN] }] })],
    },
    {
        name: "a malformed CIDR",
        native: () => [res(N.sg, "g", { securityGroupIngress: [nIn({ fromPort: 22, toPort: 22, cidrIp: "10.0.0.0/33" })] })],
        classic: () => [res(T.sg, "g", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/33"] }] })],
    },
    {
        name: "a separate SMB rule joined by property dependencies",
        native: () => [res(N.sg, "g", {}), res(N.ingress, "r", { groupId: UNKNOWN, ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIp: "0.0.0.0/0" }, { groupId: [urnOf(N.sg, "g")] })],
        classic: () => [res(T.sg, "g", {}), res(T.ingressRule, "r", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [urnOf(T.sg, "g")] })],
    },
    {
        name: "a separate egress rule joined by the group's id",
        native: () => [res(N.sg, "g", { id: "sg-1", securityGroupEgress: [] }), res(N.egress, "r", { groupId: "sg-1", ipProtocol: "tcp", fromPort: 3306, toPort: 3306, cidrIp: "0.0.0.0/0" })],
        classic: () => [res(T.sg, "g", { id: "sg-1", egress: [] }), res(T.egressRule, "r", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 3306, toPort: 3306, cidrIpv4: "0.0.0.0/0" })],
    },
    {
        name: "inline and separate rules on one group",
        native: () => [res(N.sg, "g", { securityGroupIngress: [nIn({ fromPort: 443, toPort: 443, cidrIp: "0.0.0.0/0" })] }), res(N.ingress, "r", { groupId: UNKNOWN, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIp: "0.0.0.0/0" }, { groupId: [urnOf(N.sg, "g")] })],
        classic: () => [res(T.sg, "g", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] }), res(T.ingressRule, "r", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [urnOf(T.sg, "g")] })],
    },
    {
        name: "a managed prefix list holding the internet",
        native: () => [res(N.prefixList, "pl", { prefixListId: "pl-1", entries: [{ cidr: "0.0.0.0/0" }] }), res(N.sg, "g", { securityGroupIngress: [nIn({ fromPort: 3389, toPort: 3389, sourcePrefixListId: "pl-1" })] })],
        classic: () => [res(T.prefixList, "pl", { id: "pl-1", entries: [{ cidr: "0.0.0.0/0" }] }), res(T.sg, "g", { ingress: [{ protocol: "tcp", fromPort: 3389, toPort: 3389, prefixListIds: ["pl-1"] }] })],
    },
];

/** A verdict, without the words that name the resource type or the property path. */
function verdict(fs: Finding[]): string[] {
    return fs
        .map((f) => {
            const ports = [...f.message.matchAll(/\b\d{1,5}(?:-\d{1,5})?\b/g)].map((m) => m[0]);
            const kind = /not known/.test(f.message) ? "unknown" : /overwrite|conflict/.test(f.message) ? "conflict" : /prefix length|not a CIDR|malformed|outside/.test(f.message) ? "malformed" : "finding";
            return `${f.urn.slice(f.urn.lastIndexOf("::") + 2)} ${kind} ${[...new Set(ports)].filter((p) => !/^(0|32|128|33|8|16|24)$/.test(p)).join(",")}`;
        })
        .sort();
}

describe("aws-native resources get the same verdicts as their aws-classic twins", () => {
    for (const t of TWINS) {
        for (const def of POLICIES) {
            it(`${t.name}: ${def.name}`, () => {
                const n = checkBoth(def, t.native());
                const c = checkBoth(def, t.classic());
                expect({ resource: verdict(n.resource), stack: verdict(n.stack) }).toEqual({ resource: verdict(c.resource), stack: verdict(c.stack) });
            });
        }
    }

    it("the table is not vacuous: most twins are flagged by some policy", () => {
        const flagged = TWINS.filter((t) => POLICIES.some((d) => {
            const r = checkBoth(d, t.native());
            return r.resource.length + r.stack.length > 0;
        }));
        expect(flagged.length).toBeGreaterThanOrEqual(TWINS.length - 1);
    });
});
