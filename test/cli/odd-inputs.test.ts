/**
 * Odd inputs to `portguard scan`: plans and exports saved with a byte-order mark or as UTF-16
 * (Windows PowerShell 5.1's `terraform show -json > plan.json` writes UTF-16LE with a BOM),
 * binary files, directories holding other files, and documents whose shape is recognised but
 * whose parts are not.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, scan } from "./helpers";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portguard-odd-"));
const PLAN = fixture("terraform/aws-insecure.plan.json");
const EXPORT = fixture("pulumi/aws-insecure.export.json");
const planText = fs.readFileSync(PLAN, "utf8");

function put(name: string, bytes: Buffer | string): string {
    const p = path.join(tmp, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, bytes);
    return p;
}
const utf16be = (s: string) => {
    const b = Buffer.from(s, "utf16le");
    b.swap16();
    return b;
};
/** The findings of a JSON scan, without the file name (equal across encodings). */
async function findings(file: string): Promise<{ code: number; stderr: string; list: string[] }> {
    const r = await scan([file], { output: "json" });
    const doc = r.stdout ? JSON.parse(r.stdout) : { findings: [] };
    return { code: r.code, stderr: r.stderr, list: doc.findings.map((f: { policy: string; address: string; path: string; message: string }) => `${f.policy} ${f.address} ${f.path} ${f.message}`) };
}

describe("text encodings", () => {
    const cases: Array<[string, Buffer]> = [
        ["UTF-8 with a byte-order mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(planText, "utf8")])],
        ["UTF-16LE with a byte-order mark (Windows PowerShell 5.1's `>`)", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(planText, "utf16le")])],
        ["UTF-16BE with a byte-order mark", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(planText)])],
        ["UTF-16LE without a byte-order mark", Buffer.from(planText, "utf16le")],
    ];
    for (const [what, bytes] of cases) {
        it(`a Terraform plan saved as ${what} is read, and finds exactly what the UTF-8 plan finds`, async () => {
            const want = await findings(PLAN);
            const got = await findings(put(`enc-${cases.findIndex((c) => c[0] === what)}.plan.json`, bytes));
            expect(got.stderr).toBe("");
            expect(got.code).toBe(1);
            expect(got.list).toEqual(want.list);
            expect(got.list.length).toBeGreaterThan(0);
        });
    }

    it("a stack export saved as UTF-16LE with a byte-order mark is read", async () => {
        const file = put("export-utf16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fs.readFileSync(EXPORT, "utf8"), "utf16le")]));
        const got = await findings(file);
        expect(got.list).toEqual((await findings(EXPORT)).list);
        expect(got.code).toBe(1);
    });
});

describe("binary and broken files", () => {
    it("a binary Terraform plan file (a zip) is refused in one line that says what to run, and never echoes its bytes", async () => {
        const file = put("tfplan", Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), Buffer.from("tfplan-secret-token-XYZ"), Buffer.alloc(64, 0x00)]));
        const r = await scan([file]);
        expect(r.code).toBe(2);
        const lines = r.stderr.trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain("tfplan");
        expect(lines[0]).toContain("terraform show -json");
        expect(r.stderr + r.stdout).not.toContain("secret-token");
        expect(r.stderr + r.stdout).not.toMatch(/[\x00-\x08\x0e-\x1f]/);
    });

    it("random binary bytes are refused in one line naming the file, with no byte of it", async () => {
        const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256));
        const file = put("blob.json", bytes);
        const r = await scan([file]);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^portguard: .*blob\.json: is (binary|not UTF-8)/)]);
        expect(r.stderr).not.toMatch(/[\x00-\x08\x0e-\x1f\x7f-\xff]/);
    });

    it("invalid JSON is named with its line and column, without quoting the text around the error", async () => {
        const file = put("bad.json", '{\n  "steps": [\n    {"urn": hunter2-secret}\n  ]\n}\n');
        const r = await scan([file]);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toMatch(/bad\.json: not valid JSON/);
        expect(r.stderr).not.toContain("hunter2");
        const late = put("bad2.json", '{\n  "steps": [\n    {"urn": "x",, "op": "create"}\n  ]\n}\n');
        const r2 = await scan([late]);
        expect(r2.stderr).toMatch(/bad2\.json: not valid JSON: .* at line 3, column \d+/);
    });
});

