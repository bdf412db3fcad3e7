/**
 * Format detection from the parsed document's shape (never from the file name):
 *
 * - `pulumi stack export`: `{version, deployment: {resources?: [...]}}` (version 3 is read), or
 *   the DIY backend's checkpoint file `{version, checkpoint: {latest: <deployment>}}`;
 * - `pulumi preview --json`: `{steps: [...]}` or `{changeSummary: {...}}` (a PreviewDigest);
 * - `terraform show -json <planfile>`: `format_version` plus `planned_values`,
 *   `resource_changes` or `prior_state`;
 * - `terraform show -json` (state): `format_version` plus `values`, or nothing else (an empty state).
 */
import { type FormatName, InputError, isObject } from "./types";

export function detectFormat(doc: unknown): FormatName | undefined {
    if (!isObject(doc)) return undefined;
    if ("version" in doc && (isObject(doc.deployment) || (isObject(doc.checkpoint) && isObject(doc.checkpoint.latest)))) return "pulumi-export";
    if (Array.isArray(doc.steps) || isObject(doc.changeSummary)) return "pulumi-preview";
    if (typeof doc.format_version === "string") {
        if ("planned_values" in doc || "resource_changes" in doc || "prior_state" in doc || "configuration" in doc) return "terraform-plan";
        return "terraform-state";
    }
    return undefined;
}

/** Detect, or explain in one line why the document is not something portguard reads. */
export function requireFormat(doc: unknown, source: string): FormatName {
    const f = detectFormat(doc);
    if (f) return f;
    if (isObject(doc) && typeof doc.version === "number" && Array.isArray(doc.resources) && "terraform_version" in doc) {
        throw new InputError(`${source}: is a raw Terraform state file (version ${doc.version}); scan the output of \`terraform show -json\` instead`);
    }
    if (isObject(doc) && Array.isArray(doc.resources) && "version" in doc) {
        throw new InputError(`${source}: looks like the inside of a stack export; scan the whole output of \`pulumi stack export\``);
    }
    if (isObject(doc) && ("sequence" in doc || "timestamp" in doc) && ("resourcePreEvent" in doc || "preludeEvent" in doc || "summaryEvent" in doc)) {
        throw new InputError(`${source}: is one engine event, not a preview; scan \`pulumi preview --json\` without PULUMI_ENABLE_STREAMING_JSON_PREVIEW`);
    }
    throw new InputError(`${source}: unknown format (expected \`pulumi preview --json\`, \`pulumi stack export\`, or \`terraform show -json\` of a plan or state)`);
}
