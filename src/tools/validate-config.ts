#!/usr/bin/env node
/**
 * portguard-validate-config: checks a `--policy-pack-config` file against portguard's own
 * schemas before it reaches `pulumi preview` or `pulumi policy enable --config`.
 *
 *     portguard-validate-config <file> [--now YYYY-MM-DD]
 *     portguard-validate-config --print-schema       (the JSON Schema, e.g. for an editor)
 *
 * It rejects what the Pulumi CLI rejects (wrong types, violated constraints, missing required
 * fields, bad enforcement levels) and what the CLI lets through silently: unknown policy
 * names, unknown option names (typos), CIDRs and port ranges that do not parse, exemption
 * dates that do not exist. Each problem is one line naming the policy and the option:
 *
 *     high-risk-ports.minExposur: unknown option (did you mean minExposure?)
 *
 * Exit codes: 0 valid (warnings may be printed), 1 invalid, 2 the file cannot be read or parsed.
 * ajv is loaded here only: the pack and the library never load this module.
 */
import * as fs from "node:fs";
import Ajv, { type ErrorObject } from "ajv";
import { POLICIES } from "../policies";
import type { PolicyDef } from "../policies/types";
import { parseCidr } from "../net/addresses";
import { parsePortSpec } from "../net/ports";
import { DATE_PATTERN, PORT_PATTERN, typeLabel } from "./schema-text";

export const LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

type Schema = Record<string, unknown>;

export interface ValidationResult {
    valid: boolean;
    /** One line each: `<policy>.<option>[...]: <problem>`. */
    errors: string[];
    /** Valid but probably not meant: expired exemptions, `remediate` on a policy that cannot remediate. */
    warnings: string[];
}

// ---------------------------------------------------------------------------
// The schema

const levelSchema = { type: "string", enum: [...LEVELS], description: "An enforcement level." };

/** The JSON Schema of a `--policy-pack-config` file for these policies. */
export function configFileSchema(defs: readonly PolicyDef<any>[] = POLICIES): Schema {
    const properties: Record<string, Schema> = {
        all: {
            description: "The enforcement level of every policy.",
            if: { type: "string" },
            then: levelSchema,
            else: { type: "object", properties: { enforcementLevel: levelSchema }, additionalProperties: false },
        },
    };
    for (const d of defs) {
        // The CLI applies each option's default before it validates: only options without a default can be missing.
        const required = (d.configSchema.required ?? []).filter((k) => !("default" in (d.configSchema.properties[k] ?? {})));
        properties[d.name] = {
            description: d.description,
            if: { type: "string" },
            then: levelSchema,
            else: {
                type: "object",
                properties: { enforcementLevel: levelSchema, ...d.configSchema.properties },
                additionalProperties: false,
                ...(required.length ? { required } : {}),
            },
        };
    }
    return {
        $schema: "http://json-schema.org/draft-07/schema#",
        title: "portguard --policy-pack-config",
        type: "object",
        properties,
        additionalProperties: false,
    };
}

// ---------------------------------------------------------------------------
// Messages

function unescapePointer(seg: string): string {
    return seg.replace(/~1/g, "/").replace(/~0/g, "~");
}

function segmentsOf(instancePath: string): string[] {
    return instancePath === "" ? [] : instancePath.slice(1).split("/").map(unescapePointer);
}

/** `high-risk-ports.exemptions[0].reason` */
function renderPath(segs: readonly (string | number)[]): string {
    let out = "";
    segs.forEach((s, i) => {
        if (typeof s === "number" || /^\d+$/.test(String(s))) out += `[${s}]`;
        else out += i === 0 ? String(s) : `.${s}`;
    });
    return out || "(the file)";
}

