/** Oracle Cloud adapters (props in, model out) and the policies on them. */
import { describe, it, expect } from "vitest";
import type { Firewall, Rule } from "../../src/model";
import { modelResource } from "../../src/providers";
import type { FirewallItem, RulesItem } from "../../src/providers/types";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { statelessAclReturnTraffic } from "../../src/policies/stateless-acl-return-traffic";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, checkBoth, res, UNKNOWN } from "../helpers";

const SL = "oci:Core/securityList:SecurityList";
const DEFAULT_SL = "oci:Core/defaultSecurityList:DefaultSecurityList";
const NSG = "oci:Core/networkSecurityGroup:NetworkSecurityGroup";
const NSG_RULE = "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule";

const list = (ingress: unknown, egress?: unknown, extra: Record<string, unknown> = {}) =>
    res(SL, "sl", { compartmentId: "c", vcnId: "v", ingressSecurityRules: ingress, ...(egress === undefined ? {} : { egressSecurityRules: egress }), ...extra });
const model = (ingress: unknown, egress?: unknown): Firewall => (modelResource(list(ingress, egress)) as FirewallItem).firewall;
const tcpIn = (min?: number, max?: number, extra: Record<string, unknown> = {}) => ({ protocol: "6", source: "0.0.0.0/0", ...(min === undefined ? {} : { tcpOptions: { min, max } }), ...extra });
const tcpOut = (min?: number, max?: number, extra: Record<string, unknown> = {}) => ({ protocol: "6", destination: "0.0.0.0/0", ...(min === undefined ? {} : { tcpOptions: { min, max } }), ...extra });
const nsgRule = (name: string, props: Record<string, unknown>, deps?: Record<string, string[]>) => res(NSG_RULE, name, { networkSecurityGroupId: "ocid1.nsg.1", direction: "INGRESS", protocol: "6", source: "0.0.0.0/0", sourceType: "CIDR_BLOCK", ...props }, deps);
const nsgModel = (props: Record<string, unknown>) => modelResource(nsgRule("r", props)) as RulesItem;
const problems = (r: { problems: Rule["problems"] }) => r.problems.map((p) => `${p.kind} ${p.path}: ${p.problem}`);

