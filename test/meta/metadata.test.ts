/**
 * Policy metadata: each policy states its severity and its related compliance controls (an
 * explicit empty list when no control covers it), the controls are ones we can name
 * precisely, and the doc pages carry them.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { POLICIES } from "../../src/policies";
import { DOCS_DIR, renderAll } from "../../src/tools/docs";

const ROOT = path.resolve(__dirname, "../..");
const SEVERITIES = ["low", "medium", "high", "critical"];
const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** Frameworks whose control ids are stable; CIS numbering changes between versions, so CIS names one. */
const FRAMEWORKS: Record<string, RegExp> = {
    "AWS Security Hub": /^[A-Z][A-Za-z0-9]*\.\d+$/,
    "CIS AWS Foundations Benchmark v3.0.0": /^\d+(\.\d+)+$/,
};

describe("policy metadata", () => {
    for (const def of POLICIES) {
        describe(def.name, () => {
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
