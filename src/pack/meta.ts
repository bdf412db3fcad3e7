/**
 * What Pulumi Cloud shows about the pack and its policies, derived from one source each:
 * package.json (description, homepage, repository, keywords: read at run time, so a release
 * changes them in one place) and the policy objects (display names, severities, controls).
 * The pack (src/index.ts), the docs generator and the SARIF renderer all read from here.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { PolicyComplianceFramework } from "@pulumi/policy";
import type { Control, PolicyDef } from "../policies/types";

/** The pack's name in Pulumi Cloud (the `new PolicyPack(name)` argument). */
export const PACK_NAME = "portguard";
const PACK_DISPLAY_NAME = "portguard: firewall ports across clouds";
/**
 * `PolicyPackArgs.provider`: the SDK documents it as "the cloud provider/platform this policy
 * pack is associated with, e.g. AWS, Azure"; Pulumi documents no value for a pack that
 * covers many clouds, so this says so in the same words the pack's keywords use.
 */
export const PACK_PROVIDER = "multi-cloud";

interface PackageJson {
    name: string;
    version: string;
    description: string;
    homepage: string;
    repository?: string | { url?: string };
    keywords?: string[];
}

let pkg: PackageJson | undefined;

/** The package's own package.json (src/pack or dist/pack: two levels up). */
function packageJson(): PackageJson {
    if (!pkg) pkg = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as PackageJson;
    return pkg;
}

/** `git+https://github.com/o/r.git` -> `https://github.com/o/r`. */
function repositoryUrl(p: PackageJson = packageJson()): string | undefined {
    const raw = typeof p.repository === "string" ? p.repository : p.repository?.url;
    if (!raw) return undefined;
    return raw.replace(/^git\+/, "").replace(/\.git$/, "").replace(/^git:\/\//, "https://");
}

/** The documentation base (package.json `homepage`), without a trailing slash. */
export function docsBase(p: PackageJson = packageJson()): string {
    return p.homepage.replace(/\/+$/, "");
}

/** A policy's documentation page: `<homepage>/policies/<name>.md` (docs/policies/ in the repository). */
export function policyUrl(name: string, p: PackageJson = packageJson()): string {
    return `${docsBase(p)}/policies/${name}.md`;
}

/** Pack tags: the package keywords, less the ones every pack on the platform would carry. */
function packTags(p: PackageJson = packageJson()): string[] {
    const generic = new Set(["pulumi", "policy-pack", "crossguard"]);
    return (p.keywords ?? []).filter((k) => !generic.has(k));
}

/** How a control's framework label reads as Pulumi's `{name, version}`. */
const FRAMEWORKS: Record<string, { name: string; version: string }> = {
    "AWS Security Hub": { name: "AWS Foundational Security Best Practices (AWS Security Hub)", version: "1.0.0" },
    "CIS AWS Foundations Benchmark v3.0.0": { name: "CIS AWS Foundations Benchmark", version: "3.0.0" },
};

/** The policy's primary control as Pulumi's `framework`, when it has one (the full list stays in docs and SARIF). */
function primaryControl(def: PolicyDef<any>): Control | undefined {
    return (def.controls ?? []).find((c) => c.primary);
}

export function frameworkOf(def: PolicyDef<any>): PolicyComplianceFramework | undefined {
    const c = primaryControl(def);
    if (!c) return undefined;
    const f = FRAMEWORKS[c.framework] ?? { name: c.framework, version: "" };
    return { name: f.name, version: f.version, reference: c.id, specification: c.title };
}

/** The metadata fields of one policy, as `@pulumi/policy` takes them. */
export function policyMetadata(def: PolicyDef<any>) {
    const framework = frameworkOf(def);
    return {
        displayName: def.displayName,
        severity: def.severity,
        tags: [...def.tags],
        remediationSteps: def.remediationSteps,
        url: policyUrl(def.name),
        ...(framework ? { framework } : {}),
    };
}

/**
 * The readme Pulumi Cloud shows on the pack's page: what the pack does, one line per policy
 * (from the policy objects), and where the documentation is. Short on purpose: the README in
 * the repository is for people who build and run the pack.
 */
function packReadme(defs: readonly PolicyDef<any>[], p: PackageJson = packageJson()): string {
    const out: string[] = [];
    out.push(`# ${PACK_DISPLAY_NAME}`, "", p.description, "");
    out.push("| policy | default level | severity | what it checks |", "|---|---|---|---|");
    for (const d of defs) out.push(`| [${d.displayName}](${policyUrl(d.name, p)}) (\`${d.name}\`) | ${d.enforcementLevel} | ${d.severity} | ${d.description.replace(/\|/g, "\\|")} |`);
    out.push("");
    out.push(
        "Set levels and options per policy in the policy group's configuration (the `--policy-pack-config` shape). " +
            "Exempt a resource through the `exemptions` option or the `portguard:exempt` and `portguard:exempt-reason` tags " +
            "(on the resource, or on the stack where the backend has stack tags).",
        "",
    );
    out.push(`Documentation: ${docsBase(p)}`);
    const repo = repositoryUrl(p);
    if (repo) out.push("", `Source: ${repo}`);
    return out.join("\n") + "\n";
}

/** Everything `new PolicyPack(name, ...)` takes besides the policies. */
export function packMetadata(defs: readonly PolicyDef<any>[]) {
    const p = packageJson();
    const repository = repositoryUrl(p);
    return {
        displayName: PACK_DISPLAY_NAME,
        description: p.description,
        readme: packReadme(defs, p),
        provider: PACK_PROVIDER,
        tags: packTags(p),
        ...(repository ? { repository } : {}),
    };
}
