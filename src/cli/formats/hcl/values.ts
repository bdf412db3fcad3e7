/**
 * Values of the HCL evaluator: JSON-like values plus `Unknown` (what cannot be known without a
 * plan, with the reason and the position of the expression it comes from) and lazy references to
 * resource and module instances. Functions are Terraform's, for the ones modules of firewall
 * rules use; any other function gives Unknown (named, never guessed).
 */
import * as ipaddr from "ipaddr.js";
import type { Pos } from "./ast";

export class Unknown {
    constructor(
        readonly why: string,
        readonly at: Pos,
    ) {}
}

/** A resource instance as other expressions see it: its configured attributes, the rest known after apply. */
export class InstanceRef {
    constructor(
        readonly address: string,
        readonly get: (name: string, at: Pos, acc: { refs: Set<string>; sensitive: boolean }) => Value,
    ) {}
}

/** A module instance as its caller sees it: its outputs. */
export class ModuleRef {
    constructor(
        readonly address: string,
        readonly get: (name: string, at: Pos, acc: { refs: Set<string>; sensitive: boolean }) => Value,
    ) {}
}

export type Value = null | string | number | boolean | Value[] | { [k: string]: Value } | Unknown | InstanceRef | ModuleRef;
export type Obj = { [k: string]: Value };

/** An evaluation error (Terraform would refuse the configuration here); `try`/`can` catch it. */
export class EvalError extends Error {
    constructor(
        message: string,
        readonly at: Pos,
    ) {
        super(message);
        this.name = "EvalError";
    }
}

export function isObj(v: Value | undefined): v is Obj {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof InstanceRef) && !(v instanceof ModuleRef);
}

/** The first Unknown inside a value (deep), if any. */
export function findUnknown(v: Value): Unknown | undefined {
    if (v instanceof Unknown) return v;
    if (Array.isArray(v)) {
        for (const x of v) {
            const u = findUnknown(x);
            if (u) return u;
        }
    } else if (isObj(v)) {
        for (const k in v) {
            const u = findUnknown(v[k]);
            if (u) return u;
        }
    }
    return undefined;
}

export function typeName(v: Value): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "list";
    if (v instanceof InstanceRef) return "resource";
    if (v instanceof ModuleRef) return "module";
    if (typeof v === "object") return "object";
    return typeof v;
}

