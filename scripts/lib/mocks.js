"use strict";
// Runs a Pulumi TypeScript/JavaScript program under `pulumi.runtime.setMocks` in preview
// mode and records every resource registration, in the order the registrations reach the
// resource monitor (the order the engine would see them).
//
// How the registrations (and their propertyDependencies) are captured
// --------------------------------------------------------------------
// setMocks() installs a MockMonitor, the object the SDK sends each RegisterResourceRequest
// to. After setMocks() we take that monitor (runtime/settings getMonitor()) and wrap its
// registerResource(req, cb): the request is exactly what the SDK would send the real
// engine, so we read from it
//   - type, name, parent, custom, and the URN the mock answers with;
//   - req.getObject(): the serialized inputs, already in the engine's wire form. Because
//     the run is a preview, values the program cannot know yet (ids of resources being
//     created, computed outputs) are the engine's unknown sentinel string, secrets carry the
//     engine's secret signature, exactly as `pulumi preview` hands them to an analyzer;
//   - req.getPropertydependenciesMap(): for each input property, the URNs of the resources
//     whose outputs flowed into it. The SDK computes this itself by tracking Output
//     dependencies, so nothing is guessed here (no matching of ids).
// The mock's newResource returns no id in preview (so ids are unknown, as in a real
// preview of new resources) and echoes the inputs as the resource's state.
//
// One @pulumi/pulumi: the program must import the same copy whose setMocks we call, so the
// copy is resolved from the program directory and compared with the harness's own.
//
// TypeScript: the program's .ts files are compiled on require with the repository's
// `typescript` (transpileModule to CommonJS, no type-checking); ts-node is not installed.

const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");
const { UNKNOWN } = require("./analyzer");

class CaptureError extends Error {
    constructor(message) {
        super(message);
        this.name = "CaptureError";
    }
}

