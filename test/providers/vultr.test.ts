/** Vultr firewall groups and rules: adapter (props in, model out) and the policies on them. */
import { describe, it, expect } from "vitest";
import { AddressSet } from "../../src/net/addresses";
import { modelResource } from "../../src/providers";
import type { RulesItem } from "../../src/providers/types";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { exposedServicePorts } from "../../src/policies/exposed-service-ports";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, checkBoth, res, UNKNOWN } from "../helpers";

const GROUP = "vultr:index/firewallGroup:FirewallGroup";
const RULE = "vultr:index/firewallRule:FirewallRule";
const vRule = (name: string, props: Record<string, unknown>, groupUrn?: string) =>
    res(RULE, name, { firewallGroupId: groupUrn ? UNKNOWN : "fwg-1", ipType: "v4", protocol: "tcp", subnet: "0.0.0.0", subnetSize: 0, ...props }, groupUrn ? { firewallGroupId: [groupUrn] } : undefined);

function rules(props: Record<string, unknown>): RulesItem {
    const m = modelResource(vRule("r", props));
    if (m?.kind !== "rules") throw new Error(`expected rules, got ${m?.kind}`);
    return m;
}
const problemsOf = (m: RulesItem) => [...m.problems, ...m.rules.flatMap((r) => r.problems)].map((p) => `${p.kind} ${p.path}: ${p.problem}`);

