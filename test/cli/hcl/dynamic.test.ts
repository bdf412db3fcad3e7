/** `dynamic` blocks: one nested block per for_each element, with the iterator's key and value. */
import { describe, expect, it } from "vitest";
import { scanJson, tempRoot } from "./helpers";

const tree = tempRoot("dynamic");

const GROUP = (iterator: string, ref: string) => `
variable "rules" {
  default = [
    { port = 443, cidrs = ["0.0.0.0/0"] },
    { port = 445, cidrs = ["0.0.0.0/0"] },
  ]
}
resource "aws_security_group" "g" {
  name = "g"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  dynamic "ingress" {
    for_each = var.rules${iterator}
    content {
      from_port   = ${ref}.value.port
      to_port     = ${ref}.value.port
      protocol    = "tcp"
      cidr_blocks = ${ref}.value.cidrs
    }
  }
}
`;

describe("dynamic blocks", () => {
    it("generates one block per element after the static ones; the finding points at the dynamic block", async () => {
        const r = await scanJson([tree({ "main.tf": GROUP("", "ingress") })]);
        const f = r.findings.find((x) => x.policy === "high-risk-ports")!;
        expect(f.path).toBe("ingress[2]");
        expect(f.message).toContain("445");
        expect(f.location).toMatchObject({ file: "main.tf", line: 16, column: 3 });
    });

    it("honours a named iterator", async () => {
        const r = await scanJson([tree({ "main.tf": GROUP("\n    iterator = rule", "rule") })]);
        expect(r.findings.find((x) => x.policy === "high-risk-ports")!.path).toBe("ingress[2]");
    });

    it("an unknown for_each leaves an unknown rule, named at the dynamic block with the reason", async () => {
        const text = GROUP("", "ingress").replace("var.rules", "data.external.r.result");
        const r = await scanJson([tree({ "main.tf": text })]);
        const u = r.findings.find((x) => x.policy === "unverifiable-rules")!;
        expect(u.location).toMatchObject({ file: "main.tf", line: 16 });
        expect(u.note).toMatch(/dynamic "ingress" block's for_each is unknown: data\.external\.r is read from the provider during the plan \(main\.tf:17\)/);
    });
});
