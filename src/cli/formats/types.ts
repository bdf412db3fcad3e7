/** What every input format reader produces: the resources of one stack (or plan), as the pack sees them. */
import type { ResourceInput } from "../../providers/types";

export const FORMATS = ["pulumi-preview", "pulumi-export", "terraform-plan", "terraform-state"] as const;
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
