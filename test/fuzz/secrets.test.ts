/**
 * The secret rule as a property, over random firewalls of every provider kind (every token in
 * handledTokens(): properties keyed by the words of its adapter with plausible values, as
 * test/fuzz/adapters.test.ts builds them, and the benchmark generator's valid AWS, Azure and GCP
 * shapes). For a random leaf of the properties:
 *
 *  - the leaf is given a DISTINCTIVE value of its kind (a CIDR, a malformed string or word, a
 *    port-like number, valid or out of range) that occurs nowhere else in the properties, so
 *    finding it in an output can only mean the leaf was printed (no coincidences), and
 *  - the leaf, or one of its ancestors (a secret around a whole rule or list), is marked secret:
 *    in wire form, or as the pack sees an Analyze request (plain values, with the request's
 *    secret plaintexts registered beside them, src/pack/secrets.ts);
 *
 * then, through the CLI's scan and its four renderers (text, JSON, SARIF, JUnit):
 *  - the verdicts (policy, level, phase, property path of every finding) are those of the same
 *    properties with nothing marked secret: a secret is judged like any value;
 *  - the distinctive value appears in no output, as a whole token.
 * It cannot pass vacuously: the same value printed by the unmarked run is counted, and the run
 * fails unless some cases did print it (the value was quoted, and the secret run hid it).
 *
 * FUZZ_RUNS=2000 npx vitest run test/fuzz/secrets.test.ts   cases per token (FUZZ_SEED fixes the seed).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { handledTokens } from "../../src/providers";
import { registerSecretTexts } from "../../src/providers/read";
import { wireSecretTexts } from "../../src/pack/secrets";
import { POLICIES } from "../../src/policies";
import { scanInput, renderText, renderJson, renderSarif, renderJunit, resolvePolicySettings, type ScanInput, type Report } from "../../src/cli";
import { SECRET_SIG, SECRET_SIG_KEY } from "../helpers";
import { breathe, runsFrom, seedFrom } from "./run";

const require = createRequire(import.meta.url);
const g = require("../../bench/lib/generate.js");

const RUNS = runsFrom("FUZZ_RUNS", 10);
const TOKENS = handledTokens();
const SETTINGS = resolvePolicySettings(undefined, POLICIES).settings;

// ---------------------------------------------------------------------------------------------
// Random firewalls

function literals(file: string): string[] {
    const words = new Set<string>();
    for (const m of readFileSync(file, "utf8").matchAll(/"([A-Za-z_][A-Za-z0-9_.-]{0,40})"/g)) words.add(m[1]);
    return [...words].sort();
}
const PROVIDERS_DIR = path.resolve(__dirname, "../../src/providers");
const VOCAB = [...new Set(readdirSync(PROVIDERS_DIR).filter((f) => f.endsWith(".ts")).flatMap((f) => literals(path.join(PROVIDERS_DIR, f))))].sort();
function vocabFor(type: string): string[] {
    try {
        return literals(path.join(PROVIDERS_DIR, `${type.split(":")[0].replace(/-native$/, "")}.ts`));
    } catch {
        return VOCAB;
    }
}

const cidr = fc.constantFrom("0.0.0.0/0", "::/0", "10.0.0.0/8", "192.168.1.0/24", "52.1.2.3/32", "0.0.0.0/1", "128.0.0.0/1", "2600::/16", "*", "Internet", "any", "203.0.113.9/32");
const port = fc.oneof(fc.constantFrom(0, 22, 80, 443, 445, 1024, 3389, 65535, -1), fc.constantFrom("22", "80-443", "1024-65535", "0-65535", "*", "-1/-1", "22/22", "445", "all", "1-65535"));
const PROTOCOLS = ["tcp", "udp", "icmp", "-1", "all", "ALL", "*", "Any", "6", "17"];
const ACTIONS = ["allow", "Allow", "ACCEPT", "accept", "deny", "Deny", "DROP", "drop"];
const DIRECTIONS = ["ingress", "egress", "INGRESS", "Inbound", "Outbound", "in", "out"];

function valueFor(key: string, words: fc.Arbitrary<string>, nested: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    const k = key.toLowerCase();
    const many = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.array(a, { minLength: 1, maxLength: 3 }));
    if (/proto/.test(k)) return fc.constantFrom(...PROTOCOLS);
    if (/port|^min$|^max$|^from$|^to$|start|end/.test(k)) return many(port);
    if (/cidr|prefix|address|^ip|ips$|range|source|destination|remote|peer/.test(k)) return many(cidr);
    if (/action|access|policy|verdict/.test(k)) return fc.constantFrom(...ACTIONS);
    if (/direction|^type$|flow/.test(k)) return fc.constantFrom(...DIRECTIONS);
    if (/priority|ruleno|rulenumber|order|number|index|sequence/.test(k)) return fc.integer({ min: 0, max: 5000 });
    if (/rules|ingress|egress|entries|entrys|inbound|outbound|allows|denies|quintuple|set$|list$/.test(k)) return nested;
    return fc.oneof(words, fc.boolean(), port, nested);
}

function propsFor(type: string): fc.Arbitrary<unknown> {
    const vocab = vocabFor(type);
    const words = fc.constantFrom(...vocab);
    const core = vocab.filter((k) => /proto|port|cidr|prefix|address|^ip|range|source|destination|remote|action|access|policy|direction|^type$|priority|rule|order|egress|ingress|inbound|outbound|allows|denies|entries|^from|^to$|^min|^max|start|end/i.test(k));
    const object = (depth: number): fc.Arbitrary<unknown> => {
        const nested: fc.Arbitrary<unknown> = depth <= 0 ? fc.constant([]) : fc.oneof({ weight: 4, arbitrary: fc.array(object(depth - 1), { maxLength: 3 }) }, { weight: 1, arbitrary: object(depth - 1) });
        const arbs = new Map<string, fc.Arbitrary<unknown>>();
        const valueOf = (k: string) => arbs.get(k) ?? (arbs.set(k, valueFor(k, words, nested)), arbs.get(k)!);
        return fc
            .tuple(fc.subarray(core), fc.uniqueArray(words, { maxLength: 3 }))
            .map(([a, b]) => [...new Set([...a, ...b])])
            .chain((keys) => fc.tuple(...keys.map(valueOf)).map((vals) => Object.fromEntries(keys.map((k, i) => [k, vals[i]]))));
    };
    const seeded = fromGenerator(type);
    return seeded ? fc.oneof({ weight: 1, arbitrary: object(2) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_000_000 }).map((s) => seeded(s)) }) : object(2);
}

/** The benchmark generator's valid shapes (AWS groups, rules and ACLs, Azure NSGs and rules, GCP firewalls). */
function fromGenerator(type: string): ((seed: number) => unknown) | undefined {
    const direct: Record<string, (seed: number) => unknown> = {
        [g.T.sg]: (seed) => g.securityGroup(g.prng(seed), "x", 1 + (seed % 6)).properties,
        [g.T.acl]: (seed) => g.networkAcl(g.prng(seed), "x", 1 + (seed % 6)).properties,
    };
    if (direct[type]) return direct[type];
    const found = (seed: number) => (g.stack(g.prng(seed), 30, TOKENS) as Array<{ type: string; properties: unknown }>).find((r) => r.type === type)?.properties;
    return found(1) === undefined ? undefined : (seed) => found(seed) ?? found(1);
}

