/**
 * The HCL evaluator: what Terraform knows about a configuration before it plans, and nothing
 * more. Expressions are evaluated lazily over a module instance (variables, locals, module
 * outputs, resource instances), each named value once. Whatever depends on the provider, a
 * data source or a value nobody set is an `Unknown` carrying the reason and the position of the
 * expression it comes from. While an expression is evaluated, the resource instances it reads
 * are collected (through locals, module inputs and outputs): they are the references the plan
 * reader takes from a plan's `configuration` to join rules to their groups.
 */
import * as path from "node:path";
import { attrOf, where, type Attribute, type Block, type Body, type Expr, type Pos, type TemplatePart } from "./ast";
import { callFunction, EvalError, isSet, findUnknown, hasFunction, InstanceRef, isObj, ModuleRef, toBool, toList, toNum, toSet, toStr, typeName, Unknown, equal, type Obj, type Value } from "./values";

/** What an evaluation reads besides its value. */
export interface Acc {
    /** Resource instance addresses read. */
    refs: Set<string>;
    /** A sensitive variable or output was read. */
    sensitive: boolean;
}

export function newAcc(): Acc {
    return { refs: new Set(), sensitive: false };
}

interface Cached {
    v: Value;
    refs: Set<string>;
    sensitive: boolean;
}

function merge(acc: Acc, c: { refs: Set<string>; sensitive: boolean }): void {
    for (const r of c.refs) acc.refs.add(r);
    if (c.sensitive) acc.sensitive = true;
}

export interface Scope {
    m: ModuleInstanceLike;
    /** count, each, for-expression variables, dynamic iterators */
    b?: Map<string, Value>;
}

/** What the evaluator needs of a module instance (eval.ts does not build the tree). */
export interface ModuleInstanceLike {
    address: string;
    /** Absolute directories of this module and of the root module. */
    dir: string;
    rootDir: string;
    /** `var.NAME` */
    variable(name: string, at: Pos): Cached;
    /** `local.NAME` */
    local(name: string, at: Pos): Cached;
    /** `module.NAME` (with its instances) */
    moduleCall(name: string, at: Pos, acc: Acc): Value;
    /** `TYPE.NAME` when TYPE.NAME is a managed resource of this module; undefined otherwise. */
    resource(type: string, name: string, at: Pos, acc: Acc): Value | undefined;
}

export function unknownAt(why: string, at: Pos): Unknown {
    return new Unknown(why, at);
}

const NO_FUNCTION_REASON = (name: string) => `function ${name}() is not evaluated by portguard`;

export class Evaluator {
    /** Evaluate a value: evaluation errors become Unknown (named at the expression). */
    value(e: Expr, sc: Scope, acc: Acc): Value {
        try {
            return this.ev(e, sc, acc);
        } catch (err) {
            if (err instanceof EvalError) return unknownAt(`${err.message} (Terraform would refuse this expression)`, err.at);
            throw err;
        }
    }