describe("oci:Core/securityList:SecurityList", () => {
    it("is an unordered, stateful allow list: ingress from source, egress to destination, flat tcpOptions.min/max", () => {
        const m = modelResource(list([tcpIn(22, 22)], [{ protocol: "all", destination: "0.0.0.0/0" }])) as FirewallItem;
        expect(m.inlineFields).toEqual(["ingressSecurityRules", "egressSecurityRules"]);
        expect(m.firewall).toMatchObject({ stateless: false, ordered: false, defaultAction: { ingress: "deny", egress: "deny" } });
        const [i, e] = m.firewall.rules;
        expect(i).toMatchObject({ path: "ingressSecurityRules[0]", direction: "ingress", action: "allow", protocol: "tcp", stateless: false, problems: [] });
        expect(i.ports?.toString()).toBe("22");
        expect(i.peers).toMatchObject([{ kind: "addresses", text: "0.0.0.0/0", path: "ingressSecurityRules[0].source" }]);
        expect(e).toMatchObject({ direction: "egress", protocol: "all", peers: [{ path: "egressSecurityRules[0].destination" }] });
    });
    it("an absent tcpOptions covers every destination port", () => {
        expect(model([tcpIn()]).rules[0].ports?.isAll).toBe(true);
    });
    it("an absent sourceType is CIDR_BLOCK (OCI's default); an absent source is malformed (OCI requires it), never read as any address", () => {
        expect(model([{ protocol: "6", source: "0.0.0.0/0" }]).rules[0].peers).toMatchObject([{ kind: "addresses", text: "0.0.0.0/0" }]);
        const r = model([{ protocol: "6" }]).rules[0];
        expect(problems(r)).toEqual(["malformed ingressSecurityRules[0].source: is required but absent"]);
        expect(r.peers).toMatchObject([{ kind: "unreadable" }]);
        expect(check(unverifiableRules, list([{ protocol: "6" }])).map((f) => f.path)).toEqual(["ingressSecurityRules[0]"]);
    });
    it("an absent protocol is malformed (OCI requires it), never read as every protocol", () => {
        expect(problems(model([{ source: "0.0.0.0/0" }]).rules[0])).toEqual(["malformed ingressSecurityRules[0].protocol: is required but absent"]);
    });
    it("tcpOptions with only a sourcePortRange still covers every destination port (source ports are the client's choice)", () => {
        const r = model([{ protocol: "6", source: "0.0.0.0/0", tcpOptions: { sourcePortRange: { min: 443, max: 443 } } }]).rules[0];
        expect(r.ports?.isAll).toBe(true);
        expect(r.problems).toEqual([]);
    });
    it("udpOptions narrow protocol 17; ICMP (1) and ICMPv6 (58) carry no ports", () => {
        const f = model([{ protocol: "17", source: "10.0.0.0/8", udpOptions: { min: 53, max: 53 } }, { protocol: "1", source: "0.0.0.0/0", icmpOptions: { type: 3, code: 4 } }, { protocol: "58", source: "::/0" }]);
        expect(f.rules.map((r) => [r.protocol, r.ports?.toString()])).toEqual([
            ["udp", "53"],
            ["icmp", "0-65535"],
            ["icmpv6", "0-65535"],
        ]);
    });
    it("protocol names are malformed: OCI takes \"all\" or an IANA number", () => {
        const f = model([{ protocol: "tcp", source: "0.0.0.0/0" }, { protocol: "banana", source: "0.0.0.0/0" }, { protocol: "300", source: "0.0.0.0/0" }]);
        expect(f.rules.map((r) => r.protocol)).toEqual([undefined, undefined, undefined]);
        expect(problems(f.rules[0])).toEqual(['malformed ingressSecurityRules[0].protocol: "tcp" is not "all" or an IANA protocol number such as "6" (TCP) or "17" (UDP)']);
    });
    it("SERVICE_CIDR_BLOCK sources are references, not address space", () => {
        const r = model([{ protocol: "6", source: "all-phx-services-in-oracle-services-network", sourceType: "SERVICE_CIDR_BLOCK" }]).rules[0];
        expect(r.peers).toEqual([{ kind: "reference", refKind: "Oracle service", ref: "all-phx-services-in-oracle-services-network", path: "ingressSecurityRules[0].source" }]);
        expect(r.problems).toEqual([]);
    });
    it("NETWORK_SECURITY_GROUP is not a source type of a security list", () => {
        const r = model([{ protocol: "6", source: "ocid1.nsg.1", sourceType: "NETWORK_SECURITY_GROUP" }]).rules[0];
        expect(problems(r)).toEqual(['malformed ingressSecurityRules[0].sourceType: "NETWORK_SECURITY_GROUP" is not one of CIDR_BLOCK, SERVICE_CIDR_BLOCK']);
    });
    it("stateless: true is per rule; the list itself stays stateful", () => {
        const f = model([tcpIn(443, 443, { stateless: true }), tcpIn(22, 22)]);
        expect(f.stateless).toBe(false);
        expect(f.rules.map((r) => r.stateless)).toEqual([true, false]);
    });
    it("records malformed values with their paths", () => {
        const f = model([tcpIn(1, 70000), tcpIn(90, 80), { protocol: "6", source: "10.0.0.0/33" }, null, { protocol: "6" }], "0.0.0.0/0");
        expect(f.rules.flatMap(problems)).toEqual([
            "malformed ingressSecurityRules[0].tcpOptions.max: port 70000 is outside 1-65535",
            "malformed ingressSecurityRules[1].tcpOptions.min: min 90 is greater than max 80",
            'malformed ingressSecurityRules[2].source: "10.0.0.0/33" has prefix length 33, more than 32',
            "malformed ingressSecurityRules[3]: is null inside the list",
            "malformed ingressSecurityRules[4].source: is required but absent",
        ]);
        expect(problems(f)).toEqual(["malformed egressSecurityRules: is a string, not a list"]);
    });
    it("DefaultSecurityList is known by its id and by manageDefaultResourceId", () => {
        const m = modelResource(res(DEFAULT_SL, "d", { id: "ocid1.sl.1", manageDefaultResourceId: "ocid1.sl.1", ingressSecurityRules: [] })) as FirewallItem;
        expect(m.firewall.keys).toEqual(["ocid1.sl.1"]);
        expect(m.inlineFields).toEqual(["ingressSecurityRules"]);
    });
});

describe("OCI security lists under the policies", () => {
    it("protocol 6 without tcpOptions from 0.0.0.0/0 opens every high-risk TCP port", () => {
        const f = check(highRiskPorts, list([tcpIn()]));
        expect(f).toHaveLength(1);
        expect((f[0].data as { ports: Array<{ ports: string }> }).ports[0].ports).toMatch(/^42, 135/);
        expect((f[0].data as { ports: Array<{ ports: string }> }).ports[0].ports).toContain("444-445");
    });
    it("a stateless ingress rule without a stateless egress reply rule is flagged by stateless-acl-return-traffic", () => {
        const f = check(statelessAclReturnTraffic, list([tcpIn(443, 443, { stateless: true })], []));
        expect(f).toHaveLength(1);
        expect(f[0].path).toBe("ingressSecurityRules[0]");
        expect(f[0].message).toContain("lets TCP 443 in from 0.0.0.0/0");
    });
    it("the same rule, stateful (the default), needs no reply rule", () => {
        expect(check(statelessAclReturnTraffic, list([tcpIn(443, 443)], []))).toEqual([]);
    });
    it("a stateless egress reply rule to the clients' ephemeral ports (1024-65535) lets the replies out", () => {
        const reply = tcpOut(1024, 65535, { stateless: true });
        expect(check(statelessAclReturnTraffic, list([tcpIn(443, 443, { stateless: true })], [reply]))).toEqual([]);
    });
    it("a stateless egress reply rule narrowed only by source port covers every destination port, so the replies pass", () => {
        const reply = { protocol: "6", destination: "0.0.0.0/0", stateless: true, tcpOptions: { sourcePortRange: { min: 443, max: 443 } } };
        const f = check(statelessAclReturnTraffic, list([tcpIn(443, 443, { stateless: true })], [reply]));
        expect(f.map((x) => x.path)).not.toContain("ingressSecurityRules[0]");
    });
    it("OCI's documented reply rule (stateless egress from source port 443) is a reply, not an outbound flow needing replies itself", () => {
        const reply = { protocol: "6", destination: "0.0.0.0/0", stateless: true, tcpOptions: { sourcePortRange: { min: 443, max: 443 } } };
        expect(check(statelessAclReturnTraffic, list([tcpIn(443, 443, { stateless: true })], [reply]))).toEqual([]);
    });
    it("a stateless egress rule needs ingress replies to the local clients' ephemeral ports", () => {
        const f = check(statelessAclReturnTraffic, list([], [tcpOut(443, 443, { stateless: true })]));
        expect(f.map((x) => x.path)).toEqual(["egressSecurityRules[0]"]);
        expect(f[0].message).toContain("out to 0.0.0.0/0");
    });
});

