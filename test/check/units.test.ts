/**
 * The pieces of `portguard check` one at a time (from dist/, as the command runs them): stack
 * config precedence and the passphrase secrets provider, resource references in the engine's
 * analyzer form, and the built-in data-source answers.
 */
import * as crypto from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UNKNOWN } from "../helpers";

const require = createRequire(import.meta.url);
const project = require("../../dist/cli/check/project.js");
const { marshalReferences } = require("../../dist/cli/check/capture.js");
const { builtInAnswer } = require("../../dist/cli/check/invokes.js");

const FIXTURES = path.resolve(__dirname, "../fixtures/check");
const RESOURCE_REF = (urn: string, id?: string) => ({ "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e", urn, ...(id === undefined ? {} : { id }) });

const dirs: string[] = [];
function projectDir(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), "portguard-config-"));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
}
afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("stack config", () => {
    const yaml = "name: app\nruntime: nodejs\nconfig:\n  port:\n    type: integer\n    default: 22\n  cidr:\n    default: 10.0.0.0/8\n  aws:region: us-west-2\n  tags:\n    value:\n      team: net\n";

    it("takes Pulumi.yaml defaults, then the stack file, then --config, with bare keys in the project's namespace", () => {
        const dir = projectDir({ "Pulumi.yaml": yaml, "Pulumi.dev.yaml": "config:\n  app:cidr: 0.0.0.0/0\n  aws:region: eu-west-1\n" });
        const c = project.resolveStackConfig(project.readProject(dir), "dev", [["port", "3389"]], {});
        expect(c.values).toEqual({ "app:port": "3389", "app:cidr": "0.0.0.0/0", "aws:region": "eu-west-1", "app:tags": '{"team":"net"}' });
        expect(c.secretKeys).toEqual([]);
    });

    it("uses the only stack file when --stack is not given, dev when there is none, and asks for --stack when there are several", () => {
        expect(project.chooseStack(projectDir({ "Pulumi.yaml": yaml, "Pulumi.staging.yaml": "config: {}\n" }), undefined)).toBe("staging");
        expect(project.chooseStack(projectDir({ "Pulumi.yaml": yaml }), undefined)).toBe("dev");
        expect(() => project.chooseStack(projectDir({ "Pulumi.yaml": yaml, "Pulumi.a.yaml": "", "Pulumi.b.yaml": "" }), undefined)).toThrow(/2 stack files \(Pulumi\.a\.yaml, Pulumi\.b\.yaml\): choose one with --stack <name>/);
    });

    it("reports a stack file that is not YAML with its file and line", () => {
        const dir = projectDir({ "Pulumi.yaml": yaml, "Pulumi.dev.yaml": "config:\n  app:cidr: [unclosed\n" });
        expect(() => project.resolveStackConfig(project.readProject(dir), "dev", [], {})).toThrow(/Pulumi\.dev\.yaml:\d+:\d+: not valid YAML/);
    });

    it("names secrets a cloud secrets provider holds, which cannot be read offline", () => {
        const dir = projectDir({ "Pulumi.yaml": yaml, "Pulumi.dev.yaml": "secretsprovider: awskms://alias/x\nencryptedkey: abc\nconfig:\n  app:token:\n    secure: AAAA\n" });
        expect(() => project.resolveStackConfig(project.readProject(dir), "dev", [], {})).toThrow(
            "Pulumi.dev.yaml: secret config token cannot be read (the stack's secrets provider (awskms://alias/x) is not available offline), or give it with --config token=<value>",
        );
    });

    it("rejects --config without key=value", () => {
        expect(() => project.parseConfigArgs(["port"])).toThrow("--config port: expected key=value");
    });
});

describe("the passphrase secrets provider", () => {
    it("decrypts the fixture's secure value with the passphrase it was written with, and refuses another passphrase", () => {
        const dir = path.join(FIXTURES, "stack-config");
        const p = project.readProject(dir);
        const c = project.resolveStackConfig(p, "dev", [], { PULUMI_CONFIG_PASSPHRASE: "portguard-test-passphrase" });
        expect(c.values["check-stack-config:dbPassword"]).toBe("s3cr3t-db-password");
        expect(c.secretKeys).toEqual(["check-stack-config:dbPassword"]);
        expect(() => project.resolveStackConfig(p, "dev", [], { PULUMI_CONFIG_PASSPHRASE: "other" })).toThrow(/incorrect passphrase/);
    });

    it("reads AES-256-GCM values as v1:<nonce>:<ciphertext+tag> and rejects a tampered one", () => {
        const key = crypto.randomBytes(32);
        const v = project.encryptValue(key, "hello");
        expect(v).toMatch(/^v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]+$/);
        expect(project.decryptValue(key, v)).toBe("hello");
        const [, nonce, ct] = v.split(":");
        const bytes = Buffer.from(ct, "base64");
        bytes[0] ^= 1;
        expect(project.decryptValue(key, `v1:${nonce}:${bytes.toString("base64")}`)).toBeUndefined();
    });
});

