/**
 * The conventions Terraform users expect: the pre-commit hook (.pre-commit-hooks.yaml) and the
 * GitHub Action (action.yml) at the top of the repository. Neither pre-commit nor GitHub runs
 * here: each file is checked against its documented schema (written out below with the
 * documentation it follows), the hook's entry is run as pre-commit runs it (with the changed
 * file names), and the action's steps are run as commands, as the runner would run them.
 */
import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { HCL_FIX, ROOT, sg, tempRoot } from "./helpers";
// js-yaml comes with @pulumi/pulumi (a pinned runtime dependency); it is not declared as a
// devDependency of its own because test/e2e/publish.test.ts checks that none is installed with
// --omit=dev, and npm would install this one anyway.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { load(text: string): unknown };

const tree = tempRoot("integrations");
const HOOKS = yaml.load(fs.readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Array<Record<string, unknown>>;
const ACTION = yaml.load(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8")) as Record<string, any>;

/** https://pre-commit.com/#new-hooks: the keys a hook definition may have, and the required ones. */
const PRE_COMMIT_HOOKS_SCHEMA = {
    type: "array",
    minItems: 1,
    items: {
        type: "object",
        required: ["id", "name", "entry", "language"],
        additionalProperties: false,
        properties: {
            id: { type: "string", pattern: "^[A-Za-z0-9_.-]+$" },
            name: { type: "string" },
            entry: { type: "string" },
            language: { enum: ["conda", "coursier", "dart", "docker", "docker_image", "dotnet", "fail", "golang", "haskell", "lua", "node", "perl", "pygrep", "python", "r", "ruby", "rust", "swift", "script", "system", "unsupported", "unsupported_script"] },
            files: { type: "string" },
            exclude: { type: "string" },
            types: { type: "array", items: { type: "string" } },
            types_or: { type: "array", items: { type: "string" } },
            exclude_types: { type: "array", items: { type: "string" } },
            always_run: { type: "boolean" },
            fail_fast: { type: "boolean" },
            verbose: { type: "boolean" },
            pass_filenames: { type: "boolean" },
            require_serial: { type: "boolean" },
            description: { type: "string" },
            language_version: { type: "string" },
            minimum_pre_commit_version: { type: "string" },
            args: { type: "array", items: { type: "string" } },
            stages: { type: "array", items: { type: "string" } },
        },
    },
};

/**
 * https://docs.github.com/en/actions/sharing-automations/creating-actions/metadata-syntax-for-github-actions
 * (name, description and runs required; inputs need a description; a composite action's steps
 * run a command with a shell, or use an action).
 */
const ACTION_SCHEMA = {
    type: "object",
    required: ["name", "description", "runs"],
    additionalProperties: false,
    properties: {
        name: { type: "string" },
        description: { type: "string" },
        author: { type: "string" },
        branding: { type: "object", additionalProperties: false, properties: { icon: { type: "string" }, color: { enum: ["white", "black", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"] } } },
        inputs: {
            type: "object",
            additionalProperties: {
                type: "object",
                required: ["description"],
                additionalProperties: false,
                properties: { description: { type: "string" }, required: { type: "boolean" }, default: { type: "string" }, deprecationMessage: { type: "string" } },
            },
        },
        outputs: { type: "object", additionalProperties: { type: "object", required: ["description", "value"], additionalProperties: false, properties: { description: { type: "string" }, value: { type: "string" } } } },
        runs: {
            type: "object",
            required: ["using", "steps"],
            additionalProperties: false,
            properties: {
                using: { const: "composite" },
                steps: {
                    type: "array",
                    minItems: 1,
                    items: {
                        type: "object",
                        additionalProperties: false,
                        properties: {
                            name: { type: "string" },
                            id: { type: "string" },
                            if: { type: "string" },
                            run: { type: "string" },
                            shell: { type: "string" },
                            uses: { type: "string" },
                            with: { type: "object" },
                            env: { type: "object", additionalProperties: { type: "string" } },
                            "working-directory": { type: "string" },
                            "continue-on-error": { type: ["boolean", "string"] },
                        },
                        oneOf: [{ required: ["run", "shell"], not: { required: ["uses"] } }, { required: ["uses"], not: { required: ["run"] } }],
                    },
                },
            },
        },
    },
};

const ajv = new Ajv({ strict: false, allErrors: true });

describe(".pre-commit-hooks.yaml", () => {
    const validate = ajv.compile(PRE_COMMIT_HOOKS_SCHEMA);
    const hook = HOOKS[0];

    it("matches pre-commit's hook definition schema (and the schema rejects a hook without an entry)", () => {
        expect(validate(HOOKS), JSON.stringify(validate.errors)).toBe(true);
        const { entry: _entry, ...broken } = hook;
        expect(validate([broken])).toBe(false);
    });

    it("selects Terraform and OpenTofu files, not plans or other JSON", () => {
        const re = new RegExp(hook.files as string);
        expect(["main.tf", "x/vars.tf.json", "main.tofu", "a.tofu.json"].every((f) => re.test(f))).toBe(true);
        expect(["plan.json", "terraform.tfvars", "main.tf.bak", "README.md"].some((f) => re.test(f))).toBe(false);
    });

    const runEntry = (files: string[]) => {
        const [cmd, ...args] = (hook.entry as string).split(/\s+/);
        expect(cmd).toBe("portguard"); // the package's bin, which pre-commit's node environment installs
        return childProcess.spawnSync(process.execPath, [path.join(ROOT, "bin", "portguard.js"), ...args, ...files], { encoding: "utf8", timeout: 120_000 });
    };

    it("its entry, run on the changed files, fails the commit on a mandatory violation and names file:line", () => {
        const dir = tree({ "main.tf": sg("smb", 445, '"0.0.0.0/0"'), "variables.tf": "" });
        const r = runEntry([path.join(dir, "main.tf"), path.join(dir, "variables.tf")]);
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(/high-risk-ports: .*main\.tf:7\)/);
        expect(r.stdout.match(/^portguard scan: /gm)).toHaveLength(1); // one root module, read once
    }, 120_000);

    it("its entry passes a clean change", () => {
        const dir = tree({ "main.tf": sg("web", 443, '"10.0.0.0/8"') });
        const r = runEntry([path.join(dir, "main.tf")]);
        expect(r.status).toBe(0);
    }, 120_000);
});

describe("OpenTofu plans", () => {
    it("`tofu show -json` plans are read like Terraform's (same findings)", async () => {
        const { scanJson } = await import("./helpers");
        const tfPlan = path.join(ROOT, "test", "fixtures", "cli", "terraform", "aws-insecure.plan.json");
        // what OpenTofu writes: its own version and registry in the same plan format
        const tofu = fs.readFileSync(tfPlan, "utf8").replace(/registry\.terraform\.io/g, "registry.opentofu.org").replace(/"terraform_version":\s*"[^"]*"/, '"terraform_version": "1.8.5"');
        expect(tofu).toContain("registry.opentofu.org");
        const tofuPlan = path.join(tree({ "tofu.plan.json": tofu }), "tofu.plan.json");
        const key = (f: { policy: string; address: string; message: string }) => `${f.policy} @ ${f.address}: ${f.message}`;
        const a = (await scanJson([tfPlan])).findings.map(key).sort();
        const b = (await scanJson([tofuPlan])).findings.map(key).sort();
        expect(b).toEqual(a);
        expect(b.length).toBeGreaterThan(0);
    });
});

describe("action.yml", () => {
    const validate = ajv.compile(ACTION_SCHEMA);

    it("matches GitHub's action metadata schema (and the schema rejects a step with neither run nor uses)", () => {
        expect(validate(ACTION), JSON.stringify(validate.errors)).toBe(true);
        const broken = structuredClone(ACTION);
        broken.runs.steps.push({ name: "nothing" });
        expect(validate(broken)).toBe(false);
    });

    /** Run the action's `run` steps with bash as the runner would (inputs, env, GITHUB_OUTPUT). */
    function runAction(inputs: Record<string, string>) {
        const work = tree({});
        const values: Record<string, string> = {};
        for (const [k, v] of Object.entries(ACTION.inputs as Record<string, { default?: string }>)) values[k] = inputs[k] ?? v.default ?? "";
        const outputs: Record<string, string> = {};
        const sub = (s: string) =>
            s
                .replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, k: string) => values[k] ?? "")
                .replace(/\$\{\{\s*github\.action_path\s*\}\}/g, ROOT)
                .replace(/\$\{\{\s*steps\.scan\.outputs\.([\w-]+)\s*\}\}/g, (_, k: string) => outputs[k] ?? "");
        const results: Array<{ name: string; status: number | null; uses?: string; with?: Record<string, string> }> = [];
        for (const step of ACTION.runs.steps) {
            if (step.uses) {
                results.push({ name: step.name, status: null, uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, sub(String(v))])) });
                continue;
            }
            const outFile = path.join(work, `out-${results.length}`);
            fs.writeFileSync(outFile, "");
            const env: Record<string, string> = { ...process.env, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: outFile } as Record<string, string>;
            for (const [k, v] of Object.entries(step.env ?? {})) env[k] = sub(String(v));
            const r = childProcess.spawnSync("bash", ["-e", "-c", sub(step.run)], { cwd: step["working-directory"] ? sub(step["working-directory"]) : work, env, encoding: "utf8", timeout: 300_000 });
            for (const line of fs.readFileSync(outFile, "utf8").split("\n")) {
                const i = line.indexOf("=");
                if (i > 0) outputs[line.slice(0, i)] = line.slice(i + 1);
            }
            results.push({ name: step.name, status: r.status });
        }
        return { results, outputs, work };
    }

    it("its steps scan, write SARIF with file:line regions for the upload step, and fail on mandatory violations", () => {
        const dir = tree({ "main.tf": sg("smb", 445, '"0.0.0.0/0"') });
        const sarif = path.join(dir, "out.sarif");
        const { results, outputs } = runAction({ path: dir, "sarif-file": sarif });
        expect(results.map((r) => [r.name, r.status])).toEqual([
            ["Install portguard", 0],
            ["Scan", 0],
            ["Upload SARIF", null],
            ["Verdict", 1],
        ]);
        expect(outputs["exit-code"]).toBe("1");
        expect(results[2]).toMatchObject({ uses: expect.stringMatching(/^github\/codeql-action\/upload-sarif@v\d+$/), with: { sarif_file: sarif } });
        const doc = JSON.parse(fs.readFileSync(sarif, "utf8"));
        expect(doc.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBe(7);
    }, 300_000);

    it("with fail-on-findings false the verdict passes; a clean tree passes", () => {
        const dirty = tree({ "main.tf": sg("smb", 445, '"0.0.0.0/0"') });
        expect(runAction({ path: dirty, "sarif-file": path.join(dirty, "o.sarif"), "fail-on-findings": "false" }).results.at(-1)!.status).toBe(0);
        const r = runAction({ path: path.join(HCL_FIX, "basic"), "sarif-file": path.join(tree({}), "c.sarif") });
        expect(r.outputs["exit-code"]).toBe("0");
        expect(r.results.at(-1)!.status).toBe(0);
    }, 300_000);
});

describe("the copy-paste examples of docs/cli.md (portguard used from a checkout, no published repository)", () => {
    const DOC = fs.readFileSync(path.join(ROOT, "docs", "cli.md"), "utf8");
    /** The YAML block of docs/cli.md whose first line is the comment `# <file>`. */
    const example = (file: string) => {
        const m = new RegExp("```yaml\\n# " + file.replace(/\./g, "\\.") + "\\n([\\s\\S]*?)```").exec(DOC);
        expect(m, `docs/cli.md has a ${file} example`).not.toBeNull();
        return yaml.load(m![1]) as Record<string, any>;
    };
    /** A repository that keeps portguard in tools/portguard, as the examples say (here: a link to this checkout). */
    const workspace = (files: Record<string, string>) => {
        const ws = tree(files);
        fs.mkdirSync(path.join(ws, "tools"), { recursive: true });
        fs.symlinkSync(ROOT, path.join(ws, "tools", "portguard"), "dir");
        return ws;
    };

    it("the workflow uses the action by path, and that path holds portguard's action.yml", () => {
        const steps = example(".github/workflows/portguard.yml").jobs.portguard.steps as Array<{ uses?: string; with?: Record<string, string> }>;
        const own = steps.filter((s) => s.uses && !/^(actions|github|hashicorp)\//.test(s.uses));
        expect(own.map((s) => s.uses)).toEqual(["./tools/portguard"]);
        const ws = workspace({});
        expect(yaml.load(fs.readFileSync(path.join(ws, own[0].uses!, "action.yml"), "utf8"))).toEqual(ACTION);
        expect(Object.keys(own[0].with ?? {}).every((k) => k in ACTION.inputs)).toBe(true);
    });

    it("the local pre-commit hook is a valid hook whose entry, run as pre-commit runs it, fails the commit on a mandatory violation", () => {
        const config = example(".pre-commit-config.yaml");
        expect(config.repos).toHaveLength(1);
        expect(config.repos[0].repo).toBe("local");
        const hook = config.repos[0].hooks[0];
        expect(ajv.compile(PRE_COMMIT_HOOKS_SCHEMA)([hook])).toBe(true);
        expect(hook.files).toBe(HOOKS[0].files);
        const ws = workspace({ "infra/main.tf": sg("smb", 445, '"0.0.0.0/0"'), "portguard-config.json": "{}\n" });
        // pre-commit runs `entry args... files...` from the repository's root
        const argv = [...hook.entry.split(/\s+/), ...(hook.args ?? []), "infra/main.tf"];
        const r = childProcess.spawnSync(argv[0] === "node" ? process.execPath : argv[0], argv.slice(1), { cwd: ws, encoding: "utf8", timeout: 120_000 });
        expect(r.status, r.stderr).toBe(1);
        expect(r.stdout).toMatch(/high-risk-ports: .*infra\/main\.tf:7\)/);
    }, 120_000);
});
