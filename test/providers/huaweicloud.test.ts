/** Huawei Cloud adapters (props in, model out) and the policies on them. */
import { describe, it, expect } from "vitest";
import type { Firewall, Rule } from "../../src/model";
import { AddressSet } from "../../src/net/addresses";
import { modelResource } from "../../src/providers";
import type { FirewallItem, RulesItem } from "../../src/providers/types";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { statelessAclReturnTraffic } from "../../src/policies/stateless-acl-return-traffic";
import { check, checkBoth, checkStack, res, UNKNOWN } from "../helpers";

const GROUP = "huaweicloud:Vpc/secgroup:Secgroup";
const RULE = "huaweicloud:Vpc/secgroupRule:SecgroupRule";
const ACL = "huaweicloud:Vpc/networkAcl:NetworkAcl";

const group = (props: Record<string, unknown> = {}) => res(GROUP, "sg", { id: "sg-1", name: "web", ...props });
const rule = (name: string, props: Record<string, unknown>) => res(RULE, name, { securityGroupId: "sg-1", direction: "ingress", ethertype: "IPv4", ...props });
const one = (props: Record<string, unknown>): Rule => (modelResource(rule("r", props)) as RulesItem).rules[0];
const problems = (r: { problems: Rule["problems"] }) => r.problems.map((p) => `${p.kind} ${p.path}: ${p.problem}`);
const acl = (ingressRules: unknown, egressRules?: unknown, extra: Record<string, unknown> = {}) => res(ACL, "acl", { ingressRules, ...(egressRules === undefined ? {} : { egressRules }), ...extra });
const aclModel = (ingressRules: unknown, egressRules?: unknown, extra: Record<string, unknown> = {}): Firewall => (modelResource(acl(ingressRules, egressRules, extra)) as FirewallItem).firewall;
const aclIn = (action: string, protocol: string, destinationPort?: string, extra: Record<string, unknown> = {}) => ({ action, protocol, ipVersion: 4, sourceIpAddress: "0.0.0.0/0", ...(destinationPort ? { destinationPort } : {}), ...extra });

describe("huaweicloud:Vpc/secgroupRule:SecgroupRule", () => {
    it("reads a rule of an ordered, stateful group: allow by default at priority 1", () => {
        const m = modelResource(rule("r", { protocol: "tcp", ports: "22", remoteIpPrefix: "10.0.0.0/8" })) as RulesItem;
        expect(m).toMatchObject({ parentProperty: "securityGroupId", parentKey: "sg-1", ordered: true, stateless: false });
        expect(m.rules[0]).toMatchObject({ direction: "ingress", action: "allow", protocol: "tcp", order: 1, problems: [] });
        expect(m.rules[0].ports?.toString()).toBe("22");
    });
    it('reads ports "1-30" and "22,3389,80", or portRangeMin/Max', () => {
        expect(one({ protocol: "tcp", ports: "1-30" }).ports?.toString()).toBe("1-30");
        expect(one({ protocol: "tcp", ports: "22, 3389, 80" }).ports?.toString()).toBe("22, 80, 3389");
        expect(one({ protocol: "udp", portRangeMin: 500, portRangeMax: 600 }).ports?.toString()).toBe("500-600");
    });
    it("an absent protocol is every protocol; deny and priority are read", () => {
        expect(one({ action: "deny", priority: 50 })).toMatchObject({ protocol: "all", action: "deny", order: 50 });
    });
    it("with no remoteIpPrefix, remoteGroupId or remoteAddressGroupId the rule matches any address of its ethertype", () => {
        const r = one({ protocol: "tcp", ports: "22" });
        expect(r.peers[0].kind === "addresses" && r.peers[0].set.key()).toBe(AddressSet.ALL_V4.key());
        const v6 = one({ ethertype: "IPv6", protocol: "tcp", ports: "22" });
        expect(v6.peers[0].kind === "addresses" && v6.peers[0].set.key()).toBe(AddressSet.ALL_V6.key());
        expect(one({ remoteAddressGroupId: UNKNOWN }).peers).toEqual([{ kind: "reference", refKind: "address group", ref: "(not known until apply)", path: "remoteAddressGroupId" }]);
    });
    it("records malformed values with their paths", () => {
        expect(problems(one({ protocol: "tcp", ports: "22", portRangeMin: 22, portRangeMax: 22 }))).toEqual(["malformed ports: cannot be combined with portRangeMin/portRangeMax"]);
        expect(problems(one({ ports: "22" }))).toEqual(["malformed ports: needs a protocol: Huawei takes ports only with tcp or udp"]);
        expect(problems(one({ protocol: "tcp", ports: "0-30" }))).toEqual(['malformed ports: "0-30" includes port 0; ports are 1-65535']);
        expect(problems(one({ protocol: "banana", priority: 101, action: "maybe", remoteIpPrefix: "::/0" })).map((p) => p.split(":")[0])).toEqual(["malformed action", "malformed protocol", "malformed priority", "malformed remoteIpPrefix"]);
    });
});

