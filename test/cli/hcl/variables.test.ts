/**
 * Root module variables, with Terraform's precedence: default < TF_VAR_* < terraform.tfvars <
 * terraform.tfvars.json < *.auto.tfvars(.json) in lexical order < the --var and --var-file
 * options, interleaved in command-line order (the later one wins); values converted to the
 * declared type; a sensitive variable is judged and printed as [sensitive].
 */
import { describe, expect, it } from "vitest";
import type { VarArg } from "../../../src/cli";
import { flagged, run, runMain, scanJson, tempRoot } from "./helpers";

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

/** `--var-file <f>` (a file of the tree) and `--var name=value`, in command-line order. */
const file = (value: string): VarArg => ({ kind: "var-file", value });
const set = (value: string): VarArg => ({ kind: "var", value });

async function verdict(files: Record<string, string>, vars: VarArg[] = [], env: Record<string, string> = {}) {
    const dir = tree({ "main.tf": MAIN, ...files });
    const r = await scanJson([dir], { vars: vars.map((a) => (a.kind === "var-file" ? { ...a, value: `${dir}/${a.value}` } : a)) }, env);
    return flagged(r.findings, "high-risk-ports").length ? "flagged" : "clean";
}

/** The same through the command line itself (commander), args as a user types them. */
async function cliVerdict(files: Record<string, string>, args: (dir: string) => string[]) {
    const dir = tree({ "main.tf": MAIN, ...files });
    const r = await runMain(["scan", dir, "-o", "json", ...args(dir)]);
    if (!r.stdout) throw new Error(`no output (exit ${r.code}): ${r.stderr}`);
    return flagged(JSON.parse(r.stdout).findings, "high-risk-ports").length ? "flagged" : "clean";
}

describe("variable values and their precedence", () => {
    it("the default is used when nothing sets the variable", async () => {
        expect(await verdict({})).toBe("clean");
    });

    it.each([
        ["TF_VAR_ environment variable", {}, [], { TF_VAR_src: OPEN }],
        ["terraform.tfvars", { "terraform.tfvars": `src = "${OPEN}"\n` }, [], {}],
        ["terraform.tfvars.json", { "terraform.tfvars.json": JSON.stringify({ src: OPEN }) }, [], {}],
        ["*.auto.tfvars", { "open.auto.tfvars": `src = "${OPEN}"\n` }, [], {}],
        ["*.auto.tfvars.json", { "open.auto.tfvars.json": JSON.stringify({ src: OPEN }) }, [], {}],
        ["--var-file", { "extra.tfvars": `src = "${OPEN}"\n` }, [file("extra.tfvars")], {}],
        ["--var", {}, [set(`src=${OPEN}`)], {}],
    ] as const)("a value from %s is judged", async (_what, files, vars, env) => {
        expect(await verdict({ ...files }, [...vars], { ...env })).toBe("flagged");
    });

    it.each([
        ["terraform.tfvars over TF_VAR_", { "terraform.tfvars": `src = "${PRIVATE}"\n` }, [], { TF_VAR_src: OPEN }, "clean"],
        ["terraform.tfvars.json over terraform.tfvars", { "terraform.tfvars": `src = "${OPEN}"\n`, "terraform.tfvars.json": JSON.stringify({ src: PRIVATE }) }, [], {}, "clean"],
        ["*.auto.tfvars over terraform.tfvars", { "terraform.tfvars": `src = "${PRIVATE}"\n`, "a.auto.tfvars": `src = "${OPEN}"\n` }, [], {}, "flagged"],
        ["the later *.auto.tfvars (lexical order)", { "a.auto.tfvars": `src = "${OPEN}"\n`, "b.auto.tfvars": `src = "${PRIVATE}"\n` }, [], {}, "clean"],
        ["--var-file over *.auto.tfvars", { "a.auto.tfvars": `src = "${PRIVATE}"\n`, "x.tfvars": `src = "${OPEN}"\n` }, [file("x.tfvars")], {}, "flagged"],
        ["a --var after a --var-file over it", { "x.tfvars": `src = "${OPEN}"\n` }, [file("x.tfvars"), set(`src=${PRIVATE}`)], {}, "clean"],
        ["a --var-file after a --var over it", { "x.tfvars": `src = "${PRIVATE}"\n` }, [set(`src=${OPEN}`), file("x.tfvars")], {}, "clean"],
        ["the later of two --var-files", { "x.tfvars": `src = "${OPEN}"\n`, "y.tfvars": `src = "${PRIVATE}"\n` }, [file("x.tfvars"), file("y.tfvars")], {}, "clean"],
        ["the later of two --vars", {}, [set(`src=${PRIVATE}`), set(`src=${OPEN}`)], {}, "flagged"],
        ["--var over *.auto.tfvars and TF_VAR_", { "a.auto.tfvars": `src = "${PRIVATE}"\n` }, [set(`src=${OPEN}`)], { TF_VAR_src: PRIVATE }, "flagged"],
    ] as const)("precedence: %s", async (_what, files, vars, env, want) => {
        expect(await verdict({ ...files }, [...vars], { ...env })).toBe(want);
    });

    describe("--var and --var-file on the command line apply in the order given, interleaved (as terraform plan does)", () => {
        // a.tfvars leaves src alone; b.tfvars sets it: whichever of b.tfvars and --var comes last wins
        const files = { "a.tfvars": `other = "x"\n`, "b.tfvars": `src = "${OPEN}"\n`, "variables.tf": `variable "other" {\n  default = ""\n}\n` };

        it("--var-file a --var src=private --var-file b: b (later) wins, the open source is flagged", async () => {
            expect(await cliVerdict(files, (d) => ["--var-file", `${d}/a.tfvars`, "--var", `src=${PRIVATE}`, "--var-file", `${d}/b.tfvars`])).toBe("flagged");
        });

        it("--var-file a --var-file b --var src=private: the --var (later) wins, clean", async () => {
            expect(await cliVerdict(files, (d) => ["--var-file", `${d}/a.tfvars`, "--var-file", `${d}/b.tfvars`, "--var", `src=${PRIVATE}`])).toBe("clean");
        });

        it("options placed before the input keep their order too", async () => {
            const dir = tree({ "main.tf": MAIN, ...files });
            const r = await runMain(["scan", "--var", `src=${PRIVATE}`, "--var-file", `${dir}/b.tfvars`, "-o", "json", dir]);
            expect(r.code).toBe(1);
            expect(flagged(JSON.parse(r.stdout).findings, "high-risk-ports")).toEqual(["high-risk-ports @ aws_security_group.smb"]);
        });
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
        const r = await scanJson([dir], { vars: [set('ports=["445", 22]')] }, { TF_VAR_srcs: '["0.0.0.0/0"]' });
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
        const r = await run([dir], { vars: [set("src")] });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^portguard: --var "src": expected name=value\n$/);
    });
});
