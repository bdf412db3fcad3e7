#!/usr/bin/env node
/**
 * Generates docs/policies/<name>.md for every policy in src/policies/index.ts, and
 * docs/policies/README.md (the index), from the policy objects themselves: description,
 * default level, severity, related controls, the options table (from configSchema) and the
 * failing / passing programs in docs/snippets/<name>.{fail,pass}.ts, which
 * test/meta/snippets.test.ts runs under Pulumi's mocks.
 *
 *     npm run docs            (build, then write the pages)
 *     node dist/tools/docs.js --check   (exit 1 when a page is missing or stale)
 *
 * test/meta/docs.test.ts regenerates the pages in memory and fails the build when one differs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { POLICIES } from "../policies";
import type { PolicyDef } from "../pack/engine";
import { PORT_ITEM, type OptionSchema } from "../pack/config";

/** The repository root (this file is src/tools/docs.ts or dist/tools/docs.js). */
export const ROOT = path.resolve(__dirname, "..", "..");
export const DOCS_DIR = path.join("docs", "policies");
export const SNIPPETS_DIR = path.join("docs", "snippets");

type Schema = Record<string, unknown>;

export interface Snippets {
    fail?: string;
    pass?: string;
}

export function snippetPath(name: string, kind: "fail" | "pass"): string {
    return path.join(SNIPPETS_DIR, `${name}.${kind}.ts`);
}

export function readSnippets(name: string, root = ROOT): Snippets {
    const read = (kind: "fail" | "pass") => {
        const p = path.join(root, snippetPath(name, kind));
        return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : undefined;
    };
    return { fail: read("fail"), pass: read("pass") };
}

// ---------------------------------------------------------------------------
// JSON Schema fragments as text

/** Markdown table cells: no pipes or line breaks. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function code(text: string): string {
    return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function range(s: Schema): string {
    const lo = typeof s.minimum === "number" ? s.minimum : undefined;
    const hi = typeof s.maximum === "number" ? s.maximum : undefined;
    if (lo !== undefined && hi !== undefined) return ` ${lo}-${hi}`;
    if (lo !== undefined) return ` >= ${lo}`;
    if (hi !== undefined) return ` <= ${hi}`;
    return "";
}

/** Patterns the options share, in words. */
const PATTERN_LABELS: Record<string, string> = {
    [(PORT_ITEM.anyOf[1] as { pattern: string }).pattern]: 'string `"n"` or `"a-b"`',
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}": "date `YYYY-MM-DD`",
};

