"use strict";
// A large stack through AnalyzeStack: one request carrying every resource, as the engine
// sends it after a preview's resources are registered. Each measurement launches a fresh pack
// (so its peak RSS is this request's, not an earlier one's), configures it with the defaults,
// sends the request once, and reads the pack process's peak RSS (VmHWM) before closing it.
// Baseline: the no-op pack on the same request, alternating with portguard run by run.
const path = require("node:path");
const u = require("../lib/util");
const g = require("../lib/generate");
const { PACKS } = require("./coldstart");

function stackRequest(total, seed) {
    const providers = require(path.join(u.ROOT, "dist", "providers"));
    const resources = g.stack(g.prng(seed), total, providers.handledTokens());
    const { analyzerpb } = u.analyzer.proto;
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(resources.map(u.analyzer.makeAnalyzerResource));
    const types = {};
    for (const r of resources) types[r.type] = (types[r.type] ?? 0) + 1;
    return { req, types, bytes: req.serializeBinary().length };
}

async function once(packDir, req) {
    const p = await u.launch(packDir);
    try {
        await u.configureDefaults(p);
        const before = u.memoryOf(p.pid);
        const t0 = u.nowMs();
        const resp = await p.call("analyzeStack", req);
        const ms = u.nowMs() - t0;
        const mem = u.memoryOf(p.pid);
        return { ms, hwm: mem.hwm, idleRss: before.rss, diagnostics: resp.getDiagnosticsList().length };
    } finally {
        p.close();
    }
}

async function run({ sizes = [2000, 20000], runs = { 2000: 7, 20000: 5 }, log = () => {} } = {}) {
    const bySize = {};
    let types;
    for (const size of sizes) {
        const { req, types: t, bytes } = stackRequest(size, 4242);
        if (size === Math.max(...sizes)) types = t;
        const res = { portguard: [], noop: [], bytes };
        const n = runs[size] ?? 5;
        for (let i = 0; i < n; i++) {
            const order = i % 2 === 0 ? ["portguard", "noop"] : ["noop", "portguard"];
            for (const name of order) {
                const r = await once(PACKS[name], req);
                res[name].push(r);
                log(`  AnalyzeStack ${size} run ${i + 1}/${n} ${name}: ${u.fmtMs(r.ms)}, peak RSS ${u.fmtMB(r.hwm)}, ${r.diagnostics} diagnostics`);
            }
        }
        bySize[size] = res;
    }
    const med = (size, name, k) => u.median(bySize[size][name].map((r) => r[k]));
    const big = Math.max(...sizes);
    const small = Math.min(...sizes);
    const rows = sizes.map((s) => {
        const pt = med(s, "portguard", "ms");
        const nt = med(s, "noop", "ms");
        const pm = med(s, "portguard", "hwm");
        const nm = med(s, "noop", "hwm");
        return `| ${s.toLocaleString("en-US")} (${(bySize[s].bytes / 2 ** 20).toFixed(1)} MB request) | ${u.fmtMs(nt)} | ${u.fmtMs(pt)} | ${(pt / nt).toFixed(2)}x | ${u.fmtMB(nm)} | ${u.fmtMB(pm)} | ${(pm / nm).toFixed(2)}x | ${bySize[s].portguard[0].diagnostics} | ${bySize[s][ "portguard"].length} |`;
    });
    const timeRatio = med(big, "portguard", "ms") / med(big, "noop", "ms");
    const growth = med(big, "portguard", "ms") / med(small, "portguard", "ms");
    const noopGrowth = med(big, "noop", "ms") / med(small, "noop", "ms");
    const memRatio = med(big, "portguard", "hwm") / med(big, "noop", "hwm");
    const markdown = [
        "| resources | no-op time | portguard time | time vs no-op | no-op peak RSS | portguard peak RSS | peak RSS vs no-op | portguard diagnostics | runs per pack |",
        "|---|---|---|---|---|---|---|---|---|",
        ...rows,
        "",
        `Growth from ${small.toLocaleString("en-US")} to ${big.toLocaleString("en-US")} resources: portguard ${growth.toFixed(2)}x, no-op ${noopGrowth.toFixed(2)}x.`,
        "",
        `Mix of the ${big.toLocaleString("en-US")}-resource stack: ${Object.entries(types).map(([t, n]) => `\`${t}\` ${n}`).join(", ")}.`,
    ].join("\n");
    return {
        key: "stack",
        raw: bySize,
        markdown,
        targets: [
            { name: `AnalyzeStack, ${big.toLocaleString("en-US")} resources, time vs no-op`, value: timeRatio, limit: 2, text: `${timeRatio.toFixed(2)}x (${u.fmtMs(med(big, "portguard", "ms"))} vs ${u.fmtMs(med(big, "noop", "ms"))})` },
            { name: `AnalyzeStack growth, ${small.toLocaleString("en-US")} to ${big.toLocaleString("en-US")} resources`, value: growth, limit: 11, text: `${growth.toFixed(2)}x (${u.fmtMs(med(small, "portguard", "ms"))} to ${u.fmtMs(med(big, "portguard", "ms"))})` },
            { name: `AnalyzeStack, ${big.toLocaleString("en-US")} resources, peak RSS vs no-op`, value: memRatio, limit: 1.5, text: `${memRatio.toFixed(2)}x (${u.fmtMB(med(big, "portguard", "hwm"))} vs ${u.fmtMB(med(big, "noop", "hwm"))})` },
        ],
    };
}

module.exports = { run, stackRequest };
