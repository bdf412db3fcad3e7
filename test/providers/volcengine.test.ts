/** Volcengine adapters (props in, model out) and the policies on them. */
import { describe, it, expect } from "vitest";
import type { Firewall, Rule } from "../../src/model";
import { modelResource } from "../../src/providers";
import type { FirewallItem, RulesItem } from "../../src/providers/types";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { statelessAclReturnTraffic } from "../../src/policies/stateless-acl-return-traffic";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, checkBoth, checkStack, res, UNKNOWN } from "../helpers";

const GROUP = "volcengine:vpc/securityGroup:SecurityGroup";
const RULE = "volcengine:vpc/securityGroupRule:SecurityGroupRule";
const ACL = "volcengine:vpc/networkAcl:NetworkAcl";

const group = () => res(GROUP, "sg", { id: "sg-1", vpcId: "vpc-1" });
const rule = (name: string, props: Record<string, unknown>) => res(RULE, name, { securityGroupId: "sg-1", direction: "ingress", protocol: "tcp", portStart: 22, portEnd: 22, cidrIp: "0.0.0.0/0", ...props });
const one = (props: Record<string, unknown>): Rule => (modelResource(rule("r", props)) as RulesItem).rules[0];
const problems = (r: { problems: Rule["problems"] }) => r.problems.map((p) => `${p.kind} ${p.path}: ${p.problem}`);
const acl = (ingress: unknown, egress?: unknown) => res(ACL, "acl", { vpcId: "vpc-1", ingressAclEntries: ingress, ...(egress === undefined ? {} : { egressAclEntries: egress }) });
const aclModel = (ingress: unknown, egress?: unknown): Firewall => (modelResource(acl(ingress, egress)) as FirewallItem).firewall;
const inEntry = (protocol: string, port: string | undefined, policy = "accept", extra: Record<string, unknown> = {}) => ({ protocol, ...(port ? { port } : {}), policy, sourceCidrIp: "0.0.0.0/0", ...extra });
const outEntry = (protocol: string, port: string | undefined, policy = "accept") => ({ protocol, ...(port ? { port } : {}), policy, destinationCidrIp: "0.0.0.0/0" });

describe("volcengine:vpc/securityGroupRule:SecurityGroupRule", () => {
    it("reads a rule of an ordered, stateful group: accept by default at priority 1", () => {
        const m = modelResource(rule("r", {})) as RulesItem;
        expect(m).toMatchObject({ parentProperty: "securityGroupId", parentKey: "sg-1", ordered: true, stateless: false });
        expect(m.rules[0]).toMatchObject({ direction: "ingress", action: "allow", protocol: "tcp", order: 1, problems: [] });
        expect(m.rules[0].ports?.toString()).toBe("22");
    });
    it("portStart/portEnd -1 is any port, the only value all and ICMP take", () => {
        expect(one({ portStart: -1, portEnd: -1 }).ports?.isAll).toBe(true);
        expect(one({ protocol: "all", portStart: -1, portEnd: -1 })).toMatchObject({ protocol: "all", problems: [] });
        expect(problems(one({ protocol: "all", portStart: 22, portEnd: 22 }))).toEqual(["malformed portStart: all protocols takes only -1 (any port)"]);
        expect(problems(one({ portStart: -1, portEnd: 22 }))).toEqual(["malformed portEnd: must be -1 too when the other bound is -1 (any port)"]);
    });
    it("policy drop and priority are read; sourceGroupId is a reference", () => {
        expect(one({ policy: "drop", priority: 7 })).toMatchObject({ action: "deny", order: 7 });
        expect(one({ cidrIp: undefined, sourceGroupId: "sg-2" }).peers).toEqual([{ kind: "reference", refKind: "security group", ref: "sg-2", path: "sourceGroupId" }]);
    });
    it("records malformed values with their paths", () => {
        const r = one({ protocol: "banana", portEnd: 70000, cidrIp: "1.2.3.4/40", priority: 0, policy: "maybe" });
        expect(r.problems.map((p) => p.path)).toEqual(["policy", "protocol", "priority", "cidrIp"]);
        expect(problems(one({ portEnd: 70000 }))).toEqual(["malformed portEnd: port 70000 is outside 1-65535"]);
        expect(problems(one({ cidrIp: undefined }))).toEqual(["malformed cidrIp: is absent, and so are sourceGroupId and prefixListId: Volcengine needs one of them"]);
    });
});

