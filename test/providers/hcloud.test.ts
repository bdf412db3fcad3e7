/** Hetzner Cloud firewalls: adapter (props in, model out) and the policies on them. */
import { describe, it, expect } from "vitest";
import type { Firewall } from "../../src/model";
import { AddressSet } from "../../src/net/addresses";
import { effectsOf } from "../../src/analysis/exposure";
import { modelResource } from "../../src/providers";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, res, UNKNOWN } from "../helpers";

const FW = "hcloud:index/firewall:Firewall";
const hFw = (props: Record<string, unknown>, name = "fw") => res(FW, name, props);
const inRule = (protocol: string, port: string | undefined, sourceIps: unknown = ["0.0.0.0/0", "::/0"]) => ({ direction: "in", protocol, ...(port === undefined ? {} : { port }), sourceIps });
const outRule = (protocol: string, port: string | undefined, destinationIps: unknown = ["0.0.0.0/0"]) => ({ direction: "out", protocol, ...(port === undefined ? {} : { port }), destinationIps });

function model(props: Record<string, unknown>): Firewall {
    const m = modelResource(hFw(props));
    if (m?.kind !== "firewall") throw new Error(`expected a firewall, got ${m?.kind}`);
    return m.firewall;
}
const problemsOf = (f: Firewall) => [...f.problems, ...f.rules.flatMap((r) => r.problems)].map((p) => `${p.kind} ${p.path}: ${p.problem}`);

describe("Hetzner adapter", () => {
    it("models a stateful, allow-only, unordered firewall", () => {
        const f = model({ rules: [inRule("tcp", "22")] });
        expect(f).toMatchObject({ stateless: false, ordered: false, defaultAction: { ingress: "deny" } });
        expect(f.rules[0]).toMatchObject({ path: "rules[0]", direction: "ingress", action: "allow", protocol: "tcp" });
        expect(f.rules[0].ports?.toString()).toBe("22");
        expect(f.rules[0].peers.map((p) => p.path)).toEqual(["rules[0].sourceIps[0]", "rules[0].sourceIps[1]"]);
    });
    it('reads port "any" as every port and "80-85" as a range', () => {
        const f = model({ rules: [inRule("tcp", "any"), inRule("udp", "80-85")] });
        expect(f.rules.map((r) => r.ports?.toString())).toEqual(["0-65535", "80-85"]);
        expect(problemsOf(f)).toEqual([]);
    });
    it("reads out rules from destinationIps", () => {
        const f = model({ rules: [outRule("udp", "53", ["9.9.9.9/32"])] });
        expect(f.rules[0]).toMatchObject({ direction: "egress", protocol: "udp" });
        expect(f.rules[0].peers.map((p) => p.path)).toEqual(["rules[0].destinationIps[0]"]);
    });
    it("ICMP, GRE and ESP need no port", () => {
        const f = model({ rules: [inRule("icmp", undefined), inRule("gre", undefined), inRule("esp", undefined)] });
        expect(f.rules.map((r) => r.protocol)).toEqual(["icmp", "ip-47", "ip-50"]);
        expect(problemsOf(f)).toEqual([]);
    });
    it("allows all outbound traffic (an implicit rule) while the firewall has no out rule", () => {
        const f = model({ rules: [inRule("tcp", "22")] });
        expect(f.implicitRules).toHaveLength(1);
        expect(f.implicitRules![0]).toMatchObject({ direction: "egress", action: "allow", protocol: "all" });
        const egress = effectsOf(f, "egress");
        expect(egress).toHaveLength(1);
        expect(egress[0].implicit).toBe(true);
        expect(egress[0].pieces.some((p) => p.slot === "other" && p.addrs.key() === AddressSet.ALL.key())).toBe(true);
    });
    it("an absent rule list also leaves outbound open", () => {
        expect(model({ name: "empty" }).implicitRules).toHaveLength(1);
    });
    it("the first out rule removes the implicit outbound allow", () => {
        const f = model({ rules: [inRule("tcp", "22"), outRule("tcp", "443")] });
        expect(f.implicitRules).toEqual([]);
        expect(f.defaultAction.egress).toBe("deny");
    });
    it("adds no implicit outbound allow while the rule list or a direction is unknown", () => {
        expect(model({ rules: UNKNOWN }).implicitRules).toEqual([]);
        expect(model({ rules: [{ ...inRule("tcp", "22"), direction: UNKNOWN }] }).implicitRules).toEqual([]);
    });
    it("labels are the firewall's tags and its id is its key", () => {
        const f = model({ id: "123456", labels: { team: "web" } });
        expect(f.tags).toEqual({ team: "web" });
        expect(f.keys).toEqual(["123456"]);
    });
    it("records malformed values with their exact paths", () => {
        const f = model({
            rules: [
                inRule("tcp", "70000"),
                inRule("banana", "22"),
                { ...inRule("tcp", "22"), direction: "sideways" },
                inRule("tcp", undefined),
                inRule("tcp", "22", ["10.0.0.300/8"]),
                null,
                inRule("tcp", "22", "0.0.0.0/0"),
                { direction: "in", protocol: "tcp", port: "22" },
                inRule("tcp", "22", ["0.0.0.0/0", null]),
            ],
        });
        const problems = problemsOf(f);
        expect(problems).toEqual([
            expect.stringMatching(/^malformed rules\[0\]\.port: "70000" is not a port/),
            expect.stringMatching(/^malformed rules\[1\]\.protocol: "banana" is not one of tcp, udp, icmp, gre, esp/),
            expect.stringMatching(/^malformed rules\[2\]\.direction: "sideways" is not one of in, out/),
            "malformed rules[3].port: is required for TCP",
            expect.stringMatching(/^malformed rules\[4\]\.sourceIps\[0\]: "10\.0\.0\.300\/8" is not a valid/),
            "malformed rules[5]: is null inside the list",
            "malformed rules[6].sourceIps: is a string, not a list",
            "malformed rules[7].sourceIps: is required for inbound rules",
            "malformed rules[8].sourceIps[1]: is null inside a list of strings",
        ]);
    });
    it("a rule list that is not a list is a problem of the firewall", () => {
        expect(model({ rules: { direction: "in" } }).problems).toEqual([{ kind: "malformed", path: "rules", problem: "is an object, not a list" }]);
    });
});

