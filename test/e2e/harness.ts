/**
 * The one end-to-end harness of the suites that drive the built pack through Pulumi's loader
 * (loader.test.ts, robustness.test.ts, call-patterns.test.ts): the gRPC client of
 * scripts/lib/analyzer.js, a pack launched once per suite as the Pulumi CLI launches it, the
 * diagnostics' shape, URNs, and one driver per way Pulumi calls a pack (see call-patterns).
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const analyzer: any = require("../../scripts/lib/analyzer.js");

export const ROOT = path.resolve(__dirname, "../..");
/** Per test and hook: a cold pack start on a loaded 2-core machine takes seconds. */
export const TIMEOUT = 120_000;

export interface Diagnostic {
    policyName: string;
    /** As the CLI shows it: the policy's description, a newline, then the violation. */
    message: string;
    /** The violation alone. */
    violation: string;
    enforcementLevel: string;
    urn: string;
}

export interface NotApplicable {
    policyName: string;
    reason: string;
}

export interface Answer {
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
}

/** A resource as the engine sends it: properties in wire form. */
export interface WireResource {
    type: string;
    name: string;
    urn: string;
    properties: Record<string, unknown>;
    propertyDependencies?: Record<string, string[]>;
    dependencies?: string[];
    parent?: string;
}

export const urnFor = (stack: string) => (type: string, name: string) => `urn:pulumi:dev::${stack}::${type}::${name}`;

/** The launched pack and what GetAnalyzerInfo said; filled in by usePack's beforeAll. */
export interface PackHandle {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    pack: any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    info: any;
    /** Configure as the CLI does with no --policy-pack-config file (or with `file`). */
    configureDefaults(file?: unknown): Promise<void>;
}

/**
 * Launch the built pack (dist/) once for the calling suite, configured with the defaults;
 * close it after. Call at the top of a describe block.
 */
export function usePack(): PackHandle {
    const h: PackHandle = {
        pack: undefined,
        info: undefined,
        async configureDefaults(file?: unknown) {
            await h.pack.configure(analyzer.reconcileConfig(h.info, file));
        },
    };
    beforeAll(async () => {
        if (!existsSync(path.join(ROOT, "dist", "index.js"))) {
            throw new Error("dist/index.js is missing: run `npm run build` first (npm test does)");
        }
        h.pack = await analyzer.launchPack(ROOT);
        h.info = await h.pack.getAnalyzerInfo();
        await h.configureDefaults();
    }, TIMEOUT);
    afterAll(() => {
        h.pack?.close();
    });
    return h;
}

// ---------------------------------------------------------------------------
// Drivers: one per way Pulumi calls a pack (pulumi/pulumi pkg/resource/deploy).

/** One resource of a stack state, as `pulumi stack export` (deployment v3) holds it. */
export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    delete?: boolean;
}

