/**
 * The file:line of an HCL finding comes from the finding's data (the peers, unknown, refused or
 * ambiguous values it names, with their property paths), never from its message's wording: here
 * every message is reworded, and carries a decoy path in parentheses, and each finding still
 * points at the attribute that causes it.
 */
import * as path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { HCL_FIX, scanJson, tempRoot } from "./helpers";

vi.mock("../../../src/findings/render", async (importOriginal) => {
    const real = await importOriginal<typeof import("../../../src/findings/render")>();
    return {
        ...real,
        // new wording, no path of the data in it, and a decoy that names the rule's from_port
        renderMessage: (policy: string, f: { messageId: string; data: { rule?: { path?: string } } }) => {
            const at = f.data.rule?.path ? `${f.data.rule.path}.fromPort` : "fromPort";
            return `reworded ${policy}/${f.messageId} (${at})`;
        },
    };
});

const tree = tempRoot("locdata");
const APP = path.relative(process.cwd(), path.join(HCL_FIX, "app")).split(path.sep).join("/");

describe("an HCL finding's line does not depend on its message's wording", () => {
    it("the messages are reworded here (the mock is in force)", async () => {
        const r = await scanJson([APP]);
        expect(r.findings.map((f) => f.message.split(" (")[0]).sort()).toEqual([
            "reworded exposed-service-ports/open",
            "reworded exposed-service-ports/open",
            "reworded unverifiable-rules/conflict",
        ]);
    });

    it("the fixture tree's findings keep their attribute lines (cidr_ipv4 of rule resources, the dynamic block)", async () => {
        const r = await scanJson([APP]);
        const at = Object.fromEntries(r.findings.map((f) => [f.address, `${f.location!.file}:${f.location!.line}:${f.location!.column}`]));
        expect(at).toEqual({
            'aws_vpc_security_group_ingress_rule.svc["rdp"]': "main.tf:32:3",
            "module.db.aws_vpc_security_group_ingress_rule.mysql": "modules/db/main.tf:19:3",
            "aws_security_group.web": "main.tf:5:3",
        });
    });

    it("an inline rule's exposure points at its cidr_blocks line, not the from_port the message names", async () => {
        const dir = tree({
            "main.tf": `resource "aws_security_group" "g" {
  name = "g"
  ingress {
    from_port   = 445
    to_port     = 445
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
        });
        const r = await scanJson([dir]);
        const f = r.findings.find((x) => x.policy === "high-risk-ports")!;
        expect(f.location).toMatchObject({ file: "main.tf", line: 7, column: 5 });
    });

    it("an exposure through two attributes of one block points at the block (both cause it)", async () => {
        const dir = tree({
            "main.tf": `resource "aws_security_group" "g" {
  name = "g"
  ingress {
    from_port        = 445
    to_port          = 445
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}
`,
        });
        const r = await scanJson([dir]);
        const f = r.findings.find((x) => x.policy === "high-risk-ports")!;
        expect(f.location).toMatchObject({ file: "main.tf", line: 3, column: 3 });
    });

    it("an unknown value points at its own attribute, with the note of where it comes from", async () => {
        const dir = tree({
            "main.tf": `resource "aws_security_group" "g" {
  name = "g"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = data.aws_ip_ranges.x.cidr_blocks
  }
}
`,
        });
        const r = await scanJson([dir]);
        const u = r.findings.find((x) => x.policy === "unverifiable-rules")!;
        expect(u.location).toMatchObject({ file: "main.tf", line: 7 });
        expect(u.note).toBe("unknown: data.aws_ip_ranges.x is read from the provider during the plan (main.tf:7)");
    });

    it("a refused value points at its own attribute", async () => {
        const dir = tree({
            "main.tf": `resource "aws_security_group" "g" {
  name = "g"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/33"]
  }
}
`,
        });
        const r = await scanJson([dir]);
        const u = r.findings.find((x) => x.policy === "unverifiable-rules")!;
        expect(u.location).toMatchObject({ file: "main.tf", line: 7 });
    });
});
