/**
 * Root module variables, with Terraform's precedence: default < TF_VAR_* < terraform.tfvars <
 * terraform.tfvars.json < *.auto.tfvars(.json) in lexical order < --var-file < --var; values
 * converted to the declared type; a sensitive variable is judged and printed as [sensitive].
 */
import { describe, expect, it } from "vitest";
import { flagged, scanJson, tempRoot } from "./helpers";

const tree = tempRoot("vars");

/** One group whose SMB (445, high-risk) rule allows `var.src`. */
const MAIN = `
variable "src" {
  type    = string
  default = "10.0.0.0/8"
}
resource "aws_security_group" "smb" {
  name = "smb"
  ingress {
    from_port   = 445
    to_port     = 445
    protocol    = "tcp"
    cidr_blocks = [var.src]
  }
}
`;
const OPEN = "0.0.0.0/0";
const PRIVATE = "10.1.0.0/16";

async function verdict(files: Record<string, string>, opts: { var?: string[]; varFile?: string[] } = {}, env: Record<string, string> = {}) {
    const dir = tree({ "main.tf": MAIN, ...files });
    const r = await scanJson([dir], { ...opts, varFile: opts.varFile?.map((f) => `${dir}/${f}`) }, env);
    return flagged(r.findings, "high-risk-ports").length ? "flagged" : "clean";
}

describe("variable values and their precedence", () => {
    it("the default is used when nothing sets the variable", async () => {
        expect(await verdict({})).toBe("clean");
    });

    it.each([
        ["TF_VAR_ environment variable", {}, {}, { TF_VAR_src: OPEN }],
        ["terraform.tfvars", { "terraform.tfvars": `src = "${OPEN}"\n` }, {}, {}],
        ["terraform.tfvars.json", { "terraform.tfvars.json": JSON.stringify({ src: OPEN }) }, {}, {}],
        ["*.auto.tfvars", { "open.auto.tfvars": `src = "${OPEN}"\n` }, {}, {}],
        ["*.auto.tfvars.json", { "open.auto.tfvars.json": JSON.stringify({ src: OPEN }) }, {}, {}],
        ["--var-file", { "extra.tfvars": `src = "${OPEN}"\n` }, { varFile: ["extra.tfvars"] }, {}],
        ["--var", {}, { var: [`src=${OPEN}`] }, {}],
    ] as const)("a value from %s is judged", async (_what, files, opts, env) => {
        expect(await verdict({ ...files }, { ...opts } as { var?: string[]; varFile?: string[] }, { ...env })).toBe("flagged");
    });

    it.each([
        ["terraform.tfvars over TF_VAR_", { "terraform.tfvars": `src = "${PRIVATE}"\n` }, {}, { TF_VAR_src: OPEN }, "clean"],
        ["terraform.tfvars.json over terraform.tfvars", { "terraform.tfvars": `src = "${OPEN}"\n`, "terraform.tfvars.json": JSON.stringify({ src: PRIVATE }) }, {}, {}, "clean"],
        ["*.auto.tfvars over terraform.tfvars", { "terraform.tfvars": `src = "${PRIVATE}"\n`, "a.auto.tfvars": `src = "${OPEN}"\n` }, {}, {}, "flagged"],
        ["the later *.auto.tfvars (lexical order)", { "a.auto.tfvars": `src = "${OPEN}"\n`, "b.auto.tfvars": `src = "${PRIVATE}"\n` }, {}, {}, "clean"],
        ["--var-file over *.auto.tfvars", { "a.auto.tfvars": `src = "${PRIVATE}"\n`, "x.tfvars": `src = "${OPEN}"\n` }, { varFile: ["x.tfvars"] }, {}, "flagged"],
        ["--var over --var-file", { "x.tfvars": `src = "${OPEN}"\n` }, { varFile: ["x.tfvars"], var: [`src=${PRIVATE}`] }, {}, "clean"],
    ] as const)("precedence: %s", async (_what, files, opts, env, want) => {
        expect(await verdict({ ...files }, { ...opts } as { var?: string[]; varFile?: string[] }, { ...env })).toBe(want);
    });

    it("values from --var and TF_VAR_ for a list variable are read as HCL, and converted to the declared type", async () => {
        const dir = tree({
            "main.tf": `
variable "ports" { type = list(number) }
variable "srcs" { type = list(string) }
resource "aws_security_group" "g" {
  name = "g"
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.srcs
    }
  }
}
`,
        });
        const r = await scanJson([dir], { var: ['ports=["445", 22]'] }, { TF_VAR_srcs: '["0.0.0.0/0"]' });
        expect(flagged(r.findings, "high-risk-ports")).toEqual(["high-risk-ports @ aws_security_group.g"]);
        expect(r.findings.find((f) => f.policy === "high-risk-ports")!.message).toContain("445");
    });

    it("a variable marked sensitive is judged, and its value is printed as [sensitive]", async () => {
        const dir = tree({
            "main.tf": MAIN.replace('default = "10.0.0.0/8"', "sensitive = true"),
            "terraform.tfvars": `src = "${OPEN}"\n`,
        });
        const r = await scanJson([dir]);
        const f = r.findings.find((x) => x.policy === "high-risk-ports")!;
        expect(f).toBeDefined();
        expect(r.code).toBe(1);
        expect(f.message).toContain("[sensitive]");
        expect(r.stdout).not.toContain(OPEN);
    });

    it("a variable nobody sets is unknown, and unverifiable-rules names it with the file:line of its declaration", async () => {
        const dir = tree({ "main.tf": MAIN.replace('default = "10.0.0.0/8"', "") });
        const r = await scanJson([dir]);
        const f = r.findings.find((x) => x.policy === "unverifiable-rules")!;
        expect(f.location).toMatchObject({ file: "main.tf", line: 12 });
        expect(f.note).toMatch(/var\.src has no value .*\(main\.tf:2\)/);
    });

    it("a --var without = is a usage error naming it", async () => {
        const dir = tree({ "main.tf": MAIN });
        const { run } = await import("./helpers");
        const r = await run([dir], { var: ["src"] });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^portguard: --var "src": expected name=value\n$/);
    });
});
