/**
 * The HCL syntax tree portguard evaluates: plain objects made once from the tree-sitter tree
 * (parser.ts), each with its source position. `file` is relative to the scanned directory.
 */

export interface Pos {
    file: string;
    /** 1-based */
    line: number;
    /** 1-based */
    column: number;
    /** 1-based line where the node ends (blocks: the closing brace). */
    endLine: number;
}

export type Expr =
    | { k: "lit"; v: string | number | boolean | null; pos: Pos }
    | { k: "tmpl"; parts: TemplatePart[]; pos: Pos }
    | { k: "var"; name: string; pos: Pos }
    | { k: "attr"; obj: Expr; name: string; pos: Pos }
    | { k: "index"; obj: Expr; key: Expr; pos: Pos }
    /** `obj[*].a.b` / `obj.*.a`: `rest` applied to every element. */
    | { k: "splat"; obj: Expr; rest: Accessor[]; pos: Pos }
    | { k: "tuple"; items: Expr[]; pos: Pos }
    | { k: "object"; items: Array<[Expr, Expr]>; pos: Pos }
    | { k: "call"; name: string; args: Expr[]; expand: boolean; pos: Pos }
    | { k: "cond"; c: Expr; t: Expr; f: Expr; pos: Pos }
    | { k: "unary"; op: string; e: Expr; pos: Pos }
    | { k: "binary"; op: string; l: Expr; r: Expr; pos: Pos }
    | { k: "for"; object: boolean; keyVar?: string; valVar: string; coll: Expr; keyExpr?: Expr; valExpr: Expr; cond?: Expr; group: boolean; pos: Pos };

export type Accessor = { k: "attr"; name: string } | { k: "index"; key: Expr };

export type TemplatePart =
    | string
    | { k: "interp"; e: Expr }
    | { k: "if"; c: Expr; then: TemplatePart[]; else: TemplatePart[] }
    | { k: "for"; keyVar?: string; valVar: string; coll: Expr; body: TemplatePart[] };

export interface Attribute {
    name: string;
    expr: Expr;
    pos: Pos;
}

export interface Block {
    type: string;
    labels: string[];
    body: Body;
    pos: Pos;
}

export interface Body {
    /** In source order; names are unique within a body (a duplicate is a syntax error). */
    attrs: Attribute[];
    blocks: Block[];
}

export interface Comment {
    text: string;
    pos: Pos;
}

export interface HclFile {
    /** Relative to the scanned directory. */
    file: string;
    body: Body;
    comments: Comment[];
}

export function attrOf(body: Body, name: string): Attribute | undefined {
    for (const a of body.attrs) if (a.name === name) return a;
    return undefined;
}

export function where(p: Pos): string {
    return `${p.file}:${p.line}`;
}
