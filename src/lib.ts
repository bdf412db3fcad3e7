/**
 * portguard as a library: the policies, ready to place in your own PolicyPack. Importing this
 * module has no side effects (it starts no server); `require("<pack dir>")` is the runnable pack.
 *
 *     import { PolicyPack } from "@pulumi/policy";
 *     import { portguardPolicies } from "portguard";
 *     new PolicyPack("my-org", { policies: [...portguardPolicies({ "high-risk-ports": { config: { minExposure: "internet" } } }), myPolicy] });
 */
import { POLICIES } from "./policies";
import type { EnforcementLevel } from "./policies/types";
import { Evaluator } from "./pack/evaluator";
import { toPulumiPolicy, type PolicyOverrides, type PortguardPolicy } from "./pack/policy";

// The options of each policy, as TypeScript types. They mirror each policy's configSchema
// (src/tools/option-types.ts fails the build when a name drifts); every option is optional and
// defaults as docs/policies/<policy>.md says.

/** A port or an inclusive range: `445`, `"445"`, `"137-139"`. */
export type PortSpec = number | string;
/** The lowest exposure of a rule's sources that counts (README, "Exposure tiers"). */
export type Exposure = "public" | "wide" | "internet";
export type Direction = "ingress" | "egress";
/** Client types whose ephemeral port ranges stateless ACLs must let replies reach. */
export type ClientTypeId = "linux" | "windows-2003" | "windows-2008-plus" | "nat-gateway" | "elb" | "lambda";

/** A resource a policy does not judge: a glob over its name or URN, why, and until when (YYYY-MM-DD). */
export interface Exemption {
    resource: string;
    reason: string;
    expires?: string;
}

/** Options shared by the exposure policies. */
export interface ExposureOptions {
    minExposure?: Exposure;
    /** CIDRs that never count as exposure. */
    trustedSources?: string[];
    directions?: Direction[];
    judgeReturnTrafficRules?: boolean;
    exemptions?: Exemption[];
    /** Honour `portguard:exempt` resource and stack tags (default true). */
    honourTagExemptions?: boolean;
}

export interface HighRiskPortsOptions extends ExposureOptions {
    tcpPorts?: PortSpec[];
    udpPorts?: PortSpec[];
}

export interface ExposedService {
    name: string;
    protocol: "tcp" | "udp";
    ports: PortSpec[];
}

export interface ExposedServicePortsOptions extends ExposureOptions {
    services?: ExposedService[];
}

export interface UnrestrictedIngressOptions extends ExposureOptions {
    maxPorts?: number;
}

export interface StatelessAclReturnTrafficOptions {
    remoteClients?: ClientTypeId[];
    localClients?: ClientTypeId[];
    toleratedTcpPorts?: PortSpec[];
    toleratedUdpPorts?: PortSpec[];
    /** Type tokens of ACLs to treat as stateful and skip. */
    statefulTypes?: string[];
    exemptions?: Exemption[];
    honourTagExemptions?: boolean;
}

export interface UnverifiableRulesOptions {
    includeUnknowns?: boolean;
    /** Directions whose unknowns are reported for stateful firewalls (the exposure policies' `directions`). */
    directions?: Direction[];
    exemptions?: Exemption[];
    honourTagExemptions?: boolean;
}

/** Each policy's name and its options. */
export interface PortguardOptions {
    "high-risk-ports": HighRiskPortsOptions;
    "exposed-service-ports": ExposedServicePortsOptions;
    "unrestricted-ingress": UnrestrictedIngressOptions;
    "stateless-acl-return-traffic": StatelessAclReturnTrafficOptions;
    "unverifiable-rules": UnverifiableRulesOptions;
}

export type PolicyName = keyof PortguardOptions;

/** One policy's overrides: its level, and options that replace the defaults (the Pulumi config still wins). */
export interface PortguardPolicyOverrides<O> {
    enforcementLevel?: EnforcementLevel;
    config?: O;
}

export type PortguardOverrides = { [N in PolicyName]?: PortguardPolicyOverrides<PortguardOptions[N]> };

/** Every portguard policy as a Pulumi policy object; per-policy level and option overrides. */
export function portguardPolicies(overrides: PortguardOverrides = {}): PortguardPolicy[] {
    const evaluator = new Evaluator();
    return POLICIES.map((def) => toPulumiPolicy(def, overrides[def.name as PolicyName] as PolicyOverrides | undefined, evaluator));
}

export { POLICIES } from "./policies";
export type { PolicyDef, Finding, ReportedFinding, EnforcementLevel } from "./policies/types";
export { Evaluator, type EvaluatorOptions } from "./pack/evaluator";
export type { PolicyOverrides, PortguardPolicy } from "./pack/policy";
