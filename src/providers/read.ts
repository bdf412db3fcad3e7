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
    return unwrapNoting(v);
}

/** Set by unwrapNoting when the value it unwrapped was a secret (reset by the caller; no allocation per read). */
let sawSecret = false;

/**
 * unwrap(), setting `sawSecret` when the value was a secret: everything a secret holds is
 * secret, down to its leaves (see Reader).
 */
function unwrapNoting(v: unknown): unknown {
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
        sawSecret = true;
        return "value" in o ? unwrapNoting(o.value) : UNKNOWN;
    }
    // @pulumi/policy's Secret wrapper (remediation path); plain objects and lists skip the name
    const ctor = o.constructor;
    if (ctor !== Object && ctor !== Array && ctor && ctor.name === "Secret" && "value" in o) {
        sawSecret = true;
        return unwrapNoting(o.value);
    }
    return o;
}

// ---------------------------------------------------------------------------------------------
// Secrets (the secret rule, README "Semantics"): a value read from inside a secret is judged like
// any other, but never written out. Every Reader notes the plaintexts it reads from inside a
// secret (strings, and numbers as written); while a resource is modelled (collectSecrets), they
// are also gathered for the whole resource, so the engine can scrub what a finding still quotes.

/** What a message writes where a secret value would go. */
export const SECRET_TEXT = "[secret]";

/** Plaintexts known to be secret before reading (the pack's request, see registerSecretTexts). */
const registered = new WeakMap<object, readonly string[]>();
/** The secret plaintexts of the resource being modelled, if one is (collectSecrets). */
let active: Set<string> | undefined;

/** The innermost object behind the SDK's proxy (props as they arrived). */
export function proxyTarget(v: unknown): unknown {
    if (v === null || typeof v !== "object") return v;
    try {
        const t = (v as Record<string, unknown>)[PROXY_TARGET];
        return t && typeof t === "object" ? t : v;
    } catch {
        return v;
    }
}

/**
 * Declare the secret plaintexts of a props object whose secrets were already unwrapped before
 * portguard saw it (the policy SDK's Analyze path: see src/pack/secrets.ts).
 */
export function registerSecretTexts(props: object, texts: readonly string[]): void {
    if (texts.length) registered.set(props, texts);
}

/** Plaintexts registered for these props (through the SDK's proxy). */
export function registeredSecretTexts(props: unknown): readonly string[] | undefined {
    const t = proxyTarget(props);
    return t !== null && typeof t === "object" ? registered.get(t) : undefined;
}

/**
 * Run `f` (an adapter) with the secret plaintexts of one resource gathered: those `known`
 * beforehand and those every Reader meets while `f` runs. Nested calls keep the outer set.
 */
export function collectSecrets<T>(known: readonly string[] | undefined, f: () => T): { result: T; secrets: string[] } {
    const outer = active;
    const mine = new Set<string>(known ?? []);
    active = mine;
    try {
        const result = f();
        return { result, secrets: [...mine] };
    } finally {
        active = outer;
        if (outer) for (const s of mine) outer.add(s);
    }
}

/** Whether `text` is, or is a delimited part of (Tencent's `ACTION#CIDR#PORT#PROTOCOL`), a secret of the resource being modelled. */
export function isSecretText(text: string, own?: ReadonlySet<string>): boolean {
    const a = own !== undefined && own.size > 0;
    const b = active !== undefined && active.size > 0;
    if ((!a && !b) || text === "") return false;
    const t = text.trim();
    return (a && inSet(own!, text, t)) || (b && inSet(active!, text, t));
}

function inSet(set: ReadonlySet<string>, text: string, t: string): boolean {
    if (set.has(text) || set.has(t)) return true;
    for (const s of set) if (s.length > t.length && t !== "" && findBounded(s, t) >= 0) return true;
    return false;
}

const WORD = /[A-Za-z0-9_]/;
const JOINER = /[.:/]/;

/**
 * Where `needle` occurs in `hay` as a whole token: not inside a word, a number, an address or
 * a CIDR, nor a list index of a property path (`1` is not found in `10.0.0.0/8` or `ingress[1]`;
 * it is in `port 1 is` and `1-1024`).
 */
function findBounded(hay: string, needle: string, from = 0): number {
    for (let i = hay.indexOf(needle, from); i >= 0; i = hay.indexOf(needle, i + 1)) {
        const b = hay[i - 1];
        const b2 = hay[i - 2];
        const a = hay[i + needle.length];
        const a2 = hay[i + needle.length + 1];
        const leftOk = b === undefined || (!WORD.test(b) && !(JOINER.test(b) && b2 !== undefined && WORD.test(b2) && WORD.test(needle[0])));
        const rightOk = a === undefined || (!WORD.test(a) && !(JOINER.test(a) && a2 !== undefined && WORD.test(a2) && WORD.test(needle[needle.length - 1])));
        // `ingress[1]`: a list index in a property path, not a value
        const index = b === "[" && a === "]" && /^\d+$/.test(needle);
        if (leftOk && rightOk && !index) return i;
    }
    return -1;
}

