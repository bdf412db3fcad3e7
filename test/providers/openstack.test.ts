/** OpenStack adapters (props in, model out) and the policies on them. */
import { describe, it, expect } from "vitest";
import type { Rule } from "../../src/model";
import { AddressSet } from "../../src/net/addresses";
import { modelResource } from "../../src/providers";
import type { FirewallItem, RulesItem } from "../../src/providers/types";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, checkBoth, checkStack, res, UNKNOWN } from "../helpers";

const GROUP = "openstack:networking/secGroup:SecGroup";
const RULE = "openstack:networking/secGroupRule:SecGroupRule";
const NOVA = "openstack:compute/secGroup:SecGroup";

const rule = (name: string, props: Record<string, unknown>, deps?: Record<string, string[]>) =>
    res(RULE, name, { securityGroupId: "sg-1", direction: "ingress", ethertype: "IPv4", ...props }, deps);
const one = (props: Record<string, unknown>): Rule => (modelResource(rule("r", props)) as RulesItem).rules[0];
const problems = (r: { problems: Rule["problems"] }) => r.problems.map((p) => `${p.kind} ${p.path}: ${p.problem}`);
const nova = (rules: unknown) => res(NOVA, "nova", { description: "legacy", rules });

describe("openstack:networking/secGroupRule:SecGroupRule", () => {
    it("reads one allow rule of a stateful, unordered group", () => {
        const m = modelResource(rule("r", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "10.0.0.0/8" })) as RulesItem;
        expect(m).toMatchObject({ kind: "rules", parentProperty: "securityGroupId", parentKey: "sg-1", stateless: false, ordered: false });
        expect(m.rules[0]).toMatchObject({ path: "", direction: "ingress", action: "allow", protocol: "tcp", problems: [] });
        expect(m.rules[0].ports?.toString()).toBe("22");
        expect(m.rules[0].peers).toMatchObject([{ kind: "addresses", text: "10.0.0.0/8", path: "remoteIpPrefix" }]);
    });
    it("an absent protocol is every protocol, and absent port bounds are every port", () => {
        const r = one({ remoteIpPrefix: "10.0.0.0/8" });
        expect(r.protocol).toBe("all");
        expect(r.ports?.isAll).toBe(true);
        expect(one({ protocol: "tcp", remoteIpPrefix: "10.0.0.0/8" }).ports?.isAll).toBe(true);
    });
    it("with neither remoteIpPrefix nor remoteGroupId the rule matches any address of its ethertype", () => {
        const v4 = one({ protocol: "tcp", portRangeMin: 22, portRangeMax: 22 });
        expect(v4.peers).toHaveLength(1);
        expect(v4.peers[0]).toMatchObject({ kind: "addresses", path: "remoteIpPrefix" });
        expect(v4.peers[0].kind === "addresses" && v4.peers[0].set.key()).toBe(AddressSet.ALL_V4.key());
        const v6 = one({ ethertype: "IPv6", protocol: "tcp" });
        expect(v6.peers[0].kind === "addresses" && v6.peers[0].set.key()).toBe(AddressSet.ALL_V6.key());
    });
    it("empty strings (how outputs write unset fields) are absent: an empty remoteIpPrefix, protocol and remoteGroupId mean any address and protocol", () => {
        const r = one({ protocol: "", remoteIpPrefix: "", remoteGroupId: "" });
        expect(r.protocol).toBe("all");
        expect(r.problems).toEqual([]);
        expect(r.peers[0].kind === "addresses" && r.peers[0].set.key()).toBe(AddressSet.ALL_V4.key());
    });
    it("an absent ethertype is malformed (the provider requires it), so a rule without a remote is unreadable rather than guessed", () => {
        const r = one({ ethertype: undefined, protocol: "tcp", portRangeMin: 445, portRangeMax: 445 });
        expect(problems(r)).toEqual(["malformed ethertype: is required but absent"]);
        expect(r.peers).toMatchObject([{ kind: "unreadable", path: "ethertype" }]);
    });
    it("remoteGroupId is a reference (an unknown id is expected during preview)", () => {
        const r = one({ remoteGroupId: UNKNOWN });
        expect(r.peers).toEqual([{ kind: "reference", refKind: "security group", ref: "(not known until apply)", path: "remoteGroupId" }]);
        expect(r.problems).toEqual([]);
    });
    it("reads Neutron's protocol names and numbers", () => {
        expect(["ipv6-icmp", "sctp", "vrrp", "6", "17", "any", "ICMP"].map((p) => one({ protocol: p, remoteIpPrefix: "10.0.0.0/8" }).protocol)).toEqual(["icmpv6", "ip-132", "ip-112", "tcp", "udp", "all", "icmp"]);
    });
    it("ICMP port bounds are type and code, not ports", () => {
        const r = one({ protocol: "icmp", portRangeMin: 8, portRangeMax: 0, remoteIpPrefix: "0.0.0.0/0" });
        expect(r.problems).toEqual([]);
    });
    it("records malformed values with their paths", () => {
        expect(problems(one({ protocol: "banana" }))).toEqual(['malformed protocol: "banana" is not a protocol Neutron knows (a name such as tcp, udp, icmp, or a number 0-255)']);
        expect(problems(one({ protocol: "tcp", portRangeMin: 1, portRangeMax: 70000 }))).toEqual(["malformed portRangeMax: port 70000 is outside 1-65535"]);
        expect(problems(one({ protocol: "tcp", portRangeMin: 90, portRangeMax: 80 }))).toEqual(["malformed portRangeMin: portRangeMin 90 is greater than portRangeMax 80"]);
        expect(problems(one({ portRangeMin: 22, portRangeMax: 22 }))).toEqual(["malformed portRangeMin: needs a protocol: Neutron rejects a port range on a rule for every protocol"]);
        expect(problems(one({ ethertype: "IPv5" }))).toEqual(['malformed ethertype: "IPv5" is not one of IPv4, IPv6']);
    });
    it("a remoteIpPrefix of the other family than ethertype is malformed", () => {
        expect(problems(one({ remoteIpPrefix: "::/0" }))).toEqual(['malformed remoteIpPrefix: "::/0" is IPv6 where IPv4 is expected']);
    });
    it("remoteIpPrefix and remoteGroupId together are malformed", () => {
        expect(problems(one({ remoteIpPrefix: "10.0.0.0/8", remoteGroupId: "sg-2" }))).toEqual(["malformed remoteGroupId: cannot be combined with remoteIpPrefix"]);
    });
    it("an unknown direction keeps the rule, unreadable", () => {
        expect(one({ direction: UNKNOWN })).toMatchObject({ unsure: { direction: true }, peers: [{ kind: "unreadable", path: "direction" }] });
    });
});

