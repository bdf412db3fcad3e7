/**
 * The evaluator owns what it remembers (src/pack/evaluator.ts): nothing module-global holds
 * models, so two evaluators in one process never see each other's resources, and the stack
 * phase leaves out only what its own resource phase reported. In the pack, the policies of one
 * request share one conversion of the request's properties and one model, while every policy
 * still receives its own copy of the properties, as the SDK intends (src/pack/secrets.ts).
 */
import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { Evaluator } from "../../src/pack/evaluator";
import { requestOrigin, trackRequestSecrets } from "../../src/pack/secrets";
import { portguardPolicies } from "../../src/lib";
import { highRiskPorts } from "../../src/policies";
import { res, sg, sgRule, T, urnOf, SECRET_SIG, SECRET_SIG_KEY } from "../helpers";

const require = createRequire(import.meta.url);
const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js");
const sdkDeserialize = require("@pulumi/policy/deserialize");
const { unknownCheckingProxy } = require("@pulumi/policy/proxy");

const acl = res(T.acl, "legacy", { vpcId: "vpc-1" });
const smbEntry = res(T.aclRule, "smb", { networkAclId: "x", ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 445, toPort: 445 }, { networkAclId: [acl.urn] });

describe("an evaluator's memory is its own", () => {
    it("a stack judged by an evaluator that judged nothing one at a time reports every finding itself", () => {
        const smb = sg("smb", [sgRule("tcp", 445, 445)]);
        const first = new Evaluator();
        expect(first.evaluateResource(highRiskPorts, smb, {})).toHaveLength(1);
        // the first evaluator's resource phase reported it: its stack phase leaves it out
        expect(first.evaluateStack(highRiskPorts, [smb], {})).toEqual([]);
        // a second evaluator in the same process did not see that resource phase
        const second = new Evaluator();
        expect(second.evaluateStack(highRiskPorts, [smb], {}).map((f) => f.messageId)).toEqual(["open"]);
    });

    it("two evaluators judging different content under one URN each judge their own", () => {
        const a = new Evaluator();
        const b = new Evaluator();
        const smb = sg("web", [sgRule("tcp", 445, 445)]);
        const https = sg("web", [sgRule("tcp", 443, 443)]);
        expect(a.evaluateResource(highRiskPorts, smb, {})).toHaveLength(1);
        expect(b.evaluateResource(highRiskPorts, https, {})).toEqual([]);
        expect(a.evaluateResource(highRiskPorts, smb, {})).toHaveLength(1);
    });

    it("an ACL's separate entry is judged at stack level, once joined", () => {
        const e = new Evaluator();
        for (const r of [acl, smbEntry]) e.evaluateResource(highRiskPorts, r, {});
        const found = e.evaluateStack(highRiskPorts, [acl, smbEntry], {});
        expect(found.map((f) => [f.urn, f.messageId])).toEqual([[urnOf(T.aclRule, "smb"), "open"]]);
    });
});

describe("the policies of one request share its conversion, each with its own copy", () => {
    trackRequestSecrets();
    const wire = { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: [{ [SECRET_SIG_KEY]: SECRET_SIG, value: "0.0.0.0/0" }] }] };

    /** A request struct whose conversions are counted. */
    function counted(props: unknown): { struct: { toJavaScript(): unknown }; conversions: () => number } {
        const struct = Struct.fromJavaScript(props);
        const original = struct.toJavaScript.bind(struct);
        let n = 0;
        struct.toJavaScript = () => {
            n++;
            return original();
        };
        return { struct, conversions: () => n };
    }

    it("converts a request struct once for five policies, and hands each a fresh, equal copy", () => {
        const { struct, conversions } = counted(wire);
        const copies = Array.from({ length: 5 }, () => sdkDeserialize.deserializeProperties(struct, false));
        expect(conversions()).toBe(1);
        for (const c of copies.slice(1)) {
            expect(c).toEqual(copies[0]);
            expect(c).not.toBe(copies[0]);
            expect(c.ingress).not.toBe(copies[0].ingress);
        }
        copies[0].ingress[0].fromPort = 22; // one policy changing its copy changes no other
        expect(copies[1].ingress[0].fromPort).toBe(445);
        expect(sdkDeserialize.deserializeProperties(struct, false).ingress[0].fromPort).toBe(445);
    });

    it("links every copy of one request, through the SDK's proxy, and nothing else", () => {
        const one = counted(wire).struct;
        const other = counted(wire).struct;
        const a = unknownCheckingProxy(sdkDeserialize.deserializeProperties(one, false));
        const b = unknownCheckingProxy(sdkDeserialize.deserializeProperties(one, false));
        expect(requestOrigin(a)).toBeDefined();
        expect(requestOrigin(a)).toBe(requestOrigin(b));
        expect(requestOrigin(sdkDeserialize.deserializeProperties(other, false))).not.toBe(requestOrigin(a));
        // secrets kept as Secret objects (remediation) are other values: never linked
        expect(requestOrigin(sdkDeserialize.deserializeProperties(one, true))).toBeUndefined();
        expect(requestOrigin({ ingress: [] })).toBeUndefined();
    });

    it("five policies judging the SDK's copies find what they find on plain properties, with the secret never printed", () => {
        const policies = portguardPolicies();
        const urn = urnOf(T.sg, "smb");
        const messages: string[] = [];
        const { struct } = counted(wire);
        for (const p of policies) {
            const props = unknownCheckingProxy(sdkDeserialize.deserializeProperties(struct, false));
            const args = { type: T.sg, urn, name: "smb", props, getConfig: () => ({}), notApplicable: () => undefined, stackTags: new Map(), opts: {} };
            p.validateResource!(args as never, (m: unknown) => messages.push(`${p.name}: ${String(m)}`));
        }
        const plain = new Evaluator().evaluateResource(highRiskPorts, sg("smb", [sgRule("tcp", 445, 445)]), {});
        expect(messages.filter((m) => m.startsWith("high-risk-ports"))).toHaveLength(plain.length);
        expect(messages.some((m) => m.startsWith("unrestricted-ingress"))).toBe(false);
        expect(messages.join("\n")).not.toContain("0.0.0.0/0");
    });
});
