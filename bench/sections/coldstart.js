"use strict";
// Cold start: from spawning the built pack through Pulumi's loader to its port on stdout,
// with an empty ts-node cache each time. Baseline: the no-op pack, launched the same way, in
// the same rounds (the order of the packs rotates each round so drift hits all of them).
const path = require("node:path");
const u = require("../lib/util");

const PACKS = {
    portguard: u.ROOT,
    noop: path.join(__dirname, "..", "fixtures", "noop-pack"),
    awsTyped: path.join(__dirname, "..", "fixtures", "aws-typed-pack"),
};

async function run({ runs = 11, awsRuns = 5, log = () => {} } = {}) {
    const times = { portguard: [], noop: [], awsTyped: [] };
    for (let i = 0; i < runs; i++) {
        const order = i % 2 === 0 ? ["portguard", "noop"] : ["noop", "portguard"];
        if (i < awsRuns) order.splice(i % 3, 0, "awsTyped");
        for (const name of order) {
            const p = await u.launch(PACKS[name]);
            times[name].push(p.startMs);
            p.close();
        }
        log(`  cold start round ${i + 1}/${runs}: ${Object.entries(times).map(([k, v]) => `${k} ${u.fmtMs(v[v.length - 1])}`).join(", ")}`);
    }
    const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, u.median(v)]));
    const r = med.portguard / med.noop;
    const row = (name, label) => `| ${label} | ${u.fmtMs(med[name])} | ${u.fmtMs(Math.min(...times[name]))} - ${u.fmtMs(Math.max(...times[name]))} | ${times[name].length} | ${(med[name] / med.noop).toFixed(2)}x |`;
    const markdown = [
        "| pack | median, spawn to port | range | runs | vs no-op |",
        "|---|---|---|---|---|",
        row("noop", "no-op JS pack (baseline: 5 policies, each with a validateResource and a validateStack that do nothing)"),
        row("portguard", "**portguard** (built JS, `dist/`)"),
        row("awsTyped", "a TypeScript pack importing `@pulumi/aws` (validateResourceOfType), cold ts-node cache"),
    ].join("\n");
    return {
        key: "coldstart",
        raw: times,
        medians: med,
        markdown,
        targets: [{ name: "cold start vs no-op pack", value: r, limit: 1.15, text: `${r.toFixed(2)}x (${u.fmtMs(med.portguard)} vs ${u.fmtMs(med.noop)})` }],
    };
}

module.exports = { run, PACKS };