describe("volcengine:vpc/securityGroup:SecurityGroup under the policies", () => {
    it("the group is ordered and stateful, without inline rules", () => {
        expect(modelResource(group())).toMatchObject({ kind: "firewall", inlineFields: [], rulesElsewhere: true, firewall: { ordered: true, stateless: false, keys: ["sg-1"] } });
    });
    it("protocol all from 0.0.0.0/0 is flagged at stack level, not at resource level", () => {
        const r = rule("open", { protocol: "all", portStart: -1, portEnd: -1 });
        const { resource, stack } = checkBoth(unrestrictedIngress, [group(), r]);
        expect(resource).toEqual([]);
        expect(stack.map((f) => f.urn)).toEqual([r.urn]);
    });
    it("a drop at priority 1 shadows an accept of 445 at priority 10", () => {
        const smb = rule("smb", { portStart: 445, portEnd: 445, priority: 10 });
        expect(checkStack(highRiskPorts, [group(), rule("drop", { protocol: "all", portStart: -1, portEnd: -1, policy: "drop", priority: 1 }), smb])).toEqual([]);
        expect(checkStack(highRiskPorts, [group(), smb])).toHaveLength(1);
    });
});

describe("volcengine:vpc/networkAcl:NetworkAcl", () => {
    it('is judged stateless; entries are ordered by priority, else list position; port "80/80" or "-1/-1"', () => {
        const f = aclModel([inEntry("tcp", "80/80", "accept", { priority: 5 }), inEntry("all", "-1/-1", "drop")], [outEntry("tcp", "1024/65535")]);
        expect(f).toMatchObject({ stateless: true, ordered: true });
        expect(f.rules.map((r) => [r.path, r.action, r.order, r.protocol, r.ports?.toString()])).toEqual([
            ["ingressAclEntries[0]", "allow", 5, "tcp", "80"],
            ["ingressAclEntries[1]", "deny", 2, "all", "0-65535"],
            ["egressAclEntries[0]", "allow", 1, "tcp", "1024-65535"],
        ]);
    });
    it("an absent protocol is all; a port on ICMP is malformed", () => {
        expect(aclModel([{ policy: "accept", sourceCidrIp: "10.0.0.0/8" }]).rules[0].protocol).toBe("all");
        expect(problems(aclModel([inEntry("icmp", "80/80")]).rules[0])).toEqual(['malformed ingressAclEntries[0].port: "80/80": ICMP takes only "-1/-1"']);
    });
    it("records malformed values with their paths", () => {
        const f = aclModel([inEntry("tcp", "80-80"), { protocol: "tcp", port: "80/80" }, null]);
        expect(f.rules.flatMap(problems)).toEqual([
            'malformed ingressAclEntries[0].port: "80-80" is not a port range such as "80/80", "1/200" or "-1/-1"',
            "malformed ingressAclEntries[1].sourceCidrIp: is required but absent",
            "malformed ingressAclEntries[2]: is null inside the list",
        ]);
    });
    it("a drop with a smaller priority number shadows a later accept of 445", () => {
        expect(check(highRiskPorts, acl([inEntry("tcp", "445/445", "accept", { priority: 2 }), inEntry("tcp", "445/445", "drop", { priority: 1 })]))).toEqual([]);
    });
    it("inbound 443 without an outbound ephemeral entry is flagged by stateless-acl-return-traffic", () => {
        const f = check(statelessAclReturnTraffic, acl([inEntry("tcp", "443/443")], []));
        expect(f.map((x) => x.path)).toEqual(["ingressAclEntries[0]"]);
    });
    it("statefulTypes turns the check off for Volcengine ACLs", () => {
        expect(check(statelessAclReturnTraffic, acl([inEntry("tcp", "443/443")], []), { statefulTypes: [ACL] })).toEqual([]);
    });
    it("a string where the entry list belongs is a problem of the ACL", () => {
        expect(problems(aclModel("-1/-1"))).toEqual(["malformed ingressAclEntries: is a string, not a list"]);
    });
    it("an unknown entry list is reported by unverifiable-rules", () => {
        const f = check(unverifiableRules, acl(UNKNOWN));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("ingressAclEntries is not known until apply");
    });
});

