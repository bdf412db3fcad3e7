/**
 * The scan: for one input, exactly what one `pulumi preview` with the pack runs. Resource
 * phase: evaluateResource for every resource and enabled policy; stack phase: evaluateStack
 * over all resources for every enabled policy. Same engine, same config handling (defaults
 * in the engine, `all`, `disabled`), same exemptions. Each scan has its own evaluator (dropped
 * with its input): each resource is adapted once, and the stack phase reuses the models by
 * URN, as the pack's evaluator does.
 */
import { Evaluator } from "../pack/evaluator";
import type { ReportedFinding, Severity } from "../policies/types";
import { adapterFor } from "../providers";
import type { Finding, FindingData } from "../findings/types";
import { renderMessage } from "../findings/render";
import { scrubSecrets, SECRET_TEXT } from "../providers/read";
import { reportedLevel, type PolicySetting } from "./config";
import * as path from "node:path";
import { expired } from "./formats/hcl/suppress";
import { TERRAFORM_TYPES, terraformPath, type TfMapping } from "./formats/tfnames";
import type { FormatName, ScanInput, ScanResource, SourceLocation } from "./formats/types";

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
    /**
     * HCL inputs: the attribute or block that causes the finding (the most specific one known
     * for its property path). `file` is relative to the scanned directory; `uri` is the same file
     * as reached from the working directory (`/`-separated), for SARIF and the text output.
     */
    location?: FindingLocation;
    /** HCL inputs: why a value is unknown, and where the unknown comes from. */
    note?: string;
}

export interface FindingLocation extends SourceLocation {
    uri: string;
}

/** A finding a `# portguard:ignore` comment exempted. */
export interface SuppressedFinding {
    policy: string;
    address: string;
    path: string;
    reason: string;
    expires?: string;
    /** Where the comment is. */
    at: FindingLocation;
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
    /** HCL inputs: findings exempted by inline suppressions. */
    suppressed?: SuppressedFinding[];
    /** Lines to show besides the findings (what was not judged again, and why). */
    notes?: string[];
}

/** Property path `ingress[2].cidr_blocks[0]` -> its prefixes, longest first (ending with ``). */
function prefixes(p: string): string[] {
    const out = [p];
    let s = p;
    while (s) {
        const cut = Math.max(s.lastIndexOf("."), s.lastIndexOf("["));
        s = cut > 0 ? s.slice(0, cut) : "";
        out.push(s);
    }
    return out;
}

/** Whether property path `c` is `p` or lies under it (`` holds every path). */
function under(c: string, p: string): boolean {
    return !p || c === p || c.startsWith(`${p}.`) || c.startsWith(`${p}[`);
}

/** The deepest path that holds both (`ingress[0].cidrBlocks[1]`, `ingress[0].ipv6CidrBlocks[0]` -> `ingress[0]`). */
function commonPath(a: string, b: string): string {
    let p = a;
    while (p && !under(b, p)) {
        const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
        p = cut > 0 ? p.slice(0, cut) : "";
    }
    return p;
}

type PathItem = { path?: unknown };
const items = (v: unknown): PathItem[] => (Array.isArray(v) ? v.filter((x): x is PathItem => !!x && typeof x === "object") : []);

/**
 * The property paths a finding's data names as what causes it (src/findings/types.ts): an
 * exposure's public peers (or, when it names none, the peers that hide addresses), and a rule's
 * unknown, refused or ambiguous values. Read from the data, never from the message's wording.
 */
function causePaths(data: FindingData): string[] {
    const out: unknown[] = [];
    const sources = data.sources as { peers?: unknown; hidden?: unknown } | undefined;
    if (sources && typeof sources === "object") {
        const peers = items(sources.peers);
        out.push(...(peers.length ? peers : items(sources.hidden)).map((x) => x.path));
    }
    // unverifiable-rules' ruleProblems: `unknown` lists paths (`the rule` for the rule itself)
    if (Array.isArray(data.unknown)) out.push(...data.unknown);
    for (const k of ["refused", "ambiguous"]) out.push(...items(data[k]).map((x) => x.path));
    return out.filter((x): x is string => typeof x === "string" && x !== "" && !/\s/.test(x));
}

/**
 * The most specific Terraform path of a finding: the deepest property path under its own path
 * that holds every cause its data names (the `cidr_blocks` attribute of an exposure from
 * `0.0.0.0/0`; the `ingress` block when two of its attributes contribute), else undefined.
 */
function precisePath(f: Pick<Finding, "path" | "data">, mapping: TfMapping): string | undefined {
    let best: string | undefined;
    for (const c of causePaths(f.data)) {
        if (!under(c, f.path)) continue;
        best = best === undefined ? c : commonPath(best, c);
    }
    return best && best !== f.path ? terraformPath(mapping, best) : undefined;
}

