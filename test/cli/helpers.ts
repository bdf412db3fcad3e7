/** Shared by the CLI tests: fixtures, an in-process `portguard scan`, and finding summaries. */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { readDocument, runScan, type ScanCommandOptions, type ScanFinding, type ScanInput } from "../../src/cli";

export const ROOT = path.resolve(__dirname, "../..");
export const FIX = path.join(ROOT, "test", "fixtures", "cli");
export const fixture = (rel: string) => path.join(FIX, rel);
export const rel = (p: string) => path.relative(ROOT, p);

export function load(relPath: string): ScanInput {
    const file = fixture(relPath);
    return readDocument(JSON.parse(fs.readFileSync(file, "utf8")), rel(file));
}

/** `portguard scan` in-process, as the command line runs it (not a TTY); `env` is its environment (TF_VAR_*). */
export async function scan(args: readonly string[], opts: ScanCommandOptions = {}, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env };
    const code = await runScan(args, opts, io);
    return { code, stdout, stderr };
}

/** `[level] policy @ resource name: message` with names mapped (for comparing paths). */
export function summarize(fs_: readonly Pick<ScanFinding, "level" | "policy" | "name" | "message">[], names: (n: string) => string = (n) => n): string[] {
    return fs_
        .map((f) => {
            const n = names(f.name);
            return `[${f.level}] ${f.policy} @ ${n}: ${f.message.split(`"${f.name}"`).join(`"${n}"`)}`;
        })
        .sort();
}

/**
 * An output without its fixed rule catalogue: SARIF carries each policy's help and controls,
 * whose titles quote `0.0.0.0/0` ("Ensure no security groups allow ingress from 0.0.0.0/0 ...").
 */
export function withoutRuleCatalogue(output: string, stdout: string): string {
    if (output !== "sarif") return stdout;
    const doc = JSON.parse(stdout) as { runs: Array<Record<string, unknown> & { tool: Record<string, unknown> }> };
    return JSON.stringify(doc.runs.map(({ tool, ...run }) => ({ ...run, tool: { driver: { ...(tool.driver as Record<string, unknown>), rules: undefined } } })));
}

/**
 * A validator for the official SARIF 2.1.0 schema (test/fixtures/sarif/, from
 * @microsoft/jest-sarif).
 */
export function sarifValidator() {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "sarif", "sarif-2.1.0-rtm.5.json"), "utf8"));
    // draft-04 -> the default (draft-07) class: the top-level `id` is `$id`; nothing else differs here
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    // the schema's language pattern is not valid with the `u` flag Ajv uses by default
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
    ajv.addFormat("uri-reference", /^[^\s]*$/);
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
    return ajv.compile(schema);
}
