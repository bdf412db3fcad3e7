/** What every output format renders: the results of one `portguard scan` run. */
import { policyUrl } from "../../pack/meta";
import type { PolicySetting } from "../config";
import type { ScanFinding, StackResult } from "../scan";

export interface InputErrorRecord {
    source: string;
    message: string;
}

export interface Report {
    tool: { name: string; version: string };
    settings: readonly PolicySetting[];
    stacks: readonly StackResult[];
    errors: readonly InputErrorRecord[];
    /** Files a directory scan passed over, each with why (absent: none). */
    skippedFiles?: readonly { source: string; reason: string }[];
    exitCode: number;
    /** Line of each resource in its input file (`source` -> URN -> line), for SARIF regions. */
    lines?: ReadonlyMap<string, ReadonlyMap<string, number>>;
    /** What was not judged again, and why (also written to stderr). */
    notes?: readonly string[];
}

export interface Counts {
    mandatory: number;
    advisory: number;
}

export function count(findings: readonly ScanFinding[]): Counts {
    const c = { mandatory: 0, advisory: 0 };
    for (const f of findings) c[f.level]++;
    return c;
}

export function byPolicy(findings: readonly ScanFinding[], settings: readonly PolicySetting[]): Array<{ policy: string } & Counts> {
    const m = new Map<string, Counts>(settings.map((s) => [s.def.name, { mandatory: 0, advisory: 0 }]));
    for (const f of findings) {
        let c = m.get(f.policy);
        if (!c) m.set(f.policy, (c = { mandatory: 0, advisory: 0 }));
        c[f.level]++;
    }
    return [...m].map(([policy, c]) => ({ policy, ...c }));
}

export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Where a resource is, in its input's own terms: the Terraform address, else the URN. */
export function resourceId(f: { address?: string; urn: string }): string {
    return f.address ?? f.urn;
}

/** `file:line:column` of a finding's source location (HCL inputs), as reached from the working directory. */
export function locationText(f: ScanFinding): string | undefined {
    return f.location ? `${f.location.uri}:${f.location.line}:${f.location.column}` : undefined;
}

/** The property path in the input's own names. */
export function displayPath(f: ScanFinding): string {
    return f.sourcePath ?? f.path;
}

/** The doc anchor of a finding's message id: `docs/policies/<name>.md#<messageid>` (GitHub's anchor of the id's heading). */
export function findingUrl(policy: string, messageId: string, base?: string): string {
    return `${docsLink(policy, base)}#${messageId.toLowerCase()}`;
}

/** `docs/policies/<name>.md`, under a base URL when one is given. */
/**
 * A policy's documentation page: under `base` (a checkout's root, --docs-base-url) when given,
 * else the page the pack gives Pulumi Cloud (package.json `homepage`, src/pack/meta.ts).
 */
export function docsLink(policy: string, base?: string): string {
    return base ? `${base.replace(/\/+$/, "")}/docs/policies/${policy}.md` : policyUrl(policy);
}
