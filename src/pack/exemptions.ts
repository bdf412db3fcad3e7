/** Exemptions: from config (`exemptions` option) and from resource tags (`portguard:exempt`). */

export interface Exemption {
    resource: string;
    reason: string;
    expires?: string;
}

export const TAG_EXEMPT = "portguard:exempt";
export const TAG_REASON = "portguard:exempt-reason";

function globToRegExp(glob: string): RegExp {
    let re = "";
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === "*" && glob[i + 1] === "*") {
            re += ".*";
            i++;
        } else if (c === "*") re += "[^:/]*";
        else if (c === "?") re += "[^:/]";
        else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    return new RegExp(`^${re}$`);
}

export function asExemptions(v: unknown): Exemption[] {
    if (!Array.isArray(v)) return [];
    return v.filter(
        (e): e is Exemption => !!e && typeof e === "object" && typeof (e as Exemption).resource === "string" && typeof (e as Exemption).reason === "string" && (e as Exemption).reason.trim() !== "",
    );
}

export interface ExemptionVerdict {
    exempt: boolean;
    /** Appended to the message when an exemption did not apply. */
    note?: string;
}

/**
 * Whether `policy` is waived for a resource. `tags` are the firewall's (separate rules inherit
 * their parent's once joined) merged with the rule resource's own.
 */
export function exemptionFor(policy: string, resource: { name: string; urn: string }, exemptions: Exemption[], tags: Record<string, string> | undefined, now: Date): ExemptionVerdict {
    const notes: string[] = [];
    for (const e of exemptions) {
        const re = globToRegExp(e.resource);
        if (!re.test(resource.name) && !re.test(resource.urn)) continue;
        if (e.expires) {
            const end = new Date(e.expires);
            if (!Number.isNaN(end.getTime()) && now.getTime() > end.getTime() + 86_400_000 - 1) {
                notes.push(`the exemption for "${e.resource}" expired on ${e.expires}`);
                continue;
            }
        }
        return { exempt: true };
    }
    const tagged = tags?.[TAG_EXEMPT];
    if (tagged !== undefined) {
        const names = tagged.split(",").map((s) => s.trim());
        if (names.includes(policy) || names.includes("all")) {
            if ((tags?.[TAG_REASON] ?? "").trim() !== "") return { exempt: true };
            notes.push(`the ${TAG_EXEMPT} tag is ignored because ${TAG_REASON} is missing or empty; add a reason to honour it`);
        }
    }
    return { exempt: false, note: notes.length ? notes.join("; ") : undefined };
}
