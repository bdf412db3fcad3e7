/** Tencent Cloud adapters (props in, model out) and the policies on them. */
import { describe, it, expect } from "vitest";
import type { Firewall, Rule } from "../../src/model";
import { modelResource } from "../../src/providers";
import type { FirewallItem, RulesItem } from "../../src/providers/types";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { statelessAclReturnTraffic } from "../../src/policies/stateless-acl-return-traffic";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, checkBoth, checkStack, res, UNKNOWN } from "../helpers";

const GROUP = "tencentcloud:Security/group:Group";
const RULE = "tencentcloud:Security/groupRule:GroupRule";
const RULE_SET = "tencentcloud:Security/groupRuleSet:GroupRuleSet";
const LITE = "tencentcloud:Security/groupLiteRule:GroupLiteRule";
const ACL = "tencentcloud:Vpc/acl:Acl";
const QUINTUPLE = "tencentcloud:Vpc/networkAclQuintuple:NetworkAclQuintuple";

const group = () => res(GROUP, "sg", { id: "sg-1", name: "web" });
const rule = (name: string, props: Record<string, unknown>) => res(RULE, name, { securityGroupId: "sg-1", type: "ingress", policy: "ACCEPT", cidrIp: "0.0.0.0/0", ...props });
const one = (props: Record<string, unknown>): Rule => (modelResource(rule("r", props)) as RulesItem).rules[0];
const problems = (r: { problems: Rule["problems"] }) => r.problems.map((p) => `${p.kind} ${p.path}: ${p.problem}`);
const acl = (ingresses: unknown, egresses?: unknown, name = "acl") => res(ACL, name, { vpcId: "vpc-1", ingresses, ...(egresses === undefined ? {} : { egresses }) });
const aclModel = (ingresses: unknown, egresses?: unknown): Firewall => (modelResource(acl(ingresses, egresses)) as FirewallItem).firewall;

describe("tencentcloud:Security/group:Group", () => {
    it("is an ordered, stateful group without inline rules", () => {
        const m = modelResource(group()) as FirewallItem;
        expect(m).toMatchObject({ inlineFields: [], rulesElsewhere: true });
        expect(m.firewall).toMatchObject({ stateless: false, ordered: true, keys: ["sg-1"] });
    });
});