// ---------------------------------------------------------------------------------------------
// Leaves, distinctive values, secret marking

type Path = Array<string | number>;
/** Paths of the string and number leaves (and of every object or list above them). */
function leaves(v: unknown, at: Path = [], out: Path[] = []): Path[] {
    if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) out.push(at);
    else if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...at, i], out));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) leaves(x, [...at, k], out);
    return out;
}
function setAt(root: unknown, p: Path, f: (v: unknown) => unknown): unknown {
    if (p.length === 0) return f(root);
    const copy: Record<string | number, unknown> = Array.isArray(root) ? [...root] : { ...(root as object) };
    copy[p[0]] = setAt((root as Record<string | number, unknown>)[p[0]], p.slice(1), f);
    return copy;
}
const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });

/**
 * Distinctive values: none is produced by the generators above, and each is a whole token no
 * fixed message text holds. CIDRs that are valid and public (wide, the internet in IPv6 written
 * unusually), private, or malformed; words no adapter knows; numbers valid as ports, priorities
 * and rule numbers, or out of every range.
 */
const DISTINCT_STRINGS = ["44.0.0.0/8", "45.64.0.0/10", "0:0::/0", "2a0f:5e00::/29", "10.77.0.0/16", "198.18.77.0/24", "44.0.0.0/33", "zq7-not-a-cidr", "Zq7Word", "zq7-80-90", "31337", "31330-31337"];
const DISTINCT_NUMBERS = [31337, 4242, 27001, 3777, 98765, 424242];

