"use strict";
// Per-resource Analyze latency over gRPC: the round trip of one AnalyzeRequest, as the
// engine sends one per resource during `pulumi preview`. Both packs run at once and receive
// the same requests alternately (so load on the machine hits both alike). Every request is a
// different resource (its own URN, freshly generated rules), so nothing a pack remembers from
// an earlier resource can answer it; the first `warmup` requests of each pack are not counted.
const u = require("../lib/util");
const g = require("../lib/generate");
const { PACKS } = require("./coldstart");

const MAKERS = {
    sgTypical: (rnd, i) => g.typicalSecurityGroup(rnd, `bench-sg-${i}`, 60),
    aclTypical: (rnd, i) => g.typicalNetworkAcl(rnd, `bench-acl-${i}`, 40),
    sgRandom: (rnd, i) => g.securityGroup(rnd, `bench-sg-${i}`, 60),
    aclRandom: (rnd, i) => g.networkAcl(rnd, `bench-acl-${i}`, 40),
    // What most of a stack is: a resource no policy judges (every policy answers "not applicable").
    unjudged: (rnd, i) => {
        const type = "aws:s3/bucketV2:BucketV2";
        const name = `bench-bucket-${i}`;
        return { type, name, urn: `urn:pulumi:bench::bench::${type}::${name}`, properties: { bucket: `${name}-${rnd.int(0, 1e9)}`, tags: { team: "bench", env: "dev" }, forceDestroy: false } };
    },
};