function withUri(source: string, l: SourceLocation): FindingLocation {
    const uri = source === "-" ? l.file : path.join(source, l.file).split(path.sep).join("/");
    return { ...l, uri };
}

/** The most specific source location of a property path (longest known prefix, else the resource). */
export function locate(r: ScanResource, tfPath: string, source: string): FindingLocation | undefined {
    if (!r.location) return undefined;
    if (r.locations && /^[A-Za-z0-9_.[\]"-]*$/.test(tfPath)) {
        for (const p of prefixes(tfPath)) {
            const l = r.locations.get(p);
            if (l) return withUri(source, l);
        }
    }
    return withUri(source, r.location);
}

/** Why the value at (or under, or above) a path is unknown, for unverifiable-rules findings. */
function unknownNote(r: ScanResource, tfPath: string): string | undefined {
    if (!r.unknowns?.size) return undefined;
    let hit = r.unknowns.get(tfPath);
    if (!hit) for (const p of prefixes(tfPath)) if ((hit = r.unknowns.get(p))) break;
    if (!hit) for (const [p, u] of r.unknowns) if (p.startsWith(tfPath) || tfPath === "") {
        hit = u;
        break;
    }
    if (!hit) return undefined;
    return hit.at.line ? `unknown: ${hit.why} (${hit.at.file}:${hit.at.line})` : `unknown: ${hit.why}`;
}

/**
 * The CLI's one redaction, in one pass over a finding's message and every string of its data
 * (the secret rule's last net; the engine already writes the secrets it knows `[secret]`): every
 * plaintext the input marks secret or sensitive (a plan's sensitive values, `input.secrets`) and,
 * for HCL, the values that come from sensitive variables or outputs (`resource.sensitive`): the
 * resource's own for what one resource shows, every resource's for what the joined stack shows
 * (a union finding on a group renders its rule resources' ports); as whole tokens. Every
 * `[secret]` is then written in the input's own word (`[sensitive]` for Terraform).
 */
function redaction(input: ScanInput): (r: ScanResource | undefined, phase: "resource" | "stack") => (v: unknown) => unknown {
    const word = input.secretWord ?? SECRET_TEXT;
    const common = input.secrets ? [...input.secrets] : [];
    let joined: ((v: unknown) => unknown) | undefined;
    const deep = (str: (s: string) => string) => {
        const go = (v: unknown): unknown => {
            if (typeof v === "string") return str(v);
            if (Array.isArray(v)) return v.map(go);
            if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, go(x)]));
            return v;
        };
        return go;
    };
    const make = (secrets: readonly string[]) =>
        deep((m) => {
            const t = secrets.length ? scrubSecrets(m, secrets) : m;
            return word !== SECRET_TEXT && t.includes(SECRET_TEXT) ? t.split(SECRET_TEXT).join(word) : t;
        });
    const shared = make(common);
    return (r, phase) => {
        if (phase === "stack") return (joined ??= make([...common, ...input.resources.flatMap((x) => x.sensitive ?? [])]));
        return r?.sensitive?.length ? make([...common, ...r.sensitive]) : shared;
    };
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
    const redact = redaction(input);
    /** The most specific Terraform path of each finding (for suppressions on attributes). */
    const precisePaths = new Map<ScanFinding, string>();
    const make = (s: PolicySetting, f: ReportedFinding, phase: "resource" | "stack"): ScanFinding => {
        const i = order.get(f.urn);
        const r: ScanResource | undefined = i === undefined ? undefined : resources[i];
        const mapping = r?.sourceType ? TERRAFORM_TYPES[r.sourceType] : undefined;
        const sourcePath = mapping && f.path ? terraformPath(mapping, f.path) : undefined;
        const precise = r?.locations && mapping ? precisePath(f, mapping) : undefined;
        const location = r ? locate(r, precise ?? sourcePath ?? f.path, input.source) : undefined;
        const note = r && s.def.name === "unverifiable-rules" ? unknownNote(r, precise ?? sourcePath ?? f.path) : undefined;
        const clean = redact(r, phase); // message, data and note: the one redaction
        const made: ScanFinding = {
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
            data: clean(f.data) as FindingData,
            message: clean(f.message) as string,
            order: i ?? resources.length,
            ...(location ? { location } : {}),
            ...(note ? { note: clean(note) as string } : {}),
        };
        if (precise) precisePaths.set(made, precise);
        return made;
    };

    {
        // Nothing of this input's models is kept once its findings are made: the evaluator goes with this block.
        const evaluator = new Evaluator({ unchangingInputs: true });
        const inputs = resources.map((r) => r.input);
        const total = inputs.length;
        for (let i = 0; i < total; i++) {
            for (const s of active) for (const f of evaluator.evaluateResource(s.def, inputs[i], s.properties, now)) findings.push(make(s, f, "resource"));
            if (opts.onProgress && (i & 1023) === 1023) opts.onProgress(i + 1, total);
        }
        opts.onProgress?.(total, total);
        evaluator.readFromStack(resources.filter((r) => r.fromOutputs).map((r) => r.input.urn));
        for (const s of active) for (const f of evaluator.evaluateStack(s.def, inputs, s.properties, now)) findings.push(make(s, f, "stack"));
    }

    // What the reader could not judge at all (HCL: a module not read, an unknown count).
    const unverifiable = active.find((s) => s.def.name === "unverifiable-rules");
    if (unverifiable) {
        for (const n of input.notices ?? []) {
            const i = resources.findIndex((r) => r.address === n.address);
            const r = i >= 0 ? resources[i] : undefined;
            findings.push({
                source: input.source,
                stack: input.stack,
                policy: unverifiable.def.name,
                level: reportedLevel(unverifiable.level),
                severity: unverifiable.def.severity,
                phase: "stack",
                urn: r?.input.urn ?? n.address,
                name: r?.input.name ?? n.address,
                type: r?.input.type ?? "terraform:module",
                address: n.address,
                ...(r?.sourceType ? { sourceType: r.sourceType } : {}),
                path: "",
                messageId: "notJudged",
                data: { address: n.address, reason: n.message },
                message: renderMessage(unverifiable.def.name, { messageId: "notJudged", data: { address: n.address, reason: n.message } }),
                order: i >= 0 ? i : resources.length,
                ...(n.location ? { location: withUri(input.source, n.location) } : {}),
            });
        }
    }
    const suppressed = applySuppressions(findings, resources, order, input.source, now, precisePaths);

    const rank = new Map(settings.map((s, i) => [s.def.name, i]));
    findings.sort((a, b) => a.order - b.order || (a.phase === b.phase ? 0 : a.phase === "resource" ? -1 : 1) || rank.get(a.policy)! - rank.get(b.policy)!);
    const judged: JudgedResource[] = [];
    for (const r of resources) {
        if (!adapterFor(r.input.type)) continue;
        judged.push({ urn: r.input.urn, name: r.input.name, type: r.input.type, ...(r.address ? { address: r.address } : {}), ...(r.sourceType ? { sourceType: r.sourceType } : {}) });
    }
    return {
        source: input.source,
        format: input.format,
        stack: input.stack,
        resources: resources.length,
        judged,
        skipped: input.skipped,
        findings,
        ...(suppressed.length ? { suppressed } : {}),
        ...(input.notes?.length ? { notes: input.notes } : {}),
    };
}

