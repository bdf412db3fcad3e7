/**
 * A Terraform root module (its `.tf` files, no plan) -> the ScanInput the plan reader makes:
 * one ResourceInput per managed resource instance, renamed by tfnames.ts to its Pulumi twin,
 * with the same synthetic URNs and addresses (`module.db.aws_security_group_rule.x[0]`), and
 * `propertyDependencies` from the resource instances each attribute's expression reads (what
 * the plan reader takes from the plan's `configuration` references), so separate rules join
 * their groups. Unknown values become the engine's unknown sentinel; every property path keeps
 * the source position of the attribute or block that sets it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { terraformUrn } from "../terraform";
import { TERRAFORM_TYPES, pulumiKey, toPulumiProps } from "../tfnames";
import { InputError, UNKNOWN_SENTINEL, type ScanInput, type ScanNotice, type ScanResource, type SourceLocation, type Suppression } from "../types";
import { attrOf, where, type Block, type Body, type Comment, type Pos } from "./ast";
import { countOf, Evaluator, forEachEntries, newAcc, unknownAt, type Acc, type Cached, type ModuleInstanceLike, type Scope } from "./eval";
import { readModule, type ModuleConfig } from "./module";
import { parseSuppression } from "./suppress";
import { EvalError, InstanceRef, isObj, ModuleRef, toStr, Unknown, type Obj, type Value } from "./values";
import { convert, rawValue, rootValues, constValue, type RootValue, type VarOptions } from "./vars";

export type HclOptions = VarOptions;

type Expansion = { kind: "single" } | { kind: "count"; n: number } | { kind: "for_each"; entries: Array<[Value, Value]> } | { kind: "unknown"; why: Unknown };

function keyText(k: Value): string {
    return typeof k === "number" ? `[${k}]` : `[${JSON.stringify(k)}]`;
}

function loc(p: Pos): SourceLocation {
    return { file: p.file.split(path.sep).join("/"), line: p.line, column: p.column };
}

const META_ATTRS = new Set(["count", "for_each", "provider", "depends_on"]);
const META_BLOCKS = new Set(["lifecycle", "provisioner", "connection"]);

interface InstanceOut {
    values: Obj;
    locations: Map<string, SourceLocation>;
    unknowns: Map<string, { why: string; at: SourceLocation }>;
    deps: Map<string, Set<string>>;
    suppressions: Suppression[];
    sensitive: Set<string>;
}

class Reader {
    readonly ev = new Evaluator();
    readonly configs = new Map<string, ModuleConfig>();
    readonly notices: ScanNotice[] = [];
    readonly noticed = new Set<string>();
    /** Data source blocks of every module instance read (left out, as the plan reader leaves them out). */
    dataSources = 0;
    modulesJson: Map<string, string> | undefined;

    constructor(
        readonly rootDir: string,
        readonly roots: Map<string, RootValue>,
    ) {}

    config(dir: string): ModuleConfig {
        let c = this.configs.get(dir);
        if (!c) this.configs.set(dir, (c = readModule(dir, this.rootDir)));
        return c;
    }

    /** `.terraform/modules/modules.json`: module call key (`a.b`) -> directory. */
    installed(): Map<string, string> {
        if (this.modulesJson) return this.modulesJson;
        const m = new Map<string, string>();
        const file = path.join(this.rootDir, ".terraform", "modules", "modules.json");
        try {
            const doc = JSON.parse(fs.readFileSync(file, "utf8")) as { Modules?: Array<{ Key?: string; Dir?: string }> };
            for (const e of doc.Modules ?? []) if (typeof e.Key === "string" && typeof e.Dir === "string") m.set(e.Key, path.resolve(this.rootDir, e.Dir));
        } catch {
            // not initialised (or unreadable): remote modules are named as not judged
        }
        this.modulesJson = m;
        return m;
    }

    notice(n: ScanNotice): void {
        const k = `${n.address}\u0000${n.message}`;
        if (this.noticed.has(k)) return;
        this.noticed.add(k);
        this.notices.push(n);
    }
}

