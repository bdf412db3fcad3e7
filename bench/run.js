"use strict";
// `npm run bench` (builds first): runs every section and writes BENCHMARKS.md.
//
//   npm run bench                       everything (~15-25 min on a 2-core machine)
//   npm run bench -- --only coldstart,analyze      some sections
//   npm run bench -- --quick            fewer repetitions (a smoke run; figures are noisier)
//   npm run bench -- --before <commit>  also compare with the pack as built at <commit>
//
//   npm run bench -- --only hcl --hcl-big  also the 100,000-resource .tf tree (minutes)
//
// Sections: coldstart, analyze, profile, stack, worst, scan, hcl (see bench/sections/*.js for each method).
// Every figure is a ratio against a baseline measured in the same run (the no-op pack in
// bench/fixtures/noop-pack), with the median over repeated runs. Timed assertions never run
// in `npm test`: this is the only place they are made.
const fs = require("node:fs");
const path = require("node:path");
const childProcess = require("node:child_process");
const u = require("./lib/util");

const args = process.argv.slice(2);
const opt = (name) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes("--quick");
const only = opt("only")?.split(",");
const before = opt("before");
const out = opt("out") ?? path.join(u.ROOT, "BENCHMARKS.md");
const want = (s) => !only || only.includes(s);
const log = (...xs) => console.error(...xs);

const SECTIONS = {
    coldstart: () => require("./sections/coldstart").run({ runs: quick ? 3 : 11, awsRuns: quick ? 1 : 5, log }),
    analyze: () => require("./sections/analyze").run({ warmup: quick ? 50 : 200, measured: quick ? 200 : 1000, log }),
    stack: () => require("./sections/stack").run({ runs: quick ? { 2000: 2, 20000: 1 } : { 2000: 7, 20000: 5 }, log }),
    profile: () => require("./sections/profile").run({ measured: quick ? 200 : 600, warmup: quick ? 50 : 150, log }),
    worst: () => require("./sections/worst").run({ reps: quick ? 5 : 15, log }),
    scan: () => require("./sections/scan").run({ runs: quick ? { 10000: 1, 100000: 1 } : { 10000: 3, 100000: 1 }, log }),
    hcl: () => require("./sections/hcl").run({ runs: quick ? 1 : 3, big: args.includes("--hcl-big"), log }),
};

/** Build the pack as of a commit into .bench-tmp/before-<commit> (its node_modules: this checkout's). */
function buildAt(commit) {
    const dir = path.join(u.TMP, `before-${commit}`);
    if (!fs.existsSync(path.join(dir, "dist", "index.js"))) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        // only what the build needs (a whole checkout would put its tests under .bench-tmp)
        childProcess.execSync(`git archive ${commit} src package.json tsconfig.json tsconfig.build.json | tar -x -C ${JSON.stringify(dir)}`, { cwd: u.ROOT, stdio: "inherit" });
        fs.symlinkSync(path.join(u.ROOT, "node_modules"), path.join(dir, "node_modules"));
        childProcess.execSync(`${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(u.ROOT, "node_modules", "typescript", "bin", "tsc"))} -p tsconfig.build.json`, { cwd: dir, stdio: "inherit" });
    }
    return dir;
}

/** "1.4x faster" / "1.2x slower": how much the after side improves on the before side. */
function change(before, after, what = "faster", opposite = "slower") {
    return before >= after ? `${(before / after).toFixed(2)}x ${what}` : `${(after / before).toFixed(2)}x ${opposite}`;
}

