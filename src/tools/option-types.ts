/**
 * A build-time guard: the option types in src/lib.ts name exactly the options of each policy's
 * configSchema, and their enums hold the schemas' values. The compiler checks these tables
 * against the types (a missing or extra key fails `npm run build`); test/meta/lib.test.ts
 * checks them against the schemas.
 */
import type { ClientTypeId, Direction, Exposure, PolicyName, PortguardOptions } from "../lib";

type Keys<O> = { readonly [K in keyof Required<O>]: true };

export const OPTION_KEYS: { readonly [N in PolicyName]: Keys<PortguardOptions[N]> } = {
    "high-risk-ports": { tcpPorts: true, udpPorts: true, minExposure: true, trustedSources: true, directions: true, judgeReturnTrafficRules: true, exemptions: true, honourTagExemptions: true },
    "exposed-service-ports": { services: true, minExposure: true, trustedSources: true, directions: true, judgeReturnTrafficRules: true, exemptions: true, honourTagExemptions: true },
    "unrestricted-ingress": { maxPorts: true, minExposure: true, trustedSources: true, directions: true, judgeReturnTrafficRules: true, exemptions: true, honourTagExemptions: true },
    "stateless-acl-return-traffic": { remoteClients: true, localClients: true, toleratedTcpPorts: true, toleratedUdpPorts: true, statefulTypes: true, exemptions: true, honourTagExemptions: true },
    "unverifiable-rules": { includeUnknowns: true, directions: true, exemptions: true, honourTagExemptions: true },
};

export const EXPOSURES: Record<Exposure, true> = { public: true, wide: true, internet: true };
export const DIRECTIONS: Record<Direction, true> = { ingress: true, egress: true };
export const CLIENT_TYPE_IDS: Record<ClientTypeId, true> = { linux: true, "windows-2003": true, "windows-2008-plus": true, "nat-gateway": true, elb: true, lambda: true };
