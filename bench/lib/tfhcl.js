"use strict";
// The Terraform configuration (.tf files) of a plan made by tfplan.js: the same resources, with
// the values the plan shows written as literals and the references of its `configuration`
// (`security_group_id = aws_security_group.x.id`) as expressions. Used by the scan benchmark
// (HCL vs plan in the same run) and by the HCL/plan equivalence test over a generated corpus.
const fs = require("node:fs");
const path = require("node:path");

function lit(v) {
    if (Array.isArray(v)) return `[${v.map(lit).join(", ")}]`;
    if (v !== null && typeof v === "object") return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)} = ${lit(x)}`).join(", ")} }`;
    return JSON.stringify(v);
}

const isBlockList = (v) => Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === "object" && !Array.isArray(x));

function body(values, expressions, pad) {
    const out = [];
    // the configuration's references first (their values are unknown, so not in the plan's values)
    const keys = [...new Set([...Object.keys(expressions ?? {}).filter((k) => Array.isArray(expressions[k]?.references)), ...Object.keys(values)])];
    for (const k of keys) {
        const v = values[k] ?? null;
        const ex = expressions && expressions[k];
        if (ex && Array.isArray(ex.references) && ex.references.length) {
            out.push(`${pad}${k} = ${ex.references[0]}`);
            continue;
        }
        if (v === null || k === "timeouts") continue;
        if (isBlockList(v)) {
            for (const b of v) out.push(`${pad}${k} {`, ...body(b, undefined, `${pad}  `), `${pad}}`);
            continue;
        }
        if (Array.isArray(v) && v.length === 0 && expressions && Array.isArray(expressions[k])) continue; // no blocks
        out.push(`${pad}${k} = ${lit(v)}`);
    }
    return out;
}

/** `.tf` text per file (at most `perFile` resources each) for a plan document of tfplan.js. */
function hclFiles(planDoc, perFile = 500) {
    const config = new Map(planDoc.configuration.root_module.resources.map((r) => [r.address, r.expressions ?? {}]));
    const files = [];
    let cur = [];
    for (const rc of planDoc.resource_changes) {
        cur.push(`resource "${rc.type}" "${rc.name}" {`, ...body(rc.change.after, config.get(rc.address), "  "), "}", "");
        if (cur.filter((l) => l.startsWith("resource ")).length >= perFile) {
            files.push(cur.join("\n"));
            cur = [];
        }
    }
    if (cur.length) files.push(cur.join("\n"));
    return files;
}

/** Write the configuration of a plan document into `dir` (main-000.tf, main-001.tf, ...). */
/**
 * `grammar`: end every file with a locals block holding a function call, which the HCL reader
 * does not read from the text (src/cli/formats/hcl/parser.ts): every file then goes through the
 * grammar's parse, as configurations with calls, `for` expressions or heredocs do.
 */
function writeTree(planDoc, dir, perFile = 500, { grammar = false } = {}) {
    fs.mkdirSync(dir, { recursive: true });
    hclFiles(planDoc, perFile).forEach((text, i) => {
        const extra = grammar ? `\nlocals {\n  bench_grammar_${i} = upper("x")\n}\n` : "";
        fs.writeFileSync(path.join(dir, `main-${String(i).padStart(3, "0")}.tf`), text + extra);
    });
    return dir;
}

module.exports = { hclFiles, writeTree };
