"use strict";
// The offline scanner: `portguard scan <plan.json>` (bin/portguard.js) on a seeded
// `terraform show -json` plan (bench/lib/tfplan.js), timed from spawn to exit, with the
// process's peak RSS (process.resourceUsage().maxRSS, reported at exit by bench/lib/maxrss.js).
// Output: JSON to a file (so the terminal does not time the rendering).
const fs = require("node:fs");
const path = require("node:path");
const childProcess = require("node:child_process");
const u = require("../lib/util");
const g = require("../lib/generate");
const { plan } = require("../lib/tfplan");

const BIN = path.join(u.ROOT, "bin", "portguard.js");

function planFile(n) {
    const file = path.join(u.TMP, `plan-${n}.json`);
    if (!fs.existsSync(file)) {
        fs.mkdirSync(u.TMP, { recursive: true });
        fs.writeFileSync(file, JSON.stringify(plan(g.prng(7), n)));
    }
    return file;
}

function once(file) {
    const rssFile = path.join(u.TMP, `maxrss-${process.pid}.txt`);
    const outFile = path.join(u.TMP, `scan-out-${process.pid}.json`);
    const t0 = u.nowMs();
    const r = childProcess.spawnSync(process.execPath, ["--require", path.join(__dirname, "..", "lib", "maxrss.js"), BIN, "scan", file, "--no-progress", "-o", "json", "--output-file", outFile], {
        env: { ...process.env, PORTGUARD_BENCH_MAXRSS: rssFile },
        encoding: "utf8",
        maxBuffer: 1 << 26,
    });
    const ms = u.nowMs() - t0;
    if (r.status !== 0 && r.status !== 1) throw new Error(`portguard scan exited ${r.status}: ${r.stderr}`);
    const maxRss = Number(fs.readFileSync(rssFile, "utf8"));
    const summary = JSON.parse(fs.readFileSync(outFile, "utf8")).summary;
    fs.rmSync(rssFile, { force: true });
    fs.rmSync(outFile, { force: true });
    return { ms, maxRss, findings: summary.findings, resources: summary.resources };
}

async function run({ sizes = [10000, 100000], runs = { 10000: 3, 100000: 1 }, log = () => {} } = {}) {
    if (!fs.existsSync(BIN)) return { key: "scan", markdown: "`portguard scan` (bin/portguard.js) does not exist in this checkout: not measured.", targets: [] };
    const rows = [];
    const res = {};
    for (const n of sizes) {
        const file = planFile(n);
        const bytes = fs.statSync(file).size;
        const xs = [];
        for (let i = 0; i < (runs[n] ?? 1); i++) {
            const r = once(file);
            xs.push(r);
            log(`  scan ${n}: ${u.fmtMs(r.ms)}, peak RSS ${u.fmtMB(r.maxRss)}, ${r.findings} findings`);
        }
        const ms = u.median(xs.map((x) => x.ms));
        const rss = u.median(xs.map((x) => x.maxRss));
        res[n] = { bytes, runs: xs };
        rows.push(`| ${n.toLocaleString("en-US")} | ${(bytes / 2 ** 20).toFixed(0)} MB | ${u.fmtMs(ms)} | ${u.fmtMB(rss)} | ${((rss * 1024) / bytes).toFixed(1)}x | ${xs[0].findings.toLocaleString("en-US")} | ${xs.length} |`);
    }
    const [a, b] = sizes;
    const growth = u.median(res[b].runs.map((x) => x.ms)) / u.median(res[a].runs.map((x) => x.ms));
    const markdown = [
        "| resources | plan file | wall time (spawn to exit) | peak RSS | peak RSS / file size | findings | runs |",
        "|---|---|---|---|---|---|---|",
        ...rows,
        "",
        `Growth from ${a.toLocaleString("en-US")} to ${b.toLocaleString("en-US")} resources: ${growth.toFixed(1)}x.`,
    ].join("\n");
    return { key: "scan", raw: res, markdown, growth, targets: [] };
}

module.exports = { run, planFile };