class ModInst implements ModuleInstanceLike {
    readonly cfg: ModuleConfig;
    readonly rootDir: string;
    private readonly vars = new Map<string, Cached | "busy">();
    private readonly locals = new Map<string, Cached | "busy">();
    private readonly outputs = new Map<string, Cached | "busy">();
    private readonly expansions = new Map<string, Expansion>();
    private readonly attrCache = new Map<string, Cached | "busy">();
    private readonly children = new Map<string, Array<{ key?: Value; inst?: ModInst; why?: Unknown }>>();

    constructor(
        readonly r: Reader,
        readonly dir: string,
        readonly address: string,
        /** Module call names from the root (`["db", "sg"]`), for modules.json. */
        readonly callPath: string[],
        /** A child's inputs: evaluated in the caller. undefined for the root module. */
        readonly input: ((name: string) => Cached | undefined) | undefined,
    ) {
        this.cfg = r.config(dir);
        this.rootDir = r.rootDir;
        r.dataSources += this.cfg.dataSources;
    }

    get scope(): Scope {
        return { m: this };
    }

    private cached(map: Map<string, Cached | "busy">, key: string, at: Pos, what: string, make: () => Cached): Cached {
        const c = map.get(key);
        if (c === "busy") throw new EvalError(`${what} refers to itself`, at);
        if (c) return c;
        map.set(key, "busy");
        try {
            const v = make();
            map.set(key, v);
            return v;
        } catch (e) {
            map.delete(key);
            throw e;
        }
    }

    variable(name: string, at: Pos): Cached {
        return this.cached(this.vars, name, at, `var.${name}`, () => {
            const decl = this.cfg.variables.get(name);
            if (!decl) throw new EvalError(`no variable "${name}" is declared in this module`, at);
            const type = attrOf(decl.body, "type")?.expr;
            const sensitive = (() => {
                const s = attrOf(decl.body, "sensitive");
                return !!s && s.expr.k === "lit" && s.expr.v === true;
            })();
            let v: Value;
            let refs = new Set<string>();
            let fromCaller = false;
            if (this.input) {
                const c = this.input(name);
                if (c) {
                    v = c.v;
                    refs = c.refs;
                    fromCaller = c.sensitive;
                } else v = this.defaultOf(decl, name);
            } else {
                const rv = this.r.roots.get(name);
                if (rv) v = rv.kind === "value" ? rv.v : rawValue(rv.text, type, rv.at);
                else v = this.defaultOf(decl, name);
            }
            try {
                v = convert(v, type, decl.pos);
            } catch (e) {
                if (!(e instanceof EvalError)) throw e;
                v = unknownAt(`var.${name} does not match its type (${e.message}; declared at ${where(decl.pos)})`, decl.pos);
            }
            return { v, refs, sensitive: sensitive || fromCaller };
        });
    }

    private defaultOf(decl: Block, name: string): Value {
        const d = attrOf(decl.body, "default");
        if (d) {
            try {
                return constValue(d.expr);
            } catch {
                return unknownAt(`the default of var.${name} is not a constant`, d.pos);
            }
        }
        const how = this.input ? `the call of ${this.address} does not set it` : `set it in terraform.tfvars, with --var ${name}=... or TF_VAR_${name}`;
        return unknownAt(`var.${name} has no value (no default; ${how})`, decl.pos);
    }

    local(name: string, at: Pos): Cached {
        return this.cached(this.locals, name, at, `local.${name}`, () => {
            const a = this.cfg.locals.get(name);
            if (!a) throw new EvalError(`no local value "${name}" is declared in this module`, at);
            const acc = newAcc();
            const v = this.r.ev.value(a.expr, this.scope, acc);
            return { v, refs: acc.refs, sensitive: acc.sensitive };
        });
    }