describe("documents whose shape is recognised but whose parts are not", () => {
    const cases: Array<[string, unknown, RegExp[]]> = [
        ["a preview whose steps are null, a number, a string and an empty object", { steps: [null, 1, "x", {}] }, [/steps\[0\] is null/, /steps\[1\] is a number/, /steps\[2\] is a string/, /steps\[3\] has no urn/]],
        ["a stack export whose resources are not resources", { version: 3, deployment: { resources: [null, { urn: "urn:pulumi:s::p::t::n" }, 7] } }, [/deployment\.resources\[0\] is null/, /deployment\.resources\[1\] has no type/, /deployment\.resources\[2\] is a number/]],
        ["a Terraform plan whose resource_changes are not changes", { format_version: "1.2", resource_changes: [null, { type: "aws_security_group" }] }, [/resource_changes\[0\] is null/, /resource_changes\[1\] has no address/]],
        ["a Terraform state whose module holds a string for a resource", { format_version: "1.0", values: { root_module: { resources: ["aws_security_group.web"] } } }, [/values\.root_module\.resources\[0\] is a string/]],
    ];
    for (const [what, doc, named] of cases) {
        it(`${what} is refused (exit 2) in one line naming each part`, async () => {
            const r = await scan([put(`parts-${cases.findIndex((c) => c[0] === what)}.json`, JSON.stringify(doc))], { output: "json" });
            expect(r.code).toBe(2);
            const lines = r.stderr.trim().split("\n");
            expect(lines).toHaveLength(1);
            for (const re of named) expect(lines[0]).toMatch(re);
            expect(JSON.parse(r.stdout).errors).toHaveLength(1);
        });
    }

    it("more than four bad parts are counted, not all listed", async () => {
        const r = await scan([put("many-parts.json", JSON.stringify({ steps: [null, null, null, null, null, null, null] }))]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/steps\[3\] is null, not a step; and 3 more; nothing in it was scanned/);
    });
});

describe("a directory scan names what it skipped", () => {
    const dir = path.join(tmp, "audit");
    fs.mkdirSync(path.join(dir, "node_modules", "pkg"), { recursive: true });
    fs.copyFileSync(PLAN, path.join(dir, "plan.json"));
    fs.writeFileSync(path.join(dir, "README.md"), "# stacks\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "x" }));
    fs.writeFileSync(path.join(dir, "empty.json"), "");
    fs.writeFileSync(path.join(dir, "blob.json"), Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff]));
    fs.writeFileSync(path.join(dir, "tfplan"), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]));
    fs.copyFileSync(PLAN, path.join(dir, "node_modules", "pkg", "plan.json"));
    const want: Array<[string, RegExp]> = [
        ["README.md", /not a \.json or Terraform \(\.tf, \.tf\.json, \.tofu\) file/],
        ["blob.json", /binary/],
        ["empty.json", /empty/],
        ["node_modules", /tool or dependency directory/],
        ["package.json", /not a stack export, preview or plan/],
        ["tfplan", /not a \.json or Terraform \(\.tf, \.tf\.json, \.tofu\) file/],
    ];

    it("the text output lists every skipped file with why, and still scans the plan", async () => {
        const r = await scan([dir]);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe("");
        const section = r.stdout.slice(r.stdout.indexOf("skipped "));
        expect(section).toMatch(/^skipped 6 files:/);
        for (const [name, why] of want) expect(section, name).toMatch(new RegExp(`${name.replace(".", "\\.")}: ${why.source}`));
    });

    it("the JSON report lists every skipped file with why", async () => {
        const r = await scan([dir], { output: "json" });
        const doc = JSON.parse(r.stdout);
        expect(doc.stacks).toHaveLength(1);
        const skipped = doc.skippedFiles.map((s: { source: string; reason: string }) => [path.relative(dir, s.source), s.reason]);
        expect(skipped.map((s: string[]) => s[0])).toEqual(want.map((w) => w[0]));
        for (const [i, [, why]] of want.entries()) expect(skipped[i][1]).toMatch(why);
    });

    it("a file given by name is never skipped: a README is refused as not JSON", async () => {
        const r = await scan([path.join(dir, "README.md")]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/README\.md: not valid JSON/);
    });
});
