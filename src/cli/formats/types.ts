/** What every input format reader produces: the resources of one stack (or plan), as the pack sees them. */
import type { ResourceInput } from "../../providers/types";

export const FORMATS = ["pulumi-preview", "pulumi-export", "terraform-plan", "terraform-state", "terraform-hcl"] as const;
export type FormatName = (typeof FORMATS)[number];

export interface ScanResource {
    /** Exactly what evaluateResource / evaluateStack receive. */
    input: ResourceInput;
    /** Terraform resource address (`module.net.aws_security_group.web[0]`). */
    address?: string;
    /** Terraform resource type before the rename (`aws_security_group`). */
    sourceType?: string;
    /** Parent URN (Pulumi component or resource parent). */
    parent?: string;
    /**
     * The values are what the provider reads back (a Terraform state, or a plan's planned state
     * of an existing resource), not what the configuration declares: like the pack's stack
     * phase after apply, they are read as outputs there (echoes of separate rules dropped).
     */
    fromOutputs?: boolean;
    /** HCL only: where the resource block is (file relative to the scanned directory). */
    location?: SourceLocation;
    /** HCL only: Terraform property path (`ingress[0].cidr_blocks`) -> the attribute or block that sets it. */
    locations?: ReadonlyMap<string, SourceLocation>;
    /** HCL only: Terraform property path of each unknown value -> why it is unknown and where. */
    unknowns?: ReadonlyMap<string, { why: string; at: SourceLocation }>;
    /** HCL only: `# portguard:ignore` comments on or above the resource or one of its blocks. */
    suppressions?: readonly Suppression[];
    /** HCL only: values that come from sensitive variables or outputs (printed as [sensitive]). */
    sensitive?: readonly string[];
}

export interface SourceLocation {
    /** Relative to the scanned directory, `/`-separated. */
    file: string;
    /** 1-based */
    line: number;
    /** 1-based */
    column: number;
}

export interface Suppression {
    policies: string[];
    reason?: string;
    /** YYYY-MM-DD: the last day the suppression holds. */
    expires?: string;
    /** Terraform property paths it covers (`` for the whole resource). */
    scopes: string[];
    at: SourceLocation;
}

/** Something the reader could not judge, named by `unverifiable-rules` at a source location. */
export interface ScanNotice {
    /** Resource or module call address. */
    address: string;
    message: string;
    location?: SourceLocation;
}

export interface ScanInput {
    /** File path as given, or `-` for stdin. */
    source: string;
    format: FormatName;
    /** `project/stack` for Pulumi; the file's label for Terraform. */
    stack: string;
    resources: ScanResource[];
    /** Resources left out (deleted in the plan, pending deletion, data sources), for the summary. */
    skipped: number;
    /** HCL only: what could not be judged at all (a module not read, a count not known). */
    notices?: ScanNotice[];
    /** Informational lines for stderr and the reports (never findings). */
    notes?: string[];
}

/** Input that cannot be read at all: reported as one line, exit code 2. */
export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

/** The engine's unknown sentinel (string/number); read.ts treats every sentinel as unknown. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A secret whose plaintext the scan does not have (read as unknown, never echoed). */
export function opaqueSecret(): Record<string, string> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "" };
}

export function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` -> parts (name may itself contain `::`). */
export function urnParts(urn: string): { stack: string; project: string; type: string; name: string } | undefined {
    const parts = urn.split("::");
    if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) return undefined;
    return { stack: parts[0].slice("urn:pulumi:".length), project: parts[1], type: parts[2], name: parts.slice(3).join("::") };
}
