/**
 * The secret rule through `portguard scan`: a Terraform value marked sensitive is known, so it
 * is judged (a sensitive 0.0.0.0/0 on 445 blocks, exit 1), and every output writes
 * `[sensitive]` where the value would go; a Pulumi preview's `[secret]` stays unknown and is
 * named without a value.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { scan, withoutRuleCatalogue as produced } from "./helpers";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portguard-secrets-"));

type Obj = Record<string, unknown>;
/** A `terraform show -json` plan of one resource, created, with masks as Terraform writes them. */
function plan(type: string, name: string, after: Obj, sensitive: Obj): Obj {
    const address = `${type}.${name}`;
    return {
        format_version: "1.2",
        terraform_version: "1.9.0",
        planned_values: { root_module: { resources: [{ address, mode: "managed", type, name, values: after, sensitive_values: sensitive }] } },
        resource_changes: [{ address, mode: "managed", type, name, change: { actions: ["create"], before: null, after, after_unknown: { id: true }, after_sensitive: sensitive } }],
    };
}
function write(file: string, doc: unknown): string {
    const p = path.join(tmp, file);
    fs.writeFileSync(p, JSON.stringify(doc));
    return p;
}

const smb = write(
    "sensitive-smb.plan.json",
    plan("aws_security_group", "files", { name: "files", ingress: [{ protocol: "tcp", from_port: 445, to_port: 445, cidr_blocks: ["0.0.0.0/0"], ipv6_cidr_blocks: [], description: "", prefix_list_ids: [], security_groups: [], self: false }] }, { ingress: [{ cidr_blocks: [true] }] }),
);
const wholeBlock = write(
    "sensitive-block.plan.json",
    plan("aws_security_group", "db", { name: "db", ingress: [{ protocol: "tcp", from_port: 3306, to_port: 3306, cidr_blocks: ["11.0.0.0/8", "198.51.100.7/32"], ipv6_cidr_blocks: [], description: "", prefix_list_ids: [], security_groups: [], self: false }] }, { ingress: true }),
);
const malformed = write(
    "sensitive-malformed.plan.json",
    plan("aws_security_group", "bad", { name: "bad", ingress: [{ protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["s3cr3t-office-range"], ipv6_cidr_blocks: [], description: "", prefix_list_ids: [], security_groups: [], self: false }] }, { ingress: [{ cidr_blocks: [true] }] }),
);

describe("portguard scan: sensitive Terraform values are judged and never printed", () => {
    for (const output of ["text", "json", "sarif", "junit"]) {
        it(`a sensitive 0.0.0.0/0 on TCP 445 blocks (exit 1) and the ${output} output writes [sensitive], never the CIDR`, async () => {
            const r = await scan([smb], { output });
            expect(r.code, r.stderr).toBe(1);
            expect(r.stdout).toContain("high-risk-ports");
            expect(r.stdout).toContain("[sensitive] (ingress[0].cidrBlocks[0])");
            expect(produced(output, r.stdout)).not.toContain("0.0.0.0/0");
            expect(r.stdout).not.toContain("[secret]");
        });
    }

    for (const output of ["text", "json", "sarif", "junit"]) {
        it(`a whole sensitive ingress block is still judged (MySQL to a /8), and the ${output} output prints none of its CIDRs`, async () => {
            const r = await scan([wholeBlock], { output });
            expect(r.code, r.stderr).toBe(0); // exposed-service-ports is advisory
            expect(r.stdout).toContain("exposed-service-ports");
            expect(produced(output, r.stdout)).not.toContain("11.0.0.0/8");
            expect(produced(output, r.stdout)).not.toContain("198.51.100.7");
        });
    }

    for (const output of ["text", "json", "sarif", "junit"]) {
        it(`a sensitive string that is not a CIDR is named by unverifiable-rules with its path, and the ${output} output never quotes it`, async () => {
            const r = await scan([malformed], { output });
            expect(r.stdout).toContain("unverifiable-rules");
            expect(r.stdout).toMatch(/ingress\[0\]\.cidr_?[bB]locks\[0\]/);
            expect(r.stdout).toContain("[sensitive]");
            expect(r.stdout).not.toContain("s3cr3t");
        });
    }

    it("a Pulumi preview's [secret] stays unknown: named by unverifiable-rules, with no value", async () => {
        const urn = "urn:pulumi:dev::p::aws:ec2/securityGroup:SecurityGroup::web";
        const p = write("secret.preview.json", { steps: [{ op: "create", urn, newState: { urn, type: "aws:ec2/securityGroup:SecurityGroup", custom: true, inputs: { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["[secret]"] }] } } }] });
        const r = await scan([p], { output: "json" });
        const doc = JSON.parse(r.stdout);
        const named = doc.findings.filter((f: { policy: string; path: string }) => f.policy === "unverifiable-rules");
        expect(named.length, r.stdout).toBeGreaterThan(0);
        expect(named.some((f: { message: string }) => /ingress\[0\]\.cidrBlocks\[0\]/.test(f.message) && /not known until apply/.test(f.message))).toBe(true);
        expect(r.code).toBe(0);
    });
});