describe("tencentcloud:Security/groupRule:GroupRule", () => {
    it("reads ACCEPT/DROP, the protocol and policyIndex as the order", () => {
        const m = modelResource(rule("r", { ipProtocol: "TCP", portRange: "80-90", policyIndex: 3 })) as RulesItem;
        expect(m).toMatchObject({ kind: "rules", parentProperty: "securityGroupId", parentKey: "sg-1", ordered: true, stateless: false });
        expect(m.rules[0]).toMatchObject({ direction: "ingress", action: "allow", protocol: "tcp", order: 3, problems: [] });
        expect(m.rules[0].ports?.toString()).toBe("80-90");
        expect(one({ policy: "DROP", ipProtocol: "UDP", portRange: "53", policyIndex: 0 })).toMatchObject({ action: "deny", protocol: "udp", order: 0 });
    });
    it('reads "80,90" as two ports; ALL or no portRange as every port; no ipProtocol as every protocol', () => {
        expect(one({ ipProtocol: "TCP", portRange: "80,90" }).ports?.toString()).toBe("80, 90");
        expect(one({ ipProtocol: "TCP", portRange: "ALL" }).ports?.isAll).toBe(true);
        const r = one({});
        expect(r.protocol).toBe("all");
        expect(r.ports?.isAll).toBe(true);
    });
    it("ALL and ICMP take only port ALL", () => {
        expect(problems(one({ ipProtocol: "ALL", portRange: "80" }))).toEqual(['malformed portRange: "80": all protocols takes only ALL']);
        expect(problems(one({ ipProtocol: "ICMP", portRange: "80" }))).toEqual(['malformed portRange: "80": ICMP takes only ALL']);
    });
    it("sourceSgid and addressTemplate are references; a protocolTemplate hides protocol and ports", () => {
        expect(one({ cidrIp: undefined, sourceSgid: "sg-2" }).peers).toEqual([{ kind: "reference", refKind: "security group", ref: "sg-2", path: "sourceSgid" }]);
        expect(one({ cidrIp: undefined, addressTemplate: { templateId: "ipm-1" } }).peers).toEqual([{ kind: "reference", refKind: "address template", ref: "ipm-1", path: "addressTemplate.templateId" }]);
        const t = one({ protocolTemplate: { groupId: "ppmg-1" }, ipProtocol: "TCP", portRange: "445" });
        expect(t.protocol).toBeUndefined();
        expect(t.ports).toBeUndefined();
        expect(problems(t)).toEqual([
            "ambiguous protocolTemplate.groupId: names a protocol-port template: the rule's protocol and ports are kept in the template, which portguard cannot read, so the rule cannot be judged. Fix: state the protocol and ports on the rule, or exempt it",
        ]);
    });
    it("a rule without cidrIp, sourceSgid or addressTemplate is malformed", () => {
        expect(problems(one({ cidrIp: undefined }))).toEqual(["malformed cidrIp: is absent, and so are sourceSgid and addressTemplate: Tencent needs one of them"]);
    });
    it("records malformed values with their paths", () => {
        const r = one({ policy: "MAYBE", ipProtocol: "banana", cidrIp: "300.0.0.0/8", type: "sideways" });
        expect(r.problems.map((p) => p.path)).toEqual(["type", "policy", "ipProtocol", "cidrIp"]);
        expect(problems(one({ ipProtocol: "TCP", portRange: "70000" }))).toEqual(['malformed portRange: "70000" is not a port or port range']);
    });
    it("a DROP without policyIndex has an unsure position; an ACCEPT without one is simply unordered", () => {
        expect(one({ policy: "DROP" })).toMatchObject({ action: "deny", order: undefined, unsure: { order: true } });
        expect(problems(one({ policy: "DROP" }))).toEqual(["ambiguous policyIndex: is absent: Tencent Cloud then places this DROP itself, so which rules it comes before, and shadows, cannot be known. Fix: set policyIndex"]);
        expect(problems(one({ policy: "DROP", policyIndex: 3 }))).toEqual([]);
        expect(problems(one({}))).toEqual([]);
        expect(one({})).toMatchObject({ action: "allow", order: undefined, unsure: { order: false } });
    });
});

describe("Tencent security groups under the policies", () => {
    it("ALL protocols from 0.0.0.0/0 is flagged by unrestricted-ingress at stack level, not at resource level", () => {
        const r = rule("open", { ipProtocol: "ALL" });
        const { resource, stack } = checkBoth(unrestrictedIngress, [group(), r]);
        expect(resource).toEqual([]);
        expect(stack.map((f) => f.urn)).toEqual([r.urn]);
    });
    it("a DROP at policyIndex 0 shadows an ACCEPT of 445 at policyIndex 1", () => {
        expect(checkStack(highRiskPorts, [group(), rule("drop", { policy: "DROP", policyIndex: 0 }), rule("smb", { ipProtocol: "TCP", portRange: "445", policyIndex: 1 })])).toEqual([]);
        expect(checkStack(highRiskPorts, [group(), rule("drop", { policy: "DROP", policyIndex: 2 }), rule("smb", { ipProtocol: "TCP", portRange: "445", policyIndex: 1 })])).toHaveLength(1);
    });
    it("a DROP without policyIndex may sit before the ACCEPT: not blocked, reported as unverifiable", () => {
        const rs = [group(), rule("drop", { policy: "DROP" }), rule("smb", { ipProtocol: "TCP", portRange: "445" })];
        expect(checkStack(highRiskPorts, rs)).toEqual([]);
        const u = checkBoth(unverifiableRules, rs).stack; // after resource level, which reports the DROP's own problem
        expect(u.map((f) => f.urn)).toEqual([rule("smb", {}).urn]);
        expect(u[0].message).toContain("may be shadowed by");
    });
    it("ACCEPTs without policyIndex and no DROP are judged (a union of allows)", () => {
        expect(checkStack(highRiskPorts, [group(), rule("smb", { ipProtocol: "TCP", portRange: "445" })])).toHaveLength(1);
    });
});