    output(name: string, at: Pos): Cached {
        return this.cached(this.outputs, name, at, `output ${name}`, () => {
            const o = this.cfg.outputs.get(name);
            if (!o) throw new EvalError(`${this.address} has no output "${name}"`, at);
            const a = attrOf(o.body, "value");
            if (!a) return { v: null, refs: new Set(), sensitive: false };
            const acc = newAcc();
            const v = this.r.ev.value(a.expr, this.scope, acc);
            const s = attrOf(o.body, "sensitive");
            return { v, refs: acc.refs, sensitive: acc.sensitive || (!!s && s.expr.k === "lit" && s.expr.v === true) };
        });
    }

    expansion(kind: "resource" | "module", key: string, body: Body): Expansion {
        const k = `${kind}:${key}`;
        let e = this.expansions.get(k);
        if (e) return e;
        const count = attrOf(body, "count");
        const fe = attrOf(body, "for_each");
        e = { kind: "single" };
        try {
            if (count) {
                const n = countOf(this.r.ev.value(count.expr, this.scope, newAcc()), count.pos);
                e = n instanceof Unknown ? { kind: "unknown", why: n } : { kind: "count", n };
            } else if (fe) {
                const en = forEachEntries(this.r.ev.value(fe.expr, this.scope, newAcc()), fe.pos, false);
                e = en instanceof Unknown ? { kind: "unknown", why: en } : { kind: "for_each", entries: en };
            }
        } catch (err) {
            if (!(err instanceof EvalError)) throw err;
            e = { kind: "unknown", why: unknownAt(err.message, err.at) };
        }
        this.expansions.set(k, e);
        return e;
    }

    /** Instances of an expansion: [key, bindings]. An unknown expansion is one instance with unknown count.index/each. */
    static instances(e: Expansion): Array<{ key?: Value; b?: Map<string, Value> }> {
        switch (e.kind) {
            case "single":
                return [{}];
            case "count":
                return Array.from({ length: e.n }, (_, i) => ({ key: i, b: new Map<string, Value>([["count", { index: i }]]) }));
            case "for_each":
                return e.entries.map(([k, v]) => ({ key: k, b: new Map<string, Value>([["each", { key: k, value: v }]]) }));
            case "unknown":
                return [{ b: new Map<string, Value>([["count", { index: e.why }], ["each", { key: e.why, value: e.why }]]) }];
        }
    }

    resourceBlock(type: string, name: string): Block | undefined {
        return this.cfg.resourceByName.get(`${type}.${name}`);
    }

    addressOf(type: string, name: string, key?: Value): string {
        const local = `${type}.${name}${key === undefined ? "" : keyText(key)}`;
        return this.address ? `${this.address}.${local}` : local;
    }

    resource(type: string, name: string, at: Pos, acc: Acc): Value | undefined {
        if (!this.cfg.resourceTypes.has(type)) return undefined;
        const b = this.resourceBlock(type, name);
        if (!b) return undefined;
        const e = this.expansion("resource", `${type}.${name}`, b.body);
        const ref = (key: Value | undefined, bind: Map<string, Value> | undefined) => {
            const address = this.addressOf(type, name, key);
            return new InstanceRef(address, (attr, at2, acc2) => this.instanceAttr(b, address, bind, attr, at2, acc2));
        };
        switch (e.kind) {
            case "single":
                return ref(undefined, undefined);
            case "count":
                return ModInst.instances(e).map((i) => ref(i.key, i.b));
            case "for_each": {
                const o: Obj = {};
                for (const i of ModInst.instances(e)) o[toStr(i.key!, at)] = ref(i.key, i.b);
                return o;
            }
            case "unknown":
                acc.refs.add(this.addressOf(type, name));
                return unknownAt(`how many instances ${this.addressOf(type, name)} has is unknown (${e.why.why})`, e.why.at);
        }
    }

