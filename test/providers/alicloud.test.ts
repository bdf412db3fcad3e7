/** Alibaba Cloud adapters (props in, model out) and the policies on them. */
import { describe, it, expect } from "vitest";
import type { Rule } from "../../src/model";
import { modelResource } from "../../src/providers";
import type { FirewallItem, PrefixListItem, RulesItem } from "../../src/providers/types";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { statelessAclReturnTraffic } from "../../src/policies/stateless-acl-return-traffic";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, checkBoth, checkStack, res, UNKNOWN } from "../helpers";

const SG = "alicloud:ecs/securityGroup:SecurityGroup";
const RULE = "alicloud:ecs/securityGroupRule:SecurityGroupRule";
const ACL = "alicloud:vpc/networkAcl:NetworkAcl";
const ENTRIES = "alicloud:vpc/networkAclEntries:NetworkAclEntries";
const ECS_PL = "alicloud:ecs/ecsPrefixList:EcsPrefixList";
const VPC_PL = "alicloud:vpc/prefixList:PrefixList";

const group = (name = "sg", id = "sg-1") => res(SG, name, { id, vpcId: "vpc-1" });
/** A separate rule resource of group `sg-1` (ingress, accept, priority 1 unless overridden). */
const rule = (name: string, props: Record<string, unknown>) => res(RULE, name, { securityGroupId: "sg-1", type: "ingress", ipProtocol: "tcp", cidrIp: "0.0.0.0/0", ...props });
const ruleModel = (props: Record<string, unknown>) => modelResource(rule("r", props)) as RulesItem;
const one = (props: Record<string, unknown>): Rule => ruleModel(props).rules[0];
const problems = (r: { problems: Rule["problems"] }) => r.problems.map((p) => `${p.kind} ${p.path}: ${p.problem}`);
const aclRes = (name: string, ingress: unknown, egress?: unknown) => res(ACL, name, { vpcId: "vpc-1", ingressAclEntries: ingress, ...(egress === undefined ? {} : { egressAclEntries: egress }) });
const aclModel = (ingress: unknown, egress?: unknown) => (modelResource(aclRes("acl", ingress, egress)) as FirewallItem).firewall;
const inEntry = (protocol: string, port: string | undefined, policy = "accept", sourceCidrIp = "0.0.0.0/0") => ({ protocol, ...(port === undefined ? {} : { port }), policy, sourceCidrIp });
const outEntry = (protocol: string, port: string | undefined, policy = "accept", destinationCidrIp = "0.0.0.0/0") => ({ protocol, ...(port === undefined ? {} : { port }), policy, destinationCidrIp });

describe("alicloud:ecs/securityGroup:SecurityGroup", () => {
    it("is an ordered, stateful group without inline rules, known by its id", () => {
        const m = modelResource(group()) as FirewallItem;
        expect(m.kind).toBe("firewall");
        expect(m.inlineFields).toEqual([]);
        expect(m.rulesElsewhere).toBe(true);
        expect(m.firewall).toMatchObject({ stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "allow" }, keys: ["sg-1"], rules: [] });
    });
});

