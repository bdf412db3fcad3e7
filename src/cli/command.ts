/**
 * `portguard scan` without the argument parser (main.ts wires commander to this), so tests
 * can run it in-process. Exit codes: 0 no mandatory violation, 1 some, 2 usage error or
 * unreadable input (one line on stderr each, no stack trace).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, resolvePolicySettings, type PolicySetting } from "./config";
import { InputError, type FormatName, type ScanInput } from "./formats/types";
import { resourceLines } from "./lines";
import { expandPaths, hasNestedModules, isFormat, loadCandidate, parseJson, readText, type Candidate, type Skipped } from "./load";
import { renderJson, renderJsonChunks } from "./output/json";
import { renderJunit } from "./output/junit";
import type { InputErrorRecord, Report } from "./output/report";
import { renderSarif } from "./output/sarif";
import { renderText } from "./output/text";
import { scanInput, type StackResult } from "./scan";
import type { VarArg } from "./formats/hcl/vars";

export const OUTPUTS = ["text", "json", "sarif", "junit"] as const;
export type OutputName = (typeof OUTPUTS)[number];

export interface ScanCommandOptions {
    format?: string;
    config?: string;
    output?: string;
    outputFile?: string;
    color?: "auto" | "always" | "never";
    docsBaseUrl?: string;
    progress?: boolean;
    now?: Date;
    /** Every Terraform root module below a directory. */
    recursive?: boolean;
    /**
     * Terraform variables for .tf inputs: `--var name=value` and `--var-file <file>` options, in
     * the order given on the command line (a later one overrides an earlier one, as in Terraform).
     */
    vars?: VarArg[];
}

export interface Io {
    stdout: { write(s: string): unknown; isTTY?: boolean };
    stderr: { write(s: string): unknown; isTTY?: boolean };
    env: Record<string, string | undefined>;
}

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export function toolInfo(): { name: string; version: string } {
    try {
        const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version?: string };
        return { name: "portguard", version: pkg.version ?? "0.0.0" };
    } catch {
        return { name: "portguard", version: "0.0.0" };
    }
}