function shown(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "an array";
    if (typeof v === "object") return "an object";
    const text = JSON.stringify(v);
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function levenshtein(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
}

/** The closest candidate, if it is close enough to be a typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestD = Infinity;
    for (const c of candidates) {
        const dist = c.toLowerCase() === word.toLowerCase() ? 0 : levenshtein(word.toLowerCase(), c.toLowerCase());
        if (dist < bestD) [best, bestD] = [c, dist];
    }
    return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function unknownKey(kind: string, word: string, candidates: readonly string[]): string {
    const guess = didYouMean(word, candidates);
    return guess ? `unknown ${kind} (did you mean ${guess}?)` : `unknown ${kind} (expected one of: ${candidates.join(", ")})`;
}

function message(e: ErrorObject, defs: readonly PolicyDef<any>[]): { path: string; text: string } {
    const segs = segmentsOf(e.instancePath);
    const at = renderPath(segs);
    const policy = defs.find((d) => d.name === segs[0]);
    const p = e.params as Record<string, any>;
    switch (e.keyword) {
        case "additionalProperties": {
            const key = String(p.additionalProperty);
            const here = renderPath([...segs, key]);
            if (segs.length === 0) return { path: here, text: unknownKey("policy", key, ["all", ...defs.map((d) => d.name)]) };
            if (segs.length === 1 && segs[0] === "all") return { path: here, text: "only enforcementLevel can be set for all policies; options belong to one policy" };
            if (segs.length === 1 && policy) return { path: here, text: unknownKey("option", key, ["enforcementLevel", ...Object.keys(policy.configSchema.properties)]) };
            const known = Object.keys(((e.parentSchema as Schema)?.properties as Schema | undefined) ?? {});
            return { path: here, text: unknownKey("field", key, known) };
        }
        case "required":
            return { path: renderPath([...segs, String(p.missingProperty)]), text: "required, but missing" };
        case "enum":
            if (segs.length === 1 || segs[segs.length - 1] === "enforcementLevel") {
                return { path: at, text: `${shown(e.data)} is not an enforcement level (${LEVELS.join(", ")})` };
            }
            return { path: at, text: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")} (got ${shown(e.data)})` };
        case "type":
            if (segs.length === 1) return { path: at, text: `must be an enforcement level (${LEVELS.join(", ")}) or an object of options (got ${shown(e.data)})` };
            return { path: at, text: `must be ${typeLabel(e.parentSchema as Schema, false)} (got ${shown(e.data)})` };
        case "anyOf":
        case "oneOf":
            return { path: at, text: `must be ${typeLabel(e.parentSchema as Schema, false)} (got ${shown(e.data)})` };
        case "minLength":
            return { path: at, text: p.limit === 1 ? "must not be empty" : `must be at least ${p.limit} characters long` };
        case "pattern":
            return { path: at, text: `must be ${typeLabel(e.parentSchema as Schema, false)} (got ${shown(e.data)})` };
        case "minimum":
        case "maximum":
        case "exclusiveMinimum":
        case "exclusiveMaximum":
            return { path: at, text: `must be ${p.comparison} ${p.limit} (got ${shown(e.data)})` };
        case "minItems":
            return { path: at, text: `must have at least ${p.limit} item${p.limit === 1 ? "" : "s"}` };
        default:
            return { path: at, text: e.message ?? e.keyword };
    }
}

// ---------------------------------------------------------------------------
// Checks the schema cannot express

function isRealDate(text: string): boolean {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
    if (!m) return false;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && !Number.isNaN(new Date(text).getTime());
}

function isPortItems(s: Schema | undefined): boolean {
    const alts = s && Array.isArray(s.anyOf) ? (s.anyOf as Schema[]) : [];
    return alts.some((a) => a.pattern === PORT_PATTERN);
}

/** Values that satisfy the schema but mean nothing (or not what was meant). */
function semanticChecks(name: string, def: PolicyDef<any>, options: Record<string, unknown>, now: Date, errors: string[], warnings: string[]): void {
    const checkPorts = (list: unknown, path: (string | number)[]) => {
        if (!Array.isArray(list)) return;
        list.forEach((v, i) => {
            // Values the schema rejects are reported by it; these pass the schema but are no port.
            if (typeof v === "string" && new RegExp(PORT_PATTERN).test(v) && !parsePortSpec(v)) errors.push(`${renderPath([...path, i])}: ${shown(v)} is not a port or a low-high range within 0-65535`);
        });
    };
    for (const [k, v] of Object.entries(options)) {
        const schema = def.configSchema.properties[k] as Schema | undefined;
        if (!schema) continue;
        if (k === "trustedSources" && Array.isArray(v)) {
            v.forEach((c, i) => {
                if (typeof c !== "string") return;
                const parsed = parseCidr(c);
                if (!parsed.ok) errors.push(`${renderPath([name, k, i])}: ${parsed.problem}`);
            });
        }
        if (schema.type === "array" && isPortItems(schema.items as Schema)) checkPorts(v, [name, k]);
        if (k === "services" && Array.isArray(v)) v.forEach((s, i) => s && typeof s === "object" && checkPorts((s as Schema).ports, [name, k, i, "ports"]));
        if (k === "exemptions" && Array.isArray(v)) {
            v.forEach((e, i) => {
                if (!e || typeof e !== "object" || typeof (e as Schema).expires !== "string") return;
                const expires = (e as Schema).expires as string;
                if (!new RegExp(DATE_PATTERN).test(expires)) return; // the schema reports it
                if (!isRealDate(expires)) errors.push(`${renderPath([name, k, i, "expires"])}: ${shown(expires)} is not a real date (the exemption would never lapse)`);
                else if (now.getTime() > new Date(expires).getTime() + 86_400_000 - 1) {
                    warnings.push(`${renderPath([name, k, i, "expires"])}: expired on ${expires}; the exemption for ${shown((e as Schema).resource)} no longer applies`);
                }
            });
        }
    }
}

// ---------------------------------------------------------------------------
// Validation

const validators = new WeakMap<readonly PolicyDef<any>[], ReturnType<Ajv["compile"]>>();

function validatorFor(defs: readonly PolicyDef<any>[]) {
    let v = validators.get(defs);
    if (!v) {
        const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictTuples: false, allowUnionTypes: true });
        v = ajv.compile(configFileSchema(defs));
        validators.set(defs, v);
    }
    return v;
}

