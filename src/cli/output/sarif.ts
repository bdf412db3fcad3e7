/**
 * SARIF 2.1.0 (validated against the official schema in test/cli/sarif.test.ts). One run;
 * one rule per policy with its description, severity, controls, options and a link to
 * its documentation page (helpUri: the page Pulumi Cloud links, or docs/policies/<name>.md under --docs-base-url); one result per finding: level `error` (mandatory) or `warning`
 * (advisory), the input file (and the resource's line in it) as the physical location, and
 * the resource address or URN plus property path as the logical location.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { PolicySetting } from "../config";
import type { ScanFinding } from "../scan";
import { displayPath, docsLink, findingUrl, resourceId, type Report } from "./report";

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const SECURITY_SEVERITY = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" } as const;

function pascal(name: string): string {
    return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

function sarifLevel(level: PolicySetting["level"]): "error" | "warning" | "none" {
    return level === "disabled" ? "none" : level === "mandatory" || level === "remediate" ? "error" : "warning";
}

function artifactUri(source: string): string {
    if (source === "-") return "stdin";
    if (path.isAbsolute(source)) return pathToFileURL(source).href;
    return source.split(path.sep).join("/").replace(/^\.\//, "");
}

function rule(s: PolicySetting, docsBase?: string) {
    const d = s.def;
    const link = docsLink(d.name, docsBase);
    const options = Object.entries(d.configSchema.properties).map(([k, o]) => `- \`${k}\` (default \`${JSON.stringify(o.default)}\`): ${o.description}`);
    const controls = d.controls ?? [];
    const text = [
        d.description,
        `Default level: ${d.enforcementLevel}; in this run: ${s.level}. Severity: ${d.severity}.`,
        controls.length ? `Controls: ${controls.map((c) => `${c.framework} ${c.id} (${c.title})`).join("; ")}.` : "",
        `Options (set with --config, the --policy-pack-config shape):\n${options.join("\n")}`,
        `Documentation: ${link}`,
    ]
        .filter(Boolean)
        .join("\n\n");
    const markdown = [
        d.description,
        `**Default level:** ${d.enforcementLevel} (in this run: ${s.level}). **Severity:** ${d.severity}.`,
        controls.length ? `**Controls:** ${controls.map((c) => `${c.framework} ${c.id} (${c.title})`).join("; ")}.` : "",
        `**Options** (\`--config\`, the \`--policy-pack-config\` shape):\n\n${options.join("\n")}`,
        `See [${link}](${link}).`,
    ]
        .filter(Boolean)
        .join("\n\n");
    return {
        id: d.name,
        name: pascal(d.name),
        shortDescription: { text: d.description },
        fullDescription: { text: d.description },
        help: { text, markdown },
        // helpUri must be an absolute URI (a relative --docs-base-url leaves the link in the help text and properties.docs).
        ...(/^[a-z][a-z0-9+.-]*:/i.test(link) ? { helpUri: link } : {}),
        defaultConfiguration: s.level === "disabled" ? { enabled: false, level: "none" as const } : { level: sarifLevel(s.level) },
        properties: {
            tags: [...new Set(["security", "network", "firewall", ...d.tags])],
            precision: "high",
            "problem.severity": s.level === "disabled" ? "recommendation" : sarifLevel(s.level) === "error" ? "error" : "warning",
            "security-severity": SECURITY_SEVERITY[d.severity],
            severity: d.severity,
            enforcementLevel: s.level,
            controls,
            docs: link,
        },
    };
}

function fingerprint(f: ScanFinding): string {
    return createHash("sha256").update(`${f.policy}\u0000${f.stack}\u0000${resourceId(f)}\u0000${f.path}`).digest("hex");
}

export function renderSarif(r: Report, opts: { docsBase?: string } = {}): string {
    const rules = r.settings.map((s) => rule(s, opts.docsBase));
    const ruleIndex = new Map(r.settings.map((s, i) => [s.def.name, i]));
    const artifacts: Array<{ location: { uri: string }; roles: string[] }> = [];
    const artifactIndex = new Map<string, number>();
    const logical: Array<Record<string, unknown>> = [];
    const logicalIndex = new Map<string, number>();
    const logicalFor = (f: ScanFinding): Array<Record<string, unknown>> => {
        const id = resourceId(f);
        const key = id; // logical locations are unique in a run: one per resource (and property)
        let ri = logicalIndex.get(key);
        if (ri === undefined) {
            ri = logical.length;
            logicalIndex.set(key, ri);
            logical.push({ name: f.address ?? f.name, fullyQualifiedName: id, kind: "resource" });
        }
        const p = displayPath(f);
        if (!p) return [{ index: ri, name: f.address ?? f.name, fullyQualifiedName: id, kind: "resource" }];
        const mkey = `${key}\u0000${p}`;
        let mi = logicalIndex.get(mkey);
        const fqn = `${id}.${p}`;
        if (mi === undefined) {
            mi = logical.length;
            logicalIndex.set(mkey, mi);
            logical.push({ name: p, fullyQualifiedName: fqn, kind: "property", parentIndex: ri });
        }
        return [{ index: mi, name: p, fullyQualifiedName: fqn, kind: "property", parentIndex: ri }];
    };
    const results = r.stacks.flatMap((s) =>
        s.findings.map((f) => {
            const uri = f.location ? f.location.uri : artifactUri(f.source);
            let ai = artifactIndex.get(uri);
            if (ai === undefined) {
                ai = artifacts.length;
                artifactIndex.set(uri, ai);
                artifacts.push({ location: { uri }, roles: ["analysisTarget"] });
            }
            const line = f.location?.line ?? r.lines?.get(f.source)?.get(f.urn);
            const region = f.location ? { startLine: f.location.line, startColumn: f.location.column } : line ? { startLine: line } : undefined;
            return {
                ruleId: f.policy,
                ruleIndex: ruleIndex.get(f.policy) ?? -1,
                level: f.level === "mandatory" ? ("error" as const) : ("warning" as const),
                message: { text: f.note ? `${f.message}\n${f.note}` : f.message },
                locations: [
                    {
                        physicalLocation: { artifactLocation: { uri, index: ai }, ...(region ? { region } : {}) },
                        logicalLocations: logicalFor(f),
                    },
                ],
                partialFingerprints: { "portguardFinding/v1": fingerprint(f) },
                properties: { stack: f.stack, phase: f.phase, urn: f.urn, ...(f.address ? { address: f.address } : {}), path: f.path, enforcementLevel: f.level, severity: f.severity, messageId: f.messageId, url: findingUrl(f.policy, f.messageId, opts.docsBase) },
            };
        }),
    );
    for (const s of r.stacks) {
        if (s.format === "terraform-hcl") continue; // a directory: its files are the artifacts
        const uri = artifactUri(s.source);
        if (!artifactIndex.has(uri)) {
            artifactIndex.set(uri, artifacts.length);
            artifacts.push({ location: { uri }, roles: ["analysisTarget"] });
        }
    }
    const doc = {
        $schema: SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: r.tool.name,
                        version: r.tool.version,
                        semanticVersion: r.tool.version,
                        informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
                        rules,
                    },
                },
                invocations: [
                    {
                        executionSuccessful: r.errors.length === 0,
                        exitCode: r.exitCode,
                        toolExecutionNotifications: r.errors.map((e) => ({ level: "error", message: { text: e.message }, ...(e.source ? { locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(e.source) } } }] } : {}) })),
                    },
                ],
                artifacts,
                logicalLocations: logical,
                results,
                columnKind: "utf16CodeUnits",
            },
        ],
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
}