/** Whether `value` occurs in `text` as a whole token (not inside a longer number, word or address). */
function appears(text: string, value: string): boolean {
    const esc = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(?<![A-Za-z0-9_.:/])${esc}(?![A-Za-z0-9_]|[.:/][A-Za-z0-9])`).test(text);
}

// ---------------------------------------------------------------------------------------------
// One scan, all four outputs

function scan(type: string, name: string, props: unknown, registered?: readonly string[]): { verdicts: string[]; output: string } {
    if (registered && props && typeof props === "object") registerSecretTexts(props, registered);
    const urn = `urn:pulumi:fuzz::secrets::${type}::${name}`;
    const input: ScanInput = { source: "fuzz.json", format: "pulumi-export", stack: "fuzz/secrets", resources: [{ input: { type, urn, name, props } }], skipped: 0 };
    const result = scanInput(input, SETTINGS);
    const report: Report = { tool: { name: "portguard", version: "0.0.0" }, settings: SETTINGS, stacks: [result], errors: [], exitCode: result.findings.some((f) => f.level === "mandatory") ? 1 : 0 };
    const sarif = JSON.parse(renderSarif(report)) as { runs: Array<{ tool: unknown }> };
    for (const run of sarif.runs) delete (run as { tool?: unknown }).tool; // the fixed rule catalogue
    const output = [renderText(report, { color: false }), renderJson(report), JSON.stringify(sarif), renderJunit(report)].join("\n");
    const verdicts = result.findings.map((f) => `${f.policy}|${f.level}|${f.phase}|${f.path}`).sort();
    return { verdicts, output };
}

describe("the secret rule, over random firewalls of every provider kind", () => {
    const stats = { cases: 0, quotedPlain: 0 };

    for (const type of TOKENS) {
        it(`${type}: marking a leaf secret never prints its value and never changes a verdict`, async () => {
            const arb = propsFor(type).chain((props) => {
                const ls = leaves(props);
                return fc.record({
                    props: fc.constant(props),
                    leaf: ls.length ? fc.constantFrom(...ls) : fc.constant(undefined),
                    up: fc.nat({ max: 3 }),
                    distinct: fc.oneof(fc.constantFrom(...DISTINCT_STRINGS), fc.constantFrom(...DISTINCT_NUMBERS)),
                    viaRequest: fc.boolean(),
                });
            });
            let n = 0;
            await fc.assert(
                fc.asyncProperty(arb, async ({ props, leaf, up, distinct, viaRequest }) => {
                    await breathe();
                    if (!leaf) return;
                    const text = String(distinct);
                    const plainProps = setAt(props, leaf, () => distinct);
                    // No coincidence: the value occurs nowhere else in the properties.
                    if (appears(JSON.stringify(setAt(props, leaf, () => "")), text)) return;
                    const marked = leaf.slice(0, Math.max(0, leaf.length - up));
                    const wire = setAt(plainProps, marked, secret);
                    const i = n++;
                    const plain = scan(type, `plain-${i}`, plainProps);
                    const hidden = viaRequest ? scan(type, `request-${i}`, plainProps, wireSecretTexts(wire)) : scan(type, `wire-${i}`, wire);
                    stats.cases++;
                    if (appears(plain.output, text)) stats.quotedPlain++;
                    if (appears(hidden.output, text)) {
                        throw new Error(`${text} (leaf ${leaf.join(".")}, secret at ${marked.join(".") || "(props)"}, ${viaRequest ? "request" : "wire"}) printed:\n${hidden.output.split("\n").filter((l) => appears(l, text)).slice(0, 3).join("\n")}`);
                    }
                    expect(hidden.verdicts, `secret at ${marked.join(".") || "(props)"}`).toEqual(plain.verdicts);
                }),
                { numRuns: RUNS, ...seedFrom("FUZZ_SEED") },
            );
        }, 120_000);
    }

    it("is not vacuous: the unmarked runs did print some of the distinctive values that the marked runs hid", () => {
        if (process.env.FUZZ_STATS) console.log(`secret rule: ${stats.quotedPlain} of ${stats.cases} cases printed the value when unmarked`);
        expect(stats.cases).toBeGreaterThan(0);
        expect(stats.quotedPlain, `${stats.quotedPlain} of ${stats.cases} cases`).toBeGreaterThan(0);
    });
});