/** User + system CPU time of a process so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid) {
    const f = require("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
}

function requests(kind, n, seed) {
    const out = [];
    for (let i = 0; i < n; i++) out.push(u.analyzer.makeAnalyzeRequest(MAKERS[kind](g.prng(seed + i), i)));
    return out;
}

async function run({ warmup = 200, measured = 1000, log = () => {} } = {}) {
    const pg = await u.launch(PACKS.portguard);
    const noop = await u.launch(PACKS.noop);
    try {
        await u.configureDefaults(pg);
        await u.configureDefaults(noop);
        // BENCH_ANALYZE_ONLY=unjudged,sgTypical: measure only these rows (while working on one).
        const only = process.env.BENCH_ANALYZE_ONLY;
        const cases = [
            { key: "sgTypical", short: "60-rule security group, typical content", label: "security group, 60 rules, typical content (sources from a pool of VPC, peer, office and partner ranges; web open to the internet; a few findings)" },
            { key: "aclTypical", short: "40-entry ACL, typical content", label: "network ACL, 40 entries, typical content (high-risk denies first, web and return traffic from anywhere, VPC and peers)" },
            { key: "sgRandom", short: "60-rule security group, random content", label: "security group, 60 rules, random content (bench generator: every rule distinct and mostly public, ~25 findings)" },
            { key: "aclRandom", short: "40-entry ACL, random content", label: "network ACL, 40 entries, random content (IPv4+IPv6, ~35 % deny, ~25 findings)" },
            { key: "unjudged", short: "resource no policy judges", label: "a resource no policy judges (an S3 bucket: every policy answers not applicable)", limit: 1.05 },
        ].filter((c) => !only || only.split(",").includes(c.key));
        const results = [];
        for (const c of cases) {
            const reqs = requests(c.key, warmup + measured, 100_000 * (1 + cases.indexOf(c)));
            const lat = { portguard: [], noop: [] };
            const cpu = { portguard: 0, noop: 0 };
            let diags = 0;
            for (let i = 0; i < reqs.length; i++) {
                // CPU time of each pack process over the measured requests (each works only on its own)
                if (i === warmup) for (const [name, p] of [["portguard", pg], ["noop", noop]]) cpu[name] = -cpuMs(p.pid);
                const order = i % 2 === 0 ? [["portguard", pg], ["noop", noop]] : [["noop", noop], ["portguard", pg]];
                for (const [name, p] of order) {
                    const t0 = u.nowMs();
                    const resp = await p.call("analyze", reqs[i]);
                    const dt = u.nowMs() - t0;
                    if (i >= warmup) lat[name].push(dt);
                    if (name === "portguard") diags += resp.getDiagnosticsList().length;
                }
            }
            for (const [name, p] of [["portguard", pg], ["noop", noop]]) cpu[name] = (cpu[name] + cpuMs(p.pid)) / measured;
            const stats = Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, { p50: u.quantile(v, 0.5), p99: u.quantile(v, 0.99), mean: v.reduce((a, b) => a + b, 0) / v.length, cpu: cpu[k] }]));
            log(`  Analyze ${c.key}: portguard p50 ${u.fmtMs(stats.portguard.p50)} p99 ${u.fmtMs(stats.portguard.p99)}; no-op p50 ${u.fmtMs(stats.noop.p50)} p99 ${u.fmtMs(stats.noop.p99)}`);
            results.push({ ...c, stats, diagsPerResource: diags / reqs.length });
        }
        const markdown = [
            "| resource | no-op p50 | no-op p99 | portguard p50 | portguard p99 | p50 vs no-op | p99 vs no-op | pack CPU per request, no-op / portguard | portguard diagnostics per resource |",
            "|---|---|---|---|---|---|---|---|---|",
            ...results.map((r) => `| ${r.label} | ${u.fmtMs(r.stats.noop.p50)} | ${u.fmtMs(r.stats.noop.p99)} | ${u.fmtMs(r.stats.portguard.p50)} | ${u.fmtMs(r.stats.portguard.p99)} | ${(r.stats.portguard.p50 / r.stats.noop.p50).toFixed(2)}x | ${(r.stats.portguard.p99 / r.stats.noop.p99).toFixed(2)}x | ${u.fmtMs(r.stats.noop.cpu)} / ${u.fmtMs(r.stats.portguard.cpu)} (${(r.stats.portguard.cpu / r.stats.noop.cpu).toFixed(2)}x) | ${r.diagsPerResource.toFixed(1)} |`),
            "",
            "_Pack CPU per request_: user + system time of each pack process (`/proc/<pid>/stat`) over the measured requests, divided by their number: the work the pack does for one request (gRPC, protobuf, the SDK, the policies, garbage collection), which load on the machine changes less than a round trip's latency.",
        ].join("\n");
        return {
            key: "analyze",
            raw: results.map((r) => ({ key: r.key, stats: r.stats })),
            markdown,
            targets: results.map((r) => ({
                name: `Analyze p50, ${r.short}, vs no-op`,
                value: r.stats.portguard.p50 / r.stats.noop.p50,
                limit: r.limit ?? 1.2,
                text: `${(r.stats.portguard.p50 / r.stats.noop.p50).toFixed(2)}x (${u.fmtMs(r.stats.portguard.p50)} vs ${u.fmtMs(r.stats.noop.p50)}; p99 ${u.fmtMs(r.stats.portguard.p99)} vs ${u.fmtMs(r.stats.noop.p99)})`,
            })),
            warmup,
            measured,
        };
    } finally {
        pg.close();
        noop.close();
    }
}

/**
 * Analyze p50 of two builds of portguard and the no-op pack, all three running at once and
 * receiving the same requests in rotating order (bench/run.js `--before`): the p50 of each
 * build, and each as a ratio to the no-op pack's p50 of the same run.
 */
async function compareBuilds(beforeDir, { warmup = 100, measured = 500, log = () => {} } = {}) {
    const packs = [
        ["before", await u.launch(beforeDir)],
        ["after", await u.launch(PACKS.portguard)],
        ["noop", await u.launch(PACKS.noop)],
    ];
    try {
        for (const [, p] of packs) await u.configureDefaults(p);
        const out = {};
        for (const key of ["sgTypical", "aclTypical", "sgRandom", "aclRandom", "unjudged"]) {
            const reqs = requests(key, warmup + measured, 700_000 + 10_000 * Object.keys(out).length);
            const lat = { before: [], after: [], noop: [] };
            for (let i = 0; i < reqs.length; i++) {
                for (let k = 0; k < packs.length; k++) {
                    const [name, p] = packs[(i + k) % packs.length];
                    const t0 = u.nowMs();
                    await p.call("analyze", reqs[i]);
                    if (i >= warmup) lat[name].push(u.nowMs() - t0);
                }
            }
            out[key] = Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, u.quantile(v, 0.5)]));
            log(`  before/after Analyze ${key}: before p50 ${u.fmtMs(out[key].before)}, after ${u.fmtMs(out[key].after)}, no-op ${u.fmtMs(out[key].noop)}`);
        }
        return out;
    } finally {
        for (const [, p] of packs) p.close();
    }
}

module.exports = { run, compareBuilds, MAKERS };
