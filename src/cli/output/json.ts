/** JSON output (schema in docs/cli.md; `schemaVersion` changes only on incompatible changes). */
import type { ScanFinding } from "../scan";
import { byPolicy, count, findingUrl, type Report } from "./report";

export const JSON_SCHEMA_VERSION = 1;

function findingJson(f: ScanFinding) {
    return {
        source: f.source,
        stack: f.stack,
        policy: f.policy,
        messageId: f.messageId,
        url: findingUrl(f.policy, f.messageId),
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
        data: f.data,
        // HCL inputs only: where in the configuration (file relative to the scanned directory)
        ...(f.location ? { location: { file: f.location.file, line: f.location.line, column: f.location.column, uri: f.location.uri } } : {}),
        ...(f.note ? { note: f.note } : {}),
    };
}

/** `JSON.stringify(v, null, 2)` of a value that sits `depth` levels deep in the document. */
function nested(v: unknown, depth: number): string | undefined {
    const s = JSON.stringify(v, null, 2);
    // JSON text has no raw newline inside strings: every newline is the pretty printer's.
    return s === undefined || depth === 0 ? s : s.replace(/\n/g, `\n${"  ".repeat(depth)}`);
}

/**
 * The JSON document in pieces, in order: exactly `JSON.stringify(doc, null, 2)` and a newline,
 * without building the whole document or the whole text at once (findings are rendered one at a
 * time), so a large report can be written out as it is made.
 */
export function* renderJsonChunks(r: Report): Generator<string> {
    const all = r.stacks.flatMap((s) => s.findings);
    const head: Array<[string, unknown]> = [
        ["schemaVersion", JSON_SCHEMA_VERSION],
        ["tool", r.tool],
        ["exitCode", r.exitCode],
        [
            "summary",
            {
                inputs: r.stacks.length,
                resources: r.stacks.reduce((n, s) => n + s.resources, 0),
                judged: r.stacks.reduce((n, s) => n + s.judged.length, 0),
                findings: all.length,
                ...count(all),
                byPolicy: byPolicy(all, r.settings),
            },
        ],
        ["policies", r.settings.map((s) => ({ name: s.def.name, level: s.level, severity: s.def.severity, description: s.def.description }))],
        [
            "stacks",
            r.stacks.map((s) => ({
                source: s.source,
                format: s.format,
                stack: s.stack,
                resources: s.resources,
                judged: s.judged.length,
                skipped: s.skipped,
                findings: s.findings.length,
                ...count(s.findings),
                byPolicy: byPolicy(s.findings, r.settings),
                ...(s.suppressed?.length ? { suppressed: s.suppressed } : {}),
            })),
        ],
    ];
    let first = true;
    const member = (key: string, text: string) => {
        const s = `${first ? "{\n" : ",\n"}  ${JSON.stringify(key)}: ${text}`;
        first = false;
        return s;
    };
    for (const [k, v] of head) {
        const text = nested(v, 1);
        if (text !== undefined) yield member(k, text);
    }
    if (all.length === 0) {
        yield member("findings", "[]");
    } else {
        yield member("findings", "[\n");
        for (let i = 0; i < all.length; i++) yield `${i ? ",\n" : ""}    ${nested(findingJson(all[i]), 2)}`;
        yield "\n  ]";
    }
    yield member("errors", nested(r.errors, 1)!);
    yield member("skippedFiles", nested(r.skippedFiles ?? [], 1)!);
    if (r.notes?.length) yield member("notes", nested(r.notes, 1)!);
    yield "\n}\n";
}

export function renderJson(r: Report): string {
    return [...renderJsonChunks(r)].join("");
}
