/**
 * A Terraform variable or module output marked `sensitive` is judged like any other value, and
 * every output (text, JSON, SARIF, JUnit) writes `[sensitive]` where its value would go: in the
 * message, the finding's data and the note of an unknown.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { withoutRuleCatalogue } from "../helpers";
import { run, sg, tempRoot } from "./helpers";

const tree = tempRoot("sensitive");
const OPEN = "0.0.0.0/0";

const VIA_VARIABLE = {
    "main.tf": `variable "src" {\n  type      = string\n  sensitive = true\n}\n${sg("smb", 445, "var.src")}`,
    "terraform.tfvars": `src = "${OPEN}"\n`,
};
const VIA_MODULE_OUTPUT = {
    "main.tf": `module "net" {\n  source = "./modules/net"\n}\n${sg("smb", 445, "module.net.cidr")}`,
    "modules/net/main.tf": `output "cidr" {\n  value     = "${OPEN}"\n  sensitive = true\n}\n`,
};

describe("sensitive values are judged and printed [sensitive] in every output", () => {
    for (const [what, files] of [["a sensitive variable", VIA_VARIABLE], ["a sensitive module output", VIA_MODULE_OUTPUT]] as const) {
        for (const output of ["text", "json", "sarif", "junit"]) {
            it(`${what}: SMB open to it blocks (exit 1), and the ${output} output writes [sensitive], never the value`, async () => {
                const dir = tree({ ...files });
                const r = await run([dir], { output });
                expect(r.code, r.stderr).toBe(1);
                expect(r.stdout).toContain("high-risk-ports");
                expect(r.stdout).toContain("[sensitive] (ingress[0].cidrBlocks[0])");
                expect(withoutRuleCatalogue(output, r.stdout)).not.toContain(OPEN);
                expect(r.stdout).not.toContain("[secret]");
            });
        }
    }

    it("the JSON finding's data carries [sensitive] in place of the value too", async () => {
        const dir = tree({ ...VIA_VARIABLE });
        const r = await run([dir], { output: "json" });
        const f = JSON.parse(r.stdout).findings.find((x: { policy: string }) => x.policy === "high-risk-ports");
        expect(f.data.sources.peers).toEqual([{ text: "[sensitive]", path: "ingress[0].cidrBlocks[0]" }]);
    });

    it("a resource that does not use the sensitive value keeps its own values readable", async () => {
        const dir = tree({ ...VIA_VARIABLE, "other.tf": sg("rdp", 3389, `"${OPEN}"`) });
        const r = await run([dir], { output: "json" });
        const rdp = JSON.parse(r.stdout).findings.filter((x: { address: string }) => x.address === "aws_security_group.rdp");
        expect(rdp.length).toBeGreaterThan(0);
        expect(rdp.every((x: { message: string }) => x.message.includes(`${OPEN} (ingress[0].cidrBlocks[0])`))).toBe(true);
    });

    it("a finding on the joined stack (two rule resources that together open SMB) hides the port they take from a sensitive variable", async () => {
        const rule = (name: string, cidr: string) =>
            `resource "aws_vpc_security_group_ingress_rule" "${name}" {\n  security_group_id = aws_security_group.g.id\n  ip_protocol       = "tcp"\n  from_port         = var.port\n  to_port           = var.port\n  cidr_ipv4         = "${cidr}"\n}\n`;
        const dir = tree({
            "main.tf": `variable "port" {\n  type      = number\n  sensitive = true\n  default   = 445\n}\nresource "aws_security_group" "g" {\n  name = "g"\n}\n${rule("a", "8.0.0.0/9")}${rule("b", "8.128.0.0/9")}`,
        });
        // each /9 alone is below a wide public range; together they are one
        const config = path.join(dir, "config.json");
        fs.writeFileSync(config, JSON.stringify({ "high-risk-ports": { minExposure: "wide" } }));
        const r = await run([dir], { output: "json", config });
        const union = JSON.parse(r.stdout).findings.filter((x: { messageId: string }) => x.messageId === "together");
        expect(union).toHaveLength(1);
        expect(union[0].message).toContain("together open high-risk TCP [sensitive] (SMB)");
        expect(r.stdout).not.toMatch(/\b445\b/);
    });
});
