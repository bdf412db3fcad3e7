/**
 * The secret rule's last safety net: findings whose message and data have every plaintext that
 * `secrets` (the resources' secret values) hold written `[secret]`. The reading layer already
 * writes secret values so (peer texts, quoted values); this catches what a finding still quotes
 * (reference ids, prefix list ids, numbers). The message stays lazy: it is scrubbed when read.
 */
import { scrubSecrets } from "../providers/read";
import type { FindingData, ReportedFinding } from "../findings/types";

export function scrubbed(findings: ReportedFinding[], secrets: readonly string[]): ReportedFinding[] {
    if (secrets.length === 0 || findings.length === 0) return findings;
    return findings.map((f) => {
        const plain: Omit<ReportedFinding, "message"> = { urn: f.urn, path: f.path, messageId: f.messageId, data: scrubData(f.data, secrets) as FindingData, policy: f.policy, ...(f.note ? { note: f.note } : {}) };
        let message: string | undefined;
        return Object.defineProperty(plain, "message", { get: () => (message ??= scrubSecrets(f.message, secrets)), enumerable: true }) as ReportedFinding;
    });
}

/** Data with every string scrubbed of the secrets (numbers taken from a secret become `[secret]` too). */
function scrubData(v: unknown, secrets: readonly string[]): unknown {
    if (typeof v === "string") return scrubSecrets(v, secrets);
    if (typeof v === "number") return secrets.includes(String(v)) ? "[secret]" : v;
    if (Array.isArray(v)) return v.map((x) => scrubData(x, secrets));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrubData(x, secrets)]));
    return v;
}
