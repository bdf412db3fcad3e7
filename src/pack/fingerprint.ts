/**
 * Content fingerprints of resource properties, so the engine can adapt a resource once for all
 * the policies of a request. The policy SDK deserializes the properties afresh for every
 * policy (and wraps them in a new proxy), so the copies share no identity: only their content
 * tells that they are the same.
 *
 * The fingerprint is injective over what an adapter can observe: every own string-keyed
 * property of an object (enumerable or not) in order, the elements of a list, strings
 * length-prefixed, numbers in their shortest round-trip form (-0 and NaN kept apart), null /
 * undefined / booleans / bigints tagged. It gives up (undefined: no caching) on anything else
 * an adapter could read differently from equal-looking data: functions, symbols, objects that
 * are not plain (class instances such as the SDK's Secret, null-prototype objects), proxies
 * other than the policy SDK's unknown-checking proxy (read through to its target, as the
 * adapters do), arrays with holes, nesting deeper than MAX_DEPTH (or cycles), and values whose
 * reading throws.
 */
import { types } from "node:util";

const PROXY_TARGET = "__getSpecialProxyTarget";
const MAX_DEPTH = 64;

/** Thrown inside the walk when a value cannot be fingerprinted. */
const GIVE_UP = Symbol("give up");

export function fingerprint(value: unknown): string | undefined {
    try {
        return walk(value, 0);
    } catch {
        return undefined; // GIVE_UP, or a getter that threw
    }
}

// String concatenation (V8 ropes) is ~3x faster here than pushing parts and joining them.
function walk(v: unknown, depth: number): string {
    switch (typeof v) {
        case "string":
            return `s${v.length}:${v}`;
        case "number":
            return Object.is(v, -0) ? "n-0;" : `n${v};`;
        case "boolean":
            return v ? "T" : "F";
        case "undefined":
            return "U";
        case "bigint":
            return `b${v};`;
        case "object":
            break;
        default:
            throw GIVE_UP; // functions, symbols
    }
    if (v === null) return "N";
    if (depth > MAX_DEPTH) throw GIVE_UP;
    let o = v as Record<string, unknown>;
    let out = "";
    if (types.isProxy(o)) {
        const target = o[PROXY_TARGET];
        if (target === null || typeof target !== "object" || types.isProxy(target)) throw GIVE_UP;
        out = "P";
        o = target as Record<string, unknown>;
    }
    if (Array.isArray(o)) {
        // plain arrays only, without holes (map/forEach skip them). Named properties on an
        // array are not part of the fingerprint: the adapters read lists by index only.
        if (Object.getPrototypeOf(o) !== Array.prototype) throw GIVE_UP;
        out += "[";
        for (let i = 0; i < o.length; i++) {
            if (!(i in o)) throw GIVE_UP;
            out += walk(o[i], depth + 1);
        }
        return `${out}]`;
    }
    if (Object.getPrototypeOf(o) !== Object.prototype) throw GIVE_UP;
    out += "{";
    for (const k of Object.getOwnPropertyNames(o)) out += `s${k.length}:${k}${walk(o[k], depth + 1)}`;
    return `${out}}`;
}
