/**
 * Sorted, disjoint, inclusive intervals over integers (numbers for ports, bigints for
 * addresses). The one piece of interval arithmetic in the project: port sets and address
 * sets are both built on it.
 */
export type Num = number | bigint;
export type Span<T extends Num> = readonly [T, T];

function inc<T extends Num>(x: T): T {
    return (typeof x === "bigint" ? x + 1n : (x as number) + 1) as T;
}
function dec<T extends Num>(x: T): T {
    return (typeof x === "bigint" ? x - 1n : (x as number) - 1) as T;
}

/**
 * Spans are immutable once made (typed readonly): the set operations below share the span
 * tuples of their inputs wherever an output span equals one, and make a new tuple only for a
 * span that is cut or merged (most unions and subtractions of address sets leave most spans as
 * they were, and a tuple of two BigInts is three heap objects).
 */

/** Whether span b starts right after span a ends (b[0] = a[1] + 1), checked without arithmetic where possible. */
function adjacent<T extends Num>(a: Span<T>, b: Span<T>): boolean {
    return b[0] > a[1] && b[0] === inc(a[1]);
}

/** Sort and merge overlapping or adjacent spans. Drops spans with lo > hi. */
export function normalize<T extends Num>(spans: readonly Span<T>[]): Span<T>[] {
    // Already normalized (the usual case: built in order by the set operations): a copy of the list, no sort.
    let inOrder = true;
    for (let i = 0; i < spans.length && inOrder; i++) inOrder = spans[i][0] <= spans[i][1] && (i === 0 || (spans[i][0] > spans[i - 1][1] && !adjacent(spans[i - 1], spans[i])));
    if (inOrder) return spans.slice();
    const valid = spans.filter(([lo, hi]) => lo <= hi);
    if (valid.length <= 1) return valid.slice();
    const sorted = valid.slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: Span<T>[] = [];
    for (const sp of sorted) {
        const n = out.length;
        const last = n > 0 ? out[n - 1] : undefined;
        if (last && (sp[0] <= last[1] || adjacent(last, sp))) {
            if (sp[1] > last[1]) out[n - 1] = [last[0], sp[1]];
        } else {
            out.push(sp);
        }
    }
    return out;
}

/**
 * Union of two normalized span lists (linear merge: the lists are sorted already, so no sort;
 * concatenating and re-sorting would make repeated unions quadratic-logarithmic).
 */
export function union<T extends Num>(a: readonly Span<T>[], b: readonly Span<T>[]): Span<T>[] {
    if (a.length === 0) return b as Span<T>[];
    if (b.length === 0) return a as Span<T>[];
    const out: Span<T>[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        const next = j >= b.length || (i < a.length && a[i][0] <= b[j][0]) ? a[i++] : b[j++];
        const n = out.length;
        const last = n > 0 ? out[n - 1] : undefined;
        if (last && (next[0] <= last[1] || adjacent(last, next))) {
            if (next[1] > last[1]) out[n - 1] = [last[0], next[1]];
        } else {
            out.push(next);
        }
    }
    return out;
}

/** Intersection of two normalized span lists (linear merge). */
export function intersect<T extends Num>(a: readonly Span<T>[], b: readonly Span<T>[]): Span<T>[] {
    const out: Span<T>[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const x = a[i];
        const y = b[j];
        const lo = x[0] > y[0] ? x[0] : y[0];
        const hi = x[1] < y[1] ? x[1] : y[1];
        if (lo <= hi) out.push(lo === x[0] && hi === x[1] ? x : lo === y[0] && hi === y[1] ? y : [lo, hi]);
        if (x[1] < y[1]) i++;
        else j++;
    }
    return out;
}

/** a minus b, both normalized (linear merge). */
export function subtract<T extends Num>(a: readonly Span<T>[], b: readonly Span<T>[]): Span<T>[] {
    if (b.length === 0 || a.length === 0) return a as Span<T>[];
    const out: Span<T>[] = [];
    let j = 0;
    for (const sp of a) {
        const ahi = sp[1];
        let lo = sp[0];
        while (j < b.length && b[j][1] < lo) j++;
        if (j >= b.length || b[j][0] > ahi) {
            out.push(sp); // untouched
            continue;
        }
        let k = j;
        while (k < b.length && b[k][0] <= ahi) {
            if (b[k][0] > lo) out.push([lo, dec(b[k][0])]);
            if (b[k][1] >= ahi) {
                lo = inc(ahi);
                break;
            }
            lo = inc(b[k][1]);
            k++;
        }
        if (lo <= ahi) out.push([lo, ahi]);
    }
    return out;
}

/**
 * Whether a contains every element of b (both normalized). Allocation-free: a normalized list
 * has no adjacent spans, so a span of b is covered only when one span of a contains it.
 */
export function covers<T extends Num>(a: readonly Span<T>[], b: readonly Span<T>[]): boolean {
    let i = 0;
    for (const [lo, hi] of b) {
        // first span of a that ends at or after lo (a is sorted; b is too, so i only moves on)
        let l = i;
        let h = a.length - 1;
        while (l <= h) {
            const mid = (l + h) >> 1;
            if (a[mid][1] < lo) l = mid + 1;
            else h = mid - 1;
        }
        i = l;
        if (i >= a.length || a[i][0] > lo || a[i][1] < hi) return false;
    }
    return true;
}

/** Whether a and b share an element (linear merge, stops at the first common element). */
export function overlaps<T extends Num>(a: readonly Span<T>[], b: readonly Span<T>[]): boolean {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        if (a[i][1] < b[j][0]) i++;
        else if (b[j][1] < a[i][0]) j++;
        else return true;
    }
    return false;
}

/** Number of elements a and b share (both normalized), without building the intersection. */
export function overlapSize<T extends Num>(a: readonly Span<T>[], b: readonly Span<T>[]): bigint {
    let n = 0n;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const lo = a[i][0] > b[j][0] ? a[i][0] : b[j][0];
        const hi = a[i][1] < b[j][1] ? a[i][1] : b[j][1];
        if (lo <= hi) n += BigInt(hi) - BigInt(lo) + 1n;
        if (a[i][1] < b[j][1]) i++;
        else j++;
    }
    return n;
}

/** Number of elements, as a bigint (address spaces exceed 2^53). */
export function size<T extends Num>(a: readonly Span<T>[]): bigint {
    let n = 0n;
    for (const [lo, hi] of a) n += BigInt(hi) - BigInt(lo) + 1n;
    return n;
}

export function contains<T extends Num>(a: readonly Span<T>[], x: T): boolean {
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (x < a[mid][0]) hi = mid - 1;
        else if (x > a[mid][1]) lo = mid + 1;
        else return true;
    }
    return false;
}
