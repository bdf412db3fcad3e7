/**
 * Properties that keep the union and "refused rules never shadow" classes closed, over random
 * AWS security groups (unordered, inline and separate rule resources) and network ACLs
 * (ordered, stateless):
 * - splitting a rule's sources or ports across several rules never lowers any policy's verdict
 *   (and merging never raises it); for a security group the verdicts are equal;
 * - adding a deny that the cloud would refuse (malformed, or a second entry with a number already
 *   taken) never lowers a verdict.
 * FUZZ_RUNS=2000 npx vitest run test/fuzz/union.test.ts   for a thorough run.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { POLICIES } from "../../src/policies";
import type { ResourceInput } from "../../src/providers/types";
import { checkBoth, res, T } from "../helpers";
import { breathe, runsFrom, seedFrom } from "./run";

const RUNS = runsFrom("FUZZ_RUNS", 60);
const PARAMS = { numRuns: RUNS, ...seedFrom("FUZZ_SEED") };
const TIMEOUT = Math.max(120_000, 200 * RUNS);

const JUDGING = POLICIES.filter((p) => p.name !== "unverifiable-rules");

const CIDRS = ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "11.0.0.0/9", "11.128.0.0/9", "11.0.0.0/8", "10.0.0.0/8", "203.0.113.0/24", "1.0.0.0/8", "100.0.0.0/9", "100.128.0.0/9", "8.8.8.8/32", "::/0", "2000::/4", "3000::/4", "2001:db8::/32"];
const PORTS: Array<[number, number]> = [[22, 22], [445, 445], [440, 450], [1, 1000], [1001, 2000], [0, 65535], [3389, 3389], [1024, 65535], [135, 139], [32768, 60999]];

interface GenRule {
    protocol: "tcp" | "udp" | "-1";
    ports: [number, number];
    cidrs: string[];
}
const genRule: fc.Arbitrary<GenRule> = fc.record({
    protocol: fc.constantFrom("tcp" as const, "udp" as const, "-1" as const),
    ports: fc.constantFrom(...PORTS),
    cidrs: fc.uniqueArray(fc.constantFrom(...CIDRS), { minLength: 1, maxLength: 4 }),
});
const genConfig = fc.record({
    minExposure: fc.constantFrom("public", "wide", "internet"),
    maxPorts: fc.constantFrom(100, 1000, 5000),
});
const v6 = (c: string) => c.includes(":");

/** A rule split in two: its CIDRs in two halves (when it has several), else its ports in two halves. */
function split(r: GenRule): GenRule[] {
    if (r.cidrs.length > 1) {
        const k = Math.ceil(r.cidrs.length / 2);
        return [{ ...r, cidrs: r.cidrs.slice(0, k) }, { ...r, cidrs: r.cidrs.slice(k) }];
    }
    const [lo, hi] = r.ports;
    if (r.protocol === "-1" || lo === hi) return [r, r];
    const mid = Math.floor((lo + hi) / 2);
    return [{ ...r, ports: [lo, mid] }, { ...r, ports: [mid + 1, hi] }];
}

const sgIngress = (r: GenRule) => ({
    protocol: r.protocol,
    fromPort: r.protocol === "-1" ? 0 : r.ports[0],
    toPort: r.protocol === "-1" ? 0 : r.ports[1],
    cidrBlocks: r.cidrs.filter((c) => !v6(c)),
    ipv6CidrBlocks: r.cidrs.filter(v6),
});

/** One aws:vpc ingress rule resource per CIDR (the provider takes exactly one), joined to the group. */
function ruleResources(group: ResourceInput, rules: GenRule[], tag: string): ResourceInput[] {
    return rules.flatMap((r, i) =>
        r.cidrs.map((c, j) =>
            res(T.ingressRule, `${tag}-${i}-${j}`, {
                securityGroupId: "sg-1",
                ipProtocol: r.protocol,
                ...(r.protocol === "-1" ? {} : { fromPort: r.ports[0], toPort: r.ports[1] }),
                ...(v6(c) ? { cidrIpv6: c } : { cidrIpv4: c }),
            }, { securityGroupId: [group.urn] }),
        ),
    );
}

/** Per policy, whether anything is reported on the stack (resource level, then stack level, as a preview runs them). */
function verdicts(rs: ResourceInput[], config: Record<string, unknown>): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const p of JUDGING) {
        const cfg = p.name === "unrestricted-ingress" ? config : { minExposure: config.minExposure };
        const { resource, stack } = checkBoth(p, rs, p.name === "stateless-acl-return-traffic" ? {} : cfg);
        out[p.name] = resource.length + stack.length > 0;
    }
    return out;
}

