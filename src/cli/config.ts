/**
 * `--config <file>`: the `--policy-pack-config` shape, reconciled as the Pulumi CLI does
 * (scripts/lib/analyzer.js reconcileConfig): every policy starts at its own level; `all`
 * sets every level; then each entry, a level string or `{enforcementLevel?, ...options}`,
 * sets its policy's level and options. The file is checked as portguard-validate-config
 * checks it (an invalid file is a usage error); the engine applies the defaults.
 */
import type { EnforcementLevel, PolicyDef } from "../policies/types";
import { POLICIES } from "../policies";
import { validateConfig } from "../tools/validate-config";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

export interface PolicySetting {
    def: PolicyDef<any>;
    /** The configured level (`remediate` is reported as mandatory, as the SDK does). */
    level: EnforcementLevel;
    /** Options from the config file (without defaults, which the engine applies). */
    properties: Record<string, unknown>;
}

interface Entry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

/** The checks of the CLI's parser: a level string, or an object whose enforcementLevel is one. */
export function parsePolicyPackConfig(fileConfig: unknown): Record<string, Entry> {
    const out: Record<string, Entry> = {};
    if (fileConfig === undefined || fileConfig === null) return out;
    if (typeof fileConfig !== "object" || Array.isArray(fileConfig)) throw new ConfigError("policy pack config must be a JSON object");
    for (const [name, value] of Object.entries(fileConfig as Record<string, unknown>)) {
        const e: Entry = {};
        if (typeof value === "string") {
            if (!isLevel(value)) throw new ConfigError(`parsing enforcement level for "${name}": "${value}" is not a valid enforcement level`);
            e.enforcementLevel = value;
        } else if (value && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel, ...rest } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined) {
                if (!isLevel(enforcementLevel)) throw new ConfigError(`parsing enforcement level for "${name}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`);
                e.enforcementLevel = enforcementLevel;
            }
            if (Object.keys(rest).length > 0) e.properties = rest;
        } else {
            throw new ConfigError(`parsing "${name}": ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
        if (e.enforcementLevel !== undefined || e.properties !== undefined) out[name] = e;
    }
    return out;
}

/** Levels and options per policy, in the pack's policy order; warnings for names that match no policy. */
export function resolvePolicySettings(fileConfig: unknown, policies: readonly PolicyDef<any>[] = POLICIES, now = new Date()): { settings: PolicySetting[]; warnings: string[] } {
    const parsed = parsePolicyPackConfig(fileConfig);
    // The same checks as portguard-validate-config (schemas, unknown names, CIDRs, dates).
    const checked = validateConfig(fileConfig, { defs: policies, now });
    if (!checked.valid) {
        const more = checked.errors.length > 1 ? ` (and ${checked.errors.length - 1} more; run portguard-validate-config for all)` : "";
        throw new ConfigError(`${checked.errors[0]}${more}`);
    }
    const all = parsed.all?.enforcementLevel;
    const settings = policies.map((def) => {
        const e = parsed[def.name];
        const level = e?.enforcementLevel ?? all ?? def.enforcementLevel;
        return { def, level, properties: e?.properties ?? {} };
    });
    return { settings, warnings: checked.warnings.map((w) => `config: ${w}`) };
}

/** The level a finding is reported at (the SDK reports `remediate` violations as mandatory). */
export function reportedLevel(level: EnforcementLevel): "mandatory" | "advisory" {
    return level === "mandatory" || level === "remediate" ? "mandatory" : "advisory";
}
