/**
 * portguard as a library: the policies, ready to place in your own PolicyPack. Importing this
 * module has no side effects (it starts no server); `require("<pack dir>")` is the runnable pack.
 *
 *     import { PolicyPack } from "@pulumi/policy";
 *     import { portguardPolicies } from "portguard";
 *     new PolicyPack("my-org", { policies: [...portguardPolicies({ "high-risk-ports": { config: { minExposure: "internet" } } }), myPolicy] });
 */
import { POLICIES } from "./policies";
import { toPulumiPolicy, type PolicyOverrides, type PortguardPolicy } from "./pack/policy";

export type PolicyName = "high-risk-ports" | "exposed-service-ports" | "unrestricted-ingress" | "stateless-acl-return-traffic" | "unverifiable-rules";

/** Every portguard policy as a Pulumi policy object; per-policy level and option overrides. */
export function portguardPolicies(overrides: Partial<Record<PolicyName, PolicyOverrides>> = {}): PortguardPolicy[] {
    return POLICIES.map((def) => toPulumiPolicy(def, overrides[def.name as PolicyName]));
}

export { POLICIES } from "./policies";
export type { PolicyDef, Finding } from "./pack/engine";
export { evaluateResource, evaluateStack } from "./pack/engine";
export type { PolicyOverrides, PortguardPolicy } from "./pack/policy";
