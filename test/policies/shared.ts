/** Runs a policy's table of valid / invalid cases (one finding per invalid case). */
import { describe, it, expect } from "vitest";
import type { PolicyDef } from "../../src/policies/types";
import { check, type Case, type InvalidCase } from "../helpers";

const esc = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

export function runCases(def: PolicyDef<any>, valid: Case[], invalid: InvalidCase[]): void {
    describe("valid", () => {
        for (const c of valid) {
            it(c.name, () => {
                expect(check(def, c.resource, c.config).map((f) => f.message)).toEqual([]);
            });
        }
    });
    describe("invalid", () => {
        for (const c of invalid) {
            it(c.name, () => {
                const f = check(def, c.resource, c.config, new Date("2026-06-01"));
                expect(f).toHaveLength(1);
                if (c.path !== undefined) expect(f[0].path).toBe(c.path);
                if (c.messageId !== undefined) expect(f[0].messageId).toBe(c.messageId);
                if (c.data !== undefined) expect(f[0].data).toMatchObject(c.data);
                for (const m of c.messages) expect(f[0].message).toMatch(typeof m === "string" ? esc(m) : m);
                for (const n of c.not ?? []) expect(f[0].message).not.toContain(n);
            });
        }
    });
}