async function compareBefore(commit, results) {
    const dir = buildAt(commit);
    const g = require("./lib/generate");
    const { analyzerpb } = u.analyzer.proto;
    const rows = [];
    // Analyze p50: the three packs side by side (bench/sections/analyze.js compareBuilds).
    const labels = { sgTypical: "60-rule security group, typical content", aclTypical: "40-entry ACL, typical content", sgRandom: "60-rule security group, random content", aclRandom: "40-entry ACL, random content", unjudged: "a resource no policy judges" };
    const an = await require("./sections/analyze").compareBuilds(dir, { warmup: quick ? 50 : 100, measured: quick ? 150 : 500, log });
    for (const [k, v] of Object.entries(an)) {
        rows.push(`| Analyze p50, ${labels[k]} (vs no-op in the same run) | ${u.fmtMs(v.before)} (${(v.before / v.noop).toFixed(2)}x) | ${u.fmtMs(v.after)} (${(v.after / v.noop).toFixed(2)}x) | ${change(v.before, v.after)} |`);
    }
    // AWS resources only: every commit has the AWS adapters, so both builds do the same work.
    const resources = g.stack(g.prng(4242), 20000, []);
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(resources.map(u.analyzer.makeAnalyzerResource));
    const runs = quick ? 1 : 3;
    const res = { before: [], after: [] };
    for (let i = 0; i < runs; i++) {
        for (const [name, packDir] of i % 2 === 0 ? [["before", dir], ["after", u.ROOT]] : [["after", u.ROOT], ["before", dir]]) {
            const p = await u.launch(packDir);
            try {
                await u.configureDefaults(p);
                const t0 = u.nowMs();
                await p.call("analyzeStack", req);
                const ms = u.nowMs() - t0;
                res[name].push({ ms, hwm: u.memoryOf(p.pid).hwm });
                log(`  before/after AnalyzeStack 20,000 (AWS only) ${name}: ${u.fmtMs(ms)}, peak RSS ${u.fmtMB(u.memoryOf(p.pid).hwm)}`);
            } finally {
                p.close();
            }
        }
    }
    // The worst cases: the before build measured exactly as the worst section measured this
    // checkout in this run (same child, same repetitions), so the after column is that
    // section's figure; without the section, both are measured here.
    const reps = results.find((r) => r.key === "worst")?.reps ?? (quick ? 5 : 15);
    const worst = (distDir) => {
        const r = childProcess.spawnSync(process.execPath, ["--expose-gc", path.join(__dirname, "sections", "worst.js"), "--child", String(reps), "--sizes", "100,1000"], { encoding: "utf8", env: { ...process.env, PORTGUARD_DIST: distDir }, maxBuffer: 1 << 26 });
        if (r.status !== 0) throw new Error(r.stderr);
        return JSON.parse(r.stdout);
    };
    const wb = worst(path.join(dir, "dist"));
    const wa = results.find((r) => r.key === "worst")?.raw ?? worst(path.join(u.ROOT, "dist"));
    const m = (xs, k) => u.median(xs.map((x) => x[k]));
    rows.push(`| AnalyzeStack, 20,000 AWS resources: time | ${u.fmtMs(m(res.before, "ms"))} | ${u.fmtMs(m(res.after, "ms"))} | ${change(m(res.before, "ms"), m(res.after, "ms"))} |`);
    rows.push(`| AnalyzeStack, 20,000 AWS resources: pack peak RSS | ${u.fmtMB(m(res.before, "hwm"))} | ${u.fmtMB(m(res.after, "hwm"))} | ${change(m(res.before, "hwm"), m(res.after, "hwm"), "less", "more")} |`);
    for (const kind of ["orderedWorstCase", "groupWorstCase"]) {
        for (const what of ["analysis", "all"]) {
            const b = u.median(wb[kind][1000][what]);
            const a = u.median(wa[kind][1000][what]);
            rows.push(`| ${kind === "orderedWorstCase" ? "ordered list" : "security group"}, 1,000 rules: ${what === "analysis" ? "analysis" : "all five policies"} | ${u.fmtMs(b)} | ${u.fmtMs(a)} | ${change(b, a)} |`);
        }
    }
    return {
        key: "before",
        markdown: [
            `Before = the pack built from commit \`${commit}\`; after = this checkout; same machine, same run, same requests. The Analyze rows run both builds and the no-op pack side by side (requests in rotating order); the worst-case "after" figures are the worst-case section's above, and "before" is measured by the same child with the same repetitions.`,
            "",
            "| measure | before | after | change |",
            "|---|---|---|---|",
            ...rows,
        ].join("\n"),
        targets: [],
    };
}

function verdict(t) {
    return t.value <= t.limit ? "met" : "**missed**";
}

