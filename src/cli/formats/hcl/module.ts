/**
 * One module directory as Terraform reads it: every `.tf`, `.tf.json`, `.tofu` and `.tofu.json`
 * file (a `.tofu` file hides the `.tf` file of the same name, as OpenTofu does), then the
 * override files (`override.tf`, `*_override.tf`, and their JSON/OpenTofu forms) merged in
 * lexical order the way Terraform merges them: an override's attributes replace the original's,
 * and its nested blocks replace every original nested block of the same type; locals and
 * variables are replaced one by one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../types";
import type { Attribute, Block, Body, Comment, HclFile } from "./ast";
import { CONFIG_FILE, isConfigFile } from "./files";
import { parseHcl, parseHclJson } from "./parser";

export interface ModuleConfig {
    /** Absolute directory. */
    dir: string;
    variables: Map<string, Block>;
    locals: Map<string, Attribute>;
    outputs: Map<string, Block>;
    /** Managed resources, in file order; `type.name` unique. */
    resources: Block[];
    /** `type.name` -> resource block. */
    resourceByName: Map<string, Block>;
    /** Resource types declared here (for telling `aws_x.y` references from other roots). */
    resourceTypes: Set<string>;
    modules: Map<string, Block>;
    /** `data` blocks (read only by a plan: left out, counted as skipped, as the plan reader counts them). */
    dataSources: number;
    /** Comments of every file (for suppressions), by file. */
    comments: Map<string, Comment[]>;
    /** Files read (relative to the scanned directory). */
    files: string[];
}

export { isConfigFile };

function isOverride(name: string): boolean {
    const base = name.replace(CONFIG_FILE, "");
    return base === "override" || base.endsWith("_override");
}

/** The configuration file names of a directory that Terraform/OpenTofu would read, in lexical order. */
export function configFiles(dir: string): string[] {
    let names: string[];
    try {
        names = fs
            .readdirSync(dir, { withFileTypes: true })
            .filter((e) => e.isFile() && isConfigFile(e.name))
            .map((e) => e.name);
    } catch (e) {
        throw new InputError(`${dir}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    const set = new Set(names);
    return names
        .filter((n) => {
            const m = /^(.*)\.tf(\.json)?$/.exec(n);
            return !(m && set.has(`${m[1]}.tofu${m[2] ?? ""}`));
        })
        .sort();
}

export function readConfigFile(abs: string, rel: string): HclFile {
    let text: string;
    try {
        text = fs.readFileSync(abs, "utf8");
    } catch (e) {
        throw new InputError(`${rel}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    return abs.endsWith(".json") ? parseHclJson(text, rel) : parseHcl(text, rel);
}

function blockKey(b: Block): string {
    return `${b.type}\u0000${b.labels.join("\u0000")}`;
}

function overrideBody(base: Body, over: Body): void {
    for (const a of over.attrs) {
        const i = base.attrs.findIndex((x) => x.name === a.name);
        if (i >= 0) base.attrs[i] = a;
        else base.attrs.push(a);
    }
    const types = new Set(over.blocks.map((b) => (b.type === "dynamic" ? b.labels[0] : b.type)));
    if (types.size === 0) return;
    base.blocks = base.blocks.filter((b) => !types.has(b.type === "dynamic" ? b.labels[0] : b.type)).concat(over.blocks);
}

/** Read a module directory. `root` is the scanned directory (file names are relative to it). */
export function readModule(dir: string, root: string): ModuleConfig {
    const names = configFiles(dir);
    const primary: HclFile[] = [];
    const overrides: HclFile[] = [];
    for (const n of names) {
        const abs = path.join(dir, n);
        const f = readConfigFile(abs, path.relative(root, abs) || n);
        (isOverride(n) ? overrides : primary).push(f);
    }
    const cfg: ModuleConfig = {
        dir,
        variables: new Map(),
        locals: new Map(),
        outputs: new Map(),
        resources: [],
        resourceByName: new Map(),
        resourceTypes: new Set(),
        modules: new Map(),
        dataSources: 0,
        comments: new Map(),
        files: [...primary, ...overrides].map((f) => f.file),
    };
    const byKey = new Map<string, Block>();
    const dup = (b: Block, what: string) => {
        throw new InputError(`${b.pos.file}:${b.pos.line}: duplicate ${what}`);
    };
    for (const f of primary) {
        cfg.comments.set(f.file, f.comments);
        for (const b of f.body.blocks) {
            switch (b.type) {
                case "variable":
                    if (cfg.variables.has(b.labels[0])) dup(b, `variable "${b.labels[0]}"`);
                    cfg.variables.set(b.labels[0], b);
                    break;
                case "output":
                    if (cfg.outputs.has(b.labels[0])) dup(b, `output "${b.labels[0]}"`);
                    cfg.outputs.set(b.labels[0], b);
                    break;
                case "locals":
                    for (const a of b.body.attrs) {
                        if (cfg.locals.has(a.name)) throw new InputError(`${a.pos.file}:${a.pos.line}: duplicate local value "${a.name}"`);
                        cfg.locals.set(a.name, a);
                    }
                    break;
                case "module":
                    if (cfg.modules.has(b.labels[0])) dup(b, `module "${b.labels[0]}"`);
                    cfg.modules.set(b.labels[0], b);
                    break;
                case "resource":
                    if (b.labels.length !== 2) throw new InputError(`${b.pos.file}:${b.pos.line}: a resource block has two labels (type and name)`);
                    if (byKey.has(blockKey(b))) dup(b, `resource ${b.labels.join(".")}`);
                    cfg.resources.push(b);
                    cfg.resourceByName.set(`${b.labels[0]}.${b.labels[1]}`, b);
                    cfg.resourceTypes.add(b.labels[0]);
                    break;
                case "data":
                    cfg.dataSources++;
                    break;
                default:
                    break;
            }
            byKey.set(blockKey(b), b);
        }
    }
    for (const f of overrides) {
        cfg.comments.set(f.file, f.comments);
        for (const b of f.body.blocks) {
            if (b.type === "locals") {
                for (const a of b.body.attrs) cfg.locals.set(a.name, a);
                continue;
            }
            if (!["resource", "data", "variable", "output", "module"].includes(b.type)) continue;
            const base = byKey.get(blockKey(b));
            if (!base) throw new InputError(`${b.pos.file}:${b.pos.line}: override for ${b.type} ${b.labels.map((l) => JSON.stringify(l)).join(" ")} has no original block to override`);
            overrideBody(base.body, b.body);
        }
    }
    return cfg;
}
