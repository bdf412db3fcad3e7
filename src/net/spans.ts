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

/** Sort and merge overlapping or adjacent spans. Drops spans with lo > hi. */
export function normalize<T extends Num>(spans: readonly Span<T>[]): Span<T>[] {
    // Already normalized (the usual case: built in order by the set operations): copy, no sort.
    let inOrder = true;
    for (let i = 0; i < spans.length && inOrder; i++) inOrder = spans[i][0] <= spans[i][1] && (i === 0 || spans[i][0] > inc(spans[i - 1][1]));
    if (inOrder) return spans.map(([lo, hi]) => [lo, hi] as const);
    const valid = spans.filter(([lo, hi]) => lo <= hi);
    if (valid.length <= 1) return valid.slice();
    const sorted = valid.slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: [T, T][] = [];
    for (const [lo, hi] of sorted) {
        const last = out[out.length - 1];
        if (last && lo <= inc(last[1])) {
            if (hi > last[1]) last[1] = hi;
        } else {
            out.push([lo, hi]);
        }
    }
    return out;
}

/**
 * Union of two normalized span lists (linear merge: the lists are sorted already, so no sort;
 * union used to concatenate and re-sort, which made repeated unions quadratic-logarithmic).
 */
export function union<T extends Num>(a: readonly Span<T>[], b: readonly Span<T>[]): Span<T>[] {
    if (a.length === 0) return b as Span<T>[];
    if (b.length === 0) return a as Span<T>[];
    const out: [T, T][] = [];
    let i = 0;
    let j = 0;
    let last: [T, T] | undefined;
    while (i < a.length || j < b.length) {
        const next = j >= b.length || (i < a.length && a[i][0] <= b[j][0]) ? a[i++] : b[j++];
        if (last && next[0] <= inc(last[1])) {
            if (next[1] > last[1]) last[1] = next[1];
        } else {
            last = [next[0], next[1]];
            out.push(last);
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
        const lo = a[i][0] > b[j][0] ? a[i][0] : b[j][0];
        const hi = a[i][1] < b[j][1] ? a[i][1] : b[j][1];
        if (lo <= hi) out.push([lo, hi]);
        if (a[i][1] < b[j][1]) i++;
        else j++;
    }
    return out;
}

/** a minus b, both normalized (linear merge). */
export function subtract<T extends Num>(a: readonly Span<T>[], b: readonly Span<T>[]): Span<T>[] {
    if (b.length === 0 || a.length === 0) return a as Span<T>[];
    const out: Span<T>[] = [];
    let j = 0;
    for (const [alo, ahi] of a) {
        let lo = alo;
        while (j < b.length && b[j][1] < lo) j++;
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