function render(results, meta) {
    const get = (k) => results.find((r) => r.key === k);
    const targets = results.flatMap((r) => r.targets ?? []);
    const targetRows = targets.map((t) => `| ${t.name} | ${t.text} | ${t.unit === "ms" ? `< ${t.limit} ms` : t.name.includes("n log n") ? "no faster than n log n" : `<= ${t.limit}x`} | ${verdict(t)} |`);
    const section = (k, title, method) => {
        const r = get(k);
        if (!r) return [`## ${title}`, "", "_Not run in this invocation (`--only`)._", ""];
        return [`## ${title}`, "", method, "", r.markdown, ""];
    };
    return [
        "# portguard benchmarks",
        "",
        "_Written by `npm run bench` (bench/run.js); do not edit by hand. Rerun to refresh._",
        "",
        `Run: ${meta.date}, commit \`${meta.commit}\`${meta.dirty ? " (with uncommitted changes)" : ""}, ${meta.quick ? "**quick mode** (fewer repetitions), " : ""}Node ${meta.machine.node}, ${meta.machine.cpu}, ${meta.machine.memory}, ${meta.machine.os}.`,
        `Load average (1, 5, 15 min) at start: ${meta.loadStart}; at end: ${meta.loadEnd}. The machine is shared: other work running at the same time slows both sides of a comparison, which is why every figure is a ratio against a baseline measured in the same run, interleaved with it.`,
        "",
        "## Targets",
        "",
        "| target | measured | limit | verdict |",
        "|---|---|---|---|",
        ...targetRows,
        "",
        "Reproduce: `npm ci && npm run bench` (or `npm run bench -- --only stack`). Sections and their methods are below; the code is in `bench/`.",
        "",
        ...section(
            "coldstart",
            "Cold start",
            "Time from spawning the pack through Pulumi's loader, exactly as the CLI does (`node <@pulumi/pulumi/cmd/run-policy-pack> <engine address> <packDir>`, cwd = packDir; scripts/lib/analyzer.js `launchPack`), to its gRPC port on stdout. run-policy-pack always registers ts-node (the vendored ts-node 7.0.1 here, with the repository's TypeScript); its cache is pointed at a fresh empty directory for every launch through `TS_NODE_CACHE_DIRECTORY`, which that ts-node reads (a JS pack compiles nothing, so it only matters to the TypeScript pack). Baseline: `bench/fixtures/noop-pack`, a JS pack with as many policies as portguard, each with a `validateResource` and a `validateStack` that do nothing. The three packs are launched in rotating order in each round. The TypeScript pack (`bench/fixtures/aws-typed-pack`: `import * as aws from \"@pulumi/aws\"` and `validateResourceOfType`, the usual shape of a typed pack, `@pulumi/aws` installed at the repository root) is measured for the README, not as a target.",
        ),
        ...section(
            "analyze",
            "Per-resource Analyze latency",
            `Both packs run side by side, configured as the CLI configures them without a config file (GetAnalyzerInfo, then Configure with the schema defaults), and receive the same AnalyzeRequests alternately over gRPC; the latency is the client-side round trip. Every request is a different resource with its own URN and freshly generated rules (bench/lib/generate.js, seeded), so nothing remembered from an earlier resource answers it. The first ${get("analyze")?.warmup ?? "N"} requests per pack warm the JIT and are not counted; then ${get("analyze")?.measured ?? "N"} are measured per pack and case.`,
        ),
        ...section(
            "profile",
            "Where the time of one Analyze goes",
            `A CPU profile of the per-resource work, in-process (bench/sections/profile.js): for each resource, what @pulumi/policy's Analyze handler does for each of the five policies (\`deserializeProperties\` of the request's properties and \`unknownCheckingProxy\`, then the policy's \`validateResource\`, with \`getConfig\` returning the schema defaults as the CLI configures them), on the Analyze section's kinds of requests; ${get("profile")?.warmup ?? "N"} resources warm up, then ${get("profile")?.measured ?? "N"} are profiled with the V8 sampling profiler (100 us). Each sample is charged to the innermost frame of a category (helpers in src/net and src/catalog count for their caller). gRPC and protobuf are left out: they cost both packs the same, apart from the diagnostics. Times are per resource; the profiler and other work on the machine inflate them alike, so the shares are the finding. The first row is the floor the no-op pack also pays; the rows marked portguard are what the pack adds to it, and garbage collection is shared.`,
        ),
        ...section(
            "stack",
            "A large stack through AnalyzeStack",
            "One AnalyzeStackRequest carrying the whole stack in the wire form a preview sends (unknown ids of resources being created, separate rules linked to their group or ACL through `propertyDependencies`). Each measurement launches a fresh pack (so the peak is this request's), configures it with the defaults, sends the request once and reads the pack process's peak RSS from `/proc/<pid>/status` (VmHWM). The no-op pack gets the same request, alternating with portguard run by run. The mix (seeded, bench/lib/generate.js `stack`): security groups with 4-12 inline rules; groups with 3-6 separate `SecurityGroupRule` / `SecurityGroupIngressRule` resources; network ACLs with 6-20 inline entries; ACLs with 4-8 separate `NetworkAclRule` resources; and, because `src/providers/index.ts` registers them, Azure NSGs with inline rules plus separate `SecurityRule` resources, and GCP firewalls.",
        ),
        ...section(
            "worst",
            "Worst cases in-process",
            "No gRPC, no SDK: one firewall with n rules, n = 100, 1,000 and 10,000, each repetition a freshly generated one (median shown). The ordered case is an AWS network ACL (3/4 ingress, 1/4 egress) whose entries mix IPv4 (60 %) and IPv6 (40 %), allow and deny (~35 % deny), with distinct rule numbers in random order; the unordered case is an AWS security group with n inline rule entries. Generator (bench/lib/generate.js, seeded, random with overlapping ranges): ports are single ports (40 %), short ranges up to 200 ports (40 %) or long ranges up to 30,000 ports (20 %); prefix lengths are drawn over the whole range biased to short prefixes (so blocks contain each other), from public and private space; protocols tcp 45 %, udp 25 %, all (-1) 20 %, icmp 10 %; 1-3 CIDRs per group rule. _analysis_ times what src/analysis does on the model (evaluate both directions, the exposures the three exposure policies ask for, the return-traffic gaps); _all five policies_ times `evaluateResource` for each policy on the resource's properties (adapter, analysis, policies, messages: one Analyze minus the SDK). Growth is compared with n log n: from n to 10n it may grow 10 log(10n) / log(n) times.",
        ),
        ...section(
            "scan",
            "The offline scanner",
            "`portguard scan <plan.json> -o json --output-file <file>` (bin/portguard.js) on a seeded `terraform show -json` plan (bench/lib/tfplan.js: security groups with inline rules, groups with separate `aws_security_group_rule` resources referenced in the configuration, ACLs with inline entries, ACLs with separate `aws_network_acl_rule` resources; `planned_values`, `resource_changes` with `after_unknown`, and `configuration`), from spawn to exit. Peak RSS is `process.resourceUsage().maxRSS`, written at exit by a preloaded module (bench/lib/maxrss.js).",
        ),
        ...section(
            "hcl",
            "Terraform without a plan (.tf files)",
            "`portguard scan <dir> -o json --output-file <file>` on a tree of `.tf` files against `portguard scan <plan.json>` of the same configuration, spawn to exit, runs alternating. The plan is the scan section's seeded plan (bench/lib/tfplan.js, 10,000 resources); the tree is its configuration written as HCL by bench/lib/tfhcl.js (the values the plan shows as literals, the configuration's references as expressions such as `security_group_id = aws_security_group.x.id`; 1,000 resources per file), so both give the same findings (checked on every run, and held by test/cli/hcl/equivalence.test.ts). Those files are plain (literals, references, lists), which the HCL reader reads from their text (src/cli/formats/hcl/parser.ts, held equal to the grammar's tree by test/cli/hcl/parser.test.ts); a second copy of the tree ends every file with a function call, so every file goes through web-tree-sitter's parse, as files with calls, `for` expressions or heredocs do. The three inputs run in rotating order. Targets, for both trees: the HCL scan takes at most 2x the plan scan at 10,000 resources, and a 100,000-resource tree at most 12x the 10,000 one (`--hcl-big`).",
        ),
        ...(get("before") ? ["## Before and after the optimisations", "", get("before").markdown, ""] : []),
        ...(meta.notes ? ["## Notes", "", meta.notes, ""] : []),
    ].join("\n");
}