describe("oci:Core/networkSecurityGroup and its separate security rules", () => {
    it("the NSG has no inline rules: alone it is a fragment, known by its id", () => {
        const m = modelResource(res(NSG, "nsg", { id: "ocid1.nsg.1", compartmentId: "c", vcnId: "v" })) as FirewallItem;
        expect(m).toMatchObject({ kind: "firewall", inlineFields: [], rulesElsewhere: true });
        expect(m.firewall).toMatchObject({ keys: ["ocid1.nsg.1"], stateless: false, ordered: false });
    });
    it("an NSG rule reads the NESTED tcpOptions.destinationPortRange", () => {
        const m = nsgModel({ tcpOptions: { destinationPortRange: { min: 3389, max: 3389 } } });
        expect(m).toMatchObject({ kind: "rules", parentProperty: "networkSecurityGroupId", parentKey: "ocid1.nsg.1", ordered: false, stateless: false });
        expect(m.rules[0]).toMatchObject({ path: "", direction: "ingress", protocol: "tcp", problems: [] });
        expect(m.rules[0].ports?.toString()).toBe("3389");
    });
    it("an NSG rule's flat tcpOptions.min/max are not its shape: only destinationPortRange narrows the ports", () => {
        expect(nsgModel({ tcpOptions: { min: 22, max: 22 } }).rules[0].ports?.isAll).toBe(true);
        expect(nsgModel({ tcpOptions: { sourcePortRange: { min: 1, max: 2 } } }).rules[0].ports?.isAll).toBe(true);
    });
    it("EGRESS reads destination/destinationType; NETWORK_SECURITY_GROUP peers are references", () => {
        const r = nsgModel({ direction: "EGRESS", source: undefined, sourceType: undefined, destination: UNKNOWN, destinationType: "NETWORK_SECURITY_GROUP" }).rules[0];
        expect(r).toMatchObject({ direction: "egress", problems: [] });
        expect(r.peers).toEqual([{ kind: "reference", refKind: "network security group", ref: "(not known until apply)", path: "destination" }]);
    });
    it("a bad direction keeps the rule, unreadable, so it is reported", () => {
        const m = nsgModel({ direction: "SIDEWAYS" });
        expect(m.rules[0]).toMatchObject({ unsure: { direction: true }, peers: [{ kind: "unreadable", path: "direction" }] });
        expect(problems(m.rules[0])).toEqual(['malformed direction: "SIDEWAYS" is not one of ingress, egress']);
    });
    it("NSG rules are unordered, so a rule is judged at resource level already", () => {
        const { resource, stack } = checkBoth(unrestrictedIngress, [nsgRule("open", { protocol: "all" })]);
        expect(resource).toHaveLength(1);
        expect(resource[0].message).toContain("all protocols and ports");
        expect(stack).toEqual([]);
    });
    it("an NSG rule from another NSG is not public", () => {
        expect(check(highRiskPorts, nsgRule("peer", { protocol: "all", source: "ocid1.nsg.2", sourceType: "NETWORK_SECURITY_GROUP" }))).toEqual([]);
    });
    it("a stateless NSG rule is checked for return traffic once joined to its NSG", () => {
        const nsg = res(NSG, "nsg", { compartmentId: "c", vcnId: "v" });
        const r = nsgRule("https", { networkSecurityGroupId: UNKNOWN, stateless: true, tcpOptions: { destinationPortRange: { min: 443, max: 443 } } }, { networkSecurityGroupId: [nsg.urn] });
        const { resource, stack } = checkBoth(statelessAclReturnTraffic, [nsg, r], { localClients: [] });
        expect(resource).toEqual([]);
        expect(stack.map((f) => f.urn)).toEqual([r.urn]);
    });
    it("a malformed nested range is reported by unverifiable-rules", () => {
        const f = check(unverifiableRules, nsgRule("bad", { tcpOptions: { destinationPortRange: { min: 0, max: 22 } } }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("tcpOptions.destinationPortRange.min port 0 is outside 1-65535");
    });
});
