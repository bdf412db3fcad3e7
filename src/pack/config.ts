/**
 * Policy options: JSON Schema fragments shared by the policies, and the defaults the pack
 * applies itself (the SDK neither applies defaults nor validates; tests call policies directly).
 */
import { AddressSet, parseCidr, TIERS, type Tier } from "../net/addresses";
import type { Direction } from "../model";
import type { ExposureOptions } from "../analysis/exposure";
import type { PolicyDef } from "../policies/types";

export interface OptionSchema {
    type?: string | string[];
    description: string;
    default: unknown;
    enum?: readonly unknown[];
    items?: Record<string, unknown>;
    minimum?: number;
    maximum?: number;
    [k: string]: unknown;
}

export type ConfigSchema = { properties: Record<string, OptionSchema>; required?: string[] };

export const PORT_ITEM = {
    anyOf: [
        { type: "integer", minimum: 0, maximum: 65535 },
        { type: "string", pattern: "^[0-9]{1,5}(-[0-9]{1,5})?$" },
    ],
};

export const schemas = {
    minExposure: (dflt: Tier): OptionSchema => ({
        type: "string",
        enum: TIERS.filter((t) => t !== "private"),
        default: dflt,
        description: "Lowest exposure of a rule's sources that counts: `public` (any globally reachable address), `wide` (at least a /8 of public IPv4 or a /32 of IPv6), or `internet` (every public address of a family, e.g. 0.0.0.0/0, ::/0, `*`, `Internet`).",
    }),
    trustedSources: (): OptionSchema => ({
        type: "array",
        items: { type: "string" },
        default: [],
        description: "CIDRs that never count as exposure (e.g. your office or VPN egress ranges).",
    }),
    directions: (): OptionSchema => ({
        type: "array",
        items: { type: "string", enum: ["ingress", "egress"] },
        default: ["ingress"],
        description: "Directions to judge: `ingress` judges sources; `egress` also judges destinations.",
    }),
    judgeReturnTrafficRules: (): OptionSchema => ({
        type: "boolean",
        default: false,
        description: "Also judge the ports inside return-traffic rules of stateless ACLs (allows entirely at 1024 or above that contain a whole ephemeral range, such as AWS's recommended inbound 1024-65535).",
    }),
    exemptions: (): OptionSchema => ({
        type: "array",
        default: [],
        description: "Resources this policy does not judge: `{resource, reason, expires?}`. `resource` is a glob (`*` within a segment, `**` across) over the resource name or URN; `reason` is required; after `expires` (an ISO date) the exemption lapses.",
        items: {
            type: "object",
            properties: {
                resource: { type: "string", minLength: 1, description: "Glob over the resource name or URN." },
                reason: { type: "string", minLength: 1, description: "Why the resource is exempt." },
                expires: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}", description: "ISO date after which the exemption lapses." },
            },
            required: ["resource", "reason"],
            additionalProperties: false,
        },
    }),
    honourTagExemptions: (): OptionSchema => ({
        type: "boolean",
        default: true,
        description: "Honour `portguard:exempt` tags (with `portguard:exempt-reason`) on resources and on the stack. Whoever can write those tags can exempt a resource: set false to keep only the `exemptions` of this configuration.",
    }),
};

/** Defaults applied under the given raw config (which wins). */
function withDefaults(schema: ConfigSchema, raw: Record<string, unknown> | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema.properties)) out[k] = structuredClone(s.default);
    for (const [k, v] of Object.entries(raw ?? {})) if (v !== undefined && k !== "enforcementLevel") out[k] = v;
    return out;
}

/** The options every exposure policy shares, parsed. */
export function asExposure(raw: Record<string, unknown>, dflt: Tier): ExposureOptions {
    return {
        minExposure: asTier(raw.minExposure, dflt),
        trustedSources: asAddressSet(raw.trustedSources),
        directions: asDirections(raw.directions),
        judgeReturnTrafficRules: raw.judgeReturnTrafficRules === true,
    };
}

/** The schema of the options every exposure policy shares. */
export function exposureSchemas(dflt: Tier): Record<string, OptionSchema> {
    return {
        minExposure: schemas.minExposure(dflt),
        trustedSources: schemas.trustedSources(),
        directions: schemas.directions(),
        judgeReturnTrafficRules: schemas.judgeReturnTrafficRules(),
        exemptions: schemas.exemptions(),
        honourTagExemptions: schemas.honourTagExemptions(),
    };
}

function asTier(v: unknown, dflt: Tier): Tier {
    return typeof v === "string" && (TIERS as readonly string[]).includes(v) && v !== "private" ? (v as Tier) : dflt;
}

export function asDirections(v: unknown): Direction[] {
    if (!Array.isArray(v)) return ["ingress"];
    const d = v.filter((x): x is Direction => x === "ingress" || x === "egress");
    return d.length ? [...new Set(d)] : ["ingress"];
}

function asAddressSet(v: unknown): AddressSet {
    let set = AddressSet.EMPTY;
    if (!Array.isArray(v)) return set;
    for (const c of v) {
        const p = parseCidr(c);
        if (p.ok) set = set.union(p.set);
    }
    return set;
}

// ---------------------------------------------------------------------------------------------
// A policy's options, resolved once per distinct configuration

const configCache = new WeakMap<PolicyDef<any>, Map<string, unknown>>();

/**
 * The last options each policy resolved, by the identity of their values: the SDK hands every
 * call a fresh shallow copy of the same configured values, so this answers without rendering
 * them (the configured defaults hold long port lists) as resolveConfig's key.
 */
const lastConfig = new WeakMap<PolicyDef<any>, { keys: string[]; values: unknown[]; hit: { config: unknown; full: Record<string, unknown> } }>();

function sameShallow(last: { keys: string[]; values: unknown[] }, raw: Record<string, unknown>): boolean {
    let i = 0;
    for (const k in raw) {
        if (last.keys[i] !== k || last.values[i] !== raw[k]) return false;
        i++;
    }
    return i === last.keys.length;
}

export function resolveConfig<C>(def: PolicyDef<C>, raw: Record<string, unknown> | undefined): { config: C; full: Record<string, unknown> } {
    const plain = !!raw && Object.getPrototypeOf(raw) === Object.prototype;
    const last = plain ? lastConfig.get(def) : undefined;
    if (last && sameShallow(last, raw!)) return last.hit as { config: C; full: Record<string, unknown> };
    const hit = resolveByContent(def, raw);
    if (plain) lastConfig.set(def, { keys: Object.keys(raw!), values: Object.values(raw!), hit });
    return hit;
}

function resolveByContent<C>(def: PolicyDef<C>, raw: Record<string, unknown> | undefined): { config: C; full: Record<string, unknown> } {
    let m = configCache.get(def);
    if (!m) configCache.set(def, (m = new Map()));
    // Keyed by the raw options (small, usually `{}`): defaults are cloned and parsed once per distinct config.
    const key = JSON.stringify(raw ?? {});
    let hit = m.get(key) as { config: C; full: Record<string, unknown> } | undefined;
    if (hit === undefined) {
        const full = withDefaults(def.configSchema, raw);
        hit = { config: def.parseConfig(full), full };
        if (m.size > 32) m.clear();
        m.set(key, hit);
    }
    return hit;
}