    ev(e: Expr, sc: Scope, acc: Acc): Value {
        switch (e.k) {
            case "lit":
                return e.v;
            case "tmpl":
                return this.template(e.parts, sc, acc, e.pos);
            case "var": {
                const b = sc.b?.get(e.name);
                if (b !== undefined) return b;
                if (e.name === "count" || e.name === "each") throw new EvalError(`${e.name} is only available in a resource or module with ${e.name === "count" ? "count" : "for_each"}`, e.pos);
                throw new EvalError(`unknown name ${JSON.stringify(e.name)}`, e.pos);
            }
            case "attr": {
                const special = this.root(e, sc, acc);
                if (special !== NOT_ROOT) return special;
                return this.getAttr(this.ev(e.obj, sc, acc), e.name, e.pos, acc);
            }
            case "index": {
                const obj = this.ev(e.obj, sc, acc);
                const key = this.ev(e.key, sc, acc);
                return this.getIndex(obj, key, e.pos, acc);
            }
            case "splat": {
                const obj = this.ev(e.obj, sc, acc);
                if (obj instanceof Unknown) return obj;
                const apply = (v: Value): Value => {
                    let x = v;
                    for (const a of e.rest) x = a.k === "attr" ? this.getAttr(x, a.name, e.pos, acc) : this.getIndex(x, this.ev(a.key, sc, acc), e.pos, acc);
                    return x;
                };
                if (obj === null) return [];
                if (Array.isArray(obj)) return obj.map(apply);
                return [apply(obj)];
            }
            case "tuple":
                return e.items.map((i) => this.ev(i, sc, acc));
            case "object": {
                const out: Obj = {};
                for (const [ke, ve] of e.items) {
                    const k = this.ev(ke, sc, acc);
                    if (k instanceof Unknown) return k;
                    out[toStr(k, ke.pos)] = this.ev(ve, sc, acc);
                }
                return out;
            }
            case "call":
                return this.call(e, sc, acc);
            case "cond": {
                const c = this.ev(e.c, sc, acc);
                if (c instanceof Unknown) return c;
                return toBool(c, e.c.pos) ? this.ev(e.t, sc, acc) : this.ev(e.f, sc, acc);
            }
            case "unary": {
                const v = this.ev(e.e, sc, acc);
                if (v instanceof Unknown) return v;
                return e.op === "!" ? !toBool(v, e.pos) : -toNum(v, e.pos);
            }
            case "binary":
                return this.binary(e.op, e.l, e.r, sc, acc, e.pos);
            case "for":
                return this.forExpr(e, sc, acc);
        }
    }

    private binary(op: string, le: Expr, re: Expr, sc: Scope, acc: Acc, at: Pos): Value {
        const l = this.ev(le, sc, acc);
        if (op === "&&" && l === false) return false;
        if (op === "||" && l === true) return true;
        const r = this.ev(re, sc, acc);
        if (op === "==" || op === "!=") {
            const u = findUnknown(l) ?? findUnknown(r);
            if (u) return u;
            return op === "==" ? equal(l, r) : !equal(l, r);
        }
        if (l instanceof Unknown) return l;
        if (r instanceof Unknown) return r;
        switch (op) {
            case "&&":
                return toBool(l, at) && toBool(r, at);
            case "||":
                return toBool(l, at) || toBool(r, at);
            case "+":
                return toNum(l, at) + toNum(r, at);
            case "-":
                return toNum(l, at) - toNum(r, at);
            case "*":
                return toNum(l, at) * toNum(r, at);
            case "/":
                return toNum(l, at) / toNum(r, at);
            case "%":
                return toNum(l, at) % toNum(r, at);
            case "<":
                return toNum(l, at) < toNum(r, at);
            case "<=":
                return toNum(l, at) <= toNum(r, at);
            case ">":
                return toNum(l, at) > toNum(r, at);
            case ">=":
                return toNum(l, at) >= toNum(r, at);
            default:
                throw new EvalError(`operator ${op}`, at);
        }
    }

    private call(e: Extract<Expr, { k: "call" }>, sc: Scope, acc: Acc): Value {
        const name = e.name;
        if (e.name === "try" || e.name === "can") {
            for (const a of e.args) {
                try {
                    const v = this.ev(a, sc, acc);
                    const u = findUnknown(v);
                    if (u) return u;
                    return e.name === "can" ? true : v;
                } catch (err) {
                    if (!(err instanceof EvalError)) throw err;
                    if (e.name === "can") return false;
                }
            }
            throw new EvalError("try: no argument could be evaluated", e.pos);
        }
        if (!hasFunction(name)) {
            for (const a of e.args) this.value(a, sc, acc); // its references still count
            return unknownAt(NO_FUNCTION_REASON(e.name), e.pos);
        }
        let args = e.args.map((a) => this.ev(a, sc, acc));
        if (e.expand) {
            const last = args[args.length - 1];
            if (last instanceof Unknown) return last;
            args = [...args.slice(0, -1), ...toList(last, e.pos)];
        }
        return callFunction(name, args, e.pos);
    }

