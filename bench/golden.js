"use strict";
// Behaviour fingerprint for performance work: runs every policy, at resource level and at
// stack level, over a seeded corpus of generated resources (the benchmarks' generator plus
// unknowns, malformed values and small rule lists that overlap heavily) and prints the
// findings as JSON. Run it before and after an optimisation and diff the two outputs:
//
//   npm run build && node bench/golden.js > /tmp/before.json
//   (change the code)
//   npm run build && node bench/golden.js > /tmp/after.json && cmp /tmp/before.json /tmp/after.json
//
// Options: --seed N (default 7), --count N resources per kind (default 300); PORTGUARD_DIST=dir
// runs another build (e.g. a copy of HEAD compiled elsewhere).
const path = require("node:path");
const g = require("./lib/generate");

const DIST = process.env.PORTGUARD_DIST ? path.resolve(process.env.PORTGUARD_DIST) : path.resolve(__dirname, "..", "dist");
const { POLICIES } = require(path.join(DIST, "policies"));
const fresh = require("./lib/evaluator").evaluatorOf(DIST);
const providers = require(path.join(DIST, "providers"));

const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seed = arg("seed", 7);
const count = arg("count", 300);
const rnd = g.prng(seed);

/** Replace some leaves with the unknown sentinel or a wrong-typed value. */
function mutate(v, p) {
    if (Array.isArray(v)) return v.map((x) => mutate(x, p));
    if (v && typeof v === "object") {
        const o = {};
        for (const [k, x] of Object.entries(v)) o[k] = mutate(x, p);
        return o;
    }
    if (rnd.chance(p)) return rnd.pick([g.UNKNOWN, null, "banana", 70000, -1, "10.0.0.0/33", true, [], {}]);
    return v;
}

/** Small ordered lists with few distinct values: many overlaps, shadowing and merges. */
function denseAcl(name, n) {
    const cidrs = ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8", "52.0.0.0/8", "52.1.0.0/16", "203.0.113.0/24"];
    const cidrs6 = ["::/0", "2000::/3", "2001:db8::/32", "2600::/16", "fd00::/8"];
    const ports = [[0, 65535], [1024, 65535], [22, 22], [440, 450], [445, 445], [0, 1023], [32768, 60999], [3389, 3389], [135, 139]];
    const entry = (i) => {
        const [from, to] = rnd.pick(ports);
        const e = { ruleNo: (i + 1) * 10, action: rnd.chance(0.4) ? "deny" : "allow", protocol: rnd.pick(["tcp", "udp", "-1", "6"]), fromPort: from, toPort: to };
        if (rnd.chance(0.7)) e.cidrBlock = rnd.pick(cidrs);
        else e.ipv6CidrBlock = rnd.pick(cidrs6);
        if (rnd.chance(0.15)) e.ruleNo = rnd.pick([10, 20, 30]);
        return e;
    };
    const ingress = [];
    const egress = [];
    for (let i = 0; i < n; i++) ingress.push(entry(i));
    for (let i = 0; i < Math.ceil(n / 2); i++) egress.push(entry(i));
    return { type: g.T.acl, name, urn: g.urnOf(g.T.acl, name), properties: { vpcId: "vpc-1", ingress, egress } };
}

const corpus = [];
for (let i = 0; i < count; i++) corpus.push(g.securityGroup(rnd, `sg-${i}`, rnd.int(1, 30)));
for (let i = 0; i < count; i++) corpus.push(g.networkAcl(rnd, `acl-${i}`, rnd.int(1, 40)));
for (let i = 0; i < count; i++) corpus.push(denseAcl(`dense-${i}`, rnd.int(1, 14)));
for (let i = 0; i < count / 2; i++) {
    const r = rnd.chance(0.5) ? denseAcl(`mut-acl-${i}`, rnd.int(1, 10)) : g.securityGroup(rnd, `mut-sg-${i}`, rnd.int(1, 10));
    corpus.push({ ...r, properties: mutate(r.properties, 0.05) });
}
const tokens = providers.handledTokens();
const stacks = [];
for (let i = 0; i < 6; i++) stacks.push(g.stack(rnd, 400, tokens));
stacks.push(g.stack(rnd, 400, tokens).map((r) => ({ ...r, properties: mutate(r.properties, 0.03) })));

const asInput = (r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.properties, propertyDependencies: r.propertyDependencies });
const now = new Date("2026-06-01T00:00:00Z");
const out = { seed, count, tokens: tokens.length, resource: [], stack: [] };
for (const r of corpus) {
    const engine = fresh();
    for (const def of POLICIES) {
        for (const f of engine.evaluateResource(def, asInput(r), {}, now)) out.resource.push([def.name, f.urn, f.path, f.message]);
    }
}
stacks.forEach((s, i) => {
    for (const withAnalyze of [false, true]) {
        const engine = fresh();
        if (withAnalyze) for (const r of s) for (const def of POLICIES) engine.evaluateResource(def, asInput(r), {}, now);
        for (const def of POLICIES) {
            for (const f of engine.evaluateStack(def, s.map(asInput), {}, now)) out.stack.push([i, withAnalyze, def.name, f.urn, f.path, f.message]);
        }
    }
});
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
process.stderr.write(`golden: ${out.resource.length} resource findings, ${out.stack.length} stack findings\n`);
