/** Scaleway instance security groups and external rule sets: adapter and the policies on them. */
import { describe, it, expect } from "vitest";
import type { Firewall } from "../../src/model";
import { modelResource } from "../../src/providers";
import { POLICY_ORDER } from "../../src/providers/scaleway";
import type { FirewallItem, RulesItem } from "../../src/providers/types";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { statelessAclReturnTraffic } from "../../src/policies/stateless-acl-return-traffic";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, checkBoth, checkStack, res, UNKNOWN } from "../helpers";

const SG = "scaleway:instance/securityGroup:SecurityGroup";
const SG_LEGACY = "scaleway:index/instanceSecurityGroup:InstanceSecurityGroup";
const RULES = "scaleway:instance/securityGroupRules:SecurityGroupRules";
const RULES_LEGACY = "scaleway:index/instanceSecurityGroupRules:InstanceSecurityGroupRules";
const sg = (props: Record<string, unknown>, name = "sg", type: string = SG) => res(type, name, props);
const DROP_ALL = { inboundDefaultPolicy: "drop", outboundDefaultPolicy: "drop" };
const rule = (action: string, extra: Record<string, unknown> = {}) => ({ action, ...extra });

function item(props: Record<string, unknown>, type: string = SG): FirewallItem {
    const m = modelResource(sg(props, "sg", type));
    if (m?.kind !== "firewall") throw new Error(`expected a firewall, got ${m?.kind}`);
    return m;
}
const model = (props: Record<string, unknown>, type: string = SG): Firewall => item(props, type).firewall;
const problemsOf = (f: { problems: Firewall["problems"]; rules: Firewall["rules"] }) => [...f.problems, ...f.rules.flatMap((r) => r.problems)].map((p) => `${p.kind} ${p.path}: ${p.problem}`);