    private template(parts: TemplatePart[], sc: Scope, acc: Acc, at: Pos): Value {
        // a template that is one interpolation is that value itself
        if (parts.length === 1 && typeof parts[0] !== "string" && parts[0].k === "interp") return this.ev(parts[0].e, sc, acc);
        let out = "";
        for (const p of parts) {
            if (typeof p === "string") {
                out += p;
                continue;
            }
            if (p.k === "interp") {
                const v = this.ev(p.e, sc, acc);
                if (v instanceof Unknown) return v;
                if (v === null) throw new EvalError("a template cannot include null", p.e.pos);
                out += toStr(v, p.e.pos);
            } else if (p.k === "if") {
                const c = this.ev(p.c, sc, acc);
                if (c instanceof Unknown) return c;
                const v = this.template(toBool(c, p.c.pos) ? p.then : p.else, sc, acc, at);
                if (v instanceof Unknown) return v;
                out += toStr(v, at);
            } else {
                const coll = this.ev(p.coll, sc, acc);
                if (coll instanceof Unknown) return coll;
                for (const [k, v] of entries(coll, p.coll.pos)) {
                    const b = new Map(sc.b ?? []);
                    if (p.keyVar) b.set(p.keyVar, k);
                    b.set(p.valVar, v);
                    const s = this.template(p.body, { m: sc.m, b }, acc, at);
                    if (s instanceof Unknown) return s;
                    out += toStr(s, at);
                }
            }
        }
        return out;
    }

    private forExpr(e: Extract<Expr, { k: "for" }>, sc: Scope, acc: Acc): Value {
        const coll = this.ev(e.coll, sc, acc);
        if (coll instanceof Unknown) return coll;
        const list: Value[] = [];
        const obj: Obj = {};
        for (const [k, v] of entries(coll, e.coll.pos)) {
            const b = new Map(sc.b ?? []);
            if (e.keyVar) b.set(e.keyVar, k);
            b.set(e.valVar, v);
            const inner = { m: sc.m, b };
            if (e.cond) {
                const c = this.ev(e.cond, inner, acc);
                if (c instanceof Unknown) return c;
                if (!toBool(c, e.cond.pos)) continue;
            }
            if (!e.object) {
                list.push(this.ev(e.valExpr, inner, acc));
                continue;
            }
            const key = this.ev(e.keyExpr!, inner, acc);
            if (key instanceof Unknown) return key;
            const ks = toStr(key, e.keyExpr!.pos);
            const val = this.ev(e.valExpr, inner, acc);
            if (e.group) {
                const g = (obj[ks] ??= []) as Value[];
                g.push(val);
            } else {
                if (ks in obj) throw new EvalError(`duplicate key ${JSON.stringify(ks)} in a for expression (use ... to group)`, e.keyExpr!.pos);
                obj[ks] = val;
            }
        }
        return e.object ? obj : list;
    }

    getAttr(v: Value, name: string, at: Pos, acc: Acc): Value {
        if (v instanceof Unknown) return v;
        if (v instanceof InstanceRef) {
            acc.refs.add(v.address);
            return v.get(name, at, acc);
        }
        if (v instanceof ModuleRef) return v.get(name, at, acc);
        if (isObj(v)) {
            if (Object.prototype.hasOwnProperty.call(v, name)) return v[name];
            throw new EvalError(`this object has no attribute ${JSON.stringify(name)}`, at);
        }
        if (Array.isArray(v)) throw new EvalError(`a list has no attribute ${JSON.stringify(name)} (use [*] or an index)`, at);
        throw new EvalError(`a ${typeName(v)} has no attribute ${JSON.stringify(name)}`, at);
    }

    getIndex(v: Value, key: Value, at: Pos, acc: Acc): Value {
        if (v instanceof Unknown) return v;
        if (key instanceof Unknown) return key;
        if (Array.isArray(v)) {
            const i = toNum(key, at);
            if (!Number.isInteger(i) || i < 0 || i >= v.length) throw new EvalError(`index ${i} is out of range (${v.length} elements)`, at);
            return v[i];
        }
        if (isObj(v)) {
            const k = toStr(key, at);
            if (Object.prototype.hasOwnProperty.call(v, k)) return v[k];
            throw new EvalError(`no key ${JSON.stringify(k)}`, at);
        }
        if (v instanceof InstanceRef || v instanceof ModuleRef) return this.getAttr(v, toStr(key, at), at, acc);
        throw new EvalError(`a ${typeName(v)} cannot be indexed`, at);
    }