    /** An attribute of a resource instance, as another expression reads it. */
    private instanceAttr(b: Block, address: string, bind: Map<string, Value> | undefined, name: string, at: Pos, acc: Acc): Value {
        const a = META_ATTRS.has(name) ? undefined : attrOf(b.body, name);
        if (!a) return unknownAt(`${address}.${name} is known only after apply`, at);
        const c = this.cached(this.attrCache, `${address}\u0000${name}`, at, `${address}.${name}`, () => {
            const inner = newAcc();
            const v = this.r.ev.value(a.expr, { m: this, b: bind }, inner);
            return { v, refs: inner.refs, sensitive: inner.sensitive };
        });
        if (c.sensitive) acc.sensitive = true;
        return c.v;
    }

    /** Child instances of a module call (read once). */
    child(name: string, at: Pos): Array<{ key?: Value; inst?: ModInst; why?: Unknown }> {
        let l = this.children.get(name);
        if (l) return l;
        const call = this.cfg.modules.get(name);
        if (!call) throw new EvalError(`no module "${name}" is called in this module`, at);
        const base = this.address ? `${this.address}.module.${name}` : `module.${name}`;
        const src = attrOf(call.body, "source");
        const callPath = [...this.callPath, name];
        let dir: string | undefined;
        let why: string | undefined;
        const s = src?.expr.k === "lit" ? src.expr.v : src?.expr.k === "tmpl" && src.expr.parts.every((p) => typeof p === "string") ? src.expr.parts.join("") : undefined;
        if (typeof s !== "string") why = `module.${name} has no literal source`;
        else if (s.startsWith("./") || s.startsWith("../")) {
            dir = path.resolve(this.dir, s);
            if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
                dir = undefined;
                why = `module.${name}'s source directory does not exist`;
            }
        } else {
            dir = this.r.installed().get(callPath.join("."));
            if (!dir || !fs.existsSync(dir)) {
                dir = undefined;
                why = `module.${name} is a registry or remote module and .terraform/modules/modules.json does not list it (run terraform init or terraform get to judge it)`;
            }
        }
        if (callPath.length > 32) {
            dir = undefined;
            why = `module.${name} is nested more than 32 modules deep`;
        }
        const e = this.expansion("module", name, call.body);
        l = [];
        for (const i of ModInst.instances(e)) {
            const address = `${base}${i.key === undefined ? "" : keyText(i.key)}`;
            if (!dir) {
                this.r.notice({ address: base, message: `${why}: not judged`, location: loc(call.pos) });
                l.push({ key: i.key, why: unknownAt(why!, call.pos) });
                continue;
            }
            if (e.kind === "unknown") this.r.notice({ address: base, message: `how many instances ${base} has is unknown (${e.why.why}; ${where(e.why.at)}): judged once, with count.index and each unknown`, location: loc(call.pos) });
            const caller = { m: this as ModuleInstanceLike, b: i.b };
            const inputs = new Map<string, Cached>();
            const inst: ModInst = new ModInst(this.r, dir, address, callPath, (v) => {
                const a = attrOf(call.body, v);
                if (!a || ["source", "version", "count", "for_each", "providers", "depends_on"].includes(v)) return undefined;
                let c = inputs.get(v);
                if (!c) {
                    const acc = newAcc();
                    const val = this.r.ev.value(a.expr, caller, acc);
                    inputs.set(v, (c = { v: val, refs: acc.refs, sensitive: acc.sensitive }));
                }
                return c;
            });
            l.push({ key: i.key, inst });
        }
        this.children.set(name, l);
        return l;
    }

    moduleCall(name: string, at: Pos, acc: Acc): Value {
        const l = this.child(name, at);
        const call = this.cfg.modules.get(name)!;
        const e = this.expansion("module", name, call.body);
        const ref = (c: { inst?: ModInst; why?: Unknown }): Value => {
            if (!c.inst) return c.why!;
            const inst = c.inst;
            return new ModuleRef(inst.address, (out, at2, acc2) => {
                const o = inst.output(out, at2);
                for (const r of o.refs) acc2.refs.add(r);
                if (o.sensitive) acc2.sensitive = true;
                return o.v;
            });
        };
        if (e.kind === "count") return l.map(ref);
        if (e.kind === "for_each") {
            const o: Obj = {};
            for (const c of l) o[toStr(c.key!, at)] = ref(c);
            return o;
        }
        if (e.kind === "unknown") return unknownAt(`how many instances module.${name} has is unknown (${e.why.why})`, e.why.at);
        void acc;
        return ref(l[0]);
    }

    /** Every managed resource instance of this module and the modules it calls, in order. */
    *walk(): Generator<{ m: ModInst; b: Block; address: string; bind?: Map<string, Value>; unknownCount?: Unknown }> {
        for (const b of this.cfg.resources) {
            const [type, name] = b.labels;
            const e = this.expansion("resource", `${type}.${name}`, b.body);
            for (const i of ModInst.instances(e)) yield { m: this, b, address: this.addressOf(type, name, i.key), bind: i.b, unknownCount: e.kind === "unknown" ? e.why : undefined };
        }
        for (const name of this.cfg.modules.keys()) {
            for (const c of this.child(name, this.cfg.modules.get(name)!.pos)) if (c.inst) yield* c.inst.walk();
        }
    }

    /** Evaluate a resource instance's body into Terraform-shaped values, with positions. */
    evaluate(b: Block, address: string, bind: Map<string, Value> | undefined): InstanceOut {
        const out: InstanceOut = { values: {}, locations: new Map(), unknowns: new Map(), deps: new Map(), suppressions: [], sensitive: new Set() };
        const comments = this.cfg.comments.get(b.pos.file) ?? [];
        const sup = (p: Pos, scopes: string[]) => {
            const s = suppressionAt(comments, p);
            if (s) out.suppressions.push({ ...s, scopes });
        };
        sup(b.pos, [""]);
        const sc: Scope = { m: this, b: bind };
        const dep = (top: string, acc: Acc) => {
            if (!acc.refs.size) return;
            let s = out.deps.get(top);
            if (!s) out.deps.set(top, (s = new Set()));
            for (const r of acc.refs) if (r !== address) s.add(r);
        };
        const record = (v: Value, p: string, acc: Acc) => {
            if (acc.sensitive) collectLeaves(v, out.sensitive);
            collectUnknowns(v, p, out.unknowns);
        };
        const body = (bd: Body, s: Scope, prefix: string, into: Obj, top: string | undefined, positions: boolean) => {
            for (const a of bd.attrs) {
                if (!top && META_ATTRS.has(a.name)) continue;
                const acc = newAcc();
                const v = this.r.ev.value(a.expr, s, acc);
                into[a.name] = v;
                const p = `${prefix}${a.name}`;
                if (positions) {
                    out.locations.set(p, loc(a.pos));
                    sup(a.pos, [p]);
                }
                record(v, p, acc);
                dep(top ?? a.name, acc);
            }
            for (const blk of bd.blocks) {
                if (!top && META_BLOCKS.has(blk.type)) continue;
                if (blk.type === "dynamic") {
                    const type = blk.labels[0];
                    if (!type) {
                        // Terraform refuses a dynamic block without a label: named, never guessed
                        this.r.notice({ address, message: `a dynamic block without the name of the block it generates (Terraform would refuse it) at ${where(blk.pos)}: not judged`, location: loc(blk.pos) });
                        continue;
                    }
                    const list = ((into[type] as Value[] | undefined) ??= []) as Value[];
                    if (!out.locations.has(`${prefix}${type}`)) out.locations.set(`${prefix}${type}`, loc(blk.pos));
                    const fe = attrOf(blk.body, "for_each");
                    const it = attrOf(blk.body, "iterator");
                    const iter = it && it.expr.k === "var" ? it.expr.name : type;
                    const content = blk.body.blocks.find((x) => x.type === "content");
                    const acc = newAcc();
                    const coll = fe ? this.r.ev.value(fe.expr, s, acc) : unknownAt("a dynamic block needs for_each", blk.pos);
                    dep(top ?? type, acc);
                    let en: Array<[Value, Value]> | Unknown;
                    try {
                        en = forEachEntries(coll, fe?.pos ?? blk.pos, true);
                    } catch (err) {
                        if (!(err instanceof EvalError)) throw err;
                        en = unknownAt(err.message, err.at);
                    }
                    const scopes: string[] = [];
                    if (en instanceof Unknown) {
                        const p = `${prefix}${type}[${list.length}]`;
                        list.push(en);
                        out.locations.set(p, loc(blk.pos));
                        out.unknowns.set(p, { why: `the dynamic "${type}" block's for_each is unknown: ${en.why}`, at: loc(en.at) });
                        scopes.push(p);
                    } else {
                        for (const [k, v] of en) {
                            const p = `${prefix}${type}[${list.length}]`;
                            const nb = new Map(s.b ?? []);
                            nb.set(iter, { key: k, value: v });
                            const o: Obj = {};
                            if (content) body(content.body, { m: this, b: nb }, `${p}.`, o, top ?? type, false);
                            list.push(o);
                            out.locations.set(p, loc(blk.pos));
                            scopes.push(p);
                        }
                    }
                    sup(blk.pos, scopes.length ? scopes : [`${prefix}${type}`]);
                    continue;
                }
                const list = ((into[blk.type] as Value[] | undefined) ??= []) as Value[];
                const p = `${prefix}${blk.type}[${list.length}]`;
                if (!out.locations.has(`${prefix}${blk.type}`)) out.locations.set(`${prefix}${blk.type}`, loc(blk.pos));
                const o: Obj = {};
                body(blk.body, s, `${p}.`, o, top ?? blk.type, positions);
                list.push(o);
                out.locations.set(p, loc(blk.pos));
                sup(blk.pos, [p]);
            }
        };
        body(b.body, sc, "", out.values, undefined, true);
        return out;
    }
}