describe("OpenStack rules under the policies", () => {
    it("an absent remoteIpPrefix is open to the internet: unrestricted-ingress flags it at resource level", () => {
        const f = check(unrestrictedIngress, rule("open", {}));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("all protocols and ports");
        expect(f[0].message).toContain("any IPv4 address (0.0.0.0/0, no remote given) (remoteIpPrefix)");
    });
    it("TCP 445 with no remote at all is a high-risk port open to the internet", () => {
        const f = check(highRiskPorts, rule("smb", { protocol: "tcp", portRangeMin: 445, portRangeMax: 445 }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("TCP 445");
    });
    it("the same rule from another group (remoteGroupId) passes", () => {
        expect(check(highRiskPorts, rule("smb", { protocol: "tcp", portRangeMin: 445, portRangeMax: 445, remoteGroupId: "sg-2" }))).toEqual([]);
    });
    it("an unknown remoteIpPrefix with known TCP 445 is reported by unverifiable-rules", () => {
        const f = check(unverifiableRules, rule("smb", { protocol: "tcp", portRangeMin: 445, portRangeMax: 445, remoteIpPrefix: UNKNOWN }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("not known until apply (remoteIpPrefix)");
    });
});

describe("openstack:networking/secGroup:SecGroup", () => {
    it("has no inline rules; Neutron's allow-all egress rules are implicit unless deleteDefaultRules", () => {
        const m = modelResource(res(GROUP, "sg", { id: "sg-1", name: "web" })) as FirewallItem;
        expect(m).toMatchObject({ inlineFields: [], rulesElsewhere: true });
        expect(m.firewall.keys).toEqual(["sg-1"]);
        expect(m.firewall.implicitRules?.map((r) => [r.direction, r.action, r.protocol])).toEqual([
            ["egress", "allow", "all"],
            ["egress", "allow", "all"],
        ]);
        expect((modelResource(res(GROUP, "sg", { deleteDefaultRules: true })) as FirewallItem).firewall.implicitRules).toEqual([]);
    });
    it("the implicit egress rules are never reported, even when egress is judged", () => {
        expect(checkStack(unrestrictedIngress, [res(GROUP, "sg", { id: "sg-1" })], { directions: ["ingress", "egress"] })).toEqual([]);
    });
    it("rules join their group through propertyDependencies and are reported once", () => {
        const g = res(GROUP, "sg", { name: "web" });
        const r = rule("open", { securityGroupId: UNKNOWN }, { securityGroupId: [g.urn] });
        const { resource, stack } = checkBoth(unrestrictedIngress, [g, r]);
        expect(resource.map((f) => f.urn)).toEqual([r.urn]);
        expect(stack).toEqual([]);
    });
});

describe("openstack:compute/secGroup:SecGroup (deprecated Nova)", () => {
    it("reads inline ingress rules with cidr, fromGroupId or self", () => {
        const m = modelResource(
            nova([
                { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidr: "10.0.0.0/8" },
                { ipProtocol: "icmp", fromPort: -1, toPort: -1, fromGroupId: "sg-2" },
                { ipProtocol: "udp", fromPort: 53, toPort: 53, self: true },
            ]),
        ) as FirewallItem;
        expect(m.inlineFields).toEqual(["rules"]);
        expect(m.firewall.rules.map((r) => [r.path, r.direction, r.protocol, r.ports?.toString(), r.peers[0].kind])).toEqual([
            ["rules[0]", "ingress", "tcp", "22", "addresses"],
            ["rules[1]", "ingress", "icmp", "0-65535", "reference"],
            ["rules[2]", "ingress", "udp", "53", "reference"],
        ]);
        expect(m.firewall.rules.flatMap(problems)).toEqual([]);
    });
    it("a rule with no cidr, fromGroupId or self is malformed, as are bad protocols and ports", () => {
        const f = (modelResource(nova([{ ipProtocol: "tcp", fromPort: 22, toPort: 22 }, { ipProtocol: "sctp", fromPort: 1, toPort: 2, cidr: "0.0.0.0/0" }, { ipProtocol: "tcp", fromPort: 1, toPort: 70000, cidr: "0.0.0.0/0" }, null])) as FirewallItem).firewall;
        expect(f.rules.flatMap(problems)).toEqual([
            "malformed rules[0].cidr: is absent, and so are fromGroupId and self: Nova needs one of them",
            'malformed rules[1].ipProtocol: "sctp" is not one of tcp, udp, icmp',
            "malformed rules[2].toPort: port 70000 is outside 0-65535",
            "malformed rules[3]: is null inside the list",
        ]);
    });
    it("TCP 445 from 0.0.0.0/0 is blocked by high-risk-ports", () => {
        const f = check(highRiskPorts, nova([{ ipProtocol: "tcp", fromPort: 445, toPort: 445, cidr: "0.0.0.0/0" }]));
        expect(f.map((x) => x.path)).toEqual(["rules[0]"]);
    });
});
