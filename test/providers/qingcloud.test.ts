/** QingCloud (the seed's own cloud, via the Terraform bridge): adapter and the policies on it. */
import { describe, it, expect } from "vitest";
import type { Rule } from "../../src/model";
import { AddressSet } from "../../src/net/addresses";
import { modelResource } from "../../src/providers";
import type { FirewallItem, RulesItem } from "../../src/providers/types";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { exposedServicePorts } from "../../src/policies/exposed-service-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { statelessAclReturnTraffic } from "../../src/policies/stateless-acl-return-traffic";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, checkBoth, checkStack, res, UNKNOWN } from "../helpers";

const GROUP = "qingcloud:index/securityGroup:SecurityGroup";
const RULE = "qingcloud:index/securityGroupRule:SecurityGroupRule";

const group = (name = "sg", id = "sg-6ft05wt6") => res(GROUP, name, { id, name });
/** An inbound accept of TCP `from`-`to` from `cidrBlock` (absent = any). */
const rule = (name: string, props: Record<string, unknown>, deps?: Record<string, string[]>) =>
    res(RULE, name, { securityGroupId: "sg-6ft05wt6", protocol: "tcp", action: "accept", ...props }, deps);
const modelOf = (props: Record<string, unknown>) => modelResource(rule("r", props)) as RulesItem;
const one = (props: Record<string, unknown>): Rule => modelOf(props).rules[0];
const problems = (r: { problems: Rule["problems"] }) => r.problems.map((p) => `${p.kind} ${p.path}: ${p.problem}`);
const keyOf = (r: Rule) => (r.peers[0].kind === "addresses" ? r.peers[0].set.key() : r.peers[0].kind);

describe("qingcloud:index/securityGroup:SecurityGroup", () => {
    it("is an ordered, stateful group (inbound default drop, outbound default accept) without inline rules", () => {
        const m = modelResource(group()) as FirewallItem;
        expect(m).toMatchObject({ kind: "firewall", inlineFields: [], rulesElsewhere: true });
        expect(m.firewall).toMatchObject({ stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "allow" }, keys: ["sg-6ft05wt6"] });
    });
});

