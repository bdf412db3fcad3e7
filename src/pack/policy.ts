/**
 * Turn a portguard PolicyDef into a Pulumi policy object carrying both validateResource and
 * validateStack (the SDK runs each in its phase under one name, config and level).
 */
import type { ResourceValidationPolicy, StackValidationPolicy, ResourceValidationArgs, StackValidationArgs, ReportViolation, EnforcementLevel } from "@pulumi/policy";
import type { ResourceInput } from "../model/items";
import type { PolicyDef } from "../policies/types";
import { Evaluator } from "./evaluator";
import { policyMetadata } from "./meta";
import { remediateResource } from "./remediate";
import { trackRequestSecrets } from "./secrets";
import { violationReporter } from "./report";

export type PortguardPolicy = ResourceValidationPolicy & StackValidationPolicy;

export interface PolicyOverrides {
    enforcementLevel?: EnforcementLevel;
    /** Options that replace the defaults (the Pulumi config still wins over these). */
    config?: Record<string, unknown>;
}

function safeConfig(get: () => unknown): Record<string, unknown> {
    try {
        const c = get();
        return c && typeof c === "object" ? (c as Record<string, unknown>) : {};
    } catch {
        return {};
    }
}

/**
 * `evaluator` remembers models between calls: give every policy of one pack the same one, so a
 * resource is adapted once for all of them (portguardPolicies does).
 */
/**
 * Pulumi's "not applicable": the SDK's `args.notApplicable` throws an error that its server
 * catches for the reason alone. Most of a stack is resources no adapter reads, so this is the
 * commonest answer; the error's stack trace (which nothing reads) is not captured. Older SDKs
 * without it simply see no violation.
 */
function answerNotApplicable(args: { notApplicable?: (reason?: string) => never }, reason: string): void {
    if (typeof args.notApplicable !== "function") return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        args.notApplicable(reason);
    } finally {
        Error.stackTraceLimit = limit;
    }
}

export function toPulumiPolicy(def: PolicyDef<any>, overrides: PolicyOverrides = {}, evaluator: Evaluator = new Evaluator()): PortguardPolicy {
    trackRequestSecrets();
    const base = overrides.config ?? {};
    const configSchema = {
        properties: Object.fromEntries(
            Object.entries(def.configSchema.properties).map(([k, s]) => [k, k in base ? { ...s, default: base[k] } : s]),
        ),
        ...(def.configSchema.required ? { required: def.configSchema.required } : {}),
    };
    return {
        name: def.name,
        description: def.description,
        enforcementLevel: overrides.enforcementLevel ?? def.enforcementLevel,
        ...policyMetadata(def),
        configSchema: configSchema as ResourceValidationPolicy["configSchema"],
        validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
            // Most of a stack is resources no adapter reads: answer them before anything else.
            const unread = evaluator.unreadType(args.type);
            if (unread !== undefined) {
                answerNotApplicable(args, unread);
                return;
            }
            const input: ResourceInput = { type: args.type, urn: args.urn, name: args.name, props: args.props };
            const raw = { ...base, ...safeConfig(() => args.getConfig()) };
            const verdict = evaluator.judgeResource(def, input, raw, new Date(), { stackTags: args.stackTags });
            // Pulumi's "not applicable" (counted apart from compliant in compliance scores);
            // older SDKs without it simply see no violation.
            if (verdict.notApplicable !== undefined) answerNotApplicable(args, verdict.notApplicable);
            const violation = violationReporter(report);
            for (const f of verdict.findings) violation(f.message);
        },
        ...(def.remediate
            ? {
                  remediateResource: (args: ResourceValidationArgs) => {
                      const input: ResourceInput = { type: args.type, urn: args.urn, name: args.name, props: args.props };
                      const raw = { ...base, ...safeConfig(() => args.getConfig()) };
                      try {
                          return remediateResource(def, input, raw);
                      } catch {
                          return undefined; // never break an update: leave the resource as it is
                      }
                  },
              }
            : {}),
        validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            const inputs: ResourceInput[] = args.resources.map((r) => ({
                type: r.type,
                urn: r.urn,
                name: r.name,
                props: r.props,
                propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map((d) => d.urn)])),
            }));
            const raw = { ...base, ...safeConfig(() => args.getConfig()) };
            const verdict = evaluator.judgeStack(def, inputs, raw, new Date(), { stackTags: args.stackTags });
            if (verdict.notApplicable !== undefined) answerNotApplicable(args, verdict.notApplicable);
            const violation = violationReporter(report);
            for (const f of verdict.findings) violation(f.message, f.urn);
        },
    };
}
