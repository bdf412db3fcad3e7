/**
 * Through `portguard scan` (in-process, a stack export as `pulumi stack export` writes it):
 * rules the cloud refuses never shadow, and omitted sources mean what the cloud says, for
 * AWS, Azure, GCP and DigitalOcean.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../cli/helpers";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portguard-refused-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const STACK = "urn:pulumi:dev::refused";
const urn = (type: string, name: string) => `${STACK}::${type}::${name}`;

/** A stack export holding `resources` ([type, name, inputs]), inputs doubling as outputs. */
function exportFile(file: string, resources: Array<[string, string, Record<string, unknown>]>): string {
    const doc = {
        version: 3,
        deployment: {
            manifest: { time: "2026-03-02T10:17:31Z", magic: "", version: "v3.200.0" },
            resources: [
                { urn: `${STACK}::pulumi:pulumi:Stack::refused-dev`, custom: false, type: "pulumi:pulumi:Stack" },
                ...resources.map(([type, name, inputs]) => ({ urn: urn(type, name), custom: true, id: `${name}-id`, type, inputs, outputs: { id: `${name}-id`, ...inputs } })),
            ],
        },
    };
    const f = path.join(tmp, file);
    fs.writeFileSync(f, JSON.stringify(doc));
    return f;
}

async function findings(file: string) {
    const r = await scan([file], { output: "json" });
    const doc = JSON.parse(r.stdout);
    return { code: r.code, list: doc.findings.map((f: any) => ({ policy: f.policy, name: f.name, message: f.message as string })) as Array<{ policy: string; name: string; message: string }> };
}

describe("portguard scan: a rule the cloud refuses never lowers a verdict", () => {
    it("an AWS network ACL whose deny of 445 shares its rule number with the allow: exit 1, high-risk-ports on the ACL, both entries named", async () => {
        const entry = (ruleNo: number, action: string) => ({ ruleNo, action, protocol: "tcp", fromPort: 445, toPort: 445, cidrBlock: "0.0.0.0/0" });
        const f = exportFile("aws-dup.json", [["aws:ec2/networkAcl:NetworkAcl", "nacl", { vpcId: "vpc-1", ingress: [entry(100, "deny"), entry(100, "allow")], egress: [{ ...entry(100, "allow"), fromPort: 1024, toPort: 65535 }] }]]);
        const r = await findings(f);
        expect(r.code).toBe(1);
        expect(r.list.filter((x) => x.policy === "high-risk-ports").map((x) => x.name)).toEqual(["nacl"]);
        const u = r.list.filter((x) => x.policy === "unverifiable-rules");
        expect(u.map((x) => x.message).join("\n")).toContain("same ingress rule number or priority (100)");
    });

    it("an Azure NSG whose Deny of 445 has the Allow's priority and direction: exit 1", async () => {
        const rule = (access: string) => ({ name: access, priority: 200, access, direction: "Inbound", protocol: "Tcp", sourceAddressPrefix: "Internet", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "445" });
        const f = exportFile("azure-dup.json", [["azure-native:network:NetworkSecurityGroup", "web", { resourceGroupName: "rg", securityRules: [rule("Deny"), rule("Allow")] }]]);
        const r = await findings(f);
        expect(r.code).toBe(1);
        expect(r.list.filter((x) => x.policy === "high-risk-ports").map((x) => x.name)).toEqual(["web"]);
    });

    it("a DigitalOcean \"deny\" (DigitalOcean rules have no action) does not take 445 out of an allow: exit 1", async () => {
        const f = exportFile("do-deny.json", [
            [
                "digitalocean:index/firewall:Firewall",
                "fw",
                { inboundRules: [{ protocol: "tcp", portRange: "445", sourceAddresses: ["0.0.0.0/0"] }, { protocol: "tcp", portRange: "445", sourceAddresses: ["0.0.0.0/0"], action: "deny" }] },
            ],
        ]);
        const r = await findings(f);
        expect(r.code).toBe(1);
        expect(r.list.map((x) => x.policy).sort()).toEqual(["high-risk-ports", "unverifiable-rules"]);
    });
});

describe("portguard scan: omitted sources mean what the cloud says", () => {
    it("a GCP INGRESS firewall allowing TCP 445 with no source is 0.0.0.0/0: exit 1, and the message says providers refuse it as written", async () => {
        const f = exportFile("gcp-nosrc.json", [["gcp:compute/firewall:Firewall", "smb", { network: "default", allows: [{ protocol: "tcp", ports: ["445"] }] }]]);
        const r = await findings(f);
        expect(r.code).toBe(1);
        const hr = r.list.filter((x) => x.policy === "high-risk-ports");
        expect(hr.map((x) => x.name)).toEqual(["smb"]);
        expect(hr[0].message).toContain("0.0.0.0/0 (no source given: the GCP API's default; current providers also refuse the rule as written)");
    });

    it("an AWS vpc.SecurityGroupIngressRule with no source is named by unverifiable-rules, never passed silently", async () => {
        const f = exportFile("aws-nosrc.json", [["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "nosrc", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 445, toPort: 445 }]]);
        const r = await findings(f);
        const u = r.list.filter((x) => x.policy === "unverifiable-rules");
        expect(u.map((x) => x.name)).toEqual(["nosrc"]);
        expect(u[0].message).toContain("needs exactly one of them");
    });
});