/** Terraform property paths of unknown values (at any depth). */
function collectUnknowns(v: Value, p: string, out: Map<string, { why: string; at: SourceLocation }>): void {
    if (v instanceof Unknown) out.set(p, { why: v.why, at: loc(v.at) });
    else if (v instanceof InstanceRef || v instanceof ModuleRef) out.set(p, { why: `${v.address} is not a plain value`, at: { file: "", line: 0, column: 0 } });
    else if (Array.isArray(v)) v.forEach((x, i) => collectUnknowns(x, `${p}[${i}]`, out));
    else if (isObj(v)) for (const k of Object.keys(v)) collectUnknowns(v[k], `${p}.${k}`, out);
}

function collectLeaves(v: Value, out: Set<string>): void {
    if (typeof v === "string" || typeof v === "number") out.add(String(v));
    else if (Array.isArray(v)) v.forEach((x) => collectLeaves(x, out));
    else if (isObj(v)) for (const k of Object.keys(v)) collectLeaves(v[k], out);
}

/** Values for the engine: unknowns (and references to whole resources or modules) become the sentinel. */
function plain(v: Value): unknown {
    if (v instanceof Unknown || v instanceof InstanceRef || v instanceof ModuleRef) return UNKNOWN_SENTINEL;
    if (Array.isArray(v)) return v.map(plain);
    if (isObj(v)) {
        const o: Record<string, unknown> = {};
        for (const k of Object.keys(v)) o[k] = plain(v[k]);
        return o;
    }
    return v;
}

