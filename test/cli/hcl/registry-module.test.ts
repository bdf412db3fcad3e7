/**
 * Registry and git modules: read from `.terraform/modules` (modules.json) when `terraform init`
 * has run; otherwise each such call is named once, as not judged, and the rest is judged.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { flagged, run, scanJson, tempRoot } from "./helpers";

const tree = tempRoot("registry");

const ROOT_TF = `
module "sg" {
  count   = 2
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.0"
  cidr    = "0.0.0.0/0"
}
resource "aws_security_group" "local" {
  name = "local"
  ingress {
    from_port   = 445
    to_port     = 445
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
const MODULE_TF = `variable "cidr" {}\nresource "aws_vpc_security_group_ingress_rule" "r" {\n  security_group_id = "sg-1"\n  ip_protocol = "tcp"\n  from_port = 3389\n  to_port = 3389\n  cidr_ipv4 = var.cidr\n}\n`;

describe("registry and git modules", () => {
    it("without .terraform/modules: the call is named once as not judged, at its line; the rest is judged", async () => {
        const dir = tree({ "main.tf": ROOT_TF });
        const r = await scanJson([dir]);
        const notJudged = r.findings.filter((f) => f.policy === "unverifiable-rules");
        expect(notJudged).toHaveLength(1);
        expect(notJudged[0]).toMatchObject({ address: "module.sg", location: { file: "main.tf", line: 2 } });
        expect(notJudged[0].message).toMatch(/registry or remote module .*terraform init/);
        expect(flagged(r.findings, "high-risk-ports")).toEqual(["high-risk-ports @ aws_security_group.local"]);
        // in JUnit too, as its own test case at the module block
        const junit = await run([dir], { output: "junit" });
        expect(junit.stdout).toMatch(/<testcase classname="[^"]*" name="unverifiable-rules: module\.sg" file="[^"]*main\.tf" line="2">/);
    });

    it("with .terraform/modules/modules.json: the installed copy is read like a local module", async () => {
        const dir = tree({ "main.tf": ROOT_TF, ".terraform/modules/sg/main.tf": MODULE_TF });
        fs.writeFileSync(
            path.join(dir, ".terraform", "modules", "modules.json"),
            JSON.stringify({ Modules: [{ Key: "", Source: "", Dir: "." }, { Key: "sg", Source: "registry.terraform.io/terraform-aws-modules/security-group/aws", Version: "5.1.0", Dir: ".terraform/modules/sg" }] }),
        );
        const r = await scanJson([dir]);
        expect(flagged(r.findings, "exposed-service-ports")).toEqual(["exposed-service-ports @ module.sg[0].aws_vpc_security_group_ingress_rule.r", "exposed-service-ports @ module.sg[1].aws_vpc_security_group_ingress_rule.r"]);
        expect(r.findings.filter((f) => f.policy === "unverifiable-rules")).toEqual([]);
        expect(r.findings.find((f) => f.policy === "exposed-service-ports")!.location!.file).toBe(".terraform/modules/sg/main.tf");
    });
});
