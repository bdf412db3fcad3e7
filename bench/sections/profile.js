"use strict";
// Where the time of one Analyze goes: a CPU profile of the per-resource work, in-process, with
// the SDK's own per-policy steps, so a missed latency target is explained by its profile.
//
// The child process (`node bench/sections/profile.js --child`) does, for every resource, what
// @pulumi/policy's Analyze handler does for each of the five policies (server.js
// makeAnalyzeRpcFun): deserializeProperties(req.getProperties()) and unknownCheckingProxy, then
// the policy's validateResource (built with toPulumiPolicy, as dist/index.js does), with
// getConfig returning a fresh shallow copy of the schema defaults, as the CLI configures a pack
// without a config file. The requests are the Analyze section's (bench/lib/generate.js, seeded,
// every one a different resource). Not included: gRPC, protobuf decoding of the request and
// encoding of the response (the same work for both packs, apart from the diagnostics).
//
// The V8 sampling profiler (node:inspector, 100 us interval) runs over the measured requests.
// Each sample is charged to the innermost frame that belongs to a category below (frames in
// src/net, src/catalog and other helpers are charged to their caller's category), so
// "adapters" includes the CIDR parsing they call and "rule evaluation" the set algebra it does.
// Garbage collection is its own category (V8 does not say whose garbage it collects).
const path = require("node:path");
const childProcess = require("node:child_process");
const u = require("../lib/util");

const CASES = [
    { key: "sgTypical", label: "security group, 60 rules, typical content", make: (g, rnd, i) => g.typicalSecurityGroup(rnd, `bench-sg-${i}`, 60) },
    { key: "aclTypical", label: "network ACL, 40 entries, typical content", make: (g, rnd, i) => g.typicalNetworkAcl(rnd, `bench-acl-${i}`, 40) },
    { key: "sgRandom", label: "security group, 60 rules, random content", make: (g, rnd, i) => g.securityGroup(rnd, `bench-sg-${i}`, 60) },
    { key: "aclRandom", label: "network ACL, 40 entries, random content", make: (g, rnd, i) => g.networkAcl(rnd, `bench-acl-${i}`, 40) },
];

