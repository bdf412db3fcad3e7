/** DigitalOcean cloud firewalls: adapter (props in, model out) and the policies on them. */
import { describe, it, expect } from "vitest";
import type { Firewall, Peer } from "../../src/model";
import { AddressSet } from "../../src/net/addresses";
import { modelResource } from "../../src/providers";
import { highRiskPorts } from "../../src/policies/high-risk-ports";
import { unrestrictedIngress } from "../../src/policies/unrestricted-ingress";
import { unverifiableRules } from "../../src/policies/unverifiable-rules";
import { exposedServicePorts } from "../../src/policies/exposed-service-ports";
import { check, res, UNKNOWN } from "../helpers";

const FW = "digitalocean:index/firewall:Firewall";
const doFw = (props: Record<string, unknown>, name = "fw") => res(FW, name, props);
const inbound = (protocol: string, portRange: string | undefined, sourceAddresses: unknown = ["0.0.0.0/0"], extra: Record<string, unknown> = {}) => ({
    protocol,
    ...(portRange === undefined ? {} : { portRange }),
    ...(sourceAddresses === null ? {} : { sourceAddresses }),
    ...extra,
});

function model(props: Record<string, unknown>): Firewall {
    const m = modelResource(doFw(props));
    if (m?.kind !== "firewall") throw new Error(`expected a firewall, got ${m?.kind}`);
    return m.firewall;
}
const problemsOf = (f: Firewall) => [...f.problems, ...f.rules.flatMap((r) => r.problems)].map((p) => `${p.kind} ${p.path}: ${p.problem}`);
const addrText = (p: Peer) => (p.kind === "addresses" ? p.set.toString() : p.kind === "reference" ? `${p.refKind}:${p.ref}` : p.kind);

