/**
 * HCL parsing: web-tree-sitter with the Terraform dialect grammar of
 * @tree-sitter-grammars/tree-sitter-hcl (`tree-sitter-terraform.wasm`). Both are WebAssembly,
 * need no compiler, and give every node its line and column. They are loaded on the first
 * HCL file a scan reads (never by the pack, never for plans): `loadHclParser()` must be awaited
 * before `parseHcl()`.
 *
 * The tree is turned once into the plain syntax tree of ast.ts. Plain files (attributes and
 * blocks whose values are literals, references or lists of those: most of a configuration) are
 * read straight from their text into that same syntax tree by TextReader, without the tree;
 * other files are parsed by the grammar, and their plain attributes are still read from their
 * text rather than copied node by node out of WebAssembly. A `.tf.json` file is parsed by
 * the same grammar (a JSON document is an HCL object expression, and JSON strings are HCL
 * templates, as Terraform reads them) and read with Terraform's JSON syntax rules.
 */
import * as fs from "node:fs";
import type { Node as RealNode, Parser as TsParser } from "web-tree-sitter";
import { InputError } from "../types";
import type { Accessor, Attribute, Block, Body, Comment, Expr, HclFile, Pos, TemplatePart } from "./ast";

/** Line starts of a text, for positions from offsets (cheaper than asking the tree for each node). */
class Lines {
    private readonly starts: number[] = [0];
    constructor(
        readonly src: string,
        readonly file: string,
    ) {
        for (let i = src.indexOf("\n"); i !== -1; i = src.indexOf("\n", i + 1)) this.starts.push(i + 1);
    }

    /** The row of the last offset asked for: offsets are mostly asked for in order. */
    private last = 0;

    /** 0-based row of an offset. */
    row(index: number): number {
        const s = this.starts;
        let r = this.last;
        if (s[r] <= index) {
            // forward from the last answer, a few lines at most
            for (let k = 0; k < 4; k++) {
                if (r + 1 >= s.length || s[r + 1] > index) return (this.last = r);
                r++;
            }
        }
        let lo = 0;
        let hi = s.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (s[mid] <= index) lo = mid;
            else hi = mid - 1;
        }
        return (this.last = lo);
    }

    at(index: number): { row: number; column: number } {
        const row = this.row(index);
        return { row, column: index - this.starts[row] };
    }

    /** The position of the text between two offsets. */
    pos(start: number, end: number): Pos {
        const row = this.row(start);
        return { file: this.file, line: row + 1, column: start - this.starts[row] + 1, endLine: this.row(end) + 1 };
    }
}

/** Nodes whose children portguard never reads (their text is enough). */
const LEAVES = new Set([
    "identifier",
    "numeric_lit",
    "bool_lit",
    "null_lit",
    "template_literal",
    "comment",
    "heredoc_identifier",
    "ellipsis",
    "quoted_template_start",
    "quoted_template_end",
    "block_start",
    "block_end",
    "tuple_start",
    "tuple_end",
    "object_start",
    "object_end",
]);

/**
 * Nodes read from their text unless the whole tree is copied (`exact`): a `literal_value` is one
 * literal token or a string without interpolation (quote, text, quote), a `string_lit` such a
 * string, a `variable_expr` one identifier.
 */
const TEXT_LEAVES = new Set(["literal_value", "string_lit", "variable_expr"]);

/** A `get_attr` that is a dot and a name (no comment in between): its text is enough. */
const PLAIN_GET_ATTR = /^\.\s*[A-Za-z_][A-Za-z0-9_-]*$/;

class LiteNode {
    readonly children: LiteNode[] = [];
    field: string | null = null;
    /** An attribute read straight from its text (TextReader): no children were copied. */
    attr?: Attribute;
    constructor(
        private readonly lines: Lines,
        readonly type: string,
        readonly isNamed: boolean,
        readonly startIndex: number,
        readonly endIndex: number,
    ) {}

    get text(): string {
        return this.lines.src.slice(this.startIndex, this.endIndex);
    }

    get startPosition(): { row: number; column: number } {
        return this.lines.at(this.startIndex);
    }

    get endPosition(): { row: number; column: number } {
        return this.lines.at(this.endIndex);
    }
}

