/**
 * The one adapter to the SDK's reportViolation (src/pack/report.ts): the object form, which
 * keeps the policy's description out of the message, only for SDK versions known to accept
 * it; the string form otherwise. Nothing but the message and the URN is ever passed on.
 */
import { describe, expect, it } from "vitest";
import { acceptsObjectForm, violationReporter } from "../../src/pack/report";

describe("reporting a violation to the SDK", () => {
    it.each([
        ["v1.21.0", true],
        ["1.21.3", true],
        ["v1.30.0", true],
        ["v1.20.0", false],
        ["v2.0.0", false],
        ["v0.9.0", false],
        ["", false],
        [undefined, false],
    ])("@pulumi/policy %s takes the object form: %s", (version, expected) => {
        expect(acceptsObjectForm(version)).toBe(expected);
    });

    it("passes only the message, and the URN when given, in the object form", () => {
        const got: unknown[][] = [];
        const report = violationReporter(((...a: unknown[]) => got.push(a)) as never, "v1.21.0");
        report("TCP 445 (SMB) is open to the internet");
        report("on the rule", "urn:pulumi:dev::p::t::n");
        expect(got).toEqual([[{ message: "TCP 445 (SMB) is open to the internet" }], [{ message: "on the rule", urn: "urn:pulumi:dev::p::t::n" }]]);
    });

    it("falls back to the string form (the SDK prefixes the one-sentence description) for any other SDK version", () => {
        const got: unknown[][] = [];
        const report = violationReporter(((...a: unknown[]) => got.push(a)) as never, "v2.0.0");
        report("message", "urn:x");
        report("alone");
        expect(got).toEqual([["message", "urn:x"], ["alone", undefined]]);
    });
});
