/**
 * `--output sarif` validates against the official SARIF 2.1.0 schema
 * (test/fixtures/sarif/, from @microsoft/jest-sarif) and carries the rule metadata code
 * scanning shows: description, severity, controls, help with the docs link, levels, and
 * physical and logical locations.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { POLICIES } from "../../src/policies";
import { policyUrl } from "../../src/pack/meta";
import { fixture, ROOT, sarifValidator, scan } from "./helpers";

const validate = sarifValidator();

async function sarif(args: string[], opts = {}) {
    const r = await scan(args, { output: "sarif", ...opts });
    return { ...r, doc: JSON.parse(r.stdout) };
}

describe("SARIF 2.1.0 output", () => {
    it.each([
        ["a Terraform plan", [fixture("terraform/aws-insecure.plan.json")], {}],
        ["a stack export and a preview", [fixture("pulumi/aws-insecure.export.json"), fixture("pulumi/aws-insecure.preview.json")], {}],
        ["Azure, GCP and a state, with docs links", [fixture("terraform/azure-nsg.plan.json"), fixture("terraform/gcp-firewall.plan.json"), fixture("terraform/aws-web-tier.state.json")], { docsBaseUrl: "https://github.com/acme/portguard/blob/main" }],
        ["an unreadable input (tool notifications)", [fixture("terraform/gcp-firewall.plan.json"), path.join(ROOT, "no-such-plan.json")], {}],
        ["no findings (every policy disabled)", [fixture("terraform/gcp-firewall.plan.json")], { allDisabled: "yes" }],
    ])("validates against the official schema: %s", async (_, args, opts) => {
        const o = opts as Record<string, string>;
        const r = o.allDisabled ? await sarif(args, { config: writeAllDisabled() }) : await sarif(args, o);
        const ok = validate(r.doc);
        expect(validate.errors ?? []).toEqual([]);
        expect(ok).toBe(true);
    });

    it("a rule per policy: description, severity, controls, options, docs link, level from the run's config", async () => {
        const { doc } = await sarif([fixture("terraform/aws-insecure.plan.json")]);
        const rules = doc.runs[0].tool.driver.rules;
        expect(rules.map((r: any) => r.id)).toEqual(POLICIES.map((p) => p.name));
        const hr = rules.find((r: any) => r.id === "high-risk-ports");
        const def = POLICIES.find((p) => p.name === "high-risk-ports")!;
        expect(hr.shortDescription.text).toBe(def.description);
        expect(hr.defaultConfiguration.level).toBe("error");
        expect(hr.properties["security-severity"]).toBe("8.0");
        expect(hr.properties.controls).toEqual(def.controls);
        expect(hr.properties.controls.length).toBeGreaterThan(0);
        expect(hr.help.markdown).toContain(`[${policyUrl("high-risk-ports")}](${policyUrl("high-risk-ports")})`);
        expect(hr.help.text).toContain("minExposure");
        // By default, the same page the pack gives Pulumi Cloud (package.json homepage).
        expect(hr.helpUri).toBe(policyUrl("high-risk-ports"));
        expect(hr.helpUri).toMatch(/^https:\/\/.*\/policies\/high-risk-ports\.md$/);
        expect(rules.find((r: any) => r.id === "exposed-service-ports").defaultConfiguration.level).toBe("warning");
    });

    it("helpUri points at docs/policies/<name>.md under --docs-base-url", async () => {
        const { doc } = await sarif([fixture("terraform/gcp-firewall.plan.json")], { docsBaseUrl: "https://github.com/acme/portguard/blob/main/" });
        expect(doc.runs[0].tool.driver.rules[0].helpUri).toBe("https://github.com/acme/portguard/blob/main/docs/policies/high-risk-ports.md");
    });

    it("results: error for mandatory, warning for advisory; the file and the resource's line; address or URN plus property path", async () => {
        const plan = fixture("terraform/aws-insecure.plan.json");
        const { doc } = await sarif([plan]);
        const run = doc.runs[0];
        expect(run.results).toHaveLength(11);
        expect(run.results.filter((r: any) => r.level === "error")).toHaveLength(4);
        const smb = run.results.find((r: any) => r.ruleId === "high-risk-ports" && r.message.text.includes("445"));
        const loc = smb.locations[0];
        const lines = fs.readFileSync(plan, "utf8").split("\n");
        expect(lines[loc.physicalLocation.region.startLine - 1]).toContain('"address": "aws_security_group.file_servers"');
        expect(loc.logicalLocations[0]).toMatchObject({ fullyQualifiedName: "aws_security_group.file_servers.ingress[0]", kind: "property" });
        expect(run.logicalLocations[loc.logicalLocations[0].parentIndex]).toMatchObject({ fullyQualifiedName: "aws_security_group.file_servers", kind: "resource" });
        const rule = run.results.find((r: any) => r.ruleId === "exposed-service-ports" && r.message.text.includes("bastion_ssh"));
        expect(rule.locations[0].logicalLocations[0]).toMatchObject({ fullyQualifiedName: "aws_security_group_rule.bastion_ssh", kind: "resource" });
        expect(new Set(run.results.map((r: any) => r.partialFingerprints["portguardFinding/v1"])).size).toBe(11);
    });

    it("Pulumi results are located by URN", async () => {
        const { doc } = await sarif([fixture("pulumi/aws-insecure.export.json")]);
        const r = doc.runs[0].results.find((x: any) => x.ruleId === "unrestricted-ingress");
        expect(r.locations[0].logicalLocations[0].fullyQualifiedName).toBe("urn:pulumi:dev::portguard-aws-insecure::aws:ec2/securityGroup:SecurityGroup::wide-open-v6.ingress[0]");
        expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    });
});

function writeAllDisabled(): string {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pg-sarif-")), "cfg.json");
    fs.writeFileSync(f, JSON.stringify({ all: "disabled" }));
    return f;
}