/** The `# portguard:ignore` comment on the line of `p` or in the comment lines right above it. */
function suppressionAt(comments: readonly Comment[], p: Pos): Omit<Suppression, "scopes"> | undefined {
    if (!comments.length) return undefined;
    const byLine = new Map<number, Comment>();
    for (const c of comments) byLine.set(c.pos.line, c);
    const same = byLine.get(p.line);
    if (same) {
        const s = parseSuppression(same.text, loc(same.pos));
        if (s) return s;
    }
    for (let l = p.line - 1; byLine.has(l); l--) {
        const c = byLine.get(l)!;
        if (c.pos.column > p.column) break; // a trailing comment of the line above, not ours
        const s = parseSuppression(c.text, loc(c.pos));
        if (s) return s;
    }
    return undefined;
}

/**
 * Read a root module directory into the scan's input. `source` names it in the report (the
 * path as given); `dir` is where it is.
 */
export function readHclModule(dir: string, source: string, opts: HclOptions = {}): ScanInput {
    try {
        return readRoot(dir, source, opts);
    } catch (e) {
        // file names in messages are relative to the module: name them as reached from here
        if (!(e instanceof InputError)) throw e;
        const m = /^([^\s:$][^\s:]*\.(?:tf|tofu|json|tfvars|hcl)):(.*)$/s.exec(e.message);
        if (!m || path.isAbsolute(m[1]) || source === "." || source === "-") throw e;
        throw new InputError(`${path.join(source, m[1]).split(path.sep).join("/")}:${m[2]}`);
    }
}

