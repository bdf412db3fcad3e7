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

    /** A security group whose one ingress block opens TCP `port` and then holds `attributes`, from line 7. */
    const group = (port: number, ...attributes: string[]) =>
        `resource "aws_security_group" "g" {\n  name = "g"\n  ingress {\n    from_port   = ${port}\n    to_port     = ${port}\n    protocol    = "tcp"\n${attributes.map((a) => `    ${a}\n`).join("")}  }\n}\n`;

    it.each([
        { name: "an inline rule's exposure points at its cidr_blocks line, not the from_port the message names", main: group(445, 'cidr_blocks = ["0.0.0.0/0"]'), policy: "high-risk-ports", at: { file: "main.tf", line: 7, column: 5 } },
        { name: "an exposure through two attributes of one block points at the block (both cause it)", main: group(445, 'cidr_blocks      = ["0.0.0.0/0"]', 'ipv6_cidr_blocks = ["::/0"]'), policy: "high-risk-ports", at: { file: "main.tf", line: 3, column: 3 } },
        {
            name: "an unknown value points at its own attribute, with the note of where it comes from",
            main: group(22, "cidr_blocks = data.aws_ip_ranges.x.cidr_blocks"),
            policy: "unverifiable-rules",
            at: { file: "main.tf", line: 7 },
            note: "unknown: data.aws_ip_ranges.x is read from the provider during the plan (main.tf:7)",
        },
        { name: "a refused value points at its own attribute", main: group(22, 'cidr_blocks = ["10.0.0.0/33"]'), policy: "unverifiable-rules", at: { file: "main.tf", line: 7 } },
    ])("$name", async ({ main, policy, at, note }: { main: string; policy: string; at: Record<string, unknown>; note?: string }) => {
        const r = await scanJson([tree({ "main.tf": main })]);
        const f = r.findings.find((x) => x.policy === policy)!;
        expect(f.location).toMatchObject(at);
        if (note !== undefined) expect(f.note).toBe(note);
    });
});
