/** The index of portguard's policies: every policy file appears here once. */
import type { PolicyDef } from "./types";
import { highRiskPorts } from "./high-risk-ports";
import { exposedServicePorts } from "./exposed-service-ports";
import { unrestrictedIngress } from "./unrestricted-ingress";
import { statelessAclReturnTraffic } from "./stateless-acl-return-traffic";
import { unverifiableRules } from "./unverifiable-rules";

export const POLICIES: readonly PolicyDef<any>[] = [highRiskPorts, exposedServicePorts, unrestrictedIngress, statelessAclReturnTraffic, unverifiableRules];

export { highRiskPorts, exposedServicePorts, unrestrictedIngress, statelessAclReturnTraffic, unverifiableRules };