describe("Scaleway adapter", () => {
    it("an empty group {} allows everything both ways: two real allow-all rules at the default-policy paths", () => {
        const f = model({});
        expect(f).toMatchObject({ stateless: false, ordered: true, defaultAction: { ingress: "allow", egress: "allow" } });
        expect(f.rules.map((r) => [r.path, r.direction, r.action, r.protocol, r.ports?.isAll, r.order])).toEqual([
            ["inboundDefaultPolicy", "ingress", "allow", "all", true, POLICY_ORDER],
            ["outboundDefaultPolicy", "egress", "allow", "all", true, POLICY_ORDER],
        ]);
        expect(f.implicitRules ?? []).toEqual([]);
        expect(problemsOf(f)).toEqual([]);
    });
    it("drop default policies are the default action and add no rule", () => {
        const f = model(DROP_ALL);
        expect(f.rules).toEqual([]);
        expect(f.defaultAction).toEqual({ ingress: "deny", egress: "deny" });
    });
    it("rules keep their list position as order, before the default-policy rule", () => {
        const f = model({ outboundDefaultPolicy: "drop", inboundRules: [rule("drop", { port: 22 }), rule("accept", { port: 22, ipRange: "10.0.0.0/8" })] });
        expect(f.rules.map((r) => [r.path, r.action, r.order])).toEqual([
            ["inboundRules[0]", "deny", 0],
            ["inboundRules[1]", "allow", 1],
            ["inboundDefaultPolicy", "allow", POLICY_ORDER],
        ]);
    });
    it("protocol defaults to TCP; ANY is every protocol; ICMP carries no ports", () => {
        const f = model({ ...DROP_ALL, inboundRules: [rule("accept", { port: 22 }), rule("accept", { protocol: "ANY" }), rule("accept", { protocol: "ICMP", port: 8 })] });
        expect(f.rules.map((r) => [r.protocol, r.ports?.toString()])).toEqual([
            ["tcp", "22"],
            ["all", "0-65535"],
            ["icmp", "0-65535"],
        ]);
    });
    it("portRange wins over port; port 0 or neither means every port", () => {
        const f = model({ ...DROP_ALL, inboundRules: [rule("accept", { portRange: "22-23", port: 80 }), rule("accept", { port: 0 }), rule("accept", {})] });
        expect(f.rules.map((r) => r.ports?.toString())).toEqual(["22-23", "0-65535", "0-65535"]);
    });
    it("ipRange, else the deprecated ip, else any address", () => {
        const f = model({ ...DROP_ALL, inboundRules: [rule("accept", { ipRange: "10.0.0.0/8" }), rule("accept", { ip: "212.47.225.64" }), rule("accept", {})] });
        expect(f.rules.map((r) => r.peers.map((p) => (p.kind === "addresses" ? `${p.set.toString()}@${p.path}` : p.kind)))).toEqual([
            ["10.0.0.0/8@inboundRules[0].ipRange"],
            ["212.47.225.64/32@inboundRules[1].ip"],
            ["0.0.0.0/0, ::/0@inboundRules[2]"],
        ]);
    });
    it("stateful: false makes the group stateless", () => {
        expect(model({ stateful: false }).stateless).toBe(true);
        expect(model({ stateful: true }).stateless).toBe(false);
    });
    it("keys are the zoned id and the bare uuid", () => {
        expect(model({ id: "fr-par-1/11111111-2222-3333-4444-555555555555" }).keys).toEqual(["fr-par-1/11111111-2222-3333-4444-555555555555", "11111111-2222-3333-4444-555555555555"]);
    });
    it("externalRules: true marks the group's rules as declared elsewhere and claims no inline fields", () => {
        const it1 = item({ externalRules: true, ...DROP_ALL });
        expect(it1.rulesElsewhere).toBe(true);
        expect(it1.inlineFields).toEqual([]);
    });
    it("without externalRules the group manages its rules even when its lists are absent", () => {
        expect(item({}).inlineFields).toEqual(["externalRules"]);
        expect(item({ inboundRules: [] }).inlineFields).toEqual(["inboundRules"]);
        expect(item({}).rulesElsewhere).toBe(false);
    });
    it("the deprecated InstanceSecurityGroup token is the same adapter", () => {
        expect(model({}, SG_LEGACY).rules.map((r) => r.path)).toEqual(["inboundDefaultPolicy", "outboundDefaultPolicy"]);
    });
    it("SecurityGroupRules is an ordered rules item of the group securityGroupId", () => {
        const m = modelResource(res(RULES, "r", { securityGroupId: "fr-par-1/abc", inboundRules: [rule("accept", { port: 443 })], outboundRules: [rule("drop", { protocol: "ANY" })] })) as RulesItem;
        expect(m).toMatchObject({ kind: "rules", parentProperty: "securityGroupId", parentKey: "fr-par-1/abc", ordered: true, stateless: false, parentLabel: "security group" });
        expect(m.rules.map((r) => [r.path, r.direction, r.action, r.order])).toEqual([
            ["inboundRules[0]", "ingress", "allow", 0],
            ["outboundRules[0]", "egress", "deny", 0],
        ]);
        expect(modelResource(res(RULES_LEGACY, "r", { securityGroupId: "x" }))?.kind).toBe("rules");
    });
    it("records malformed values with their exact paths", () => {
        const f = model({
            inboundDefaultPolicy: "maybe",
            stateful: "sometimes",
            inboundRules: [
                rule("accept", { portRange: "22-70000" }),
                rule("accept", { port: 70000 }),
                rule("accept", { protocol: "banana" }),
                rule("allow"),
                rule("accept", { ipRange: "10.0.0.300/8" }),
                null,
                rule("accept", { ipRange: ["10.0.0.0/8"] }),
            ],
            outboundRules: "everything",
        });
        expect(problemsOf(f)).toEqual([
            "malformed outboundRules: is a string, not a list",
            "malformed stateful: is a string, not a boolean",
            expect.stringMatching(/^malformed inboundRules\[0\]\.portRange: "22-70000" is not a port/),
            "malformed inboundRules[1].port: port 70000 is outside 1-65535",
            'malformed inboundRules[2].protocol: "banana" is not one of TCP, UDP, ICMP, ANY',
            'malformed inboundRules[3].action: "allow" is not one of accept, drop',
            expect.stringMatching(/^malformed inboundRules\[4\]\.ipRange: "10\.0\.0\.300\/8" is not a valid/),
            "malformed inboundRules[5]: is null inside the list",
            "malformed inboundRules[6].ipRange: is a list, not a string",
            'malformed inboundDefaultPolicy: "maybe" is not one of accept, drop',
        ]);
    });
    it("inline rules beside externalRules: true are a problem of the group", () => {
        expect(model({ externalRules: true, inboundRules: [rule("accept", { port: 22 })] }).problems).toEqual([
            { kind: "malformed", path: "inboundRules", problem: "cannot be set when externalRules is true (the provider rejects the group)" },
        ]);
    });
});

