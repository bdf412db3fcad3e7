/** What every input format reader produces: the resources of one stack (or plan), as the pack sees them. */
import type { ResourceInput } from "../../model/items";

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
    /** Plaintexts the input marks secret or sensitive: never written to any output (scan.ts scrubs them). */
    secrets?: Set<string>;
    /** How the outputs write a secret value: `[secret]` (Pulumi), `[sensitive]` (Terraform). */
    secretWord?: string;
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

/**
 * A value the input marks secret (Terraform `sensitive`) whose plaintext the scan has: judged
 * like any other value, never written out (the secret rule; outputs write `[sensitive]`).
 */
export function knownSecret(value: unknown): Record<string, unknown> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/** Whether `v` is a secret marker (knownSecret or opaqueSecret). */
export function isSecretMarker(v: unknown): v is Record<string, unknown> {
    return isObject(v) && v[SECRET_SIG_KEY] === SECRET_SIG;
}

/** Every plaintext (string or number leaf) a value holds, for the outputs' last safety net. */
export function leafTexts(v: unknown, out: Set<string>): void {
    if (typeof v === "string" || typeof v === "number") {
        const t = String(v).trim();
        if (t !== "") out.add(t);
    } else if (Array.isArray(v)) for (const e of v) leafTexts(e, out);
    else if (isObject(v)) for (const k in v) leafTexts(v[k], out);
}

/** A secret whose plaintext the scan does not have (read as unknown, never echoed). */
export function opaqueSecret(): Record<string, string> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "" };
}

/** `null`, `a number`, `a string`, `a list`, `an object` ... for messages. */
export function kindOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "object") return "an object";
    return `${/^[aeiou]/.test(typeof v) ? "an" : "a"} ${typeof v}`;
}

/**
 * The parts of a recognised document that are not what its format holds (`steps[1] is a
 * number`, `resource_changes[0] has no address`). A document with any is refused as a whole,
 * in one line naming the first few (exit 2): a corrupt or hand-edited input must not pass with
 * fewer resources judged (docs/cli.md, "Odd inputs").
 */
export class Unreadable {
    private readonly first: string[] = [];
    private count = 0;
    constructor(
        private readonly source: string,
        private readonly what: string,
    ) {}
    add(path: string, problem: string): void {
        this.count++;
        if (this.first.length < 4) this.first.push(`${path} ${problem}`);
    }
    /** Throws when any part was unreadable. */
    check(): void {
        if (this.count === 0) return;
        const more = this.count > this.first.length ? `; and ${this.count - this.first.length} more` : "";
        throw new InputError(`${this.source === "-" ? "stdin" : this.source}: parts of this ${this.what} are not what it holds: ${this.first.join("; ")}${more}; nothing in it was scanned`);
    }
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