function notLower(split: Record<string, boolean>, merged: Record<string, boolean>): void {
    for (const k of Object.keys(merged)) if (merged[k]) expect(split[k], `${k} lowered`).toBe(true);
}

/** ACL entries numbered 10, 20, ... (a split rule's parts take consecutive numbers in its place). */
function aclEntries(rules: Array<GenRule & { action: "allow" | "deny" }>, splitAt?: number): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    rules.forEach((r, i) => {
        const parts = i === splitAt ? split(r) : [r];
        parts.forEach((p, j) => {
            for (const [k, c] of p.cidrs.entries()) {
                out.push({
                    ruleNo: (i + 1) * 100 + j * 10 + k,
                    action: r.action,
                    protocol: p.protocol,
                    fromPort: p.protocol === "-1" ? 0 : p.ports[0],
                    toPort: p.protocol === "-1" ? 0 : p.ports[1],
                    ...(v6(c) ? { ipv6CidrBlock: c } : { cidrBlock: c }),
                });
            }
        });
    });
    return out;
}

const genAclRule = fc.record({ action: fc.constantFrom("allow" as const, "deny" as const), rule: genRule }).map(({ action, rule }) => ({ ...rule, action }));

describe("a group's rules are a union: splitting never lowers a verdict", () => {
    it("security group, inline: splitting a rule's sources or ports across two rules gives the same verdict of every policy", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(genRule, { minLength: 1, maxLength: 5 }), fc.nat(), genConfig, async (rules, pick, config) => {
                await breathe();
                const at = pick % rules.length;
                const merged = [res(T.sg, "web", { ingress: rules.map(sgIngress) })];
                const parts = rules.flatMap((r, i) => (i === at ? split(r) : [r]));
                const splitUp = [res(T.sg, "web", { ingress: parts.map(sgIngress) })];
                expect(verdicts(splitUp, config)).toEqual(verdicts(merged, config));
            }),
            PARAMS,
        );
    }, TIMEOUT);

    it("security group, separate rule resources joined at stack level: one resource per CIDR gives the verdicts of the same rules inline", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(genRule, { minLength: 1, maxLength: 4 }), genConfig, async (rules, config) => {
                await breathe();
                const inline = [res(T.sg, "web", { ingress: rules.map(sgIngress) })];
                const group = res(T.sg, "web", { vpcId: "vpc-1" });
                const separate = [group, ...ruleResources(group, rules, "r")];
                expect(verdicts(separate, config)).toEqual(verdicts(inline, config));
            }),
            PARAMS,
        );
    }, TIMEOUT);

    it("network ACL (ordered, stateless): splitting an entry's sources or ports into consecutive entries never lowers a verdict", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(genAclRule, { minLength: 1, maxLength: 5 }), fc.nat(), genConfig, async (rules, pick, config) => {
                await breathe();
                const at = pick % rules.length;
                const acl = (ingress: unknown[]) => [res(T.acl, "acl", { vpcId: "vpc-1", ingress })];
                notLower(verdicts(acl(aclEntries(rules, at)), config), verdicts(acl(aclEntries(rules)), config));
            }),
            PARAMS,
        );
    }, TIMEOUT);
});

describe("a rule the cloud refuses never lowers a verdict", () => {
    const refused: Array<[string, (taken: number) => Record<string, unknown>]> = [
        ["a deny whose CIDR is malformed", () => ({ ruleNo: 1, action: "deny", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/33" })],
        ["a deny whose protocol is malformed", () => ({ ruleNo: 1, action: "deny", protocol: "banana", fromPort: 0, toPort: 65535, cidrBlock: "0.0.0.0/0" })],
        ["a deny whose ports are out of range", () => ({ ruleNo: 1, action: "deny", protocol: "tcp", fromPort: 0, toPort: 70000, cidrBlock: "0.0.0.0/0" })],
        ["a deny that takes a rule number already taken", (taken) => ({ ruleNo: taken, action: "deny", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" })],
    ];
    for (const [what, make] of refused) {
        it(`network ACL: adding ${what} never lowers a verdict`, async () => {
            await fc.assert(
                fc.asyncProperty(fc.array(genAclRule, { minLength: 1, maxLength: 5 }), fc.nat(), genConfig, async (rules, pick, config) => {
                    await breathe();
                    const entries = aclEntries(rules);
                    const taken = entries[pick % entries.length].ruleNo as number;
                    const acl = (ingress: unknown[]) => [res(T.acl, "acl", { vpcId: "vpc-1", ingress })];
                    notLower(verdicts(acl([make(taken), ...entries]), config), verdicts(acl(entries), config));
                }),
                PARAMS,
            );
        }, TIMEOUT);
    }
});