describe("huaweicloud:Vpc/secgroup:Secgroup", () => {
    it("has no inline rules; Huawei's default rules are implicit unless deleteDefaultRules", () => {
        const m = modelResource(group()) as FirewallItem;
        expect(m).toMatchObject({ inlineFields: [], rulesElsewhere: true });
        expect(m.firewall.implicitRules?.map((r) => [r.direction, r.peers[0].kind])).toEqual([
            ["egress", "addresses"],
            ["ingress", "reference"],
            ["egress", "addresses"],
            ["ingress", "reference"],
        ]);
        expect((modelResource(group({ deleteDefaultRules: true })) as FirewallItem).firewall.implicitRules).toEqual([]);
    });
});

describe("Huawei security groups under the policies", () => {
    it("a rule without a remote opens all protocols to the internet: flagged at stack level", () => {
        const r = rule("open", {});
        const { resource, stack } = checkBoth(unrestrictedIngress, [group(), r]);
        expect(resource).toEqual([]);
        expect(stack.map((f) => f.urn)).toEqual([r.urn]);
    });
    it("a deny at priority 1 shadows an allow of 445 at priority 10; at priority 20 it does not", () => {
        const allow = rule("smb", { protocol: "tcp", ports: "445", priority: 10 });
        expect(checkStack(highRiskPorts, [group(), rule("deny", { action: "deny", priority: 1 }), allow])).toEqual([]);
        expect(checkStack(highRiskPorts, [group(), rule("deny", { action: "deny", priority: 20 }), allow])).toHaveLength(1);
    });
});

describe("huaweicloud:Vpc/networkAcl:NetworkAcl", () => {
    it("is ordered by list position and STATEFUL (Huawei's documentation)", () => {
        const f = aclModel([aclIn("allow", "tcp", "443"), aclIn("deny", "any")], [{ action: "allow", protocol: "6", ipVersion: 4, destinationIpAddress: "10.0.0.0/8", destinationPort: "1024-65535" }]);
        expect(f).toMatchObject({ stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "deny" } });
        expect(f.rules.map((r) => [r.path, r.direction, r.action, r.order, r.protocol, r.ports?.toString()])).toEqual([
            ["ingressRules[0]", "ingress", "allow", 0, "tcp", "443"],
            ["ingressRules[1]", "ingress", "deny", 1, "all", "0-65535"],
            ["egressRules[0]", "egress", "allow", 0, "tcp", "1024-65535"],
        ]);
        expect(f.rules[0].peers).toMatchObject([{ kind: "addresses", path: "ingressRules[0].sourceIpAddress" }]);
        expect(f.rules[2].peers).toMatchObject([{ kind: "addresses", path: "egressRules[0].destinationIpAddress" }]);
    });
    it("an absent source is any address of the rule's ipVersion", () => {
        const f = aclModel([{ action: "allow", protocol: "tcp", ipVersion: 6, destinationPort: "22" }]);
        expect(f.rules[0].peers[0].kind === "addresses" && f.rules[0].peers[0].set.key()).toBe(AddressSet.ALL_V6.key());
    });
    it("an ingress rule's destinationIpAddress and sourcePort are its scope", () => {
        const f = aclModel([aclIn("deny", "tcp", "445", { destinationIpAddress: "10.0.1.0/24" }), aclIn("deny", "tcp", "445", { sourcePort: "1-1023" }), aclIn("deny", "tcp", "445", { destinationIpAddress: "0.0.0.0/0" })]);
        expect(f.rules.map((r) => r.scope !== undefined)).toEqual([true, true, false]);
    });
    it("a deny narrowed to one subnet does not shadow an allow of 445 to all of them", () => {
        expect(check(highRiskPorts, acl([aclIn("deny", "tcp", "445", { destinationIpAddress: "10.0.1.0/24" }), aclIn("allow", "tcp", "445")]))).toHaveLength(1);
        expect(check(highRiskPorts, acl([aclIn("deny", "tcp", "445"), aclIn("allow", "tcp", "445")]))).toEqual([]);
    });
    it("enabled: false turns every rule off", () => {
        const f = aclModel([aclIn("allow", "tcp", "445")], undefined, { enabled: false });
        expect(f.rules[0].disabled).toBe(true);
        expect(check(highRiskPorts, acl([aclIn("allow", "tcp", "445")], undefined, { enabled: false }))).toEqual([]);
    });
    it("is not subject to the return-traffic check: inbound 443 without an egress rule passes", () => {
        expect(check(statelessAclReturnTraffic, acl([aclIn("allow", "tcp", "443")], []))).toEqual([]);
    });
    it("a string where the rule list belongs is a problem of the ACL", () => {
        expect(problems(aclModel("allow everything"))).toEqual(["malformed ingressRules: is a string, not a list"]);
    });
    it("records malformed values with their paths", () => {
        const f = aclModel([{ action: "allow", protocol: "banana", ipVersion: 5, sourceIpAddress: "0.0.0.0/0" }, aclIn("allow", "tcp", "70000"), null, { protocol: "tcp" }]);
        expect(f.rules.flatMap(problems)).toEqual([
            'malformed ingressRules[0].protocol: "banana" is not one of tcp, udp, icmp, icmpv6, any or a protocol number',
            "malformed ingressRules[0].ipVersion: 5 is not 4 or 6",
            'malformed ingressRules[1].destinationPort: "70000" is not a port or port range',
            "malformed ingressRules[2]: is null inside the list",
            "malformed ingressRules[3].action: is required but absent",
        ]);
    });
});