/**
 * `text` with every secret it quotes written as `[secret]`: quoted values (`"..."`, possibly
 * cut short by clip) that are a secret or part of one, and any other whole-token occurrence of
 * a secret plaintext. Longer secrets are replaced first.
 */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
    const list = [...new Set([...secrets].map((s) => s.trim()).filter((s) => s !== ""))].sort((a, b) => b.length - a.length);
    if (list.length === 0) return text;
    // Quoted values first: `"<value>"` or `"<start of value>..."`.
    let out = text.replace(/"([^"]*)"/g, (m, q: string) => {
        const body = q.endsWith("...") ? q.slice(0, -3) : q;
        const b = body.trim();
        if (b === "") return m;
        if (b === SECRET_TEXT) return SECRET_TEXT;
        const cut = q.endsWith("...");
        return list.some((s) => s === b || (cut && s.startsWith(b)) || findBounded(s, b) >= 0) ? SECRET_TEXT : m;
    });
    for (const s of list) {
        let i = findBounded(out, s);
        while (i >= 0) {
            out = out.slice(0, i) + SECRET_TEXT + out.slice(i + s.length);
            i = findBounded(out, s, i + SECRET_TEXT.length);
        }
    }
    return out;
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
    /** Plaintexts read from inside a secret (strings, and numbers as written). */
    readonly secrets = new Set<string>();
    /** Objects and lists read from inside a secret: everything below them is secret too. */
    private readonly secretObjects = new WeakSet<object>();
    private anySecretObject = false;
    /** The last object raw() unwrapped, and what it unwrapped to: an adapter reads field after field of one object. */
    private lastIn: unknown = undefined;
    private lastOut: unknown = undefined;
    private lastSecret = false;

    unknown(path: string): typeof UNKNOWN {
        this.problems.push({ kind: "unknown", path, problem: "is not known until apply" });
        return UNKNOWN;
    }
    /** A valid value whose meaning portguard cannot settle (see ProblemKind). */
    ambiguous(path: string, problem: string): void {
        this.problems.push({ kind: "ambiguous", path, problem: this.scrub(problem) });
    }
    bad(path: string, problem: string): typeof BAD {
        this.problems.push({ kind: "malformed", path, problem: this.scrub(problem) });
        return BAD;
    }

    /** Whether `text` came from inside a secret (this reader's, or the resource's being modelled). */
    isSecret(text: string): boolean {
        return isSecretText(text, this.secrets);
    }

    /** Note a text derived from a secret (a CIDR's canonical form) as secret too. */
    noteSecretText(t: string): void {
        this.noteSecret(t);
    }

    /** Note a value read from inside a secret. */
    private noteSecret(v: unknown): void {
        if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) {
            const t = String(v).trim();
            if (t === "") return;
            this.secrets.add(t);
            active?.add(t);
        } else if (v !== null && typeof v === "object") {
            this.secretObjects.add(v);
            this.anySecretObject = true;
        }
    }

    /** A problem as recorded: any secret it quotes is written `[secret]`. */
    private scrub(problem: string): string {
        if (this.secrets.size === 0 && (active === undefined || active.size === 0)) return problem;
        return scrubSecrets(problem, active ? [...this.secrets, ...active] : this.secrets);
    }

    /** unwrap(v), noting it when it is, or sits inside, a secret (`inside`). */
    private unwrapIn(v: unknown, inside: boolean): unknown {
        sawSecret = false;
        const u = unwrapNoting(v);
        if ((inside || sawSecret) && u !== UNKNOWN) this.noteSecret(u);
        return u;
    }

    /** Whether an object or list (as read) is inside a secret. */
    private insideSecret(o: unknown): boolean {
        return this.anySecretObject && o !== null && typeof o === "object" && this.secretObjects.has(o);
    }

    /** The raw (unwrapped) value of obj[key]; undefined/null mean absent. */
    raw(obj: unknown, key: string): unknown {
        let o: unknown;
        let inside: boolean;
        if (obj !== undefined && obj === this.lastIn) {
            o = this.lastOut;
            inside = this.lastSecret;
        } else {
            sawSecret = false;
            o = unwrapNoting(obj);
            inside = sawSecret || this.insideSecret(obj) || this.insideSecret(o);
            if (inside && o !== null && typeof o === "object") this.noteSecret(o);
            if (obj !== null && typeof obj === "object") {
                this.lastIn = obj;
                this.lastOut = o;
                this.lastSecret = inside;
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
        return this.unwrapIn(v, inside);
    }

    /** Element i of a list read by raw(), unwrapped (secret when the list is). */
    private element(list: unknown[], i: number): unknown {
        let e: unknown;
        try {
            e = list[i];
        } catch {
            return UNKNOWN;
        }
        return this.unwrapIn(e, this.insideSecret(list));
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
        for (let i = 0; i < v.length; i++) out.push(this.element(v, i));
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
            const e = this.element(v, i);
            const p = `${path}[${i}]`;
            if (e === UNKNOWN) out.push(quiet ? UNKNOWN : this.unknown(p));
            else if (typeof e !== "string") out.push(this.bad(p, `is ${kindOf(e)} inside a list of strings`));
            else out.push({ value: e, path: p });
        }
        return out;
    }
}

/** `ingress[2].cidrBlocks[0]`-style path join. */
export function at(base: string, key: string | number): string {
    if (typeof key === "number") return `${base}[${key}]`;
    return base ? `${base}.${key}` : key;
}
