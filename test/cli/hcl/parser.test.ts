/**
 * The HCL parser reads plain files (attributes and blocks with literal, reference and list
 * values) straight from their source text, and in other files reads such attributes from their
 * text instead of copying their part of the tree out of WebAssembly. These tests hold that the
 * result is what the full tree gives (`exact`): the same syntax tree (values, positions,
 * comments) or the same error, over hand-picked edge cases, every configuration under test and
 * examples, a generated benchmark-like tree and random documents.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadHclParser, parseHcl, parseHclJson } from "../../../src/cli/formats/hcl";
import { ROOT } from "./helpers";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const g = require("../../../bench/lib/generate");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { plan } = require("../../../bench/lib/tfplan");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeTree } = require("../../../bench/lib/tfhcl");

beforeAll(async () => {
    await loadHclParser();
});

/** Parse both ways: the same syntax tree, or the same error. Returns whether the text parsed. */
function same(text: string, file = "main.tf"): boolean {
    const json = file.endsWith(".json");
    const parse = (exact: boolean) => {
        try {
            return json ? parseHclJson(text, file, { exact }) : parseHcl(text, file, { exact });
        } catch (e) {
            return { error: (e as Error).message };
        }
    };
    const exact = parse(true);
    expect(parse(false)).toStrictEqual(exact);
    return !("error" in exact);
}