/** A short, readable type for a schema: `integer 1-65536`, `array of string`, `one of "a", "b"`. */
export function typeLabel(s: Schema | undefined): string {
    if (!s || typeof s !== "object") return "any";
    if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => code(JSON.stringify(v))).join(", ")}`;
    if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
        const alts = (s.anyOf ?? s.oneOf) as Schema[];
        return alts.map((a) => typeLabel(a)).join(" or ");
    }
    const t = Array.isArray(s.type) ? s.type.join(" or ") : typeof s.type === "string" ? s.type : undefined;
    if (t === "array") {
        const items = s.items as Schema | undefined;
        const inner = items && (Array.isArray(items.anyOf) || Array.isArray(items.oneOf) || Array.isArray(items.enum)) ? `(${typeLabel(items)})` : typeLabel(items);
        const n = typeof s.minItems === "number" && s.minItems > 0 ? `, at least ${s.minItems}` : "";
        return `array of ${inner}${n}`;
    }
    if (t === "object") {
        const props = s.properties as Record<string, Schema> | undefined;
        if (!props) return "object";
        const req = new Set((s.required as string[] | undefined) ?? []);
        return `object {${Object.keys(props).map((k) => (req.has(k) ? k : `${k}?`)).join(", ")}}`;
    }
    if (t === "integer" || t === "number") return `${t}${range(s)}`;
    if (t === "string" && typeof s.pattern === "string" && PATTERN_LABELS[s.pattern]) return PATTERN_LABELS[s.pattern];
    if (t === "string") {
        const parts: string[] = [];
        if (typeof s.minLength === "number" && s.minLength > 0) parts.push("non-empty");
        if (typeof s.pattern === "string") parts.push(`matching ${code(s.pattern)}`);
        return parts.length ? `string (${parts.join(", ")})` : "string";
    }
    return t ?? "any";
}

/** JSON on one line with a space after separators: `[42, 135, "137-139"]`. */
export function inlineJson(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(inlineJson).join(", ")}]`;
    if (v && typeof v === "object") {
        const entries = Object.entries(v as Record<string, unknown>);
        return entries.length ? `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inlineJson(x)}`).join(", ")} }` : "{}";
    }
    return JSON.stringify(v);
}

/** Arrays of objects one element per line; everything else inline. */
export function blockJson(v: unknown): string {
    if (Array.isArray(v) && v.some((x) => x && typeof x === "object")) {
        return v.length ? `[\n${v.map((x) => `  ${inlineJson(x)}`).join(",\n")}\n]` : "[]";
    }
    return inlineJson(v);
}

/** Defaults short enough to read in a table cell. */
const INLINE_DEFAULT_MAX = 60;

function isObjectItems(s: OptionSchema): s is OptionSchema & { items: Schema & { properties: Record<string, Schema> } } {
    const items = s.items as Schema | undefined;
    return !!items && items.type === "object" && !!items.properties && typeof items.properties === "object";
}

// ---------------------------------------------------------------------------
// Pages

/** `CIS AWS Foundations Benchmark v3.0.0 5.2, 5.3; AWS Security Hub EC2.13`, or `none`. */
function controlsLine(def: PolicyDef<any>): string {
    const byFramework = new Map<string, string[]>();
    for (const c of def.controls ?? []) byFramework.set(c.framework, [...(byFramework.get(c.framework) ?? []), c.id]);
    return byFramework.size ? [...byFramework].map(([f, ids]) => `${f} ${ids.join(", ")}`).join("; ") : "none";
}

/** An example `--policy-pack-config` entry: the default level, one option at its default, an exemption. */
function configExample(def: PolicyDef<any>): string {
    const entry: Record<string, unknown> = { enforcementLevel: def.enforcementLevel };
    const props = def.configSchema.properties;
    const first = props.minExposure ? "minExposure" : Object.keys(props).find((k) => k !== "exemptions");
    if (first) entry[first] = props[first].default;
    if (props.exemptions) entry.exemptions = [{ resource: "legacy-*", reason: "migration tracked in OPS-123", expires: "2026-12-31" }];
    return JSON.stringify({ [def.name]: entry }, null, 2);
}

export function renderPolicyDoc(def: PolicyDef<any>, snippets: Snippets): string {
    const out: string[] = [];
    out.push(`<!-- Generated by \`npm run docs\` from src/policies/${def.name}.ts and docs/snippets/${def.name}.*.ts. Do not edit by hand. -->`);
    out.push(`# ${def.name}`, "");
    out.push(def.description, "");
    out.push("| | |", "|---|---|");
    out.push(`| Default enforcement level | \`${def.enforcementLevel}\` |`);
    out.push(`| Severity | ${def.severity} |`);
    out.push(`| Related controls | ${cell(controlsLine(def))} |`);
    out.push(`| Source | [src/policies/${def.name}.ts](../../src/policies/${def.name}.ts) |`);
    out.push("");

    const controls = def.controls ?? [];
    out.push("## Related controls", "");
    if (controls.length === 0) {
        out.push("None: no compliance benchmark has a control for what this policy checks.", "");
    } else {
        for (const c of controls) out.push(`- **${c.framework} ${c.id}**: ${c.title}`);
        out.push("");
        out.push("A related control covers the same risk; portguard's verdict and the control's own check can differ in scope (ports, address ranges, resource types).", "");
    }

    const props = Object.entries(def.configSchema.properties);
    out.push("## Options", "");
    if (props.length === 0) {
        out.push("None.", "");
    } else {
        const required = new Set(def.configSchema.required ?? []);
        const long: Array<[string, unknown]> = [];
        out.push("| option | type | default | description |", "|---|---|---|---|");
        for (const [k, s] of props) {
            let dflt = inlineJson(s.default);
            if (dflt.length > INLINE_DEFAULT_MAX) {
                long.push([k, s.default]);
                dflt = `see [below](#default-${k.toLowerCase()})`;
            } else {
                dflt = code(dflt);
            }
            out.push(`| \`${k}\`${required.has(k) ? " (required)" : ""} | ${cell(typeLabel(s))} | ${cell(dflt)} | ${cell(s.description)} |`);
        }
        out.push("");
        for (const [k, s] of props) {
            if (!isObjectItems(s)) continue;
            const req = new Set(((s.items as Schema).required as string[] | undefined) ?? []);
            out.push(`### Fields of each \`${k}\` item`, "");
            out.push("| field | type | required | description |", "|---|---|---|---|");
            for (const [f, fs] of Object.entries(s.items.properties)) {
                out.push(`| \`${f}\` | ${cell(typeLabel(fs))} | ${req.has(f) ? "yes" : "no"} | ${cell(String(fs.description ?? ""))} |`);
            }
            out.push("");
        }
        for (const [k, v] of long) {
            out.push(`### Default \`${k}\``, "", "```json", blockJson(v), "```", "");
        }
    }

    out.push("## Configuration", "");
    out.push("In a `--policy-pack-config` file (or `pulumi policy enable ... --config`); every option is optional:", "");
    out.push("```json", configExample(def), "```", "");
    out.push("Check a config file before enabling it: `npx portguard-validate-config <file>` where portguard is installed, `npm run validate-config -- <file>` in this repository.", "");

    out.push("## Examples", "");
    out.push(`These programs are run under Pulumi's mocks by \`test/meta/snippets.test.ts\`: the first is flagged by \`${def.name}\`, the second passes every portguard policy.`, "");
    out.push(`### Fails ([docs/snippets/${def.name}.fail.ts](../snippets/${def.name}.fail.ts))`, "");
    out.push("```ts", (snippets.fail ?? "// missing: docs/snippets/" + def.name + ".fail.ts").trimEnd(), "```", "");
    out.push(`### Passes ([docs/snippets/${def.name}.pass.ts](../snippets/${def.name}.pass.ts))`, "");
    out.push("```ts", (snippets.pass ?? "// missing: docs/snippets/" + def.name + ".pass.ts").trimEnd(), "```", "");
    return out.join("\n");
}