describe("Scaleway policies", () => {
    it("unrestricted-ingress blocks an empty group {} at inboundDefaultPolicy", () => {
        const f = check(unrestrictedIngress, sg({}));
        expect(f).toHaveLength(1);
        expect(f[0].path).toBe("inboundDefaultPolicy");
        expect(f[0].message).toContain('inboundDefaultPolicy of SecurityGroup "sg" allows all protocols and ports');
    });
    it("the same through the deprecated token", () => {
        expect(check(unrestrictedIngress, sg({}, "sg", SG_LEGACY)).map((x) => x.path)).toEqual(["inboundDefaultPolicy"]);
    });
    it("a drop-default group with narrow accepts passes", () => {
        expect(check(unrestrictedIngress, sg({ inboundDefaultPolicy: "drop", inboundRules: [rule("accept", { port: 443 })] }))).toEqual([]);
    });
    it("a drop listed before an accept shadows it (first match)", () => {
        expect(check(highRiskPorts, sg({ inboundDefaultPolicy: "drop", inboundRules: [rule("drop", { portRange: "444-445" }), rule("accept", { portRange: "440-450" })] }))).toEqual([]);
    });
    it("the same drop listed after the accept does not", () => {
        const f = check(highRiskPorts, sg({ inboundDefaultPolicy: "drop", inboundRules: [rule("accept", { portRange: "440-450" }), rule("drop", { port: 445 })] }));
        expect(f.map((x) => x.path)).toEqual(["inboundRules[0]"]);
        expect(f[0].message).toContain("TCP 444-445");
    });
    it("an accept default after drop rules reports only what the drops leave open", () => {
        const f = check(highRiskPorts, sg({ inboundRules: [rule("drop", { protocol: "TCP" }), rule("drop", { protocol: "UDP" })] }));
        expect(f).toEqual([]);
        const u = check(unrestrictedIngress, sg({ inboundRules: [rule("drop", { protocol: "TCP" }), rule("drop", { protocol: "UDP" })] }));
        expect(u.map((x) => x.path)).toEqual(["inboundDefaultPolicy"]);
        expect(u[0].message).toContain("all protocols other than TCP and UDP");
    });
    it("stateful: false with inbound 443 but no outbound rule for the replies: stateless-acl-return-traffic", () => {
        const f = check(statelessAclReturnTraffic, sg({ stateful: false, ...DROP_ALL, inboundRules: [rule("accept", { port: 443 })] }), { localClients: [] });
        expect(f).toHaveLength(1);
        expect(f[0].path).toBe("inboundRules[0]");
        expect(f[0].message).toContain("TCP 443");
    });
    it("a stateful group with the same rules is not judged for return traffic", () => {
        expect(check(statelessAclReturnTraffic, sg({ ...DROP_ALL, inboundRules: [rule("accept", { port: 443 })] }), { localClients: [] })).toEqual([]);
    });
    it("a stateless group whose outbound default accepts lets the replies out", () => {
        expect(check(statelessAclReturnTraffic, sg({ stateful: false, inboundDefaultPolicy: "drop", inboundRules: [rule("accept", { port: 443 })] }), { localClients: [] })).toEqual([]);
    });
    it("an unreadable inboundDefaultPolicy is not a false block; unverifiable-rules reports it", () => {
        const r = sg({ inboundDefaultPolicy: UNKNOWN, outboundDefaultPolicy: "drop" });
        expect(check(unrestrictedIngress, r)).toEqual([]);
        expect(check(unverifiableRules, r).map((x) => x.path)).toEqual(["inboundDefaultPolicy"]);
    });
});