const EDGE_VALUES = [
    `"plain"`,
    `""`,
    `"  "`,
    `"tab\\tnewline\\nquote\\"back\\\\slash"`,
    `"\\u00e9\\U0001F600"`,
    `"héllo wörld ✓"`,
    `"$$\{not.interpolated}"`,
    `"%%{not a directive}"`,
    `"cost $5 or 5%"`,
    `"\\\\ \\" \\r"`,
    `"tab	inside"`,
    `true-x`,
    `null_value`,
    `for_each.key`,
    `x.true`,
    `"a \${var.x} b"`,
    `"\${var.x}"`,
    `"\${ var.x }-\${local.y}\${1}\${"in"}"`,
    `"pre \${a.b} mid \\n \$\${not} \${[1, c]} \${{ k = d }} post"`,
    `"\${~ var.x ~}"`,
    `"\${var.x}\${}"`,
    `"\$\$\${x}"`,
    `"\${upper(x)}"`,
    `["\${a}", { k = "v\${b}" }]`,
    `"%{if true}x%{endif}"`,
    `0`,
    `8080`,
    `1.5`,
    `007`,
    `0.50`,
    `99999999999999999999`,
    `"control\u0001\u007f char"`.replace(/\\u00(01|7f)/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
    `Upper_Case.Name`,
    `-1`,
    `true`,
    `false`,
    `null`,
    `var.name`,
    `aws_security_group.web.id`,
    `module.net.sg-ids`,
    `local.a-b`,
    `a.0`,
    `a[0]`,
    `a.*.id`,
    `a[*].id`,
    `a.b[0].c`,
    `upper("x")`,
    `a - 1`,
    `a-1`,
    `a == b`,
    `!a`,
    `a ? 1 : 2`,
    `[]`,
    `[ ]`,
    `["a"]`,
    `["a", "b",]`,
    `[1, 2, 3]`,
    `[a.b, c.d.e, "x", 2, true, null]`,
    `[[1, 2], [], ["x"]]`,
    `[\n  "a",\n  "b"\n]`,
    `[\n  "a", # a comment\n  "b"\n]`,
    `[\n  "a", /* a comment */ "b"\n]`,
    `["\${x}"]`,
    `[for s in var.list : upper(s)]`,
    `{ a = 1, b = "x" }`,
    `{\n  a = 1\n  "b" = [2]\n}`,
    `{}`,
    `{ }`,
    `{ a: 1, "b": "x", }`,
    `{ a = 1 b = 2 }`,
    `{\n  a = { b = [c.d] }\n  e = []\n}`,
    `{ a.b = 1 }`,
    `{ (a) = 1 }`,
    `{ 1 = 1 }`,
    `{ a = 1 # c\n}`,
    `{ for k, v in m : k => v }`,
    `(1)`,
    `<<EOT\nhello\nEOT`,
    `<<-EOT\n    indented\n  EOT`,
];

describe("attributes read from their text give the tree's syntax", () => {
    it.each(EDGE_VALUES)("x = %s", (v) => {
        expect(same(`resource "t" "n" {\n  x = ${v}\n  y   =\t${v}\n  nested {\n    z = ${v}\n  }\n}\nlocals {\n  w = ${v}\n}\n`)).toBe(true);
        same(`resource "t" "n" {\n  x = ${v} # trailing\n  y = ${v} /* after */\n}\n`);
    });

    it("block labels, comments between attributes and odd spacing", () => {
        same(
            [
                `# head`,
                `resource "aws_security_group" "web" { # after brace`,
                `  // line comment`,
                `  name="web"`,
                `  /* block */ port = 22`,
                `  ids = [aws_vpc.main.id]`,
                `  ingress {`,
                `    cidr_blocks = ["0.0.0.0/0"]`,
                `  }`,
                `}`,
                `variable "v" {}`,
                `terraform {`,
                `  required_version = ">= 1.5"`,
                `}`,
                ``,
            ].join("\n"),
        );
    });

    it.each([
        ["CRLF line ends", `resource "t" "n" { # c\r\n  a = "x" // d\r\n  b = [1,\r\n    2]\r\n  # e\r\n  c = d.e /* f */\r\n}\r\n`],
        ["a lone carriage return", `a = 1\rb = 2\n`],
        ["no line end at the end", `resource "t" "n" {\n  a = 1\n}`],
        ["an attribute at the very end", `a = [1, 2]`],
        ["a comment at the very end", `a = 1 # end`],
        ["an empty text", ``],
        ["only comments", `# one\n// two\n/* three\n   four */\n`],
        ["a byte order mark", `\uFEFFa = 1\n`],
        ["one-line blocks", `variable "v" {}\nlocals { }\nterraform{}\nmodule "m"{}\n`],
        ["a label without a blank before it", `resource"t" "n" {}\n`],
        ["labels without blanks between them", `resource "t""n" {}\n`],
        ["a name label", `dynamic ingress {\n  content {\n  }\n}\n`],
        ["a brace on the next line", `resource "t" "n"\n{\n}\n`],
        ["an attribute after a one-line block", `a {} b = 1\n`],
        ["a one-line block with an attribute", `a { b = 1 }\n`],
        ["two attributes on a line", `a = 1 b = 2\n`],
        ["a comment between labels", `resource "t" /* c */ "n" {}\n`],
        ["block comments around items", `/* a */ x = 1 /* b */\n/* c */\n`],
        ["two comments after an item", `x = 1 /* a */ # b\n`],
        ["an unclosed block", `a {\n  b = 1\n`],
        ["a stray closing brace", `b = 1\n}\n`],
        ["an unclosed block comment", `a = 1\n/* never closed\n`],
        ["an unclosed string", `a = "x\n`],
        ["an unknown escape", `a = "\\q"\n`],
        ["a short unicode escape", `a = "\\u12"\n`],
        ["a short long unicode escape", `a = "\\U0001F60"\n`],
        ["a name set twice", `resource "t" "n" {\n  a = 1\n  a = 2\n}\n`],
        ["a name set twice, then a syntax error", `resource "t" "n" {\n  a = 1\n  a = 2\n}\nb = = 3\n`],
        ["a name set twice, then something read from the tree", `resource "t" "n" {\n  a = 1\n  a = 2\n}\nb = upper("x")\n`],
        ["the same name in two blocks", `a {\n  x = 1\n}\nb {\n  x = 1\n}\nx = 1\n`],
        ["a JSON object", `{"a": 1}\n`],
        ["non-ASCII names", `ré = 1\n`],
        ["keywords as names", `for = 1\nin = 2\nif {}\n`],
        ["an operator after a reference", `a = b.c == d\n`],
        ["a comparison as a value", `a == 1\n`],
        ["a lone carriage return inside a list", `a = [1,\r2]\n`],
        ["blanks at line ends", `a = 1   \nb {  \n  c = [ 1 ]\t\n}  \n  \n`],
        ["comments right after values", `a = 1# c\nb = "x"// d\nc = e.f/* g */\n`],
        ["a slash after a value", `a = b/c\n`],
        ["a keyword as a label", `resource "a" for {}\n`],
        ["an unknown escape after an interpolation", `a = "\${b} \\q"\n`],
        ["three percent signs before a brace", `a = "%%%{b}"\n`],
        ["a line end inside an interpolation", `a = "\${[\n1]}"\nb = "\${{\nc = 1\n}}"\n`],
        ["a comparison in an object", `a = { b == 1 }\n`],
        ["a keyword as an object key", `a = { for = 1 }\n`],
    ])("%s", (_, text) => {
        same(text);
    });

    it("every configuration under test/fixtures and examples", () => {
        const files: string[] = [];
        const walk = (d: string) => {
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                const p = path.join(d, e.name);
                if (e.isDirectory()) walk(p);
                else if (/\.(tf|tofu|tfvars)(\.json)?$/.test(e.name)) files.push(p);
            }
        };
        walk(path.join(ROOT, "test", "fixtures"));
        walk(path.join(ROOT, "examples"));
        expect(files.length).toBeGreaterThan(5);
        for (const f of files) same(fs.readFileSync(f, "utf8"), path.relative(ROOT, f));
        expect(files.filter((f) => same(fs.readFileSync(f, "utf8"), path.relative(ROOT, f))).length).toBeGreaterThan(5);
    });

    it("a generated tree like the benchmark's (security groups, separate rules, ACLs)", () => {
        const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "portguard-parser-"));
        try {
            writeTree(plan(g.prng(11), 300), dir, 100);
            const files = fs.readdirSync(dir);
            expect(files.length).toBeGreaterThan(1);
            for (const f of files) expect(same(fs.readFileSync(path.join(dir, f), "utf8"), f)).toBe(true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("random attribute values", () => {
    const blank = fc.constantFrom("", " ", "  ", "\t");
    const ident = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_-]{0,6}$/).filter((s) => !["true", "false", "null", "for", "in", "if", "endif", "else", "endfor"].includes(s));
    const str = fc
        .string({ unit: fc.constantFrom("a", " ", "\\n", '\\"', "\\\\", "$", "%", "{", "}", "é", "\\u00e9", "$${", "%%{", "#", "/", "${a.b}", "${ x }", '${"s"}', "${1}", "${~x}") })
        .map((s) => `"${s}"`);
    const num = fc.oneof(fc.nat({ max: 70000 }).map(String), fc.tuple(fc.nat({ max: 99 }), fc.nat({ max: 99 })).map(([a, b]) => `${a}.${b}`));
    const ref = fc.tuple(ident, fc.array(ident, { maxLength: 3 })).map(([h, t]) => [h, ...t].join("."));
    const scalar = fc.oneof(str, num, ref, fc.constantFrom("true", "false", "null"));
    const sep = fc.constantFrom(",", ", ", " ,", ",\n  ", ",  # c\n  ");
    const list = fc.tuple(fc.array(scalar, { maxLength: 4 }), sep, fc.boolean(), fc.constantFrom("", " ", "\n  ")).map(([items, s, trailing, pad]) => `[${pad}${items.join(s)}${trailing && items.length ? "," : ""}${pad}]`);
    const objSep = fc.constantFrom(",", ", ", "\n  ", ",\n  ", " ,\n", "\r\n");
    const entry = (v: fc.Arbitrary<string>) => fc.tuple(fc.oneof(ident, str), blank, fc.constantFrom("=", ":"), blank, v).map(([k, b1, eq, b2, x]) => `${k}${b1}${eq}${b2}${x}`);
    const object = (v: fc.Arbitrary<string>) =>
        fc.tuple(fc.array(entry(v), { maxLength: 4 }), objSep, fc.boolean(), fc.constantFrom("", " ", "\n  ", "\n")).map(([items, s, trailing, pad]) => `{${pad}${items.join(s)}${trailing && items.length ? "," : ""}${pad}}`);
    const flat = fc.oneof(scalar, list, object(fc.oneof(scalar, list)));
    const value = fc.oneof(scalar, list, fc.tuple(list, sep, list).map(([a, s, b]) => `[${a}${s}${b}]`), object(flat), fc.array(object(scalar), { maxLength: 2 }).map((os) => `[${os.join(", ")}]`));
    const comment = fc.constantFrom("", " # c", " // c", " /* c */", "\t#", " /* a\nb */");
    const attr = fc.tuple(ident, blank, blank, value, comment).map(([n, b1, b2, v, c]) => `${n}${b1}=${b2}${v}${c}`);
    const label = fc.oneof(str, ident);
    type Item = string | { type: string; labels: string[]; items: Item[] };
    const { item } = fc.letrec<{ item: Item; block: Item }>((tie) => ({
        item: fc.oneof({ depthSize: "small", withCrossShrink: true }, attr, attr, fc.constantFrom("", "# line", "/* x */"), tie("block")),
        block: fc.record({ type: ident, labels: fc.array(label, { maxLength: 2 }), items: fc.array(tie("item"), { maxLength: 4 }) }),
    }));
    const render = (items: Item[], indent: string, eol: string): string =>
        items.map((it) => (typeof it === "string" ? `${indent}${it}${eol}` : `${indent}${[it.type, ...it.labels].join(" ")} {${it.items.length ? eol + render(it.items, indent + "  ", eol) + indent : ""}}${eol}`)).join("");
    const doc = fc.tuple(fc.array(item, { maxLength: 5 }), fc.constantFrom("\n", "\r\n"));

    it("documents read from the text: the syntax the tree gives, or its error", () => {
        fc.assert(
            fc.property(doc, ([items, eol]) => {
                same(render(items, "", eol));
            }),
            { numRuns: 1000 },
        );
    });

    it("documents read from the tree, their plain attributes from the text: the syntax the tree gives", () => {
        fc.assert(
            fc.property(doc, ([items, eol]) => {
                // a call is never read from the text: the whole file goes through the tree
                same(`forced = upper("x")${eol}${render(items, "", eol)}`);
            }),
            { numRuns: 1000 },
        );
    });
});
