/**
 * Runs a Pulumi program (in a child process: program.ts) and returns what it registered, in the
 * form the engine hands an analyzer. The child keeps the program's global state (its own
 * @pulumi/pulumi, its module hooks, whatever it does to `process`) away from portguard's.
 */
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UNKNOWN } from "./analyzer";
import type { Captured, ProgramRequest, ProgramResult } from "./program";
import { chooseStack, parseConfigArgs, ProjectError, readProject, resolveStackConfig, type Project, type StackConfig } from "./project";

/** The engine's signature key and the SDK's resource-reference signature. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** The program could not be run (one line, exit code 2). */
export class CaptureError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CaptureError";
    }
}

/**
 * Resource references as the engine marshals them for an analyzer (MarshalOptions without
 * KeepResources, pulumi/pulumi sdk/go/common/resource/plugin/rpc.go): the referenced resource's
 * id, the unknown sentinel when the id is not known yet (preview of a create), or its URN when it
 * has no id (a component). Everything else is kept as it is.
 */
export function marshalReferences(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(marshalReferences);
    if (value === null || typeof value !== "object") return value;
    const v = value as Record<string, unknown>;
    if (v[SIG_KEY] === RESOURCE_SIG) {
        if ("id" in v && v.id !== undefined && v.id !== null) return v.id === "" ? UNKNOWN : v.id;
        return typeof v.urn === "string" ? v.urn : UNKNOWN;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = marshalReferences(x);
    return out;
}

export interface CapturedResource extends Captured {
    /** Inputs in the form the engine sends an analyzer (resource references marshalled). */
    properties: Record<string, unknown>;
}

export interface CaptureResult {
    project: Project;
    stack: StackConfig;
    entry: string;
    pulumiVersion: string;
    resources: CapturedResource[];
    invokes: { answered: string[]; fromMocks: string[]; unanswered: string[] };
    /** Stack references with no `--mocks` answer (their outputs are unknown). */
    stackReferences: string[];
    /** What the program printed (stdout and stderr). */
    output: string;
}

export interface CaptureOptions {
    stack?: string;
    config?: readonly string[];
    mocks?: string;
    env?: Record<string, string | undefined>;
    /** Called with the program's output as it comes. */
    onOutput?: (chunk: string) => void;
    timeoutMs?: number;
}

/** The program's entry file, as the Node.js language host picks it. */
export function findEntry(programDir: string, main: string | undefined): string {
    const target = main ? path.resolve(programDir, main) : programDir;
    if (fs.existsSync(target) && fs.statSync(target).isFile()) return target;
    if (!fs.existsSync(target)) throw new CaptureError(`main: ${main} in Pulumi.yaml does not exist`);
    const pkgFile = path.join(target, "package.json");
    if (fs.existsSync(pkgFile)) {
        let pkg: { main?: string };
        try {
            pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
        } catch (e) {
            throw new CaptureError(`${pkgFile}: not valid JSON (${e instanceof Error ? e.message.split("\n")[0] : "parse error"})`);
        }
        if (pkg.main) {
            const p = path.resolve(target, pkg.main);
            for (const c of [p, `${p}.ts`, `${p}.js`, path.join(p, "index.ts"), path.join(p, "index.js")]) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
            // `main: bin/index.js` compiled from index.ts: the language host would run the build output;
            // run the source instead when the build output is absent.
            const twin = p.replace(/\.js$/, ".ts");
            if (fs.existsSync(twin)) return twin;
        }
    }
    for (const f of ["index.ts", "index.mts", "index.js", "index.mjs"]) {
        const p = path.join(target, f);
        if (fs.existsSync(p)) return p;
    }
    throw new CaptureError(`no program entry found in ${target} (package.json main, index.ts or index.js)`);
}

const CHILD = path.join(__dirname, "program.js");

/**
 * Runs the program in `programDir` under mocks (preview) with its stack config, and resolves to
 * its registrations in registration order.
 */
export async function capture(programDir: string, opts: CaptureOptions = {}): Promise<CaptureResult> {
    const dir = path.resolve(programDir);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CaptureError(`${programDir} is not a directory`);
    const env = opts.env ?? process.env;
    let project: Project;
    let stack: StackConfig;
    try {
        project = readProject(dir);
        if (project.runtime !== "nodejs") {
            throw new ProjectError(`${path.basename(project.file)}: runtime is "${project.runtime}"; portguard check runs Node.js programs (TypeScript or JavaScript) only: for ${project.runtime} programs use \`pulumi preview --policy-pack\` or \`portguard scan\` on \`pulumi preview --json\``);
        }
        const stackName = chooseStack(dir, opts.stack);
        stack = resolveStackConfig(project, stackName, parseConfigArgs(opts.config ?? []), env);
    } catch (e) {
        if (e instanceof ProjectError) throw new CaptureError(e.message);
        throw e;
    }
    const entry = findEntry(dir, project.main);
    const mocksFile = opts.mocks ? path.resolve(opts.mocks) : undefined;
    if (mocksFile && !fs.existsSync(mocksFile)) throw new CaptureError(`--mocks ${opts.mocks}: no such file`);

    const request: ProgramRequest = { programDir: dir, entry, project: project.name, stack: stack.stack, config: stack.values, mocksFile };
    const childEnv: Record<string, string | undefined> = {
        ...env,
        PULUMI_CONFIG: JSON.stringify(stack.values),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(stack.secretKeys),
        PULUMI_PROJECT: project.name,
        PULUMI_STACK: stack.stack,
        PULUMI_DRY_RUN: "true",
        PULUMI_NODEJS_PROJECT: project.name,
        PULUMI_NODEJS_STACK: stack.stack,
        PULUMI_NODEJS_DRY_RUN: "true",
    };
    // The passphrase has been used here; the program never needs it.
    delete childEnv.PULUMI_CONFIG_PASSPHRASE;
    delete childEnv.PULUMI_CONFIG_PASSPHRASE_FILE;

    const result = await new Promise<{ result?: ProgramResult; output: string; exit: string }>((resolve) => {
        const child = fork(CHILD, [], { cwd: dir, env: childEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe", "ipc"], execArgv: [] });
        let output = "";
        let got: ProgramResult | undefined;
        const onData = (d: Buffer) => {
            const s = d.toString("utf8");
            output += s;
            opts.onOutput?.(s);
        };
        child.stdout!.on("data", onData);
        child.stderr!.on("data", onData);
        const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 300_000);
        child.on("message", (m: ProgramResult) => {
            got = m;
        });
        child.on("error", (e) => {
            clearTimeout(timer);
            resolve({ output, exit: e.message });
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            resolve({ result: got, output, exit: signal ? `signal ${signal}` : `code ${code}` });
        });
        child.send(request);
    });
    const r = result.result;
    if (!r) {
        const last = result.output.trim().split("\n").filter(Boolean).pop();
        throw new CaptureError(`the program exited (${result.exit}) before it finished registering resources${last ? `: ${last}` : ""}`);
    }
    if (!r.ok) {
        if (r.kind === "config") {
            throw new CaptureError(`the program needs config ${r.message}: give it with --config ${r.message.startsWith(`${project.name}:`) ? r.message.slice(project.name.length + 1) : r.message}=<value> (or set it in Pulumi.${stack.stack}.yaml)`);
        }
        const hint = r.unanswered && r.unanswered.length ? ` (data source${r.unanswered.length === 1 ? "" : "s"} without an offline answer: ${r.unanswered.join(", ")}; give answers with --mocks <file>)` : "";
        throw new CaptureError(r.kind === "setup" ? r.message : `the program failed: ${r.message}${hint}`);
    }
    return {
        project,
        stack,
        entry,
        pulumiVersion: r.pulumiVersion,
        resources: r.resources.map((c) => ({ ...c, properties: marshalReferences(c.inputs) as Record<string, unknown> })),
        invokes: r.invokes,
        stackReferences: r.stackReferences,
        output: result.output,
    };
}