describe("Volcengine: rules the API refuses, and omitted fields (docs/providers/volcengine.md)", () => {
    it("ACL entries take icmp, gre, tcp, udp or all (the provider's schema); icmpv6 is malformed there", () => {
        expect(aclModel([inEntry("gre", undefined)]).rules[0]).toMatchObject({ problems: [] });
        expect(problems(aclModel([inEntry("icmpv6", undefined)]).rules[0])).toEqual(['malformed ingressAclEntries[0].protocol: "icmpv6" is not one of tcp, udp, icmp, gre, all']);
        expect(one({ protocol: "icmpv6", portStart: -1, portEnd: -1 })).toMatchObject({ problems: [] });
    });
    it("an ACL entry without port is every port (-1/-1); a rule without policy accepts", () => {
        const r = aclModel([{ protocol: "tcp", sourceCidrIp: "0.0.0.0/0" }]).rules[0];
        expect(r).toMatchObject({ action: "allow", problems: [] });
        expect(r.ports?.isAll).toBe(true);
    });
    it("priorities may repeat (no uniqueOrder): a drop and an accept of 445 at priority 2 — the drop wins", () => {
        expect(modelResource(rule("r", {}))).not.toHaveProperty("uniqueOrder");
        const smb = rule("smb", { portStart: 445, portEnd: 445, priority: 2 });
        expect(checkStack(highRiskPorts, [group(), rule("drop", { portStart: 445, portEnd: 445, policy: "drop", priority: 2 }), smb])).toEqual([]);
    });
    it.each([
        ["a priority outside 1-100", { priority: 101 }],
        ["a port range whose start exceeds its end", { portStart: 500, portEnd: 400 }],
        ["a CIDR that is not one", { cidrIp: "0.0.0.0/99" }],
        ["no source at all", { cidrIp: undefined }],
    ])("a security-group drop with %s shadows nothing: the accept of 445 is blocked, the drop is named", (_, props) => {
        const drop = rule("drop", { protocol: "all", portStart: -1, portEnd: -1, policy: "drop", priority: 1, ...props });
        const smb = rule("smb", { portStart: 445, portEnd: 445, priority: 10 });
        expect(checkStack(highRiskPorts, [group(), drop, smb]).map((f) => f.urn)).toEqual([smb.urn]);
        const u = checkBoth(unverifiableRules, [group(), drop, smb]);
        expect([...u.resource, ...u.stack].map((f) => f.urn)).toEqual([drop.urn]);
    });
    it("an ACL drop with a malformed port shadows nothing: the accept of 445 after it is blocked, the drop is named", () => {
        const r = acl([inEntry("tcp", "445-445", "drop"), inEntry("tcp", "445/445")]);
        expect(check(highRiskPorts, r).map((f) => f.path)).toEqual(["ingressAclEntries[1]"]);
        expect(check(unverifiableRules, r).map((f) => f.path)).toEqual(["ingressAclEntries[0]"]);
    });
});

describe("Volcengine: which source takes effect (docs/providers/volcengine.md)", () => {
    it("cidrIp, sourceGroupId and prefixListId: only the first given, in that order, takes effect", () => {
        expect(one({ sourceGroupId: "sg-2" }).peers.map((p) => p.path)).toEqual(["cidrIp"]);
        expect(one({ cidrIp: undefined, sourceGroupId: "sg-2", prefixListId: "pl-1" }).peers).toEqual([{ kind: "reference", refKind: "security group", ref: "sg-2", path: "sourceGroupId" }]);
        expect(one({ cidrIp: "", prefixListId: "pl-1" }).peers).toEqual([{ kind: "prefix-list", id: "pl-1", path: "prefixListId" }]);
    });
    it("an accept of 445 from 0.0.0.0/0 that also names a source group is judged by its CIDR: blocked", () => {
        const smb = rule("smb", { portStart: 445, portEnd: 445, sourceGroupId: "sg-2" });
        expect(checkStack(highRiskPorts, [group(), smb]).map((f) => f.urn)).toEqual([smb.urn]);
    });
    it("a drop from a prefix list (addresses portguard cannot read) does not lower the verdict on an accept of 445 from anywhere", () => {
        const rs = [group(), rule("drop", { cidrIp: undefined, prefixListId: "pl-1", protocol: "all", portStart: -1, portEnd: -1, policy: "drop", priority: 1 }), rule("smb", { portStart: 445, portEnd: 445, priority: 10 })];
        expect(checkStack(highRiskPorts, rs).map((f) => f.urn)).toEqual([rs[2].urn]);
    });
});
