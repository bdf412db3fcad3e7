import { describe, it, expect } from "vitest";
import { adapterFor, modelResource } from "../../src/providers";
import type { FirewallItem, RulesItem } from "../../src/providers/types";
import type { Peer, Rule } from "../../src/model";
import { AddressSet, PUBLIC } from "../../src/net/addresses";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { exposedServicePorts } from "../../src/policies/exposed-service-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { POLICIES } from "../../src/policies";
import { check, checkBoth, checkStack, res, urnOf, UNKNOWN } from "../helpers";

const NSG = "azure-native:network:NetworkSecurityGroup";
const RULE = "azure-native:network:SecurityRule";
const C_NSG = "azure:network/networkSecurityGroup:NetworkSecurityGroup";
const C_RULE = "azure:network/networkSecurityRule:NetworkSecurityRule";

/** An inline rule: Inbound Tcp from Internet, every source port, to any destination. */
function sr(priority: number, access: "Allow" | "Deny", port: string, extra: Record<string, unknown> = {}) {
    return {
        name: `r${priority}`,
        priority,
        access,
        direction: "Inbound",
        protocol: "Tcp",
        sourceAddressPrefix: "Internet",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: port,
        ...extra,
    };
}

function nsg(name: string, rules: unknown[] | undefined, extra: Record<string, unknown> = {}, type = NSG) {
    return res(type, name, { resourceGroupName: "rg-app", networkSecurityGroupName: name, ...(rules ? { securityRules: rules } : {}), ...extra });
}

function standalone(name: string, nsgName: unknown, rule: Record<string, unknown>, deps?: Record<string, string[]>, type = RULE) {
    return res(type, name, { resourceGroupName: "rg-app", networkSecurityGroupName: nsgName, ...rule }, deps);
}

function fw(input: ReturnType<typeof res>): FirewallItem {
    const m = modelResource(input);
    expect(m?.kind).toBe("firewall");
    return m as FirewallItem;
}

function rules(input: ReturnType<typeof res>): RulesItem {
    const m = modelResource(input);
    expect(m?.kind).toBe("rules");
    return m as RulesItem;
}

const peerText = (p: Peer) => (p.kind === "addresses" ? `addr:${p.text}` : p.kind === "reference" ? `${p.refKind}:${p.ref}` : p.kind);
const problems = (r: Rule) => r.problems.map((p) => `${p.kind} ${p.path}: ${p.problem}`);

