/**
 * The scan: for one input, exactly what one `pulumi preview` with the pack runs. Resource
 * phase: evaluateResource for every resource and enabled policy; stack phase: evaluateStack
 * over all resources for every enabled policy. Same engine, same config handling (defaults
 * in the engine, `all`, `disabled`), same exemptions. Each resource is adapted once
 * (adaptOnce) and the stack phase reuses the models by URN, as the engine does for the pack.
 */
import { adaptOnce, evaluateResource, evaluateStack, forgetInputModels, forgetStacks, type ReportedFinding, type Severity } from "../pack/engine";
import { adapterFor } from "../providers";
import type { FindingData } from "../findings/types";
import { scrubSecrets, SECRET_TEXT } from "../providers/read";
import { reportedLevel, type PolicySetting } from "./config";
import { TERRAFORM_TYPES, terraformPath } from "./formats/tfnames";
import type { FormatName, ScanInput, ScanResource } from "./formats/types";

export interface ScanFinding {
    source: string;
    stack: string;
    policy: string;
    level: "mandatory" | "advisory";
    severity: Severity;
    /** `resource`: what one resource proves (validateResource); `stack`: what the joined stack shows. */
    phase: "resource" | "stack";
    urn: string;
    name: string;
    type: string;
    /** Terraform address and type, for Terraform inputs. */
    address?: string;
    sourceType?: string;
    /** The property path as the pack reports it (Pulumi names); `` for the resource itself. */
    path: string;
    /** The same path in the input's own names (Terraform attribute names), when they differ. */
    sourcePath?: string;
    /** The message's stable id and the data it renders (src/findings). */
    messageId: string;
    data: FindingData;
    message: string;
    /** Position of the resource in its input (for stable ordering). */
    order: number;
}

export interface JudgedResource {
    urn: string;
    name: string;
    type: string;
    address?: string;
    sourceType?: string;
}

export interface StackResult {
    source: string;
    format: FormatName;
    stack: string;
    /** Resources read (after leaving out deleted ones). */
    resources: number;
    /** Resources a portguard adapter reads (firewalls, rules, prefix lists). */
    judged: JudgedResource[];
    skipped: number;
    findings: ScanFinding[];
}

export interface ScanOptions {
    now?: Date;
    /** Called while the resource phase runs (for a progress line). */
    onProgress?: (done: number, total: number) => void;
}

export function scanInput(input: ScanInput, settings: readonly PolicySetting[], opts: ScanOptions = {}): StackResult {
    const now = opts.now ?? new Date();
    const active = settings.filter((s) => s.level !== "disabled");
    const resources = input.resources;
    const order = new Map<string, number>();
    resources.forEach((r, i) => order.set(r.input.urn, i));
    const findings: ScanFinding[] = [];
    // The secret rule's last net: the engine already writes secret values `[secret]`; what the
    // input itself marks secret (Terraform `sensitive`) is scrubbed again here, and a
    // Terraform input says `[sensitive]`, its own word.
    const secrets = input.secrets ? [...input.secrets] : [];
    const word = input.secretWord ?? SECRET_TEXT;
    const text = (m: string): string => {
        const t = secrets.length ? scrubSecrets(m, secrets) : m;
        return word !== SECRET_TEXT && t.includes(SECRET_TEXT) ? t.split(SECRET_TEXT).join(word) : t;
    };
    const dataText = (v: unknown): unknown => {
        if (typeof v === "string") return text(v);
        if (Array.isArray(v)) return v.map(dataText);
        if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dataText(x)]));
        return v;
    };
    const make = (s: PolicySetting, f: ReportedFinding, phase: "resource" | "stack"): ScanFinding => {
        const i = order.get(f.urn);
        const r: ScanResource | undefined = i === undefined ? undefined : resources[i];
        const mapping = r?.sourceType ? TERRAFORM_TYPES[r.sourceType] : undefined;
        const sourcePath = mapping && f.path ? terraformPath(mapping, f.path) : undefined;
        return {
            source: input.source,
            stack: input.stack,
            policy: s.def.name,
            level: reportedLevel(s.level),
            severity: s.def.severity,
            phase,
            urn: f.urn,
            name: r?.input.name ?? f.urn,
            type: r?.input.type ?? "",
            ...(r?.address ? { address: r.address } : {}),
            ...(r?.sourceType ? { sourceType: r.sourceType } : {}),
            path: f.path,
            ...(sourcePath !== undefined && sourcePath !== f.path ? { sourcePath } : {}),
            messageId: f.messageId,
            data: dataText(f.data) as FindingData,
            message: text(f.message),
            order: i ?? resources.length,
        };
    };

    forgetInputModels();
    try {
        const inputs = resources.map((r) => adaptOnce(r.input));
        const total = inputs.length;
        for (let i = 0; i < total; i++) {
            for (const s of active) for (const f of evaluateResource(s.def, inputs[i], s.properties, now)) findings.push(make(s, f, "resource"));
            if (opts.onProgress && (i & 1023) === 1023) opts.onProgress(i + 1, total);
        }
        opts.onProgress?.(total, total);
        forgetInputModels(resources.filter((r) => r.fromOutputs).map((r) => r.input.urn));
        for (const s of active) for (const f of evaluateStack(s.def, inputs, s.properties, now)) findings.push(make(s, f, "stack"));
    } finally {
        // Nothing of this input's models is kept once its findings are made.
        forgetInputModels();
        forgetStacks();
    }

    const rank = new Map(settings.map((s, i) => [s.def.name, i]));
    findings.sort((a, b) => a.order - b.order || (a.phase === b.phase ? 0 : a.phase === "resource" ? -1 : 1) || rank.get(a.policy)! - rank.get(b.policy)!);
    const judged: JudgedResource[] = [];
    for (const r of resources) {
        if (!adapterFor(r.input.type)) continue;
        judged.push({ urn: r.input.urn, name: r.input.name, type: r.input.type, ...(r.address ? { address: r.address } : {}), ...(r.sourceType ? { sourceType: r.sourceType } : {}) });
    }
    return { source: input.source, format: input.format, stack: input.stack, resources: resources.length, judged, skipped: input.skipped, findings };
}
