/**
 * `portguard scan` applies the pack's configuration, levels and exemptions through the same
 * engine calls; adapts each resource once; survives malformed resources and large inputs;
 * and audits a whole directory of stacks.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDocument, resolvePolicySettings, scanInput, UNKNOWN_SENTINEL } from "../../src/cli";
import { fixture, load, scan } from "./helpers";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portguard-scan-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const writeJson = (name: string, v: unknown) => {
    const f = path.join(tmp, name);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, typeof v === "string" ? v : JSON.stringify(v));
    return f;
};
const PLAN = fixture("terraform/aws-insecure.plan.json");
const jsonOut = async (args: string[], config?: unknown) => {
    const opts = config === undefined ? {} : { config: writeJson(`cfg-${Math.random().toString(36).slice(2)}.json`, config) };
    const r = await scan(args, { ...opts, output: "json" });
    return { ...r, doc: r.stdout ? JSON.parse(r.stdout) : undefined };
};

describe("configuration, levels and exemptions (the --policy-pack-config shape)", () => {
    it("with no config, uses each policy's own level and exits 1 on the mandatory ones", async () => {
        const r = await jsonOut([PLAN]);
        expect(r.code).toBe(1);
        expect(r.doc.summary).toMatchObject({ findings: 11, mandatory: 4, advisory: 7 });
    });

    it("`all` sets every level: all advisory exits 0 with the same findings", async () => {
        const r = await jsonOut([PLAN], { all: "advisory" });
        expect(r.code).toBe(0);
        expect(r.doc.summary).toMatchObject({ findings: 11, mandatory: 0, advisory: 11 });
    });

    it("a policy's own entry wins over `all`; `disabled` skips the policy", async () => {
        const r = await jsonOut([PLAN], { all: "disabled", "unrestricted-ingress": "mandatory" });
        expect(r.code).toBe(1);
        expect(r.doc.findings.map((f: any) => `${f.level} ${f.policy} ${f.name}`)).toEqual(["mandatory unrestricted-ingress aws_security_group.wide_open_v6"]);
    });

    it("`remediate` is reported as mandatory, as the policy SDK reports it", async () => {
        const r = await jsonOut([PLAN], { "exposed-service-ports": "remediate", "high-risk-ports": "disabled", "unrestricted-ingress": "disabled" });
        expect(r.code).toBe(1);
        expect(new Set(r.doc.findings.filter((f: any) => f.policy === "exposed-service-ports").map((f: any) => f.level))).toEqual(new Set(["mandatory"]));
    });

    it("options replace the defaults (here the TCP list of high-risk-ports)", async () => {
        const r = await jsonOut([PLAN], { "high-risk-ports": { tcpPorts: [42] } });
        const hr = r.doc.findings.filter((f: any) => f.policy === "high-risk-ports").map((f: any) => f.name);
        expect(hr).toEqual(["aws_security_group.wide_open_v6"]);
    });

    it("exemptions match Terraform addresses with the pack's globs, and need a reason", async () => {
        const r = await jsonOut([PLAN], { "high-risk-ports": { exemptions: [{ resource: "module.legacy.*", reason: "decommissioned in Q3" }] } });
        expect(r.doc.findings.filter((f: any) => f.policy === "high-risk-ports").map((f: any) => f.name)).toEqual(["aws_security_group.file_servers", "aws_security_group.wide_open_v6"]);
        const bad = await jsonOut([PLAN], { "high-risk-ports": { exemptions: [{ resource: "module.legacy.*" }] } });
        expect(bad.code).toBe(2);
        expect(bad.stderr.trim().split("\n")).toHaveLength(1);
        expect(bad.stderr).toMatch(/^portguard: high-risk-ports\.exemptions\[0\]/);
    });

    it("a portguard:exempt tag without a reason is not honoured and the finding says why", async () => {
        const r = await jsonOut([fixture("terraform/azure-nsg.plan.json")]);
        const f = r.doc.findings.find((x: any) => x.name === "azurerm_network_security_group.app");
        expect(f.policy).toBe("exposed-service-ports");
        expect(f.message).toMatch(/Note: .*reason/i);
        expect(f.sourcePath).toBe("security_rule[0]");
    });

    it("an expired exemption lapses (the run's clock is the engine's `now`)", async () => {
        const cfg = writeJson("expired.json", { "high-risk-ports": { exemptions: [{ resource: "**", reason: "migration", expires: "2026-01-31" }] } });
        const r = await scan([PLAN], { config: cfg, output: "json", now: new Date("2026-03-01T00:00:00Z") });
        const hr = JSON.parse(r.stdout).findings.filter((f: any) => f.policy === "high-risk-ports");
        expect(hr).toHaveLength(3);
        expect(hr[0].message).toMatch(/expired/);
    });
});

describe("one adaptation per resource, large inputs", () => {
    function sgExport(n: number, props: (i: number) => Record<string, unknown>) {
        const resources: unknown[] = [{ urn: "urn:pulumi:prod::big::pulumi:pulumi:Stack::big-prod", custom: false, type: "pulumi:pulumi:Stack" }];
        for (let i = 0; i < n; i++) {
            resources.push({ urn: `urn:pulumi:prod::big::aws:ec2/securityGroup:SecurityGroup::sg-${i}`, custom: true, id: `sg-${i.toString(16).padStart(17, "0")}`, type: "aws:ec2/securityGroup:SecurityGroup", inputs: props(i), parent: "urn:pulumi:prod::big::pulumi:pulumi:Stack::big-prod", propertyDependencies: {} });
        }
        return { version: 3, deployment: { manifest: { time: "2026-03-02T10:17:31Z", magic: "x", version: "v3.200.0" }, resources } };
    }

    it("adapts each resource once for all five policies and both phases", () => {
        const input = readDocument(sgExport(200, (i) => ({ ingress: [{ protocol: "tcp", fromPort: i % 2 ? 445 : 443, toPort: i % 2 ? 445 : 443, cidrBlocks: ["0.0.0.0/0"] }] })), "big.json");
        let reads = 0;
        for (const r of input.resources) {
            const target = r.input.props as Record<string, unknown>;
            r.input.props = new Proxy(target, {
                get(t, k) {
                    if (k === "ingress") reads++;
                    return Reflect.get(t, k);
                },
            });
        }
        const result = scanInput(input, resolvePolicySettings(undefined).settings);
        expect(result.findings.filter((f) => f.policy === "high-risk-ports")).toHaveLength(100);
        expect(reads).toBe(200);
    });

    it("scans a 100,000-resource stack export in one pass, with no progress line when stderr is not a terminal", async () => {
        const file = writeJson(
            "big-export.json",
            sgExport(100_000, (i) => ({ description: "web", ingress: [{ protocol: "tcp", fromPort: i % 1000 === 0 ? 3389 : 443, toPort: i % 1000 === 0 ? 3389 : 443, cidrBlocks: ["0.0.0.0/0"] }] })),
        );
        const t0 = Date.now();
        const r = await scan([file], { output: "json" });
        const elapsed = Date.now() - t0;
        const doc = JSON.parse(r.stdout);
        expect(doc.summary).toMatchObject({ resources: 100_001, judged: 100_000, findings: 100, advisory: 100, mandatory: 0 });
        expect(r.code).toBe(0);
        expect(r.stderr).toBe("");
        expect(elapsed).toBeLessThan(150_000);
    }, 240_000);

    it("holds nothing of a scanned input once its findings are made (no model or joined firewall outlives scanInput)", async () => {
        const v8 = await import("node:v8");
        const vm = await import("node:vm");
        v8.setFlagsFromString("--expose-gc");
        const gc = vm.runInNewContext("gc") as () => void;
        const judged: Array<WeakRef<object>> = [];
        const settings = resolvePolicySettings(undefined).settings.map((s) => ({
            ...s,
            def: {
                ...s.def,
                check: (fw: object, config: unknown, ctx: unknown) => {
                    judged.push(new WeakRef(fw));
                    return s.def.check(fw as never, config, ctx as never);
                },
            },
        }));
        const counted = (() => {
            const result = scanInput(load("terraform/aws-insecure.plan.json"), settings);
            expect(result.findings.length).toBeGreaterThan(0);
            return judged.length;
        })();
        expect(counted).toBeGreaterThan(0);
        // WeakRef targets are kept until the job that made them ends; collect over a few turns.
        for (let i = 0; i < 3; i++) {
            await new Promise((r) => setImmediate(r));
            gc();
        }
        expect(judged.filter((w) => w.deref() !== undefined)).toHaveLength(0);
    });

    it("draws progress on stderr only when stderr is a terminal", async () => {
        const file = writeJson("mid-export.json", sgExport(3000, () => ({ ingress: [] })));
        let stderr = "";
        const { runScan } = await import("../../src/cli");
        await runScan([file], { output: "json" }, { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s), isTTY: true }, env: {} });
        expect(stderr).toMatch(/\d+\/3001 resources/);
        expect(stderr.endsWith("\r\x1b[K")).toBe(true);
    });
});

describe("malformed resources inside a readable file", () => {
    it("are reported by unverifiable-rules with their property paths, never a crash or a silent pass", async () => {
        const plan = JSON.parse(fs.readFileSync(PLAN, "utf8"));
        const rc = plan.resource_changes.find((r: any) => r.address === "aws_security_group.file_servers");
        rc.change.after.ingress[0].from_port = 70000;
        rc.change.after.ingress[1].cidr_blocks = ["10.0.0.0/33"];
        const r = await jsonOut([writeJson("malformed.plan.json", plan)]);
        expect(r.code).toBe(1);
        const fs_ = r.doc.findings.filter((f: any) => f.name === "aws_security_group.file_servers");
        expect(fs_.map((f: any) => f.policy)).toEqual(["unverifiable-rules", "unverifiable-rules"]);
        expect(fs_.map((f: any) => f.message).join("\n")).toMatch(/70000/);
        expect(fs_.map((f: any) => f.message).join("\n")).toMatch(/10\.0\.0\.0\/33/);
        expect(r.doc.summary.findings).toBe(11); // the rest is judged as before
    });

    it("a resource whose values are not an object makes the file unreadable: exit 2, one line naming it", async () => {
        const plan = JSON.parse(fs.readFileSync(PLAN, "utf8"));
        plan.resource_changes.find((r: any) => r.address === "aws_security_group.wide_open_v6").change.after = "not an object";
        const r1 = await jsonOut([writeJson("after-broken.plan.json", plan)]);
        expect(r1.code).toBe(1); // planned_values still hold the resource
        plan.planned_values.root_module.resources.find((r: any) => r.address === "aws_security_group.wide_open_v6").values = 42;
        const r2 = await scan([writeJson("values-broken.plan.json", plan)]);
        expect(r2.code).toBe(2);
        expect(r2.stderr).toMatch(/^portguard: .*values-broken\.plan\.json: aws_security_group\.wide_open_v6 has values that are not an object[^\n]*\n$/);
    });

    it("unknowns during a plan are reported once, not as the SDK's blanket preview message", async () => {
        const r = await jsonOut([fixture("terraform/aws-web-tier.plan.json")]);
        const u = r.doc.findings.filter((f: any) => f.policy === "unverifiable-rules").map((f: any) => f.name);
        // (the partner rule's sensitive CIDR is known to Terraform: judged, a documentation range, nothing to report)
        expect(u).toEqual(["aws_security_group_rule.nat_rdp", "aws_security_group.api"]);
        expect(r.stdout).not.toContain(UNKNOWN_SENTINEL);
    });
});

describe("the organization audit: a directory of stacks", () => {
    const org = path.join(tmp, "org");
    fs.mkdirSync(path.join(org, "team-a", ".terraform"), { recursive: true });
    fs.mkdirSync(path.join(org, "team-b", "node_modules", "x"), { recursive: true });
    fs.copyFileSync(fixture("pulumi/aws-insecure.export.json"), path.join(org, "team-a", "prod.export.json"));
    fs.copyFileSync(fixture("terraform/gcp-firewall.plan.json"), path.join(org, "team-b", "plan.json"));
    fs.copyFileSync(fixture("terraform/aws-web-tier.state.json"), path.join(org, "team-b", "state.json"));
    fs.writeFileSync(path.join(org, "team-b", "package.json"), JSON.stringify({ name: "x", version: "1.0.0" }));
    fs.writeFileSync(path.join(org, "team-b", "tsconfig.json"), "{ // comments are fine here\n}");
    fs.copyFileSync(fixture("terraform/gcp-firewall.plan.json"), path.join(org, "team-a", ".terraform", "ignored.json"));
    fs.copyFileSync(fixture("terraform/gcp-firewall.plan.json"), path.join(org, "team-b", "node_modules", "x", "ignored.json"));

    it("scans every export, plan and state in it, passes over other JSON, and groups the summary by stack and policy", async () => {
        const r = await scan([org]);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe("");
        expect(r.stdout.match(/^portguard scan: /gm)).toHaveLength(3);
        expect(r.stdout).toMatch(/^summary: 3 inputs, /m);
        const byStack = r.stdout.slice(r.stdout.indexOf("by stack:"), r.stdout.indexOf("by policy:"));
        expect(byStack).toMatch(/portguard-aws-insecure\/dev \(.*prod\.export\.json\):\n\s+high-risk-ports\s+3 mandatory/);
        expect(byStack).toMatch(/gcp-firewall|team-b[\\/]plan\.json/);
        expect(r.stdout.slice(r.stdout.indexOf("by policy:"))).toMatch(/high-risk-ports\s+6 mandatory in 3 stacks/);
        expect(r.stdout).not.toMatch(/ignored\.json/);
    });

    it("the JSON output lists one entry per stack", async () => {
        const r = await jsonOut([org]);
        expect(r.doc.stacks.map((s: any) => `${s.format} ${path.basename(s.source)}`)).toEqual(["pulumi-export prod.export.json", "terraform-plan plan.json", "terraform-state state.json"]);
    });

    it("a truncated export in the directory makes the audit incomplete: exit 2, one line, the rest still scanned", async () => {
        const dir = path.join(tmp, "org-broken");
        fs.mkdirSync(dir);
        fs.copyFileSync(fixture("terraform/gcp-firewall.plan.json"), path.join(dir, "plan.json"));
        const text = fs.readFileSync(fixture("pulumi/aws-insecure.export.json"), "utf8");
        fs.writeFileSync(path.join(dir, "broken.export.json"), text.slice(0, text.length / 2));
        const r = await jsonOut([dir]);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^portguard: .*broken\.export\.json: not valid JSON \(truncated\?\)/)]);
        expect(r.doc.stacks).toHaveLength(1);
        expect(r.doc.errors).toHaveLength(1);
    });

    it("a directory with nothing to scan is an error, not a pass", async () => {
        const empty = path.join(tmp, "empty");
        fs.mkdirSync(empty);
        fs.writeFileSync(path.join(empty, "package.json"), "{}");
        const r = await scan([empty]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^portguard: .*empty: no stack exports, previews or plans found\n$/);
    });
});
