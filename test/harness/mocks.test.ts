/**
 * The program runner of `portguard check` (src/cli/check/capture.ts, through the
 * scripts/lib/mocks.js wrapper): an example program run under Pulumi's mocks in preview mode,
 * in its own Node process (the Pulumi runtime is global state).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const TIMEOUT = 120_000;

interface Captured {
    type: string;
    name: string;
    urn: string;
    inputs: Record<string, unknown>;
    propertyDependencies: Record<string, string[]>;
}

function captureInChild(programDir: string): { resources: Captured[] } {
    const script = `require(${JSON.stringify(path.join(ROOT, "scripts/lib/mocks.js"))})
        .capture(${JSON.stringify(programDir)})
        .then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e.message); process.exit(2); });`;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: TIMEOUT - 5_000 });
    if (r.status !== 0) throw new Error(`capture failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout);
}

describe("capture(examples/aws-insecure)", () => {
    let resources: Captured[];
    const byName = (name: string) => {
        const r = resources.find((x) => x.name === name);
        if (!r) throw new Error(`no resource named ${name}`);
        return r;
    };

    beforeAll(() => {
        resources = captureInChild(path.join(ROOT, "examples/aws-insecure")).resources;
    }, TIMEOUT);

    it("records every resource the program declares, with engine-style URNs", () => {
        expect(resources.map((r) => r.name).sort()).toEqual(
            ["bastion", "bastion-ssh", "database", "database-mysql", "demo", "file-servers", "legacy-acl", "legacy-netbios", "legacy-return", "web-acl", "wide-open-v6"].sort(),
        );
        expect(byName("file-servers").urn).toBe("urn:pulumi:dev::portguard-aws-insecure::aws:ec2/securityGroup:SecurityGroup::file-servers");
    });

    it("keeps known inputs as plain JSON", () => {
        expect(byName("file-servers").inputs.ingress).toEqual([
            { protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["0.0.0.0/0"], description: "SMB" },
            { protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/0"], description: "RDP" },
        ]);
    });

    it("encodes ids not known during preview as the engine's unknown sentinel", () => {
        expect(byName("bastion-ssh").inputs.securityGroupId).toBe(UNKNOWN);
        expect(byName("legacy-netbios").inputs.networkAclId).toBe(UNKNOWN);
    });

    it("records propertyDependencies from each input property to the resources whose outputs feed it", () => {
        expect(byName("bastion-ssh").propertyDependencies).toEqual({ securityGroupId: [byName("bastion").urn] });
        expect(byName("database-mysql").propertyDependencies).toEqual({ securityGroupId: [byName("database").urn] });
        expect(byName("legacy-netbios").propertyDependencies).toEqual({ networkAclId: [byName("legacy-acl").urn] });
        expect(byName("file-servers").propertyDependencies).toEqual({ vpcId: [byName("demo").urn] });
    });

    it("lists a resource only after the resources its inputs depend on", () => {
        const index = (name: string) => resources.findIndex((r) => r.name === name);
        expect(index("bastion")).toBeLessThan(index("bastion-ssh"));
        expect(index("legacy-acl")).toBeLessThan(index("legacy-netbios"));
        expect(index("demo")).toBeLessThan(index("file-servers"));
    });
});

describe("capture errors", () => {
    it("refuses a directory without Pulumi.yaml with a clear message", () => {
        expect(() => captureInChild(path.join(ROOT, "test"))).toThrow(/no Pulumi\.yaml/);
    }, TIMEOUT);
});
