/** Text output: findings grouped per resource, a summary per input, and by stack and policy. */
import type { ScanFinding } from "../scan";
import { byPolicy, count, plural, type Report } from "./report";

const ANSI = { red: "\x1b[31m", yellow: "\x1b[33m", bold: "\x1b[1m", dim: "\x1b[2m", green: "\x1b[32m", reset: "\x1b[0m" };

function indent(text: string, pad: string): string {
    return text
        .split("\n")
        .map((l, i) => (i === 0 ? l : pad + l))
        .join("\n");
}

function summaryLine(findings: readonly ScanFinding[], resources: number): string {
    if (findings.length === 0) return "no violations";
    const c = count(findings);
    const parts = [c.mandatory ? `${c.mandatory} mandatory` : "", c.advisory ? `${c.advisory} advisory` : ""].filter(Boolean).join(", ");
    // (a module call named as not judged is not a resource)
    const flagged = new Set(findings.filter((f) => f.urn.startsWith("urn:")).map((f) => f.urn)).size;
    return `${parts} (${plural(findings.length, "violation")} on ${flagged} of ${plural(resources, "resource")})`;
}

export function renderText(r: Report, opts: { color: boolean }): string {
    const c = (code: keyof typeof ANSI, s: string) => (opts.color ? `${ANSI[code]}${s}${ANSI.reset}` : s);
    const out: string[] = [];
    for (const s of r.stacks) {
        const where = s.source === "-" ? "stdin" : s.source;
        out.push(c("bold", `portguard scan: ${where}`) + ` (${s.format}, ${s.stack === where ? "" : `${s.stack}, `}${plural(s.resources, "resource")}, ${s.judged.length} judged)`);
        let group = "";
        for (const f of s.findings) {
            const head = f.address ? `${f.address}  ${c("dim", f.sourceType ?? f.type)}` : `${f.type}  ${f.name}`;
            const key = f.urn;
            if (key !== group) {
                out.push("", c("bold", head));
                group = key;
            }
            const level = f.level === "mandatory" ? c("red", "[mandatory]") : c("yellow", "[advisory]");
            const lead = `  ${f.level === "mandatory" ? "[mandatory]" : "[advisory]"} ${f.policy}: `;
            const where = [f.sourcePath, f.location ? `${f.location.uri}:${f.location.line}` : undefined].filter(Boolean).join(", ");
            const at = where ? ` ${c("dim", `(at ${where})`)}` : "";
            out.push(`  ${level} ${f.policy}: ${indent(f.message, " ".repeat(lead.length))}${at}`);
            if (f.note) out.push(`${" ".repeat(lead.length)}${c("dim", f.note)}`);
        }
        for (const x of s.suppressed ?? []) out.push(`  suppressed: ${x.policy} on ${x.address}${x.path ? ` (at ${x.path})` : ""} by ${x.at.uri}:${x.at.line}: ${x.reason}${x.expires ? ` (until ${x.expires})` : ""}`);
        const line = summaryLine(s.findings, s.resources);
        out.push("", count(s.findings).mandatory ? c("red", line) : s.findings.length ? c("yellow", line) : c("green", line), "");
    }
    const skipped = r.skippedFiles ?? [];
    if (skipped.length) {
        out.push(`skipped ${plural(skipped.length, "file")}:`);
        for (const k of skipped) out.push(`  ${k.source}: ${k.reason}`);
        out.push("");
    }
    for (const e of r.errors) out.push(`error: ${e.message}`);
    for (const n of r.notes ?? []) out.push(`note: ${n}`);
    if (r.stacks.length > 1) {
        const all = r.stacks.flatMap((s) => s.findings);
        const resources = r.stacks.reduce((n, s) => n + s.resources, 0);
        out.push(c("bold", `summary: ${plural(r.stacks.length, "input")}, ${summaryLine(all, resources)}`));
        out.push("by stack:");
        for (const s of r.stacks) {
            const where = s.source === "-" ? "stdin" : s.source;
            const rows = byPolicy(s.findings, r.settings).filter((p) => p.mandatory + p.advisory > 0);
            out.push(`  ${s.stack === where ? where : `${s.stack} (${where})`}:${rows.length ? "" : " no violations"}`);
            for (const p of rows) out.push(`    ${p.policy.padEnd(30)} ${[p.mandatory ? `${p.mandatory} mandatory` : "", p.advisory ? `${p.advisory} advisory` : ""].filter(Boolean).join(", ")}`);
        }
        out.push("by policy:");
        for (const p of byPolicy(all, r.settings)) {
            const stacks = new Set(all.filter((f) => f.policy === p.policy).map((f) => `${f.source}\u0000${f.stack}`)).size;
            const n = p.mandatory + p.advisory;
            out.push(`  ${p.policy.padEnd(32)} ${n ? `${[p.mandatory ? `${p.mandatory} mandatory` : "", p.advisory ? `${p.advisory} advisory` : ""].filter(Boolean).join(", ")} in ${plural(stacks, "stack")}` : "none"}`);
        }
        out.push("");
    }
    if (r.exitCode === 1) out.push(c("red", "mandatory violations: exit code 1"));
    return out.join("\n").replace(/\n+$/, "") + "\n";
}