describe("qingcloud:index/securityGroupRule:SecurityGroupRule", () => {
    it("reads the API's own example (tcp, val1=22, val2 empty, val3 empty, priority 7) as TCP 22 from anywhere", () => {
        const m = modelOf({ fromPort: "22", toPort: "", cidrBlock: "", priority: 7, direction: 0 });
        expect(m).toMatchObject({ kind: "rules", parentProperty: "securityGroupId", parentKey: "sg-6ft05wt6", stateless: false, ordered: true });
        const r = m.rules[0];
        expect(r).toMatchObject({ path: "", direction: "ingress", action: "allow", protocol: "tcp", order: 7, problems: [] });
        expect(r.ports?.toString()).toBe("22");
        expect(keyOf(r)).toBe(AddressSet.ALL.key());
    });
    it("direction defaults to 0 (inbound); 1 is outbound; numeric strings are read", () => {
        expect(one({}).direction).toBe("ingress");
        expect(one({ direction: 1 }).direction).toBe("egress");
        expect(one({ direction: "1" }).direction).toBe("egress");
    });
    it("priority defaults to 0, the highest", () => {
        expect(one({}).order).toBe(0);
        expect(one({ priority: 100 }).order).toBe(100);
    });
    it("an absent or empty cidrBlock is any address, IPv4 and IPv6", () => {
        for (const r of [one({}), one({ cidrBlock: "" }), one({ cidrBlock: "  " })]) {
            expect(keyOf(r)).toBe(AddressSet.ALL.key());
            expect(r.peers[0]).toMatchObject({ text: "any address (empty cidrBlock)", path: "cidrBlock" });
        }
        expect(one({ cidrBlock: "fe80::/64" }).peers).toMatchObject([{ kind: "addresses", text: "fe80::/64" }]);
    });
    it("fromPort/toPort are strings: both absent or empty = every port; one alone = that port; a range", () => {
        expect(one({}).ports?.isAll).toBe(true);
        expect(one({ fromPort: "", toPort: "" }).ports?.isAll).toBe(true);
        expect(one({ toPort: "8080" }).ports?.toString()).toBe("8080");
        expect(one({ fromPort: "8000", toPort: "8080" }).ports?.toString()).toBe("8000-8080");
        expect(one({ fromPort: "0080", toPort: "0080" }).ports?.toString()).toBe("80");
    });
    it("for icmp fromPort/toPort are ICMP type and code, not ports", () => {
        const r = one({ protocol: "icmp", fromPort: "8", toPort: "0" });
        expect(r).toMatchObject({ protocol: "icmp", problems: [] });
    });
    it("gre, esp, ah and ipip are IP protocols 47, 50, 51 and 4", () => {
        expect(["gre", "esp", "ah", "ipip"].map((p) => one({ protocol: p }).protocol)).toEqual(["ip-47", "ip-50", "ip-51", "ip-4"]);
    });
    it("drop is a deny", () => {
        expect(one({ action: "drop" }).action).toBe("deny");
    });
    it("records malformed values with their paths", () => {
        expect(problems(one({ direction: 2 }))).toEqual(["malformed direction: 2 is not 0 (inbound) or 1 (outbound)"]);
        expect(problems(one({ priority: 101 }))).toEqual(["malformed priority: priority 101 is outside 0-100"]);
        expect(problems(one({ protocol: "banana" }))).toEqual(['malformed protocol: "banana" is not one of tcp, udp, icmp, gre, esp, ah, ipip']);
        expect(problems(one({ protocol: undefined }))).toEqual(["malformed protocol: is required but absent"]);
        expect(problems(one({ action: "permit" }))).toEqual(['malformed action: "permit" is not one of accept, drop']);
        expect(problems(one({ action: undefined }))).toEqual(["malformed action: is required but absent"]);
        expect(problems(one({ fromPort: "70000" }))).toEqual(['malformed fromPort: "70000" is not a port 0-65535']);
        expect(problems(one({ fromPort: "80", toPort: "22" }))).toEqual(["malformed fromPort: fromPort 80 is greater than toPort 22"]);
        expect(problems(one({ cidrBlock: "192.168.9.1/33" }))).toEqual(['malformed cidrBlock: "192.168.9.1/33" has prefix length 33, more than 32']);
    });
    it("a rule whose action cannot be read may be a drop", () => {
        expect(one({ action: UNKNOWN })).toMatchObject({ unsure: { action: true } });
    });
    it("a rule whose direction cannot be read is placed both ways, unreadable", () => {
        const m = modelOf({ direction: UNKNOWN, action: "drop" });
        expect(m.rules.map((r) => [r.direction, r.unsure?.direction, r.peers[0].kind])).toEqual([
            ["ingress", true, "unreadable"],
            ["egress", true, "unreadable"],
        ]);
    });
});