// Character classes for the text reader (ASCII only: anything else is read from the tree).
const isIdStart = (ch: number) => (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || ch === 95;
const isIdChar = (ch: number) => isIdStart(ch) || (ch >= 48 && ch <= 57) || ch === 45;
const isDigit = (ch: number) => ch >= 48 && ch <= 57;
const isBlank = (ch: number) => ch === 32 || ch === 9;
const isSpace = (ch: number) => ch === 32 || ch === 9 || ch === 10 || ch === 13;

const HEX: Record<number, RegExp> = { 4: /^[0-9a-fA-F]{4}$/, 8: /^[0-9a-fA-F]{8}$/ };

/** Names that are keywords of the grammar somewhere: never read as names from the text. */
const KEYWORDS = new Set(["true", "false", "null", "for", "in", "if", "else", "endif", "endfor"]);

/**
 * Reads the simplest and commonest HCL straight from the source text: bodies of attributes and
 * blocks (one per line, labels plain strings or names, comments between them) whose values are
 * literals (numbers, true/false/null, strings on one line), references (`a.b.c`), templates
 * interpolating those (`"${var.env}-web"`), or lists and objects of those. Each method gives
 * undefined on anything else (an operator, a call, a directive, a heredoc, a comment inside a
 * value, a non-ASCII name...), and that text is then read from the tree-sitter tree instead.
 * The result is the syntax tree the converter makes from the tree (test/cli/hcl/parser.test.ts
 * holds it against `exact` parses).
 */
class TextReader {
    i = 0;
    readonly src: string;
    constructor(readonly lines: Lines) {
        this.src = lines.src;
    }

    private blanks(): void {
        while (isBlank(this.src.charCodeAt(this.i))) this.i++;
    }

    private spaces(): void {
        while (isSpace(this.src.charCodeAt(this.i))) this.i++;
    }

    /** A name at i (ASCII, not a keyword), or undefined (i unchanged). */
    name(): string | undefined {
        const src = this.src;
        const s = this.i;
        if (!isIdStart(src.charCodeAt(s))) return undefined;
        let i = s + 1;
        while (isIdChar(src.charCodeAt(i))) i++;
        const id = src.slice(s, i);
        if (KEYWORDS.has(id)) return undefined;
        this.i = i;
        return id;
    }

    /** A quoted string without interpolation, on one line: its value (i after the closing quote). */
    string(): string | undefined {
        const s = this.i;
        const e = this.quoted();
        if (e?.k === "lit") return e.v as string;
        this.i = s;
        return undefined;
    }

    /**
     * A quoted string at i on one line: a literal string, or a template of text and `${...}`
     * interpolations of plain values (no directive, no strip marker), or undefined.
     */
    private quoted(): Expr | undefined {
        const src = this.src;
        const s = this.i;
        let i = s + 1;
        let plain = true;
        let chunk = i;
        let parts: TemplatePart[] | undefined;
        for (;;) {
            if (i >= src.length) return undefined;
            const c = src.charCodeAt(i);
            if (c === 34) break;
            if (c === 10 || c === 13) return undefined;
            if (c === 92 /* \\ */) {
                const n = src[i + 1];
                const hex = n === "u" ? 4 : n === "U" ? 8 : 0;
                if (hex) {
                    if (!HEX[hex].test(src.slice(i + 2, i + 2 + hex))) return undefined;
                    i += 2 + hex;
                } else if (n === "n" || n === "r" || n === "t" || n === '"' || n === "\\") i += 2;
                else return undefined;
                plain = false;
                continue;
            }
            if (c === 36 || c === 37) {
                // `$${` and `%%{` are escapes, `${` an interpolation, `%{` a directive
                let run = 1;
                while (src.charCodeAt(i + run) === c) run++;
                if (src.charCodeAt(i + run) === 123) {
                    if (run === 2) {
                        plain = false;
                        i += 3;
                        continue;
                    }
                    if (run !== 1 || c === 37) return undefined;
                    if (i > chunk) (parts ??= []).push(unescapeQuoted(src.slice(chunk, i), false));
                    this.i = i + 2;
                    this.blanks();
                    const e = this.value();
                    if (!e) return undefined;
                    this.blanks();
                    if (src.charCodeAt(this.i) !== 125) return undefined;
                    // on one line (a list or object may hold line ends)
                    const nl = src.indexOf("\n", i);
                    if (nl !== -1 && nl < this.i) return undefined;
                    (parts ??= []).push({ k: "interp", e });
                    i = chunk = this.i + 1;
                    continue;
                }
                plain = false;
                i += run;
                continue;
            }
            i++;
        }
        this.i = i + 1;
        if (!parts) {
            const text = src.slice(s + 1, i);
            return { k: "lit", v: plain ? text : unescapeQuoted(text, false), pos: this.lines.pos(s, this.i) };
        }
        if (i > chunk) parts.push(unescapeQuoted(src.slice(chunk, i), false));
        return { k: "tmpl", parts, pos: this.lines.pos(s, this.i) };
    }

    /** A value at i: a literal, a template, a reference, or a list or object of those (i after it), or undefined. */
    value(): Expr | undefined {
        const src = this.src;
        const lines = this.lines;
        const s = this.i;
        const ch = src.charCodeAt(s);
        if (ch === 34) return this.quoted();
        if (isDigit(ch)) {
            let i = s + 1;
            while (isDigit(src.charCodeAt(i))) i++;
            if (src.charCodeAt(i) === 46 /* . */) {
                i++;
                if (!isDigit(src.charCodeAt(i))) return undefined;
                while (isDigit(src.charCodeAt(i))) i++;
            }
            this.i = i;
            return { k: "lit", v: Number(src.slice(s, i)), pos: lines.pos(s, i) };
        }
        if (isIdStart(ch)) {
            let i = s + 1;
            while (isIdChar(src.charCodeAt(i))) i++;
            const id = src.slice(s, i);
            if (id === "true" || id === "false" || id === "null") {
                this.i = i;
                return { k: "lit", v: id === "null" ? null : id === "true", pos: lines.pos(s, i) };
            }
            if (KEYWORDS.has(id)) return undefined;
            let e: Expr = { k: "var", name: id, pos: lines.pos(s, i) };
            while (src.charCodeAt(i) === 46 && isIdStart(src.charCodeAt(i + 1))) {
                const n = i + 1;
                i = n + 1;
                while (isIdChar(src.charCodeAt(i))) i++;
                e = { k: "attr", obj: e, name: src.slice(n, i), pos: lines.pos(s, i) };
            }
            this.i = i;
            return e;
        }
        if (ch === 91 /* [ */) {
            this.i++;
            const items: Expr[] = [];
            for (;;) {
                this.spaces();
                if (src.charCodeAt(this.i) === 93) break;
                const item = this.value();
                if (!item) return undefined;
                items.push(item);
                this.spaces();
                const c = src.charCodeAt(this.i);
                if (c === 44 /* , */) this.i++;
                else if (c !== 93 /* ] */) return undefined;
            }
            this.i++;
            return { k: "tuple", items, pos: lines.pos(s, this.i) };
        }
        if (ch === 123 /* { */) {
            // an object: `name = value` or `"key" = value` (or with a colon), one per line or
            // separated by commas; a bare name is the key itself, as the converter reads it
            this.i++;
            const items: Array<[Expr, Expr]> = [];
            for (;;) {
                this.spaces();
                if (src.charCodeAt(this.i) === 125) break;
                const ks = this.i;
                const key = src.charCodeAt(ks) === 34 ? this.string() : this.name();
                if (key === undefined) return undefined;
                const ke: Expr = { k: "lit", v: key, pos: lines.pos(ks, this.i) };
                this.blanks();
                const c = src.charCodeAt(this.i);
                if (!((c === 61 && src.charCodeAt(this.i + 1) !== 61) || c === 58)) return undefined;
                this.i++;
                this.blanks();
                const ve = this.value();
                if (!ve) return undefined;
                items.push([ke, ve]);
                this.blanks();
                const after = src.charCodeAt(this.i);
                if (after === 44 /* , */) this.i++;
                else if (after !== 10 && after !== 13 && after !== 125) return undefined;
            }
            this.i++;
            return { k: "object", items, pos: lines.pos(s, this.i) };
        }
        return undefined;
    }

    /** `name = value` spanning exactly start..end (a node the grammar parsed), or undefined. */
    attribute(start: number, end: number): Attribute | undefined {
        this.i = start;
        const name = this.name();
        if (name === undefined) return undefined;
        this.blanks();
        if (this.src.charCodeAt(this.i) !== 61 /* = */) return undefined;
        this.i++;
        this.blanks();
        const expr = this.value();
        if (!expr || this.i !== end) return undefined;
        return { name, expr, pos: this.lines.pos(start, end) };
    }

    /** A comment at i (i after it; a line comment ends before its newline), or false. */
    private comment(comments: Comment[]): boolean {
        const src = this.src;
        const s = this.i;
        const c = src.charCodeAt(s);
        const n = src.charCodeAt(s + 1);
        let e: number;
        if (c === 35 /* # */ || (c === 47 && n === 47) /* // */) {
            e = src.indexOf("\n", s);
            if (e === -1) e = src.length;
        } else if (c === 47 && n === 42 /* /* */) {
            e = src.indexOf("*/", s + 2);
            if (e === -1) return false;
            e += 2;
        } else return false;
        comments.push({ text: src.slice(s, e), pos: this.lines.pos(s, e) });
        this.i = e;
        return true;
    }

    /** Blanks, line ends and comments. False on a lone carriage return. */
    private gap(comments: Comment[]): boolean {
        const src = this.src;
        for (;;) {
            const c = src.charCodeAt(this.i);
            if (c === 32 || c === 9 || c === 10) this.i++;
            else if (c === 13) {
                if (src.charCodeAt(this.i + 1) !== 10) return false;
                this.i += 2;
            } else if (!this.comment(comments)) return true;
        }
    }

    /** The end of an item's line: blanks, at most one comment, then a line end or the end of the text. */
    private lineEnd(comments: Comment[]): boolean {
        const src = this.src;
        this.blanks();
        if (this.comment(comments)) this.blanks();
        const c = src.charCodeAt(this.i);
        if (this.i >= src.length) return true;
        if (c === 10) {
            this.i++;
            return true;
        }
        if (c === 13 && src.charCodeAt(this.i + 1) === 10) {
            this.i += 2;
            return true;
        }
        return false;
    }

    /**
     * A whole file of such bodies, or undefined. A name set twice in a body is reported only
     * once the whole text was read (a syntax error further on is reported first, by the tree).
     */
    file(comments: Comment[]): Body | undefined {
        this.i = 0;
        let twice: InputError | undefined;
        const body = (nested: boolean): Body | undefined => {
            const src = this.src;
            const out: Body = { attrs: [], blocks: [] };
            const seen = new Set<string>();
            for (;;) {
                if (!this.gap(comments)) return undefined;
                if (this.i >= src.length) return nested ? undefined : out;
                if (src.charCodeAt(this.i) === 125 /* } */) return nested ? out : undefined;
                const start = this.i;
                const name = this.name();
                if (name === undefined) return undefined;
                this.blanks();
                if (src.charCodeAt(this.i) === 61 && src.charCodeAt(this.i + 1) !== 61) {
                    this.i++;
                    this.blanks();
                    const expr = this.value();
                    if (!expr) return undefined;
                    const pos = this.lines.pos(start, this.i);
                    if (!this.lineEnd(comments)) return undefined;
                    if (seen.has(name)) twice ??= new InputError(`${pos.file}:${pos.line}:${pos.column}: attribute "${name}" is set twice in this block`);
                    seen.add(name);
                    out.attrs.push({ name, expr, pos });
                    continue;
                }
                const labels: string[] = [];
                for (;;) {
                    const c = src.charCodeAt(this.i);
                    if (c === 123 /* { */) break;
                    const before = this.i;
                    if (before === start + name.length || !isBlank(src.charCodeAt(before - 1))) return undefined;
                    const label = c === 34 ? this.string() : this.name();
                    if (label === undefined) return undefined;
                    labels.push(label);
                    this.blanks();
                }
                this.i++;
                this.blanks();
                let inner: Body;
                if (src.charCodeAt(this.i) === 125) inner = { attrs: [], blocks: [] };
                else {
                    if (!this.lineEnd(comments)) return undefined;
                    const b = body(true);
                    if (!b) return undefined;
                    inner = b;
                }
                this.i++; // the closing brace
                const pos = this.lines.pos(start, this.i);
                if (!this.lineEnd(comments)) return undefined;
                out.blocks.push({ type: name, labels, body: inner, pos });
            }
        };
        const b = body(false);
        if (b && twice) throw twice;
        return b;
    }
}

/**
 * The parse tree copied out of WebAssembly once with a tree cursor (no per-node wrapper objects
 * are made), without its comments (collected apart: suppressions read them). `exact` copies every
 * node (no attribute is read from its text): the reference the shortcuts are tested against.
 */
function liteTree(tree: import("web-tree-sitter").Tree, lines: Lines, comments: Comment[], exact: boolean): LiteNode {
    const src = lines.src;
    const lang = tree.language;
    const types = lang.types;
    const named = namedTypes(lang);
    const reader = new TextReader(lines);
    const c = tree.walk();
    try {
        const make = (inElem: boolean): LiteNode => {
            const id = c.nodeTypeId;
            const type = types[id] || "ERROR";
            const start = c.startIndex;
            const end = c.endIndex;
            const node = new LiteNode(lines, type, named[id], start, end);
            if (inElem) node.field = c.currentFieldName;
            if (type === "attribute" && !exact) {
                const a = reader.attribute(start, end);
                if (a) {
                    node.attr = a;
                    return node;
                }
            }
            const leaf = LEAVES.has(type) || (!exact && (TEXT_LEAVES.has(type) || (type === "get_attr" && PLAIN_GET_ATTR.test(src.slice(start, end)))));
            if (!leaf) {
                if (c.gotoFirstChild()) {
                    const elem = type === "object_elem";
                    do {
                        if (c.nodeType === "comment") {
                            comments.push({ text: src.slice(c.startIndex, c.endIndex), pos: lines.pos(c.startIndex, c.endIndex) });
                        } else node.children.push(make(elem));
                    } while (c.gotoNextSibling());
                    c.gotoParent();
                }
            }
            return node;
        };
        return make(false);
    } finally {
        c.delete();
    }
}

const namedByLanguage = new WeakMap<object, boolean[]>();

/** Whether each node type of a grammar is named (asked once per type, not once per node). */
function namedTypes(lang: import("web-tree-sitter").Language): boolean[] {
    let named = namedByLanguage.get(lang);
    if (!named) {
        named = lang.types.map((_, id) => lang.nodeTypeIsNamed(id));
        namedByLanguage.set(lang, named);
    }
    return named;
}

let parser: TsParser | undefined;
let loading: Promise<TsParser> | undefined;

/** Load web-tree-sitter and the Terraform grammar (once per process). */
export function loadHclParser(): Promise<TsParser> {
    if (parser) return Promise.resolve(parser);
    loading ??= (async () => {
        let ts: typeof import("web-tree-sitter");
        let wasm: string;
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            ts = require("web-tree-sitter") as typeof import("web-tree-sitter");
            wasm = require.resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm");
        } catch (e) {
            throw new InputError(`cannot load the HCL parser (web-tree-sitter, @tree-sitter-grammars/tree-sitter-hcl): ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
        }
        await ts.Parser.init();
        const lang = await ts.Language.load(fs.readFileSync(wasm));
        const p = new ts.Parser();
        p.setLanguage(lang);
        parser = p;
        return p;
    })();
    return loading;
}

export function hclParserLoaded(): boolean {
    return parser !== undefined;
}

/** Blocks a `.tf.json` object may hold under these names (JSON has no block syntax). */
const JSON_BLOCKS = new Set([
    "ingress",
    "egress",
    "security_rule",
    "allow",
    "deny",
    "rule",
    "entry",
    "inbound_rule",
    "outbound_rule",
    "inbound",
    "outbound",
    "match",
    "log_config",
    "tcp_options",
    "udp_options",
    "icmp_options",
    "source_port_range",
    "destination_port_range",
    "apply_to",
    "layer4_configs",
    "timeouts",
    "lifecycle",
    "content",
    "validation",
]);

function unescapeQuoted(s: string, heredoc: boolean): string {
    let out = s.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
    if (heredoc) return out;
    out = out.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, c: string) => {
        if (c[0] === "u" || c[0] === "U") return String.fromCodePoint(parseInt(c.slice(1), 16));
        return c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c;
    });
    return out;
}

type TsNode = LiteNode;

class Converter {
    readonly comments: Comment[] = [];
    /** The parsed text (node indices are its UTF-16 offsets). */
    readonly src: string;
    readonly lines: Lines;
    constructor(
        readonly file: string,
        src: string,
        lines?: Lines,
    ) {
        this.src = src;
        this.lines = lines ?? new Lines(src, file);
    }

    pos(n: TsNode): Pos {
        return this.lines.pos(n.startIndex, n.endIndex);
    }

    fail(n: TsNode, what: string): never {
        throw new InputError(`${this.file}:${n.startPosition.row + 1}:${n.startPosition.column + 1}: ${what}`);
    }

    kids(n: TsNode): TsNode[] {
        return n.children; // comments were taken out by liteTree
    }

    body(n: TsNode | undefined): Body {
        const body: Body = { attrs: [], blocks: [] };
        if (!n) return body;
        const seen = new Set<string>();
        for (const c of this.kids(n)) {
            if (c.type === "attribute") {
                const a = this.attribute(c);
                if (seen.has(a.name)) this.fail(c, `attribute "${a.name}" is set twice in this block`);
                seen.add(a.name);
                body.attrs.push(a);
            } else if (c.type === "block") {
                body.blocks.push(this.block(c));
            }
        }
        return body;
    }

    attribute(n: TsNode): Attribute {
        if (n.attr) return n.attr;
        const k = this.kids(n);
        return { name: k[0].text, expr: this.expr(k[2]), pos: this.pos(n) };
    }

    block(n: TsNode): Block {
        const k = this.kids(n);
        const labels: string[] = [];
        let body: TsNode | undefined;
        for (let i = 1; i < k.length; i++) {
            const c = k[i];
            if (c.type === "string_lit") labels.push(this.stringLit(c));
            else if (c.type === "identifier") labels.push(c.text);
            else if (c.type === "body") body = c;
        }
        return { type: k[0].text, labels, body: this.body(body), pos: this.pos(n) };
    }

    stringLit(n: TsNode): string {
        // from the source text: the grammar leaves whitespace-only literals out of the tree
        if (!n.children.length) return unescapeQuoted(this.src.slice(n.startIndex + 1, n.endIndex - 1), false);
        const start = n.children.find((c) => c.type === "quoted_template_start");
        const end = n.children.find((c) => c.type === "quoted_template_end");
        return unescapeQuoted(start && end ? this.src.slice(start.endIndex, end.startIndex) : "", false);
    }

    /** An `expression` node (or any expression-ish node). */
    expr(n: TsNode): Expr {
        if (n.type === "expression") {
            const k = this.kids(n);
            if (k.length === 1 && k[0].type === "conditional") return this.expr(k[0]);
            return this.term(k, 0, k.length, n);
        }
        if (n.type === "conditional") {
            const k = this.kids(n).filter((c) => c.type === "expression");
            return { k: "cond", c: this.expr(k[0]), t: this.expr(k[1]), f: this.expr(k[2]), pos: this.pos(n) };
        }
        return this.term([n], 0, 1, n);
    }

    /** A primary followed by postfix accessors, from a flat child list. */
    term(k: TsNode[], from: number, to: number, whole: TsNode): Expr {
        let i = from;
        let e: Expr;
        const first = k[i];
        if (first.type === "(") {
            e = this.expr(k[i + 1]);
            i += 3;
        } else {
            e = this.primary(first);
            i++;
        }
        for (; i < to; i++) {
            const c = k[i];
            const pos = { ...this.pos(whole), endLine: c.endPosition.row + 1 };
            if (c.type === "get_attr") e = { k: "attr", obj: e, name: this.ident(c), pos };
            else if (c.type === "index") e = { k: "index", obj: e, key: this.indexKey(c), pos };
            else if (c.type === "splat") {
                const s = this.kids(c)[0];
                const rest: Accessor[] = [];
                for (const a of this.kids(s)) {
                    if (a.type === "get_attr") rest.push({ k: "attr", name: this.ident(a) });
                    else if (a.type === "index") rest.push({ k: "index", key: this.indexKey(a) });
                }
                e = { k: "splat", obj: e, rest, pos };
            } else this.fail(c, `unexpected ${c.type}`);
        }
        return e;
    }

    ident(n: TsNode): string {
        if (!n.children.length) return n.text.slice(1).trim(); // a plain get_attr: a dot and a name
        return this.kids(n).find((x) => x.type === "identifier")!.text;
    }

    indexKey(n: TsNode): Expr {
        const c = this.kids(n)[0];
        if (c.type === "legacy_index") return { k: "lit", v: Number(c.text.slice(1)), pos: this.pos(c) };
        return this.expr(this.kids(c).find((x) => x.type === "expression")!);
    }

    primary(n: TsNode): Expr {
        const pos = this.pos(n);
        switch (n.type) {
            case "literal_value": {
                if (!n.children.length) {
                    // one token, or a string without interpolation
                    const t = n.text;
                    if (t[0] === '"') return { k: "lit", v: this.stringLit(n), pos };
                    if (t === "true" || t === "false") return { k: "lit", v: t === "true", pos };
                    if (t === "null") return { k: "lit", v: null, pos };
                    return { k: "lit", v: Number(t), pos };
                }
                const c = this.kids(n)[0];
                if (c.type === "numeric_lit") return { k: "lit", v: Number(c.text), pos };
                if (c.type === "bool_lit") return { k: "lit", v: c.text === "true", pos };
                if (c.type === "null_lit") return { k: "lit", v: null, pos };
                return { k: "lit", v: this.stringLit(c), pos };
            }
            case "template_expr": {
                const t = this.kids(n)[0];
                const heredoc = t.type === "heredoc_template";
                const tk = this.kids(t);
                const open = heredoc ? tk.find((c) => c.type === "heredoc_identifier")! : tk[0];
                const close = tk[tk.length - 1];
                let parts = this.template(tk, open.endIndex, close.startIndex, heredoc);
                if (heredoc) {
                    const strip = this.kids(t).some((c) => c.type === "heredoc_start" && c.text === "<<-");
                    parts = heredocParts(parts, strip);
                }
                return { k: "tmpl", parts, pos };
            }
            case "collection_value": {
                const c = this.kids(n)[0];
                if (c.type === "tuple") return { k: "tuple", items: this.kids(c).filter((x) => x.type === "expression").map((x) => this.expr(x)), pos };
                return this.object(c);
            }
            case "object":
                return this.object(n);
            case "variable_expr":
                return { k: "var", name: n.children.length ? this.kids(n)[0].text : n.text, pos };
            case "function_call": {
                const k = this.kids(n);
                const argsNode = k.find((c) => c.type === "function_arguments");
                const ak = argsNode ? this.kids(argsNode) : [];
                return { k: "call", name: k[0].text, args: ak.filter((c) => c.type === "expression").map((c) => this.expr(c)), expand: ak.some((c) => c.type === "ellipsis"), pos };
            }
            case "for_expr": {
                const f = this.kids(n)[0];
                const k = this.kids(f);
                const intro = this.kids(k.find((c) => c.type === "for_intro")!);
                const ids = intro.filter((c) => c.type === "identifier").map((c) => c.text);
                const coll = this.expr(intro.find((c) => c.type === "expression")!);
                const exprs = k.filter((c) => c.type === "expression").map((c) => this.expr(c));
                const condNode = k.find((c) => c.type === "for_cond");
                const cond = condNode ? this.expr(this.kids(condNode).find((c) => c.type === "expression")!) : undefined;
                const [keyVar, valVar] = ids.length === 2 ? ids : [undefined, ids[0]];
                if (f.type === "for_object_expr") return { k: "for", object: true, keyVar, valVar, coll, keyExpr: exprs[0], valExpr: exprs[1], cond, group: k.some((c) => c.type === "ellipsis"), pos };
                return { k: "for", object: false, keyVar, valVar, coll, valExpr: exprs[0], cond, group: false, pos };
            }
            case "operation": {
                const o = this.kids(n)[0];
                const k = this.kids(o);
                if (o.type === "unary_operation") return { k: "unary", op: k[0].type, e: this.term(k, 1, k.length, o), pos };
                // the left term: a primary (or a parenthesised expression) and its postfix accessors
                let opAt = k[0].type === "(" ? 3 : 1;
                while (opAt < k.length && k[opAt].isNamed) opAt++;
                return { k: "binary", op: k[opAt].type, l: this.term(k, 0, opAt, o), r: this.term(k, opAt + 1, k.length, o), pos };
            }
            case "expression":
            case "conditional":
                return this.expr(n);
            default:
                return this.fail(n, `unexpected ${n.type}`);
        }
    }

    object(n: TsNode): Extract<Expr, { k: "object" }> {
        const items: Array<[Expr, Expr]> = [];
        for (const el of this.kids(n)) {
            if (el.type !== "object_elem") continue;
            const key = el.children.find((c) => c.field === "key")!;
            const val = el.children.find((c) => c.field === "val")!;
            let ke = this.expr(key);
            // a bare name is the key itself, not a reference
            if (ke.k === "var") ke = { k: "lit", v: ke.name, pos: ke.pos };
            items.push([ke, this.expr(val)]);
        }
        return { k: "object", items, pos: this.pos(n) };
    }

    /**
     * Template parts between source offsets `from` and `to`: the text between interpolations and
     * directives is literal (taken from the source: the grammar drops whitespace-only chunks).
     */
    template(k: TsNode[], from: number, to: number, heredoc: boolean): TemplatePart[] {
        const parts: TemplatePart[] = [];
        let cursor = from;
        const literal = (upTo: number) => {
            if (upTo > cursor) parts.push(unescapeQuoted(this.src.slice(cursor, upTo), heredoc));
        };
        for (let i = 0; i < k.length; i++) {
            const c = k[i];
            if (c.startIndex < from || c.endIndex > to || (c.type !== "template_interpolation" && c.type !== "template_directive")) continue;
            literal(c.startIndex);
            cursor = c.endIndex;
            if (c.type === "template_interpolation") {
                const e = this.kids(c).find((x) => x.type === "expression");
                if (e) parts.push({ k: "interp", e: this.expr(e) });
            } else if (c.type === "template_directive") {
                const d = this.kids(c)[0];
                const dk = this.kids(d);
                if (d.type === "template_if") {
                    const intro = this.kids(dk[0]);
                    const cond = this.expr(intro.find((x) => x.type === "expression")!);
                    const elseAt = dk.findIndex((x) => x.type === "template_else_intro");
                    const end = dk[dk.length - 1];
                    const then = this.template(dk, dk[0].endIndex, elseAt >= 0 ? dk[elseAt].startIndex : end.startIndex, heredoc);
                    const els = elseAt >= 0 ? this.template(dk, dk[elseAt].endIndex, end.startIndex, heredoc) : [];
                    parts.push({ k: "if", c: cond, then, else: els });
                } else {
                    const start = this.kids(dk[0]);
                    const ids = start.filter((x) => x.type === "identifier").map((x) => x.text);
                    const coll = this.expr(start.find((x) => x.type === "expression")!);
                    const body = this.template(dk, dk[0].endIndex, dk[dk.length - 1].startIndex, heredoc);
                    const [keyVar, valVar] = ids.length === 2 ? ids : [undefined, ids[0]];
                    parts.push({ k: "for", keyVar, valVar, coll, body });
                }
            }
        }
        literal(to);
        return parts;
    }
}

/**
 * Heredoc text: drop the newline after the opening marker and the indent of the closing marker;
 * `<<-` strips the common indent.
 */
function heredocParts(parts: TemplatePart[], strip: boolean): TemplatePart[] {
    const out = parts.slice();
    if (typeof out[0] === "string") out[0] = out[0].replace(/^\r?\n/, "");
    const last = out.length - 1;
    if (typeof out[last] === "string") out[last] = (out[last] as string).replace(/[ \t]*$/, "");
    if (!strip || !out.every((p) => typeof p === "string")) return out;
    const text = (out as string[]).join("");
    const lines = text.split("\n");
    const indents = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
    const cut = indents.length ? Math.min(...indents) : 0;
    return [lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join("\n")];
}

function firstError(n: RealNode): RealNode | undefined {
    if (n.isError || n.isMissing) return n;
    if (!n.hasError) return undefined;
    for (const c of n.children) {
        if (!c) continue;
        const e = firstError(c);
        if (e) return e;
    }
    return n;
}

function syntaxError(file: string, root: RealNode): InputError {
    const e = firstError(root) ?? root;
    const at = `${file}:${e.startPosition.row + 1}:${e.startPosition.column + 1}`;
    if (e.isMissing) return new InputError(`${at}: syntax error: missing ${JSON.stringify(e.type)}`);
    const tok = e.text.split("\n")[0].trim().slice(0, 40);
    return new InputError(`${at}: syntax error${tok ? ` near ${JSON.stringify(tok)}` : ""}`);
}

export interface ParseOptions {
    /**
     * Read everything from the tree-sitter tree, copying every node (nothing read from the text
     * by TextReader): slower, the same result; the reference TextReader is tested against.
     */
    exact?: boolean;
}

/** Parse one native-syntax file (`.tf`, `.tofu`, `.tfvars`). `file` names it in positions and errors. */
export function parseHcl(text: string, file: string, opts: ParseOptions = {}): HclFile {
    if (!parser) throw new Error("loadHclParser() must be awaited first");
    const lines = new Lines(text, file);
    if (!opts.exact) {
        // most files are plain attributes and blocks: read from the text, without the tree
        const comments: Comment[] = [];
        const body = new TextReader(lines).file(comments);
        if (body) return { file, body, comments };
    }
    const tree = parser.parse(text);
    if (!tree) throw new InputError(`${file}: could not be parsed`);
    try {
        const root = tree.rootNode;
        if (root.hasError) throw syntaxError(file, root);
        const c = new Converter(file, text, lines);
        const kids = c.kids(liteTree(tree, c.lines, c.comments, opts.exact === true));
        if (kids.length && kids[0].type === "object") throw new InputError(`${file}:1: is a JSON object; name it .tf.json (or .tfvars.json)`);
        const body = c.body(kids.find((k) => k.type === "body"));
        return { file, body, comments: c.comments };
    } finally {
        tree.delete();
    }
}

/**
 * Parse one JSON-syntax file (`.tf.json`, `.tofu.json`): blocks from the top-level object, as
 * Terraform's JSON syntax lays them out; strings are templates.
 */
export function parseHclJson(text: string, file: string, opts: ParseOptions = {}): HclFile {
    if (!parser) throw new Error("loadHclParser() must be awaited first");
    try {
        JSON.parse(text);
    } catch (e) {
        throw new InputError(`${file}: not valid JSON: ${e instanceof Error ? e.message.split("\n")[0] : "parse error"}`);
    }
    const tree = parser.parse(text);
    if (!tree) throw new InputError(`${file}: could not be parsed`);
    try {
        const root = tree.rootNode;
        if (root.hasError) throw syntaxError(file, root);
        const c = new Converter(file, text);
        const obj = c.kids(liteTree(tree, c.lines, c.comments, opts.exact === true)).find((k) => k.type === "object");
        if (!obj) throw new InputError(`${file}:1: a Terraform JSON file is one object`);
        const top = c.object(obj);
        return { file, body: jsonTopBody(top, file), comments: [] };
    } finally {
        tree.delete();
    }
}

function litKey(e: Expr): string | undefined {
    if (e.k === "lit" && typeof e.v === "string") return e.v;
    if (e.k === "tmpl" && e.parts.every((p) => typeof p === "string")) return (e.parts as string[]).join("");
    return undefined;
}

function jsonErr(e: Expr, what: string): never {
    throw new InputError(`${e.pos.file}:${e.pos.line}: ${what}`);
}

/** A JSON value that must be an object (or a list of objects, for repeated blocks). */
function jsonObjects(e: Expr): Array<Extract<Expr, { k: "object" }>> {
    if (e.k === "object") return [e];
    if (e.k === "tuple" && e.items.every((i) => i.k === "object")) return e.items as Array<Extract<Expr, { k: "object" }>>;
    return jsonErr(e, "expected a JSON object here (Terraform JSON syntax)");
}

function jsonBody(obj: Extract<Expr, { k: "object" }>, nested = true): Body {
    const body: Body = { attrs: [], blocks: [] };
    for (const [ke, ve] of obj.items) {
        const name = litKey(ke) ?? jsonErr(ke, "a JSON key must be a plain string");
        if (name === "//") continue; // a comment
        if (name === "dynamic" && ve.k === "object") {
            for (const [te, de] of ve.items) {
                const type = litKey(te) ?? jsonErr(te, "a JSON key must be a plain string");
                for (const o of jsonObjects(de)) body.blocks.push({ type: "dynamic", labels: [type], body: jsonBody(o), pos: o.pos });
            }
            continue;
        }
        if (nested && JSON_BLOCKS.has(name) && (ve.k === "object" || (ve.k === "tuple" && ve.items.length > 0 && ve.items.every((i) => i.k === "object")))) {
            for (const o of jsonObjects(ve)) body.blocks.push({ type: name, labels: [], body: jsonBody(o), pos: o.pos });
            continue;
        }
        body.attrs.push({ name, expr: ve, pos: ke.pos });
    }
    return body;
}

function jsonTopBody(top: Extract<Expr, { k: "object" }>, file: string): Body {
    const body: Body = { attrs: [], blocks: [] };
    const labelled = (ve: Expr, depth: number, labels: string[], type: string) => {
        if (depth === 0) {
            for (const o of jsonObjects(ve)) body.blocks.push({ type, labels, body: type === "locals" ? jsonBody(o, false) : jsonBody(o), pos: o.pos });
            return;
        }
        for (const o of jsonObjects(ve)) for (const [ke, inner] of o.items) labelled(inner, depth - 1, [...labels, litKey(ke) ?? jsonErr(ke, "a JSON key must be a plain string")], type);
    };
    for (const [ke, ve] of top.items) {
        const type = litKey(ke) ?? jsonErr(ke, `${file}: a JSON key must be a plain string`);
        const depth = type === "resource" || type === "data" ? 2 : type === "variable" || type === "output" || type === "module" || type === "provider" ? 1 : 0;
        labelled(ve, depth, [], type);
    }
    return body;
}
