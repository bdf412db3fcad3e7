/**
 * Every finding from HCL carries the file (relative to the scanned directory), line and column
 * of the attribute or block that causes it, in all four outputs: text (`file:line`), JSON
 * (`location`), JUnit (`file`/`line` and `file:line:column:` in the message) and SARIF
 * (`physicalLocation.artifactLocation.uri` + `region`, valid against the SARIF 2.1.0 schema).
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { sarifValidator } from "../helpers";
import { HCL_FIX, ROOT, run, scanJson } from "./helpers";

const APP = path.relative(process.cwd(), path.join(HCL_FIX, "app")).split(path.sep).join("/");

/** Where each finding of the fixture tree is, by address. */
const EXPECTED: Record<string, { file: string; line: number; column: number }> = {
    'aws_vpc_security_group_ingress_rule.svc["rdp"]': { file: "main.tf", line: 32, column: 3 },
    "module.db.aws_vpc_security_group_ingress_rule.mysql": { file: "modules/db/main.tf", line: 19, column: 3 },
    "aws_security_group.web": { file: "main.tf", line: 5, column: 3 },
};

describe("file and line in every output", () => {
    it("JSON: location {file, line, column, uri} on every finding", async () => {
        const r = await scanJson([APP]);
        expect(r.findings.length).toBe(3);
        for (const f of r.findings) {
            expect(f.location).toEqual({ ...EXPECTED[f.address], uri: `${APP}/${EXPECTED[f.address].file}` });
        }
    });

    it("text: file:line after each finding", async () => {
        const r = await run([APP]);
        for (const [address, l] of Object.entries(EXPECTED)) {
            const block = r.stdout.split("\n\n").find((b) => b.startsWith(address))!;
            expect(block).toContain(`${APP}/${l.file}:${l.line})`);
        }
    });

    it("JUnit: file and line attributes on the test case, file:line:column leading the message", async () => {
        const r = await run([APP], { output: "junit" });
        expect(r.stdout).toContain(`name="exposed-service-ports: module.db.aws_vpc_security_group_ingress_rule.mysql" file="${APP}/modules/db/main.tf" line="19"`);
        expect(r.stdout).toContain(`${APP}/modules/db/main.tf:19:3: [advisory] SecurityGroupIngressRule`);
    });

    it("SARIF: artifactLocation.uri and region of the attribute, valid SARIF 2.1.0", async () => {
        const r = await run([APP], { output: "sarif" });
        const doc = JSON.parse(r.stdout);
        const validate = sarifValidator();
        expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
        const results = doc.runs[0].results;
        expect(results).toHaveLength(3);
        for (const res of results) {
            const l = EXPECTED[res.properties.address];
            expect(res.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: `${APP}/${l.file}` }, region: { startLine: l.line, startColumn: l.column } });
        }
        // the artifacts are the .tf files, not the directory
        expect(doc.runs[0].artifacts.map((a: { location: { uri: string } }) => a.location.uri).sort()).toEqual([`${APP}/main.tf`, `${APP}/modules/db/main.tf`]);
    });

    it("the same finding from a plan keeps its plan-file line (no HCL location)", async () => {
        const r = await scanJson([path.join(ROOT, "test", "fixtures", "cli", "terraform", "aws-insecure.plan.json")]);
        expect(r.findings.every((f) => f.location === undefined)).toBe(true);
    });
});
