/**
 * Remediation edits, expressed against the model's property paths so that policies stay
 * provider-neutral. Providers turn `add-rule` into their own entry shape (see `writers`).
 */
import type { Direction } from "./index";

export type Edit =
    /** Remove the value at a property path (a list element or a field). */
    | { op: "remove"; path: string }
    /** Add an allow rule to an inline rule list of the firewall. */
    | { op: "add-rule"; rule: NewRule };

export interface NewRule {
    direction: Direction;
    action: "allow";
    protocol: "tcp" | "udp";
    from: number;
    to: number;
    cidr: string;
    family: "ipv4" | "ipv6";
    /** Rule number / priority. */
    order: number;
}

/** Where and what a provider writes for a new rule: a list path and the entry. */
export type RuleWriter = (rule: NewRule) => { listPath: string; value: Record<string, unknown> } | undefined;