describe("tencentcloud:Security/groupRuleSet:GroupRuleSet", () => {
    const set = (props: Record<string, unknown>) => res(RULE_SET, "set", { securityGroupId: "sg-1", ...props });
    it("list order is the priority; cidrBlock, ipv6CidrBlock and sourceSecurityId are peers", () => {
        const m = modelResource(
            set({
                ingresses: [
                    { action: "DROP", protocol: "TCP", port: "445", cidrBlock: "0.0.0.0/0" },
                    { action: "ACCEPT", protocol: "TCP", port: "80,443", ipv6CidrBlock: "::/0" },
                    { action: "ACCEPT", sourceSecurityId: "sg-2" },
                ],
                egresses: [{ action: "ACCEPT", protocol: "ALL", port: "ALL", cidrBlock: "0.0.0.0/0" }],
            }),
        ) as RulesItem;
        expect(m).toMatchObject({ parentKey: "sg-1", ordered: true });
        expect(m.rules.map((r) => [r.path, r.direction, r.action, r.order, r.protocol, r.ports?.toString(), r.peers[0].kind])).toEqual([
            ["ingresses[0]", "ingress", "deny", 0, "tcp", "445", "addresses"],
            ["ingresses[1]", "ingress", "allow", 1, "tcp", "80, 443", "addresses"],
            ["ingresses[2]", "ingress", "allow", 2, "all", "0-65535", "reference"],
            ["egresses[0]", "egress", "allow", 0, "all", "0-65535", "addresses"],
        ]);
    });
    it("a service template hides the protocol; a null entry may be a DROP", () => {
        const m = modelResource(set({ ingresses: [null, { action: "ACCEPT", serviceTemplateId: "ppm-1", cidrBlock: "0.0.0.0/0" }] })) as RulesItem;
        expect(m.rules[0]).toMatchObject({ unsure: { action: true }, problems: [{ path: "ingresses[0]" }] });
        expect(m.rules[1]).toMatchObject({ protocol: undefined, problems: [{ kind: "ambiguous", path: "ingresses[1].serviceTemplateId" }] });
    });
    it("a DROP first shadows a later ACCEPT of 445 once joined", () => {
        const s = set({ ingresses: [{ action: "DROP", protocol: "TCP", port: "445", cidrBlock: "0.0.0.0/0" }, { action: "ACCEPT", protocol: "TCP", port: "445", cidrBlock: "0.0.0.0/0" }] });
        expect(checkStack(highRiskPorts, [group(), s])).toEqual([]);
    });
});

describe("tencentcloud:Security/groupLiteRule:GroupLiteRule", () => {
    it("parses ACTION#SOURCE#PORT#PROTOCOL strings; sources may be groups or templates, protocols templates", () => {
        const m = modelResource(res(LITE, "lite", { securityGroupId: "sg-1", ingresses: ["ACCEPT#10.0.0.0/8#80,443#TCP", "DROP#sg-2#ALL#ALL", "ACCEPT#ipm-1#22#TCP", "ACCEPT#0.0.0.0/0#ALL#ppm-1"] })) as RulesItem;
        expect(m.rules.map((r) => [r.action, r.order, r.protocol, r.ports?.toString(), r.peers[0].kind])).toEqual([
            ["allow", 0, "tcp", "80, 443", "addresses"],
            ["deny", 1, "all", "0-65535", "reference"],
            ["allow", 2, "tcp", "22", "reference"],
            ["allow", 3, undefined, undefined, "addresses"],
        ]);
        expect(m.rules.flatMap(problems)).toEqual([]);
    });
});