describe("Scaleway external rules (SecurityGroupRules joined to its group)", () => {
    const external = (props: Record<string, unknown>, name = "sg") => sg({ externalRules: true, ...props }, name);
    const rulesOf = (group: { urn: string }, props: Record<string, unknown>, name = "rules") => res(RULES, name, { securityGroupId: UNKNOWN, ...props }, { securityGroupId: [group.urn] });

    it("an accept 445 in the rules resource is blocked at stack level, once joined", () => {
        const g = external(DROP_ALL);
        const r = rulesOf(g, { inboundRules: [rule("accept", { port: 445 })] });
        const { resource, stack } = checkBoth(highRiskPorts, [g, r]);
        expect(resource).toEqual([]);
        expect(stack.map((x) => [x.urn, x.path])).toEqual([[r.urn, "inboundRules[0]"]]);
    });
    it("the group's accept default applies after the external rules: a final drop-all in them closes it", () => {
        const g = external({ outboundDefaultPolicy: "drop" });
        const r = rulesOf(g, { inboundRules: [rule("drop", { protocol: "ANY", ipRange: "0.0.0.0/0" }), rule("drop", { protocol: "ANY", ipRange: "::/0" })] });
        const { resource, stack } = checkBoth(unrestrictedIngress, [g, r]);
        expect(resource).toEqual([]);
        expect(stack).toEqual([]);
    });
    it("with external rules that leave traffic through, the group's accept default is reported at stack level", () => {
        const g = external({ outboundDefaultPolicy: "drop" });
        const r = rulesOf(g, { inboundRules: [rule("accept", { port: 443 })] });
        const { resource, stack } = checkBoth(unrestrictedIngress, [g, r]);
        expect(resource).toEqual([]);
        expect(stack.map((x) => [x.urn, x.path])).toEqual([[g.urn, "inboundDefaultPolicy"]]);
    });
    it("a group with externalRules and no rules resource in the stack is judged alone at stack level", () => {
        const g = external({});
        expect(checkStack(unrestrictedIngress, [g]).map((x) => x.path)).toEqual(["inboundDefaultPolicy"]);
    });
    it("the joined firewall keeps the group's statefulness: stateful false makes the replies' gap reported", () => {
        const g = external({ stateful: false, ...DROP_ALL });
        const r = rulesOf(g, { inboundRules: [rule("accept", { port: 443 })] });
        const f = checkStack(statelessAclReturnTraffic, [g, r], { localClients: [] });
        expect(f.map((x) => [x.urn, x.path])).toEqual([[r.urn, "inboundRules[0]"]]);
        const ok = rulesOf(g, { inboundRules: [rule("accept", { port: 443 })], outboundRules: [rule("accept", { portRange: "1024-65535" })] });
        expect(checkStack(statelessAclReturnTraffic, [g, ok], { localClients: [] })).toEqual([]);
    });
    it("a rules resource joins its group by the group's literal zoned id: its final drop-all closes the group's accept default", () => {
        const g = sg({ id: "fr-par-1/abc", externalRules: true, outboundDefaultPolicy: "drop" });
        const dropAll = { inboundRules: [rule("drop", { protocol: "ANY", ipRange: "0.0.0.0/0" }), rule("drop", { protocol: "ANY", ipRange: "::/0" })] };
        expect(checkStack(unrestrictedIngress, [g, res(RULES, "rules", { securityGroupId: "fr-par-1/abc", ...dropAll })])).toEqual([]);
        // Naming another group leaves this one judged alone, its accept default open.
        expect(checkStack(unrestrictedIngress, [g, res(RULES, "rules", { securityGroupId: "fr-par-1/other", ...dropAll })]).map((x) => x.path)).toEqual(["inboundDefaultPolicy"]);
    });
    it("a rules resource whose group is missing is judged alone as an ordered list", () => {
        const r = res(RULES, "rules", { securityGroupId: "fr-par-1/gone", inboundRules: [rule("accept", { port: 445 })] });
        const { resource, stack } = checkBoth(highRiskPorts, [r]);
        expect(resource).toEqual([]);
        expect(stack.map((x) => x.path)).toEqual(["inboundRules[0]"]);
    });
    it("a group without externalRules beside a rules resource is a conflict (the group deletes the rules)", () => {
        const g = sg(DROP_ALL);
        const r = rulesOf(g, { inboundRules: [rule("accept", { port: 443 })] });
        const { resource, stack: f } = checkBoth(unverifiableRules, [g, r]);
        expect(resource).toEqual([]);
        expect(f.map((x) => [x.urn, x.path])).toEqual([[g.urn, "externalRules"]]);
        expect(f[0].message).toContain("overwrite each other");
    });
});