function readConfig(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new UsageError(`config ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (text.trim() === "") return undefined; // the Pulumi CLI accepts an empty file
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new UsageError(`config ${file}: not valid JSON: ${e instanceof Error ? e.message.split("\n")[0] : "parse error"}`);
    }
}

function oneLine(s: string): string {
    return s.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * Write text pieces to a file (created or truncated, as writeFileSync does) through one reused
 * 64 KiB buffer: no large joined string or byte copy is made per block (those would sit in the
 * heap's large-object space until the next full collection).
 */
function writeChunks(file: string, chunks: Iterable<string>): void {
    const fd = fs.openSync(file, "w");
    try {
        const buf = Buffer.allocUnsafe(1 << 16);
        let used = 0;
        const flush = () => {
            for (let off = 0; off < used; ) off += fs.writeSync(fd, buf, off, used - off);
            used = 0;
        };
        for (const c of chunks) {
            const n = Buffer.byteLength(c, "utf8");
            if (used + n > buf.length) flush();
            if (n > buf.length) {
                const bytes = Buffer.from(c, "utf8");
                for (let off = 0; off < bytes.length; ) off += fs.writeSync(fd, bytes, off, bytes.length - off);
            } else {
                used += buf.write(c, used, "utf8");
            }
        }
        flush();
    } finally {
        fs.closeSync(fd);
    }
}

/** Run `portguard scan <inputs...>`; resolves to the exit code. */
export async function runScan(inputs: readonly string[], opts: ScanCommandOptions, io: Io): Promise<number> {
    const fail = (msg: string) => {
        io.stderr.write(`portguard: ${oneLine(msg)}\n`);
        return 2;
    };
    let settings: PolicySetting[];
    let format: FormatName | undefined;
    const output = (opts.output ?? "text") as OutputName;
    try {
        if (inputs.length === 0) throw new UsageError("scan needs a file, a directory, or - for stdin");
        if (inputs.filter((i) => i === "-").length > 1) throw new UsageError("stdin (-) can be given once");
        if (!(OUTPUTS as readonly string[]).includes(output)) throw new UsageError(`--output must be one of ${OUTPUTS.join(", ")}`);
        if (opts.format && opts.format !== "auto") {
            if (!isFormat(opts.format)) throw new UsageError(`--format must be auto, pulumi-preview, pulumi-export, terraform-plan, terraform-state or terraform-hcl`);
            format = opts.format;
        }
        const fileConfig = opts.config ? readConfig(opts.config) : undefined;
        const resolved = resolvePolicySettings(fileConfig, undefined, opts.now);
        settings = resolved.settings;
        for (const w of resolved.warnings) io.stderr.write(`portguard: ${w}\n`);
    } catch (e) {
        if (e instanceof UsageError || e instanceof ConfigError) return fail(e.message);
        throw e;
    }

    const errors: InputErrorRecord[] = [];
    const skippedFiles: Skipped[] = [];
    const skip = (sk: Skipped) => skippedFiles.push(sk);
    const stacks: StackResult[] = [];
    const lines = new Map<string, Map<string, number>>();
    const showProgress = opts.progress !== false && !!io.stderr.isTTY;
    let lastDraw = 0;
    /** Directories of the plans judged: their .tf files are not judged again. */
    const planDirs = new Set<string>();
    const hclSeen = new Set<string>();
    const notes: string[] = [];
    const scanOne = async (c: Candidate): Promise<boolean> => {
        let loaded: { input: ScanInput; text: string } | undefined;
        if (c.hcl) {
            if (format && format !== "terraform-hcl") throw new InputError(`${c.source}: holds .tf files, not ${format} output`);
            // several .tf files of one directory (a pre-commit run) are one root module
            if (hclSeen.has(path.resolve(c.source))) return true;
            hclSeen.add(path.resolve(c.source));
            if (planDirs.has(path.resolve(c.source))) {
                notes.push(`${c.source}: its .tf files were not judged again: a plan of this root module was judged (a plan is exact)`);
                return true;
            }
            // the HCL reader, web-tree-sitter and the grammar are loaded on the first .tf input only
            const { loadHclParser, readHclModule } = await import("./formats/hcl/index.js");
            await loadHclParser();
            loaded = { input: readHclModule(c.source, c.source, { vars: opts.vars, env: io.env }), text: "" };
        } else {
            if (format === "terraform-hcl") throw new InputError(`${c.source}: --format terraform-hcl reads directories or .tf files`);
            loaded = loadCandidate(c, format, { keepText: output === "sarif", skip });
        }
        if (!loaded) return false;
        if (loaded.input.format === "terraform-plan" && c.source !== "-") planDirs.add(path.resolve(path.dirname(c.source)));
        const where = c.source === "-" ? "stdin" : c.source;
        const result = scanInput(loaded.input, settings, {
            now: opts.now,
            onProgress: showProgress
                ? (done, total) => {
                      const t = Date.now();
                      if (t - lastDraw < 100 && done < total) return;
                      lastDraw = t;
                      io.stderr.write(`\r\x1b[Kportguard: ${where}: ${done}/${total} resources`);
                  }
                : undefined,
        });
        if (showProgress) io.stderr.write("\r\x1b[K");
        if (output === "sarif" && result.findings.length && !c.hcl) {
            const wanted = new Map<string, string>();
            for (const f of result.findings) wanted.set(f.address ?? f.urn, f.urn);
            lines.set(c.source, resourceLines(loaded.text, wanted));
        }
        stacks.push(result);
        return true;
    };
    const expanded: Array<{ p: string; candidates: Candidate[]; scanned: number }> = [];
    for (const p of inputs) {
        try {
            expanded.push({ p, candidates: expandPaths([p], { recursive: opts.recursive, skip }), scanned: 0 });
        } catch (e) {
            if (!(e instanceof InputError)) throw e;
            errors.push({ source: p, message: e.message });
        }
    }
    // plans (and the other JSON inputs) first, in the order given, then the .tf root modules:
    // the .tf files of a root module whose plan was given are not judged again
    for (const hclPass of [false, true]) {
        for (const x of expanded) {
            for (const c of x.candidates) {
                if (!!c.hcl !== hclPass) continue;
                try {
                    if (await scanOne(c)) x.scanned++;
                } catch (e) {
                    if (!(e instanceof InputError)) throw e;
                    errors.push({ source: c.source, message: e.message });
                    x.scanned++;
                }
            }
        }
    }
    for (const { p, candidates, scanned } of expanded) {
        // A directory with nothing to scan is an error: an audit that saw nothing must not pass.
        if (scanned === 0 && candidates.every((c) => c.fromDirectory)) {
            // (.tf files count too: a directory with them is a root module)
            errors.push({ source: p, message: `${p}: no stack exports, previews or plans found` });
            if (!opts.recursive && hasNestedModules(p)) notes.push(`${p}: has no .tf files of its own, but its subdirectories do: add --recursive to scan every root module below it`);
        }
    }
    for (const e of errors) io.stderr.write(`portguard: ${oneLine(e.message)}\n`);
    for (const n of notes) io.stderr.write(`portguard: note: ${n}\n`);

    const mandatory = stacks.some((s) => s.findings.some((f) => f.level === "mandatory"));
    const exitCode = errors.length ? 2 : mandatory ? 1 : 0;
    skippedFiles.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    const report: Report = { tool: toolInfo(), settings, stacks, errors, skippedFiles, exitCode, lines, ...(notes.length ? { notes } : {}) };
    const toFile = !!opts.outputFile;
    const colorWanted = opts.color === "always" || (opts.color !== "never" && !toFile && !!io.stdout.isTTY && !io.env.NO_COLOR);
    const cannotWrite = (e: unknown) => fail(`--output-file ${opts.outputFile}: cannot write (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    if (toFile && output === "json") {
        // Written as it is rendered: neither the whole text nor its bytes are held at once.
        try {
            writeChunks(opts.outputFile!, renderJsonChunks(report));
        } catch (e) {
            return cannotWrite(e);
        }
        return exitCode;
    }
    const rendered =
        output === "json" ? renderJson(report) : output === "sarif" ? renderSarif(report, { docsBase: opts.docsBaseUrl }) : output === "junit" ? renderJunit(report) : renderText(report, { color: colorWanted });
    if (toFile) {
        try {
            fs.writeFileSync(opts.outputFile!, rendered);
        } catch (e) {
            return cannotWrite(e);
        }
    } else {
        io.stdout.write(rendered);
    }
    return exitCode;
}

export { parseJson, readText };
