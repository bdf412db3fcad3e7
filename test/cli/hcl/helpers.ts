/** Shared by the HCL tests: Terraform trees on disk and `portguard scan` runs over them. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";
import type { ScanCommandOptions } from "../../../src/cli";
import { main } from "../../../src/cli/main";
import { ROOT, scan } from "../helpers";

export { ROOT };
export const HCL_FIX = path.join(ROOT, "test", "fixtures", "hcl");

/** A fresh directory per test file, removed afterwards. */
export function tempRoot(prefix: string): (files: Record<string, string>) => string {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), `portguard-${prefix}-`));
    afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
    let n = 0;
    return (files) => {
        const dir = path.join(base, `t${n++}`);
        for (const [name, text] of Object.entries(files)) {
            const f = path.join(dir, name);
            fs.mkdirSync(path.dirname(f), { recursive: true });
            fs.writeFileSync(f, text);
        }
        fs.mkdirSync(dir, { recursive: true });
        return dir;
    };
}

export interface JsonFinding {
    policy: string;
    level: string;
    address: string;
    path: string;
    sourcePath: string;
    message: string;
    location?: { file: string; line: number; column: number; uri: string };
    note?: string;
}

/** `portguard scan` in-process (not a TTY); env holds TF_VAR_* for the run. */
export const run = scan;

/** The whole command line in-process (commander included), `argv` as typed after `portguard`. */
export async function runMain(argv: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env };
    const code = await main(argv, io);
    return { code, stdout, stderr };
}

/** The JSON report of a scan. */
export async function scanJson(args: readonly string[], opts: ScanCommandOptions = {}, env: Record<string, string> = {}) {
    const r = await run(args, { ...opts, output: "json" }, env);
    if (!r.stdout) throw new Error(`no output (exit ${r.code}): ${r.stderr}`);
    const doc = JSON.parse(r.stdout);
    return { ...r, doc, findings: doc.findings as JsonFinding[] };
}

/** `policy @ address` of each finding, sorted. */
export function flagged(findings: readonly JsonFinding[], policy?: string): string[] {
    return findings
        .filter((f) => !policy || f.policy === policy)
        .map((f) => `${f.policy} @ ${f.address}`)
        .sort();
}

/** A security group with one ingress rule from `cidr` on `port` (HCL text). */
export function sg(name: string, port: number | string, cidr: string): string {
    return sgFrom(name, port, `[${cidr}]`);
}

/** A security group whose one ingress rule on `port` has `cidr_blocks = <cidrs>` (an HCL expression for the list). */
export function sgFrom(name: string, port: number | string, cidrs: string): string {
    return `resource "aws_security_group" "${name}" {
  name = "${name}"
  ingress {
    from_port   = ${port}
    to_port     = ${port}
    protocol    = "tcp"
    cidr_blocks = ${cidrs}
  }
}
`;
}

/**
 * A root module (main.tf: `before`, then group "g" whose SMB rule, TCP 445, high-risk, has
 * `cidr_blocks = <cidrs>`) scanned: its findings, the high-risk-ports ones and the
 * unverifiable-rules one.
 */
export async function scanSmbGroup(tree: (files: Record<string, string>) => string, cidrs: string, before = "") {
    const dir = tree({ "main.tf": `${before}\n${sgFrom("g", 445, cidrs)}` });
    const r = await scanJson([dir]);
    return {
        ...r,
        highRisk: r.findings.filter((f) => f.policy === "high-risk-ports"),
        unverifiable: r.findings.find((f) => f.policy === "unverifiable-rules"),
    };
}

/** An `aws_security_group_rule` "smb" (ingress TCP 445 into sg-123) with `count = <count>` and `cidr_blocks = <cidrs>` (HCL expressions). */
export function smbRuleCounted(count: string, cidrs: string): string {
    return `resource "aws_security_group_rule" "smb" {
  count             = ${count}
  type              = "ingress"
  from_port         = 445
  to_port           = 445
  protocol          = "tcp"
  cidr_blocks       = ${cidrs}
  security_group_id = "sg-123"
}
`;
}
