/**
 * `portguard check <program dir>`: run a Pulumi program offline, as `pulumi preview
 * --policy-pack <portguard>` would, and report through the scan's renderers and exit codes.
 *   1. the program runs under mocks in preview mode with its own @pulumi/pulumi (capture.ts);
 *   2. portguard's pack is launched as the Pulumi CLI launches it, with portguard's own
 *      @pulumi/pulumi, and gets GetAnalyzerInfo, Configure (the reconciled
 *      --policy-pack-config), Analyze for every resource in registration order, then
 *      AnalyzeStack (analyzer.ts);
 *   3. the diagnostics become findings in the scan's report.
 * Loaded by main.ts only when the subcommand runs.
 */
import type { FindingData } from "../../findings/types";
import * as fs from "node:fs";
import * as path from "node:path";
import { adapterFor } from "../../providers";
import { OUTPUTS, toolInfo, UsageError, type Io, type OutputName } from "../command";
import { ConfigError, reportedLevel, resolvePolicySettings, type PolicySetting } from "../config";
import { renderJson } from "../output/json";
import { renderJunit } from "../output/junit";
import type { Report } from "../output/report";
import { plural } from "../output/report";
import { renderSarif } from "../output/sarif";
import { renderText } from "../output/text";
import { scanInput, type JudgedResource, type ScanFinding, type StackResult } from "../scan";
import { ConfigError as PackConfigError, launchPack, PackLaunchError, reconcileConfig, type Diagnostic, type WireResource } from "./analyzer";
import { capture, CaptureError, type CaptureResult } from "./capture";

export interface CheckCommandOptions {
    stack?: string;
    config?: string[];
    policyPackConfig?: string;
    mocks?: string;
    output?: string;
    outputFile?: string;
    color?: "auto" | "always" | "never";
    docsBaseUrl?: string;
    /** The pack to run (default: portguard itself); for tests. */
    pack?: string;
    now?: Date;
}

/** portguard's own package directory (dist/cli/check -> the package root): the pack. */
const PACK_DIR = path.resolve(__dirname, "..", "..", "..");

function oneLine(s: string): string {
    return s.replace(/\s*\n\s*/g, " ").trim();
}

function readPolicyPackConfig(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new UsageError(`--policy-pack-config ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (text.trim() === "") return undefined; // the Pulumi CLI accepts an empty file
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new UsageError(`--policy-pack-config ${file}: not valid JSON: ${e instanceof Error ? e.message.split("\n")[0] : "parse error"}`);
    }
}

function checkPackBuilt(packDir: string): void {
    const pkgFile = path.join(packDir, "package.json");
    if (!fs.existsSync(pkgFile)) throw new UsageError(`${packDir} has no package.json: not a policy pack`);
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string };
    const main = path.resolve(packDir, pkg.main || "index.js");
    if (![main, `${main}.js`, path.join(main, "index.js")].some((c) => fs.existsSync(c) && fs.statSync(c).isFile())) {
        throw new UsageError(`the pack's entry ${main} does not exist (run \`npm run build\` in ${packDir})`);
    }
}

/** Notes that go with the findings: what was not judged, and why. */
export interface CheckNotes {
    program: string;
    stack: string;
    pulumiVersion: string;
    registered: number;
    judged: number;
    remoteComponents: Array<{ type: string; name: string; urn: string }>;
    unansweredInvokes: string[];
    answeredInvokes: string[];
    mockedInvokes: string[];
    unansweredStackReferences: string[];
}

function notesText(n: CheckNotes): string[] {
    const out: string[] = [];
    for (const c of n.remoteComponents) {
        out.push(`note: ${c.type} "${c.name}" is a remote (multi-language) component: its children, security groups included, were not judged offline (run \`pulumi preview --policy-pack\` to judge them)`);
    }
    if (n.unansweredInvokes.length) {
        out.push(`note: no offline answer for ${n.unansweredInvokes.join(", ")}: what depends on ${n.unansweredInvokes.length === 1 ? "it" : "them"} is unknown; give answers with --mocks <file>`);
    }
    if (n.unansweredStackReferences.length) {
        out.push(`note: the outputs of stack reference${n.unansweredStackReferences.length === 1 ? "" : "s"} ${n.unansweredStackReferences.join(", ")} are unknown offline; give them with a --mocks newResource answer for type pulumi:pulumi:StackReference`);
    }
    out.push(`judged ${plural(n.judged, "firewall resource")} of ${n.registered} registered`);
    return out;
}

/**
 * The property path of each finding: the pack's diagnostics carry the message only, so the
 * same engine the pack runs is run here on the same resources and settings (as `portguard scan`
 * does), and each diagnostic takes the path of the finding with the same phase, resource,
 * policy and message. A diagnostic with no such finding keeps the resource itself (``).
 */
