/**
 * The writer API remediation uses: rule writers (providers whose inline rule lists portguard
 * can add entries to), and the reading and in-place writing of a resource's props.
 *
 * Rule writers for remediation: providers whose inline rule lists portguard can add entries
 * to. A provider opts in by exporting `writers` (and `MAX_ORDER`) and being listed here.
 */
import type { RuleWriter } from "../model/edits";
import * as aws from "./aws";
import { unwrap, UNKNOWN } from "./read";

const PROVIDERS: Array<{ writers: Record<string, RuleWriter>; MAX_ORDER: Record<string, number> }> = [aws];

export function writerFor(type: string): { write: RuleWriter; maxOrder: number } | undefined {
    for (const p of PROVIDERS) {
        const w = p.writers[type];
        if (w) return { write: w, maxOrder: p.MAX_ORDER[type] ?? Number.MAX_SAFE_INTEGER };
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading and writing a resource's props (remediation edits them in place, so secrets stay secret)

const PROXY_TARGET = "__getSpecialProxyTarget";

/** The innermost object behind the SDK's proxies (its elements keep their Secret wrappers): where edits are written in place. */
export function innermost(v: unknown): unknown {
    let o = v;
    for (let i = 0; i < 4 && o !== null && typeof o === "object"; i++) {
        let t: unknown;
        try {
            t = (o as Record<string, unknown>)[PROXY_TARGET];
        } catch {
            return o;
        }
        if (!t || t === o || typeof t !== "object") break;
        o = t;
    }
    return o;
}

/** A plain, unwrapped deep copy of a resource's props (secrets as their values, unknowns as UNKNOWN): what edits are tried on first. */
export function plain(v: unknown, depth = 0): unknown {
    if (depth > 64) return undefined;
    const u = unwrap(v);
    if (u === UNKNOWN || u === null || typeof u !== "object") return u;
    const t = innermost(u);
    if (Array.isArray(t)) return Array.from(t, (e) => plain(e, depth + 1));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(t as object)) out[k] = plain((t as Record<string, unknown>)[k], depth + 1);
    return out;
}

/** Whether a plain copy holds a value not known until apply (such a resource is never edited). */
export function containsUnknown(v: unknown, depth = 0): boolean {
    if (v === UNKNOWN) return true;
    if (depth > 64 || v === null || typeof v !== "object") return false;
    return Object.values(v as object).some((x) => containsUnknown(x, depth + 1));
}

