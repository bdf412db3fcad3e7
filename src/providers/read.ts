/**
 * Deliberate, never-throwing reads of resource properties.
 *
 * Props arrive in several shapes: the policy SDK's unknown-checking Proxy (whose target we
 * read directly so one unknown field cannot silence a whole policy), the engine's unknown
 * sentinels, mock unknowns (`{__pulumiUnknown: true}`), and secrets (SDK `Secret` objects or
 * wire-format secret objects, ciphertext in stack exports). Every read records what it could
 * not use as a Problem with the property path.
 */
import type { Problem } from "../model";

export const UNKNOWN: unique symbol = Symbol("unknown");
export const BAD: unique symbol = Symbol("malformed");
export type Read<T> = T | undefined | typeof UNKNOWN | typeof BAD;

const UNKNOWN_SENTINELS = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const PROXY_TARGET = "__getSpecialProxyTarget";

/** How `pulumi policy analyze --file <export>` sends a secret it could not decrypt. */
export const UNDECRYPTED_SECRET = "[secret]";

/** Strip the SDK's proxy and resolve secrets; returns UNKNOWN for unknown values. */
export function unwrap(v: unknown): unknown {
    // (every sentinel is a 36-character UUID: other strings skip the set)
    // `[secret]`: a secret `pulumi policy analyze --file` could not decrypt (a value that exists but cannot be read).
    if (typeof v === "string") return (v.length === 36 && UNKNOWN_SENTINELS.has(v)) || v === UNDECRYPTED_SECRET ? UNKNOWN : v;
    if (v === null || typeof v !== "object") return v;
    let o = v as Record<string, unknown>;
    try {
        const target = o[PROXY_TARGET];
        if (target && typeof target === "object") o = target as Record<string, unknown>;
    } catch {
        return UNKNOWN;
    }
    if ((o as { __pulumiUnknown?: unknown }).__pulumiUnknown === true) return UNKNOWN;
    if (SECRET_SIG_KEY in o) {
        // wire secret: plaintext in `value`, or `ciphertext` in a stack export (unreadable)
        return "value" in o ? unwrap(o.value) : UNKNOWN;
    }
    // @pulumi/policy's Secret wrapper (remediation path); plain objects and lists skip the name
    const ctor = o.constructor;
    if (ctor !== Object && ctor !== Array && ctor && ctor.name === "Secret" && "value" in o) return unwrap(o.value);
    return o;
}

export function isUnknown(v: unknown): boolean {
    return unwrap(v) === UNKNOWN;
}

function kindOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "object") return "an object";
    if (typeof v === "string") return "a string";
    return `a ${typeof v}`;
}

/** A reading context: collects problems for one resource. */
export class Reader {
    readonly problems: Problem[] = [];
    /** The last object raw() unwrapped, and what it unwrapped to: an adapter reads field after field of one object. */
    private lastIn: unknown = undefined;
    private lastOut: unknown = undefined;

    unknown(path: string): typeof UNKNOWN {
        this.problems.push({ kind: "unknown", path, problem: "is not known until apply" });
        return UNKNOWN;
    }
    /** A valid value whose meaning portguard cannot settle (see ProblemKind). */
    ambiguous(path: string, problem: string): void {
        this.problems.push({ kind: "ambiguous", path, problem });
    }
    bad(path: string, problem: string): typeof BAD {
        this.problems.push({ kind: "malformed", path, problem });
        return BAD;
    }

    /** The raw (unwrapped) value of obj[key]; undefined/null mean absent. */
    raw(obj: unknown, key: string): unknown {
        let o: unknown;
        if (obj !== undefined && obj === this.lastIn) o = this.lastOut;
        else {
            o = unwrap(obj);
            if (obj !== null && typeof obj === "object") {
                this.lastIn = obj;
                this.lastOut = o;
            }
        }
        if (o === UNKNOWN) return UNKNOWN;
        if (o === null || typeof o !== "object") return undefined;
        let v: unknown;
        try {
            v = (o as Record<string, unknown>)[key];
        } catch {
            return UNKNOWN;
        }
        return unwrap(v);
    }

