/** JSON output (schema in docs/cli.md; `schemaVersion` changes only on incompatible changes). */
import { byPolicy, count, type Report } from "./report";

export const JSON_SCHEMA_VERSION = 1;

export function renderJson(r: Report): string {
    const all = r.stacks.flatMap((s) => s.findings);
    const doc = {
        schemaVersion: JSON_SCHEMA_VERSION,
        tool: r.tool,
        exitCode: r.exitCode,
        summary: {
            inputs: r.stacks.length,
            resources: r.stacks.reduce((n, s) => n + s.resources, 0),
            judged: r.stacks.reduce((n, s) => n + s.judged.length, 0),
            findings: all.length,
            ...count(all),
            byPolicy: byPolicy(all, r.settings),
        },
        policies: r.settings.map((s) => ({ name: s.def.name, level: s.level, severity: s.def.severity, description: s.def.description })),
        stacks: r.stacks.map((s) => ({
            source: s.source,
            format: s.format,
            stack: s.stack,
            resources: s.resources,
            judged: s.judged.length,
            skipped: s.skipped,
            findings: s.findings.length,
            ...count(s.findings),
            byPolicy: byPolicy(s.findings, r.settings),
        })),
        findings: all.map((f) => ({
            source: f.source,
            stack: f.stack,
            policy: f.policy,
            level: f.level,
            severity: f.severity,
            phase: f.phase,
            urn: f.urn,
            name: f.name,
            type: f.type,
            address: f.address ?? null,
            sourceType: f.sourceType ?? null,
            path: f.path,
            sourcePath: f.sourcePath ?? f.path,
            message: f.message,
        })),
        errors: r.errors,
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
}
