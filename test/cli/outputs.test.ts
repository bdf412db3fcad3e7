/** Text, JSON and JUnit output (SARIF: sarif.test.ts). */
import { policyUrl } from "../../src/pack/meta";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { JSON_SCHEMA_VERSION, runScan } from "../../src/cli";
import { POLICIES } from "../../src/policies";
import { fixture, scan } from "./helpers";

const PLAN = fixture("terraform/aws-insecure.plan.json");
const ESC = "\x1b[";

describe("text output", () => {
    it("groups findings per resource with a summary line, and has no colour when stdout is not a terminal", async () => {
        const r = await scan([PLAN]);
        expect(r.stdout).not.toContain(ESC);
        const blocks = r.stdout.split("\n\n");
        const fileServers = blocks.find((b) => b.startsWith("aws_security_group.file_servers"))!;
        expect(fileServers.split("\n")).toEqual([
            "aws_security_group.file_servers  aws_security_group",
            expect.stringMatching(/^  \[mandatory\] high-risk-ports: ingress\[0\] of SecurityGroup "aws_security_group.file_servers" opens high-risk TCP 445 \(SMB\)/),
            expect.stringMatching(/^  \[advisory\] exposed-service-ports: ingress\[1\] of SecurityGroup .* RDP \(TCP 3389\)/),
        ]);
        expect(r.stdout).toMatch(/^4 mandatory, 7 advisory \(11 violations on 6 of 11 resources\)$/m);
    });

    it("colours levels on a terminal or with --color always, never with NO_COLOR or --color never", async () => {
        const run = async (isTTY: boolean, env: Record<string, string> = {}, color?: "always" | "never") => {
            let out = "";
            await runScan([PLAN], color ? { color } : {}, { stdout: { write: (s: string) => (out += s), isTTY }, stderr: { write: () => true }, env });
            return out;
        };
        expect(await run(true)).toContain(`${ESC}31m[mandatory]`);
        expect(await run(true, { NO_COLOR: "1" })).not.toContain(ESC);
        expect(await run(true, {}, "never")).not.toContain(ESC);
        expect(await run(false, {}, "always")).toContain(`${ESC}33m[advisory]`);
    });

    it("shows the Terraform attribute path when it differs from the pack's", async () => {
        const r = await scan([fixture("terraform/gcp-firewall.plan.json")]);
        expect(r.stdout).toMatch(/allows\[0\] of Firewall .*\(at allow\[0\]\)/);
    });
});

describe("JSON output", () => {
    it("is versioned, complete and stable from run to run", async () => {
        const a = await scan([PLAN, fixture("pulumi/aws-insecure.export.json")], { output: "json" });
        const b = await scan([PLAN, fixture("pulumi/aws-insecure.export.json")], { output: "json" });
        expect(a.stdout).toBe(b.stdout);
        const doc = JSON.parse(a.stdout);
        expect(Object.keys(doc)).toEqual(["schemaVersion", "tool", "exitCode", "summary", "policies", "stacks", "findings", "errors", "skippedFiles"]);
        expect(doc.schemaVersion).toBe(JSON_SCHEMA_VERSION);
        expect(doc.exitCode).toBe(1);
        expect(doc.summary).toMatchObject({ inputs: 2, resources: 25, findings: 23, mandatory: 8, advisory: 15 });
        expect(doc.summary.byPolicy.map((p: any) => p.policy)).toEqual(POLICIES.map((p) => p.name));
        expect(doc.policies[0]).toEqual({ name: "high-risk-ports", level: "mandatory", severity: "high", description: POLICIES[0].description });
        expect(doc.stacks[1]).toMatchObject({ format: "pulumi-export", stack: "portguard-aws-insecure/dev", resources: 14, judged: 11, skipped: 0, findings: 12, mandatory: 4, advisory: 8 });
        const f = doc.findings.find((x: any) => x.name === "aws_security_group.file_servers" && x.policy === "high-risk-ports");
        expect(Object.keys(f)).toEqual(["source", "stack", "policy", "messageId", "url", "level", "severity", "phase", "urn", "name", "type", "address", "sourceType", "path", "sourcePath", "message", "data"]);
        expect(f.url).toBe(`${policyUrl(f.policy)}#${f.messageId.toLowerCase()}`);
        expect(f).toMatchObject({ level: "mandatory", severity: "high", phase: "resource", type: "aws:ec2/securityGroup:SecurityGroup", address: "aws_security_group.file_servers", sourceType: "aws_security_group", path: "ingress[0]", sourcePath: "ingress[0]" });
        const p = doc.findings.find((x: any) => x.name === "wide-open-v6" && x.policy === "unrestricted-ingress");
        expect(p).toMatchObject({ address: null, sourceType: null, urn: "urn:pulumi:dev::portguard-aws-insecure::aws:ec2/securityGroup:SecurityGroup::wide-open-v6" });
        const stackPhase = doc.findings.find((x: any) => x.name === "module.legacy.aws_network_acl_rule.netbios");
        expect(stackPhase.phase).toBe("stack");
    });
});