describe("resource references, as the engine gives them to an analyzer", () => {
    it("becomes the id, the unknown sentinel when the id is not known, or the URN of a component, at any depth", () => {
        expect(marshalReferences({ a: RESOURCE_REF("urn:a", "sg-123"), b: [RESOURCE_REF("urn:b", UNKNOWN)], c: { d: RESOURCE_REF("urn:comp") }, e: RESOURCE_REF("urn:e", "") })).toEqual({
            a: "sg-123",
            b: [UNKNOWN],
            c: { d: "urn:comp" },
            e: UNKNOWN,
        });
    });

    it("leaves other values, secrets included, as they are", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" };
        expect(marshalReferences({ s: secret, n: 1, l: ["a", null] })).toEqual({ s: secret, n: 1, l: ["a", null] });
    });
});

describe("built-in data-source answers", () => {
    const ctx = { config: { "aws:region": "eu-west-1" } };

    it("gives the configured region's availability zones, as @pulumi/aws returns them", () => {
        const a = builtInAnswer("aws:index/getAvailabilityZones:getAvailabilityZones", {}, ctx);
        expect(a.names).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        expect(a.zoneIds).toHaveLength(3);
        expect(a.id).toBe("eu-west-1");
    });

    it("gives the default VPC the CIDR AWS documents for it, and leaves a VPC or subnet found by filter unknown", () => {
        expect(builtInAnswer("aws:ec2/getVpc:getVpc", { default: true }, ctx).cidrBlock).toBe("172.31.0.0/16");
        expect(builtInAnswer("aws:ec2/getVpc:getVpc", { filters: [{ name: "tag:Name", values: ["main"] }] }, ctx).cidrBlock).toBe(UNKNOWN);
        expect(builtInAnswer("aws:ec2/getSubnet:getSubnet", { id: "subnet-1" }, ctx).cidrBlock).toBe(UNKNOWN);
    });

    it("answers the same lookup with the same ids, and different lookups with different ones", () => {
        const q = { filters: [{ name: "vpc-id", values: ["vpc-1"] }] };
        expect(builtInAnswer("aws:ec2/getSubnets:getSubnets", q, ctx).ids).toEqual(builtInAnswer("aws:ec2/getSubnets:getSubnets", q, ctx).ids);
        expect(builtInAnswer("aws:ec2/getSubnets:getSubnets", q, ctx).ids).not.toEqual(builtInAnswer("aws:ec2/getSubnets:getSubnets", { filters: [] }, ctx).ids);
    });

    it("keeps an SSM parameter's value unknown unless it is one of AWS's public AMI aliases", () => {
        expect(builtInAnswer("aws:ssm/getParameter:getParameter", { name: "/app/office-cidr" }, ctx).value).toBe(UNKNOWN);
        expect(builtInAnswer("aws:ssm/getParameter:getParameter", { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" }, ctx).value).toMatch(/^ami-[0-9a-f]{17}$/);
    });

    it("answers the GCP and Azure lookups with their providers' shapes, and nothing it does not know", () => {
        expect(builtInAnswer("gcp:compute/getZones:getZones", {}, { config: { "gcp:region": "europe-west1" } }).names).toEqual(["europe-west1-a", "europe-west1-b", "europe-west1-c"]);
        expect(builtInAnswer("azure-native:network:getSubnet", { resourceGroupName: "rg", virtualNetworkName: "vn", subnetName: "s" }, ctx).addressPrefix).toBe(UNKNOWN);
        expect(builtInAnswer("acme:index/getThing:getThing", {}, ctx)).toBeUndefined();
    });
});

describe("loading", () => {
    it("neither the pack's library (what src/index.ts loads) nor `portguard scan` loads the check's modules or its YAML parser; `check` loads them when it runs", () => {
        const { execFileSync } = require("node:child_process");
        const loaded = (code: string) =>
            JSON.parse(
                execFileSync(process.execPath, ["-e", `${code}; process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => /cli[\\\\/]check[\\\\/]|js-yaml/.test(k)))); process.exit(0)`], {
                    timeout: 60_000,
                    cwd: path.resolve(__dirname, "../.."),
                    encoding: "utf8",
                }),
            ) as string[];
        expect(loaded("require('./dist/lib.js')")).toEqual([]);
        expect(loaded("require('./dist/cli/main.js')")).toEqual([]);
        expect(loaded("require('./dist/cli/check/run.js')").length).toBeGreaterThan(0);
    });
});
