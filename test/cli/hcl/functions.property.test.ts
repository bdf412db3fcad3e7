/**
 * Properties of the evaluator's address functions (fast-check): `cidrsubnet` gives a subnet of
 * the prefix with the requested length, distinct network numbers give disjoint subnets, and
 * `cidrhost` stays inside the prefix; out-of-range arguments are refused, never wrapped.
 */
import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { callFunction, EvalError } from "../../../src/cli/formats/hcl/values";

const AT = { file: "p.tf", line: 1, column: 1, endLine: 1 };
const v4 = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map((b) => b.join("."));

function toBig(cidr: string): { n: bigint; len: number } {
    const [a, len] = ipaddr.parseCIDR(cidr);
    let n = 0n;
    for (const b of a.toByteArray()) n = (n << 8n) | BigInt(b);
    return { n, len };
}

const inside = (sub: string, base: string) => {
    const s = toBig(sub);
    const b = toBig(base);
    return s.len >= b.len && s.n >> BigInt(32 - b.len) === b.n >> BigInt(32 - b.len);
};

describe("cidrsubnet and cidrhost", () => {
    it("cidrsubnet(prefix, newbits, netnum) is a /(len+newbits) inside the prefix; distinct netnums are disjoint", () => {
        fc.assert(
            fc.property(v4, fc.integer({ min: 0, max: 24 }), fc.integer({ min: 1, max: 8 }), fc.nat(), fc.nat(), (addr, len, newbits, x, y) => {
                const base = `${addr}/${len}`;
                const a = x % 2 ** newbits;
                const b = y % 2 ** newbits;
                const sa = callFunction("cidrsubnet", [base, newbits, a], AT) as string;
                const sb = callFunction("cidrsubnet", [base, newbits, b], AT) as string;
                expect(toBig(sa).len).toBe(len + newbits);
                expect(inside(sa, base)).toBe(true);
                if (a !== b) expect(sa).not.toBe(sb);
                else expect(sa).toBe(sb);
            }),
        );
    });

    it("a network number that does not fit is refused", () => {
        fc.assert(
            fc.property(v4, fc.integer({ min: 0, max: 24 }), fc.integer({ min: 1, max: 8 }), (addr, len, newbits) => {
                expect(() => callFunction("cidrsubnet", [`${addr}/${len}`, newbits, 2 ** newbits], AT)).toThrow(EvalError);
            }),
        );
    });

    it("cidrhost stays inside the prefix", () => {
        fc.assert(
            fc.property(v4, fc.integer({ min: 8, max: 30 }), fc.nat(), (addr, len, h) => {
                const base = `${addr}/${len}`;
                const host = callFunction("cidrhost", [base, h % 2 ** (32 - len)], AT) as string;
                expect(inside(`${host}/32`, base)).toBe(true);
            }),
        );
    });

    it("matches Terraform's documented examples", () => {
        expect(callFunction("cidrsubnet", ["172.16.0.0/12", 4, 2], AT)).toBe("172.18.0.0/16");
        expect(callFunction("cidrsubnet", ["10.1.2.0/24", 4, 15], AT)).toBe("10.1.2.240/28");
        expect(callFunction("cidrsubnet", ["fd00:fd12:3456:7890::/56", 16, 162], AT)).toBe("fd00:fd12:3456:7800:a200::/72");
        expect(callFunction("cidrhost", ["10.12.112.0/20", 16], AT)).toBe("10.12.112.16");
        expect(callFunction("cidrhost", ["10.12.112.0/20", 268], AT)).toBe("10.12.113.12");
    });
});
