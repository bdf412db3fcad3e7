/**
 * Content snapshots of resource properties, so the engine can adapt a resource once for all
 * the policies of a request. The policy SDK deserializes the properties afresh for every
 * policy (and wraps them in a new proxy), so the copies share no identity: only their content
 * tells that they are the same.
 *
 * `snapshot` copies the properties (the first time a resource is seen); `matches` then compares
 * a later copy with it, walking both without allocating (a string fingerprint per policy cost
 * more time and garbage than adapting some resources). Equality is exactly what an adapter can
 * observe: every own string-keyed property of an object in the same order (all enumerable),
 * the elements of a list, and leaves equal by Object.is (so -0 and 0, NaN, null and undefined
 * are told apart). Both give up (undefined / false: no reuse) on anything else an adapter could
 * read differently from equal-looking data: functions, symbols, objects that are not plain
 * (class instances such as the SDK's Secret, null-prototype objects), proxies other than the
 * policy SDK's unknown-checking proxy (read through to its target, as the adapters do),
 * properties that are not enumerable, arrays with holes, nesting deeper than MAX_DEPTH (or
 * cycles), and values whose reading throws.
 */
import { types } from "node:util";

const PROXY_TARGET = "__getSpecialProxyTarget";
const isEnumerable = Object.prototype.propertyIsEnumerable;
const MAX_DEPTH = 64;

/** Thrown inside a walk when a value cannot be snapshotted. */
const GIVE_UP = Symbol("give up");

export interface Snapshot {
    /** The value was the policy SDK's proxy (the adapters read its target). */
    proxied: boolean;
    data: unknown;
}

/** The plain object or array behind `v` (through the SDK's proxy), or GIVE_UP. */
function plain(v: object): { o: Record<string, unknown> | unknown[]; proxied: boolean } {
    let o = v as Record<string, unknown>;
    let proxied = false;
    if (types.isProxy(o)) {
        const target = o[PROXY_TARGET];
        if (target === null || typeof target !== "object" || types.isProxy(target)) throw GIVE_UP;
        o = target as Record<string, unknown>;
        proxied = true;
    }
    const proto = Object.getPrototypeOf(o);
    if (Array.isArray(o) ? proto !== Array.prototype : proto !== Object.prototype) throw GIVE_UP;
    return { o, proxied };
}

export function snapshot(value: unknown): Snapshot | undefined {
    try {
        if (value !== null && typeof value === "object") {
            const { o, proxied } = plain(value);
            return { proxied, data: copy(o, 0) };
        }
        return { proxied: false, data: copy(value, 0) };
    } catch {
        return undefined; // GIVE_UP, or a getter that threw
    }
}

function copy(v: unknown, depth: number): unknown {
    switch (typeof v) {
        case "string":
        case "number":
        case "boolean":
        case "undefined":
        case "bigint":
            return v;
        case "object":
            break;
        default:
            throw GIVE_UP; // functions, symbols
    }
    if (v === null) return null;
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const { o, proxied } = plain(v);
    if (proxied) throw GIVE_UP; // nested proxies: not what the SDK sends
    if (Array.isArray(o)) {
        const out = new Array<unknown>(o.length);
        for (let i = 0; i < o.length; i++) {
            // no holes: map/forEach skip them. Named properties on an array are not compared:
            // the adapters read lists by index only.
            if (!(i in o)) throw GIVE_UP;
            out[i] = copy(o[i], depth + 1);
        }
        return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.getOwnPropertyNames(o)) {
        // Not enumerable: Object.keys/entries would not show it, a copy could not say so.
        if (!isEnumerable.call(o, k)) throw GIVE_UP;
        const v = copy(o[k], depth + 1);
        // (an own "__proto__" key must stay an own data property, not set the prototype)
        if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        else out[k] = v;
    }
    return out;
}

/** Whether `value` has exactly the content of the snapshot (false also when it cannot be compared). */
export function matches(s: Snapshot, value: unknown): boolean {
    try {
        if (value !== null && typeof value === "object") {
            const { o, proxied } = plain(value);
            return proxied === s.proxied && same(s.data, o, 0);
        }
        return !s.proxied && same(s.data, value, 0);
    } catch {
        return false;
    }
}

function same(a: unknown, v: unknown, depth: number): boolean {
    if (typeof v !== "object" || v === null) {
        if (typeof v === "function" || typeof v === "symbol") return false;
        return Object.is(a, v);
    }
    if (a === null || typeof a !== "object" || depth > MAX_DEPTH) return false;
    const { o, proxied } = plain(v);
    if (proxied) return false;
    if (Array.isArray(o)) {
        if (!Array.isArray(a) || a.length !== o.length) return false;
        for (let i = 0; i < o.length; i++) if (!(i in o) || !same(a[i], o[i], depth + 1)) return false;
        return true;
    }
    if (Array.isArray(a)) return false;
    const names = Object.getOwnPropertyNames(o);
    const rec = a as Record<string, unknown>;
    let i = 0;
    for (const k in rec) {
        if (names[i] !== k || !isEnumerable.call(o, k) || !same(rec[k], o[k], depth + 1)) return false;
        i++;
    }
    return i === names.length;
}
