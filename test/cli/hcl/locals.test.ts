/**
 * Locals and expressions evaluated as Terraform does before a plan: literals, templates,
 * conditionals, for expressions, splats and the functions firewall modules use. Each case sets
 * one group's ingress `cidr_blocks` (SMB, a high-risk port) from an expression and checks the
 * CIDRs the engine judged.
 */
import { describe, expect, it } from "vitest";
import { scanSmbGroup, tempRoot } from "./helpers";

const tree = tempRoot("locals");

const LOCALS = `
locals {
  env      = "prod"
  world    = "0.0.0.0/0"
  private  = "10.0.0.0/8"
  open     = local.env == "prod" ? false : true
  nets     = ["10.1.0.0/16", "10.2.0.0/16"]
  rules    = [{ cidr = "0.0.0.0/0", port = 445 }, { cidr = "10.0.0.0/8", port = 22 }]
  by_name  = { a = "0.0.0.0/0", b = "10.0.0.0/8" }
  nested   = [["0.0.0.0/0"], ["10.0.0.0/8", ""]]
  base     = "10.0.0.0/16"
}
`;

/** The CIDRs the engine judged for the group, read back from the SMB finding (or none). */
async function judged(expr: string): Promise<string> {
    const r = await scanSmbGroup(tree, expr, LOCALS);
    if (r.highRisk.length) return "public";
    return r.unverifiable ? `unknown: ${r.unverifiable.note ?? ""}` : "private";
}

describe("locals, templates, conditionals, for expressions and splats", () => {
    it.each([
        ["a literal list", `["0.0.0.0/0"]`, "public"],
        ["a local", `[local.world]`, "public"],
        ["a template over known values", `["\${local.private}"]`, "private"],
        ["a template building a CIDR", `["0.0.0.\${0}/\${0}"]`, "public"],
        ["a conditional on a known condition (false branch)", `local.open ? [local.world] : [local.private]`, "private"],
        ["a conditional on a known condition (true branch)", `!local.open ? [local.world] : [local.private]`, "public"],
        ["a for expression with a filter", `[for r in local.rules : r.cidr if r.port == 445]`, "public"],
        ["a for expression filtering the public one out", `[for r in local.rules : r.cidr if r.port != 445]`, "private"],
        ["a for expression over a map", `[for k, v in local.by_name : v if k == "b"]`, "private"],
        ["a splat", `local.rules[*].cidr`, "public"],
        ["an index into a parenthesised splat", `[(local.rules[*].cidr)[1]]`, "private"],
        ["a template directive", `["%{ if local.env == "prod" }0.0.0.0/0%{ else }10.0.0.0/8%{ endif }"]`, "public"],
        ["a heredoc", "[trimspace(<<-EOT\n      0.0.0.0/0\n    EOT\n  )]", "public"],
        ["a template with spaces only between interpolations", `split(" ", "\${local.private} \${local.world}")`, "public"],
        ["a string join", `split(",", join(",", local.nets))`, "private"],
    ])("%s", async (_what, expr, want) => {
        expect(await judged(expr)).toBe(want);
    });
});

describe("functions", () => {
    it.each([
        ["concat", `concat(local.nets, [local.world])`, "public"],
        ["flatten", `flatten(local.nested)`, "public"],
        ["compact(flatten) leaves the private ones", `compact(flatten([local.nested[1]]))`, "private"],
        ["merge + lookup", `[lookup(merge(local.by_name, { a = "10.9.0.0/16" }), "a")]`, "private"],
        ["lookup with a default", `[lookup(local.by_name, "zzz", "0.0.0.0/0")]`, "public"],
        ["element wraps around", `[element(local.nets, 3)]`, "private"],
        ["length", `length(local.nets) == 2 ? [local.world] : []`, "public"],
        ["toset and tolist", `tolist(toset([local.world, local.world]))`, "public"],
        ["distinct", `distinct([local.private, local.private])`, "private"],
        ["coalesce", `[coalesce("", local.world)]`, "public"],
        ["try falls back on an error", `[try(local.by_name.zzz, local.world)]`, "public"],
        ["format", `[format("%s/%d", "0.0.0.0", 0)]`, "public"],
        ["join and split", `split(" ", join(" ", [local.world]))`, "public"],
        ["range", `[for i in range(2) : cidrsubnet(local.base, 8, i)]`, "private"],
        ["cidrsubnet to a public range", `[cidrsubnet("0.0.0.0/0", 1, 0)]`, "public"],
    ])("%s", async (_what, expr, want) => {
        expect(await judged(expr)).toBe(want);
    });

    it("a function portguard does not evaluate makes the value unknown, named with file:line", async () => {
        const v = await judged(`[templatefile("x.tpl", {})]`);
        expect(v).toMatch(/^unknown: unknown: function templatefile\(\) is not evaluated by portguard \(main\.tf:\d+\)$/);
    });

    it("a reference to a missing attribute is unknown, with the reason Terraform would give", async () => {
        const v = await judged(`[local.by_name.zzz]`);
        expect(v).toMatch(/no attribute "zzz".*\(main\.tf:\d+\)/);
    });
});
