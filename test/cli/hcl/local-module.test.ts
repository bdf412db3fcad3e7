/**
 * Local modules (`source = "./..."`, `"../..."`): read with their inputs, their resources
 * addressed as the plan addresses them, and their files named relative to the scanned directory.
 */
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { flagged, HCL_FIX, scanJson, tempRoot } from "./helpers";

const tree = tempRoot("localmod");

const SG_MODULE = `
variable "cidr" { type = string }
variable "port" {
  type    = number
  default = 445
}
resource "aws_security_group" "this" {
  name = "m"
}
resource "aws_vpc_security_group_ingress_rule" "rule" {
  security_group_id = aws_security_group.this.id
  ip_protocol       = "tcp"
  from_port         = var.port
  to_port           = var.port
  cidr_ipv4         = var.cidr
}
`;

describe("local modules", () => {
    it("reads a module's resources with the caller's inputs, addressed module.<name>.<type>.<name>", async () => {
        const dir = tree({
            "env/main.tf": `module "open" {\n  source = "../modules/sg"\n  cidr   = "0.0.0.0/0"\n}\nmodule "closed" {\n  source = "../modules/sg"\n  cidr   = "10.0.0.0/8"\n}\n`,
            "modules/sg/main.tf": SG_MODULE,
        });
        const r = await scanJson([path.join(dir, "env")]);
        expect(r.doc.stacks[0].resources).toBe(4);
        expect(flagged(r.findings)).toEqual(["high-risk-ports @ module.open.aws_vpc_security_group_ingress_rule.rule"]);
        expect(r.findings[0].location).toMatchObject({ file: "../modules/sg/main.tf", line: 15 });
    });

    it("a module called with count: instances module.<name>[i]", async () => {
        const dir = tree({
            "main.tf": `module "sg" {\n  count  = 2\n  source = "./sg"\n  cidr   = count.index == 0 ? "10.0.0.0/8" : "0.0.0.0/0"\n}\n`,
            "sg/main.tf": SG_MODULE,
        });
        const r = await scanJson([dir]);
        expect(flagged(r.findings)).toEqual(["high-risk-ports @ module.sg[1].aws_vpc_security_group_ingress_rule.rule"]);
    });

    it("a module called with for_each: instances module.<name>[\"key\"], nested modules too", async () => {
        const dir = tree({
            "main.tf": `module "outer" {\n  for_each = { a = "0.0.0.0/0", b = "10.0.0.0/8" }\n  source   = "./outer"\n  cidr     = each.value\n}\n`,
            "outer/main.tf": `variable "cidr" {}\nmodule "inner" {\n  source = "../sg"\n  cidr   = var.cidr\n}\n`,
            "sg/main.tf": SG_MODULE,
        });
        const r = await scanJson([dir]);
        expect(flagged(r.findings)).toEqual(['high-risk-ports @ module.outer["a"].module.inner.aws_vpc_security_group_ingress_rule.rule']);
    });

    it("the fixture tree: variables, tfvars, locals, count, for_each, dynamic, a joined rule and a local module", async () => {
        const r = await scanJson([path.join(HCL_FIX, "app")]);
        expect(flagged(r.findings)).toEqual([
            'exposed-service-ports @ aws_vpc_security_group_ingress_rule.svc["rdp"]',
            "exposed-service-ports @ module.db.aws_vpc_security_group_ingress_rule.mysql",
            "unverifiable-rules @ aws_security_group.web",
        ]);
        // the clean ones: SSH from the office and from 10/8, HTTP(S) to the world
        expect(r.doc.stacks[0].judged).toBe(6);
        for (const f of r.findings) expect(f.location!.line).toBeGreaterThan(0);
    });
});
