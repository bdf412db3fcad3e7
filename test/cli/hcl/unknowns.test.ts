/**
 * What cannot be known without a plan becomes unknown, and unverifiable-rules names it with the
 * file:line of the expression it comes from; nothing is guessed.
 */
import { describe, expect, it } from "vitest";
import { run, scanJson, scanSmbGroup, tempRoot } from "./helpers";

const tree = tempRoot("unknowns");

async function unknownNote(cidr: string, extra = "") {
    const r = await scanSmbGroup(tree, cidr, extra);
    expect(r.highRisk).toEqual([]);
    const u = r.unverifiable!;
    expect(u.location).toMatchObject({ file: "main.tf", line: 8 + extra.split("\n").length - 1 });
    return u.note;
}

describe("unknown values, named with file:line", () => {
    it("a data source", async () => {
        expect(await unknownNote("data.aws_ip_ranges.cf.cidr_blocks")).toBe("unknown: data.aws_ip_ranges.cf is read from the provider during the plan (main.tf:8)");
    });

    it("an attribute the provider computes", async () => {
        expect(await unknownNote("[aws_vpc.main.cidr_block]", `resource "aws_vpc" "main" {\n  enable_dns_support = true\n}\n`)).toBe(
            "unknown: aws_vpc.main.cidr_block is known only after apply (main.tf:11)",
        );
    });

    it("a variable without a value, pointing at its declaration", async () => {
        expect(await unknownNote("[var.src]", `variable "src" {\n  type = string\n}\n`)).toMatch(/^unknown: var\.src has no value .* \(main\.tf:1\)$/);
    });

    it("a value that does not match the variable's type", async () => {
        expect(await unknownNote("var.src", `variable "src" {\n  type    = list(string)\n  default = "0.0.0.0/0"\n}\n`)).toMatch(/^unknown: var\.src does not match its type/);
    });

    it("a conditional on an unknown condition", async () => {
        expect(await unknownNote(`data.x.y.open ? ["0.0.0.0/0"] : ["10.0.0.0/8"]`)).toMatch(/^unknown: data\.x\.y is read/);
    });

    it("an unknown value inside a for expression's collection", async () => {
        expect(await unknownNote(`[for c in data.x.y.list : c]`)).toMatch(/^unknown: data\.x\.y is read .*\(main\.tf:8\)$/);
    });

    it("data source blocks are left out of the judged resources and counted as skipped, as in a plan", async () => {
        const dir = tree({ "main.tf": `data "aws_ip_ranges" "cf" {\n  services = ["cloudfront"]\n}\nresource "aws_security_group" "g" {\n  name = "g"\n}\n` });
        const r = await scanJson([dir]);
        expect(r.doc.stacks[0]).toMatchObject({ resources: 1, skipped: 1 });
    });

    it("a syntax error is one line with file:line:column, exit code 2", async () => {
        const dir = tree({ "main.tf": `resource "aws_security_group" "g" {\n  name = \n}\n` });
        const r = await run([dir]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^portguard: .*main\.tf:\d+:\d+: syntax error.*\n$/);
        expect(r.stderr.split("\n")).toHaveLength(2);
    });
});
