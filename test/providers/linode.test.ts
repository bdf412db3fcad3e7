/** Linode cloud firewalls: adapter (props in, model out) and the policies on them. */
import { describe, it, expect } from "vitest";
import type { Firewall } from "../../src/model";
import { modelResource } from "../../src/providers";
import { POLICY_ORDER } from "../../src/providers/linode";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { check, res, UNKNOWN } from "../helpers";

const FW = "linode:index/firewall:Firewall";
const base = { label: "fw", inboundPolicy: "DROP", outboundPolicy: "ACCEPT" };
const lFw = (props: Record<string, unknown>, name = "fw") => res(FW, name, { ...base, ...props });
const rule = (action: string, protocol: string, ports?: string, ipv4s: unknown = ["0.0.0.0/0"], extra: Record<string, unknown> = {}) => ({
    label: "r",
    action,
    protocol,
    ...(ports === undefined ? {} : { ports }),
    ...(ipv4s === null ? {} : { ipv4s }),
    ...extra,
});

function model(props: Record<string, unknown>): Firewall {
    const m = modelResource(lFw(props));
    if (m?.kind !== "firewall") throw new Error(`expected a firewall, got ${m?.kind}`);
    return m.firewall;
}
const problemsOf = (f: Firewall) => [...f.problems, ...f.rules.flatMap((r) => r.problems)].map((p) => `${p.kind} ${p.path}: ${p.problem}`);

describe("Linode adapter", () => {
    it("models a stateful firewall whose rules are ordered by list position", () => {
        const f = model({ inbounds: [rule("ACCEPT", "TCP", "22"), rule("DROP", "TCP", "23")] });
        expect(f).toMatchObject({ stateless: false, ordered: true, defaultAction: { ingress: "deny", egress: "allow" } });
        expect(f.rules.filter((r) => r.direction === "ingress").map((r) => [r.path, r.order, r.action])).toEqual([
            ["inbounds[0]", 0, "allow"],
            ["inbounds[1]", 1, "deny"],
        ]);
    });
    it('parses ports "80-90, 91" (a comma list with spaces) and "443"', () => {
        const f = model({ inbounds: [rule("ACCEPT", "TCP", "80-90, 91"), rule("ACCEPT", "UDP", "443")] });
        expect(f.rules.slice(0, 2).map((r) => r.ports?.toString())).toEqual(["80-91", "443"]);
        expect(problemsOf(f)).toEqual([]);
    });
    it("absent ports cover every port; ICMP carries none", () => {
        const f = model({ inbounds: [rule("ACCEPT", "TCP"), rule("ACCEPT", "ICMP")] });
        expect(f.rules.slice(0, 2).map((r) => [r.protocol, r.ports?.isAll])).toEqual([
            ["tcp", true],
            ["icmp", true],
        ]);
    });
    it("IPENCAP is IP-in-IP (protocol 4)", () => {
        expect(model({ inbounds: [rule("ACCEPT", "IPENCAP")] }).rules[0].protocol).toBe("ip-4");
    });
    it("ipv4s and ipv6s are read with their families; a rule with neither matches no address", () => {
        const f = model({ inbounds: [rule("ACCEPT", "TCP", "22", ["203.0.113.0/24"], { ipv6s: ["2001:db8::/32"] }), rule("ACCEPT", "TCP", "22", null)] });
        expect(f.rules[0].peers.map((p) => p.path)).toEqual(["inbounds[0].ipv4s[0]", "inbounds[0].ipv6s[0]"]);
        expect(f.rules[1].peers).toEqual([]);
    });
    it("an ACCEPT policy is a real rule at path inboundPolicy / outboundPolicy after every listed rule", () => {
        const f = model({ inboundPolicy: "ACCEPT", outboundPolicy: "ACCEPT", inbounds: [rule("DROP", "TCP", "22")] });
        const pol = f.rules.filter((r) => r.path.endsWith("Policy"));
        expect(pol.map((r) => [r.path, r.direction, r.action, r.protocol, r.ports?.isAll, r.order])).toEqual([
            ["inboundPolicy", "ingress", "allow", "all", true, POLICY_ORDER],
            ["outboundPolicy", "egress", "allow", "all", true, POLICY_ORDER],
        ]);
        expect(pol[0].peers).toMatchObject([{ kind: "addresses", path: "inboundPolicy" }]);
        expect(f.implicitRules ?? []).toEqual([]);
        expect(f.defaultAction).toEqual({ ingress: "allow", egress: "allow" });
    });
    it("a DROP policy is the default action and adds no rule", () => {
        const f = model({ inboundPolicy: "DROP", outboundPolicy: "DROP" });
        expect(f.rules).toEqual([]);
        expect(f.defaultAction).toEqual({ ingress: "deny", egress: "deny" });
    });
    it("a policy unknown until apply becomes an unsure allow-all rule with the problem", () => {
        const f = model({ inboundPolicy: UNKNOWN });
        const pol = f.rules.find((r) => r.path === "inboundPolicy")!;
        expect(pol.unsure).toEqual({ action: true });
        expect(pol.problems).toEqual([{ kind: "unknown", path: "inboundPolicy", problem: "is not known until apply" }]);
    });
    it("disabled: true keeps the rules but marks them off, and one allow-all rule per direction stands in", () => {
        const f = model({ disabled: true, inbounds: [rule("ACCEPT", "TCP", "22", ["10.0.0.0/8"])] });
        expect(f.rules.filter((r) => r.path === "inbounds[0]").map((r) => r.disabled)).toEqual([true]);
        expect(f.rules.filter((r) => r.path === "disabled").map((r) => [r.direction, r.protocol, r.disabled])).toEqual([
            ["ingress", "all", undefined],
            ["egress", "all", undefined],
        ]);
    });
    it("records malformed values with their exact paths", () => {
        const f = model({
            inboundPolicy: "MAYBE",
            outboundPolicy: undefined,
            inbounds: [rule("ACCEPT", "TCP", "80-90, x"), rule("ACCEPT", "banana", "22"), rule("ACCEPT", "TCP", "70000"), rule("ALLOW", "TCP", "22"), rule("ACCEPT", "TCP", "22", ["::/0"]), null, rule("ACCEPT", "TCP", "22", "0.0.0.0/0")],
            outbounds: "all",
        });
        expect(problemsOf(f)).toEqual([
            "malformed outbounds: is a string, not a list",
            expect.stringMatching(/^malformed inbounds\[0\]\.ports: "80-90, x" is not a port or port range/),
            expect.stringMatching(/^malformed inbounds\[1\]\.protocol: "banana" is not one of TCP, UDP, ICMP, IPENCAP/),
            expect.stringMatching(/^malformed inbounds\[2\]\.ports: "70000" is not a port/),
            expect.stringMatching(/^malformed inbounds\[3\]\.action: "ALLOW" is not one of accept, drop/),
            expect.stringMatching(/^malformed inbounds\[4\]\.ipv4s\[0\]: "::\/0" is IPv6 where IPv4 is expected/),
            "malformed inbounds[5]: is null inside the list",
            "malformed inbounds[6].ipv4s: is a string, not a list",
            expect.stringMatching(/^malformed inboundPolicy: "MAYBE" is not one of accept, drop/),
            "malformed outboundPolicy: is required but absent",
        ]);
    });
});

