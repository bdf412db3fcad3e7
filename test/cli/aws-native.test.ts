/**
 * `portguard scan` on Pulumi previews and exports of a stack written with aws-native
 * (test/fixtures/cli/pulumi/aws-native.*.json): the same findings as the pack gives, from
 * either file: the SMB rule resource once (the group's outputs echo it, without a conflict),
 * RDP from a prefix list that holds the internet, and the SSH rule whose CIDR is a secret
 * (ciphertext in the export, `[secret]` in the preview) named as unverifiable, never echoed.
 */
import { describe, expect, it } from "vitest";
import { fixture, scan } from "./helpers";

interface JsonFinding {
    policy: string;
    level: string;
    name: string;
    type: string;
    path: string;
    message: string;
}

async function findings(file: string): Promise<{ code: number; found: string[]; raw: JsonFinding[] }> {
    const r = await scan([fixture(file)], { output: "json" });
    const doc = JSON.parse(r.stdout);
    const raw = doc.findings as JsonFinding[];
    return { code: r.code, raw, found: raw.map((f) => `[${f.level}] ${f.policy} @ ${f.name} ${f.path}`).sort() };
}

describe("portguard scan reads aws-native resources in Pulumi previews and exports", () => {
    const EXPECTED = [
        "[advisory] exposed-service-ports @ web securityGroupIngress[1]",
        "[advisory] unverifiable-rules @ partner-ssh ",
        "[mandatory] high-risk-ports @ smb ",
    ];

    for (const file of ["pulumi/aws-native.export.json", "pulumi/aws-native.preview.json"]) {
        it(`${file}: SMB from a separate rule once, RDP through a prefix list, a secret CIDR as unverifiable; exit code 1`, async () => {
            const { code, found, raw } = await findings(file);
            expect(found).toEqual(EXPECTED);
            expect(code).toBe(1);
            for (const f of raw) {
                expect(f.type.startsWith("aws-native:ec2:")).toBe(true);
                expect(f.message).not.toMatch(/overwrite|drift/);
                expect(f.message).not.toContain("[secret]");
                expect(f.message).not.toContain("ciphertext");
            }
        });
    }
});
