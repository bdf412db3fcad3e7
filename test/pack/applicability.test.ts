/**
 * Pulumi's "not applicable" (args.notApplicable(reason)): compliance scores count it apart from
 * compliant, so a policy answers it exactly where it does not judge, and never for a firewall
 * that is judged (even an empty one, even one whose rules may come from separate resources).
 * The policies are called as the SDK calls them: the Pulumi policy objects from
 * portguardPolicies(), with an args.notApplicable that throws as the SDK's does.
 */
import { describe, expect, it } from "vitest";
import { portguardPolicies } from "../../src/lib";
import { acl, entry, res, sg, sgRule, T } from "../helpers";
import type { ResourceInput } from "../../src/providers/types";

class NotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason);
    }
}

/** A fresh pack's policies (they share one evaluator, as in the pack), for each question. */
let POLICIES = portguardPolicies();
const freshPack = () => {
    POLICIES = portguardPolicies();
};
const NAMES = POLICIES.map((p) => p.name);

interface Answer {
    notApplicable?: string;
    violations: string[];
}

function baseArgs() {
    return {
        getConfig: () => ({}),
        stackTags: new Map<string, string>(),
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

function run(fn: () => unknown, violations: string[]): Answer {
    try {
        fn();
    } catch (e) {
        if (e instanceof NotApplicable) return { notApplicable: e.reason ?? "", violations };
        throw e;
    }
    return { violations };
}

/** Each policy's answer to Analyze of one resource. */
function analyze(r: ResourceInput): Record<string, Answer> {
    freshPack();
    const out: Record<string, Answer> = {};
    for (const p of POLICIES) {
        const violations: string[] = [];
        const args = { ...baseArgs(), type: r.type, urn: r.urn, name: r.name, props: r.props, opts: {} } as never;
        out[p.name] = run(() => p.validateResource!(args, (m: unknown) => violations.push(String(m))), violations);
    }
    return out;
}

/** Each policy's answer to AnalyzeStack. */
function analyzeStack(rs: ResourceInput[]): Record<string, Answer> {
    freshPack();
    const out: Record<string, Answer> = {};
    for (const p of POLICIES) {
        const violations: string[] = [];
        const resources = rs.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.props, opts: {}, dependencies: [], propertyDependencies: {} }));
        const args = { ...baseArgs(), resources } as never;
        out[p.name] = run(() => p.validateStack!(args, (m: unknown) => violations.push(String(m))), violations);
    }
    return out;
}

const notApplicableTo = (a: Record<string, Answer>) => NAMES.filter((n) => a[n].notApplicable !== undefined);

