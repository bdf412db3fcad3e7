/** AWS adapters: resource props in, model out. */
import { describe, it, expect } from "vitest";
import { modelResource } from "../../src/providers";
import type { FirewallItem, RulesItem, PrefixListItem, PrefixListEntryItem } from "../../src/providers/types";
import { res, T, UNKNOWN } from "../helpers";

const fw = (type: string, props: Record<string, unknown>) => modelResource(res(type, "x", props)) as FirewallItem;
const rules = (type: string, props: Record<string, unknown>) => modelResource(res(type, "x", props)) as RulesItem;
const peersText = (r: { peers: Array<{ kind: string; text?: string; ref?: string; id?: string; path: string }> }) =>
    r.peers.map((p) => `${p.kind}:${p.text ?? p.ref ?? p.id ?? ""}@${p.path}`);

describe("aws:ec2/securityGroup:SecurityGroup", () => {
    it("reads inline ingress and egress as allow rules of a stateful, unordered group", () => {
        const m = fw(T.sg, {
            ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"], ipv6CidrBlocks: ["::/0"], prefixListIds: ["pl-1"], securityGroups: ["sg-2"], self: true }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            tags: { team: "a" },
        });
        expect(m.kind).toBe("firewall");
        expect(m.firewall).toMatchObject({ stateless: false, ordered: false, tags: { team: "a" } });
        expect(m.inlineFields).toEqual(["ingress", "egress"]);
        const [i, e] = m.firewall.rules;
        expect(i).toMatchObject({ path: "ingress[0]", direction: "ingress", action: "allow", protocol: "tcp", problems: [] });
        expect(i.ports?.toString()).toBe("22");
        expect(peersText(i)).toEqual([
            "addresses:10.0.0.0/8@ingress[0].cidrBlocks[0]",
            "addresses:::/0@ingress[0].ipv6CidrBlocks[0]",
            "prefix-list:pl-1@ingress[0].prefixListIds[0]",
            "reference:sg-2@ingress[0].securityGroups[0]",
            "reference:self@ingress[0].self",
        ]);
        expect(e).toMatchObject({ path: "egress[0]", direction: "egress", protocol: "all" });
        expect(e.ports?.isAll).toBe(true);
    });
    it("an absent ingress list is not managed inline; an explicit empty list is", () => {
        expect(fw(T.sg, {}).inlineFields).toEqual([]);
        expect(fw(T.sg, { ingress: [] }).inlineFields).toEqual(["ingress"]);
    });
    it("protocol -1 ignores fromPort/toPort (all ports)", () => {
        const r = fw(T.sg, { ingress: [{ protocol: "-1", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }).firewall.rules[0];
        expect(r.ports?.isAll).toBe(true);
    });
    it("ICMP type/code are not ports and not malformed", () => {
        const r = fw(T.sg, { ingress: [{ protocol: "icmp", fromPort: 8, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }).firewall.rules[0];
        expect(r.protocol).toBe("icmp");
        expect(r.problems).toEqual([]);
    });
    it("records malformed values with their paths", () => {
        const r = fw(T.sg, { ingress: [{ protocol: "banana", fromPort: 1, toPort: 70000, cidrBlocks: ["10.0.0.0/33", null], ipv6CidrBlocks: "::/0" }] }).firewall.rules[0];
        expect(r.problems.map((p) => `${p.kind} ${p.path}`)).toEqual([
            "malformed ingress[0].protocol",
            "malformed ingress[0].toPort",
            "malformed ingress[0].cidrBlocks[1]",
            "malformed ingress[0].cidrBlocks[0]",
            "malformed ingress[0].ipv6CidrBlocks",
        ]);
        expect(r.protocol).toBeUndefined();
    });
    it("an IPv6 CIDR in cidrBlocks is malformed (wrong family)", () => {
        const r = fw(T.sg, { ingress: [{ protocol: "tcp", fromPort: 1, toPort: 2, cidrBlocks: ["::/0"] }] }).firewall.rules[0];
        expect(r.problems[0].problem).toMatch(/is IPv6 where IPv4 is expected/);
    });
    it("records unknowns (engine sentinels) per element without losing the known ones", () => {
        const r = fw(T.sg, { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0", UNKNOWN] }] }).firewall.rules[0];
        expect(r.problems).toEqual([{ kind: "unknown", path: "ingress[0].cidrBlocks[1]", problem: "is not known until apply" }]);
        expect(peersText(r)[0]).toBe("addresses:0.0.0.0/0@ingress[0].cidrBlocks[0]");
    });
    it("reads through the policy SDK's unknown-checking proxy without throwing", async () => {
        const { unknownCheckingProxy } = await import("@pulumi/policy");
        const props = unknownCheckingProxy({ ingress: [{ protocol: "tcp", fromPort: UNKNOWN, toPort: 445, cidrBlocks: ["0.0.0.0/0"] }] } as Record<string, unknown>);
        const m = modelResource({ type: T.sg, urn: "u", name: "x", props }) as FirewallItem;
        expect(m.firewall.rules[0].problems.map((p) => p.path)).toEqual(["ingress[0].fromPort"]);
    });
    it("plain secrets are read (and written [secret]); ciphertext secrets are unknown", () => {
        const sig = "4dabf18193072939515e22adb298388d";
        const secret = { [sig]: "1b47061264138c4ac30d75fd1eb44270", value: "0.0.0.0/0" };
        const cipher = { [sig]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "AAAA" };
        const r = fw(T.sg, { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [secret, cipher] }] }).firewall.rules[0];
        expect(peersText(r)[0]).toBe("addresses:[secret]@ingress[0].cidrBlocks[0]");
        expect(r.peers[0].kind === "addresses" && r.peers[0].set.toString()).toBe("0.0.0.0/0");
        expect(r.problems).toEqual([{ kind: "unknown", path: "ingress[0].cidrBlocks[1]", problem: "is not known until apply" }]);
    });
    it("its id from outputs becomes a join key", () => {
        expect(fw(T.sg, { id: "sg-0abc", arn: "arn:aws:ec2:x" }).firewall.keys).toEqual(["sg-0abc", "arn:aws:ec2:x"]);
    });
    it("DefaultSecurityGroup uses the same shape", () => {
        expect(fw(T.defaultSg, { ingress: [{ protocol: "tcp", fromPort: 1, toPort: 1, self: true }] }).firewall.rules).toHaveLength(1);
    });
});

describe("aws:ec2/securityGroupRule:SecurityGroupRule", () => {
    it("is one rule whose direction comes from `type`, linked by securityGroupId", () => {
        const m = rules(T.sgRule, { type: "egress", securityGroupId: "sg-1", protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks: ["10.0.0.2/32"], sourceSecurityGroupId: "sg-9" });
        expect(m).toMatchObject({ kind: "rules", parentProperty: "securityGroupId", parentKey: "sg-1", ordered: false, stateless: false });
        expect(m.rules[0]).toMatchObject({ path: "", direction: "egress", protocol: "udp" });
        expect(peersText(m.rules[0])).toEqual(["addresses:10.0.0.2/32@cidrBlocks[0]", "reference:sg-9@sourceSecurityGroupId"]);
    });
    it("protocol `all` (the legacy spelling) is every protocol", () => {
        expect(rules(T.sgRule, { type: "ingress", securityGroupId: "sg-1", protocol: "all", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }).rules[0].protocol).toBe("all");
    });
    it("an unknown parent id gives no parent key and no problem", () => {
        const m = rules(T.sgRule, { type: "ingress", securityGroupId: UNKNOWN, protocol: "tcp", fromPort: 1, toPort: 1, cidrBlocks: ["10.0.0.0/8"] });
        expect(m.parentKey).toBeUndefined();
        expect(m.rules[0].problems).toEqual([]);
    });
    it("a bad `type` is malformed", () => {
        const m = rules(T.sgRule, { type: "sideways", securityGroupId: "sg-1", protocol: "tcp", fromPort: 1, toPort: 1 });
        expect(JSON.stringify(m)).toMatch(/"sideways\\" is not one of ingress, egress/);
    });
});

describe("aws:vpc/securityGroupIngressRule and EgressRule", () => {
    it("one CIDR per resource; ipProtocol -1 without ports covers everything", () => {
        const m = rules(T.ingressRule, { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv6: "::/0" });
        expect(m.rules[0]).toMatchObject({ direction: "ingress", protocol: "all" });
        expect(m.rules[0].ports?.isAll).toBe(true);
        expect(peersText(m.rules[0])).toEqual(["addresses:::/0@cidrIpv6"]);
    });
    it("egress rules are egress; referenced groups and prefix lists are not addresses", () => {
        const m = rules(T.egressRule, { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "sg-2", prefixListId: "pl-3" });
        expect(m.rules[0].direction).toBe("egress");
        expect(peersText(m.rules[0])).toEqual(["prefix-list:pl-3@prefixListId", "reference:sg-2@referencedSecurityGroupId"]);
    });
    it("TCP without ports is malformed", () => {
        const m = rules(T.ingressRule, { securityGroupId: "sg-1", ipProtocol: "tcp", cidrIpv4: "0.0.0.0/0" });
        expect(m.rules[0].problems[0]).toMatchObject({ kind: "malformed", path: "fromPort" });
    });
});

describe("aws:ec2/networkAcl:NetworkAcl", () => {
    it("inline entries are ordered by ruleNo with allow/deny, in a stateless ACL with a final deny", () => {
        const m = fw(T.acl, {
            ingress: [
                { ruleNo: 200, action: "allow", protocol: "6", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" },
                { ruleNo: 100, action: "deny", protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlock: "::/0" },
            ],
        });
        expect(m.firewall).toMatchObject({ stateless: true, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } });
        expect(m.firewall.rules.map((r) => [r.order, r.action, r.protocol])).toEqual([
            [200, "allow", "tcp"],
            [100, "deny", "all"],
        ]);
    });
    it("an empty ipv6CidrBlock (how outputs write an unset one) is absent, not malformed", () => {
        const r = fw(T.acl, { ingress: [{ ruleNo: 1, action: "allow", protocol: "tcp", fromPort: 1, toPort: 2, cidrBlock: "10.0.0.0/8", ipv6CidrBlock: "" }] }).firewall.rules[0];
        expect(r.problems).toEqual([]);
        expect(r.peers).toHaveLength(1);
    });
    it("a rule number outside 1-32766 is malformed", () => {
        const m = fw(T.acl, { ingress: [{ ruleNo: 40000, action: "allow", protocol: "tcp", fromPort: 1, toPort: 2, cidrBlock: "0.0.0.0/0" }] });
        expect(m.firewall.rules[0].problems[0].path).toBe("ingress[0].ruleNo");
    });
    it("an unknown action makes the entry unsure (it may be a deny)", () => {
        const r = fw(T.acl, { ingress: [{ ruleNo: 1, action: UNKNOWN, protocol: "tcp", fromPort: 1, toPort: 2, cidrBlock: "0.0.0.0/0" }] }).firewall.rules[0];
        expect(r.unsure).toEqual({ action: true, order: false });
    });
    it("DefaultNetworkAcl's defaultNetworkAclId is a join key", () => {
        expect(fw(T.defaultAcl, { defaultNetworkAclId: "acl-1", ingress: [] }).firewall.keys).toContain("acl-1");
    });
});

describe("aws:ec2/networkAclRule:NetworkAclRule", () => {
    it("uses ruleNumber/ruleAction and egress=false by default", () => {
        const m = rules(T.aclRule, { networkAclId: "acl-1", ruleNumber: 10, ruleAction: "deny", protocol: "udp", fromPort: 53, toPort: 53, cidrBlock: "10.0.0.0/8" });
        expect(m).toMatchObject({ parentProperty: "networkAclId", parentKey: "acl-1", ordered: true, stateless: true });
        expect(m.rules[0]).toMatchObject({ direction: "ingress", action: "deny", order: 10, protocol: "udp" });
    });
    it("egress: true is an egress rule", () => {
        expect(rules(T.aclRule, { networkAclId: "acl-1", ruleNumber: 10, egress: true, ruleAction: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0" }).rules[0].direction).toBe("egress");
    });
});

describe("managed prefix lists", () => {
    it("ManagedPrefixList collects its entries' CIDRs; its id is a key", () => {
        const m = modelResource(res(T.prefixList, "pl", { id: "pl-1", entries: [{ cidr: "10.0.0.0/8" }, { cidr: "192.168.0.0/16" }] })) as PrefixListItem;
        expect(m.set.toString()).toBe("10.0.0.0/8, 192.168.0.0/16");
        expect(m.keys).toContain("pl-1");
        expect(m.incomplete).toBe(false);
    });
    it("an unknown entry makes the list incomplete (never resolved as if known)", () => {
        const m = modelResource(res(T.prefixList, "pl", { entries: [{ cidr: UNKNOWN }] })) as PrefixListItem;
        expect(m.incomplete).toBe(true);
    });
    it("ManagedPrefixListEntry names its list and CIDR", () => {
        const m = modelResource(res(T.prefixListEntry, "e", { prefixListId: "pl-1", cidr: "0.0.0.0/0" })) as PrefixListEntryItem;
        expect(m).toMatchObject({ kind: "prefix-list-entry", parentKey: "pl-1" });
        expect(m.set?.toString()).toBe("0.0.0.0/0");
    });
});

describe("registry", () => {
    it("ignores resources that are not firewall-like", () => {
        expect(modelResource(res("aws:s3/bucket:Bucket", "b", { bucket: "x" }))).toBeUndefined();
    });
});