describe("Linode policies", () => {
    it("a DROP rule earlier in the list shadows a later ACCEPT of 445", () => {
        expect(check(highRiskPorts, lFw({ inbounds: [rule("DROP", "TCP", "445"), rule("ACCEPT", "TCP", "445")] }))).toEqual([]);
    });
    it("the same DROP placed after the ACCEPT does not shadow it (first match wins)", () => {
        const f = check(highRiskPorts, lFw({ inbounds: [rule("ACCEPT", "TCP", "445"), rule("DROP", "TCP", "445")] }));
        expect(f.map((x) => x.path)).toEqual(["inbounds[0]"]);
    });
    it('"80-90, 91" is judged as 80-91: a list that reaches 135-139 and 445 is blocked', () => {
        const f = check(highRiskPorts, lFw({ inbounds: [rule("ACCEPT", "TCP", "80-90, 130-140, 445")] }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("TCP 135 (MS RPC), 137-139 (NetBIOS), 445 (SMB)");
    });
    it("unrestricted-ingress reports an ACCEPT inboundPolicy at path inboundPolicy", () => {
        const f = check(unrestrictedIngress, lFw({ inboundPolicy: "ACCEPT", inbounds: [rule("ACCEPT", "TCP", "443")] }));
        expect(f).toHaveLength(1);
        expect(f[0].path).toBe("inboundPolicy");
        expect(f[0].message).toContain('inboundPolicy of Firewall "fw" allows all protocols and ports');
        expect(f[0].message).toContain("the whole internet");
    });
    it("high-risk-ports reports an ACCEPT inboundPolicy minus the ports earlier DROP rules take", () => {
        const f = check(highRiskPorts, lFw({ inboundPolicy: "ACCEPT", inbounds: [rule("DROP", "TCP", "1-1000", ["0.0.0.0/0"], { ipv6s: ["::/0"] })] }));
        expect(f.map((x) => x.path)).toEqual(["inboundPolicy"]);
        // TCP 42-445 are dropped first; what the policy still accepts starts at 1025.
        expect((f[0].data as { ports: Array<{ ports: string }> }).ports[0].ports).toMatch(/^1025, 1068/);
        expect((f[0].data as { ports: Array<{ protocol: string; ports: string }> }).ports[1]).toMatchObject({ protocol: "udp", ports: expect.stringContaining("135-139") });
    });
    it("a DROP inboundPolicy with narrow accepts passes", () => {
        expect(check(unrestrictedIngress, lFw({ inbounds: [rule("ACCEPT", "TCP", "443")] }))).toEqual([]);
    });
    it("an ACCEPT outboundPolicy is not judged as ingress", () => {
        expect(check(unrestrictedIngress, lFw({ outboundPolicy: "ACCEPT" }))).toEqual([]);
    });
    it("an unknown inboundPolicy is not a false block; unverifiable-rules reports it", () => {
        const r = lFw({ inboundPolicy: UNKNOWN });
        expect(check(unrestrictedIngress, r)).toEqual([]);
        const f = check(unverifiableRules, r);
        expect(f.map((x) => x.path)).toEqual(["inboundPolicy"]);
        expect(f[0].message).toContain("inboundPolicy is not known until apply");
    });
    it("an unreadable rule earlier in the list makes a later ACCEPT unverifiable instead of blocked", () => {
        const r = lFw({ inbounds: [rule(UNKNOWN, "TCP", "445"), rule("ACCEPT", "TCP", "445")] });
        expect(check(highRiskPorts, r)).toEqual([]);
        expect(check(unverifiableRules, r).map((x) => x.path)).toEqual(["inbounds[0]", "inbounds[1]"]);
    });
    it("a disabled firewall lets everything in: reported at path disabled", () => {
        const f = check(unrestrictedIngress, lFw({ disabled: true, inbounds: [rule("ACCEPT", "TCP", "443")] }));
        expect(f.map((x) => x.path)).toEqual(["disabled"]);
    });
    it('unverifiable-rules reports ports "80-90, x" at its path', () => {
        const f = check(unverifiableRules, lFw({ inbounds: [rule("ACCEPT", "TCP", "80-90, x")] }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain('inbounds[0].ports "80-90, x" is not a port or port range');
    });
});

describe("Linode: rules the API refuses, and omitted fields (docs/providers/linode.md)", () => {
    const portsProblem = (ports: string, protocol = "TCP") => problemsOf(model({ inbounds: [rule("DROP", protocol, ports)] }));
    it.each([
        ["0", /includes port 0; Linode takes ports 1-65535/],
        ["080", /has a port with a leading zero, which Linode refuses/],
        ["80-80", /has a range whose end is not above its start/],
        ["1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", /has 16 pieces; Linode takes at most 15/],
        ["22-24, 80-81, 443-445, 1-2, 3-4, 5-6, 7-8, 9-10", /has 16 pieces/],
    ])('ports "%s" is malformed at inbounds[0].ports', (ports, why) => {
        expect(portsProblem(ports)).toEqual([expect.stringMatching(new RegExp(`^malformed inbounds\\[0\\]\\.ports: .*${why.source}`))]);
    });
    it("15 pieces, ranges whose end is above their start and spaces after commas are accepted", () => {
        expect(portsProblem("22-24, 80, 443, 1000-2000, 3000-3001, 4000-4001, 5000-5001, 6000")).toEqual([]);
    });
    it("ports on ICMP or IPENCAP are refused by Linode: malformed, never ignored", () => {
        expect(portsProblem("22", "ICMP")).toEqual(["malformed inbounds[0].ports: is set, but Linode takes ports only for TCP and UDP (not ICMP)"]);
        expect(portsProblem("22", "IPENCAP")).toEqual(["malformed inbounds[0].ports: is set, but Linode takes ports only for TCP and UDP (not IPENCAP)"]);
        expect(portsProblem("", "ICMP")).toEqual([]);
    });
    it("a rule with neither ipv4s nor ipv6s (absent or empty) is named ambiguous, and matches no address", () => {
        for (const extra of [{}, { ipv4s: [] }, { ipv4s: [], ipv6s: [] }]) {
            const f = model({ inbounds: [rule("ACCEPT", "TCP", "22", null, extra)] });
            expect(f.rules[0].peers).toEqual([]);
            expect(problemsOf(f)).toEqual([expect.stringMatching(/^ambiguous inbounds\[0\]\.ipv4s: is absent or empty, and so is ipv6s: Linode does not document/)]);
        }
        expect(problemsOf(model({ inbounds: [rule("ACCEPT", "TCP", "22", null, { ipv6s: ["::/0"] })] }))).toEqual([]);
    });
    it.each([
        ["ports with a leading zero", rule("DROP", "TCP", "0445")],
        ["ports on ICMP", rule("DROP", "ICMP", "445")],
        ["no addresses at all", rule("DROP", "TCP", "445", null)],
        ["a CIDR that is not one", rule("DROP", "TCP", "445", ["0.0.0.0/33"])],
    ])("a DROP with %s shadows nothing: the ACCEPT of 445 behind it is blocked, and the DROP is named", (_, drop) => {
        const r = lFw({ inbounds: [drop, rule("ACCEPT", "TCP", "445")] });
        expect(check(highRiskPorts, r).map((x) => x.path)).toEqual(["inbounds[1]"]);
        expect(check(unverifiableRules, r).map((x) => x.path)).toEqual(["inbounds[0]"]);
    });
    it("an ACCEPT with no addresses is named by unverifiable-rules, not passed in silence", () => {
        const f = check(unverifiableRules, lFw({ inbounds: [rule("ACCEPT", "TCP", "445", null)] }));
        expect(f.map((x) => x.path)).toEqual(["inbounds[0]"]);
        expect(f[0].message).toContain("Linode does not document what such a rule matches");
    });
});
