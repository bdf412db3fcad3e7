/**
 * Which files make a root module and which directories are root modules: `.tofu` over `.tf`,
 * `*_override.tf` merged as Terraform merges it, `.tf.json`, a `.tf` file standing for its
 * directory, `--recursive`, plans and .tf files in one directory, and the parser loaded only
 * when an HCL file is scanned.
 */
import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { flagged, ROOT, run, scanJson, sg, tempRoot } from "./helpers";

const tree = tempRoot("files");
const PLAN = path.join(ROOT, "test", "fixtures", "cli", "terraform", "aws-insecure.plan.json");

describe("the files of a root module", () => {
    it("a .tofu file takes precedence over the .tf file of the same name (OpenTofu)", async () => {
        const dir = tree({ "main.tf": sg("g", 445, '"0.0.0.0/0"'), "main.tofu": sg("g", 445, '"10.0.0.0/8"') });
        const r = await scanJson([dir]);
        expect(r.findings).toEqual([]);
        expect(r.doc.stacks[0].resources).toBe(1);
    });

    it("an override file replaces attributes, and nested blocks of the same type", async () => {
        const dir = tree({
            "main.tf": sg("g", 445, '"10.0.0.0/8"'),
            "main_override.tf": `resource "aws_security_group" "g" {\n  ingress {\n    from_port = 445\n    to_port = 445\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`,
        });
        const r = await scanJson([dir]);
        expect(flagged(r.findings)).toEqual(["high-risk-ports @ aws_security_group.g"]);
        expect(r.findings[0].location).toMatchObject({ file: "main_override.tf", line: 6 });
    });

    it("an override of a block that does not exist is an error with file:line", async () => {
        const dir = tree({ "main.tf": sg("g", 445, '"10.0.0.0/8"'), "override.tf": `resource "aws_security_group" "nope" {\n  name = "x"\n}\n` });
        const r = await run([dir]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/override\.tf:1: override for resource "aws_security_group" "nope" has no original block/);
    });

    it("a .tf.json file is read with Terraform's JSON syntax (strings are templates), with line numbers", async () => {
        const doc = {
            variable: { src: { default: "0.0.0.0/0" } },
            resource: {
                aws_security_group: {
                    g: { name: "g", ingress: [{ from_port: 445, to_port: 445, protocol: "tcp", cidr_blocks: ["${var.src}"] }] },
                },
            },
        };
        const dir = tree({ "main.tf.json": JSON.stringify(doc, null, 2) });
        const r = await scanJson([dir]);
        expect(flagged(r.findings)).toEqual(["high-risk-ports @ aws_security_group.g"]);
        expect(r.findings[0].location!.file).toBe("main.tf.json");
        expect(r.findings[0].location!.line).toBeGreaterThan(5);
    });

    it("a .tf file given alone stands for its directory's module (variables from the other files)", async () => {
        const dir = tree({ "main.tf": sg("g", 445, "var.src"), "variables.tf": `variable "src" {\n  default = "0.0.0.0/0"\n}\n` });
        const r = await scanJson([path.join(dir, "main.tf"), path.join(dir, "variables.tf")]);
        expect(r.doc.stacks).toHaveLength(1);
        expect(flagged(r.findings)).toEqual(["high-risk-ports @ aws_security_group.g"]);
    });
});

describe("root modules in a directory tree", () => {
    const layout = () =>
        tree({
            "live/prod/main.tf": `module "sg" {\n  source = "../../modules/sg"\n  cidr = "0.0.0.0/0"\n}\n`,
            "live/dev/main.tf": `module "sg" {\n  source = "../../modules/sg"\n  cidr = "10.0.0.0/8"\n}\n`,
            "modules/sg/main.tf": `variable "cidr" {}\n${sg("g", 445, "var.cidr")}`,
        });

    it("without --recursive, a directory with no .tf files of its own is an error that suggests --recursive", async () => {
        const r = await run([layout()]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/no stack exports, previews or plans found/);
        expect(r.stderr).toMatch(/add --recursive/);
    });

    it("--recursive scans every root module: directories with .tf files that no scanned module calls", async () => {
        const dir = layout();
        const r = await scanJson([dir], { recursive: true });
        expect(r.doc.stacks.map((s: { source: string }) => path.relative(dir, s.source)).sort()).toEqual(["live/dev", "live/prod"]);
        expect(flagged(r.findings)).toEqual(["high-risk-ports @ module.sg.aws_security_group.g"]);
        expect(r.code).toBe(1);
    });

    it("a plan and the .tf files of the same root module: the plan is judged, and the .tf files are said not to be judged again", async () => {
        const dir = tree({ "main.tf": sg("g", 445, '"0.0.0.0/0"') });
        fs.copyFileSync(PLAN, path.join(dir, "plan.json"));
        const r = await scanJson([dir]);
        expect(r.doc.stacks.map((s: { format: string }) => s.format)).toEqual(["terraform-plan"]);
        expect(r.stderr).toMatch(/note: .*its \.tf files were not judged again: a plan of this root module was judged/);
        expect(r.doc.notes).toHaveLength(1);
    });

    it("the same when the .tf file is given before the plan", async () => {
        const dir = tree({ "main.tf": sg("g", 445, '"0.0.0.0/0"') });
        fs.copyFileSync(PLAN, path.join(dir, "plan.json"));
        const r = await scanJson([path.join(dir, "main.tf"), path.join(dir, "plan.json")]);
        expect(r.doc.stacks.map((s: { format: string }) => s.format)).toEqual(["terraform-plan"]);
        expect(r.doc.notes).toHaveLength(1);
    });

    it("plans elsewhere in the tree do not hide a root module's .tf files", async () => {
        const dir = tree({ "main.tf": sg("g", 445, '"0.0.0.0/0"'), "plans/x.json": fs.readFileSync(PLAN, "utf8") });
        const r = await scanJson([dir]);
        expect(r.doc.stacks.map((s: { format: string }) => s.format).sort()).toEqual(["terraform-hcl", "terraform-plan"]);
    });
});

describe("the parser is loaded only for HCL", () => {
    const loaded = (code: string) =>
        childProcess.execFileSync(process.execPath, ["-e", `${code}; console.log(Object.keys(require.cache).some((k) => k.includes("web-tree-sitter"))); process.exit(0)`], { cwd: ROOT, encoding: "utf8", timeout: 60000 }).trim();

    it("the pack (dist/index.js) never loads web-tree-sitter", () => {
        expect(fs.existsSync(path.join(ROOT, "dist", "index.js"))).toBe(true);
        expect(loaded(`require("./dist/index.js")`)).toBe("false");
    }, 60_000);

    it("the CLI loads it for a .tf input only", async () => {
        expect(loaded(`require("./dist/cli/main.js")`)).toBe("false");
        const dir = tree({ "main.tf": sg("g", 443, '"10.0.0.0/8"') });
        const out = childProcess.execFileSync(
            process.execPath,
            ["-e", `require("./dist/cli/main.js").main(["scan", ${JSON.stringify(dir)}], { stdout: { write() {} }, stderr: process.stderr, env: {} }).then(() => console.log(Object.keys(require.cache).some((k) => k.includes("web-tree-sitter"))))`],
            { cwd: ROOT, encoding: "utf8", timeout: 60000 },
        );
        expect(out.trim()).toBe("true");
    }, 60_000);
});