describe("JUnit output", () => {
    it("has one test case per judged resource and enabled policy; mandatory violations fail, advisory ones are listed", async () => {
        const r = await scan([PLAN], { output: "junit" });
        const xml = r.stdout;
        expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="portguard" tests="50" failures="4" errors="0">')).toBe(true);
        expect(xml.match(/<testcase /g)).toHaveLength(50); // 10 judged resources x 5 policies
        expect(xml.match(/<failure /g)).toHaveLength(4);
        const smb = xml.slice(xml.indexOf('name="high-risk-ports: aws_security_group.file_servers"'));
        expect(smb.slice(0, smb.indexOf("</testcase>"))).toMatch(/<failure type="mandatory" message="1 mandatory violation of high-risk-ports">ingress\[0\] of SecurityGroup &quot;aws_security_group.file_servers&quot;/);
        expect(xml).toMatch(/name="exposed-service-ports: aws_security_group_rule.bastion_ssh">\n\s+<system-out>\[advisory\] SecurityGroupRule/);
        expect(xml).toMatch(/<testcase classname="[^"]+\.aws_vpc" |<testcase classname="[^"]+aws_security_group" name="high-risk-ports: aws_security_group.bastion"\/>/);
    });

    it("reports an unreadable input as an errored test case next to the readable ones", async () => {
        const r = await scan([fixture("terraform/gcp-firewall.plan.json"), "no-such-plan.json"], { output: "junit" });
        expect(r.code).toBe(2);
        expect(r.stdout).toMatch(/<testsuites name="portguard" tests="21" failures="1" errors="1">/);
        expect(r.stdout).toMatch(/<error message="no-such-plan.json: no such file or directory"\/>/);
    });
});

describe("JSON written to --output-file", () => {
    it("is written as it is rendered, byte for byte the document JSON.stringify(doc, null, 2) gives on stdout", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portguard-json-"));
        try {
            const empty = path.join(dir, "empty.json");
            fs.writeFileSync(empty, JSON.stringify({ format_version: "1.2", planned_values: { root_module: {} }, resource_changes: [] }));
            // with findings; without any (an empty list); with an input error (a non-empty errors list)
            for (const args of [[PLAN], [empty], [PLAN, path.join(dir, "missing.json")]]) {
                const out = await scan(args, { output: "json" });
                expect(out.stdout).toBe(`${JSON.stringify(JSON.parse(out.stdout), null, 2)}\n`);
                const file = path.join(dir, "out.json");
                const written = await scan(args, { output: "json", outputFile: file });
                expect(written.code).toBe(out.code);
                expect(written.stdout).toBe("");
                expect(fs.readFileSync(file, "utf8")).toBe(out.stdout);
            }
            expect(JSON.parse((await scan([empty], { output: "json" })).stdout).findings).toEqual([]);
            const cannot = await scan([PLAN], { output: "json", outputFile: dir });
            expect(cannot.code).toBe(2);
            expect(cannot.stderr).toMatch(/--output-file .*: cannot write \(EISDIR\)/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