describe("tencentcloud:Vpc/acl:Acl", () => {
    it("parses ACTION#CIDR#PORT#PROTOCOL[#DESC] strings in list order, as a stateless ACL", () => {
        const f = aclModel(["ACCEPT#192.168.1.0/24#800-900#TCP", "DROP#0.0.0.0/0#ALL#ALL#BLOCK REST"], ["ACCEPT#0.0.0.0/0#ALL#ICMP"]);
        expect(f).toMatchObject({ stateless: true, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } });
        expect(f.rules.map((r) => [r.path, r.direction, r.action, r.order, r.protocol, r.ports?.toString()])).toEqual([
            ["ingresses[0]", "ingress", "allow", 0, "tcp", "800-900"],
            ["ingresses[1]", "ingress", "deny", 1, "all", "0-65535"],
            ["egresses[0]", "egress", "allow", 0, "icmp", "0-65535"],
        ]);
        expect(f.rules[0].peers).toMatchObject([{ kind: "addresses", text: "192.168.1.0/24", path: "ingresses[0]" }]);
        expect(f.rules.flatMap(problems)).toEqual([]);
    });
    it("a string with too few # fields is malformed and may be a DROP", () => {
        const f = aclModel(["ACCEPT#0.0.0.0/0#445"]);
        expect(problems(f.rules[0])).toEqual(["malformed ingresses[0]: has 3 of the 4 #-separated fields ACTION#CIDR#PORT#PROTOCOL"]);
        expect(f.rules[0].unsure).toEqual({ action: true });
    });
    it("names the bad field of a string without echoing the rest", () => {
        const f = aclModel(["PERMIT#10.0.0.0/33#99999#SCTP#SECRET NOTE"]);
        expect(problems(f.rules[0])).toEqual([
            'malformed ingresses[0]: action field "PERMIT" is not one of ACCEPT, DROP',
            'malformed ingresses[0]: protocol field "SCTP" is not one of TCP, UDP, ICMP, ALL',
            'malformed ingresses[0]: port field "99999" is not a port or port range',
            'malformed ingresses[0]: CIDR field "10.0.0.0/33" has prefix length 33, more than 32',
        ]);
        expect(check(unverifiableRules, acl(["PERMIT#10.0.0.0/33#99999#SCTP#SECRET NOTE"]))[0].message).not.toContain("SECRET");
        expect(problems(aclModel(["ACCEPT#0.0.0.0/0#80#ICMP"]).rules[0])).toEqual(['malformed ingresses[0]: port field "80": ICMP takes only ALL']);
    });
    it("a string where the rule list belongs is a problem of the ACL", () => {
        const m = modelResource(acl("ACCEPT#0.0.0.0/0#445#TCP")) as FirewallItem;
        expect(problems(m.firewall)).toEqual(["malformed ingresses: is a string, not a list"]);
        expect(m.firewall.rules).toEqual([]);
    });
    it("a null or non-string element is malformed", () => {
        expect(aclModel([null, 7]).rules.flatMap(problems)).toEqual(["malformed ingresses[0]: is null inside a list of strings", "malformed ingresses[1]: is a number inside a list of strings"]);
    });
});