function readRoot(dir: string, source: string, opts: HclOptions): ScanInput {
    const rootDir = path.resolve(dir);
    const rel = (abs: string) => (path.relative(rootDir, abs) || path.basename(abs)).split(path.sep).join("/");
    const reader = new Reader(rootDir, rootValues(rootDir, opts, rel));
    const root = new ModInst(reader, rootDir, "", [], undefined);
    if (root.cfg.files.length === 0) throw new InputError(`${source}: has no .tf or .tf.json files`);
    const label = source === "-" ? "stdin" : source;
    const resources: ScanResource[] = [];
    const pending: Array<{ type: string; address: string; out?: InstanceOut; urn: string; pos: Pos }> = [];
    const urnByAddress = new Map<string, string>();
    for (const i of root.walk()) {
        const type = i.b.labels[0];
        const mapping = TERRAFORM_TYPES[type];
        const token = mapping?.token ?? `terraform:${type}`;
        const urn = terraformUrn(label, token, i.address);
        urnByAddress.set(i.address, urn);
        if (i.unknownCount) reader.notice({ address: i.address, message: `how many instances ${i.address} has is unknown (${i.unknownCount.why}; ${where(i.unknownCount.at)}): judged once, with count.index and each unknown`, location: loc(i.b.pos) });
        pending.push({ type, address: i.address, urn, pos: i.b.pos, out: mapping ? i.m.evaluate(i.b, i.address, i.bind) : undefined });
    }
    for (const p of pending) {
        const mapping = TERRAFORM_TYPES[p.type];
        const base = { address: p.address, sourceType: p.type, location: loc(p.pos) };
        if (!mapping || !p.out) {
            resources.push({ input: { type: `terraform:${p.type}`, urn: p.urn, name: p.address, props: {} }, ...base });
            continue;
        }
        const props = toPulumiProps(mapping, plain(p.out.values));
        let propertyDependencies: Record<string, string[]> | undefined;
        for (const [k, addrs] of p.out.deps) {
            const urns: string[] = [];
            for (const a of addrs) {
                const u = urnByAddress.get(a);
                if (u && u !== p.urn) urns.push(u);
            }
            if (urns.length) (propertyDependencies ??= {})[pulumiKey(mapping, k)] = urns;
        }
        resources.push({
            input: { type: mapping.token, urn: p.urn, name: p.address, props: props as Record<string, unknown>, ...(propertyDependencies ? { propertyDependencies } : {}) },
            ...base,
            locations: p.out.locations,
            ...(p.out.unknowns.size ? { unknowns: p.out.unknowns } : {}),
            ...(p.out.suppressions.length ? { suppressions: p.out.suppressions } : {}),
            ...(p.out.sensitive.size ? { sensitive: [...p.out.sensitive] } : {}),
        });
    }
    // a value from a sensitive variable or output is written as Terraform writes it
    return { source, format: "terraform-hcl", stack: label, resources, skipped: reader.dataSources, notices: reader.notices, secretWord: "[sensitive]" };
}