function firstSentence(text: string): string {
    const m = /^(.*?[.!?])(\s|$)/.exec(text.replace(/\s+/g, " ").trim());
    return m ? m[1] : text;
}

export function renderIndex(defs: readonly PolicyDef<any>[]): string {
    const out: string[] = [];
    out.push("<!-- Generated by `npm run docs` from src/policies/index.ts. Do not edit by hand. -->");
    out.push("# portguard policies", "");
    out.push("One page per policy, generated from the policy objects (`npm run docs`); the examples on each page are programs the test suite runs.", "");
    out.push("| policy | default level | severity | related controls | what it does |", "|---|---|---|---|---|");
    for (const d of defs) {
        out.push(`| [\`${d.name}\`](${d.name}.md) | \`${d.enforcementLevel}\` | ${d.severity} | ${cell(controlsLine(d))} | ${cell(firstSentence(d.description))} |`);
    }
    out.push("");
    out.push("Set levels and options with a `--policy-pack-config` file; `all` sets every level. See the README's *Organization-wide rollout* section, and [`examples/config/`](../../examples/config/) for ready-made files.", "");
    return out.join("\n");
}

/** Every generated page: repository-relative path -> content. */
export function renderAll(root = ROOT, defs: readonly PolicyDef<any>[] = POLICIES): Map<string, string> {
    const pages = new Map<string, string>();
    for (const d of defs) pages.set(path.join(DOCS_DIR, `${d.name}.md`), renderPolicyDoc(d, readSnippets(d.name, root)));
    pages.set(path.join(DOCS_DIR, "README.md"), renderIndex(defs));
    return pages;
}

/** Pages that are missing or differ on disk, and .md files on disk that no policy generates. */
export function stalePages(root = ROOT, defs: readonly PolicyDef<any>[] = POLICIES): { stale: string[]; orphans: string[] } {
    const pages = renderAll(root, defs);
    const stale = [...pages].filter(([p, text]) => {
        const f = path.join(root, p);
        return !fs.existsSync(f) || fs.readFileSync(f, "utf8") !== text;
    }).map(([p]) => p);
    const dir = path.join(root, DOCS_DIR);
    const orphans = fs.existsSync(dir)
        ? fs.readdirSync(dir).filter((f) => f.endsWith(".md")).map((f) => path.join(DOCS_DIR, f)).filter((p) => !pages.has(p))
        : [];
    return { stale, orphans };
}

function main(argv: string[]): number {
    if (argv.includes("--check")) {
        const { stale, orphans } = stalePages();
        for (const p of stale) console.error(`docs: ${p} is missing or stale; run \`npm run docs\``);
        for (const p of orphans) console.error(`docs: ${p} belongs to no policy; delete it`);
        return stale.length || orphans.length ? 1 : 0;
    }
    const pages = renderAll();
    fs.mkdirSync(path.join(ROOT, DOCS_DIR), { recursive: true });
    for (const [p, text] of pages) {
        const f = path.join(ROOT, p);
        const old = fs.existsSync(f) ? fs.readFileSync(f, "utf8") : undefined;
        if (old !== text) {
            fs.writeFileSync(f, text);
            console.log(`wrote ${p}`);
        }
    }
    for (const p of stalePages().orphans) console.error(`docs: ${p} belongs to no policy; delete it`);
    for (const d of POLICIES) {
        const s = readSnippets(d.name);
        if (!s.fail || !s.pass) console.error(`docs: ${d.name} lacks ${snippetPath(d.name, s.fail ? "pass" : "fail")}`);
    }
    return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