/** Categories, first match wins for a frame; a sample goes to its innermost categorised frame. */
const CATEGORIES = [
    { key: "sdk", label: "SDK: convert the request's properties (protobuf to JSON), deserialize and wrap them, once per policy (what the no-op pack also pays; portguard converts once per request)", test: (f) => /@pulumi\/policy\/(deserialize|proxy)\.js$|google-protobuf\//.test(f.url) },
    { key: "fingerprint", label: "portguard: recognise the same resource across the five policies (snapshot, compare)", test: (f) => /\/dist\/pack\/fingerprint\.js$/.test(f.url) },
    { key: "adapt", label: "portguard: adapters (properties to model, CIDR and port parsing)", test: (f) => /\/dist\/providers\//.test(f.url) },
    { key: "evaluate", label: "portguard: rule evaluation (order, deny shadowing)", test: (f) => /\/dist\/analysis\/evaluate\.js$/.test(f.url) },
    { key: "exposure", label: "portguard: exposure (tiers, trusted sources)", test: (f) => /\/dist\/analysis\/exposure\.js$/.test(f.url) },
    { key: "returnTraffic", label: "portguard: return traffic (reply reach per client type)", test: (f) => /\/dist\/analysis\/returnTraffic\.js$/.test(f.url) },
    { key: "policies", label: "portguard: policy checks (findings as data)", test: (f) => /\/dist\/policies\//.test(f.url) },
    { key: "messages", label: "portguard: messages of reported findings (one renderer)", test: (f) => /\/dist\/findings\//.test(f.url) },
    { key: "engine", label: "portguard: engine (options, memory of models, exemptions)", test: (f) => /\/dist\/pack\/|\/dist\/index\.js$/.test(f.url) },
    { key: "gc", label: "garbage collection (both)", test: (f) => f.functionName === "(garbage collector)" },
];

async function child(measured, warmup) {
    const inspector = require("node:inspector");
    const g = require("../lib/generate");
    const DIST = process.env.PORTGUARD_DIST ? path.resolve(process.env.PORTGUARD_DIST) : path.join(u.ROOT, "dist");
    const { POLICIES } = require(path.join(DIST, "policies"));
    const { portguardPolicies } = require(path.join(DIST, "lib"));
    const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json", { paths: [u.ROOT] }));
    // called through the module at each use, as server.js does (the pack may wrap it)
    const deserialize = require(path.join(policyDir, "deserialize.js"));
    const { unknownCheckingProxy } = require(path.join(policyDir, "proxy.js"));
    // the policies as dist/index.js makes them (one pack: one evaluator for all five)
    const policies = portguardPolicies();
    const defaults = policies.map((p) => Object.fromEntries(Object.entries(p.configSchema.properties).filter(([, s]) => "default" in s).map(([k, s]) => [k, JSON.parse(JSON.stringify(s.default))])));

    const session = new inspector.Session();
    session.connect();
    const post = (m, p) => new Promise((res, rej) => session.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r))));
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: 100 });

    const out = {};
    for (const c of CASES) {
        const reqs = [];
        for (let i = 0; i < warmup + measured; i++) reqs.push(u.analyzer.makeAnalyzeRequest(c.make(g, g.prng(500_000 + 1000 * CASES.indexOf(c) + i), i)));
        let diags = 0;
        const one = (req) => {
            for (let k = 0; k < policies.length; k++) {
                const props = unknownCheckingProxy(deserialize.deserializeProperties(req.getProperties(), false));
                const args = { type: req.getType(), props, urn: req.getUrn(), name: req.getName(), getConfig: () => ({ ...defaults[k] }) };
                policies[k].validateResource(args, () => diags++);
            }
        };
        for (let i = 0; i < warmup; i++) one(reqs[i]);
        diags = 0;
        global.gc?.();
        await post("Profiler.start");
        const t0 = u.nowMs();
        for (let i = warmup; i < reqs.length; i++) one(reqs[i]);
        const wall = u.nowMs() - t0;
        const { profile } = await post("Profiler.stop");
        out[c.key] = { ...attribute(profile), wallPerRequest: wall / measured, diagsPerRequest: diags / measured };
    }
    // The worst cases (bench/sections/worst.js): all five policies on one 1,000-rule firewall.
    const fresh = require("../lib/evaluator").evaluatorOf(DIST);
    for (const kind of ["orderedWorstCase", "groupWorstCase"]) {
        const inputs = [];
        for (let i = 0; i < 5 + WORST_REPS; i++) {
            const r = g[kind](g.prng(700_000 + i), 1000);
            inputs.push({ type: r.type, urn: r.urn, name: r.name, props: r.properties });
        }
        const all = (input) => {
            // (one input object for the five policies: the pack recognises its copies by their request)
            const engine = fresh({ unchangingInputs: true });
            for (const d of POLICIES) engine.evaluateResource(d, input, {});
        };
        for (let i = 0; i < 5; i++) all(inputs[i]);
        global.gc?.();
        await post("Profiler.start");
        for (let i = 5; i < inputs.length; i++) all(inputs[i]);
        const { profile } = await post("Profiler.stop");
        out[kind] = attribute(profile);
    }
    process.stdout.write(JSON.stringify(out));
}

const WORST_REPS = 15;

/** Microseconds of samples per category (innermost categorised frame), and in total. */
function attribute(profile) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const catOf = new Map();
    const category = (id) => {
        if (catOf.has(id)) return catOf.get(id);
        const n = byId.get(id);
        const own = n.callFrame.url === "node:inspector" ? { key: "profiler" } : CATEGORIES.find((c) => c.test(n.callFrame));
        const p = parent.get(id);
        const cat = own ? own.key : p === undefined ? "other" : category(p);
        catOf.set(id, cat);
        return cat;
    };
    const us = {};
    let total = 0;
    for (let i = 0; i < profile.samples.length; i++) {
        const id = profile.samples[i];
        const fn = byId.get(id).callFrame.functionName;
        if (fn === "(idle)" || fn === "(program)") continue;
        const dt = profile.timeDeltas[i] ?? 0;
        const cat = category(id);
        if (cat === "profiler") continue; // stopping the profiler (after the measured loop)
        us[cat] = (us[cat] ?? 0) + dt;
        total += dt;
    }
    return { us, total };
}