/**
 * Inline suppressions (HCL): a finding whose resource, block or attribute carries a
 * `# portguard:ignore` for its policy is exempted when the comment gives a reason and has not
 * expired; otherwise it stays, and its message says why the comment exempted nothing.
 */
function applySuppressions(
    findings: ScanFinding[],
    resources: readonly ScanResource[],
    order: ReadonlyMap<string, number>,
    source: string,
    now: Date,
    precisePaths: ReadonlyMap<ScanFinding, string>,
): SuppressedFinding[] {
    const out: SuppressedFinding[] = [];
    if (!resources.some((r) => r.suppressions?.length)) return out;
    for (let k = 0; k < findings.length; k++) {
        const f = findings[k];
        const i = order.get(f.urn);
        const r = i === undefined ? undefined : resources[i];
        if (!r?.suppressions?.length) continue;
        const p = f.sourcePath ?? f.path;
        const pre = new Set(prefixes(precisePaths.get(f) ?? p));
        // the most specific matching comment decides
        const s = r.suppressions
            .filter((x) => x.policies.includes(f.policy) && x.scopes.some((sc) => pre.has(sc)))
            .sort((a, b) => Math.max(...b.scopes.map((x) => x.length)) - Math.max(...a.scopes.map((x) => x.length)))[0];
        if (!s) continue;
        const at = `${withUri(source, s.at).uri}:${s.at.line}`;
        if (!s.reason) {
            f.message += `\n(the portguard:ignore at ${at} gives no reason="...", so it exempts nothing)`;
            continue;
        }
        if (expired(s, now)) {
            f.message += `\n(the portguard:ignore at ${at} expired on ${s.expires})`;
            continue;
        }
        out.push({ policy: f.policy, address: f.address ?? f.name, path: p, reason: s.reason, ...(s.expires ? { expires: s.expires } : {}), at: withUri(source, s.at) });
        findings.splice(k--, 1);
    }
    return out;
}
