/** `count`: one instance per index, addressed `type.name[i]`, with count.index known in each. */
import { describe, expect, it } from "vitest";
import { flagged, scanJson, smbRuleCounted, tempRoot } from "./helpers";

const tree = tempRoot("count");

describe("count", () => {
    it("makes one instance per index, and count.index picks each instance's values", async () => {
        const dir = tree({
            "main.tf": `
variable "sources" {
  default = ["10.0.0.0/8", "0.0.0.0/0", "192.168.0.0/16"]
}
${smbRuleCounted("length(var.sources)", "[var.sources[count.index]]")}`,
        });
        const r = await scanJson([dir]);
        expect(r.doc.stacks[0].resources).toBe(3);
        expect(flagged(r.findings, "high-risk-ports")).toEqual(["high-risk-ports @ aws_security_group_rule.smb[1]"]);
        expect(r.findings.find((f) => f.policy === "high-risk-ports")!.location).toMatchObject({ file: "main.tf", line: 11 });
    });

    it("count = 0 (a feature switched off) makes no instance", async () => {
        const dir = tree({
            "main.tf": `
variable "enabled" { default = false }
${smbRuleCounted("var.enabled ? 1 : 0", '["0.0.0.0/0"]')}`,
        });
        const r = await scanJson([dir]);
        expect(r.doc.stacks[0].resources).toBe(0);
        expect(r.findings).toEqual([]);
    });

    it("an unknown count is judged once and named by unverifiable-rules at the resource", async () => {
        const dir = tree({
            "main.tf": `\n${smbRuleCounted("length(data.aws_subnets.all.ids)", '["0.0.0.0/0"]')}`,
        });
        const r = await scanJson([dir]);
        expect(flagged(r.findings)).toEqual(["high-risk-ports @ aws_security_group_rule.smb", "unverifiable-rules @ aws_security_group_rule.smb"]);
        const u = r.findings.find((f) => f.policy === "unverifiable-rules")!;
        expect(u.message).toMatch(/how many instances aws_security_group_rule\.smb has is unknown \(data\.aws_subnets\.all is read from the provider during the plan; main\.tf:3\)/);
        expect(u.location).toMatchObject({ file: "main.tf", line: 2 });
    });
});
