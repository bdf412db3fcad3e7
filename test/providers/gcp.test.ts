import { describe, it, expect } from "vitest";
import { modelResource } from "../../src/providers";
import { networkKey } from "../../src/providers/gcp";
import type { FirewallItem, RulesItem } from "../../src/providers/types";
import type { Peer, Rule } from "../../src/model";
import { AddressSet, PUBLIC } from "../../src/net/addresses";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { exposedServicePorts } from "../../src/policies/exposed-service-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, checkBoth, checkStack, res, urnOf, UNKNOWN } from "../helpers";

const FW = "gcp:compute/firewall:Firewall";
const NET = "gcp:compute/network:Network";
const POLICY = "gcp:compute/firewallPolicy:FirewallPolicy";
const POLICY_RULE = "gcp:compute/firewallPolicyRule:FirewallPolicyRule";
const NET_POLICY_RULE = "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule";
const REGION_POLICY_RULE = "gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule";
const WITH_RULES = "gcp:compute/firewallPolicyWithRules:FirewallPolicyWithRules";
const NET_WITH_RULES = "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules";
const REGION_WITH_RULES = "gcp:compute/regionNetworkFirewallPolicyWithRules:RegionNetworkFirewallPolicyWithRules";

/** A VPC firewall on network `default`, ingress from the internet unless told otherwise. */
function firewall(name: string, props: Record<string, unknown>, deps?: Record<string, string[]>) {
    return res(FW, name, { network: "default", sourceRanges: ["0.0.0.0/0"], ...props }, deps);
}

/** A firewall-policy rule's body. */
function pr(priority: number, action: string, l4: unknown[], match: Record<string, unknown> = { srcIpRanges: ["0.0.0.0/0"] }, extra: Record<string, unknown> = {}) {
    return { priority, action, direction: "INGRESS", match: { layer4Configs: l4, ...match }, ...extra };
}

function rules(input: ReturnType<typeof res>): RulesItem {
    const m = modelResource(input);
    expect(m?.kind).toBe("rules");
    return m as RulesItem;
}

function fw(input: ReturnType<typeof res>): FirewallItem {
    const m = modelResource(input);
    expect(m?.kind).toBe("firewall");
    return m as FirewallItem;
}

const peerText = (p: Peer) => (p.kind === "addresses" ? `addr:${p.text}` : p.kind === "reference" ? `${p.refKind}:${p.ref}` : p.kind);
const problems = (r: Rule) => r.problems.map((p) => `${p.kind} ${p.path}: ${p.problem}`);
const summary = (r: Rule) => `${r.direction} ${r.action} ${r.protocol} ${r.ports?.toString()} @${r.order}${r.disabled ? " disabled" : ""}`;

