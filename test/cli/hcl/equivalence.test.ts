/**
 * HCL/plan equivalence: a configuration read without a plan gives the same findings (policy,
 * resource address, message) as the plan of that configuration. Held over the HCL twins of the
 * plan fixtures (test/fixtures/hcl/twins/<name> for test/fixtures/cli/terraform/<name>.plan.json)
 * and over a generated corpus (bench/lib/tfplan.js plans and their .tf files, bench/lib/tfhcl.js).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { HCL_FIX, ROOT, scanJson, tempRoot } from "./helpers";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const g = require("../../../bench/lib/generate");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { plan } = require("../../../bench/lib/tfplan");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeTree } = require("../../../bench/lib/tfhcl");

const tree = tempRoot("equiv");

async function findings(input: string): Promise<string[]> {
    const r = await scanJson([input]);
    return r.findings.map((f) => `${f.policy} @ ${f.address}: ${f.message}`).sort();
}

const TWINS = fs.readdirSync(path.join(HCL_FIX, "twins")).sort();

describe("HCL and plan give the same findings", () => {
    it("there are twins to compare", () => {
        expect(TWINS).toEqual(expect.arrayContaining(["aws-insecure", "azure-nsg", "gcp-firewall"]));
    });

    it.each(TWINS)("the twin of %s.plan.json", async (name) => {
        const fromPlan = await findings(path.join(ROOT, "test", "fixtures", "cli", "terraform", `${name}.plan.json`));
        const fromHcl = await findings(path.join(HCL_FIX, "twins", name));
        expect(fromPlan.length).toBeGreaterThan(0);
        expect(fromHcl).toEqual(fromPlan);
    });

    it.each([3, 17, 42])("a generated corpus (seed %i, 250 resources: groups, separate rules joined by reference, ACLs)", async (seed) => {
        const doc = plan(g.prng(seed), 250);
        const dir = tree({ "plan.json": JSON.stringify(doc) });
        writeTree(doc, path.join(dir, "tf"), 100);
        const fromPlan = await findings(path.join(dir, "plan.json"));
        const fromHcl = await findings(path.join(dir, "tf"));
        expect(fromPlan.length).toBeGreaterThan(10);
        expect(fromHcl).toEqual(fromPlan);
    }, 60_000);
});