describe("DigitalOcean adapter", () => {
    it("models a stateful, unordered firewall that denies both ways when it has no rules", () => {
        const f = model({ name: "web" });
        expect(f).toMatchObject({ stateless: false, ordered: false, defaultAction: { ingress: "deny", egress: "deny" }, rules: [], problems: [] });
    });
    it("reads an inbound rule: protocol, single port, addresses and tag references", () => {
        const f = model({ inboundRules: [inbound("tcp", "22", ["203.0.113.0/24", "2001:db8::/32"], { sourceTags: ["bastion"] })] });
        expect(f.rules).toHaveLength(1);
        const r = f.rules[0];
        expect(r).toMatchObject({ path: "inboundRules[0]", direction: "ingress", action: "allow", protocol: "tcp" });
        expect(r.ports?.toString()).toBe("22");
        expect(r.peers.map(addrText)).toEqual(["203.0.113.0/24", "2001:db8::/32", "tag:bastion"]);
        expect(r.peers.map((p) => p.path)).toEqual(["inboundRules[0].sourceAddresses[0]", "inboundRules[0].sourceAddresses[1]", "inboundRules[0].sourceTags[0]"]);
    });
    it("reads outbound rules from destination fields", () => {
        const f = model({ outboundRules: [{ protocol: "udp", portRange: "53", destinationAddresses: ["0.0.0.0/0"], destinationKubernetesIds: ["k8s-1"] }] });
        expect(f.rules[0]).toMatchObject({ path: "outboundRules[0]", direction: "egress", protocol: "udp" });
        expect(f.rules[0].peers.map(addrText)).toEqual(["0.0.0.0/0", "Kubernetes cluster:k8s-1"]);
    });
    it('treats portRange "all" and "0" as every port, and "1-65535" as 1-65535', () => {
        const f = model({ inboundRules: [inbound("tcp", "all"), inbound("tcp", "0"), inbound("tcp", "1-65535"), inbound("tcp", "8000-9000")] });
        expect(f.rules.map((r) => r.ports?.toString())).toEqual(["0-65535", "0-65535", "1-65535", "8000-9000"]);
        expect(problemsOf(f)).toEqual([]);
    });
    it("an absent or empty portRange on TCP/UDP is named (the provider requires it) and still judged as every port", () => {
        const f = model({ inboundRules: [inbound("udp", ""), inbound("tcp", undefined)] });
        expect(f.rules.map((r) => r.ports?.toString())).toEqual(["0-65535", "0-65535"]);
        expect(problemsOf(f)).toEqual([
            "malformed inboundRules[0].portRange: is required for UDP (the provider refuses the rule without it); judged as every port",
            "malformed inboundRules[1].portRange: is required for TCP (the provider refuses the rule without it); judged as every port",
        ]);
    });
    it("a rule that names no source allows nothing, and is named rather than passed in silence", () => {
        const f = model({ inboundRules: [inbound("tcp", "22", null)] });
        expect(f.rules[0].peers).toEqual([]);
        expect(problemsOf(f)).toEqual([
            "ambiguous inboundRules[0].sourceAddresses: is absent or empty, and so are sourceTags, sourceDropletIds, sourceLoadBalancerUids, sourceKubernetesIds: the rule names no source, so it allows nothing (or the API refuses it)",
        ]);
        expect(check(unverifiableRules, doFw({ inboundRules: [inbound("tcp", "22", [])] })).map((x) => x.path)).toEqual(["inboundRules[0]"]);
    });
    it("ICMP rules carry no ports and their portRange is not judged", () => {
        const f = model({ inboundRules: [inbound("icmp", "not-a-port")] });
        expect(f.rules[0].protocol).toBe("icmp");
        expect(f.rules[0].ports?.isAll).toBe(true);
        expect(problemsOf(f)).toEqual([]);
    });
    it("reads numeric Droplet ids as references, not as malformed strings", () => {
        const f = model({ inboundRules: [inbound("tcp", "5432", null, { sourceDropletIds: [12345, 678], sourceLoadBalancerUids: ["lb-1"] })] });
        expect(f.rules[0].peers.map(addrText)).toEqual(["Droplet:12345", "Droplet:678", "load balancer:lb-1"]);
        expect(problemsOf(f)).toEqual([]);
    });
    it('an action "deny" is not DigitalOcean\'s (its rules only allow): the deny is malformed; "allow" and an unknown value are plain allows', () => {
        const f = model({ inboundRules: [inbound("tcp", "22", ["0.0.0.0/0"], { action: "deny" }), inbound("tcp", "22"), inbound("tcp", "22", ["0.0.0.0/0"], { action: "allow" }), inbound("tcp", "22", ["0.0.0.0/0"], { action: UNKNOWN })] });
        expect(f.rules.map((r) => r.action)).toEqual(["deny", "allow", "allow", "allow"]);
        expect(problemsOf(f)).toEqual(['malformed inboundRules[0].action: "deny" is not a DigitalOcean setting: its firewall rules have no action and only allow, so this deny cannot be created and shadows nothing']);
    });
    it("keeps its id as the key separate resources can name it by", () => {
        expect(model({ id: "fw-uuid-1" }).keys).toEqual(["fw-uuid-1"]);
    });
    it("records malformed values with their exact paths", () => {
        const f = model({
            inboundRules: [
                inbound("tcp", "70000"),
                inbound("banana", "22"),
                inbound("tcp", "22", ["10.0.0.0/33"]),
                null,
                inbound("tcp", "22", "0.0.0.0/0"),
                inbound("all", "22"),
                inbound("tcp", "22", ["0.0.0.0/0"], { sourceDropletIds: [null] }),
                inbound("tcp", "22", ["0.0.0.0/0"], { action: "maybe" }),
            ],
            outboundRules: "everything",
        });
        const problems = problemsOf(f);
        expect(problems).toEqual(
            expect.arrayContaining([
                expect.stringMatching(/^malformed inboundRules\[0\]\.portRange: "70000" is not a port/),
                expect.stringMatching(/^malformed inboundRules\[1\]\.protocol: "banana" is not one of tcp, udp, icmp/),
                expect.stringMatching(/^malformed inboundRules\[2\]\.sourceAddresses\[0\]: .*prefix length 33/),
                "malformed inboundRules[3]: is null inside the list",
                "malformed inboundRules[4].sourceAddresses: is a string, not a list",
                expect.stringMatching(/^malformed inboundRules\[5\]\.protocol: "all" is not one of/),
                "malformed inboundRules[6].sourceDropletIds[0]: is null inside the list",
                "malformed inboundRules[7].action: is not a DigitalOcean setting: its firewall rules have no action and only allow",
                "malformed outboundRules: is a string, not a list",
            ]),
        );
        expect(problems).toHaveLength(9);
        // DigitalOcean rules only allow: whatever action says, the rule is never an unsure deny.
        expect(f.rules[7].action).toBe("allow");
        expect(f.rules[7].unsure).toBeUndefined();
    });
    it("records values unknown until apply as unknown, not malformed", () => {
        const f = model({ inboundRules: [inbound("tcp", UNKNOWN, [UNKNOWN])] });
        expect(problemsOf(f)).toEqual(["unknown inboundRules[0].portRange: is not known until apply", "unknown inboundRules[0].sourceAddresses[0]: is not known until apply"]);
    });
});

