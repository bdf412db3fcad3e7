/**
 * Rule writers for remediation: providers whose inline rule lists portguard can add entries
 * to. A provider opts in by exporting `writers` (and `MAX_ORDER`) and being listed here.
 */
import type { RuleWriter } from "../model/edits";
import * as aws from "./aws";

const PROVIDERS: Array<{ writers: Record<string, RuleWriter>; MAX_ORDER: Record<string, number> }> = [aws];

export function writerFor(type: string): { write: RuleWriter; maxOrder: number } | undefined {
    for (const p of PROVIDERS) {
        const w = p.writers[type];
        if (w) return { write: w, maxOrder: p.MAX_ORDER[type] ?? Number.MAX_SAFE_INTEGER };
    }
    return undefined;
}