describe("GCP Firewall: model", () => {
    it("is a set of rules of its network: one rule per allows entry, priority 1000 by default, ingress by default", () => {
        const m = rules(firewall("web", { allows: [{ protocol: "tcp", ports: ["22", "80-90"] }, { protocol: "udp", ports: ["53"] }] }));
        expect(m.parentProperty).toBe("network");
        expect(m.parentKey).toBe("default");
        expect(m.ordered).toBe(true);
        expect(m.stateless).toBe(false);
        expect(m.rules.map(summary)).toEqual(["ingress allow tcp 22, 80-90 @1000", "ingress allow udp 53 @1000"]);
        expect(m.rules.map((r) => r.path)).toEqual(["allows[0]", "allows[1]"]);
        expect(m.rules[0].peers.map(peerText)).toEqual(["addr:0.0.0.0/0"]);
        expect(m.rules[0].peers[0].path).toBe("sourceRanges[0]");
        expect(m.rules.flatMap(problems)).toEqual([]);
    });

    it("omitted or empty ports mean every port", () => {
        const m = rules(firewall("web", { allows: [{ protocol: "tcp" }, { protocol: "udp", ports: [] }] }));
        expect(m.rules.map((r) => r.ports?.toString())).toEqual(["0-65535", "0-65535"]);
    });

    it("reads protocols case-insensitively, `all` and IANA numbers", () => {
        const m = rules(firewall("web", { allows: [{ protocol: "TCP", ports: ["22"] }, { protocol: "all" }, { protocol: "17", ports: ["53"] }, { protocol: "esp" }, { protocol: "sctp", ports: ["9"] }] }));
        expect(m.rules.map((r) => r.protocol)).toEqual(["tcp", "all", "udp", "ip-50", "ip-132"]);
        expect(m.rules.flatMap(problems)).toEqual([]);
    });

    it("denies are deny rules; priority and EGRESS with destinationRanges are read", () => {
        const m = rules(firewall("out", { direction: "EGRESS", priority: 900, sourceRanges: undefined, destinationRanges: ["10.0.0.0/8"], denies: [{ protocol: "tcp", ports: ["25"] }] }));
        expect(m.rules.map(summary)).toEqual(["egress deny tcp 25 @900"]);
        expect(m.rules[0].peers.map(peerText)).toEqual(["addr:10.0.0.0/8"]);
    });

    it("an EGRESS rule without destinationRanges goes to 0.0.0.0/0", () => {
        const m = rules(firewall("out", { direction: "EGRESS", sourceRanges: undefined, allows: [{ protocol: "tcp" }] }));
        const p = m.rules[0].peers[0];
        expect(p.kind === "addresses" && p.set).toBe(AddressSet.ALL_V4);
        expect(m.rules[0].problems).toEqual([]);
    });

    it("source tags and service accounts are references; target tags and accounts make a scope", () => {
        const m = rules(firewall("int", { sourceRanges: undefined, sourceTags: ["web"], sourceServiceAccounts: ["sa@p.iam.gserviceaccount.com"], targetTags: ["db"], allows: [{ protocol: "tcp", ports: ["5432"] }] }));
        expect(m.rules[0].peers.map(peerText)).toEqual(["network tag:web", "service account:sa@p.iam.gserviceaccount.com"]);
        expect(m.rules[0].scope).toBe("tags:r:db");
        expect(rules(firewall("all", { allows: [{ protocol: "tcp" }] })).rules[0].scope).toBeUndefined();
    });

    it("a disabled rule is kept, marked disabled", () => {
        const m = rules(firewall("off", { disabled: true, allows: [{ protocol: "tcp" }] }));
        expect(m.rules.map(summary)).toEqual(["ingress allow tcp 0-65535 @1000 disabled"]);
    });

    it("brings the network's implied rules: deny all ingress and allow all egress at 65535", () => {
        const m = rules(firewall("web", { allows: [{ protocol: "tcp" }] }));
        expect(m.implicitRules?.map(summary)).toEqual(["ingress deny all 0-65535 @65535", "egress allow all 0-65535 @65535"]);
    });

    it("network names and self links of the same network share a key", () => {
        expect(networkKey("default")).toBe("default");
        expect(networkKey("global/networks/default")).toBe("default");
        expect(networkKey("https://www.googleapis.com/compute/v1/projects/p1/global/networks/vpc")).toBe("projects/p1/global/networks/vpc");
        expect(networkKey("projects/p1/global/networks/vpc")).toBe("projects/p1/global/networks/vpc");
        expect(rules(firewall("web", { network: UNKNOWN, allows: [{ protocol: "tcp" }] })).parentKey).toBeUndefined();
    });

    describe("malformed values become problems with exact paths", () => {
        const cases: Array<[string, Record<string, unknown>, string[]]> = [
            ["a CIDR with prefix /33", { sourceRanges: ["10.0.0.0/33"], allows: [{ protocol: "tcp" }] }, ["malformed sourceRanges[0]: \"10.0.0.0/33\" has prefix length 33, more than 32"]],
            ["port 70000", { allows: [{ protocol: "tcp", ports: ["22", "70000"] }] }, ["malformed allows[0].ports[1]: \"70000\" is not a port or port range"]],
            ["protocol banana", { allows: [{ protocol: "banana" }] }, ["malformed allows[0].protocol: \"banana\" is not a protocol"]],
            ["a null in ports", { allows: [{ protocol: "tcp", ports: [null] }] }, ["malformed allows[0].ports[0]: is null inside a list of strings"]],
            ["a string where a list belongs", { sourceRanges: "0.0.0.0/0", allows: [{ protocol: "tcp" }] }, ["malformed sourceRanges: is a string, not a list"]],
            ["priority 70000", { priority: 70000, allows: [{ protocol: "tcp" }] }, ["malformed priority: priority 70000 is outside 0-65535"]],
            ["ports with icmp", { allows: [{ protocol: "icmp", ports: ["8"] }] }, ["malformed allows[0].ports: ports are only allowed with tcp, udp or sctp"]],
            ["direction SIDEWAYS", { direction: "SIDEWAYS", allows: [{ protocol: "tcp" }] }, ["malformed direction: \"SIDEWAYS\" is not one of ingress, egress"]],
        ];
        for (const [name, props, expected] of cases) {
            it(name, () => {
                expect(problems(rules(firewall("bad", props)).rules[0])).toEqual(expected);
            });
        }
        it("an INGRESS allow without any source applies to 0.0.0.0/0, as the GCP API defaults; the peer says current providers refuse it", () => {
            const r = rules(firewall("open", { sourceRanges: undefined, allows: [{ protocol: "tcp" }] })).rules[0];
            expect(problems(r)).toEqual([]);
            expect(r.peers.map(peerText)).toEqual(["addr:0.0.0.0/0 (no source given: the GCP API's default; current providers also refuse the rule as written)"]);
            expect(r.peers[0]).toMatchObject({ path: "sourceRanges" });
        });
        it("empty sourceRanges, sourceTags and sourceServiceAccounts lists are like omitted ones: 0.0.0.0/0", () => {
            const r = rules(firewall("open", { sourceRanges: [], sourceTags: [], sourceServiceAccounts: [], allows: [{ protocol: "tcp" }] })).rules[0];
            expect(r.peers.map(peerText)).toEqual(["addr:0.0.0.0/0 (no source given: the GCP API's default; current providers also refuse the rule as written)"]);
        });
        it("an INGRESS deny without any source is malformed: current providers refuse it, so it may not exist", () => {
            const r = rules(firewall("deny", { sourceRanges: undefined, denies: [{ protocol: "tcp" }] })).rules[0];
            expect(problems(r)).toEqual([
                "malformed sourceRanges: is absent, and so are sourceTags and sourceServiceAccounts: the GCP API would apply the deny to 0.0.0.0/0, but current providers refuse the rule as written, so it may not exist and shadows nothing",
            ]);
        });
        it("sourceRanges and sourceTags together are a union: a tag does not narrow the ranges", () => {
            const r = rules(firewall("both", { sourceRanges: ["0.0.0.0/0"], sourceTags: ["web"], allows: [{ protocol: "tcp", ports: ["445"] }] })).rules[0];
            expect(r.peers.map(peerText)).toEqual(["addr:0.0.0.0/0", "network tag:web"]);
        });
        it("sourceServiceAccounts with sourceTags, or targetServiceAccounts with targetTags, are malformed (GCP takes one kind)", () => {
            expect(problems(rules(firewall("x", { sourceRanges: undefined, sourceTags: ["a"], sourceServiceAccounts: ["sa@p.iam.gserviceaccount.com"], allows: [{ protocol: "tcp" }] })).rules[0])).toEqual([
                "malformed sourceServiceAccounts: cannot be used together with sourceTags",
            ]);
            expect(problems(rules(firewall("y", { targetTags: ["a"], targetServiceAccounts: ["sa@p.iam.gserviceaccount.com"], allows: [{ protocol: "tcp" }] })).rules[0])).toEqual([
                "malformed targetServiceAccounts: cannot be used together with targetTags or sourceTags",
            ]);
        });
        it("neither allows nor denies, or both", () => {
            expect(rules(firewall("none", {})).problems.map((p) => p.path)).toEqual(["allows"]);
            expect(rules(firewall("both", { allows: [{ protocol: "tcp" }], denies: [{ protocol: "udp" }] })).problems.map((p) => p.path)).toEqual(["denies"]);
        });
        it("a null entry in allows", () => {
            expect(problems(rules(firewall("bad", { allows: [null] })).rules[0])).toEqual(["malformed allows[0]: is null inside the list"]);
        });
    });

    it("an unknown priority or disabled flag leaves the rule unsure", () => {
        expect(rules(firewall("p", { priority: UNKNOWN, denies: [{ protocol: "tcp" }] })).rules[0].unsure?.order).toBe(true);
        expect(rules(firewall("d", { disabled: UNKNOWN, denies: [{ protocol: "tcp" }] })).rules[0].unsure?.action).toBe(true);
    });
});