describe("DigitalOcean policies", () => {
    for (const portRange of ["all", "1-65535", "0", undefined]) {
        it(`unrestricted-ingress blocks TCP portRange ${portRange === undefined ? "absent" : `"${portRange}"`} from 0.0.0.0/0`, () => {
            const f = check(unrestrictedIngress, doFw({ inboundRules: [inbound("tcp", portRange)] }));
            expect(f).toHaveLength(1);
            expect(f[0].path).toBe("inboundRules[0]");
            expect(f[0].message).toContain("0.0.0.0/0 (inboundRules[0].sourceAddresses[0])");
            expect(f[0].message).toContain("the whole internet");
        });
    }
    it("unrestricted-ingress passes a wide range open only to a tag (a reference, not addresses)", () => {
        expect(check(unrestrictedIngress, doFw({ inboundRules: [inbound("tcp", "all", null, { sourceTags: ["k8s-nodes"] })] }))).toEqual([]);
    });
    it("high-risk-ports blocks TCP 445 from ::/0 and names the source path", () => {
        const f = check(highRiskPorts, doFw({ inboundRules: [inbound("tcp", "445", ["::/0"])] }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("TCP 445");
        expect(f[0].message).toContain("::/0 (inboundRules[0].sourceAddresses[0])");
    });
    it("a \"deny\" rule, which DigitalOcean cannot create, never takes TCP 445 out of a wide allow: blocked, and the deny is named", () => {
        const r = doFw({ inboundRules: [inbound("tcp", "445"), inbound("tcp", "445", ["0.0.0.0/0"], { action: "deny" })] });
        expect(check(highRiskPorts, r).map((x) => x.path)).toEqual(["inboundRules[0]"]);
        expect(check(unverifiableRules, r).map((x) => x.path)).toEqual(["inboundRules[1]"]);
    });
    it("exposed-service-ports advises SSH from the internet", () => {
        const f = check(exposedServicePorts, doFw({ inboundRules: [inbound("tcp", "22", ["0.0.0.0/0", "::/0"])] }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("SSH (TCP 22)");
    });
    it("outbound rules to the internet are not judged as ingress", () => {
        expect(check(unrestrictedIngress, doFw({ outboundRules: [{ protocol: "tcp", portRange: "all", destinationAddresses: ["0.0.0.0/0"] }] }))).toEqual([]);
    });
    it("unverifiable-rules reports portRange 70000 at its path", () => {
        const f = check(unverifiableRules, doFw({ inboundRules: [inbound("tcp", "70000")] }));
        expect(f).toHaveLength(1);
        expect(f[0].path).toBe("inboundRules[0]");
        expect(f[0].message).toContain("inboundRules[0].portRange");
    });
    it("the model of a rule open to 0.0.0.0/0 is the whole IPv4 space", () => {
        const p = model({ inboundRules: [inbound("tcp", "22")] }).rules[0].peers[0];
        expect(p.kind === "addresses" && p.set.key()).toBe(AddressSet.ALL_V4.key());
    });
});