describe("Scaleway: refused rules and omitted fields (docs/providers/scaleway.md)", () => {
    it("a rule with no ipRange (or an empty one) and no ip applies to every address", () => {
        for (const extra of [{}, { ipRange: "" }, { ipRange: "", ip: "" }]) {
            const r = model({ ...DROP_ALL, inboundRules: [rule("accept", { port: 22, ...extra })] }).rules[0];
            expect(r.peers).toMatchObject([{ kind: "addresses", text: "any address (no ipRange)" }]);
        }
    });
    it("no port and no portRange (or port 0) is every port; no protocol is TCP", () => {
        for (const extra of [{}, { port: 0 }, { portRange: "" }]) {
            const r = model({ ...DROP_ALL, inboundRules: [rule("accept", extra)] }).rules[0];
            expect([r.protocol, r.ports?.isAll]).toEqual(["tcp", true]);
        }
    });
    it.each([
        ["a portRange that is not one", { portRange: "445-" }],
        ["a port outside 1-65535", { port: 70000 }],
        ["an ipRange that is not a CIDR", { ipRange: "0.0.0.0/64" }],
        ["an unknown protocol word", { protocol: "SCTP" }],
    ])("a drop with %s shadows nothing: the accept of 445 after it is blocked, and the drop is named", (_, extra) => {
        const r = sg({ ...DROP_ALL, inboundRules: [rule("drop", extra), rule("accept", { port: 445 })] });
        expect(check(highRiskPorts, r).map((x) => x.path)).toEqual(["inboundRules[1]"]);
        expect(check(unverifiableRules, r).map((x) => x.path)).toEqual(["inboundRules[0]"]);
    });
    it("the same in an external SecurityGroupRules joined to its group", () => {
        const group = sg({ ...DROP_ALL, externalRules: true, id: "fr-par-1/11111111-1111-1111-1111-111111111111" });
        const rules = res(RULES, "rules", { securityGroupId: "fr-par-1/11111111-1111-1111-1111-111111111111", inboundRules: [rule("drop", { ipRange: "nonsense" }), rule("accept", { port: 445 })] });
        expect(checkStack(highRiskPorts, [group, rules]).map((x) => [x.urn, x.path])).toEqual([[rules.urn, "inboundRules[1]"]]);
    });
});
