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
    /** Found inside a directory: files that are not scannable inputs are skipped, and named (Skipped). */
    fromDirectory: boolean;
    /** A Terraform root module read from its .tf files (no plan). */
    hcl?: boolean;
}

export interface ExpandOptions {
    /** Every root module below a directory, not only the directory itself. */
    recursive?: boolean;
    /** Told of every file or directory a directory scan passes over, with the reason. */
    skip?: (s: Skipped) => void;
}

/** A file a directory scan passed over, and why (named in the text output and the JSON report). */
export interface Skipped {
    source: string;
    reason: string;
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

/**
 * Files to scan, in a stable order; throws InputError for paths that do not exist. In a
 * directory, `.json` files are candidates and directories with `.tf` files root modules (all
 * of them below it with `recursive`); everything else found there is passed to `skip` with the
 * reason (other files, tool and dependency directories, what is not a regular file).
 */
export function expandPaths(paths: readonly string[], opts: ExpandOptions = {}, skip: (s: Skipped) => void = opts.skip ?? (() => {})): Candidate[] {
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
            let entries: fs.Dirent[];
            try {
                entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
            } catch (e) {
                skip({ source: dir, reason: `directory cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})` });
                return;
            }
            const tf = entries.filter((e) => e.isFile() && isConfigFile(e.name)).map((e) => e.name);
            if (tf.length && (depth === 0 || opts.recursive)) modules.push({ dir, names: tf });
            for (const e of entries) {
                const full = path.join(dir, e.name);
                if (e.isDirectory()) {
                    if (SKIP_DIRS.has(e.name)) skip({ source: full, reason: "tool or dependency directory, not searched" });
                    else walk(full, depth + 1);
                } else if (!e.isFile()) {
                    skip({ source: full, reason: e.isSymbolicLink() ? "symbolic link, not followed" : "not a regular file" });
                } else if (isConfigFile(e.name)) {
                    if (depth > 0 && !opts.recursive) skip({ source: full, reason: "Terraform file of a module below the directory (use --recursive)" });
                } else if (e.name.toLowerCase().endsWith(".json")) {
                    out.push({ source: full, fromDirectory: true });
                } else {
                    skip({ source: full, reason: "not a .json or Terraform (.tf, .tf.json, .tofu) file" });
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

/** Bytes that say a file is not text: a NUL, or a control character other than tab, newline, return, form feed. */
function looksBinary(b: Buffer): boolean {
    const n = Math.min(b.length, 8192);
    for (let i = 0; i < n; i++) {
        const c = b[i];
        if (c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) return true;
    }
    return false;
}

/** What a known binary file is, from its first bytes, for the one-line refusal. */
function binaryKind(b: Buffer): string {
    if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return "a zip archive (a binary `terraform plan -out` file is one: scan `terraform show -json <planfile>` instead)";
    if (b[0] === 0x1f && b[1] === 0x8b) return "gzip-compressed (decompress it first)";
    return "binary, not JSON text";
}

/**
 * File bytes -> text. UTF-8, with or without a byte-order mark; UTF-16LE and UTF-16BE with a
 * byte-order mark (Windows PowerShell 5.1's `>` writes UTF-16LE with one), or without one when
 * the text starts with an ASCII character. Anything else that is not text is refused in one
 * line that names the file and never quotes its bytes.
 */
function decodeText(b: Buffer, where: string): string {
    let text: string;
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) text = utf8(b.subarray(3), where);
    else if (b[0] === 0xff && b[1] === 0xfe) text = utf16(b.subarray(2), "le", where);
    else if (b[0] === 0xfe && b[1] === 0xff) text = utf16(b.subarray(2), "be", where);
    else if (b.length >= 4 && b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0) text = utf16(b, "le", where);
    else if (b.length >= 4 && b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0) text = utf16(b, "be", where);
    else {
        if (looksBinary(b)) throw new InputError(`${where}: is ${binaryKind(b)}; portguard reads the JSON text of \`pulumi preview --json\`, \`pulumi stack export\` or \`terraform show -json\``);
        text = utf8(b, where);
    }
    return text;
}

function utf8(b: Buffer, where: string): string {
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(b);
    } catch {
        throw new InputError(`${where}: is not UTF-8 or UTF-16 text (binary, or another encoding); save it as UTF-8`);
    }
}

function utf16(b: Buffer, order: "le" | "be", where: string): string {
    if (b.length % 2 !== 0) throw new InputError(`${where}: is UTF-16${order.toUpperCase()} with an odd number of bytes (truncated?)`);
    let le = b;
    if (order === "be") {
        le = Buffer.from(b);
        le.swap16();
    }
    try {
        return new TextDecoder("utf-16le", { fatal: true }).decode(le);
    } catch {
        throw new InputError(`${where}: is not valid UTF-16${order.toUpperCase()} text`);
    }
}

export function readText(source: string): string {
    const where = source === "-" ? "stdin" : source;
    let bytes: Buffer;
    try {
        bytes = source === "-" ? fs.readFileSync(0) : fs.readFileSync(source);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(`${where}: cannot read (${code === "EISDIR" ? "is a directory" : code ?? "error"})`);
    }
    return decodeText(bytes, where);
}

/** Line and column (1-based) of a character offset. */
function lineCol(text: string, pos: number): string {
    let line = 1;
    let last = -1;
    for (let i = text.indexOf("\n"); i >= 0 && i < pos; i = text.indexOf("\n", i + 1)) {
        line++;
        last = i;
    }
    return `line ${line}, column ${pos - last}`;
}

/**
 * Parse JSON, or one line saying why not and where (line and column when the parser tells the
 * offset). The parser's own message is kept without the piece of input it quotes (`"..." is
 * not valid JSON`): an input may hold secrets.
 */
export function parseJson(text: string, source: string): unknown {
    const where = source === "-" ? "stdin" : source;
    if (text.trim() === "") throw new InputError(`${where}: is empty`);
    try {
        return JSON.parse(text);
    } catch (e) {
        // (the quoted input may span lines: it is cut before the message is)
        let msg = e instanceof Error ? e.message.replace(/(,\s*)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, "").split("\n")[0] || "unexpected input" : "parse error";
        const at = /position (\d+)/.exec(msg);
        const truncated = /end of (JSON )?input|Unterminated/i.test(msg) || (!!at && Number(at[1]) >= text.trimEnd().length - 1);
        if (at) msg = msg.replace(/\s*(in JSON )?at position \d+( \(line \d+ column \d+\))?/, "") + ` at ${lineCol(text, Number(at[1]))}`;
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
 * (package.json, tsconfig.json ...; `skip` is told why). Throws InputError for anything
 * unreadable given by name. The text is returned only when `keepText` (the default; SARIF wants
 * it for line numbers): otherwise it is let go as soon as it is parsed (`text` is then ``), so a
 * large input is not held twice while its resources are read and scanned.
 */
export function loadCandidate(c: Candidate, format?: FormatName, opts: { keepText?: boolean; skip?: (s: Skipped) => void } = {}): { input: ScanInput; text: string } | undefined {
    const skip = (reason: string) => {
        opts.skip?.({ source: c.source, reason });
        return undefined;
    };
    let text: string | undefined;
    try {
        text = readText(c.source);
    } catch (e) {
        // A file found in a directory that is not text is not one of ours: named, not an error.
        if (c.fromDirectory && e instanceof InputError && !/cannot read/.test(e.message)) return skip(e.message.slice(c.source.length + 2).replace(/;.*$/, "").replace(/^is /, ""));
        throw e;
    }
    if (c.fromDirectory && !MARKERS.test(text)) return skip(text.trim() === "" ? "empty" : "not a stack export, preview or plan (none of their top-level keys)");
    const doc = parseJson(text, c.source);
    const kept = opts.keepText === false ? "" : text;
    text = undefined;
    if (c.fromDirectory && !format) {
        try {
            return { input: readDocument(doc, c.source), text: kept };
        } catch (e) {
            if (e instanceof InputError && /unknown format/.test(e.message)) return skip("JSON, but not a stack export, preview or plan");
            throw e;
        }
    }
    return { input: readDocument(doc, c.source, format), text: kept };
}
