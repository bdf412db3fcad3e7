#!/usr/bin/env node
"use strict";
// Runs a Pulumi program against the built policy pack, the way
// `pulumi preview --policy-pack <pack> [--policy-pack-config <file>]` would, without the
// Pulumi CLI or a cloud account:
//   1. run the program under mocks in preview mode and record its resource registrations
//      (scripts/lib/mocks.js);
//   2. launch the pack as the CLI does and send GetAnalyzerInfo, Configure (the reconciled
//      config), Analyze for every resource in registration order, then AnalyzeStack
//      (scripts/lib/analyzer.js);
//   3. print the violations per resource.
//
// Usage: node scripts/check.js <programDir> [--config <policy-pack-config.json>] [--pack <packDir>]
// Exit codes: 0 no mandatory violation; 1 a mandatory violation (preview would fail);
//             2 usage error, or the program or the pack could not be run.

const fs = require("node:fs");
const path = require("node:path");
const { launchPack, reconcileConfig, ConfigError } = require("./lib/analyzer");
const { capture, CaptureError } = require("./lib/mocks");

const ROOT = path.resolve(__dirname, "..");
const USAGE = "usage: node scripts/check.js <programDir> [--config <policy-pack-config.json>] [--pack <packDir>]";

class UsageError extends Error {}

function parseArgs(argv) {
    const opts = { programDir: undefined, configFile: undefined, packDir: ROOT };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
            return v;
        };
        if (a === "--config" || a === "--policy-pack-config") opts.configFile = value();
        else if (a.startsWith("--config=")) opts.configFile = a.slice("--config=".length);
        else if (a === "--pack") opts.packDir = path.resolve(value());
        else if (a === "-h" || a === "--help") throw new UsageError("");
        else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
        else if (opts.programDir === undefined) opts.programDir = a;
        else throw new UsageError(`unexpected argument ${a}`);
    }
    if (!opts.programDir) throw new UsageError("missing <programDir>");
    return opts;
}

function readConfigFile(file) {
    let text;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new UsageError(`cannot read policy pack config ${file}: ${e.code || e.message}`);
    }
    if (text.trim() === "") return undefined; // the CLI accepts an empty file
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new UsageError(`policy pack config ${file} is not valid JSON: ${e.message}`);
    }
}

function checkPackBuilt(packDir) {
    const pkgFile = path.join(packDir, "package.json");
    if (!fs.existsSync(pkgFile)) throw new UsageError(`${packDir} has no package.json: not a policy pack`);
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
    const main = path.resolve(packDir, pkg.main || "index.js");
    const candidates = [main, `${main}.js`, path.join(main, "index.js")];
    if (!candidates.some((c) => fs.existsSync(c) && fs.statSync(c).isFile())) {
        const hint = packDir === ROOT ? " (run `npm run build` first)" : "";
        throw new UsageError(`the pack's entry ${path.relative(process.cwd(), main) || main} does not exist${hint}`);
    }
    return pkg;
}

function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function indent(text, pad) {
    return text
        .split("\n")
        .map((l, i) => (i === 0 ? l : pad + l))
        .join("\n");
}

async function main() {
    let opts;
    try {
        opts = parseArgs(process.argv.slice(2));
    } catch (e) {
        if (e instanceof UsageError) {
            if (e.message) console.error(`check: ${e.message}`);
            console.error(USAGE);
            return e.message ? 2 : 0;
        }
        throw e;
    }
    const fileConfig = opts.configFile ? readConfigFile(opts.configFile) : undefined;
    const pkg = checkPackBuilt(opts.packDir);
    const programDir = path.resolve(opts.programDir);
    const shown = path.relative(process.cwd(), programDir) || ".";

    const captured = await capture(programDir);
    const resources = captured.resources.map((r) => ({
        type: r.type,
        urn: r.urn,
        name: r.name,
        parent: r.parent,
        properties: r.inputs,
        propertyDependencies: r.propertyDependencies,
        dependencies: r.dependencies,
    }));

    const pack = await launchPack(opts.packDir);
    let diagnostics = [];
    let info;
    try {
        info = await pack.getAnalyzerInfo();
        await pack.configure(reconcileConfig(info, fileConfig));
        for (const r of resources) {
            diagnostics.push(...(await pack.analyze(r)));
        }
        diagnostics.push(...(await pack.analyzeStack(resources)));
    } finally {
        pack.close();
    }

    console.log(`portguard check: ${shown} (${plural(resources.length, "resource")}) against ${info.name}@${info.version || pkg.version}`);
    if (opts.configFile) console.log(`policy pack config: ${opts.configFile}`);

    const byUrn = new Map(resources.map((r) => [r.urn, []]));
    const unattributed = [];
    for (const d of diagnostics) {
        (byUrn.get(d.urn) ?? unattributed).push(d);
    }
    const counts = {};
    let flagged = 0;
    const printGroup = (title, ds) => {
        if (ds.length === 0) return;
        console.log(`\n${title}`);
        for (const d of ds) {
            counts[d.enforcementLevel] = (counts[d.enforcementLevel] ?? 0) + 1;
            const head = `  [${d.enforcementLevel}] ${d.policyName}: `;
            console.log(head + indent(d.violation, " ".repeat(head.length)));
        }
    };
    for (const r of resources) {
        const ds = byUrn.get(r.urn);
        if (ds.length > 0) flagged++;
        printGroup(`${r.type}  ${r.name}`, ds);
    }
    printGroup("(stack)", unattributed);

    const mandatory = counts.mandatory ?? 0;
    const summary = Object.entries(counts)
        .map(([level, n]) => `${n} ${level}`)
        .join(", ");
    console.log(
        `\n${diagnostics.length === 0 ? "no violations" : `${summary} (${plural(diagnostics.length, "violation")} on ${flagged} of ${plural(resources.length, "resource")})`}`,
    );
    if (mandatory > 0) {
        console.log("mandatory violations: `pulumi preview` with this pack would fail");
    }
    const stderr = pack.stderr().trim();
    if (stderr) console.error(`\npolicy pack stderr:\n${stderr}`);
    return mandatory > 0 ? 1 : 0;
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (e) => {
        if (e instanceof UsageError || e instanceof CaptureError || e instanceof ConfigError) {
            console.error(`check: ${e.message}`);
        } else if (e && /policy pack in .* failed to start/.test(e.message)) {
            console.error(`check: ${e.message}`);
        } else {
            console.error(`check: ${e && e.message ? e.message : e}`);
            if (process.env.PORTGUARD_DEBUG) console.error(e && e.stack);
        }
        process.exitCode = 2;
    },
);
