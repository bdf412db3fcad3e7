/** Port interval sets (0-65535). */
import { type Span, normalize, union, intersect, subtract, covers, overlaps, contains } from "./spans";

export const MAX_PORT = 65535;

export class PortSet {
    #text: string | undefined = undefined;
    #count: number | undefined = undefined;

    private constructor(readonly spans: readonly Span<number>[]) {}

    static readonly EMPTY = new PortSet([]);
    static readonly ALL = new PortSet([[0, MAX_PORT]]);

    static range(from: number, to: number): PortSet {
        return new PortSet(from <= to ? [[from, to]] : []);
    }
    static of(...ports: number[]): PortSet {
        return new PortSet(normalize(ports.map((p) => [p, p] as const)));
    }
    static fromSpans(spans: readonly Span<number>[]): PortSet {
        return new PortSet(normalize(spans));
    }
    union(o: PortSet): PortSet {
        return new PortSet(union(this.spans, o.spans));
    }
    intersect(o: PortSet): PortSet {
        return new PortSet(intersect(this.spans, o.spans));
    }
    minus(o: PortSet): PortSet {
        return new PortSet(subtract(this.spans, o.spans));
    }
    covers(o: PortSet): boolean {
        return covers(this.spans, o.spans);
    }
    /** Whether the sets share a port (cheaper than `!intersect(o).isEmpty`). */
    overlaps(o: PortSet): boolean {
        return overlaps(this.spans, o.spans);
    }
    has(port: number): boolean {
        return contains(this.spans, port);
    }
    get isEmpty(): boolean {
        return this.spans.length === 0;
    }
    get isAll(): boolean {
        return this.spans.length === 1 && this.spans[0][0] === 0 && this.spans[0][1] === MAX_PORT;
    }
    get count(): number {
        // (ports are few: counted in doubles, once per set)
        if (this.#count === undefined) {
            let n = 0;
            for (let i = 0; i < this.spans.length; i++) n += this.spans[i][1] - this.spans[i][0] + 1;
            this.#count = n;
        }
        return this.#count;
    }
    /** Lowest port, or undefined when empty. */
    get min(): number | undefined {
        return this.spans[0]?.[0];
    }
    /** Every port (use on small sets only). */
    *ports(): Iterable<number> {
        for (const [lo, hi] of this.spans) for (let p = lo; p <= hi; p++) yield p;
    }
    equals(o: PortSet): boolean {
        if (o === this) return true;
        const a = this.spans;
        const b = o.spans;
        if (a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (a[i][0] !== b[i][0] || a[i][1] !== b[i][1]) return false;
        return true;
    }
    /** `22`, `80, 443`, `1024-65535`; every port prints `0-65535`, no port `none` (made once per set). */
    toString(): string {
        if (this.#text === undefined) {
            if (this.isAll) this.#text = "0-65535";
            else if (this.isEmpty) this.#text = "none";
            else {
                let out = "";
                for (let i = 0; i < this.spans.length; i++) {
                    const [lo, hi] = this.spans[i];
                    out += `${i ? ", " : ""}${lo === hi ? `${lo}` : `${lo}-${hi}`}`;
                }
                this.#text = out;
            }
        }
        return this.#text;
    }
}

/**
 * Parse a port spec used by options and by several providers: a number, `"22"`, `"80-90"`.
 * Returns undefined when malformed.
 */
export function parsePortSpec(spec: unknown): PortSet | undefined {
    if (typeof spec === "number") {
        return Number.isInteger(spec) && spec >= 0 && spec <= MAX_PORT ? PortSet.of(spec) : undefined;
    }
    if (typeof spec !== "string") return undefined;
    // Remembered per text: message building reads the catalog's port specs for every port it
    // names (PortSets are immutable, so sharing one is safe).
    let p = specs.get(spec);
    if (p === undefined) {
        p = parseSpecText(spec) ?? null;
        if (specs.size >= MAX_SPECS) specs.clear();
        specs.set(spec, p);
    }
    return p ?? undefined;
}

const specs = new Map<string, PortSet | null>();
const MAX_SPECS = 10_000;

function parseSpecText(spec: string): PortSet | undefined {
    const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(spec);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > MAX_PORT || hi > MAX_PORT || lo > hi) return undefined;
    return PortSet.range(lo, hi);
}

/** Parse a list of port specs (option values); throws nothing, returns the bad entries. */
export function parsePortList(list: readonly unknown[]): { set: PortSet; bad: unknown[] } {
    if (list.length === 1) {
        const p = parsePortSpec(list[0]);
        return p ? { set: p, bad: [] } : { set: PortSet.EMPTY, bad: [list[0]] };
    }
    let set = PortSet.EMPTY;
    const bad: unknown[] = [];
    for (const item of list) {
        const p = parsePortSpec(item);
        if (p) set = set.union(p);
        else bad.push(item);
    }
    return { set, bad };
}