describe("Hetzner policies", () => {
    it('unrestricted-ingress blocks port "any" from 0.0.0.0/0 and ::/0', () => {
        const f = check(unrestrictedIngress, hFw({ rules: [inRule("tcp", "any")] }));
        expect(f).toHaveLength(1);
        expect(f[0].path).toBe("rules[0]");
        expect(f[0].message).toContain("65536 TCP ports (0-65535)");
        expect(f[0].message).toContain("0.0.0.0/0 (rules[0].sourceIps[0])");
    });
    it("high-risk-ports blocks a range 440-450 that contains 445", () => {
        const f = check(highRiskPorts, hFw({ rules: [inRule("tcp", "440-450")] }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("TCP 444-445");
    });
    it("a rule open only to a private range passes", () => {
        expect(check(highRiskPorts, hFw({ rules: [inRule("tcp", "any", ["10.0.0.0/8"])] }))).toEqual([]);
    });
    it("the implicit outbound allow is never reported as the user's rule, even when egress is judged", () => {
        expect(check(unrestrictedIngress, hFw({ rules: [inRule("tcp", "22", ["10.0.0.0/8"])] }), { directions: ["ingress", "egress"] })).toEqual([]);
    });
    it("an explicit out rule to the internet is judged when egress is judged", () => {
        const f = check(unrestrictedIngress, hFw({ rules: [outRule("tcp", "any")] }), { directions: ["ingress", "egress"] });
        expect(f.map((x) => x.path)).toEqual(["rules[0]"]);
    });
    it("unverifiable-rules reports a TCP rule without a port", () => {
        const f = check(unverifiableRules, hFw({ rules: [inRule("tcp", undefined)] }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("rules[0].port is required for TCP");
    });
});

describe("Hetzner: rules the API refuses, and omitted fields (docs/providers/hcloud.md)", () => {
    it("an empty sourceIps (or destinationIps on an out rule) is refused by Hetzner: malformed, and it matches no address", () => {
        const f = model({ rules: [inRule("tcp", "22", []), outRule("tcp", "443", [])] });
        expect(problemsOf(f)).toEqual([
            "malformed rules[0].sourceIps: is empty: Hetzner refuses the rule (it needs at least one entry; 0.0.0.0/0 and ::/0 mean every address)",
            "malformed rules[1].destinationIps: is empty: Hetzner refuses the rule (it needs at least one entry; 0.0.0.0/0 and ::/0 mean every address)",
        ]);
        expect(f.rules.map((r) => r.peers)).toEqual([[], []]);
    });
    it("a port on an ICMP, GRE or ESP rule is refused by Hetzner: malformed; none is fine", () => {
        const f = model({ rules: [inRule("icmp", "22"), inRule("gre", "any"), inRule("esp", undefined), inRule("icmp", "")] });
        expect(problemsOf(f)).toEqual([
            "malformed rules[0].port: is set, but Hetzner takes a port only for TCP and UDP rules",
            "malformed rules[1].port: is set, but Hetzner takes a port only for TCP and UDP rules",
        ]);
    });
    it("an inbound rule with an empty source list is named by unverifiable-rules, never passed in silence", () => {
        const f = check(unverifiableRules, hFw({ rules: [inRule("tcp", "445", [])] }));
        expect(f.map((x) => x.path)).toEqual(["rules[0]"]);
        expect(f[0].message).toContain("rules[0].sourceIps is empty: Hetzner refuses the rule");
    });
});