describe("alicloud:ecs/securityGroupRule:SecurityGroupRule", () => {
    it("reads one rule of an ordered, stateful group: portRange 22/22, default accept at priority 1", () => {
        const m = ruleModel({ portRange: "22/22" });
        expect(m).toMatchObject({ kind: "rules", parentProperty: "securityGroupId", parentKey: "sg-1", stateless: false, ordered: true });
        expect(m.rules).toHaveLength(1);
        expect(m.rules[0]).toMatchObject({ path: "", direction: "ingress", action: "allow", protocol: "tcp", order: 1, problems: [] });
        expect(m.rules[0].ports?.toString()).toBe("22");
        expect(m.rules[0].peers).toMatchObject([{ kind: "addresses", text: "0.0.0.0/0", path: "cidrIp" }]);
    });
    it("policy drop is a deny and priority is the order", () => {
        expect(one({ portRange: "1/65535", policy: "drop", priority: 10 })).toMatchObject({ action: "deny", order: 10 });
    });
    it("ipProtocol all with -1/-1 (or no portRange) is every protocol and port", () => {
        for (const r of [one({ ipProtocol: "all", portRange: "-1/-1" }), one({ ipProtocol: "all" })]) {
            expect(r.protocol).toBe("all");
            expect(r.ports?.isAll).toBe(true);
            expect(r.problems).toEqual([]);
        }
    });
    it("TCP with -1/-1, or without portRange (its default -1/-1), is malformed: Alibaba needs a range", () => {
        expect(problems(one({ portRange: "-1/-1" }))).toEqual(['malformed portRange: "-1/-1" is only valid for all, icmp and gre; TCP needs a range such as "1/65535"']);
        expect(problems(one({}))[0]).toMatch(/^malformed portRange: is required for TCP/);
    });
    it("ICMP and GRE take only -1/-1", () => {
        expect(one({ ipProtocol: "icmp", portRange: "-1/-1" }).problems).toEqual([]);
        expect(problems(one({ ipProtocol: "gre", portRange: "22/22" }))).toEqual(['malformed portRange: "22/22" is only valid for TCP and UDP; IP protocol 47 takes "-1/-1"']);
    });
    it("ipv6CidrIp and sourceSecurityGroupId are peers; an unknown group id is expected during preview", () => {
        const r = one({ cidrIp: undefined, ipv6CidrIp: "::/0", sourceSecurityGroupId: UNKNOWN, portRange: "80/80" });
        expect(r.peers).toMatchObject([
            { kind: "addresses", text: "::/0", path: "ipv6CidrIp" },
            { kind: "reference", refKind: "security group", ref: "(not known until apply)", path: "sourceSecurityGroupId" },
        ]);
        expect(r.problems).toEqual([]);
    });
    it("prefixListId is a prefix-list peer, ignored (as Alibaba does) when a CIDR is given", () => {
        expect(one({ cidrIp: undefined, prefixListId: "pl-1", portRange: "80/80" }).peers).toMatchObject([{ kind: "prefix-list", id: "pl-1", path: "prefixListId" }]);
        expect(one({ cidrIp: "10.0.0.0/8", prefixListId: "pl-1", portRange: "80/80" }).peers.map((p) => p.kind)).toEqual(["addresses"]);
    });
    it("a rule without any source is malformed (Alibaba does not default to 0.0.0.0/0)", () => {
        const r = one({ cidrIp: undefined, portRange: "80/80" });
        expect(problems(r)).toEqual(["malformed cidrIp: is absent, and so are ipv6CidrIp, sourceSecurityGroupId and prefixListId: Alibaba needs one of them"]);
        expect(r.peers).toEqual([{ kind: "unreadable", path: "cidrIp" }]);
    });
    it("records malformed values with their paths", () => {
        const r = one({ ipProtocol: "banana", portRange: "1/70000", cidrIp: "10.0.0.0/33", priority: 0, nicType: "wifi", policy: "maybe" });
        expect(r.problems.map((p) => p.path)).toEqual(["policy", "ipProtocol", "portRange", "priority", "nicType", "cidrIp"]);
        expect(r.unsure).toMatchObject({ action: true });
    });
    it("a port range string such as 22-22 (not 22/22) is malformed", () => {
        expect(problems(one({ portRange: "22-22" }))).toEqual(['malformed portRange: "22-22" is not a port range such as "22/22", "1/65535" or "-1/-1"']);
    });
    it("nicType intranet keeps the declared sources (in a VPC the intranet rules filter internet traffic)", () => {
        const r = one({ portRange: "22/22", nicType: "intranet" });
        expect(r.problems).toEqual([]);
        expect(r.peers).toMatchObject([{ kind: "addresses", text: "0.0.0.0/0" }]);
    });
    it("an unknown type places the rule in both directions, unreadable", () => {
        const m = ruleModel({ type: UNKNOWN, policy: "drop", portRange: "1/65535" });
        expect(m.rules.map((r) => r.direction)).toEqual(["ingress", "egress"]);
        expect(m.rules[0]).toMatchObject({ action: "deny", unsure: { direction: true }, peers: [{ kind: "unreadable", path: "type" }] });
    });
    it("an unknown priority makes the order unsure", () => {
        expect(one({ portRange: "22/22", priority: UNKNOWN })).toMatchObject({ order: undefined, unsure: { order: true } });
    });
});