describe("Azure adapters: model", () => {
    it("reads an inline rule's direction, access, protocol, ports, peers and priority", () => {
        const f = fw(nsg("web", [sr(200, "Allow", "443"), { ...sr(100, "Deny", "1000-2000"), direction: "Outbound", protocol: "Udp", destinationAddressPrefix: "10.0.0.0/8" }]));
        expect(f.firewall.ordered).toBe(true);
        expect(f.firewall.stateless).toBe(false);
        const [a, d] = f.firewall.rules;
        expect([a.direction, a.action, a.protocol, a.ports?.toString(), a.order, a.path]).toEqual(["ingress", "allow", "tcp", "443", 200, "securityRules[0]"]);
        expect(a.peers.map(peerText)).toEqual(["addr:Internet"]);
        expect(a.problems).toEqual([]);
        // Outbound: the peer is the destination, not the source.
        expect([d.direction, d.action, d.protocol, d.ports?.toString(), d.order]).toEqual(["egress", "deny", "udp", "1000-2000", 100]);
        expect(d.peers.map(peerText)).toEqual(["addr:10.0.0.0/8"]);
        expect(f.inlineFields).toEqual(["securityRules"]);
    });

    it("reads access, direction and protocol case-insensitively, `*` as every protocol", () => {
        const f = fw(nsg("web", [{ ...sr(100, "Allow", "22"), access: "allow", direction: "inbound", protocol: "*" }, { ...sr(110, "Allow", "*"), protocol: "tcp" }, { ...sr(120, "Allow", "*"), protocol: "ICMP" }]));
        expect(f.firewall.rules.map((r) => `${r.protocol} ${r.ports?.toString()}`)).toEqual(["all 22", "tcp 0-65535", "icmp 0-65535"]);
        expect(f.firewall.rules.flatMap(problems)).toEqual([]);
    });

    it("reads `*`, Any, Internet, 0.0.0.0/0 and ::/0 as address space and service tags as references", () => {
        const f = fw(
            nsg("web", [
                { ...sr(100, "Allow", "22"), sourceAddressPrefix: undefined, sourceAddressPrefixes: ["0.0.0.0/0", "::/0", "203.0.113.7"] },
                { ...sr(110, "Allow", "22"), sourceAddressPrefix: "*" },
                { ...sr(120, "Allow", "22"), sourceAddressPrefix: "Any" },
                { ...sr(130, "Allow", "22"), sourceAddressPrefix: "VirtualNetwork" },
                { ...sr(140, "Allow", "22"), sourceAddressPrefix: "Sql.WestEurope" },
                { ...sr(150, "Allow", "22"), sourceAddressPrefix: undefined, sourceApplicationSecurityGroups: [{ id: "/subscriptions/s/asg/jump" }] },
            ]),
        );
        const [plural, star, any, vnet, sql, asg] = f.firewall.rules;
        expect(plural.peers.map((p) => p.path)).toEqual(["securityRules[0].sourceAddressPrefixes[0]", "securityRules[0].sourceAddressPrefixes[1]", "securityRules[0].sourceAddressPrefixes[2]"]);
        expect(plural.peers[1].kind === "addresses" && plural.peers[1].set.covers(AddressSet.ALL_V6)).toBe(true);
        expect(star.peers[0].kind === "addresses" && star.peers[0].set).toBe(AddressSet.ALL);
        expect(any.peers[0].kind === "addresses" && any.peers[0].set).toBe(AddressSet.ALL);
        expect(f.firewall.rules[0].peers[0].kind === "addresses" && f.firewall.rules[0].peers[0].set.covers(AddressSet.ALL_V4)).toBe(true);
        expect(vnet.peers.map(peerText)).toEqual(["service tag:VirtualNetwork"]);
        expect(sql.peers.map(peerText)).toEqual(["service tag:Sql.WestEurope"]);
        expect(asg.peers.map(peerText)).toEqual(["application security group:/subscriptions/s/asg/jump"]);
        expect(asg.peers[0].path).toBe("securityRules[5].sourceApplicationSecurityGroups[0].id");
        expect(f.firewall.rules.flatMap(problems)).toEqual([]);
    });

    it("reads Internet as the public internet, not every address", () => {
        const p = fw(nsg("web", [sr(100, "Allow", "22")])).firewall.rules[0].peers[0];
        expect(p.kind === "addresses" && p.set).toBe(PUBLIC);
    });

    it("unions singular and plural destination ports", () => {
        const r = fw(nsg("web", [{ ...sr(100, "Allow", "22"), destinationPortRanges: ["80", "3380-3390"] }])).firewall.rules[0];
        expect(r.ports?.toString()).toBe("22, 80, 3380-3390");
    });

    it("adds Azure's built-in rules as implicit rules: VirtualNetwork and AzureLoadBalancer are references, outbound Internet is public", () => {
        const f = fw(nsg("web", []));
        const imp = f.firewall.implicitRules ?? [];
        expect(imp.map((r) => `${r.direction} ${r.order} ${r.action} ${r.peers.map(peerText).join(",")}`)).toEqual([
            "ingress 65000 allow service tag:VirtualNetwork",
            "ingress 65001 allow service tag:AzureLoadBalancer",
            "ingress 65500 deny addr:*",
            "egress 65000 allow service tag:VirtualNetwork",
            "egress 65001 allow addr:Internet",
            "egress 65500 deny addr:*",
        ]);
        const out = imp.find((r) => r.order === 65001 && r.direction === "egress")!;
        expect(out.peers[0].kind === "addresses" && out.peers[0].set).toBe(PUBLIC);
    });

    it("keys an NSG by resource group and name, and a standalone rule points at the same key", () => {
        const f = fw(nsg("nsg-web", []));
        expect(f.firewall.keys).toContain("rg-app/nsg-web");
        const fromOutputs = fw(res(NSG, "x", { name: "nsg-web", id: "/subscriptions/s/resourceGroups/RG-App/providers/Microsoft.Network/networkSecurityGroups/nsg-web" }));
        expect(fromOutputs.firewall.keys).toContain("rg-app/nsg-web");
        const r = rules(standalone("ssh", "nsg-web", sr(100, "Allow", "22")));
        expect(r.parentKey).toBe("rg-app/nsg-web");
        expect(r.parentProperty).toBe("networkSecurityGroupName");
        expect(r.ordered).toBe(true);
        expect(r.rules).toHaveLength(1);
        expect(r.rules[0].path).toBe("");
        expect(r.implicitRules?.map((x) => x.order)).toEqual([65000, 65001, 65500, 65000, 65001, 65500]);
        expect(rules(standalone("ssh", UNKNOWN, sr(100, "Allow", "22"))).parentKey).toBeUndefined();
    });

    it("keys a classic NSG by resource group and `name`", () => {
        const f = fw(res(C_NSG, "web", { resourceGroupName: "rg-app", name: "nsg-web", securityRules: [] }));
        expect(f.firewall.keys).toContain("rg-app/nsg-web");
    });

    it("matches the versioned Azure Native tokens", () => {
        expect(modelResource(nsg("web", [], {}, "azure-native:network/v20240301:NetworkSecurityGroup"))?.kind).toBe("firewall");
        expect(modelResource(standalone("r", "web", sr(100, "Allow", "22"), undefined, "azure-native:network/v20230201:SecurityRule"))?.kind).toBe("rules");
        expect(adapterFor("azure-native:network/v20240301:NetworkSecurityGroupX")).toBeUndefined();
    });

    it("reads classic inline ASG id lists and the standalone rule's single ASG id string", () => {
        const f = fw(res(C_NSG, "web", { resourceGroupName: "rg", name: "n", securityRules: [{ ...sr(100, "Allow", "22"), sourceAddressPrefix: undefined, sourceApplicationSecurityGroupIds: ["asg-1", "asg-2"] }] }));
        expect(f.firewall.rules[0].peers.map(peerText)).toEqual(["application security group:asg-1", "application security group:asg-2"]);
        const one = rules(standalone("r", "n", { ...sr(100, "Allow", "22"), sourceAddressPrefix: undefined, sourceApplicationSecurityGroupIds: "asg-1" }, undefined, C_RULE));
        expect(one.rules[0].peers.map(peerText)).toEqual(["application security group:asg-1"]);
        expect(one.rules[0].problems).toEqual([]);
        const list = rules(standalone("r", "n", { ...sr(100, "Allow", "22"), sourceAddressPrefix: undefined, sourceApplicationSecurityGroupIds: ["asg-1"] }, undefined, C_RULE));
        expect(problems(list.rules[0])).toEqual(["malformed sourceApplicationSecurityGroupIds: is a list, not a string"]);
    });

    it("gives a deny narrowed to one destination or to source ports a scope, and a plain one none", () => {
        const f = fw(nsg("web", [sr(100, "Deny", "445"), sr(110, "Deny", "445", { destinationAddressPrefix: "10.0.0.4" }), sr(120, "Deny", "445", { sourcePortRange: "1024-65535" }), sr(130, "Deny", "445", { destinationAddressPrefix: "VirtualNetwork" })]));
        const [plain, host, sport, vnet] = f.firewall.rules;
        expect(plain.scope).toBeUndefined();
        expect(host.scope).toMatch(/^local:/);
        expect(sport.scope).toBe("sport:1024-65535");
        expect(vnet.scope).toBeUndefined();
    });

    describe("malformed values become problems with exact paths", () => {
        const cases: Array<[string, Record<string, unknown>, string]> = [
            ["a CIDR with prefix /33", { sourceAddressPrefix: "10.0.0.0/33" }, "malformed securityRules[0].sourceAddressPrefix: \"10.0.0.0/33\" has prefix length 33, more than 32"],
            ["port 70000 in a plural list", { destinationPortRange: undefined, destinationPortRanges: ["80", "70000"] }, "malformed securityRules[0].destinationPortRanges[1]: \"70000\" is not a port or port range"],
            ["protocol banana", { protocol: "banana" }, "malformed securityRules[0].protocol: \"banana\" is not one of *, Tcp, Udp, Icmp, Esp, Ah"],
            ["a null in a list", { destinationPortRange: undefined, destinationPortRanges: ["80", null] }, "malformed securityRules[0].destinationPortRanges[1]: is null inside a list of strings"],
            ["a string where a list belongs", { sourceAddressPrefix: undefined, sourceAddressPrefixes: "10.0.0.0/8" }, "malformed securityRules[0].sourceAddressPrefixes: is a string, not a list"],
            ["a priority below 100", { priority: 50 }, "malformed securityRules[0].priority: priority 50 is outside 100-4096"],
            ["no destination port at all", { destinationPortRange: undefined }, "malformed securityRules[0].destinationPortRange: is required when destinationPortRanges is absent"],
            ["no source at all", { sourceAddressPrefix: undefined }, "malformed securityRules[0].sourceAddressPrefix: is required when sourceAddressPrefixes and the source application security groups are absent"],
            ["access Maybe", { access: "Maybe" }, "malformed securityRules[0].access: \"Maybe\" is not one of allow, deny"],
            ["a bad address that is not a tag", { sourceAddressPrefix: "10.0.0.300" }, "malformed securityRules[0].sourceAddressPrefix: \"10.0.0.300\" is not a valid IPv4 or IPv6 CIDR"],
        ];
        for (const [name, patch, expected] of cases) {
            it(name, () => {
                const r = fw(nsg("web", [{ ...sr(100, "Allow", "22"), ...patch }])).firewall.rules[0];
                expect(problems(r)).toEqual([expected]);
            });
        }
        it("two rules with the same priority and direction are both ambiguous (Azure refuses them); the other direction may reuse the priority", () => {
            const f = fw(nsg("web", [sr(100, "Allow", "22"), sr(100, "Allow", "80"), { ...sr(100, "Allow", "80"), direction: "Outbound" }]));
            expect(f.firewall.uniqueOrder).toBe(true);
            expect(f.firewall.rules.map((r) => r.problems.map((p) => `${p.kind} ${p.path}`))).toEqual([["ambiguous securityRules[0]"], ["ambiguous securityRules[1]"], []]);
            expect(f.firewall.rules[1].problems[0].problem).toContain("same ingress rule number or priority (100) as securityRules[0]");
        });
        it("a singular and a plural form together are malformed (Azure takes one of them); an empty singular beside a plural is absent", () => {
            const both = fw(nsg("web", [{ ...sr(100, "Allow", "22"), sourceAddressPrefixes: ["10.0.0.0/8"], destinationPortRanges: ["80"] }])).firewall.rules[0];
            expect(problems(both)).toEqual([
                "malformed securityRules[0].destinationPortRanges: cannot be set together with destinationPortRange: a rule takes one of them",
                "malformed securityRules[0].sourceAddressPrefixes: cannot be set together with sourceAddressPrefix: a rule takes one of them",
            ]);
            const outputs = fw(nsg("web", [{ ...sr(100, "Allow", "22"), sourceAddressPrefix: "", sourceAddressPrefixes: ["10.0.0.0/8"], destinationPortRange: "", destinationPortRanges: ["22"] }])).firewall.rules[0];
            expect(problems(outputs)).toEqual([]);
            expect(outputs.peers.map(peerText)).toEqual(["addr:10.0.0.0/8"]);
        });
        it("a null rule and a string securityRules", () => {
            expect(problems(fw(nsg("web", [null])).firewall.rules[0])).toEqual(["malformed securityRules[0]: is null inside the list"]);
            expect(fw(res(NSG, "web", { resourceGroupName: "rg", securityRules: "nope" })).firewall.problems.map((p) => p.path)).toEqual(["securityRules"]);
        });
    });

    it("an unknown priority or access leaves the rule unsure instead of guessing", () => {
        const [p, a] = fw(nsg("web", [sr(UNKNOWN as unknown as number, "Deny", "445"), { ...sr(110, "Deny", "445"), access: UNKNOWN }])).firewall.rules;
        expect(p.unsure?.order).toBe(true);
        expect(a.unsure?.action).toBe(true);
        expect(problems(p)).toEqual(["unknown securityRules[0].priority: is not known until apply"]);
    });
});