function pathsOf(cap: CaptureResult, settings: readonly PolicySetting[], now?: Date): Map<string, { path: string; messageId: string; data: FindingData }> {
    const paths = new Map<string, { path: string; messageId: string; data: FindingData }>();
    try {
        const r = scanInput(
            {
                source: "",
                format: "pulumi-preview",
                stack: "",
                skipped: 0,
                resources: cap.resources.map((x) => ({ input: { type: x.type, urn: x.urn, name: x.name, props: x.properties, propertyDependencies: x.propertyDependencies }, parent: x.parent })),
            },
            settings,
            { now },
        );
        for (const f of r.findings) paths.set(`${f.phase}\u0000${f.urn}\u0000${f.policy}\u0000${f.message}`, { path: f.path, messageId: f.messageId, data: f.data });
    } catch {
        // Paths are a convenience: the verdicts are the pack's.
    }
    return paths;
}

function toFindings(diags: Diagnostic[], phase: "resource" | "stack", cap: CaptureResult, settings: readonly PolicySetting[], source: string, stackLabel: string, order: Map<string, number>, paths: Map<string, { path: string; messageId: string; data: FindingData }>): ScanFinding[] {
    const byUrn = new Map(cap.resources.map((r) => [r.urn, r]));
    const def = new Map(settings.map((s) => [s.def.name, s]));
    return diags.map((d) => {
        const r = byUrn.get(d.urn);
        const s = def.get(d.policyName);
        const level = (["advisory", "mandatory", "remediate", "disabled"].includes(d.enforcementLevel) ? d.enforcementLevel : "advisory") as "advisory" | "mandatory" | "remediate" | "disabled";
        return {
            source,
            stack: stackLabel,
            policy: d.policyName,
            level: reportedLevel(level),
            severity: s?.def.severity ?? "medium",
            phase,
            urn: d.urn,
            name: r?.name ?? d.urn,
            type: r?.type ?? "",
            ...(({ path, messageId, data }) => ({ path, messageId, data }))(paths.get(`${phase}\u0000${d.urn}\u0000${d.policyName}\u0000${d.violation}`) ?? { path: "", messageId: "", data: {} }),
            message: d.violation,
            order: order.get(d.urn) ?? cap.resources.length,
        };
    });
}