describe("GCP firewall policies: model", () => {
    it("a policy rule gives one model rule per layer-4 config, of its firewallPolicy", () => {
        const m = rules(res(POLICY_RULE, "r", { firewallPolicy: "locations/global/firewallPolicies/123", ...pr(2147483547, "deny", [{ ipProtocol: "TCP", ports: ["22"] }, { ipProtocol: "all" }]) }));
        expect(m.parentProperty).toBe("firewallPolicy");
        expect(m.parentKey).toBe("locations/global/firewallPolicies/123");
        expect(m.rules.map(summary)).toEqual(["ingress deny tcp 22 @2147483547", "ingress deny all 0-65535 @2147483547"]);
        expect(m.rules.map((r) => r.path)).toEqual(["match.layer4Configs[0]", "match.layer4Configs[1]"]);
        expect(m.rules.flatMap(problems)).toEqual([]);
    });

    it("the network and regional policy rules read the same way", () => {
        for (const t of [NET_POLICY_RULE, REGION_POLICY_RULE]) {
            expect(rules(res(t, "r", { firewallPolicy: "p", ...pr(10, "allow", [{ ipProtocol: "udp", ports: ["53"] }]) })).rules.map(summary)).toEqual(["ingress allow udp 53 @10"]);
        }
    });

    it("goto_next decides nothing (kept, disabled, no problem); apply_security_profile_group allows", () => {
        const g = rules(res(POLICY_RULE, "g", { firewallPolicy: "p", ...pr(10, "goto_next", [{ ipProtocol: "tcp" }]) }));
        expect(g.rules.map(summary)).toEqual(["ingress allow tcp 0-65535 @10 disabled"]);
        expect(g.rules[0].problems).toEqual([]);
        expect(rules(res(POLICY_RULE, "g", { firewallPolicy: "p", ...pr(10, "gotoNext", [{ ipProtocol: "tcp" }]) })).rules[0].disabled).toBe(true);
        const s = rules(res(POLICY_RULE, "s", { firewallPolicy: "p", ...pr(10, "apply_security_profile_group", [{ ipProtocol: "tcp" }]) }));
        expect(s.rules.map(summary)).toEqual(["ingress allow tcp 0-65535 @10"]);
    });

    it("srcNetworkScope or srcNetworkContext INTERNET is the public internet", () => {
        for (const key of ["srcNetworkScope", "srcNetworkContext"]) {
            const m = rules(res(POLICY_RULE, "i", { firewallPolicy: "p", ...pr(10, "allow", [{ ipProtocol: "tcp" }], { [key]: "INTERNET" }) }));
            const p = m.rules[0].peers[0];
            expect(p.kind === "addresses" && p.set).toBe(PUBLIC);
            expect(p.path).toBe(`match.${key}`);
        }
    });

    it("a non-internet network scope leaves no public address", () => {
        const m = rules(res(POLICY_RULE, "v", { firewallPolicy: "p", ...pr(10, "allow", [{ ipProtocol: "tcp" }], { srcIpRanges: ["0.0.0.0/0"], srcNetworkScope: "INTRA_VPC" }) }));
        expect(m.rules[0].peers.map(peerText)).toEqual(["network scope:INTRA_VPC"]);
    });

    it("address groups, FQDNs, region codes, threat intelligence and secure tags are references", () => {
        const m = rules(
            res(NET_POLICY_RULE, "refs", {
                firewallPolicy: "p",
                ...pr(10, "allow", [{ ipProtocol: "tcp" }], { srcAddressGroups: ["ag"], srcFqdns: ["example.com"], srcRegionCodes: ["US"], srcThreatIntelligences: ["iplist-known-malicious-ips"], srcSecureTags: [{ name: "tagValues/1" }] }),
            }),
        );
        expect(m.rules[0].peers.map(peerText)).toEqual(["address group:ag", "FQDN:example.com", "region code:US", "threat intelligence list:iplist-known-malicious-ips", "secure tag:tagValues/1"]);
    });

    it("an EGRESS policy rule is judged on its destinations", () => {
        const m = rules(res(POLICY_RULE, "e", { firewallPolicy: "p", ...pr(10, "allow", [{ ipProtocol: "tcp" }], { destIpRanges: ["8.8.8.8/32"], srcIpRanges: ["10.0.0.0/8"] }), direction: "EGRESS" }));
        expect(m.rules[0].direction).toBe("egress");
        expect(m.rules[0].peers.map(peerText)).toEqual(["addr:8.8.8.8/32"]);
        expect(m.rules[0].scope).toMatch(/^local:/);
    });

    it("malformed policy rules: priority too high, unknown action, no layer-4 config, protocol banana", () => {
        const bad = (body: Record<string, unknown>) => rules(res(POLICY_RULE, "b", { firewallPolicy: "p", ...body })).rules.flatMap(problems);
        expect(bad(pr(2147483548, "allow", [{ ipProtocol: "tcp" }]))).toEqual(["malformed priority: priority 2147483548 is outside 0-2147483547"]);
        expect(bad(pr(1, "maybe", [{ ipProtocol: "tcp" }]))).toEqual(["malformed action: \"maybe\" is not one of allow, deny, goto_next, apply_security_profile_group"]);
        expect(bad(pr(1, "allow", []))).toEqual(["malformed match.layer4Configs: is required but absent"]);
        expect(bad(pr(1, "allow", [{ ipProtocol: "banana" }]))).toEqual(["malformed match.layer4Configs[0].ipProtocol: \"banana\" is not a protocol"]);
        expect(bad(pr(1, "allow", [{ ipProtocol: "tcp" }], { srcIpRanges: ["1.2.3.4/40"] }))).toEqual(["malformed match.srcIpRanges[0]: \"1.2.3.4/40\" has prefix length 40, more than 32"]);
    });

    it("the WithRules forms are firewalls with inline rules[]", () => {
        for (const t of [WITH_RULES, NET_WITH_RULES, REGION_WITH_RULES]) {
            const f = fw(res(t, "pol", { rules: [{ ...pr(100, "deny", [{ ipProtocol: "tcp", ports: ["445"] }]), direction: undefined }, pr(200, "allow", [{ ipProtocol: "tcp", ports: ["443"] }])] }));
            expect(f.inlineFields).toEqual(["rules"]);
            expect(f.firewall.rules.map(summary)).toEqual(["ingress deny tcp 445 @100", "ingress allow tcp 443 @200"]);
            expect(f.firewall.rules.map((r) => r.path)).toEqual(["rules[0].match.layer4Configs[0]", "rules[1].match.layer4Configs[0]"]);
        }
    });
});

