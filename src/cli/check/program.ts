/**
 * The child process of `portguard check` that runs the user's program, as Pulumi's Node.js
 * language host would, but under `pulumi.runtime.setMocks` in preview mode:
 *   - with the program's OWN @pulumi/pulumi (resolved from the program's entry file), so a
 *     program with its own node_modules and versions runs as it does under the Pulumi CLI;
 *   - TypeScript compiled with the program's own `typescript` (CommonJS through a require hook,
 *     ES modules through node:module hooks, `.js` specifiers mapped to `.ts` as nodenext does);
 *   - config from the PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS environment the parent sets,
 *     as the language host passes it.
 * Every RegisterResourceRequest the SDK sends the (mock) monitor is recorded: the inputs in
 * their wire form (unknowns, secrets, resource references as the SDK serialises them) and the
 * propertyDependencies the SDK computed. Invokes get the `--mocks` answer, else a built-in one,
 * else a wholly unknown result, and are named. The result goes back over the IPC channel.
 */
import * as fs from "node:fs";
import Module, { createRequire } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { formatOf, makeCompiler, tsTwin, type Compiler } from "./compile";
import { builtInAnswer, UNKNOWN } from "./invokes";

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface ProgramRequest {
    programDir: string;
    entry: string;
    project: string;
    stack: string;
    /** Config the program sees (also in PULUMI_CONFIG), for the built-in answers. */
    config: Record<string, string>;
    mocksFile?: string;
}

export interface Captured {
    type: string;
    name: string;
    urn: string;
    parent?: string;
    custom: boolean;
    remote: boolean;
    /** Inputs in the SDK's wire form (resource references still as references). */
    inputs: Record<string, unknown>;
    propertyDependencies: Record<string, string[]>;
    dependencies: string[];
}

export type ProgramResult =
    | { ok: true; pulumiVersion: string; pulumiPath: string; resources: Captured[]; invokes: { answered: string[]; fromMocks: string[]; unanswered: string[] }; stackReferences: string[] }
    | { ok: false; kind: "setup" | "program" | "config"; message: string; unanswered?: string[] };

class SetupError extends Error {}

const MARK = "__portguardUnanswered";

function firstLine(e: unknown): string {
    const m = e instanceof Error ? e.message : String(e);
    return m.split("\n")[0];
}

function findTypescript(entry: string, pulumiPath: string): string | undefined {
    for (const from of [entry, pulumiPath, __filename]) {
        try {
            return createRequire(from).resolve("typescript");
        } catch {
            /* next */
        }
    }
    return undefined;
}

let compiler: Compiler | undefined;
let compilerError: string | undefined;

function needCompiler(file: string): Compiler {
    if (!compiler) throw new SetupError(`${file} is TypeScript and no typescript package is resolvable from the program: ${compilerError ?? "run npm install typescript in the program's directory"}`);
    return compiler;
}

/** CommonJS: `.ts`/`.cts` compiled on require; a missing relative `.js` resolves to its `.ts` twin. */
function installRequireHooks(): void {
    const exts = (Module as any)._extensions as Record<string, (m: any, f: string) => void>;
    const compileTs = (module: any, filename: string) => {
        const source = fs.readFileSync(filename, "utf8");
        module._compile(needCompiler(filename).compile(source, filename, "commonjs"), filename);
    };
    for (const ext of [".ts", ".cts", ".tsx"]) if (!exts[ext]) exts[ext] = compileTs;
    const M = Module as any;
    const original = M._resolveFilename;
    M._resolveFilename = function (request: string, parent: any, ...rest: unknown[]) {
        try {
            return original.call(this, request, parent, ...rest);
        } catch (e) {
            if ((e as { code?: string }).code === "MODULE_NOT_FOUND" && (request.startsWith("./") || request.startsWith("../")) && parent?.filename) {
                const twin = tsTwin(path.resolve(path.dirname(parent.filename), request));
                if (twin && fs.existsSync(twin)) return twin;
            }
            throw e;
        }
    };
}