/** Reads `name:` and `main:` from Pulumi.yaml (top-level scalar keys only; no YAML dependency). */
function readPulumiYaml(programDir) {
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(programDir, f)).find((f) => fs.existsSync(f));
    if (!file) {
        throw new CaptureError(`${programDir} has no Pulumi.yaml: not a Pulumi project`);
    }
    const text = fs.readFileSync(file, "utf8");
    const scalar = (key) => {
        const m = text.match(new RegExp(`^${key}:[ \\t]*(.*?)[ \\t]*$`, "m"));
        if (!m) return undefined;
        return m[1].replace(/^(['"])(.*)\1$/, "$2") || undefined;
    };
    const runtime = scalar("runtime") ?? (/^runtime:\s*\n\s+name:\s*(\S+)/m.exec(text) || [])[1];
    return { file, name: scalar("name"), main: scalar("main"), runtime };
}

/** The program's entry file, as the Node.js language host picks it. */
function findEntry(programDir, main) {
    const dir = main ? path.resolve(programDir, main) : programDir;
    if (fs.existsSync(dir) && fs.statSync(dir).isFile()) {
        return dir;
    }
    const pkgFile = path.join(dir, "package.json");
    if (fs.existsSync(pkgFile)) {
        const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
        if (pkg.main) {
            const p = path.resolve(dir, pkg.main);
            if (fs.existsSync(p)) return p;
        }
    }
    for (const f of ["index.ts", "index.js"]) {
        const p = path.join(dir, f);
        if (fs.existsSync(p)) return p;
    }
    throw new CaptureError(`no program entry found in ${dir} (package.json main, index.ts or index.js)`);
}

let tsHookInstalled = false;
/** Compiles .ts files on require with the typescript resolvable from `fromDir`. */
function installTsHook(fromDir) {
    if (tsHookInstalled || require.extensions[".ts"]) {
        return;
    }
    let ts;
    try {
        ts = require(Module.createRequire(path.join(fromDir, "noop.js")).resolve("typescript"));
    } catch {
        ts = require("typescript");
    }
    if (typeof ts.transpileModule !== "function") {
        throw new CaptureError(`the resolvable typescript (${ts.version}) has no transpileModule; TypeScript 5.x is required`);
    }
    require.extensions[".ts"] = function compileTs(module, filename) {
        const source = fs.readFileSync(filename, "utf8");
        const out = ts.transpileModule(source, {
            fileName: filename,
            reportDiagnostics: false,
            compilerOptions: {
                module: ts.ModuleKind.CommonJS,
                target: ts.ScriptTarget.ES2020,
                esModuleInterop: true,
                inlineSourceMap: true,
            },
        });
        module._compile(out.outputText, filename);
    };
    tsHookInstalled = true;
}

function structToJs(s) {
    return s ? s.toJavaScript() : {};
}

/**
 * Runs the program in `programDir` under mocks (preview) and resolves to
 * `{project, stack, resources}` where each resource is
 * `{type, name, urn, parent, custom, inputs, propertyDependencies, dependencies}`:
 * inputs in the engine's wire form (unknowns as the UNKNOWN sentinel),
 * propertyDependencies `{prop: [urn]}`. Only one program can be captured per process
 * (the Pulumi runtime is global state).
 */
async function capture(programDir, { stack = "dev", preview = true } = {}) {
    const dir = path.resolve(programDir);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new CaptureError(`${programDir} is not a directory`);
    }
    const project = readPulumiYaml(dir);
    if (project.runtime && project.runtime !== "nodejs") {
        throw new CaptureError(`${project.file}: runtime is "${project.runtime}", only nodejs programs can be captured`);
    }
    const entry = findEntry(dir, project.main);

    // One copy of @pulumi/pulumi: the program's.
    const programRequire = Module.createRequire(entry);
    let programPulumi;
    try {
        programPulumi = programRequire.resolve("@pulumi/pulumi");
    } catch {
        throw new CaptureError(`@pulumi/pulumi is not resolvable from ${dir}: run npm install at the repository root`);
    }
    const ownPulumi = require.resolve("@pulumi/pulumi");
    if (fs.realpathSync(programPulumi) !== fs.realpathSync(ownPulumi)) {
        throw new CaptureError(
            `the program resolves a second copy of @pulumi/pulumi (${programPulumi}, harness: ${ownPulumi}); ` +
                "mocks would not reach it. Keep one copy (npm ls @pulumi/pulumi).",
        );
    }
    const pulumi = programRequire("@pulumi/pulumi");
    const settings = programRequire("@pulumi/pulumi/runtime/settings");

    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                // Preview of a create: no id yet (the SDK turns "" into an unknown id);
                // outputs are the inputs, absent computed outputs stay unknown.
                return { id: preview ? undefined : `${args.name}-id`, state: args.inputs };
            },
            call(args) {
                return args.inputs;
            },
        },
        project.name || path.basename(dir),
        stack,
        preview,
    );

    const monitor = settings.getMonitor();
    if (!monitor || typeof monitor.registerResource !== "function") {
        throw new CaptureError("could not reach the mock resource monitor of @pulumi/pulumi");
    }
    const resources = [];
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        const record = {
            type: req.getType(),
            name: req.getName(),
            urn: undefined,
            parent: req.getParent() || undefined,
            custom: req.getCustom(),
            inputs: structToJs(req.getObject()),
            propertyDependencies: {},
            dependencies: req.getDependenciesList(),
        };
        for (const [prop, deps] of req.getPropertydependenciesMap().entries()) {
            const urns = deps.getUrnsList();
            if (urns.length > 0) {
                record.propertyDependencies[prop] = urns;
            }
        }
        resources.push(record);
        return original(req, (err, resp) => {
            if (resp) record.urn = resp.getUrn();
            callback(err, resp);
        });
    };

    const errors = [];
    const onError = (err) => errors.push(err);
    process.on("unhandledRejection", onError);
    process.on("uncaughtException", onError);
    const cwd = process.cwd();
    try {
        process.chdir(dir); // programs read files relative to their directory, as under the CLI
        installTsHook(dir);
        let exported;
        try {
            exported = programRequire(entry);
        } catch (e) {
            throw new CaptureError(`the program ${path.relative(cwd, entry) || entry} failed: ${e && e.message ? e.message : e}`);
        }
        if (typeof exported === "function") {
            exported = exported();
        }
        if (exported && typeof exported.then === "function") {
            await exported;
        }
        // Wait until every registration (and the outputs flowing between them) settled.
        await settings.waitForRPCs();
        await new Promise((r) => setImmediate(r));
        await settings.waitForRPCs();
    } finally {
        process.chdir(cwd);
        process.off("unhandledRejection", onError);
        process.off("uncaughtException", onError);
    }
    if (errors.length > 0) {
        const e = errors[0];
        throw new CaptureError(`the program failed while registering resources: ${e && e.message ? e.message : e}`);
    }
    for (const r of resources) {
        if (!r.urn) {
            throw new CaptureError(`resource ${r.type} "${r.name}" got no URN from the mock monitor`);
        }
    }
    return { project: project.name, stack, resources };
}

module.exports = { capture, CaptureError, readPulumiYaml, findEntry, UNKNOWN };
