"use strict";
// Small helpers shared by the benchmark sections: statistics, timing, process memory, and a
// gRPC client for a launched pack with no message-size limits (20,000-resource stacks).
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const childProcess = require("node:child_process");
const analyzer = require("../../scripts/lib/analyzer.js");

const ROOT = path.resolve(__dirname, "..", "..");
const TMP = path.join(ROOT, ".bench-tmp");

function quantile(xs, q) {
    if (xs.length === 0) return Number.NaN;
    const s = [...xs].sort((a, b) => a - b);
    const i = (s.length - 1) * q;
    const lo = Math.floor(i);
    const hi = Math.ceil(i);
    return s[lo] + (s[hi] - s[lo]) * (i - lo);
}
const median = (xs) => quantile(xs, 0.5);

function nowMs() {
    return Number(process.hrtime.bigint()) / 1e6;
}

function fmtMs(ms) {
    if (!Number.isFinite(ms)) return "n/a";
    if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
    if (ms >= 100) return `${ms.toFixed(0)} ms`;
    if (ms >= 10) return `${ms.toFixed(1)} ms`;
    return `${ms.toFixed(2)} ms`;
}

function fmtMB(kb) {
    return `${(kb / 1024).toFixed(0)} MB`;
}

function ratio(a, b) {
    return a / b;
}

/** Peak and current resident set size of a live process, in kB (Linux /proc). */
function memoryOf(pid) {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const get = (k) => Number((new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status) ?? [])[1]);
    return { hwm: get("VmHWM"), rss: get("VmRSS") };
}

/** A fresh temporary directory under .bench-tmp/ (gitignored). */
function freshDir(prefix) {
    fs.mkdirSync(TMP, { recursive: true });
    return fs.mkdtempSync(path.join(TMP, `${prefix}-`));
}

/**
 * Launch a pack exactly as the Pulumi CLI does (scripts/lib/analyzer.js launchPack:
 * `node <run-policy-pack> <engine address> <packDir>`, cwd = packDir), with ts-node's cache
 * pointed at a fresh empty directory (run-policy-pack registers the vendored ts-node 7.0.1,
 * which reads TS_NODE_CACHE_DIRECTORY). Resolves to the time from spawn to the port printed,
 * and a client whose gRPC channel has no message-size limits.
 */
async function launch(packDir, extraEnv = {}) {
    const cache = freshDir("ts-node-cache");
    const t0 = nowMs();
    const pack = await analyzer.launchPack(packDir, { env: { TS_NODE_CACHE_DIRECTORY: cache, ...extraEnv }, timeoutMs: 120_000 });
    const startMs = nowMs() - t0;
    pack.raw.close();
    const { analyzerpb, grpc } = analyzer.proto;
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const analyzergrpc = require(path.join(pulumiDir, "proto", "analyzer_grpc_pb.js"));
    const raw = new analyzergrpc.AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": -1,
        "grpc.max_send_message_length": -1,
    });
    const call = (method, req) =>
        new Promise((resolve, reject) => raw[method](req, { deadline: Date.now() + 600_000 }, (err, resp) => (err ? reject(err) : resolve(resp))));
    const close = () => {
        raw.close();
        if (pack.child.exitCode === null && pack.child.signalCode === null) pack.child.kill("SIGKILL");
        fs.rmSync(cache, { recursive: true, force: true });
    };
    return { startMs, pid: pack.child.pid, child: pack.child, raw, call, close, analyzerpb, stderr: pack.stderr, port: pack.port };
}

/** Configure a launched pack as the CLI does with no config file (schema defaults, default levels). */
async function configureDefaults(p) {
    const client = analyzer.createClient(`127.0.0.1:${p.port}`);
    try {
        const info = await client.getAnalyzerInfo();
        await client.configure(analyzer.reconcileConfig(info, undefined));
        return info;
    } finally {
        client.close();
    }
}

function machine() {
    const cpus = os.cpus();
    return {
        node: process.version,
        cpu: `${cpus[0]?.model ?? "unknown"} x ${cpus.length}`,
        memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
        os: `${os.type()} ${os.release()}`,
    };
}

function loadAverage() {
    return os.loadavg().map((x) => x.toFixed(2)).join(", ");
}

function gitCommit() {
    try {
        return childProcess.execSync("git rev-parse --short HEAD", { cwd: ROOT, encoding: "utf8" }).trim();
    } catch {
        return "unknown";
    }
}

module.exports = { ROOT, TMP, quantile, median, nowMs, fmtMs, fmtMB, ratio, memoryOf, freshDir, launch, configureDefaults, machine, loadAverage, gitCommit, analyzer };