describe("not applicable, resource by resource", () => {
    it("every policy answers not applicable for a resource type no adapter reads, with a reason naming the type, and reports nothing", () => {
        const a = analyze(res("aws:s3/bucketV2:BucketV2", "logs", { bucket: "logs" }));
        expect(notApplicableTo(a)).toEqual(NAMES);
        for (const n of NAMES) {
            expect(a[n].notApplicable).toContain("aws:s3/bucketV2:BucketV2");
            expect(a[n].violations).toEqual([]);
        }
    });

    it("every policy answers not applicable for a managed prefix list (addresses, no rules: the rules using it are judged)", () => {
        const a = analyze(res(T.prefixList, "office", { addressFamily: "IPv4", maxEntries: 5, entries: [{ cidr: "0.0.0.0/0" }] }));
        expect(notApplicableTo(a)).toEqual(NAMES);
    });

    it("a clean security group is judged by every policy but stateless-acl-return-traffic (compliant, not 'not applicable')", () => {
        const a = analyze(sg("web", [sgRule("tcp", 443, 443)]));
        expect(notApplicableTo(a)).toEqual(["stateless-acl-return-traffic"]);
        expect(a["stateless-acl-return-traffic"].notApplicable).toMatch(/stateful/);
        for (const n of NAMES) expect(a[n].violations).toEqual([]);
    });

    it("a security group with no inline rules (they may come from separate rule resources) is judged, not 'not applicable'", () => {
        const a = analyze(res(T.sg, "empty", { vpcId: "vpc-1" }));
        expect(notApplicableTo(a)).toEqual(["stateless-acl-return-traffic"]);
    });

    it("a security group whose inputs are missing (an audit run on a discovered resource) is judged", () => {
        const a = analyze(res(T.sg, "discovered", {}));
        expect(notApplicableTo(a)).toEqual(["stateless-acl-return-traffic"]);
    });

    it("a separate security group rule is stateful: only stateless-acl-return-traffic answers not applicable", () => {
        const a = analyze(res(T.ingressRule, "ssh", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8" }));
        expect(notApplicableTo(a)).toEqual(["stateless-acl-return-traffic"]);
    });

    it("a network ACL, even one with no inline entries, is judged by every policy", () => {
        expect(notApplicableTo(analyze(acl("a", [entry(100, "allow", "tcp", 443, 443)])))).toEqual([]);
        expect(notApplicableTo(analyze(res(T.acl, "entries-elsewhere", { vpcId: "vpc-1" })))).toEqual([]);
        expect(notApplicableTo(analyze(res(T.aclRule, "r", { networkAclId: "acl-1", ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 443, toPort: 443 })))).toEqual([]);
    });

    it("stateless-acl-return-traffic answers not applicable for an ACL type the statefulTypes option names", () => {
        freshPack();
        const p = POLICIES.find((x) => x.name === "stateless-acl-return-traffic")!;
        const r = acl("treated-stateful", [entry(100, "allow", "tcp", 443, 443)]);
        const args = { ...baseArgs(), getConfig: () => ({ statefulTypes: [T.acl] }), type: r.type, urn: r.urn, name: r.name, props: r.props, opts: {} } as never;
        const a = run(() => p.validateResource!(args, () => undefined), []);
        expect(a.notApplicable).toMatch(/statefulTypes/);
    });

    it("answering not applicable leaves the process's Error.stackTraceLimit as it was, and the SDK still gets the reason", () => {
        const before = Error.stackTraceLimit;
        const a = analyze(res("aws:s3/bucketV2:BucketV2", "b", { bucket: "b" }));
        expect(Error.stackTraceLimit).toBe(before);
        expect(a["high-risk-ports"].notApplicable).toMatch(/reads no firewall rules from aws:s3\/bucketV2:BucketV2/);
    });

    it("an OCI network security group (rules can be stateless one by one, from separate resources) is judged by stateless-acl-return-traffic", () => {
        const a = analyze(res("oci:Core/networkSecurityGroup:NetworkSecurityGroup", "nsg", { compartmentId: "c", vpcId: "v" }));
        expect(a["stateless-acl-return-traffic"].notApplicable).toBeUndefined();
    });

    it("a firewall with findings is never answered not applicable: the violation is reported", () => {
        const a = analyze(sg("smb", [sgRule("tcp", 445, 445)]));
        expect(a["high-risk-ports"].notApplicable).toBeUndefined();
        expect(a["high-risk-ports"].violations.length).toBe(1);
    });
});

describe("not applicable, the stack phase", () => {
    it("every policy answers not applicable for a stack with no firewall at all", () => {
        const a = analyzeStack([res("aws:s3/bucketV2:BucketV2", "logs", {}), res(T.prefixList, "office", { entries: [] })]);
        expect(notApplicableTo(a)).toEqual(NAMES);
        expect(a["high-risk-ports"].notApplicable).toMatch(/no firewall/);
    });

    it("a stack with any firewall or rule resource is judged by every policy (clean is compliant)", () => {
        expect(notApplicableTo(analyzeStack([res("aws:s3/bucketV2:BucketV2", "logs", {}), sg("web", [sgRule("tcp", 443, 443)])]))).toEqual([]);
        const ruleOnly = res(T.ingressRule, "r", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
        expect(notApplicableTo(analyzeStack([ruleOnly]))).toEqual([]);
    });
});
