/**
 * Policy metadata: each policy states its severity and its related compliance controls (an
 * explicit empty list when no control covers it), the controls are ones we can name
 * precisely, and the doc pages carry them.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { POLICIES } from "../../src/policies";
import { portguardPolicies } from "../../src/lib";
import { DOCS_DIR, renderAll } from "../../src/tools/docs";
import { packMetadata, policyUrl, PACK_PROVIDER } from "../../src/pack/meta";

const ROOT = path.resolve(__dirname, "../..");
const SEVERITIES = ["low", "medium", "high", "critical"];
const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** Frameworks whose control ids are stable; CIS numbering changes between versions, so CIS names one. */
const FRAMEWORKS: Record<string, RegExp> = {
    "AWS Security Hub": /^[A-Z][A-Za-z0-9]*\.\d+$/,
    "CIS AWS Foundations Benchmark v3.0.0": /^\d+(\.\d+)+$/,
};

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
const pulumiPolicies = portguardPolicies();

describe("policy metadata", () => {
    for (const def of POLICIES) {
        describe(def.name, () => {
            const pol = pulumiPolicies.find((p) => p.name === def.name)!;

            it("gives Pulumi Cloud a display name, severity, tags, remediation steps and its doc page's URL under package.json's homepage", () => {
                expect(pol.displayName?.trim().length).toBeGreaterThan(3);
                expect(pol.displayName).not.toBe(def.name);
                expect(SEVERITIES).toContain(pol.severity);
                expect(pol.tags?.length).toBeGreaterThan(0);
                for (const t of pol.tags!) expect(t).toMatch(/^[a-z][a-z0-9-]*$/);
                // A few sentences of what to do.
                expect(pol.remediationSteps?.length).toBeGreaterThan(80);
                expect(pol.url).toBe(`${pkg.homepage.replace(/\/+$/, "")}/policies/${def.name}.md`);
                expect(pol.url).toMatch(/^https:\/\//);
            });

            it("keeps its description to one short sentence (the SDK prints it before every violation)", () => {
                const d = def.description;
                expect(d.length).toBeLessThanOrEqual(120);
                expect(d).toMatch(/\.$/);
                expect(d.replace(/\.\.\./g, "").replace(/\.$/, "")).not.toMatch(/[.!?](\s|$)/);
                expect(d).not.toMatch(/\n/);
            });

            it("names its primary control as Pulumi's framework {name, version, reference, specification}, when it has controls", () => {
                const primaries = (def.controls ?? []).filter((c) => c.primary);
                if ((def.controls ?? []).length === 0) {
                    expect(pol.framework).toBeUndefined();
                    return;
                }
                expect(primaries).toHaveLength(1);
                const fw = pol.framework!;
                expect(fw.name).toMatch(/CIS AWS Foundations Benchmark|AWS Security Hub/);
                expect(fw.version).toMatch(/^\d+\.\d+\.\d+$/);
                expect(fw.reference).toBe(primaries[0].id);
                expect(fw.specification).toBe(primaries[0].title);
            });

            it("has a severity and a default enforcement level", () => {
                expect(SEVERITIES).toContain(def.severity);
                expect(LEVELS).toContain(def.enforcementLevel);
            });

            it("lists its related controls (explicitly empty when none applies), each from a known framework with an id and a title", () => {
                expect(Array.isArray(def.controls), `${def.name}: set controls, [] when no control covers it`).toBe(true);
                const seen = new Set<string>();
                for (const c of def.controls!) {
                    expect(Object.keys(FRAMEWORKS), `${def.name}: unknown framework ${c.framework}`).toContain(c.framework);
                    expect(c.id).toMatch(FRAMEWORKS[c.framework]);
                    expect(c.title.trim().length).toBeGreaterThan(10);
                    const key = `${c.framework} ${c.id}`;
                    expect(seen.has(key), `${def.name}: ${key} listed twice`).toBe(false);
                    seen.add(key);
                }
            });

            it("its doc page names every control with its title", () => {
                const page = renderAll(ROOT).get(path.join(DOCS_DIR, `${def.name}.md`))!;
                for (const c of def.controls ?? []) expect(page).toContain(`**${c.framework} ${c.id}**: ${c.title}`);
                if ((def.controls ?? []).length === 0) expect(page).toContain("| Related controls | none |");
            });
        });
    }

    it("maps the controls the brief names to the policies that judge them", () => {
        const ids = (name: string) => (POLICIES.find((p) => p.name === name)!.controls ?? []).map((c) => c.id);
        // Remote administration ports (22, 3389) from the internet: exposed-service-ports.
        for (const id of ["5.1", "5.2", "5.3", "EC2.13", "EC2.14", "EC2.21"]) expect(ids("exposed-service-ports")).toContain(id);
        // The Security Hub "ports with high risk" list holds both seed high-risk ports (135, 445, 1434) and admin ports.
        expect(ids("high-risk-ports")).toContain("EC2.19");
        expect(ids("exposed-service-ports")).toContain("EC2.19");
        // Unrestricted access beyond authorised ports.
        expect(ids("unrestricted-ingress")).toContain("EC2.18");
        // Default security groups are not what unrestricted-ingress judges.
        expect(ids("unrestricted-ingress")).not.toContain("EC2.2");
    });
});

describe("pack metadata", () => {
    const meta = packMetadata(POLICIES);

    it("comes from package.json: description, repository, tags from keywords", () => {
        expect(meta.description).toBe(pkg.description);
        expect(meta.repository).toBe("https://github.com/portguard/portguard");
        expect(pkg.repository.url).toContain("github.com/portguard/portguard");
        expect(meta.tags.length).toBeGreaterThan(3);
        for (const t of meta.tags) expect(pkg.keywords).toContain(t);
        expect(meta.provider).toBe(PACK_PROVIDER);
        expect(meta.displayName.length).toBeGreaterThan(3);
    });

    it("its description is one sentence, and PulumiPolicy.yaml says the same", () => {
        expect(meta.description.replace(/\.$/, "")).not.toMatch(/[.!?](\s|$)/);
        const yaml = readFileSync(path.join(ROOT, "PulumiPolicy.yaml"), "utf8");
        expect(/^description:\s*(.*)$/m.exec(yaml)?.[1]).toBe(meta.description);
    });

    it("its readme names every policy with its display name, level and doc page", () => {
        for (const d of POLICIES) {
            expect(meta.readme).toContain(d.displayName);
            expect(meta.readme).toContain(`\`${d.name}\``);
            expect(meta.readme).toContain(policyUrl(d.name));
        }
        expect(meta.readme).toContain(pkg.homepage);
    });
});
