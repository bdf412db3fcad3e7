/** `for_each`: one instance per key, addressed `type.name["key"]`, with each.key and each.value. */
import { describe, expect, it } from "vitest";
import { flagged, scanJson, tempRoot } from "./helpers";

const tree = tempRoot("foreach");

describe("for_each", () => {
    it("over a map: one instance per key, each.value read per instance", async () => {
        const dir = tree({
            "main.tf": `
locals {
  rules = {
    smb   = { port = 445, cidr = "0.0.0.0/0" }
    https = { port = 443, cidr = "0.0.0.0/0" }
    ssh   = { port = 22, cidr = "10.0.0.0/8" }
  }
}
resource "aws_vpc_security_group_ingress_rule" "r" {
  for_each          = local.rules
  security_group_id = "sg-1"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr
  description       = each.key
}
`,
        });
        const r = await scanJson([dir]);
        expect(r.doc.stacks[0].resources).toBe(3);
        expect(flagged(r.findings)).toEqual(['high-risk-ports @ aws_vpc_security_group_ingress_rule.r["smb"]']);
    });

    it("over a set of strings: each.key is each.value, in Terraform's (sorted) order", async () => {
        const dir = tree({
            "main.tf": `
resource "aws_vpc_security_group_ingress_rule" "r" {
  for_each          = toset(["0.0.0.0/0", "10.0.0.0/8"])
  security_group_id = "sg-1"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = each.key
}
`,
        });
        const r = await scanJson([dir], { output: "json" });
        expect(flagged(r.findings)).toEqual(['high-risk-ports @ aws_vpc_security_group_ingress_rule.r["0.0.0.0/0"]']);
    });

    it("a plain list is refused as Terraform refuses it (not guessed to be a set): named, with the reason", async () => {
        const dir = tree({
            "main.tf": `
resource "aws_vpc_security_group_ingress_rule" "r" {
  for_each          = ["0.0.0.0/0"]
  security_group_id = "sg-1"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = each.key
}
`,
        });
        const r = await scanJson([dir]);
        const msgs = r.findings.filter((f) => f.policy === "unverifiable-rules").map((f) => f.message);
        expect(msgs.some((m) => /not a list \(wrap it in toset\(\)\)/.test(m))).toBe(true);
    });

    it("an unknown for_each is judged once and named with its file:line", async () => {
        const dir = tree({
            "main.tf": `
resource "aws_vpc_security_group_ingress_rule" "r" {
  for_each          = data.external.rules.result
  security_group_id = "sg-1"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = each.value
}
`,
        });
        const r = await scanJson([dir]);
        const msgs = r.findings.filter((f) => f.policy === "unverifiable-rules").map((f) => f.message);
        expect(msgs.some((m) => /how many instances aws_vpc_security_group_ingress_rule\.r has is unknown .*main\.tf:3/.test(m))).toBe(true);
        expect(flagged(r.findings, "high-risk-ports")).toEqual([]);
    });
});
