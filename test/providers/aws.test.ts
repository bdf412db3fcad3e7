/** AWS adapters: resource props in, model out. */
import { describe, it, expect } from "vitest";
import { modelResource } from "../../src/providers";
import type { FirewallItem, RulesItem, PrefixListItem, PrefixListEntryItem } from "../../src/providers/types";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { acl, check, checkStack, entry, res, sg, sgRule, T, UNKNOWN } from "../helpers";

const fw = (type: string, props: Record<string, unknown>) => modelResource(res(type, "x", props)) as FirewallItem;
const rules = (type: string, props: Record<string, unknown>) => modelResource(res(type, "x", props)) as RulesItem;
const problems = (r: { problems: Array<{ kind: string; path: string; problem: string }> }) => r.problems.map((p) => `${p.kind} ${p.path}: ${p.problem}`);
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
    it("an inline rule that names no source is malformed (AWS adds no permission for it), never read as opening nothing", () => {
        const r = fw(T.sg, { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22 }] }).firewall.rules[0];
        expect(problems(r)).toEqual(["malformed ingress[0].cidrBlocks: is absent, and so are ipv6CidrBlocks, prefixListIds, securityGroups and self: a rule needs at least one source"]);
        expect(check(unverifiableRules, sg("nosrc", [{ protocol: "tcp", fromPort: 22, toPort: 22 }])).map((f) => f.path)).toEqual(["ingress[0]"]);
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
    it("a rule with no source at all is malformed: the provider requires one of cidrBlocks, ipv6CidrBlocks, prefixListIds, sourceSecurityGroupId, self", () => {
        const m = rules(T.sgRule, { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 22, toPort: 22 });
        expect(problems(m.rules[0])).toEqual(["malformed cidrBlocks: is absent, and so are ipv6CidrBlocks, prefixListIds, sourceSecurityGroupId and self: a rule needs at least one source"]);
    });
    it("an empty sourceSecurityGroupId (how outputs write an unset one) is absent, not a group named \"\"", () => {
        const m = rules(T.sgRule, { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"], sourceSecurityGroupId: "" });
        expect(peersText(m.rules[0])).toEqual(["addresses:10.0.0.0/8@cidrBlocks[0]"]);
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
    it("a rule with none of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId is named as malformed, never silent", () => {
        const m = rules(T.ingressRule, { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 445, toPort: 445 });
        expect(problems(m.rules[0])).toEqual(["malformed cidrIpv4: is absent, and so are cidrIpv6, prefixListId and referencedSecurityGroupId: the rule needs exactly one of them"]);
        expect(peersText(m.rules[0])).toEqual(["unreadable:@cidrIpv4"]);
        const u = check(unverifiableRules, res(T.ingressRule, "nosrc", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 445, toPort: 445 }));
        expect(u.map((f) => f.urn)).toEqual([res(T.ingressRule, "nosrc", {}).urn]);
        expect(u[0].message).toContain("needs exactly one of them");
    });
    it("empty strings (how outputs write unset fields) are absent: one CIDR and an empty prefixListId is a valid rule", () => {
        const m = rules(T.ingressRule, { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8", cidrIpv6: "", prefixListId: "", referencedSecurityGroupId: "" });
        expect(problems(m.rules[0])).toEqual([]);
        expect(peersText(m.rules[0])).toEqual(["addresses:10.0.0.0/8@cidrIpv4"]);
    });
    it("two sources in one rule are malformed (the provider takes exactly one), and both are still judged", () => {
        const m = rules(T.ingressRule, { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIpv4: "0.0.0.0/0", referencedSecurityGroupId: "sg-2" });
        expect(problems(m.rules[0])).toEqual(["malformed referencedSecurityGroupId: cannot be set together with cidrIpv4: the rule takes exactly one of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId"]);
        expect(check(highRiskPorts, res(T.ingressRule, "two", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 445, toPort: 445, cidrIpv4: "0.0.0.0/0", referencedSecurityGroupId: "sg-2" }))).toHaveLength(1);
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
    it("an entry with both cidrBlock and ipv6CidrBlock is malformed (an entry takes exactly one)", () => {
        const r = fw(T.acl, { ingress: [entry(100, "deny", "tcp", 445, 445, "0.0.0.0/0", { ipv6CidrBlock: "::/0" })] }).firewall.rules[0];
        expect(problems(r)).toEqual(["malformed ingress[0].ipv6CidrBlock: cannot be set together with cidrBlock: an entry takes exactly one of them"]);
    });
    it("an entry with neither cidrBlock nor ipv6CidrBlock is malformed, and its peer unreadable", () => {
        const r = fw(T.acl, { ingress: [{ ruleNo: 100, action: "deny", protocol: "tcp", fromPort: 445, toPort: 445 }] }).firewall.rules[0];
        expect(problems(r)).toEqual(["malformed ingress[0].cidrBlock: is absent, and so is ipv6CidrBlock: an entry needs exactly one of them"]);
        expect(peersText(r)).toEqual(["unreadable:@ingress[0].cidrBlock"]);
    });
    it("two entries of one direction with one rule number are both marked ambiguous (AWS refuses the second); other directions may reuse it", () => {
        const f = fw(T.acl, { ingress: [entry(100, "deny", "tcp", 445, 445), entry(100, "allow", "tcp", 0, 65535)], egress: [entry(100, "allow", "tcp", 0, 65535)] }).firewall;
        expect(f.uniqueOrder).toBe(true);
        expect(f.rules.map((r) => r.problems.map((p) => `${p.kind} ${p.path}`))).toEqual([["ambiguous ingress[0]"], ["ambiguous ingress[1]"], []]);
        expect(f.rules[0].problems[0].problem).toContain("same ingress rule number or priority (100) as ingress[1]");
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
    it("the rules item carries uniqueOrder, and an entry with both CIDRs is malformed here too", () => {
        const m = rules(T.aclRule, { networkAclId: "acl-1", ruleNumber: 10, ruleAction: "deny", protocol: "tcp", fromPort: 445, toPort: 445, cidrBlock: "0.0.0.0/0", ipv6CidrBlock: "::/0" });
        expect(m.uniqueOrder).toBe(true);
        expect(problems(m.rules[0])).toEqual(["malformed ipv6CidrBlock: cannot be set together with cidrBlock: an entry takes exactly one of them"]);
    });
    it("egress: true is an egress rule", () => {
        expect(rules(T.aclRule, { networkAclId: "acl-1", ruleNumber: 10, egress: true, ruleAction: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0" }).rules[0].direction).toBe("egress");
    });
});

/** A deny of TCP 445 at rule 100 with `deny`'s fields, before an allow of TCP 445 at rule 200. */
const behindDeny = (deny: Record<string, unknown>) => acl("nacl", [{ ...entry(100, "deny", "tcp", 445, 445), ...deny }, entry(200, "allow", "tcp", 445, 445)], [entry(100, "allow", "tcp", 1024, 65535)]);

describe("AWS network ACLs: a deny AWS refuses never shadows the allows behind it", () => {
    it("a well-formed deny of 445 before the allow shadows it (the baseline)", () => {
        expect(check(highRiskPorts, behindDeny({}))).toEqual([]);
    });
    it.each([
        ["a rule number outside 1-32766 (0)", { ruleNo: 0 }, "ingress[0].ruleNo"],
        ["a rule number outside 1-32766 (32767, AWS's own)", { ruleNo: 32767 }, "ingress[0].ruleNo"],
        ["both cidrBlock and ipv6CidrBlock", { ipv6CidrBlock: "::/0" }, "ingress[0].ipv6CidrBlock"],
        ["neither cidrBlock nor ipv6CidrBlock", { cidrBlock: undefined }, "ingress[0].cidrBlock"],
        ["a malformed protocol", { protocol: "banana" }, "ingress[0].protocol"],
        ["a malformed port", { toPort: 70000 }, "ingress[0].toPort"],
        ["fromPort above toPort", { fromPort: 446, toPort: 445 }, "ingress[0].fromPort"],
        ["a malformed CIDR", { cidrBlock: "0.0.0.0/33" }, "ingress[0].cidrBlock"],
        ["an IPv6 CIDR in cidrBlock", { cidrBlock: "::/0" }, "ingress[0].cidrBlock"],
        ["a malformed action", { action: "maybe" }, "ingress[0].action"],
    ])("a deny with %s: the allow of 445 behind it is blocked by high-risk-ports, and unverifiable-rules names the deny", (_, deny, path) => {
        const r = behindDeny(deny);
        const rule = (modelResource(r) as FirewallItem).firewall.rules[0];
        expect(rule.problems.find((p) => p.kind !== "unknown")?.path).toBe(path);
        expect(check(highRiskPorts, r).map((f) => f.path)).toEqual(["ingress[1]"]);
        expect(check(unverifiableRules, r).map((f) => f.path)).toContain("ingress[0]");
    });
    it("a deny with the same rule number as the allow: neither is certain, the allow of 445 is judged and both are named", () => {
        const r = acl("dup", [entry(100, "deny", "tcp", 445, 445), entry(100, "allow", "tcp", 0, 65535)], [entry(100, "allow", "tcp", 1024, 65535)]);
        expect(check(highRiskPorts, r).map((f) => f.path)).toEqual(["ingress[1]"]);
        expect(check(unverifiableRules, r).map((f) => f.path)).toEqual(["ingress[0]", "ingress[1]"]);
    });
    it("a deny sharing its rule number with another deny shadows nothing: the allow of 445 behind both is blocked", () => {
        const r = acl("dup2", [entry(100, "deny", "tcp", 445, 445), entry(100, "deny", "udp", 53, 53), entry(200, "allow", "tcp", 0, 65535)], [entry(100, "allow", "tcp", 1024, 65535)]);
        expect(check(highRiskPorts, r).map((f) => f.path)).toEqual(["ingress[2]"]);
        expect(check(unverifiableRules, r).map((f) => f.path)).toEqual(["ingress[0]", "ingress[1]"]);
    });
    it("separate NetworkAclRule resources with one rule number: whichever AWS creates first stays, so the deny shadows nothing", () => {
        const rule = (name: string, props: Record<string, unknown>) => res(T.aclRule, name, { networkAclId: "acl-1", protocol: "tcp", cidrBlock: "0.0.0.0/0", ...props });
        const stack = [
            res(T.acl, "nacl", { id: "acl-1", vpcId: "vpc-1" }),
            rule("deny445", { ruleNumber: 100, ruleAction: "deny", fromPort: 445, toPort: 445 }),
            rule("allowAll", { ruleNumber: 100, ruleAction: "allow", fromPort: 0, toPort: 65535 }),
        ];
        expect(checkStack(highRiskPorts, stack).map((f) => f.urn)).toEqual([rule("allowAll", {}).urn]);
        expect(checkStack(unverifiableRules, stack).map((f) => f.urn).sort()).toEqual([rule("allowAll", {}).urn, rule("deny445", {}).urn].sort());
    });
    it("an inline entry and a separate NetworkAclRule with one rule number are both ambiguous after the join", () => {
        const stack = [
            res(T.acl, "nacl", { id: "acl-1", vpcId: "vpc-1", ingress: [entry(100, "deny", "tcp", 445, 445)] }),
            res(T.aclRule, "allowAll", { networkAclId: "acl-1", ruleNumber: 100, ruleAction: "allow", protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlock: "0.0.0.0/0" }),
        ];
        expect(checkStack(highRiskPorts, stack)).toHaveLength(1);
    });
    it("a CIDR merely unknown during preview keeps the deny: the allow behind it is not blocked but named as maybe shadowed", () => {
        const r = behindDeny({ cidrBlock: UNKNOWN });
        expect((modelResource(r) as FirewallItem).firewall.rules[0].problems.map((p) => p.kind)).toEqual(["unknown"]);
        expect(check(highRiskPorts, r)).toEqual([]);
        const u = check(unverifiableRules, r);
        expect(u.find((f) => f.path === "ingress[1]")?.message).toContain("may be shadowed by");
    });
    it("a rule number merely unknown during preview is not a refusal either: the allow is not blocked", () => {
        expect(check(highRiskPorts, behindDeny({ ruleNo: UNKNOWN }))).toEqual([]);
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
