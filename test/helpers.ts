/** Builders and runners shared by the unit tests: resources in, findings out. */
import type { PolicyDef, Finding } from "../src/policies/types";
import { Evaluator } from "../src/pack/evaluator";
import type { ResourceInput } from "../src/providers/types";

/** The engine's unknown sentinel for strings and numbers (as the CLI sends it). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Every unknown sentinel the engine sends, written out here (not imported from src, so the
 * tests check the adapters against the wire format): boolean, number, string, array, asset,
 * archive, object.
 */
export const SENTINELS = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    UNKNOWN,
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
] as const;

/** A secret on the wire: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }` (or `ciphertext` in an export). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    acl: "aws:ec2/networkAcl:NetworkAcl",
    defaultAcl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    aclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    prefixList: "aws:ec2/managedPrefixList:ManagedPrefixList",
    prefixListEntry: "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry",
} as const;

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:dev::portguard-test::${type}::${name}`;
}

export function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies?: Record<string, string[]>): ResourceInput {
    return { type, urn: urnOf(type, name), name, props, propertyDependencies };
}

/** An inline SG ingress rule. */
export function sgRule(protocol: string, from: number, to: number, cidrs: string[] = ["0.0.0.0/0"], extra: Record<string, unknown> = {}) {
    return { protocol, fromPort: from, toPort: to, cidrBlocks: cidrs, ...extra };
}

export function sg(name: string, ingress: unknown[], egress?: unknown[], extra: Record<string, unknown> = {}): ResourceInput {
    return res(T.sg, name, { ingress, ...(egress ? { egress } : {}), ...extra });
}

/** An inline NACL entry. */
export function entry(ruleNo: number, action: "allow" | "deny", protocol: string, from: number, to: number, cidrBlock = "0.0.0.0/0", extra: Record<string, unknown> = {}) {
    return { ruleNo, action, protocol, fromPort: from, toPort: to, cidrBlock, ...extra };
}

export function acl(name: string, ingress: unknown[], egress: unknown[] = [], extra: Record<string, unknown> = {}): ResourceInput {
    return res(T.acl, name, { vpcId: "vpc-1", ingress, egress, ...extra });
}

/** Findings of a policy on one resource (validateResource). */
export function check(def: PolicyDef<any>, r: ResourceInput, config: Record<string, unknown> = {}, now?: Date): Finding[] {
    return new Evaluator().evaluateResource(def, r, config, now);
}

/** Findings of a policy on a stack (validateStack), with outputs only (no earlier Analyze). */
export function checkStack(def: PolicyDef<any>, rs: ResourceInput[], config: Record<string, unknown> = {}, now?: Date): Finding[] {
    return new Evaluator().evaluateStack(def, rs, config, now);
}

/** Resource level then stack level, as one `pulumi preview` runs them. */
export function checkBoth(def: PolicyDef<any>, rs: ResourceInput[], config: Record<string, unknown> = {}): { resource: Finding[]; stack: Finding[] } {
    const evaluator = new Evaluator();
    const resource = rs.flatMap((r) => evaluator.evaluateResource(def, r, config));
    const stack = evaluator.evaluateStack(def, rs, config);
    return { resource, stack };
}

export interface Case {
    name: string;
    resource: ResourceInput;
    config?: Record<string, unknown>;
}
export interface InvalidCase extends Case {
    /** The finding's message id. */
    messageId?: string;
    /** Data the finding must carry (matched as a subset). */
    data?: Record<string, unknown>;
    /** Substrings every message of the single finding must contain. */
    messages: Array<string | RegExp>;
    /** The rule path the finding points at. */
    path?: string;
    /** Substrings the message must not contain. */
    not?: string[];
}