describe("Tencent ACLs under the policies", () => {
    it("a parsed ACCEPT of 445 from anywhere is blocked, without echoing the description", () => {
        const f = check(highRiskPorts, acl(["ACCEPT#0.0.0.0/0#445#TCP#PASSWORD HUNTER2"]));
        expect(f).toHaveLength(1);
        expect(f[0].path).toBe("ingresses[0]");
        expect(f[0].message).toContain("TCP 445");
        expect(f[0].message).not.toContain("HUNTER2");
    });
    it("a DROP listed first shadows it", () => {
        expect(check(highRiskPorts, acl(["DROP#0.0.0.0/0#445#TCP", "ACCEPT#0.0.0.0/0#445#TCP"]))).toEqual([]);
    });
    it("a malformed string is reported by unverifiable-rules, and the ACCEPT behind it is not judged", () => {
        const r = acl(["DROP#0.0.0.0/0", "ACCEPT#0.0.0.0/0#445#TCP"]);
        expect(check(highRiskPorts, r)).toEqual([]);
        const f = check(unverifiableRules, r);
        expect(f.map((x) => x.path)).toEqual(["ingresses[0]", "ingresses[1]"]);
        expect(f[0].message).toContain("has 2 of the 4 #-separated fields");
    });
    it("inbound 443 without an outbound ephemeral rule is flagged (Tencent ACLs are judged stateless)", () => {
        const f = check(statelessAclReturnTraffic, acl(["ACCEPT#0.0.0.0/0#443#TCP"], []));
        expect(f.map((x) => x.path)).toEqual(["ingresses[0]"]);
    });
    it("statefulTypes turns the check off for Tencent ACLs", () => {
        expect(check(statelessAclReturnTraffic, acl(["ACCEPT#0.0.0.0/0#443#TCP"], []), { statefulTypes: [ACL] })).toEqual([]);
    });
    it("with an outbound 1024-65535 rule the replies pass", () => {
        expect(check(statelessAclReturnTraffic, acl(["ACCEPT#0.0.0.0/0#443#TCP"], ["ACCEPT#0.0.0.0/0#1024-65535#TCP"]), { localClients: [] })).toEqual([]);
    });
});

describe("tencentcloud:Vpc/networkAclQuintuple:NetworkAclQuintuple", () => {
    const q = (name: string, ingresses: unknown[], deps?: Record<string, string[]>) => res(QUINTUPLE, name, { networkAclId: deps ? UNKNOWN : "acl-1", networkAclQuintupleSet: { ingresses } }, deps);
    const e = (action: string, extra: Record<string, unknown> = {}) => ({ action, protocol: "TCP", destinationPort: "445", sourceCidr: "0.0.0.0/0", ...extra });
    it("reads entries ordered by priority (list position when absent) into a stateless rules item", () => {
        const m = modelResource(q("q", [e("ACCEPT", { priority: 5 }), e("DROP")])) as RulesItem;
        expect(m).toMatchObject({ parentProperty: "networkAclId", parentKey: "acl-1", stateless: true, ordered: true });
        expect(m.rules.map((r) => [r.path, r.action, r.order, r.scope])).toEqual([
            ["networkAclQuintupleSet.ingresses[0]", "allow", 5, undefined],
            ["networkAclQuintupleSet.ingresses[1]", "deny", 2, undefined],
        ]);
    });
    it("the local destinationCidr and sourcePort narrow an ingress entry: its scope", () => {
        const m = modelResource(q("q", [e("DROP", { destinationCidr: "10.0.1.0/24" }), e("DROP", { sourcePort: "1024-65535" }), e("DROP", { destinationCidr: "0.0.0.0/0", sourcePort: "ALL" })])) as RulesItem;
        expect(m.rules.map((r) => r.scope === undefined)).toEqual([false, false, true]);
    });
    it("a DROP narrowed to some local addresses does not shadow an ACCEPT of 445 for all of them", () => {
        const parent = res(ACL, "acl", { vpcId: "vpc-1" });
        const narrow = q("q", [e("DROP", { destinationCidr: "10.0.1.0/24", priority: 1 }), e("ACCEPT", { priority: 2 })], { networkAclId: [parent.urn] });
        expect(checkStack(highRiskPorts, [parent, narrow])).toHaveLength(1);
        const wide = q("q", [e("DROP", { priority: 1 }), e("ACCEPT", { priority: 2 })], { networkAclId: [parent.urn] });
        expect(checkStack(highRiskPorts, [parent, wide])).toEqual([]);
    });
    it("records malformed entries with their paths", () => {
        const m = modelResource(q("q", [{ protocol: "TCP", destinationPort: "445" }, null])) as RulesItem;
        expect(m.rules.flatMap(problems)).toEqual([
            "malformed networkAclQuintupleSet.ingresses[0].action: is required but absent",
            "malformed networkAclQuintupleSet.ingresses[0].sourceCidr: is required but absent",
            "malformed networkAclQuintupleSet.ingresses[1]: is null inside the list",
        ]);
    });
});
