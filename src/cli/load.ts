/**
 * Inputs: files, directories (every stack export, preview and plan inside: the organization
 * audit) and stdin (`-`). Each file is read once and parsed once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { requireFormat } from "./formats/detect";
import { readPulumiExport, readPulumiPreview } from "./formats/pulumi";
import { readTerraformPlan, readTerraformState } from "./formats/terraform";
import { isConfigFile } from "./formats/hcl/files";
import { FORMATS, InputError, isObject, type FormatName, type ScanInput } from "./formats/types";

export interface Candidate {
    /** Path as given or found (`-` for stdin); for HCL, the root module's directory. */
    source: string;
    /** Found inside a directory: files that are not scannable inputs are passed over quietly. */
    fromDirectory: boolean;
    /** A Terraform root module read from its .tf files (no plan). */
    hcl?: boolean;
}

export interface ExpandOptions {
    /** Every root module below a directory, not only the directory itself. */
    recursive?: boolean;
}

const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform", ".terragrunt-cache"]);
/** Top-level keys that mark a JSON document as one of ours (directory mode). */
const MARKERS = /"(deployment|checkpoint|steps|changeSummary|format_version)"\s*:/;

export function isFormat(v: string): v is FormatName {
    return (FORMATS as readonly string[]).includes(v);
}

/** Local module sources (`source = "./x"`) in a directory's configuration files, resolved. */
function calledDirs(dir: string, names: readonly string[]): string[] {
    const out: string[] = [];
    for (const n of names) {
        let text: string;
        try {
            text = fs.readFileSync(path.join(dir, n), "utf8");
        } catch {
            continue;
        }
        const re = /"?source"?\s*[=:]\s*"(\.\.?\/[^"]*)"/g;
        for (let m = re.exec(text); m; m = re.exec(text)) out.push(path.resolve(dir, m[1]));
    }
    return out;
}

/** Files to scan, in a stable order; throws InputError for paths that do not exist. */
export function expandPaths(paths: readonly string[], opts: ExpandOptions = {}): Candidate[] {
    const out: Candidate[] = [];
    const hclDirs = new Set<string>();
    const addHcl = (dir: string, fromDirectory: boolean) => {
        const key = path.resolve(dir);
        if (hclDirs.has(key)) return;
        hclDirs.add(key);
        out.push({ source: dir, fromDirectory, hcl: true });
    };
    for (const p of paths) {
        if (p === "-") {
            out.push({ source: "-", fromDirectory: false });
            continue;
        }
        let st: fs.Stats;
        try {
            st = fs.statSync(p);
        } catch (e) {
            throw new InputError(`${p}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : `cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`}`);
        }
        if (!st.isDirectory()) {
            // a .tf file stands for its directory's module (Terraform reads no file alone)
            if (isConfigFile(path.basename(p))) addHcl(path.dirname(p), false);
            else out.push({ source: p, fromDirectory: false });
            continue;
        }
        const modules: Array<{ dir: string; names: string[] }> = [];
        const walk = (dir: string, depth: number) => {
            const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
            const tf = entries.filter((e) => e.isFile() && isConfigFile(e.name)).map((e) => e.name);
            if (tf.length && (depth === 0 || opts.recursive)) modules.push({ dir, names: tf });
            for (const e of entries) {
                const full = path.join(dir, e.name);
                if (e.isDirectory()) {
                    if (!SKIP_DIRS.has(e.name)) walk(full, depth + 1);
                } else if (e.isFile() && e.name.toLowerCase().endsWith(".json") && !isConfigFile(e.name)) {
                    out.push({ source: full, fromDirectory: true });
                }
            }
        };
        walk(p, 0);
        // root modules: those no other module found here calls by a local source
        const called = new Set(modules.flatMap((m) => calledDirs(m.dir, m.names)));
        for (const m of modules) if (!called.has(path.resolve(m.dir))) addHcl(m.dir, true);
    }
    return out;
}

/** Directories below `dir` holding .tf files (for the hint that --recursive would find them). */
export function hasNestedModules(dir: string): boolean {
    const walk = (d: string, depth: number): boolean => {
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(d, { withFileTypes: true });
        } catch {
            return false;
        }
        if (depth > 0 && entries.some((e) => e.isFile() && isConfigFile(e.name))) return true;
        return entries.some((e) => e.isDirectory() && !SKIP_DIRS.has(e.name) && walk(path.join(d, e.name), depth + 1));
    };
    return walk(dir, 0);
}

export function readText(source: string): string {
    try {
        return source === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(source, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(`${source === "-" ? "stdin" : source}: cannot read (${code === "EISDIR" ? "is a directory" : code ?? "error"})`);
    }
}

/** Parse JSON, or one line saying why not. */
export function parseJson(text: string, source: string): unknown {
    const where = source === "-" ? "stdin" : source;
    if (text.trim() === "") throw new InputError(`${where}: is empty`);
    try {
        return JSON.parse(text);
    } catch (e) {
        const msg = e instanceof Error ? e.message.split("\n")[0] : "parse error";
        const at = /position (\d+)/.exec(msg);
        const truncated = /end of (JSON )?input|Unterminated/i.test(msg) || (!!at && Number(at[1]) >= text.trimEnd().length - 1);
        throw new InputError(`${where}: not valid JSON${truncated ? " (truncated?)" : ""}: ${msg.length > 120 ? `${msg.slice(0, 120)}...` : msg}`);
    }
}

/** A parsed document -> the resources of its stack. */
export function readDocument(doc: unknown, source: string, format?: FormatName): ScanInput {
    const where = source === "-" ? "stdin" : source;
    const f = format ?? requireFormat(doc, where);
    if (!isObject(doc)) throw new InputError(`${where}: is not a JSON object, so not ${f} output`);
    switch (f) {
        case "pulumi-export": {
            // The DIY backend's own checkpoint file (`.pulumi/stacks/...json`) holds the same deployment.
            const d = isObject(doc.checkpoint) && isObject(doc.checkpoint.latest) ? { version: doc.version, deployment: doc.checkpoint.latest } : doc;
            if (!isObject(d.deployment)) throw new InputError(`${where}: has no deployment, so not \`pulumi stack export\` output`);
            return readPulumiExport(d, source);
        }
        case "pulumi-preview":
            return readPulumiPreview(doc, source);
        case "terraform-plan":
            return readTerraformPlan(doc, source);
        case "terraform-state":
            return readTerraformState(doc, source);
        case "terraform-hcl":
            throw new InputError(`${where}: is JSON; terraform-hcl is read from a directory of .tf files`);
    }
}

/**
 * Read one candidate: undefined when a file found in a directory is not one of ours
 * (package.json, tsconfig.json ...). Throws InputError for anything unreadable. The text is
 * returned only when `keepText` (the default; SARIF wants it for line numbers): otherwise it is
 * let go as soon as it is parsed (`text` is then ``), so a large input is not held twice while
 * its resources are read and scanned.
 */
export function loadCandidate(c: Candidate, format?: FormatName, opts: { keepText?: boolean } = {}): { input: ScanInput; text: string } | undefined {
    let text: string | undefined = readText(c.source);
    if (c.fromDirectory && !MARKERS.test(text)) return undefined;
    const doc = parseJson(text, c.source);
    const kept = opts.keepText === false ? "" : text;
    text = undefined;
    if (c.fromDirectory && !format) {
        try {
            return { input: readDocument(doc, c.source), text: kept };
        } catch (e) {
            if (e instanceof InputError && /unknown format/.test(e.message)) return undefined;
            throw e;
        }
    }
    return { input: readDocument(doc, c.source, format), text: kept };
}