async function run({ measured = 600, warmup = 150, log = () => {} } = {}) {
    const res = childProcess.spawnSync(process.execPath, ["--expose-gc", __filename, "--child", String(measured), String(warmup)], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (res.status !== 0) throw new Error(`profile child failed: ${res.stderr}`);
    const data = JSON.parse(res.stdout);
    const cats = [...CATEGORIES.map((c) => c.key), "other"];
    const label = Object.fromEntries([...CATEGORIES.map((c) => [c.key, c.label]), ["other", "other (the SDK's per-policy arguments, the harness's loop)"]]);
    const header = `| where the time goes | ${CASES.map((c) => c.label).join(" | ")} |`;
    const sep = `|---|${CASES.map(() => "---").join("|")}|`;
    const perReq = (k, cat) => data[k].us[cat] ?? 0;
    const cell = (k, cat) => {
        const us = perReq(k, cat) / measured;
        return `${(us / 1000).toFixed(3)} ms (${((100 * perReq(k, cat)) / data[k].total).toFixed(0)} %)`;
    };
    const ours = (k) => ["fingerprint", "adapt", "evaluate", "exposure", "returnTraffic", "policies", "messages", "engine"].reduce((a, c) => a + perReq(k, c), 0);
    const rows = cats.map((cat) => `| ${label[cat]} | ${CASES.map((c) => cell(c.key, cat)).join(" | ")} |`);
    rows.push(`| **portguard's own work, all categories above marked portguard** | ${CASES.map((c) => `**${(ours(c.key) / measured / 1000).toFixed(3)} ms**`).join(" | ")} |`);
    rows.push(`| portguard's own work / the SDK's deserialization | ${CASES.map((c) => `${(ours(c.key) / perReq(c.key, "sdk")).toFixed(2)}x`).join(" | ")} |`);
    rows.push(`| diagnostics per resource | ${CASES.map((c) => data[c.key].diagsPerRequest.toFixed(1)).join(" | ")} |`);
    const WORST = [
        ["orderedWorstCase", "ordered list (network ACL), 1,000 rules"],
        ["groupWorstCase", "security group, 1,000 rules"],
    ];
    const worstRows = cats
        .filter((cat) => cat !== "sdk")
        .map((cat) => `| ${label[cat]} | ${WORST.map(([k]) => `${((data[k].us[cat] ?? 0) / WORST_REPS / 1000).toFixed(2)} ms (${((100 * (data[k].us[cat] ?? 0)) / data[k].total).toFixed(0)} %)`).join(" | ")} |`);
    const worstMd = [
        "",
        `The worst cases (bench/sections/worst.js's generator, 1,000 rules): all five policies through \`evaluateResource\`, ${WORST_REPS} freshly generated firewalls per case, profiled the same way; per firewall:`,
        "",
        `| where the time goes | ${WORST.map(([, l]) => l).join(" | ")} |`,
        `|---|${WORST.map(() => "---").join("|")}|`,
        ...worstRows,
    ];
    for (const c of CASES) log(`  profile ${c.key}: portguard ${(ours(c.key) / measured / 1000).toFixed(3)} ms, SDK deserialize ${(perReq(c.key, "sdk") / measured / 1000).toFixed(3)} ms, GC ${(perReq(c.key, "gc") / measured / 1000).toFixed(3)} ms per request`);
    return { key: "profile", raw: data, markdown: [header, sep, ...rows, ...worstMd].join("\n"), measured, warmup, targets: [] };
}

if (process.argv[2] === "--child") {
    child(Number(process.argv[3]) || 600, Number(process.argv[4]) || 150).catch((e) => {
        console.error(e);
        process.exit(1);
    });
}

module.exports = { run };