export function toStr(v: Value, at: Pos): string {
    if (typeof v === "string") return v;
    if (typeof v === "number") return String(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    throw new EvalError(`a ${typeName(v)} is not a string`, at);
}

export function toNum(v: Value, at: Pos): number {
    if (typeof v === "number") return v;
    if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
    throw new EvalError(`a ${typeName(v)} is not a number`, at);
}

export function toBool(v: Value, at: Pos): boolean {
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    throw new EvalError(`a ${typeName(v)} is not a bool`, at);
}

export function toList(v: Value, at: Pos): Value[] {
    if (Array.isArray(v)) return v;
    throw new EvalError(`a ${typeName(v)} is not a list`, at);
}

export function toMap(v: Value, at: Pos): Obj {
    if (isObj(v)) return v;
    throw new EvalError(`a ${typeName(v)} is not a map or object`, at);
}

export function equal(a: Value, b: Value): boolean {
    if (a === b) return true;
    if (typeof a === "number" && typeof b === "string") return false;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
    if (isObj(a) && isObj(b)) {
        const ka = Object.keys(a);
        return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
    }
    return false;
}

function distinct(xs: Value[]): Value[] {
    const out: Value[] = [];
    for (const x of xs) if (!out.some((y) => equal(x, y))) out.push(x);
    return out;
}

/** Lists that are sets (made by toset(), setunion() or a set(...) variable type). */
const SETS = new WeakSet<Value[]>();

export function isSet(v: Value[]): boolean {
    return SETS.has(v);
}

/** Terraform's set order: strings sort lexically (numbers numerically); other elements keep their order. */
export function toSet(xs: Value[]): Value[] {
    let d = distinct(xs);
    if (d.every((x) => typeof x === "string")) d = (d as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    else if (d.every((x) => typeof x === "number")) d = (d as number[]).sort((a, b) => a - b);
    SETS.add(d);
    return d;
}

function fmt(spec: string, args: Value[], at: Pos): string {
    let i = 0;
    return spec.replace(/%(%|[-+ #0]*\d*(?:\.\d+)?[sdvqftxXbeEgGo])/g, (m, verb: string) => {
        if (verb === "%") return "%";
        if (i >= args.length) throw new EvalError(`format: not enough arguments for ${m}`, at);
        const a = args[i++];
        const v = verb[verb.length - 1];
        const pad = /(\d+)/.exec(verb.slice(0, -1).replace(/\.\d+$/, ""));
        let s: string;
        if (v === "d") s = String(Math.trunc(toNum(a, at)));
        else if (v === "f") s = toNum(a, at).toFixed(/\.(\d+)/.exec(verb)?.[1] ? Number(/\.(\d+)/.exec(verb)![1]) : 6);
        else if (v === "q") s = JSON.stringify(toStr(a, at));
        else if (v === "x" || v === "X") s = Math.trunc(toNum(a, at)).toString(16)[v === "X" ? "toUpperCase" : "toLowerCase"]();
        else if (v === "b") s = Math.trunc(toNum(a, at)).toString(2);
        else if (v === "o") s = Math.trunc(toNum(a, at)).toString(8);
        else if (v === "t") s = String(toBool(a, at));
        else if (v === "v" && (Array.isArray(a) || isObj(a))) s = JSON.stringify(a);
        else s = toStr(a, at);
        if (pad) {
            const w = Number(pad[1]);
            s = verb.startsWith("-") ? s.padEnd(w) : s.padStart(w, verb.startsWith("0") && v !== "s" ? "0" : " ");
        }
        return s;
    });
}

/** `cidrsubnet(prefix, newbits, netnum)` for IPv4 and IPv6, as Terraform computes it. */
export function cidrsubnet(prefix: string, newbits: number, netnum: number, at: Pos): string {
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    let len: number;
    try {
        [addr, len] = ipaddr.parseCIDR(prefix);
    } catch {
        throw new EvalError(`cidrsubnet: invalid CIDR ${JSON.stringify(prefix)}`, at);
    }
    const bits = addr.kind() === "ipv4" ? 32 : 128;
    const nlen = len + newbits;
    if (newbits < 0 || nlen > bits) throw new EvalError(`cidrsubnet: prefix extension of ${newbits} does not fit in /${len}`, at);
    if (netnum < 0 || BigInt(netnum) >= 1n << BigInt(newbits)) throw new EvalError(`cidrsubnet: netnum ${netnum} does not fit in ${newbits} bits`, at);
    let n = 0n;
    for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
    const hostBits = BigInt(bits - len);
    n = (n >> hostBits) << hostBits; // the network address
    n |= BigInt(netnum) << BigInt(bits - nlen);
    const bytes: number[] = [];
    for (let i = 0; i < bits / 8; i++) bytes.unshift(Number((n >> BigInt(8 * i)) & 0xffn));
    const out = ipaddr.fromByteArray(bytes);
    return `${out.toString()}/${nlen}`;
}

function cidrhost(prefix: string, hostnum: number, at: Pos): string {
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    let len: number;
    try {
        [addr, len] = ipaddr.parseCIDR(prefix);
    } catch {
        throw new EvalError(`cidrhost: invalid CIDR ${JSON.stringify(prefix)}`, at);
    }
    const bits = addr.kind() === "ipv4" ? 32 : 128;
    let n = 0n;
    for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
    const hostBits = BigInt(bits - len);
    const size = 1n << hostBits;
    let h = BigInt(hostnum);
    if (h < 0n) h += size;
    if (h < 0n || h >= size) throw new EvalError(`cidrhost: host number ${hostnum} does not fit in /${len}`, at);
    n = ((n >> hostBits) << hostBits) | h;
    const bytes: number[] = [];
    for (let i = 0; i < bits / 8; i++) bytes.unshift(Number((n >> BigInt(8 * i)) & 0xffn));
    return ipaddr.fromByteArray(bytes).toString();
}

type Fn = (args: Value[], at: Pos) => Value;

const FUNCTIONS: Record<string, Fn> = {
    concat: (a, at) => a.flatMap((x) => toList(x, at)),
    flatten: (a, at) => {
        const out: Value[] = [];
        const walk = (v: Value) => {
            if (Array.isArray(v)) v.forEach(walk);
            else if (v instanceof Unknown) throw v;
            else out.push(v);
        };
        toList(a[0], at).forEach(walk);
        return out;
    },
    merge: (a, at) => {
        const out: Obj = {};
        for (const m of a) if (m !== null) Object.assign(out, toMap(m, at));
        return out;
    },
    lookup: (a, at) => {
        const m = toMap(a[0], at);
        const k = toStr(a[1], at);
        if (Object.prototype.hasOwnProperty.call(m, k)) return m[k];
        if (a.length > 2) return a[2];
        throw new EvalError(`lookup: no key ${JSON.stringify(k)} and no default`, at);
    },
    element: (a, at) => {
        const l = toList(a[0], at);
        if (l.length === 0) throw new EvalError("element: the list is empty", at);
        const i = Math.trunc(toNum(a[1], at));
        if (i < 0) throw new EvalError("element: negative index", at);
        return l[i % l.length];
    },
    length: (a, at) => {
        const v = a[0];
        if (typeof v === "string") return [...v].length;
        if (Array.isArray(v)) return v.length;
        if (isObj(v)) return Object.keys(v).length;
        throw new EvalError(`length: a ${typeName(v)} has no length`, at);
    },
    toset: (a, at) => toSet(toList(a[0], at)),
    tolist: (a, at) => toList(a[0], at).slice(),
    tomap: (a, at) => toMap(a[0], at),
    distinct: (a, at) => distinct(toList(a[0], at)),
    compact: (a, at) => toList(a[0], at).filter((x) => x !== null && x !== ""),
    coalesce: (a, at) => {
        for (const x of a) if (x !== null && x !== "") return x;
        throw new EvalError("coalesce: no non-null, non-empty argument", at);
    },
    coalescelist: (a, at) => {
        for (const x of a) if (toList(x, at).length) return x;
        throw new EvalError("coalescelist: every list is empty", at);
    },
    format: (a, at) => fmt(toStr(a[0], at), a.slice(1), at),
    formatlist: (a, at) => {
        const lists = a.slice(1).filter(Array.isArray) as Value[][];
        const n = lists.length ? lists[0].length : 1;
        return Array.from({ length: n }, (_, i) => fmt(toStr(a[0], at), a.slice(1).map((x) => (Array.isArray(x) ? x[i] : x)), at));
    },
    join: (a, at) => toList(a[a.length - 1], at).map((x) => toStr(x, at)).join(toStr(a[0], at)),
    split: (a, at) => {
        const s = toStr(a[1], at);
        return s === "" ? [""] : s.split(toStr(a[0], at));
    },
    range: (a, at) => {
        const n = a.map((x) => toNum(x, at));
        const [start, limit, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? (n[1] >= n[0] ? 1 : -1)];
        if (step === 0) throw new EvalError("range: step must not be 0", at);
        const out: number[] = [];
        for (let i = start; step > 0 ? i < limit : i > limit; i += step) {
            out.push(i);
            if (out.length > 1024) throw new EvalError("range: more than 1024 numbers", at);
        }
        return out;
    },
    cidrsubnet: (a, at) => cidrsubnet(toStr(a[0], at), toNum(a[1], at), toNum(a[2], at), at),
    cidrhost: (a, at) => cidrhost(toStr(a[0], at), toNum(a[1], at), at),
    tostring: (a, at) => (a[0] === null ? null : toStr(a[0], at)),
    tonumber: (a, at) => (a[0] === null ? null : toNum(a[0], at)),
    tobool: (a, at) => (a[0] === null ? null : toBool(a[0], at)),
    upper: (a, at) => toStr(a[0], at).toUpperCase(),
    lower: (a, at) => toStr(a[0], at).toLowerCase(),
    trimspace: (a, at) => toStr(a[0], at).trim(),
    replace: (a, at) => {
        const s = toStr(a[0], at);
        const f = toStr(a[1], at);
        if (/^\/.*\/$/.test(f)) throw new EvalError("replace: regular expressions are not evaluated", at);
        return s.split(f).join(toStr(a[2], at));
    },
    keys: (a, at) => Object.keys(toMap(a[0], at)).sort(),
    values: (a, at) => {
        const m = toMap(a[0], at);
        return Object.keys(m)
            .sort()
            .map((k) => m[k]);
    },
    contains: (a, at) => toList(a[0], at).some((x) => equal(x, a[1])),
    max: (a, at) => Math.max(...a.map((x) => toNum(x, at))),
    min: (a, at) => Math.min(...a.map((x) => toNum(x, at))),
    abs: (a, at) => Math.abs(toNum(a[0], at)),
    floor: (a, at) => Math.floor(toNum(a[0], at)),
    ceil: (a, at) => Math.ceil(toNum(a[0], at)),
    zipmap: (a, at) => {
        const k = toList(a[0], at);
        const v = toList(a[1], at);
        const out: Obj = {};
        k.forEach((x, i) => (out[toStr(x, at)] = v[i]));
        return out;
    },
    one: (a, at) => {
        const l = toList(a[0], at);
        if (l.length > 1) throw new EvalError("one: more than one element", at);
        return l.length ? l[0] : null;
    },
    sort: (a, at) =>
        toList(a[0], at)
            .map((x) => toStr(x, at))
            .sort(),
    reverse: (a, at) => toList(a[0], at).slice().reverse(),
    slice: (a, at) => toList(a[0], at).slice(toNum(a[1], at), toNum(a[2], at)),
    setunion: (a, at) => toSet(a.flatMap((x) => toList(x, at))),
    startswith: (a, at) => toStr(a[0], at).startsWith(toStr(a[1], at)),
    endswith: (a, at) => toStr(a[0], at).endsWith(toStr(a[1], at)),
    substr: (a, at) => {
        const s = [...toStr(a[0], at)];
        const off = toNum(a[1], at);
        const len = toNum(a[2], at);
        return s.slice(off, len < 0 ? undefined : off + len).join("");
    },
    index: (a, at) => {
        const i = toList(a[0], at).findIndex((x) => equal(x, a[1]));
        if (i < 0) throw new EvalError("index: the value is not in the list", at);
        return i;
    },
    chunklist: (a, at) => {
        const l = toList(a[0], at);
        const n = toNum(a[1], at);
        const out: Value[] = [];
        for (let i = 0; i < l.length; i += n || l.length || 1) out.push(l.slice(i, i + (n || l.length)));
        return out;
    },
};

/** Functions whose arguments may hold unknowns without making the whole result unknown. */
const PASS_UNKNOWN_ELEMENTS = new Set(["concat", "merge", "lookup", "element", "length", "tolist", "tomap", "slice", "reverse", "zipmap", "one", "coalescelist"]);

export function hasFunction(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}

/**
 * Call a function on evaluated arguments. An Unknown argument (or, for functions that read the
 * elements, an Unknown anywhere inside one) makes the result Unknown.
 */
export function callFunction(name: string, args: Value[], at: Pos): Value {
    const fn = FUNCTIONS[name];
    for (const a of args) {
        const u = PASS_UNKNOWN_ELEMENTS.has(name) ? (a instanceof Unknown ? a : undefined) : findUnknown(a);
        if (u) return u;
    }
    try {
        return fn(args, at);
    } catch (e) {
        if (e instanceof Unknown) return e;
        throw e;
    }
}