describe("GCP: policies", () => {
    const smb = (name: string, props: Record<string, unknown> = {}) => firewall(name, { allows: [{ protocol: "tcp", ports: ["445"] }], ...props });

    it("a Firewall alone is a fragment of its network: judged on the stack, not at resource level", () => {
        const r = smb("smb");
        expect(check(highRiskPorts, r)).toEqual([]);
        const f = checkStack(highRiskPorts, [r]);
        expect(f.map((x) => [x.urn, x.path])).toEqual([[urnOf(FW, "smb"), "allows[0]"]]);
        expect(f[0].message).toContain("0.0.0.0/0 (sourceRanges[0])");
    });

    it("omitted ports are every port: unrestricted-ingress flags it", () => {
        const f = checkStack(unrestrictedIngress, [firewall("any-tcp", { allows: [{ protocol: "tcp" }] })]);
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("65536 TCP ports (0-65535)");
        expect(checkStack(unrestrictedIngress, [firewall("web", { allows: [{ protocol: "tcp", ports: ["80", "443"] }] })])).toEqual([]);
    });

    it("protocol all is every protocol and port", () => {
        const f = checkStack(unrestrictedIngress, [firewall("all", { allows: [{ protocol: "all" }] })]);
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("all protocols and ports");
    });

    it("a deny at priority 900 in another Firewall on the same network shadows an allow at 1000", () => {
        const deny = firewall("deny-smb", { priority: 900, denies: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [deny, smb("smb")])).toEqual([]);
        // the network spelled as a partial URL is the same network
        expect(checkStack(highRiskPorts, [firewall("deny-smb", { network: "global/networks/default", priority: 900, denies: [{ protocol: "tcp", ports: ["445"] }] }), smb("smb")])).toEqual([]);
        // a deny on another network does not
        expect(checkStack(highRiskPorts, [firewall("deny-smb", { network: "other", priority: 900, denies: [{ protocol: "tcp", ports: ["445"] }] }), smb("smb")]).map((x) => x.urn)).toEqual([urnOf(FW, "smb")]);
    });

    it("a deny numbered 1100 comes after an allow at 1000 and does not shadow it", () => {
        const deny = firewall("deny-smb", { priority: 1100, denies: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [deny, smb("smb")]).map((x) => x.urn)).toEqual([urnOf(FW, "smb")]);
    });

    it("a deny beats an allow at equal priority", () => {
        const deny = firewall("deny-smb", { priority: 1000, denies: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [smb("smb"), deny])).toEqual([]);
    });

    it("a deny for tagged instances does not shadow an allow for every instance", () => {
        const deny = firewall("deny-smb", { priority: 900, targetTags: ["legacy"], denies: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [deny, smb("smb")]).map((x) => x.urn)).toEqual([urnOf(FW, "smb")]);
        // ... and does shadow an allow for those same instances
        expect(checkStack(highRiskPorts, [deny, smb("smb", { targetTags: ["legacy"] })])).toEqual([]);
    });

    it("service accounts not known until apply are expected during preview; a deny and an allow for two of them are not assumed the same", () => {
        const deny = firewall("deny-smb", { priority: 900, targetServiceAccounts: [UNKNOWN], denies: [{ protocol: "tcp", ports: ["445"] }] });
        const allow = smb("smb", { targetServiceAccounts: [UNKNOWN], sourceServiceAccounts: UNKNOWN });
        expect(rules(allow).rules.flatMap(problems)).toEqual([]);
        expect(checkStack(highRiskPorts, [deny, allow]).map((x) => x.urn)).toEqual([urnOf(FW, "smb")]);
        expect(checkStack(unverifiableRules, [deny, allow])).toEqual([]);
    });

    it("a disabled deny shadows nothing, and a disabled allow exposes nothing", () => {
        const deny = firewall("deny-smb", { priority: 900, disabled: true, denies: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [deny, smb("smb")]).map((x) => x.urn)).toEqual([urnOf(FW, "smb")]);
        expect(checkStack(highRiskPorts, [smb("smb", { disabled: true })])).toEqual([]);
    });

    it("during preview, firewalls on a network being created are joined through propertyDependencies", () => {
        const net = res(NET, "vpc", { autoCreateSubnetworks: false });
        const deps = { network: [urnOf(NET, "vpc")] };
        const deny = firewall("deny-smb", { network: UNKNOWN, priority: 900, denies: [{ protocol: "tcp", ports: ["445"] }] }, deps);
        expect(checkBoth(highRiskPorts, [net, deny, smb("smb", { network: UNKNOWN }), smb("smb2", { network: UNKNOWN })]).stack.map((x) => x.urn).sort()).toEqual([urnOf(FW, "smb"), urnOf(FW, "smb2")]);
        const allow = firewall("smb", { network: UNKNOWN, allows: [{ protocol: "tcp", ports: ["445"] }] }, deps);
        expect(checkBoth(highRiskPorts, [net, deny, allow])).toEqual({ resource: [], stack: [] });
    });

    it("an EGRESS firewall is judged only when egress is", () => {
        const r = firewall("out", { direction: "EGRESS", sourceRanges: undefined, allows: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [r])).toEqual([]);
        expect(checkStack(highRiskPorts, [r], { directions: ["ingress", "egress"] })[0].message).toContain("to 0.0.0.0/0");
    });

    it("allow tcp 445 with no source at all is blocked by high-risk-ports: GCP applies it to 0.0.0.0/0, and the message says providers refuse it as written", () => {
        for (const props of [{ sourceRanges: undefined }, { sourceRanges: [] }]) {
            const f = checkStack(highRiskPorts, [smb("nosrc", props)]);
            expect(f.map((x) => x.path)).toEqual(["allows[0]"]);
            expect(f[0].message).toContain("0.0.0.0/0 (no source given: the GCP API's default; current providers also refuse the rule as written) (sourceRanges)");
        }
    });

    it("a deny without a source (refused by current providers) does not shadow an allow of 445 from the internet", () => {
        const deny = firewall("deny", { sourceRanges: undefined, priority: 100, denies: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [deny, smb("smb")]).map((x) => x.urn)).toEqual([urnOf(FW, "smb")]);
        expect(check(unverifiableRules, deny).map((x) => x.path)).toEqual(["denies[0]"]);
    });

    it("a deny of 445 from 0.0.0.0/0 shadows the allow whatever tags the allow also names (tags do not narrow ranges)", () => {
        const deny = firewall("deny", { priority: 100, denies: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [deny, smb("smb", { sourceTags: ["web"] })])).toEqual([]);
        expect(checkStack(highRiskPorts, [smb("smb", { sourceTags: ["web"] })])).toHaveLength(1);
    });

    it("VPC firewall rules may share a priority (GCP allows it): a deny at the allow's priority still shadows it", () => {
        const deny = firewall("deny", { priority: 1000, denies: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [deny, smb("smb")])).toEqual([]);
    });

    it("a deny with a priority outside 0-65535 shadows nothing", () => {
        const deny = firewall("deny", { priority: 70000, denies: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [deny, smb("smb")]).map((x) => x.urn)).toEqual([urnOf(FW, "smb")]);
    });

    it("source tags only are not public address space", () => {
        expect(checkStack(exposedServicePorts, [firewall("ssh", { sourceRanges: undefined, sourceTags: ["bastion"], allows: [{ protocol: "tcp", ports: ["22"] }] })])).toEqual([]);
        expect(checkStack(exposedServicePorts, [firewall("ssh", { allows: [{ protocol: "tcp", ports: ["22"] }] })])[0].message).toContain("SSH (TCP 22)");
    });

    it("malformed firewall values are reported by unverifiable-rules at resource level", () => {
        const f = check(unverifiableRules, firewall("bad", { allows: [{ protocol: "tcp", ports: ["70000"] }] }));
        expect(f).toHaveLength(1);
        expect(f[0].path).toBe("allows[0]");
        expect(f[0].message).toContain("allows[0].ports[0] \"70000\" is not a port or port range");
    });

    it("an unknown source range during preview is unverifiable, not blocked", () => {
        const r = firewall("u", { sourceRanges: [UNKNOWN], allows: [{ protocol: "tcp", ports: ["445"] }] });
        expect(checkStack(highRiskPorts, [r])).toEqual([]);
        expect(check(unverifiableRules, r)[0].message).toContain("sourceRanges[0]");
    });

    describe("firewall policies", () => {
        const policy = (rules: unknown[]) => res(NET_WITH_RULES, "pol", { rules });

        it("srcNetworkScope INTERNET opening 445 is blocked", () => {
            const f = check(highRiskPorts, policy([pr(100, "allow", [{ ipProtocol: "tcp", ports: ["445"] }], { srcNetworkScope: "INTERNET" })]));
            expect(f).toHaveLength(1);
            expect(f[0].path).toBe("rules[0].match.layer4Configs[0]");
            expect(f[0].message).toContain("srcNetworkScope INTERNET (rules[0].match.srcNetworkScope)");
        });

        it("two rules of one policy with one priority are both ambiguous (GCP refuses the second): the deny of 445 shadows nothing", () => {
            const r = policy([pr(100, "deny", [{ ipProtocol: "tcp", ports: ["445"] }]), pr(100, "allow", [{ ipProtocol: "tcp", ports: ["445"] }, { ipProtocol: "udp", ports: ["53"] }])]);
            const f = fw(r).firewall;
            expect(f.uniqueOrder).toBe("policy");
            expect(f.rules.map((x) => x.problems.map((p) => p.kind))).toEqual([["ambiguous"], ["ambiguous"], ["ambiguous"]]);
            expect(f.rules[0].problems[0].problem).toContain("(100) as rules[1];");
            expect(check(highRiskPorts, r).map((x) => x.path)).toEqual(["rules[1].match.layer4Configs[0]"]);
            expect(check(unverifiableRules, r).map((x) => x.path)).toContain("rules[0].match.layer4Configs[0]");
        });

        it("a priority is unique across directions: an EGRESS rule at the deny's priority makes the INGRESS deny of 445 shadow nothing", () => {
            const r = policy([pr(100, "deny", [{ ipProtocol: "tcp", ports: ["445"] }]), pr(100, "allow", [{ ipProtocol: "all" }], { destIpRanges: ["0.0.0.0/0"] }, { direction: "EGRESS" }), pr(200, "allow", [{ ipProtocol: "tcp", ports: ["445"] }])]);
            const f = fw(r).firewall;
            expect(f.rules[0].problems.map((p) => p.problem)).toEqual([expect.stringContaining("has the same priority (100) as rules[1]; a firewall policy refuses a second rule with one priority, whatever its direction")]);
            expect(check(highRiskPorts, r).map((x) => x.path)).toEqual(["rules[2].match.layer4Configs[0]"]);
        });

        it("a disabled or goto_next rule still holds its priority: a deny sharing it shadows nothing", () => {
            for (const holder of [pr(100, "allow", [{ ipProtocol: "udp", ports: ["53"] }], undefined, { disabled: true }), pr(100, "goto_next", [{ ipProtocol: "udp", ports: ["53"] }])]) {
                const r = policy([pr(100, "deny", [{ ipProtocol: "tcp", ports: ["445"] }]), holder, pr(200, "allow", [{ ipProtocol: "tcp", ports: ["445"] }])]);
                expect(check(highRiskPorts, r).map((x) => x.path)).toEqual(["rules[2].match.layer4Configs[0]"]);
            }
        });

        it("an INGRESS policy rule with no source is named, and its allow judged at its widest: 445 with no source is blocked; such a deny shadows nothing", () => {
            const allow = policy([pr(100, "allow", [{ ipProtocol: "tcp", ports: ["445"] }], {})]);
            expect(check(highRiskPorts, allow).map((x) => x.path)).toEqual(["rules[0].match.layer4Configs[0]"]);
            expect(check(unverifiableRules, allow).map((x) => x.path)).toEqual(["rules[0].match.layer4Configs[0]"]);
            const deny = policy([pr(100, "deny", [{ ipProtocol: "tcp", ports: ["445"] }], {}), pr(200, "allow", [{ ipProtocol: "tcp", ports: ["445"] }])]);
            expect(check(highRiskPorts, deny).map((x) => x.path)).toEqual(["rules[1].match.layer4Configs[0]"]);
        });

        it("the layer-4 configs of one rule share its priority without being duplicates", () => {
            const f = fw(policy([pr(100, "allow", [{ ipProtocol: "tcp", ports: ["22"] }, { ipProtocol: "udp", ports: ["53"] }])])).firewall;
            expect(f.rules.flatMap(problems)).toEqual([]);
        });

        it("separate policy-rule resources with one priority: the deny shadows nothing after the join", () => {
            const rule = (name: string, body: Record<string, unknown>) => res(NET_POLICY_RULE, name, { firewallPolicy: "pol-1", ...body });
            const stack = [rule("deny", pr(100, "deny", [{ ipProtocol: "tcp", ports: ["445"] }])), rule("allow", pr(100, "allow", [{ ipProtocol: "tcp", ports: ["445"] }]))];
            expect(checkStack(highRiskPorts, stack).map((x) => x.urn)).toEqual([urnOf(NET_POLICY_RULE, "allow")]);
            expect(checkStack(highRiskPorts, [rule("deny", pr(90, "deny", [{ ipProtocol: "tcp", ports: ["445"] }])), stack[1]])).toEqual([]);
        });

        it("a deny with a priority past the user's range (0-2147483547), a malformed protocol or a malformed port shadows nothing", () => {
            for (const deny of [pr(2147483600, "deny", [{ ipProtocol: "tcp", ports: ["445"] }]), pr(50, "deny", [{ ipProtocol: "banana", ports: ["445"] }]), pr(50, "deny", [{ ipProtocol: "tcp", ports: ["445-70000"] }]), pr(50, "deny", [{ ipProtocol: "tcp", ports: ["445"] }], { srcIpRanges: ["0.0.0.0/33"] })]) {
                const r = policy([deny, pr(200, "allow", [{ ipProtocol: "tcp", ports: ["445"] }])]);
                expect(check(highRiskPorts, r).map((x) => x.path)).toEqual(["rules[1].match.layer4Configs[0]"]);
                expect(check(unverifiableRules, r).map((x) => x.path)).toContain("rules[0].match.layer4Configs[0]");
            }
        });

        it("goto_next exposes nothing", () => {
            expect(check(highRiskPorts, policy([pr(100, "goto_next", [{ ipProtocol: "tcp", ports: ["445"] }])]))).toEqual([]);
        });

        it("a goto_next rule does not shadow a later allow", () => {
            const f = check(highRiskPorts, policy([pr(100, "goto_next", [{ ipProtocol: "all" }]), pr(200, "allow", [{ ipProtocol: "tcp", ports: ["445"] }])]));
            expect(f.map((x) => x.path)).toEqual(["rules[1].match.layer4Configs[0]"]);
        });

        it("an earlier deny shadows a later allow; protocol names in capitals are read", () => {
            expect(check(highRiskPorts, policy([pr(100, "deny", [{ ipProtocol: "TCP", ports: ["445"] }]), pr(200, "allow", [{ ipProtocol: "TCP", ports: ["445"] }])]))).toEqual([]);
        });

        it("a deny for load balancers or for some service accounts does not shadow an allow for every instance", () => {
            const allow = pr(200, "allow", [{ ipProtocol: "tcp", ports: ["445"] }]);
            const lbDeny = { ...pr(100, "deny", [{ ipProtocol: "tcp", ports: ["445"] }]), targetType: "INTERNAL_MANAGED_LB" };
            const saDeny = { ...pr(100, "deny", [{ ipProtocol: "tcp", ports: ["445"] }]), targetServiceAccounts: ["legacy@p.iam.gserviceaccount.com"] };
            expect(check(highRiskPorts, policy([lbDeny, allow])).map((x) => x.path)).toEqual(["rules[1].match.layer4Configs[0]"]);
            expect(check(highRiskPorts, policy([saDeny, allow])).map((x) => x.path)).toEqual(["rules[1].match.layer4Configs[0]"]);
            expect(check(highRiskPorts, policy([{ ...lbDeny, targetType: "INSTANCES" }, allow]))).toEqual([]);
        });

        it("an apply_security_profile_group rule is judged as an allow", () => {
            expect(check(highRiskPorts, policy([pr(100, "apply_security_profile_group", [{ ipProtocol: "tcp", ports: ["445"] }])]))).toHaveLength(1);
        });

        it("standalone policy rules of one policy are judged together on the stack", () => {
            const pol = res(POLICY, "org", { parent: "organizations/1", shortName: "org" });
            const deps = { firewallPolicy: [urnOf(POLICY, "org")] };
            const deny = res(POLICY_RULE, "deny", { firewallPolicy: UNKNOWN, ...pr(100, "deny", [{ ipProtocol: "tcp", ports: ["445"] }]) }, deps);
            const allow = res(POLICY_RULE, "allow", { firewallPolicy: UNKNOWN, ...pr(200, "allow", [{ ipProtocol: "tcp", ports: ["445"] }]) }, deps);
            expect(checkBoth(highRiskPorts, [pol, deny, allow])).toEqual({ resource: [], stack: [] });
            expect(checkStack(highRiskPorts, [pol, allow]).map((x) => x.urn)).toEqual([urnOf(POLICY_RULE, "allow")]);
        });
    });
});