/** Validates a parsed `--policy-pack-config` object (undefined: an empty file, which the CLI accepts). */
export function validateConfig(config: unknown, opts: { defs?: readonly PolicyDef<any>[]; now?: Date } = {}): ValidationResult {
    const defs = opts.defs ?? POLICIES;
    const now = opts.now ?? new Date();
    const errors: string[] = [];
    const warnings: string[] = [];
    if (config === undefined) return { valid: true, errors, warnings };
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        return { valid: false, errors: [`(the file): must be a JSON object of policy names (got ${shown(config)})`], warnings };
    }
    const validate = validatorFor(defs);
    if (!validate(config)) {
        const all = (validate.errors ?? []).filter((e) => e.keyword !== "if");
        // An anyOf says it once: drop what each of its branches said about the same value.
        const anyOfs = all.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
        // An enum names the allowed values: the type error about the same value adds nothing.
        const enums = new Set(all.filter((e) => e.keyword === "enum").map((e) => e.instancePath));
        const kept = all.filter(
            (e) => !anyOfs.some((a) => a !== e && e.instancePath === a.instancePath && e.schemaPath.startsWith(`${a.schemaPath}/`)) && !(e.keyword === "type" && enums.has(e.instancePath)),
        );
        const seen = new Set<string>();
        for (const e of kept) {
            const m = message(e, defs);
            const line = `${m.path}: ${m.text}`;
            if (!seen.has(line)) {
                seen.add(line);
                errors.push(line);
            }
        }
    }
    const withRemediation = new Set(defs.filter((d) => typeof (d as { remediate?: unknown }).remediate === "function").map((d) => d.name));
    for (const [name, value] of Object.entries(config as Record<string, unknown>)) {
        const def = defs.find((d) => d.name === name);
        const level = typeof value === "string" ? value : value && typeof value === "object" ? (value as Schema).enforcementLevel : undefined;
        if (level === "remediate" && def && !withRemediation.has(name)) {
            warnings.push(`${name}: this policy has no automatic remediation; at "remediate" it reports its violations as mandatory`);
        }
        if (level === "remediate" && name === "all") {
            const cannot = defs.filter((d) => !withRemediation.has(d.name)).map((d) => d.name);
            if (cannot.length) warnings.push(`all: ${cannot.join(", ")} cannot remediate; at "remediate" they report their violations as mandatory`);
        }
        if (def && value && typeof value === "object" && !Array.isArray(value)) semanticChecks(name, def, value as Record<string, unknown>, now, errors, warnings);
    }
    // In the file's order: by policy, then as found.
    const order = Object.keys(config as object);
    const rank = (line: string) => {
        const i = order.findIndex((k) => line === k || line.startsWith(`${k}:`) || line.startsWith(`${k}.`) || line.startsWith(`${k}[`));
        return i < 0 ? order.length : i;
    };
    const sorted = errors.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i).map((x) => x.e);
    return { valid: errors.length === 0, errors: sorted, warnings };
}

export class UnreadableConfig extends Error {}

/** Reads and parses a config file as the CLI does (an empty file is no config). */
export function readConfigFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new UnreadableConfig(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (text.trim() === "") return undefined;
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new UnreadableConfig(`${file} is not valid JSON: ${(e as Error).message}`);
    }
}

// ---------------------------------------------------------------------------
// Command line

const USAGE = "usage: portguard-validate-config <policy-pack-config.json> [--now YYYY-MM-DD] | --print-schema";

export function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
    let file: string | undefined;
    let now = new Date();
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--print-schema") {
            out(`${JSON.stringify(configFileSchema(), null, 2)}\n`);
            return 0;
        } else if (a === "-h" || a === "--help") {
            out(`${USAGE}\n`);
            return 0;
        } else if (a === "--now") {
            const v = argv[++i];
            if (!v || !isRealDate(v)) {
                err(`validate-config: --now needs a date YYYY-MM-DD\n${USAGE}\n`);
                return 2;
            }
            now = new Date(v);
        } else if (a.startsWith("-")) {
            err(`validate-config: unknown option ${a}\n${USAGE}\n`);
            return 2;
        } else if (file === undefined) file = a;
        else {
            err(`validate-config: one file at a time\n${USAGE}\n`);
            return 2;
        }
    }
    if (!file) {
        err(`validate-config: missing the config file\n${USAGE}\n`);
        return 2;
    }
    let config: unknown;
    try {
        config = readConfigFile(file);
    } catch (e) {
        err(`validate-config: ${(e as Error).message}\n`);
        return 2;
    }
    const r = validateConfig(config, { now });
    for (const w of r.warnings) err(`${file}: warning: ${w}\n`);
    for (const e of r.errors) err(`${file}: ${e}\n`);
    if (!r.valid) {
        err(`${file}: ${r.errors.length} problem${r.errors.length === 1 ? "" : "s"}; the policy pack config is not valid\n`);
        return 1;
    }
    out(`${file}: valid${config === undefined ? " (empty: every policy at its defaults)" : ""}\n`);
    return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
