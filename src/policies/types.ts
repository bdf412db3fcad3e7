/**
 * The policy contract: what a policy file (src/policies/<name>.ts) declares and implements,
 * and what the engine hands it. A policy reads only the model and returns findings as data.
 */
import type { Firewall } from "../model";
import type { Edit } from "../model/edits";
import type { ConfigSchema } from "../pack/config";
import type { Finding, ReportedFinding } from "../findings/types";

export type { Finding, ReportedFinding } from "../findings/types";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical";

export interface CheckContext {
    /** Only part of the firewall is known (a separate rule resource judged on its own). */
    fragment: boolean;
    /** The rules' parent group/ACL is not in the stack (rules judged alone). */
    parentMissing: boolean;
}

export interface Control {
    framework: string;
    id: string;
    title: string;
    /** The policy's primary control: Pulumi Cloud's `framework` (one per policy; the rest stay in docs and SARIF). */
    primary?: boolean;
}

/** Where an evaluation runs: the stack's tags (Pulumi Cloud backends only; empty under `pulumi policy analyze`). */
export interface EvaluationContext {
    stackTags?: ReadonlyMap<string, string> | Record<string, string>;
}

/** A policy's answer for one resource or stack: findings, or why it does not apply (then no findings). */
export interface Verdict {
    findings: ReportedFinding[];
    notApplicable?: string;
}

export interface PolicyDef<C = unknown> {
    name: string;
    /** The name Pulumi Cloud shows (Title Case, a few words). */
    displayName: string;
    /** ONE short sentence: the SDK prints it in front of every violation message. */
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    configSchema: ConfigSchema;
    /** Related compliance controls (docs, SARIF); the one marked `primary` is Pulumi Cloud's `framework`. */
    controls?: Control[];
    /** The message ids `check` reports, each with when it is reported (the doc page lists them, one anchor each). */
    messages: Record<string, string>;
    /** Pulumi Cloud tags (lower-case words). */
    tags: readonly string[];
    /** What to do about a violation, in a few sentences (Pulumi Cloud's remediation steps). */
    remediationSteps: string;
    /**
     * Why this policy does not apply to a resource the adapters read (Pulumi's "not applicable",
     * counted apart from compliant), or undefined when it is judged. Resources no adapter
     * reads are not applicable to every policy without asking. Never answer it for a firewall
     * that may still get rules this policy judges.
     */
    notApplicable?(fw: Firewall, config: C, ctx: CheckContext): string | undefined;
    /** Turn raw options (defaults already applied) into typed options. */
    parseConfig(raw: Record<string, unknown>): C;
    /** Judge one firewall; read only the model. Never throws. */
    check(fw: Firewall, config: C, ctx: CheckContext): Finding[];
    /**
     * Edits that make `check` pass, for the cases a machine can fix safely (used only at
     * enforcement level `remediate`). Undefined when there is no safe fix.
     */
    remediate?(fw: Firewall, config: C, ctx: CheckContext): Edit[] | undefined;
}
