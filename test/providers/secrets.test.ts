/**
 * The reading layer's half of the secret rule (src/providers/read.ts): which values are secret,
 * and how a message that quotes one is written.
 */
import { describe, expect, it } from "vitest";
import { modelResource, secretsOf } from "../../src/providers";
import { Reader, scrubSecrets } from "../../src/providers/read";
import type { FirewallItem } from "../../src/providers/types";
import { SECRET_SIG, SECRET_SIG_KEY, T } from "../helpers";

const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });

describe("scrubSecrets", () => {
    const cases: Array<[string, string, string[], string]> = [
        ["a quoted secret", 'ingress[0].protocol "banana" is not a protocol', ["banana"], "ingress[0].protocol [secret] is not a protocol"],
        ["a quoted secret cut short by clip", '"a-very-long-secret-va..." is not a port range', ["a-very-long-secret-value-here"], "[secret] is not a port range"],
        ["a quoted part of a secret (Tencent's ACTION#CIDR#PORT#PROTOCOL)", '"banana" is not a protocol', ["ACCEPT#0.0.0.0/0#22#banana"], "[secret] is not a protocol"],
        ["a number, as a whole token", "rule number 98765 is outside 1-32766", ["98765"], "rule number [secret] is outside 1-32766"],
        ["a port at either end of a range", "allows TCP 4242-5000 (759 ports)", ["4242"], "allows TCP [secret]-5000 (759 ports)"],
        ["not a number inside an address", "from 10.0.0.0/8 (ingress[1].cidrBlocks[0])", ["1"], "from 10.0.0.0/8 (ingress[1].cidrBlocks[0])"],
        ["not a CIDR inside a longer one", "from 10.0.0.0/0 (x)", ["0.0.0.0/0"], "from 10.0.0.0/0 (x)"],
        ["a CIDR at the end of a sentence", "opens it to 44.0.0.0/8.", ["44.0.0.0/8"], "opens it to [secret]."],
        ["nothing when no secret", 'port "22"', [], 'port "22"'],
    ];
    for (const [what, text, secrets, want] of cases) {
        it(`writes ${what} as [secret]${want === text ? " (or leaves the text alone)" : ""}`, () => {
            expect(scrubSecrets(text, secrets)).toBe(want);
        });
    }
});

describe("Reader: what is secret", () => {
    it("everything below a secret object or list is secret, down to its leaves", () => {
        const r = new Reader();
        const props = { ingress: secret([{ cidrBlocks: ["11.0.0.0/8"], fromPort: 3389 }]) };
        const list = r.list(props, "ingress", "ingress") as unknown[];
        const cidrs = r.strings(list[0], "cidrBlocks", "ingress[0].cidrBlocks");
        expect(Array.isArray(cidrs) && cidrs[0]).toEqual({ value: "11.0.0.0/8", path: "ingress[0].cidrBlocks[0]" });
        expect(r.int(list[0], "fromPort", "ingress[0].fromPort")).toBe(3389);
        expect(r.isSecret("11.0.0.0/8")).toBe(true);
        expect([...r.secrets]).toEqual(expect.arrayContaining(["11.0.0.0/8", "3389"]));
    });

    it("a value beside a secret is not secret", () => {
        const r = new Reader();
        const o = { a: secret("x-secret"), b: "plain" };
        expect(r.str(o, "a", "a")).toBe("x-secret");
        expect(r.str(o, "b", "b")).toBe("plain");
        expect(r.isSecret("plain")).toBe(false);
    });

    it("a problem about a secret value quotes [secret], with the path", () => {
        const m = modelResource({ type: T.sg, urn: "u", name: "g", props: { ingress: [{ protocol: secret("banana-s3cr3t"), fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] } }) as FirewallItem;
        const problems = m.firewall.rules.flatMap((x) => x.problems);
        expect(problems).toEqual([expect.objectContaining({ path: "ingress[0].protocol", problem: expect.stringContaining("[secret]") })]);
        expect(JSON.stringify(problems)).not.toContain("s3cr3t");
        expect(secretsOf(m)).toContain("banana-s3cr3t");
    });

    it("a secret CIDR keeps its addresses for judging, and its text is [secret]", () => {
        const m = modelResource({ type: T.sg, urn: "u", name: "g", props: { ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: [secret("0.0.0.0/0"), "10.0.0.0/8"] }] } }) as FirewallItem;
        const [p0, p1] = m.firewall.rules[0].peers;
        expect(p0.kind === "addresses" && [p0.text, p0.set.toString(), p0.secret]).toEqual(["[secret]", "0.0.0.0/0", true]);
        expect(p1.kind === "addresses" && [p1.text, p1.secret]).toEqual(["10.0.0.0/8", undefined]);
    });
});