describe("Alibaba security groups under the policies", () => {
    it("ipProtocol all with -1/-1 from 0.0.0.0/0 is flagged by unrestricted-ingress at stack level, not at resource level", () => {
        const { resource, stack } = checkBoth(unrestrictedIngress, [group(), rule("open", { ipProtocol: "all", portRange: "-1/-1" })]);
        expect(resource).toEqual([]);
        expect(stack).toHaveLength(1);
        expect(stack[0].urn).toBe(rule("open", {}).urn);
        expect(stack[0].message).toContain("all protocols and ports");
    });
    it("a drop at priority 1 shadows an accept of 445 at priority 10: high-risk-ports passes", () => {
        const f = checkStack(highRiskPorts, [group(), rule("drop", { policy: "drop", priority: 1, portRange: "1/65535" }), rule("smb", { priority: 10, portRange: "445/445" })]);
        expect(f).toEqual([]);
    });
    it("the same accept of 445 without the drop is blocked", () => {
        const f = checkStack(highRiskPorts, [group(), rule("smb", { priority: 10, portRange: "445/445" })]);
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("TCP 445");
    });
    it("a drop at a LOWER priority (a higher number) than the accept does not shadow it", () => {
        const f = checkStack(highRiskPorts, [group(), rule("drop", { policy: "drop", priority: 20, portRange: "1/65535" }), rule("smb", { priority: 10, portRange: "445/445" })]);
        expect(f).toHaveLength(1);
    });
    it("at equal priority the drop wins", () => {
        const f = checkStack(highRiskPorts, [group(), rule("drop", { policy: "drop", priority: 5, portRange: "445/445" }), rule("smb", { priority: 5, portRange: "445/445" })]);
        expect(f).toEqual([]);
    });
    it("equal priorities are allowed (no uniqueOrder): the rules item does not mark them", () => {
        expect(ruleModel({ portRange: "22/22" }).uniqueOrder).toBeUndefined();
    });
    describe("a drop Alibaba refuses never shadows the accept of 445 behind it", () => {
        const cases: Array<[string, Record<string, unknown>, string]> = [
            ["priority 0 (outside 1-100)", { priority: 0 }, "priority"],
            ["priority 101 (outside 1-100)", { priority: 101 }, "priority"],
            ["a malformed protocol", { ipProtocol: "banana" }, "ipProtocol"],
            ["a malformed port range", { portRange: "445/70000" }, "portRange"],
            ["-1/-1 on TCP", { portRange: "-1/-1" }, "portRange"],
            ["a malformed CIDR", { cidrIp: "0.0.0.0/33" }, "cidrIp"],
            ["cidrIp together with sourceSecurityGroupId", { sourceSecurityGroupId: "sg-9" }, "sourceSecurityGroupId"],
            ["cidrIp together with ipv6CidrIp", { ipv6CidrIp: "::/0" }, "ipv6CidrIp"],
            ["no source at all", { cidrIp: undefined }, "cidrIp"],
        ];
        for (const [name, patch, path] of cases) {
            it(`a drop with ${name}: high-risk-ports blocks the accept, unverifiable-rules names the drop`, () => {
                const drop = rule("drop", { policy: "drop", priority: 1, portRange: "445/445", ...patch });
                const stack = [group(), drop, rule("smb", { priority: 10, portRange: "445/445" })];
                expect((modelResource(drop) as RulesItem).rules[0].problems.find((p) => p.kind !== "unknown")?.path).toBe(path);
                expect(checkStack(highRiskPorts, stack).map((f) => f.urn)).toEqual([rule("smb", {}).urn]);
                expect(check(unverifiableRules, drop).map((f) => f.urn)).toEqual([drop.urn]);
            });
        }
        it("a priority merely unknown during preview keeps the drop: the accept is not blocked", () => {
            expect(checkStack(highRiskPorts, [group(), rule("drop", { policy: "drop", priority: UNKNOWN, portRange: "445/445" }), rule("smb", { priority: 10, portRange: "445/445" })])).toEqual([]);
        });
    });
    it("rules join their group through propertyDependencies while its id is unknown", () => {
        const g = res(SG, "sg", { vpcId: UNKNOWN });
        const r = res(RULE, "smb", { securityGroupId: UNKNOWN, type: "ingress", ipProtocol: "tcp", portRange: "445/445", cidrIp: "0.0.0.0/0" }, { securityGroupId: [g.urn] });
        const d = res(RULE, "drop", { securityGroupId: UNKNOWN, type: "ingress", ipProtocol: "all", policy: "drop", cidrIp: "0.0.0.0/0" }, { securityGroupId: [g.urn] });
        expect(checkStack(highRiskPorts, [g, r, d])).toEqual([]);
        expect(checkStack(highRiskPorts, [g, r])).toHaveLength(1);
    });
    it("an ECS prefix list in the stack resolves prefixListId: 0.0.0.0/0 inside it is unrestricted", () => {
        const pl = res(ECS_PL, "pl", { id: "pl-1", entries: [{ cidr: "0.0.0.0/0" }] });
        const f = checkStack(unrestrictedIngress, [pl, group(), rule("open", { cidrIp: undefined, prefixListId: "pl-1", ipProtocol: "all" })]);
        expect(f).toHaveLength(1);
        expect(checkStack(unrestrictedIngress, [group(), rule("open", { cidrIp: undefined, prefixListId: "pl-1", ipProtocol: "all" })])).toEqual([]);
    });
    it("a malformed rule is reported by unverifiable-rules at resource level", () => {
        const f = check(unverifiableRules, rule("bad", { portRange: "1/70000" }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain('portRange "1/70000" is not a range inside 1-65535');
    });
});

describe("alicloud:vpc/networkAcl:NetworkAcl", () => {
    it("is stateless and ordered by list position, ingress from sourceCidrIp and egress to destinationCidrIp", () => {
        const f = aclModel([inEntry("tcp", "80/80"), inEntry("all", "-1/-1", "drop")], [outEntry("tcp", "1024/65535")]);
        expect(f).toMatchObject({ stateless: true, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } });
        expect(f.rules.map((r) => [r.path, r.direction, r.action, r.order, r.ports?.toString()])).toEqual([
            ["ingressAclEntries[0]", "ingress", "allow", 0, "80"],
            ["ingressAclEntries[1]", "ingress", "deny", 1, "0-65535"],
            ["egressAclEntries[0]", "egress", "allow", 0, "1024-65535"],
        ]);
        expect(f.rules[0].peers).toMatchObject([{ kind: "addresses", path: "ingressAclEntries[0].sourceCidrIp" }]);
        expect(f.rules[2].peers).toMatchObject([{ kind: "addresses", path: "egressAclEntries[0].destinationCidrIp" }]);
    });
    it("a pl- source is a prefix list; ipVersion constrains the CIDR family", () => {
        const f = aclModel([inEntry("tcp", "80/80", "accept", "pl-9"), { ...inEntry("tcp", "80/80", "accept", "0.0.0.0/0"), ipVersion: "IPv6" }]);
        expect(f.rules[0].peers).toMatchObject([{ kind: "prefix-list", id: "pl-9" }]);
        expect(problems(f.rules[1])).toEqual(['malformed ingressAclEntries[1].sourceCidrIp: "0.0.0.0/0" is IPv4 where IPv6 is expected']);
    });
    it("a null entry, which the cloud refuses, shadows nothing: the accept of 445 behind it is blocked and the null is named", () => {
        const f = aclModel([null, inEntry("tcp", "445/445")]);
        expect(f.rules[0]).toMatchObject({ unsure: { action: true }, problems: [{ kind: "malformed", path: "ingressAclEntries[0]" }] });
        const r = aclRes("acl", [null, inEntry("tcp", "445/445")]);
        expect(check(highRiskPorts, r).map((x) => x.path)).toEqual(["ingressAclEntries[1]"]);
        expect(check(unverifiableRules, r).map((x) => x.path)).toEqual(["ingressAclEntries[0]"]);
    });
    it("a string where the entry list belongs is a problem of the ACL", () => {
        const m = modelResource(aclRes("acl", "0.0.0.0/0")) as FirewallItem;
        expect(problems(m.firewall)).toEqual(["malformed ingressAclEntries: is a string, not a list"]);
        expect(m.inlineFields).toEqual(["ingressAclEntries"]);
    });
    it("a drop listed first shadows a later accept of 445 (first match wins); listed after, it does not", () => {
        const first = check(highRiskPorts, aclRes("acl", [inEntry("tcp", "445/445", "drop"), inEntry("tcp", "440/450")]));
        expect(first).toHaveLength(1);
        expect(first[0].message).toContain("high-risk TCP 444 from");
        expect(first[0].message).not.toMatch(/\b445\b/);
        const after = check(highRiskPorts, aclRes("acl", [inEntry("tcp", "440/450"), inEntry("tcp", "445/445", "drop")]));
        expect(after[0].message).toContain("TCP 444-445");
    });
    it("HTTPS 443 inbound without an egress ephemeral entry is flagged by stateless-acl-return-traffic", () => {
        const f = check(statelessAclReturnTraffic, aclRes("acl", [inEntry("tcp", "443/443")], [outEntry("tcp", "443/443")]), { localClients: [] });
        expect(f).toHaveLength(1);
        expect(f[0].path).toBe("ingressAclEntries[0]");
        expect(f[0].message).toContain("lets TCP 443 in from 0.0.0.0/0");
    });
    it("with Alibaba's recommended 1024/65535 egress entry the replies pass", () => {
        expect(check(statelessAclReturnTraffic, aclRes("acl", [inEntry("tcp", "443/443")], [outEntry("tcp", "1024/65535")]), { localClients: [] })).toEqual([]);
    });
});

describe("alicloud:vpc/networkAclEntries:NetworkAclEntries (deprecated)", () => {
    const entries = (props: Record<string, unknown>, deps?: Record<string, string[]>) => res(ENTRIES, "entries", { networkAclId: "acl-1", ...props }, deps);
    it("is a stateless, ordered rules item of its ACL", () => {
        const m = modelResource(entries({ ingresses: [inEntry("tcp", "80/80"), inEntry("all", "-1/-1", "drop")], egresses: [outEntry("tcp", "1024/65535")] })) as RulesItem;
        expect(m).toMatchObject({ kind: "rules", parentProperty: "networkAclId", parentKey: "acl-1", stateless: true, ordered: true });
        expect(m.rules.map((r) => [r.path, r.direction, r.order])).toEqual([
            ["ingresses[0]", "ingress", 0],
            ["ingresses[1]", "ingress", 1],
            ["egresses[0]", "egress", 0],
        ]);
    });
    it("joins its ACL in the stack, where the return-traffic check applies", () => {
        const parent = res(ACL, "acl", { vpcId: "vpc-1" });
        const e = entries({ networkAclId: UNKNOWN, ingresses: [inEntry("tcp", "443/443")] }, { networkAclId: [parent.urn] });
        const { resource, stack } = checkBoth(statelessAclReturnTraffic, [parent, e]);
        expect(resource).toEqual([]);
        expect(stack).toHaveLength(1);
        expect(stack[0].urn).toBe(e.urn);
    });
});

describe("Alibaba prefix lists", () => {
    it("ECS prefix lists read entries[].cidr, VPC prefix lists entrys[].cidr", () => {
        const a = modelResource(res(ECS_PL, "a", { id: "pl-a", entries: [{ cidr: "10.0.0.0/8" }] })) as PrefixListItem;
        const b = modelResource(res(VPC_PL, "b", { id: "pl-b", entrys: [{ cidr: "192.168.0.0/16" }, { cidr: "bad" }] })) as PrefixListItem;
        expect(a).toMatchObject({ kind: "prefix-list", keys: ["pl-a"], incomplete: false });
        expect(a.set.toString()).toBe("10.0.0.0/8");
        expect(b).toMatchObject({ keys: ["pl-b"], incomplete: true });
        expect(b.set.toString()).toBe("192.168.0.0/16");
    });
});
