/**
 * Inline suppressions in HCL comments:
 *
 *   # portguard:ignore <policy>[,<policy>] reason="..." [expires=YYYY-MM-DD]
 *
 * on the line of a resource, nested block, dynamic block or attribute, or in the comment lines
 * right above it (`#`, `//` and `/* *\/` comments). Without a reason it exempts nothing (the
 * finding says so); after its expiry date the finding returns and says the suppression expired.
 */
import type { Suppression, SourceLocation } from "../types";

const RE = /portguard:ignore(?:\s+([A-Za-z0-9_,\s-]*?))?(?=\s+reason=|\s+expires=|\s*(?:\*\/)?\s*$)(.*)$/;

export function parseSuppression(comment: string, at: SourceLocation): Omit<Suppression, "scopes"> | undefined {
    const text = comment.replace(/^\s*(#|\/\/|\/\*)\s?/, "").replace(/\*\/\s*$/, "");
    const m = RE.exec(text.trim());
    if (!m) return undefined;
    const policies = (m[1] ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean);
    const rest = m[2] ?? "";
    const reason = /reason="((?:[^"\\]|\\.)*)"/.exec(rest)?.[1]?.trim();
    const expires = /expires=(\S+)/.exec(rest)?.[1];
    return { policies, ...(reason ? { reason } : {}), ...(expires ? { expires } : {}), at };
}

/** The suppression's last valid day has passed (an unreadable date counts as expired: nothing is exempted on a typo). */
export function expired(s: Pick<Suppression, "expires">, now: Date): boolean {
    if (!s.expires) return false;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s.expires) || Number.isNaN(Date.parse(`${s.expires}T00:00:00Z`))) return true;
    return now.toISOString().slice(0, 10) > s.expires;
}