    /** An object (record); absent is undefined. */
    obj(obj: unknown, key: string, path: string): Read<Record<string, unknown>> {
        const v = this.raw(obj, key);
        if (v === undefined || v === null) return undefined;
        if (v === UNKNOWN) return this.unknown(path);
        if (typeof v !== "object" || Array.isArray(v)) return this.bad(path, `is ${kindOf(v)}, not an object`);
        return v as Record<string, unknown>;
    }

    /** `quiet`: an unknown value is expected (an id of another resource) and is not a problem. */
    str(obj: unknown, key: string, path: string, quiet = false): Read<string> {
        const v = this.raw(obj, key);
        if (v === undefined || v === null) return undefined;
        if (v === UNKNOWN) return quiet ? UNKNOWN : this.unknown(path);
        if (typeof v === "number" && Number.isFinite(v)) return String(v);
        if (typeof v !== "string") return this.bad(path, `is ${kindOf(v)}, not a string`);
        return v;
    }

    /** An integer; numeric strings are accepted (bridged providers send both). */
    int(obj: unknown, key: string, path: string): Read<number> {
        const v = this.raw(obj, key);
        if (v === undefined || v === null) return undefined;
        if (v === UNKNOWN) return this.unknown(path);
        const n = typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
        if (typeof n !== "number" || !Number.isInteger(n)) return this.bad(path, `is ${kindOf(v)}, not a whole number`);
        return n;
    }

    bool(obj: unknown, key: string, path: string): Read<boolean> {
        const v = this.raw(obj, key);
        if (v === undefined || v === null) return undefined;
        if (v === UNKNOWN) return this.unknown(path);
        if (v === "true" || v === "false") return v === "true";
        if (typeof v !== "boolean") return this.bad(path, `is ${kindOf(v)}, not a boolean`);
        return v;
    }

    /** A list; a non-list is malformed, an absent list is undefined. Elements are unwrapped. */
    list(obj: unknown, key: string, path: string): Read<unknown[]> {
        const v = this.raw(obj, key);
        if (v === undefined || v === null) return undefined;
        if (v === UNKNOWN) return this.unknown(path);
        if (!Array.isArray(v)) return this.bad(path, `is ${kindOf(v)}, not a list`);
        const out: unknown[] = [];
        for (let i = 0; i < v.length; i++) out.push(element(v, i));
        return out;
    }

    /** A list of strings: nulls and non-strings inside are malformed, unknowns recorded. */
    strings(obj: unknown, key: string, path: string, quiet = false): Read<Array<{ value: string; path: string } | typeof UNKNOWN | typeof BAD>> {
        // list() and a map over its result, in one pass (the same reads, problems in the same order)
        const v = this.raw(obj, key);
        if (v === undefined || v === null) return undefined;
        if (v === UNKNOWN) return quiet ? UNKNOWN : this.unknown(path);
        if (!Array.isArray(v)) return this.bad(path, `is ${kindOf(v)}, not a list`);
        const out: Array<{ value: string; path: string } | typeof UNKNOWN | typeof BAD> = [];
        for (let i = 0; i < v.length; i++) {
            const e = element(v, i);
            const p = `${path}[${i}]`;
            if (e === UNKNOWN) out.push(quiet ? UNKNOWN : this.unknown(p));
            else if (typeof e !== "string") out.push(this.bad(p, `is ${kindOf(e)} inside a list of strings`));
            else out.push({ value: e, path: p });
        }
        return out;
    }
}

/** Element i of a list, unwrapped; UNKNOWN when reading it throws (a getter, a revoked proxy). */
function element(list: unknown[], i: number): unknown {
    let e: unknown;
    try {
        e = list[i];
    } catch {
        return UNKNOWN;
    }
    return unwrap(e);
}

/** `ingress[2].cidrBlocks[0]`-style path join. */
export function at(base: string, key: string | number): string {
    if (typeof key === "number") return `${base}[${key}]`;
    return base ? `${base}.${key}` : key;
}