describe("Azure adapters: policies", () => {
    it("a Deny at priority 100 shadows an Allow of 445 from Internet at priority 200", () => {
        expect(check(highRiskPorts, nsg("web", [sr(100, "Deny", "445"), sr(200, "Allow", "445")]))).toEqual([]);
        // the same allow alone is blocked
        const f = check(highRiskPorts, nsg("web", [sr(200, "Allow", "445")]));
        expect(f.map((x) => x.path)).toEqual(["securityRules[0]"]);
        expect(f[0].message).toContain("TCP 445");
        expect(f[0].message).toContain("Internet (securityRules[0].sourceAddressPrefix)");
    });

    it("a Deny numbered after the Allow does not shadow it", () => {
        expect(check(highRiskPorts, nsg("web", [sr(300, "Deny", "445"), sr(200, "Allow", "445")])).map((x) => x.path)).toEqual(["securityRules[1]"]);
    });

    it("a Deny for one destination host does not shadow an Allow to every host", () => {
        expect(check(highRiskPorts, nsg("web", [sr(100, "Deny", "445", { destinationAddressPrefix: "10.0.0.4" }), sr(200, "Allow", "445")])).map((x) => x.path)).toEqual(["securityRules[1]"]);
        // ... but it does shadow an Allow to that same host
        expect(check(highRiskPorts, nsg("web", [sr(100, "Deny", "445", { destinationAddressPrefix: "10.0.0.4" }), sr(200, "Allow", "445", { destinationAddressPrefix: "10.0.0.4/32" })]))).toEqual([]);
    });

    it("a Deny of one source port does not shadow the Allow (clients pick their source ports)", () => {
        expect(check(highRiskPorts, nsg("web", [sr(100, "Deny", "445", { sourcePortRange: "1024" }), sr(200, "Allow", "445")])).map((x) => x.path)).toEqual(["securityRules[1]"]);
    });

    for (const src of ["*", "Internet", "Any", "0.0.0.0/0", "::/0"]) {
        it(`Allow 3389 from ${src} is flagged by exposed-service-ports`, () => {
            const f = check(exposedServicePorts, nsg("web", [sr(100, "Allow", "3389", { sourceAddressPrefix: src })]));
            expect(f).toHaveLength(1);
            expect(f[0].message).toContain("RDP (TCP 3389)");
            expect(f[0].message).toContain(`${src} (securityRules[0].sourceAddressPrefix)`);
        });
    }

    it("Allow 3389 from VirtualNetwork or AzureLoadBalancer passes", () => {
        expect(check(exposedServicePorts, nsg("web", [sr(100, "Allow", "3389", { sourceAddressPrefix: "VirtualNetwork" }), sr(110, "Allow", "3389", { sourceAddressPrefix: "AzureLoadBalancer" })]))).toEqual([]);
    });

    it("destinationPortRanges [\"80\", \"3380-3390\"] is caught for RDP", () => {
        const f = check(exposedServicePorts, nsg("web", [sr(100, "Allow", "*", { destinationPortRange: undefined, destinationPortRanges: ["80", "3380-3390"] })]));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("RDP (TCP 3389)");
    });

    it("protocol * with port 135-139 opens TCP and UDP 135-139 but not every protocol", () => {
        const r = nsg("web", [sr(100, "Allow", "135-139", { protocol: "*" })]);
        const f = check(highRiskPorts, r);
        expect(f).toHaveLength(1);
        expect(f[0].message).toMatch(/TCP 135 \(MS RPC\), 137-139 \(NetBIOS\)/);
        expect(f[0].message).toMatch(/UDP 135-139/);
        expect(check(unrestrictedIngress, r)).toEqual([]);
        expect(check(unrestrictedIngress, nsg("web", [sr(100, "Allow", "*", { protocol: "*" })]))[0].message).toContain("all protocols and ports");
    });

    it("an NSG with no rules reports nothing: the built-in rules are evaluated but never reported", () => {
        for (const p of POLICIES) expect(check(p, nsg("web", []), { directions: ["ingress", "egress"] })).toEqual([]);
    });

    it("an Outbound rule is judged on its destination when egress is judged", () => {
        const r = nsg("web", [sr(100, "Allow", "445", { direction: "Outbound", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "Internet" })]);
        expect(check(highRiskPorts, r)).toEqual([]);
        expect(check(highRiskPorts, r, { directions: ["ingress", "egress"] })[0].message).toContain("to Internet (securityRules[0].destinationAddressPrefix)");
    });

    it("a classic NSG is judged like a native one", () => {
        const f = check(highRiskPorts, res(C_NSG, "web", { resourceGroupName: "rg", name: "web", securityRules: [sr(200, "Allow", "445")] }));
        expect(f.map((x) => x.path)).toEqual(["securityRules[0]"]);
    });

    it("a preview-unknown source is left to unverifiable-rules", () => {
        const r = nsg("web", [sr(100, "Allow", "445", { sourceAddressPrefix: UNKNOWN })]);
        expect(check(highRiskPorts, r)).toEqual([]);
        const f = check(unverifiableRules, r);
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("securityRules[0].sourceAddressPrefix");
    });

    describe("a Deny Azure refuses never shadows the Allow of 445 behind it", () => {
        const cases: Array<[string, Record<string, unknown>, string]> = [
            ["the same priority and direction as the Allow", { priority: 200 }, "securityRules[0]"],
            ["a priority below 100", { priority: 99 }, "securityRules[0].priority"],
            ["a priority above 4096", { priority: 4097 }, "securityRules[0].priority"],
            ["a malformed protocol", { protocol: "Sctp" }, "securityRules[0].protocol"],
            ["a malformed port", { destinationPortRange: "445-70000" }, "securityRules[0].destinationPortRange"],
            ["no destination port", { destinationPortRange: undefined }, "securityRules[0].destinationPortRange"],
            ["a malformed CIDR", { sourceAddressPrefix: "0.0.0.0/33" }, "securityRules[0].sourceAddressPrefix"],
            ["no source", { sourceAddressPrefix: undefined }, "securityRules[0].sourceAddressPrefix"],
            ["a malformed source port", { sourcePortRange: "x" }, "securityRules[0].sourcePortRange"],
        ];
        for (const [name, patch, path] of cases) {
            it(`a Deny with ${name}: high-risk-ports blocks the Allow, unverifiable-rules names the Deny`, () => {
                const r = nsg("web", [{ ...sr(100, "Deny", "445"), ...patch }, sr(200, "Allow", "445")]);
                expect(fw(r).firewall.rules[0].problems.find((p) => p.kind !== "unknown")?.path).toBe(path);
                expect(check(highRiskPorts, r).map((x) => x.path)).toEqual(["securityRules[1]"]);
                expect(check(unverifiableRules, r).map((x) => x.path)).toContain("securityRules[0]");
            });
        }
        it("standalone SecurityRules of one NSG with one priority and direction: the Deny shadows nothing after the join", () => {
            const stack = [nsg("web", undefined), standalone("deny", "web", sr(100, "Deny", "445")), standalone("allow", "web", sr(100, "Allow", "445"))];
            expect(checkStack(highRiskPorts, stack).map((x) => x.urn)).toEqual([urnOf(RULE, "allow")]);
            expect(checkStack(unverifiableRules, stack).map((x) => x.urn).sort()).toEqual([urnOf(RULE, "allow"), urnOf(RULE, "deny")].sort());
        });
        it("classic standalone rules are checked alike", () => {
            const classic = (name: string, rule: Record<string, unknown>) => res(C_RULE, name, { resourceGroupName: "rg-app", networkSecurityGroupName: "web", ...rule });
            const stack = [res(C_NSG, "web", { resourceGroupName: "rg-app", name: "web" }), classic("deny", sr(100, "Deny", "445")), classic("allow", sr(100, "Allow", "445"))];
            expect(checkStack(highRiskPorts, stack).map((x) => x.urn)).toEqual([urnOf(C_RULE, "allow")]);
        });
        it("a priority merely unknown during preview is different: the Deny may exist, so the Allow is not blocked", () => {
            expect(check(highRiskPorts, nsg("web", [sr(UNKNOWN as unknown as number, "Deny", "445"), sr(200, "Allow", "445")]))).toEqual([]);
        });
    });

    it("an allow after a deny with an unknown priority is unverifiable, not blocked", () => {
        const r = nsg("web", [sr(UNKNOWN as unknown as number, "Deny", "445"), sr(200, "Allow", "445")]);
        expect(check(highRiskPorts, r)).toEqual([]);
        expect(check(unverifiableRules, r).map((x) => x.path)).toEqual(["securityRules[0]", "securityRules[1]"]);
    });

    it("an application security group whose id is not known until apply is expected during preview, not unverifiable", () => {
        const r = nsg("app", [sr(100, "Allow", "8443", { sourceAddressPrefix: undefined, sourceApplicationSecurityGroups: [{ id: UNKNOWN }] }), sr(110, "Allow", "8444", { sourceAddressPrefix: undefined, destinationApplicationSecurityGroups: UNKNOWN, sourceApplicationSecurityGroups: UNKNOWN })]);
        expect(fw(r).firewall.rules.flatMap(problems)).toEqual([]);
        expect(check(unverifiableRules, r)).toEqual([]);
    });

    it("a Deny and an Allow both for destination ASGs not known until apply are not assumed to be the same hosts", () => {
        const r = nsg("web", [sr(100, "Deny", "445", { destinationAddressPrefix: undefined, destinationApplicationSecurityGroups: [{ id: UNKNOWN }] }), sr(200, "Allow", "445", { destinationAddressPrefix: undefined, destinationApplicationSecurityGroups: [{ id: UNKNOWN }] })]);
        expect(check(highRiskPorts, r).map((x) => x.path)).toEqual(["securityRules[1]"]);
    });

    it("malformed values are reported by unverifiable-rules with their paths", () => {
        const f = check(unverifiableRules, nsg("web", [sr(100, "Allow", "70000")]));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("securityRules[0].destinationPortRange \"70000\" is not a port or port range");
    });

    describe("standalone rules and their NSG", () => {
        it("are only judged on the stack: a lone rule of an ordered NSG proves nothing at resource level", () => {
            const r = standalone("smb", "nsg-web", sr(200, "Allow", "445"));
            expect(check(highRiskPorts, r)).toEqual([]);
            // its NSG is not in the stack: Azure's built-in rules stand in for it
            const f = checkStack(highRiskPorts, [r]);
            expect(f.map((x) => [x.urn, x.path])).toEqual([[urnOf(RULE, "smb"), ""]]);
        });

        it("a standalone rule is joined to its NSG by resource group and name, so the NSG's Deny shadows it", () => {
            const group = nsg("nsg-web", [sr(100, "Deny", "445")]);
            const rule = standalone("smb", "nsg-web", sr(200, "Allow", "445"));
            expect(checkStack(highRiskPorts, [group, rule])).toEqual([]);
            // the same rule in another resource group is not in that NSG
            const other = res(RULE, "smb", { resourceGroupName: "rg-other", networkSecurityGroupName: "nsg-web", ...sr(200, "Allow", "445") });
            expect(checkStack(highRiskPorts, [group, other]).map((x) => x.urn)).toEqual([urnOf(RULE, "smb")]);
        });

        it("names are compared case-insensitively, as Azure does", () => {
            const group = res(NSG, "g", { resourceGroupName: "RG-App", networkSecurityGroupName: "NSG-Web", securityRules: [sr(100, "Deny", "445")] });
            expect(checkStack(highRiskPorts, [group, standalone("smb", "nsg-web", sr(200, "Allow", "445"))])).toEqual([]);
        });

        it("during preview, unknown names are joined through propertyDependencies", () => {
            const group = res(NSG, "g", { resourceGroupName: "rg-app", securityRules: [sr(100, "Deny", "445")] });
            const rule = standalone("smb", UNKNOWN, sr(200, "Allow", "445"), { networkSecurityGroupName: [urnOf(NSG, "g")] });
            expect(checkBoth(highRiskPorts, [group, rule])).toEqual({ resource: [], stack: [] });
            // without the dependency the rule is judged apart, and flagged
            expect(checkStack(highRiskPorts, [group, standalone("smb", UNKNOWN, sr(200, "Allow", "445"))]).map((x) => x.urn)).toEqual([urnOf(RULE, "smb")]);
        });

        it("two standalone rules of an NSG outside the stack are judged together", () => {
            const deny = standalone("deny", "nsg-x", sr(100, "Deny", "445"));
            const allow = standalone("allow", "nsg-x", sr(200, "Allow", "445"));
            expect(checkStack(highRiskPorts, [deny, allow])).toEqual([]);
        });

        it("a classic standalone rule joins its classic NSG", () => {
            const group = res(C_NSG, "g", { resourceGroupName: "rg-app", name: "nsg-web", securityRules: [sr(100, "Deny", "445")] });
            const rule = standalone("smb", "nsg-web", sr(200, "Allow", "445"), undefined, C_RULE);
            expect(checkStack(highRiskPorts, [group, rule])).toEqual([]);
        });

        it("inline securityRules mixed with standalone rules are reported as a conflict", () => {
            const group = nsg("nsg-web", [sr(100, "Allow", "443")]);
            const rule = standalone("ssh", "nsg-web", sr(200, "Allow", "22", { sourceAddressPrefix: "10.0.0.0/8" }));
            // a preview: the inputs seen by validateResource, then the stack
            const { resource, stack } = checkBoth(unverifiableRules, [group, rule]);
            expect(resource).toEqual([]);
            expect(stack).toHaveLength(1);
            expect(stack[0].urn).toBe(urnOf(NSG, "nsg-web"));
            expect(stack[0].message).toContain("declares inline rules and also has 1 rule from separate azure-native:network:SecurityRule resources");
            // an NSG without inline securityRules has no conflict
            expect(checkBoth(unverifiableRules, [nsg("nsg-web", undefined), rule]).stack).toEqual([]);
        });
    });
});
