/**
 * How a finding becomes Pulumi's violation: the one place the pack calls the SDK's
 * reportViolation. Given a string, the SDK writes the policy's description, a newline, then
 * the message, so every finding in a preview would start with the same sentence. Its object
 * form (`{ message, urn }`) leaves the description out of the message (it still sends it in
 * the diagnostic's own field), but @pulumi/policy types only the string form. The object form is
 * used with the SDK versions whose server.js was read to accept it (1.21 and later 1.x:
 * `makeReportViolationFun`), and pinned by an end-to-end test against the installed SDK
 * (test/e2e/loader.test.ts); any other version gets the string form, whose prefix is the
 * policy's one-sentence description. The object never carries a policy name, an enforcement
 * level, a severity or a description: those stay the policy's.
 */
import type { ReportViolation } from "@pulumi/policy";

/** Whether an @pulumi/policy version takes `{ message, urn }` without the description prefix. */
export function acceptsObjectForm(sdkVersion: string | undefined): boolean {
    const m = /^v?(\d+)\.(\d+)\.\d+/.exec(sdkVersion ?? "");
    return !!m && Number(m[1]) === 1 && Number(m[2]) >= 21;
}

let installed: string | undefined | null = null;
function installedVersion(): string | undefined {
    if (installed === null) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            installed = (require("@pulumi/policy/package.json") as { version?: string }).version;
        } catch {
            installed = undefined;
        }
    }
    return installed;
}

/** A reporter for one policy call: `message` and, at stack level, the URN it is about. */
export function violationReporter(report: ReportViolation, sdkVersion = installedVersion()): (message: string, urn?: string) => void {
    if (!acceptsObjectForm(sdkVersion)) return (message, urn) => report(message, urn);
    const untyped = report as unknown as (v: { message: string; urn?: string }) => void;
    return (message, urn) => untyped(urn === undefined ? { message } : { message, urn });
}