async function main() {
    const meta = { date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC", commit: u.gitCommit(), machine: u.machine(), loadStart: u.loadAverage(), quick };
    try {
        meta.dirty = childProcess.execSync("git status --porcelain -- src bench", { cwd: u.ROOT, encoding: "utf8" }).trim() !== "";
    } catch {
        meta.dirty = false;
    }
    const results = [];
    for (const [name, fn] of Object.entries(SECTIONS)) {
        if (!want(name)) continue;
        log(`== ${name}`);
        const t0 = u.nowMs();
        results.push(await fn());
        log(`   (${u.fmtMs(u.nowMs() - t0)})`);
    }
    if (before) {
        log(`== before/after (${before})`);
        results.push(await compareBefore(before, results));
    }
    meta.loadEnd = u.loadAverage();
    const notesFile = path.join(__dirname, "NOTES.md");
    meta.notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, "utf8").trim() : "";
    fs.writeFileSync(out, `${render(results, meta)}\n`);
    fs.mkdirSync(u.TMP, { recursive: true });
    fs.writeFileSync(path.join(u.TMP, "bench-results.json"), JSON.stringify({ meta, results: results.map((r) => ({ key: r.key, targets: r.targets, raw: r.raw })) }, null, 1));
    log(`wrote ${path.relative(process.cwd(), out)}`);
    for (const t of results.flatMap((r) => r.targets ?? [])) log(`  ${verdict(t).replace(/\*/g, "").padEnd(6)} ${t.name}: ${t.text}`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