export interface SnapshotRun {
    /** Remediate's answers per URN: reported by the CLI, never applied. */
    remediations: Map<string, Array<{ policyName: string; properties?: Record<string, unknown>; diagnostic: string }>>;
    /** Analyze's answers per URN. */
    resources: Map<string, Answer>;
    stack: Answer;
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/**
 * `pulumi policy analyze` (and `--file <export>`), after pkg/resource/deploy/analyze_snapshot.go:
 * for each resource not being deleted, Remediate then Analyze on the state's INPUTS (the
 * remediated properties are reported, not applied); then one AnalyzeStack with every
 * resource's OUTPUTS, parent, dependencies and property dependencies. One process, and no
 * ConfigureStack: the stack's tags are empty.
 */
export async function policyAnalyze(h: PackHandle, state: StateResource[]): Promise<SnapshotRun> {
    const live = state.filter((r) => !r.delete);
    const run: SnapshotRun = { remediations: new Map(), resources: new Map(), stack: { diagnostics: [], notApplicable: [] } };
    for (const r of live) {
        const req = { type: r.type, urn: r.urn, name: nameOf(r.urn), properties: r.inputs ?? {}, parent: r.parent };
        run.remediations.set(r.urn, await h.pack.remediate(req));
        run.resources.set(r.urn, await h.pack.analyzeFull(req));
    }
    run.stack = await h.pack.analyzeStackFull(
        live.map((r) => ({
            type: r.type,
            urn: r.urn,
            name: nameOf(r.urn),
            properties: r.outputs ?? {},
            parent: r.parent,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        })),
    );
    return run;
}

/**
 * An audit policy group on resources as the provider reads them (a stack's state after an
 * update, or resources discovered in a cloud account): resource policies alone, on OUTPUTS
 * (ids known), with no property dependencies and possibly no inputs at all.
 */
export async function auditResources(h: PackHandle, resources: Array<{ urn: string; type: string; outputs: Record<string, unknown> }>): Promise<Map<string, Answer>> {
    const out = new Map<string, Answer>();
    for (const r of resources) out.set(r.urn, await h.pack.analyzeFull({ type: r.type, urn: r.urn, name: nameOf(r.urn), properties: r.outputs }));
    return out;
}

/** An analyzer that runs only stack policies: AnalyzeStack on the state's outputs, nothing before it. */
export async function stackOnly(h: PackHandle, state: StateResource[]): Promise<Answer> {
    return h.pack.analyzeStackFull(
        state
            .filter((r) => !r.delete)
            .map((r) => ({ type: r.type, urn: r.urn, name: nameOf(r.urn), properties: r.outputs ?? {}, parent: r.parent, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies })),
    );
}

/**
 * `pulumi preview` / `pulumi up`, after the step generator: per resource as it registers,
 * Remediate (applied during `up`: the result replaces the inputs) then Analyze on the inputs;
 * AnalyzeStack once at the end with each resource's outputs and property dependencies.
 */
export async function previewOrUp(h: PackHandle, state: StateResource[], { apply = false } = {}): Promise<SnapshotRun> {
    const run: SnapshotRun = { remediations: new Map(), resources: new Map(), stack: { diagnostics: [], notApplicable: [] } };
    for (const r of state) {
        let properties = r.inputs ?? {};
        const req = () => ({ type: r.type, urn: r.urn, name: nameOf(r.urn), properties, parent: r.parent });
        const rem = await h.pack.remediate(req());
        run.remediations.set(r.urn, rem);
        if (apply) for (const x of rem) if (x.properties) properties = x.properties;
        run.resources.set(r.urn, await h.pack.analyzeFull(req()));
    }
    run.stack = await stackOnly(h, state);
    return run;
}

/** Every diagnostic of a run, resource phase then stack phase. */
export function allDiagnostics(run: SnapshotRun): Diagnostic[] {
    return [...[...run.resources.values()].flatMap((a) => a.diagnostics), ...run.stack.diagnostics];
}

/**
 * `portguard check examples/<example>` (the program under Pulumi's mocks, then the built pack as
 * `pulumi preview --policy-pack` runs it): its exit code, stderr, and the resource names with
 * violations, each with the policies that reported it.
 */
export function checkExample(example: string): { status: number | null; flagged: Record<string, string[]>; stderr: string } {
    const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "portguard.js"), "check", `examples/${example}`], { cwd: ROOT, encoding: "utf8", timeout: TIMEOUT - 5_000 });
    const flagged: Record<string, string[]> = {};
    let current: string | undefined;
    for (const line of r.stdout.split("\n")) {
        const head = /^(\S+:\S+:\S+)\s{2}(\S+)$/.exec(line);
        if (head) {
            current = head[2];
            flagged[current] = [];
            continue;
        }
        const v = /^\s+\[(?:advisory|mandatory)\] ([a-z-]+):/.exec(line);
        if (v && current) flagged[current] = [...new Set([...flagged[current], v[1]])].sort();
    }
    return { status: r.status, flagged, stderr: r.stderr };
}