describe("Huawei: rules the API refuses, and omitted fields (docs/providers/huaweicloud.md)", () => {
    it("remoteIpPrefix, remoteGroupId and remoteAddressGroupId exclude one another: the second is malformed", () => {
        expect(problems(one({ remoteIpPrefix: "10.0.0.0/8", remoteGroupId: "sg-2" }))).toEqual([
            "malformed remoteGroupId: cannot be combined with remoteIpPrefix: Huawei Cloud takes one remote per rule (remoteIpPrefix, remoteGroupId or remoteAddressGroupId)",
        ]);
        expect(problems(one({ remoteGroupId: "sg-2", remoteAddressGroupId: "ag-1" }))).toEqual([expect.stringMatching(/^malformed remoteAddressGroupId: cannot be combined with remoteGroupId/)]);
    });
    it("portRangeMin/portRangeMax are 1-65535: port 0 is malformed; one bound alone is that port", () => {
        expect(problems(one({ protocol: "tcp", portRangeMin: 0, portRangeMax: 30 }))).toEqual(["malformed portRangeMin: port 0 is outside 1-65535"]);
        expect(problems(one({ protocol: "tcp", portRangeMin: 30, portRangeMax: 20 }))).toEqual(["malformed portRangeMin: portRangeMin 30 is greater than portRangeMax 20"]);
        expect(one({ protocol: "tcp", portRangeMin: 445 }).ports?.toString()).toBe("445");
    });
    it("priorities may repeat (no uniqueOrder): two deny rules at priority 1 both stand", () => {
        expect(modelResource(rule("r", {}))).not.toHaveProperty("uniqueOrder");
        const allow = rule("smb", { protocol: "tcp", ports: "445", priority: 1 });
        expect(checkStack(highRiskPorts, [group(), rule("deny", { action: "deny", priority: 1 }), allow])).toEqual([]);
    });
    it.each([
        ["two remotes", { remoteIpPrefix: "0.0.0.0/0", remoteGroupId: "sg-2" }],
        ["port 0", { protocol: "tcp", portRangeMin: 0, portRangeMax: 1000 }],
        ["a priority outside 1-100", { priority: 0 }],
        ["a CIDR that is not one", { remoteIpPrefix: "0.0.0.0/40" }],
    ])("a deny with %s shadows nothing: the allow of 445 after it is blocked, and the deny is named", (_, props) => {
        const deny = rule("deny", { action: "deny", ...props });
        const allow = rule("smb", { protocol: "tcp", ports: "445", priority: 10 });
        expect(checkStack(highRiskPorts, [group(), deny, allow]).map((f) => f.urn)).toEqual([allow.urn]);
        const u = checkBoth(unverifiableRules, [group(), deny, allow]);
        expect([...u.resource, ...u.stack].map((f) => f.urn)).toEqual([deny.urn]);
    });
});
