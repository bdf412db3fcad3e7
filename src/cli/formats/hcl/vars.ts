/**
 * Root module variable values, with Terraform's precedence (later wins): the declared default,
 * then `TF_VAR_<name>` environment variables, `terraform.tfvars`, `terraform.tfvars.json`,
 * `*.auto.tfvars` / `*.auto.tfvars.json` in lexical order, then the `--var-file` and `--var
 * name=value` options together, in the order given on the command line (a later one overrides
 * an earlier one, whichever its kind), as Terraform's "Variable Definition Precedence" says
 * (developer.hashicorp.com/terraform/language/values/variables). Values from the
 * environment and `--var` are strings for a `string` (or untyped) variable and HCL expressions
 * otherwise, as Terraform reads them. Values are converted to the declared type.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../types";
import type { Expr, Pos } from "./ast";
import { Evaluator, newAcc, type ModuleInstanceLike } from "./eval";
import { parseHcl } from "./parser";
import { EvalError, isObj, toBool, toNum, toSet, toStr, typeName, Unknown, type Obj, type Value } from "./values";

/** One `--var name=value` or `--var-file <file>` option, as given on the command line. */
export interface VarArg {
    kind: "var" | "var-file";
    /** `name=value`, or the file's path (relative to the working directory). */
    value: string;
}

export interface VarOptions {
    /** The `--var` and `--var-file` options, interleaved in command-line order (later wins). */
    vars?: readonly VarArg[];
    env?: Record<string, string | undefined>;
}

export type RootValue = { kind: "value"; v: Value; at: Pos } | { kind: "raw"; text: string; at: Pos };

const CONST_SCOPE: ModuleInstanceLike = {
    address: "",
    dir: ".",
    rootDir: ".",
    variable: (_n, at) => {
        throw new EvalError("a variable value cannot refer to variables", at);
    },
    local: (_n, at) => {
        throw new EvalError("a variable value cannot refer to locals", at);
    },
    moduleCall: (_n, at) => {
        throw new EvalError("a variable value cannot refer to modules", at);
    },
    resource: (_t, _n, at) => {
        throw new EvalError("a variable value cannot refer to resources", at);
    },
};

/** A constant expression (tfvars, --var): functions and literals only. */
export function constValue(e: Expr): Value {
    const ev = new Evaluator();
    try {
        return ev.ev(e, { m: CONST_SCOPE }, newAcc());
    } catch (err) {
        if (err instanceof EvalError) throw new InputError(`${err.at.file}:${err.at.line}: ${err.message}`);
        throw err;
    }
}

function jsonToValue(v: unknown): Value {
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    if (Array.isArray(v)) return v.map(jsonToValue);
    const out: Obj = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = jsonToValue(x);
    return out;
}

