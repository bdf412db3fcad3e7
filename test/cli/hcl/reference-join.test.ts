/**
 * References between resources join a rule to its group, as a plan's `configuration`
 * references do: `security_group_id = aws_security_group.x.id` (directly, through a local, or
 * through a module output) gives the rule's propertyDependencies the group's URN.
 */
import { describe, expect, it } from "vitest";
import { loadHclParser, readHclModule } from "../../../src/cli/formats/hcl";
import { flagged, scanJson, tempRoot } from "./helpers";

const tree = tempRoot("join");

const GROUP = `
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
const RULE = (ref: string) => `
resource "aws_security_group_rule" "extra" {
  type              = "ingress"
  from_port         = 8443
  to_port           = 8443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = ${ref}
}
`;

async function deps(files: Record<string, string>) {
    await loadHclParser();
    const dir = tree(files);
    const input = readHclModule(dir, "x");
    const rule = input.resources.find((r) => r.address?.endsWith("aws_security_group_rule.extra"))!;
    return rule.input.propertyDependencies;
}

describe("references join rules to their groups", () => {
    it("a direct reference: the rule depends on the group's URN", async () => {
        expect(await deps({ "main.tf": GROUP + RULE("aws_security_group.web.id") })).toEqual({
            securityGroupId: ["urn:pulumi:x::terraform::aws:ec2/securityGroup:SecurityGroup::aws_security_group.web"],
        });
    });

    it("through a local", async () => {
        expect(await deps({ "main.tf": `${GROUP}${RULE("local.sg")}\nlocals {\n  sg = aws_security_group.web.id\n}\n` })).toEqual({
            securityGroupId: ["urn:pulumi:x::terraform::aws:ec2/securityGroup:SecurityGroup::aws_security_group.web"],
        });
    });

    it("through a module output", async () => {
        const d = await deps({
            "main.tf": `module "net" {\n  source = "./net"\n}\n${RULE("module.net.sg_id")}`,
            "net/main.tf": `${GROUP}\noutput "sg_id" {\n  value = aws_security_group.web.id\n}\n`,
        });
        expect(d).toEqual({ securityGroupId: ["urn:pulumi:x::terraform::aws:ec2/securityGroup:SecurityGroup::module.net.aws_security_group.web"] });
    });

    it("a literal id joins nothing", async () => {
        expect(await deps({ "main.tf": GROUP + RULE('"sg-123"') })).toBeUndefined();
    });

    it("the joined stack: the group's inline rules and the separate rule are seen together", async () => {
        const r = await scanJson([tree({ "main.tf": GROUP + RULE("aws_security_group.web.id") })]);
        const mixed = r.findings.filter((f) => f.policy === "unverifiable-rules" && /declares inline rules and also has 1 rule/.test(f.message));
        expect(flagged(mixed)).toEqual(["unverifiable-rules @ aws_security_group.web"]);
    });
});