/** Run `portguard check <programDir>`; resolves to the exit code. */
export async function runCheck(programDir: string | undefined, opts: CheckCommandOptions, io: Io): Promise<number> {
    const fail = (msg: string) => {
        io.stderr.write(`portguard: ${oneLine(msg)}\n`);
        return 2;
    };
    const output = (opts.output ?? "text") as OutputName;
    let settings: PolicySetting[];
    let fileConfig: unknown;
    const packDir = path.resolve(opts.pack ?? PACK_DIR);
    try {
        if (!programDir) throw new UsageError("check needs a Pulumi program directory");
        if (!(OUTPUTS as readonly string[]).includes(output)) throw new UsageError(`--output must be one of ${OUTPUTS.join(", ")}`);
        fileConfig = opts.policyPackConfig ? readPolicyPackConfig(opts.policyPackConfig) : undefined;
        const resolved = resolvePolicySettings(fileConfig, undefined, opts.now);
        settings = resolved.settings;
        for (const w of resolved.warnings) io.stderr.write(`portguard: ${w}\n`);
        checkPackBuilt(packDir);
    } catch (e) {
        if (e instanceof UsageError || e instanceof ConfigError) return fail(e.message);
        throw e;
    }

    let cap: CaptureResult;
    try {
        // The program's own output goes to stderr, so that stdout stays the report.
        cap = await capture(programDir, { stack: opts.stack, config: opts.config, mocks: opts.mocks, env: io.env, onOutput: (s) => io.stderr.write(s) });
    } catch (e) {
        if (e instanceof CaptureError) return fail(e.message);
        throw e;
    }

    const wire: WireResource[] = cap.resources.map((r) => ({
        type: r.type,
        urn: r.urn,
        name: r.name,
        parent: r.parent,
        properties: r.properties,
        propertyDependencies: r.propertyDependencies,
        dependencies: r.dependencies,
    }));
    let resourceDiags: Diagnostic[] = [];
    let stackDiags: Diagnostic[] = [];
    let packStderr = "";
    try {
        const pack = await launchPack(packDir, { env: { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined } });
        try {
            const info = await pack.getAnalyzerInfo();
            await pack.configure(reconcileConfig(info, fileConfig));
            for (const r of wire) resourceDiags.push(...(await pack.analyze(r)));
            stackDiags = await pack.analyzeStack(wire);
        } finally {
            packStderr = pack.stderr().trim();
            pack.close();
        }
    } catch (e) {
        if (e instanceof PackLaunchError) return fail(`the policy pack in ${packDir} failed to start; run it with PORTGUARD_DEBUG=1 for its output`);
        if (e instanceof PackConfigError) return fail(e.message);
        const msg = e instanceof Error ? e.message : String(e);
        if (process.env.PORTGUARD_DEBUG && packStderr) io.stderr.write(`${packStderr}\n`);
        return fail(`the policy pack failed: ${msg.split("\n")[0]}`);
    }
    if (packStderr && io.env.PORTGUARD_DEBUG) io.stderr.write(`policy pack stderr:\n${packStderr}\n`);

    const rel = path.relative(process.cwd(), path.resolve(programDir));
    const source = rel === "" ? "." : rel.startsWith("..") ? path.resolve(programDir) : rel;
    const stackLabel = `${cap.project.name}/${cap.stack.stack}`;
    const order = new Map(cap.resources.map((r, i) => [r.urn, i]));
    const rank = new Map(settings.map((s, i) => [s.def.name, i]));
    const paths = pathsOf(cap, settings, opts.now);
    const findings = [...toFindings(resourceDiags, "resource", cap, settings, source, stackLabel, order, paths), ...toFindings(stackDiags, "stack", cap, settings, source, stackLabel, order, paths)];
    findings.sort((a, b) => a.order - b.order || (a.phase === b.phase ? 0 : a.phase === "resource" ? -1 : 1) || (rank.get(a.policy) ?? 99) - (rank.get(b.policy) ?? 99));
    const judged: JudgedResource[] = cap.resources.filter((r) => r.custom && adapterFor(r.type)).map((r) => ({ urn: r.urn, name: r.name, type: r.type }));
    const stack: StackResult = { source, format: "pulumi-preview", stack: stackLabel, resources: cap.resources.length, judged, skipped: 0, findings };
    const mandatory = findings.some((f) => f.level === "mandatory");
    const exitCode = mandatory ? 1 : 0;
    const report: Report = { tool: toolInfo(), settings, stacks: [stack], errors: [], exitCode };
    const notes: CheckNotes = {
        program: source,
        stack: stackLabel,
        pulumiVersion: cap.pulumiVersion,
        registered: cap.resources.length,
        judged: judged.length,
        remoteComponents: cap.resources.filter((r) => r.remote).map((r) => ({ type: r.type, name: r.name, urn: r.urn })),
        unansweredInvokes: cap.invokes.unanswered,
        answeredInvokes: cap.invokes.answered,
        mockedInvokes: cap.invokes.fromMocks,
        unansweredStackReferences: cap.stackReferences,
    };

    const toFile = !!opts.outputFile;
    let rendered: string;
    if (output === "json") {
        const doc = JSON.parse(renderJson(report)) as Record<string, unknown>;
        doc.check = notes;
        rendered = `${JSON.stringify(doc, null, 2)}\n`;
    } else if (output === "sarif") {
        rendered = renderSarif(report, { docsBase: opts.docsBaseUrl });
    } else if (output === "junit") {
        rendered = renderJunit(report);
    } else {
        const colorWanted = opts.color === "always" || (opts.color !== "never" && !toFile && !!io.stdout.isTTY && !io.env.NO_COLOR);
        const text = renderText(report, { color: colorWanted }).replace(/^((?:\x1b\[[0-9;]*m)?)portguard scan: /, "$1portguard check: ");
        const lines = text.replace(/\n+$/, "").split("\n");
        // The exit-code line (when there is one) stays last but one; the judged line ends the run.
        const tail = lines.length && /mandatory violations: exit code 1/.test(lines[lines.length - 1]) ? lines.pop()! : undefined;
        lines.push(...(lines[lines.length - 1] === "" ? [] : [""]), ...notesText(notes).slice(0, -1));
        if (tail) lines.push(tail.replace("exit code 1", "`pulumi preview` with this pack would fail (exit code 1)"));
        lines.push(notesText(notes).slice(-1)[0]);
        rendered = `${lines.join("\n")}\n`;
    }
    if (output !== "text") for (const l of notesText(notes)) io.stderr.write(`portguard: ${l}\n`);
    if (toFile) {
        try {
            fs.writeFileSync(opts.outputFile!, rendered);
        } catch (e) {
            return fail(`--output-file ${opts.outputFile}: cannot write (${(e as NodeJS.ErrnoException).code ?? "error"})`);
        }
    } else {
        io.stdout.write(rendered);
    }
    return exitCode;
}