function readVarFile(abs: string, rel: string, into: Map<string, RootValue>): void {
    let text: string;
    try {
        text = fs.readFileSync(abs, "utf8");
    } catch (e) {
        throw new InputError(`${rel}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (abs.endsWith(".json")) {
        let doc: unknown;
        try {
            doc = JSON.parse(text);
        } catch (e) {
            throw new InputError(`${rel}: not valid JSON: ${e instanceof Error ? e.message.split("\n")[0] : "parse error"}`);
        }
        if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new InputError(`${rel}: a variables file is one JSON object`);
        const at: Pos = { file: rel, line: 1, column: 1, endLine: 1 };
        for (const [k, v] of Object.entries(doc as Record<string, unknown>)) into.set(k, { kind: "value", v: jsonToValue(v), at });
        return;
    }
    const f = parseHcl(text, rel);
    if (f.body.blocks.length) {
        const b = f.body.blocks[0];
        throw new InputError(`${rel}:${b.pos.line}: a variables file holds only name = value lines`);
    }
    for (const a of f.body.attrs) into.set(a.name, { kind: "value", v: constValue(a.expr), at: a.pos });
}

/** Every value set for the root module's variables, by name (the highest precedence kept). */
export function rootValues(rootDir: string, opts: VarOptions, rel: (abs: string) => string): Map<string, RootValue> {
    const out = new Map<string, RootValue>();
    const env = opts.env ?? {};
    for (const [k, v] of Object.entries(env)) {
        if (k.startsWith("TF_VAR_") && v !== undefined) out.set(k.slice(7), { kind: "raw", text: v, at: { file: `$${k}`, line: 1, column: 1, endLine: 1 } });
    }
    let names: string[] = [];
    try {
        names = fs.readdirSync(rootDir).sort();
    } catch {
        names = [];
    }
    for (const n of ["terraform.tfvars", "terraform.tfvars.json"]) if (names.includes(n)) readVarFile(path.join(rootDir, n), rel(path.join(rootDir, n)), out);
    for (const n of names) if (/\.auto\.tfvars(\.json)?$/.test(n)) readVarFile(path.join(rootDir, n), rel(path.join(rootDir, n)), out);
    for (const a of opts.vars ?? []) {
        if (a.kind === "var-file") {
            readVarFile(path.resolve(a.value), a.value, out);
            continue;
        }
        const s = a.value;
        const i = s.indexOf("=");
        if (i <= 0) throw new InputError(`--var ${JSON.stringify(s)}: expected name=value`);
        const name = s.slice(0, i).trim();
        out.set(name, { kind: "raw", text: s.slice(i + 1), at: { file: `--var ${name}`, line: 1, column: 1, endLine: 1 } });
    }
    return out;
}

/** True when a type constraint is absent or a primitive string. */
function isStringType(t: Expr | undefined): boolean {
    return !t || (t.k === "var" && t.name === "string");
}

/** A raw string (environment, --var) read for a declared type. */
export function rawValue(text: string, type: Expr | undefined, at: Pos): Value {
    if (isStringType(type)) return text;
    if (type?.k === "var" && (type.name === "number" || type.name === "bool")) return text;
    let f;
    try {
        f = parseHcl(`v = ${text}\n`, at.file);
    } catch (e) {
        throw new InputError(`${at.file}: not a valid value for this variable's type (${e instanceof Error ? e.message.replace(/^[^:]*:\d+:\d+: /, "") : "syntax error"})`);
    }
    return constValue(f.body.attrs[0].expr);
}

/** Convert a value to a type constraint (Terraform's conversions); throws EvalError when it cannot. */
export function convert(v: Value, t: Expr | undefined, at: Pos): Value {
    if (!t || v === null || v instanceof Unknown) return v;
    if (t.k === "var") {
        switch (t.name) {
            case "string":
                return toStr(v, at);
            case "number":
                return toNum(v, at);
            case "bool":
                return toBool(v, at);
            default:
                return v; // any
        }
    }
    if (t.k === "call") {
        const inner = t.args[0];
        switch (t.name) {
            case "list":
            case "set": {
                const l = Array.isArray(v) ? v : isObj(v) ? null : null;
                if (!l) throw new EvalError(`a ${typeName(v)} is not a ${t.name}`, at);
                const c = l.map((x) => convert(x, inner, at));
                return t.name === "set" ? toSet(c) : c;
            }
            case "map": {
                if (!isObj(v)) throw new EvalError(`a ${typeName(v)} is not a map`, at);
                const out: Obj = {};
                for (const k of Object.keys(v)) out[k] = convert(v[k], inner, at);
                return out;
            }
            case "tuple": {
                if (!Array.isArray(v) || inner?.k !== "tuple") return v;
                return v.map((x, i) => convert(x, inner.items[i], at));
            }
            case "object": {
                if (!isObj(v)) throw new EvalError(`a ${typeName(v)} is not an object`, at);
                if (inner?.k !== "object") return v;
                const out: Obj = {};
                for (const [ke, te] of inner.items) {
                    const k = ke.k === "lit" ? String(ke.v) : "";
                    let ty: Expr | undefined = te;
                    let dflt: Value = null;
                    if (te.k === "call" && te.name === "optional") {
                        ty = te.args[0];
                        if (te.args[1]) dflt = constValue(te.args[1]);
                    } else if (!(k in v)) {
                        throw new EvalError(`attribute ${JSON.stringify(k)} is required`, at);
                    }
                    out[k] = convert(k in v && v[k] !== null ? v[k] : dflt, ty, at);
                }
                return out;
            }
            case "optional":
                return convert(v, inner, at);
        }
    }
    return v;
}
