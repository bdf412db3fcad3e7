"use strict";
// Terraform without a plan: `portguard scan <dir of .tf files>` against `portguard scan
// <plan.json>` of the same configuration, in the same run. The plan is bench/lib/tfplan.js's
// seeded plan (the scan section's); the tree is its configuration written as .tf files
// (bench/lib/tfhcl.js, 1,000 resources per file), so both inputs hold the same resources and
// give the same findings (checked). Runs alternate plan/HCL; spawn to exit, JSON to a file.
// Targets: HCL at most 2x the plan at 10,000 resources; 100,000 HCL resources at most 12x
// the 10,000 ones (measured only when asked for: it takes minutes on a loaded machine).
const fs = require("node:fs");
const path = require("node:path");
const childProcess = require("node:child_process");
const u = require("../lib/util");
const g = require("../lib/generate");
const { plan } = require("../lib/tfplan");
const { writeTree } = require("../lib/tfhcl");

const BIN = path.join(u.ROOT, "bin", "portguard.js");

function inputs(n) {
    const dir = path.join(u.TMP, `hcl-${n}`);
    const planFile = path.join(dir, "plan.json");
    const tfDir = path.join(dir, "tf");
    const grammarDir = path.join(dir, "tf-grammar");
    if (!fs.existsSync(planFile) || !fs.existsSync(tfDir) || !fs.existsSync(grammarDir)) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        const doc = plan(g.prng(7), n);
        fs.writeFileSync(planFile, JSON.stringify(doc));
        writeTree(doc, tfDir, 1000);
        writeTree(doc, grammarDir, 1000, { grammar: true });
    }
    return { planFile, tfDir, grammarDir };
}

function once(input) {
    const outFile = path.join(u.TMP, `hcl-out-${process.pid}.json`);
    const t0 = u.nowMs();
    const r = childProcess.spawnSync(process.execPath, [BIN, "scan", input, "--no-progress", "-o", "json", "--output-file", outFile], { encoding: "utf8", maxBuffer: 1 << 26 });
    const ms = u.nowMs() - t0;
    if (r.status !== 0 && r.status !== 1) throw new Error(`portguard scan exited ${r.status}: ${r.stderr}`);
    const summary = JSON.parse(fs.readFileSync(outFile, "utf8")).summary;
    fs.rmSync(outFile, { force: true });
    return { ms, findings: summary.findings, resources: summary.resources };
}

async function run({ runs = 3, big = false, log = () => {} } = {}) {
    const { planFile, tfDir, grammarDir } = inputs(10000);
    const res = { plan: [], hcl: [], grammar: [] };
    const input = { plan: planFile, hcl: tfDir, grammar: grammarDir };
    const kinds = Object.keys(res);
    for (let i = 0; i < runs; i++) {
        for (let k = 0; k < kinds.length; k++) {
            const kind = kinds[(i + k) % kinds.length];
            const r = once(input[kind]);
            res[kind].push(r);
            log(`  ${kind} 10,000: ${u.fmtMs(r.ms)}, ${r.findings} findings`);
        }
    }
    for (const kind of ["hcl", "grammar"]) if (res.plan[0].findings !== res[kind][0].findings) throw new Error(`plan and ${kind} disagree: ${res.plan[0].findings} vs ${res[kind][0].findings} findings`);
    const p = u.median(res.plan.map((x) => x.ms));
    const h = u.median(res.hcl.map((x) => x.ms));
    const gr = u.median(res.grammar.map((x) => x.ms));
    const rows = [
        `| 10,000 | plan (${(fs.statSync(planFile).size / 2 ** 20).toFixed(0)} MB) | ${u.fmtMs(p)} | ${res.plan.length} |`,
        `| 10,000 | .tf tree (${fs.readdirSync(tfDir).length} files, read from their text) | ${u.fmtMs(h)} | ${res.hcl.length} |`,
        `| 10,000 | the same tree, every file through the grammar | ${u.fmtMs(gr)} | ${res.grammar.length} |`,
    ];
    const targets = [
        { name: "HCL scan vs plan scan, 10,000 resources (plain files, read from their text)", value: h / p, limit: 2, text: `${(h / p).toFixed(2)}x`, unit: "x" },
        { name: "HCL scan vs plan scan, 10,000 resources (every file through the tree-sitter grammar)", value: gr / p, limit: 2, text: `${(gr / p).toFixed(2)}x`, unit: "x" },
    ];
    let growthText = "The 100,000-resource tree was not measured in this invocation (`--hcl-big` measures it; it takes minutes).";
    if (big) {
        const { tfDir: bigDir } = inputs(100000);
        const r = once(bigDir);
        log(`  hcl 100,000: ${u.fmtMs(r.ms)}, ${r.findings} findings`);
        rows.push(`| 100,000 | .tf tree (${fs.readdirSync(bigDir).length} files) | ${u.fmtMs(r.ms)} | 1 |`);
        targets.push({ name: "HCL scan growth, 10,000 -> 100,000 resources", value: r.ms / h, limit: 12, text: `${(r.ms / h).toFixed(1)}x`, unit: "x" });
        growthText = `Growth of the HCL scan from 10,000 to 100,000 resources: ${(r.ms / h).toFixed(1)}x.`;
    }
    const markdown = ["| resources | input | wall time (spawn to exit, median) | runs |", "|---|---|---|---|", ...rows, "", `HCL / plan at 10,000 resources: ${(h / p).toFixed(2)}x read from the text, ${(gr / p).toFixed(2)}x through the grammar (${res.hcl[0].findings.toLocaleString("en-US")} findings each). ${growthText}`].join("\n");
    return { key: "hcl", raw: res, markdown, targets };
}

module.exports = { run, inputs };
