#!/usr/bin/env node
"use strict";
// Runs `portguard check` over every example program (examples/*/ with a Pulumi.yaml),
// aws-insecure first, and prints a summary. Each example runs in its own process: the
// Pulumi runtime that the mocks drive is global state.
//
// Usage: node scripts/demo.js   (npm run demo builds the pack first)
// Exits 0 whenever it ran to the end, whatever the examples reported.

const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..");
const EXAMPLES = path.join(ROOT, "examples");
const BIN = path.join(ROOT, "bin", "portguard.js");
const FIRST = ["aws-insecure"];

function examples() {
    if (!fs.existsSync(EXAMPLES)) return [];
    const names = fs
        .readdirSync(EXAMPLES, { withFileTypes: true })
        .filter((d) => d.isDirectory() && ["Pulumi.yaml", "Pulumi.yml"].some((f) => fs.existsSync(path.join(EXAMPLES, d.name, f))))
        .map((d) => d.name);
    const rank = (n) => (FIRST.includes(n) ? FIRST.indexOf(n) : FIRST.length);
    return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function outcome(status) {
    switch (status) {
        case 0:
            return "passes (no mandatory violation)";
        case 1:
            return "blocked (mandatory violations)";
        default:
            return `could not be checked (exit ${status})`;
    }
}

function main() {
    const list = examples();
    if (list.length === 0) {
        console.log("no examples found under examples/");
        return;
    }
    const results = [];
    for (const name of list) {
        const rel = path.relative(process.cwd(), path.join(EXAMPLES, name)) || ".";
        console.log(`\n${"=".repeat(72)}\n== ${name}: portguard check ${rel}\n${"=".repeat(72)}`);
        const started = Date.now();
        const r = spawnSync(process.execPath, [BIN, "check", rel], { stdio: "inherit" });
        const status = r.status ?? (r.signal ? `signal ${r.signal}` : "?");
        results.push({ name, status, seconds: (Date.now() - started) / 1000 });
    }
    console.log(`\n${"=".repeat(72)}\n== summary\n${"=".repeat(72)}`);
    const width = Math.max(...results.map((r) => r.name.length));
    for (const r of results) {
        console.log(`  ${r.name.padEnd(width)}  ${outcome(r.status)}  (${r.seconds.toFixed(1)} s)`);
    }
}

main();
