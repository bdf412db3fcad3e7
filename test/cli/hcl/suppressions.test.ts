/**
 * Inline suppressions: `# portguard:ignore <policy>[,<policy>] reason="..." [expires=YYYY-MM-DD]`
 * on or above a resource, block or attribute exempts it from those policies; without a reason
 * it exempts nothing (and says so); after the expiry the finding returns and says it expired.
 */
import { describe, expect, it } from "vitest";
import { parseSuppression } from "../../../src/cli/formats/hcl";
import { flagged, scanJson, tempRoot } from "./helpers";

const tree = tempRoot("suppress");
const NOW = new Date("2026-06-15T12:00:00Z");

const group = (comment: string, where: "resource" | "block" | "attribute" | "same-line" = "resource") => `
${where === "resource" ? comment : ""}
resource "aws_security_group" "g" {${where === "same-line" ? ` ${comment}` : ""}
  name = "g"
  ${where === "block" ? comment : ""}
  ingress {
    from_port   = 445
    to_port     = 445
    protocol    = "tcp"
    ${where === "attribute" ? comment : ""}
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

async function run(text: string) {
    const r = await scanJson([tree({ "main.tf": text })], { now: NOW });
    return { ...r, policies: flagged(r.findings).map((x) => x.split(" @ ")[0]) };
}

describe("inline suppressions", () => {
    it.each(["resource", "block", "attribute", "same-line"] as const)("on or above the %s: exempts the finding, recorded with its reason", async (where) => {
        const r = await run(group('# portguard:ignore high-risk-ports reason="legacy SMB share, tracked in SEC-12"', where));
        expect(r.policies).not.toContain("high-risk-ports");
        expect(r.code).toBe(0);
        expect(r.doc.stacks[0].suppressed).toEqual([
            expect.objectContaining({ policy: "high-risk-ports", address: "aws_security_group.g", reason: "legacy SMB share, tracked in SEC-12" }),
        ]);
    });

    it("only the policies named: the other findings on the resource stay", async () => {
        const r = await run(group('# portguard:ignore high-risk-ports reason="x"'));
        expect(r.policies).toContain("exposed-service-ports");
    });

    it("several policies, comma-separated, and // comments", async () => {
        const r = await run(group('// portguard:ignore high-risk-ports,exposed-service-ports reason="lab account"'));
        expect(r.policies).toEqual([]);
    });

    it("a suppression on one block does not exempt the resource's other blocks", async () => {
        const r = await run(group('# portguard:ignore exposed-service-ports reason="x"', "block"));
        expect(r.findings.filter((f) => f.policy === "exposed-service-ports").map((f) => f.path)).toEqual(["ingress[1]"]);
    });

    it("no reason: nothing is exempted, and the message says so", async () => {
        const r = await run(group("# portguard:ignore high-risk-ports"));
        const f = r.findings.find((x) => x.policy === "high-risk-ports")!;
        expect(f.message).toMatch(/the portguard:ignore at .*main\.tf:2 gives no reason="\.\.\.", so it exempts nothing/);
        expect(r.code).toBe(1);
    });

    it("expired: the finding returns and says the suppression expired", async () => {
        const r = await run(group('# portguard:ignore high-risk-ports reason="until the migration" expires=2026-06-14'));
        const f = r.findings.find((x) => x.policy === "high-risk-ports")!;
        expect(f.message).toMatch(/the portguard:ignore at .*main\.tf:2 expired on 2026-06-14/);
        expect(r.code).toBe(1);
    });

    it("holds through its expiry day", async () => {
        const r = await run(group('# portguard:ignore high-risk-ports reason="until the migration" expires=2026-06-15'));
        expect(r.policies).not.toContain("high-risk-ports");
    });

    it("an unreadable expiry date exempts nothing", async () => {
        const r = await run(group('# portguard:ignore high-risk-ports reason="x" expires=soon'));
        expect(r.policies).toContain("high-risk-ports");
    });

    it("a comment that is not right above the block (a blank line between) does not apply", async () => {
        const r = await run(group('# portguard:ignore high-risk-ports reason="x"\n'));
        expect(r.policies).toContain("high-risk-ports");
    });

    it.each([
        ['# portguard:ignore a,b reason="r" expires=2030-01-01', { policies: ["a", "b"], reason: "r", expires: "2030-01-01" }],
        ["# portguard:ignore a", { policies: ["a"] }],
        ['/* portguard:ignore a reason="x y" */', { policies: ["a"], reason: "x y" }],
        ["# a normal comment", undefined],
    ])("parses %s", (text, want) => {
        const s = parseSuppression(text, { file: "f.tf", line: 1, column: 1 });
        expect(s === undefined ? undefined : { policies: s.policies, ...(s.reason ? { reason: s.reason } : {}), ...(s.expires ? { expires: s.expires } : {}) }).toEqual(want);
    });
});