describe("Vultr adapter", () => {
    it("a FirewallRule is one inbound accept rule of the group named by firewallGroupId", () => {
        const m = rules({ firewallGroupId: "fwg-42", port: "22", subnet: "203.0.113.0", subnetSize: 24 });
        expect(m).toMatchObject({ parentProperty: "firewallGroupId", parentKey: "fwg-42", stateless: false, ordered: false, parentLabel: "firewall group" });
        expect(m.rules).toHaveLength(1);
        expect(m.rules[0]).toMatchObject({ path: "", direction: "ingress", action: "allow", protocol: "tcp" });
        expect(m.rules[0].ports?.toString()).toBe("22");
        expect(m.rules[0].peers).toMatchObject([{ kind: "addresses", text: "203.0.113.0/24", path: "subnet" }]);
    });
    it("subnet 0.0.0.0 with subnetSize 0 is the whole IPv4 internet; :: with 0 the whole IPv6 one", () => {
        const v4 = rules({}).rules[0].peers[0];
        const v6 = rules({ ipType: "v6", subnet: "::", subnetSize: 0 }).rules[0].peers[0];
        expect(v4.kind === "addresses" && v4.set.key()).toBe(AddressSet.ALL_V4.key());
        expect(v6.kind === "addresses" && v6.set.key()).toBe(AddressSet.ALL_V6.key());
    });
    it('reads the colon range "3380:3390" and treats an absent or empty port as every port', () => {
        expect(rules({ port: "3380:3390" }).rules[0].ports?.toString()).toBe("3380-3390");
        expect(rules({}).rules[0].ports?.isAll).toBe(true);
        expect(rules({ port: "" }).rules[0].ports?.isAll).toBe(true);
    });
    it("ICMP, GRE, ESP and AH carry no ports", () => {
        expect(["icmp", "gre", "esp", "ah"].map((p) => rules({ protocol: p, port: "not-a-port" }).rules[0].protocol)).toEqual(["icmp", "ip-47", "ip-50", "ip-51"]);
        expect(problemsOf(rules({ protocol: "icmp", port: "not-a-port" }))).toEqual([]);
    });
    it('source "cloudflare" is a reference to Cloudflare\'s ranges and the subnet is ignored', () => {
        const m = rules({ source: "cloudflare", subnet: "0.0.0.0", subnetSize: 0 });
        expect(m.rules[0].peers).toEqual([{ kind: "reference", refKind: "Cloudflare ranges", ref: "cloudflare", path: "source" }]);
    });
    it("outbound traffic is never filtered: an implicit egress allow-all, on the rule and on the group", () => {
        expect(rules({}).implicitRules).toMatchObject([{ direction: "egress", action: "allow", protocol: "all" }]);
        const g = modelResource(res(GROUP, "g", { id: "fwg-1", description: "web" }));
        expect(g?.kind).toBe("firewall");
        if (g?.kind !== "firewall") return;
        expect(g.firewall).toMatchObject({ rules: [], keys: ["fwg-1"], stateless: false, ordered: false, defaultAction: { ingress: "deny", egress: "allow" } });
        expect(g.firewall.implicitRules).toMatchObject([{ direction: "egress", action: "allow", protocol: "all" }]);
        expect(g.inlineFields).toEqual([]);
    });
    it("never reads notes", () => {
        const m = rules({ notes: "password=hunter2" });
        expect(JSON.stringify(m.rules, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain("hunter2");
    });
    it("records malformed values with their exact paths", () => {
        const cases: Array<[Record<string, unknown>, RegExp | string]> = [
            [{ subnet: "10.0.0.0", subnetSize: 33 }, "malformed subnetSize: 33 is outside 0-32"],
            [{ subnet: "10.0.0.300", subnetSize: 8 }, /^malformed subnet: "10\.0\.0\.300\/8" is not a valid/],
            [{ subnet: "10.0.0.0/8", subnetSize: 8 }, /^malformed subnet: "10\.0\.0\.0\/8" is a CIDR/],
            [{ ipType: "v6", subnet: "10.0.0.0", subnetSize: 8 }, /^malformed subnet: .* is IPv4 where IPv6 is expected/],
            [{ ipType: "v5" }, 'malformed ipType: "v5" is not one of v4, v6'],
            [{ protocol: "banana" }, 'malformed protocol: "banana" is not one of icmp, tcp, udp, gre, esp, ah'],
            [{ protocol: "TCP" }, 'malformed protocol: "TCP" is not one of icmp, tcp, udp, gre, esp, ah'],
            [{ port: "70000" }, /^malformed port: "70000" is not a port/],
            [{ port: "1:70000" }, /^malformed port: "1:70000" is not a port/],
            [{ source: "everyone" }, 'malformed source: "everyone" is not one of "", cloudflare'],
            [{ subnetSize: "zero" }, "malformed subnetSize: is a string, not a whole number"],
            [{ subnet: undefined }, "malformed subnet: is required but absent"],
        ];
        for (const [props, expected] of cases) {
            const problems = problemsOf(rules(props));
            expect(problems, JSON.stringify(props)).toHaveLength(1);
            expect(problems[0], JSON.stringify(props)).toMatch(expected);
        }
    });
    it("an unknown subnet during preview is unknown, not malformed", () => {
        expect(problemsOf(rules({ subnet: UNKNOWN }))).toEqual(["unknown subnet: is not known until apply"]);
    });
});

describe("Vultr policies", () => {
    it("subnet 0.0.0.0 + subnetSize 0 with no port is the internet on every TCP port: unrestricted-ingress", () => {
        const f = check(unrestrictedIngress, vRule("all-tcp", {}));
        expect(f).toHaveLength(1);
        expect(f[0].path).toBe("");
        expect(f[0].message).toContain("0.0.0.0/0 (subnet), the whole internet");
    });
    it('port "3380:3390" contains RDP 3389: exposed-service-ports', () => {
        const f = check(exposedServicePorts, vRule("rdp", { port: "3380:3390" }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("RDP (TCP 3389)");
    });
    it("a cloudflare source is not the internet", () => {
        const r = vRule("cf", { source: "cloudflare" });
        expect(check(unrestrictedIngress, r)).toEqual([]);
        expect(check(highRiskPorts, r)).toEqual([]);
    });
    it("high-risk-ports blocks TCP 445 from ::/0", () => {
        const f = check(highRiskPorts, vRule("smb", { ipType: "v6", subnet: "::", subnetSize: 0, port: "445" }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("TCP 445");
    });
    it("a single /32 is not a wide range", () => {
        expect(check(unrestrictedIngress, vRule("one", { subnet: "203.0.113.7", subnetSize: 32 }))).toEqual([]);
    });
    it("rules join their group through propertyDependencies and are reported once, at resource level", () => {
        const g = res(GROUP, "g", { description: "web" });
        const r = vRule("smb", { port: "445" }, g.urn);
        const { resource, stack } = checkBoth(highRiskPorts, [g, r]);
        expect(resource.map((x) => x.urn)).toEqual([r.urn]);
        expect(stack).toEqual([]);
    });
    it("unverifiable-rules reports subnetSize 33 at the rule", () => {
        const f = check(unverifiableRules, vRule("bad", { subnet: "10.0.0.0", subnetSize: 33 }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("subnetSize 33 is outside 0-32");
    });
});