describe("QingCloud security groups under the policies", () => {
    it("a separate rule of an ordered group is judged at stack level, where its exposure shows", () => {
        const smb = rule("smb", { fromPort: "445", toPort: "445" });
        const { resource, stack } = checkBoth(highRiskPorts, [group(), smb]);
        expect(resource).toEqual([]);
        expect(stack).toHaveLength(1);
        expect(stack[0].urn).toBe(smb.urn);
        expect(stack[0].message).toContain("TCP 445 (SMB)");
        expect(stack[0].message).toContain("any address (empty cidrBlock) (cidrBlock), the whole internet");
    });
    it("an empty cidrBlock with every port is unrestricted ingress", () => {
        expect(checkStack(unrestrictedIngress, [group(), rule("all", { cidrBlock: "" })])).toHaveLength(1);
    });
    it("a drop at priority 0 shadows an accept of 445 at priority 50", () => {
        const f = checkStack(highRiskPorts, [group(), rule("drop", { action: "drop", priority: 0 }), rule("smb", { fromPort: "445", toPort: "445", priority: 50 })]);
        expect(f).toEqual([]);
    });
    it("a drop at priority 60 does not shadow the accept at priority 50", () => {
        const f = checkStack(highRiskPorts, [group(), rule("drop", { action: "drop", priority: 60 }), rule("smb", { fromPort: "445", toPort: "445", priority: 50 })]);
        expect(f).toHaveLength(1);
    });
    it("at equal priority the drop is not certain to win (QingCloud's guides disagree): the accept of 445 is still blocked", () => {
        const smb = rule("smb", { fromPort: "445", toPort: "445", priority: 10 });
        const f = checkStack(highRiskPorts, [group(), rule("drop", { action: "drop", priority: 10, fromPort: "445", toPort: "445" }), smb]);
        expect(f.map((x) => x.urn)).toEqual([smb.urn]);
    });
    it("a drop one priority ahead (9 before 10) does shadow the accept", () => {
        const f = checkStack(highRiskPorts, [group(), rule("drop", { action: "drop", priority: 9, fromPort: "445", toPort: "445" }), rule("smb", { fromPort: "445", toPort: "445", priority: 10 })]);
        expect(f).toEqual([]);
    });
    it("a drop, or a rule whose action is unknown, is ordered just after the accepts of its priority", () => {
        expect(one({ action: "drop", priority: 10 }).order).toBe(10.5);
        expect(one({ action: UNKNOWN, priority: 10 }).order).toBe(10.5);
        expect(one({ priority: 10 }).order).toBe(10);
    });
    it("direction 1 is outbound: not judged as ingress, judged when egress is configured", () => {
        const out = rule("out", { direction: 1, fromPort: "445", toPort: "445" });
        expect(checkStack(highRiskPorts, [group(), out])).toEqual([]);
        const f = checkStack(highRiskPorts, [group(), out], { directions: ["ingress", "egress"] });
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("to any address (empty cidrBlock)");
    });
    it("SSH from a private range passes; from anywhere it is an exposed service port", () => {
        expect(checkStack(exposedServicePorts, [group(), rule("ssh", { fromPort: "22", toPort: "22", cidrBlock: "10.0.0.0/8" })])).toEqual([]);
        expect(checkStack(exposedServicePorts, [group(), rule("ssh", { fromPort: "22", toPort: "22" })])).toHaveLength(1);
    });
    it("rules join their group through propertyDependencies while its id is unknown", () => {
        const g = res(GROUP, "sg", { name: "web" });
        const d = rule("drop", { securityGroupId: UNKNOWN, action: "drop", priority: 0 }, { securityGroupId: [g.urn] });
        const a = rule("smb", { securityGroupId: UNKNOWN, fromPort: "445", toPort: "445", priority: 50 }, { securityGroupId: [g.urn] });
        expect(checkStack(highRiskPorts, [g, d, a])).toEqual([]);
        expect(checkStack(highRiskPorts, [g, a])).toHaveLength(1);
    });
    it("a drop whose direction cannot be read makes the accepts behind it unverifiable, not blocked", () => {
        const rs = [group(), rule("drop", { action: "drop", direction: UNKNOWN }), rule("smb", { fromPort: "445", toPort: "445", priority: 50 })];
        expect(checkStack(highRiskPorts, rs)).toEqual([]);
        const u = checkStack(unverifiableRules, rs);
        expect(u.find((f) => f.urn === rs[2].urn)?.message).toContain("may be shadowed by");
    });
    it("security groups are stateful: no return-traffic advice", () => {
        expect(checkStack(statelessAclReturnTraffic, [group(), rule("https", { fromPort: "443", toPort: "443" })])).toEqual([]);
    });
    it("a malformed rule is reported by unverifiable-rules at resource level", () => {
        const f = check(unverifiableRules, rule("bad", { fromPort: "70000" }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain('fromPort "70000" is not a port 0-65535');
    });
});

describe("QingCloud: rules the API refuses, and repeated priorities (docs/providers/qingcloud.md)", () => {
    it("priorities may repeat (the default is 0 for every rule), so the kind has no uniqueOrder", () => {
        expect(modelOf({})).not.toHaveProperty("uniqueOrder");
        expect(modelResource(group())).not.toHaveProperty("firewall.uniqueOrder");
    });
    it.each([
        ["a priority outside 0-100", { priority: 101 }],
        ["a port that is not one", { fromPort: "4a5" }],
        ["a protocol QingCloud does not take", { protocol: "sctp" }],
        ["a cidrBlock that is not a CIDR", { cidrBlock: "10.0.0.0/99" }],
        ["a direction other than 0 or 1", { direction: 2 }],
    ])("a drop with %s shadows nothing: the accept of 445 is blocked, the drop is named", (_, props) => {
        const drop = rule("drop", { action: "drop", priority: 0, ...props });
        const smb = rule("smb", { fromPort: "445", toPort: "445", priority: 50 });
        expect(checkStack(highRiskPorts, [group(), drop, smb]).map((f) => f.urn)).toEqual([smb.urn]);
        const u = checkBoth(unverifiableRules, [group(), drop, smb]);
        expect([...new Set([...u.resource, ...u.stack].map((f) => f.urn))]).toEqual([drop.urn]);
    });
});