    /** `var.x`, `local.x`, `module.x`, `data.t.n`, `path.*`, `terraform.*`, `count.index`, `each.*`, `TYPE.NAME`. */
    private root(e: Extract<Expr, { k: "attr" }>, sc: Scope, acc: Acc): Value | typeof NOT_ROOT {
        if (e.obj.k === "attr" && e.obj.obj.k === "var" && e.obj.obj.name === "data" && !sc.b?.has("data")) {
            return unknownAt(`data.${e.obj.name}.${e.name} is read from the provider during the plan`, e.pos);
        }
        if (e.obj.k !== "var" || sc.b?.has(e.obj.name)) return NOT_ROOT;
        const name = e.obj.name;
        switch (name) {
            case "var": {
                const c = sc.m.variable(e.name, e.pos);
                merge(acc, c);
                return c.v;
            }
            case "local": {
                const c = sc.m.local(e.name, e.pos);
                merge(acc, c);
                return c.v;
            }
            case "module":
                return sc.m.moduleCall(e.name, e.pos, acc);
            case "data":
                return unknownAt(`data.${e.name} is read from the provider during the plan`, e.pos);
            case "path":
                if (e.name === "module") return path.relative(sc.m.rootDir, sc.m.dir) || ".";
                if (e.name === "root") return ".";
                if (e.name === "cwd") return unknownAt("path.cwd depends on where terraform runs", e.pos);
                throw new EvalError(`path.${e.name} does not exist`, e.pos);
            case "terraform":
                if (e.name === "workspace") return "default";
                return unknownAt(`terraform.${e.name} is known only when terraform runs`, e.pos);
            case "self":
                return unknownAt("self is known only when terraform runs", e.pos);
            case "count":
            case "each":
                throw new EvalError(`${name}.${e.name} is only available in a resource or module with ${name === "count" ? "count" : "for_each"}`, e.pos);
            default: {
                const r = sc.m.resource(name, e.name, e.pos, acc);
                if (r !== undefined) return r;
                throw new EvalError(`a managed resource "${name}" "${e.name}" is not declared in this module`, e.pos);
            }
        }
    }
}

const NOT_ROOT = Symbol("not a root");

/** Elements of a collection as [key, value] (lists: index; maps: key, sorted as Terraform iterates maps). */
export function entries(coll: Value, at: Pos): Array<[Value, Value]> {
    if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
    if (isObj(coll))
        return Object.keys(coll)
            .sort()
            .map((k) => [k, coll[k]]);
    if (coll === null) throw new EvalError("cannot iterate over null", at);
    throw new EvalError(`cannot iterate over a ${typeName(coll)}`, at);
}

/** `for_each` of a resource, module or dynamic block: [key, value] pairs or Unknown. */
export function forEachEntries(v: Value, at: Pos, dynamic: boolean): Array<[Value, Value]> | Unknown {
    if (v instanceof Unknown) return v;
    if (Array.isArray(v)) {
        const u = v.find((x) => x instanceof Unknown);
        if (u instanceof Unknown) return u;
        if (dynamic) return v.map((x, i) => [i, x]);
        // a resource's or module's for_each takes a map or a set of strings (toset(...)); a list
        // is refused by Terraform, so it is not guessed at
        if (!isSet(v)) throw new EvalError("for_each needs a map or a set of strings, not a list (wrap it in toset())", at);
        return v.map((x) => [toStr(x, at), toStr(x, at)]);
    }
    if (isObj(v)) return entries(v, at);
    if (v === null) throw new EvalError("for_each is null", at);
    throw new EvalError(`for_each needs a map or a set of strings, not a ${typeName(v)}`, at);
}

/** `count`: a whole number, or Unknown. */
export function countOf(v: Value, at: Pos): number | Unknown {
    if (v instanceof Unknown) return v;
    const n = toNum(v, at);
    if (!Number.isInteger(n) || n < 0) throw new EvalError(`count must be a whole number, not ${n}`, at);
    return n;
}

export type { Attribute, Block, Body, Cached };
export { attrOf, where };