async function loadUserMocks(file: string): Promise<{ call?: (a: any) => any; newResource?: (a: any) => any }> {
    let mod: any;
    try {
        if (formatOf(file) === "module") mod = await import(pathToFileURL(file).href);
        else mod = require(file);
    } catch (e) {
        throw new SetupError(`--mocks ${file}: cannot load (${firstLine(e)})`);
    }
    const m = mod && (mod.call || mod.newResource) ? mod : mod?.default && (mod.default.call || mod.default.newResource) ? mod.default : undefined;
    if (!m) throw new SetupError(`--mocks ${file}: exports neither call nor newResource`);
    if (m.call !== undefined && typeof m.call !== "function") throw new SetupError(`--mocks ${file}: call is not a function`);
    if (m.newResource !== undefined && typeof m.newResource !== "function") throw new SetupError(`--mocks ${file}: newResource is not a function`);
    return m;
}

async function runProgram(req: ProgramRequest): Promise<ProgramResult> {
    const { entry, programDir } = req;
    const programRequire = createRequire(entry);
    let pulumiPath: string;
    try {
        pulumiPath = programRequire.resolve("@pulumi/pulumi");
    } catch {
        return { ok: false, kind: "setup", message: `@pulumi/pulumi is not installed for ${programDir}: run npm install there (the program runs with its own @pulumi/pulumi, as under the Pulumi CLI)` };
    }
    const pulumiPkg = JSON.parse(fs.readFileSync(path.join(pulumiPath.slice(0, pulumiPath.lastIndexOf(`${path.sep}@pulumi${path.sep}pulumi${path.sep}`) + `${path.sep}@pulumi${path.sep}pulumi`.length), "package.json"), "utf8")) as { version: string };
    let pulumi: any;
    let settings: any;
    try {
        pulumi = programRequire("@pulumi/pulumi");
        settings = programRequire("@pulumi/pulumi/runtime/settings");
    } catch (e) {
        return { ok: false, kind: "setup", message: `the program's @pulumi/pulumi ${pulumiPkg.version} (${pulumiPath}) cannot be loaded (${firstLine(e)}): run npm install in ${programDir}` };
    }
    if (typeof pulumi.runtime?.setMocks !== "function" || typeof settings.getMonitor !== "function") {
        return { ok: false, kind: "setup", message: `the program's @pulumi/pulumi ${pulumiPkg.version} has no runtime.setMocks: portguard check needs @pulumi/pulumi 3.x` };
    }

    const tsPath = findTypescript(entry, pulumiPath);
    if (tsPath) {
        try {
            compiler = makeCompiler(tsPath, programDir);
        } catch (e) {
            compilerError = `${tsPath}: ${firstLine(e)}`;
        }
    }
    installRequireHooks();
    const esm = formatOf(entry) === "module" || (req.mocksFile !== undefined && formatOf(req.mocksFile) === "module");
    if (esm) {
        const register = (Module as any).register as undefined | ((url: string, opts: unknown) => void);
        if (typeof register !== "function") {
            return { ok: false, kind: "setup", message: `${entry} is an ES module: Node.js ${process.versions.node} cannot load TypeScript ES modules here; use Node.js 20.6 or later` };
        }
        register(pathToFileURL(path.join(__dirname, "esm-hooks.js")).href, { data: { tsPath, programDir } });
    }

    let user: { call?: (a: any) => any; newResource?: (a: any) => any } = {};
    try {
        if (req.mocksFile) user = await loadUserMocks(req.mocksFile);
    } catch (e) {
        return { ok: false, kind: "setup", message: firstLine(e) };
    }

    const answered = new Set<string>();
    const fromMocks = new Set<string>();
    const unanswered = new Set<string>();
    const stackReferences = new Set<string>();
    await pulumi.runtime.setMocks(
        {
            async newResource(args: any) {
                const given = user.newResource ? await user.newResource(args) : undefined;
                if (given && typeof given === "object") return { id: given.id, state: given.state ?? args.inputs };
                if (args.type === "pulumi:pulumi:StackReference") {
                    // Another stack's outputs are not known offline: unknown, and named.
                    stackReferences.add(String(args.inputs?.name ?? args.name));
                    return { id: String(args.inputs?.name ?? args.name), state: { ...args.inputs, outputs: UNKNOWN, secretOutputNames: [] } };
                }
                // Preview of a create: no id yet (the SDK turns "" into an unknown id); outputs are
                // the inputs, computed outputs stay unknown.
                return { id: undefined, state: args.inputs };
            },
            async call(args: any) {
                const given = user.call ? await user.call(args) : undefined;
                if (given !== undefined && given !== null) {
                    fromMocks.add(args.token);
                    return given;
                }
                const built = builtInAnswer(args.token, args.inputs ?? {}, { config: req.config });
                if (built) {
                    answered.add(args.token);
                    return built;
                }
                unanswered.add(args.token);
                return { [MARK]: UNKNOWN };
            },
        },
        req.project,
        req.stack,
        true,
    );

    const monitor = settings.getMonitor();
    if (!monitor || typeof monitor.registerResource !== "function") {
        return { ok: false, kind: "setup", message: `could not reach the mock resource monitor of @pulumi/pulumi ${pulumiPkg.version}` };
    }
    const resources: Captured[] = [];
    const originalRegister = monitor.registerResource.bind(monitor);
    monitor.registerResource = (r: any, callback: (err: unknown, resp: any) => void) => {
        const record: Captured = {
            type: r.getType(),
            name: r.getName(),
            urn: "",
            parent: r.getParent() || undefined,
            custom: r.getCustom(),
            remote: typeof r.getRemote === "function" ? !!r.getRemote() : false,
            inputs: r.getObject() ? r.getObject().toJavaScript() : {},
            propertyDependencies: {},
            dependencies: r.getDependenciesList(),
        };
        for (const [prop, deps] of r.getPropertydependenciesMap().entries()) {
            const urns = deps.getUrnsList();
            if (urns.length > 0) record.propertyDependencies[prop] = urns;
        }
        resources.push(record);
        return originalRegister(r, (err: unknown, resp: any) => {
            if (resp) record.urn = resp.getUrn();
            callback(err, resp);
        });
    };
    // An invoke with no answer: wholly unknown, as the engine answers an invoke it cannot serve
    // during preview (the output form of the invoke is then unknown).
    const originalInvoke = monitor.invoke.bind(monitor);
    monitor.invoke = (r: any, callback: (err: unknown, resp: any) => void) =>
        originalInvoke(r, (err: unknown, resp: any) => {
            if (!err && resp && typeof resp.getReturn === "function") {
                const ret = resp.getReturn();
                const js = ret ? ret.toJavaScript() : undefined;
                if (js && MARK in js && typeof resp.setUnknown === "function") {
                    resp.setUnknown(true);
                    resp.setReturn(undefined);
                }
            }
            callback(err, resp);
        });

    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on("unhandledRejection", onError);
    process.on("uncaughtException", onError);
    try {
        let exported: any;
        if (formatOf(entry) === "module") {
            const ns = await import(pathToFileURL(entry).href);
            exported = ns.default !== undefined ? ns.default : ns;
        } else {
            exported = programRequire(entry);
            if (exported && exported.__esModule && typeof exported.default === "function") exported = exported.default;
        }
        if (typeof exported === "function") exported = exported();
        if (exported && typeof exported.then === "function") await exported;
        // Wait until every registration (and the outputs flowing between them) settled.
        for (let i = 0; i < 3; i++) {
            if (typeof settings.waitForRPCs === "function") await settings.waitForRPCs();
            await new Promise((r) => setImmediate(r));
        }
    } catch (e) {
        errors.unshift(e);
    } finally {
        process.off("unhandledRejection", onError);
        process.off("uncaughtException", onError);
    }
    if (errors.length > 0) {
        const e = errors[0];
        if (e instanceof SetupError) return { ok: false, kind: "setup", message: e.message };
        const missing = /Missing required configuration variable '([^']+)'/.exec(e instanceof Error ? e.message : String(e));
        if (missing) return { ok: false, kind: "config", message: missing[1] };
        return { ok: false, kind: "program", message: firstLine(e), unanswered: [...unanswered] };
    }
    const lost = resources.find((r) => !r.urn);
    if (lost) return { ok: false, kind: "program", message: `resource ${lost.type} "${lost.name}" got no URN from the mock monitor` };
    return { ok: true, pulumiVersion: pulumiPkg.version, pulumiPath, resources, invokes: { answered: [...answered], fromMocks: [...fromMocks], unanswered: [...unanswered] }, stackReferences: [...stackReferences] };
}

if (require.main === module) {
    process.once("message", (req: ProgramRequest) => {
        process.chdir(req.programDir); // programs read files relative to their directory, as under the CLI
        runProgram(req).then(
            (result) => process.send!(result, () => process.exit(0)),
            (e) => process.send!({ ok: false, kind: "program", message: firstLine(e) } satisfies ProgramResult, () => process.exit(0)),
        );
    });
}
