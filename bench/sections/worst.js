"use strict";
// Worst cases in-process (no gRPC, no SDK): one firewall with n rules, n = 100, 1,000, 10,000.
//  - ordered: an AWS network ACL whose entries mix IPv4 and IPv6, allow and deny (~35 %), with
//    distinct rule numbers in random order;
//  - group: an AWS security group with n inline rule entries.
// Generator: bench/lib/generate.js, seeded (random, overlapping ranges: see its header).
// Each repetition uses a freshly generated resource (a new seed), so nothing is remembered
// from an earlier one. Two figures per case:
//  - analysis: on the model (adapted beforehand, not timed), evaluate both directions, the
//    exposures the three exposure policies ask for (their default options), and the
//    return-traffic gaps: the work src/analysis does;
//  - all five policies: evaluateResource for each policy on the resource's properties, i.e.
//    adapting, analysis, the policies and their messages: what one Analyze costs minus the SDK.
// Runs in a child process (`node --expose-gc bench/sections/worst.js --child`) so its heap and
// JIT state are its own; a full GC runs before each timed call, so the garbage of generating
// and adapting the input is not charged to it (the call's own garbage is).
const path = require("node:path");
const childProcess = require("node:child_process");
const u = require("../lib/util");

const SIZES = [100, 1000, 10000];

function child(reps, sizes) {
    const g = require("../lib/generate");
    const DIST = process.env.PORTGUARD_DIST ? path.resolve(process.env.PORTGUARD_DIST) : path.join(u.ROOT, "dist");
    const { POLICIES } = require(path.join(DIST, "policies"));
    const fresh = require("../lib/evaluator").evaluatorOf(DIST);
    const { modelResource } = require(path.join(DIST, "providers"));
    const { effectsOf, exposures } = require(path.join(DIST, "analysis", "exposure"));
    const { returnTrafficGaps } = require(path.join(DIST, "analysis", "returnTraffic"));
    const { AddressSet } = require(path.join(DIST, "net", "addresses"));
    const { CLIENT_TYPES, highRiskPorts } = require(path.join(DIST, "catalog"));
    const exposureOptions = ["public", "wide", "wide"].map((minExposure) => ({ minExposure, trustedSources: AddressSet.EMPTY, directions: ["ingress"], judgeReturnTrafficRules: false }));
    const rtOptions = { remoteClients: CLIENT_TYPES, localClients: CLIENT_TYPES, tolerated: { tcp: highRiskPorts("tcp"), udp: highRiskPorts("udp") } };
    const asInput = (r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.properties });
    const out = {};
    let seed = 1;
    const analysis = (fw) => {
        for (const dir of ["ingress", "egress"]) effectsOf(fw, dir);
        for (const o of exposureOptions) exposures(fw, o);
        returnTrafficGaps(fw, rtOptions);
    };
    // warm up the JIT on small cases
    for (let i = 0; i < 30; i++) {
        for (const kind of ["orderedWorstCase", "groupWorstCase"]) {
            const r = g[kind](g.prng(900000 + i), 100);
            analysis(modelResource(asInput(r)).firewall);
            const input = asInput(r);
            const engine = fresh({ unchangingInputs: true });
            for (const d of POLICIES) engine.evaluateResource(d, input, {});
        }
    }
    for (const kind of ["orderedWorstCase", "groupWorstCase"]) {
        out[kind] = {};
        for (const n of sizes) {
            // small cases are cheap and the noisiest: more repetitions
            const k = n >= 10000 ? Math.max(3, Math.ceil(reps / 3)) : n <= 100 ? reps * 3 : reps;
            const a = [];
            const all = [];
            for (let i = 0; i < k; i++) {
                const fwModel = modelResource(asInput(g[kind](g.prng(seed++), n))).firewall;
                global.gc?.(); // the setup's garbage is not the measured code's
                let t0 = u.nowMs();
                analysis(fwModel);
                a.push(u.nowMs() - t0);
                const input = asInput(g[kind](g.prng(seed++), n));
                global.gc?.();
                t0 = u.nowMs();
                // (one input object for the five policies: the pack recognises its copies by their request)
                const engine = fresh({ unchangingInputs: true });
                for (const d of POLICIES) engine.evaluateResource(d, input, {});
                all.push(u.nowMs() - t0);
            }
            out[kind][n] = { analysis: a, all };
        }
    }
    process.stdout.write(JSON.stringify(out));
}

async function run({ reps = 15, log = () => {} } = {}) {
    const res = childProcess.spawnSync(process.execPath, ["--expose-gc", __filename, "--child", String(reps)], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (res.status !== 0) throw new Error(`worst-case child failed: ${res.stderr}`);
    const data = JSON.parse(res.stdout);
    const med = (kind, n, k) => u.median(data[kind][n][k]);
    const label = { orderedWorstCase: "ordered list (network ACL), IPv4+IPv6, ~35 % deny", groupWorstCase: "security group (unordered union)" };
    const rows = [];
    const targets = [];
    for (const kind of Object.keys(data)) {
        for (const what of ["analysis", "all"]) {
            const cells = SIZES.map((n) => `${u.fmtMs(med(kind, n, what))} (min ${u.fmtMs(Math.min(...data[kind][n][what]))})`);
            const g1 = med(kind, 1000, what) / med(kind, 100, what);
            const g2 = med(kind, 10000, what) / med(kind, 1000, what);
            // n log n allows t(10n)/t(n) = 10 * log(10n) / log(n)
            const nlogn1 = (10 * Math.log(1000)) / Math.log(100);
            const nlogn2 = (10 * Math.log(10000)) / Math.log(1000);
            rows.push(`| ${label[kind]} | ${what === "analysis" ? "analysis (evaluate, exposures, return traffic)" : "all five policies (adapter, analysis, messages)"} | ${cells.join(" | ")} | ${g1.toFixed(1)}x (n log n: ${nlogn1.toFixed(1)}x) | ${g2.toFixed(1)}x (n log n: ${nlogn2.toFixed(1)}x) |`);
            targets.push({ name: `${label[kind]}, 1,000 rules, ${what === "analysis" ? "analysis" : "all five policies"}`, value: med(kind, 1000, what), limit: 20, unit: "ms", text: `${u.fmtMs(med(kind, 1000, what))}` });
            targets.push({ name: `${label[kind]}, ${what === "analysis" ? "analysis" : "all five policies"}: growth no faster than n log n`, value: Math.max(g1 / nlogn1, g2 / nlogn2), limit: 1, text: `100 -> 1,000: ${g1.toFixed(1)}x (n log n allows ${nlogn1.toFixed(1)}x); 1,000 -> 10,000: ${g2.toFixed(1)}x (allows ${nlogn2.toFixed(1)}x)` });
            log(`  worst ${kind} ${what}: ${cells.join(" / ")}`);
        }
    }
    const markdown = [
        "Each cell: the median over the repetitions (the minimum in parentheses: the run least disturbed by other work on the machine).",
        "",
        "| case | what is timed | n = 100 | n = 1,000 | n = 10,000 | growth 100 -> 1,000 | growth 1,000 -> 10,000 |",
        "|---|---|---|---|---|---|---|",
        ...rows,
    ].join("\n");
    return { key: "worst", raw: data, markdown, targets, reps };
}

if (process.argv[2] === "--child") {
    const i = process.argv.indexOf("--sizes");
    child(Number(process.argv[3]) || 15, i > 0 ? process.argv[i + 1].split(",").map(Number) : SIZES);
}

module.exports = { run };
