/** Shared by the CLI tests: fixtures, an in-process `portguard scan`, and finding summaries. */
import * as fs from "node:fs";
import * as path from "node:path";
import { readDocument, runScan, type ScanCommandOptions, type ScanFinding, type ScanInput } from "../../src/cli";

export const ROOT = path.resolve(__dirname, "../..");
export const FIX = path.join(ROOT, "test", "fixtures", "cli");
export const fixture = (rel: string) => path.join(FIX, rel);
export const rel = (p: string) => path.relative(ROOT, p);

export function load(relPath: string): ScanInput {
    const file = fixture(relPath);
    return readDocument(JSON.parse(fs.readFileSync(file, "utf8")), rel(file));
}

/** `portguard scan` in-process, as the command line runs it (not a TTY). */
export async function scan(args: readonly string[], opts: ScanCommandOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {} };
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
