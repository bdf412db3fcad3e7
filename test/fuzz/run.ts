/**
 * What the fuzz and oracle suites share about how long they run: sizes and seeds from the
 * environment (a thorough run sets them; `npm test` keeps the small defaults), time limits that
 * grow with the size, and a pause that keeps a long synchronous property from starving vitest.
 */

/** `name` as a positive count, else `dflt`. */
export function runsFrom(name: string, dflt: number): number {
    const n = Number(process.env[name]);
    return n > 0 ? n : dflt;
}

/** fast-check parameters fixing the seed from `name` (a recorded thorough run can be replayed), or none. */
export function seedFrom(name: string): { seed: number } | Record<string, never> {
    return process.env[name] ? { seed: Number(process.env[name]) } : {};
}

/**
 * Lets the worker's event loop turn every 200 ms of a long property: a thorough run of a
 * synchronous property blocks vitest's worker past its one-minute RPC timeout ("Timeout calling
 * onTaskUpdate"), an unhandled error that fails the run although every test passed.
 */
let lastTurn = Date.now();
export async function breathe(): Promise<void> {
    if (Date.now() - lastTurn < 200) return;
    await new Promise((r) => setImmediate(r));
    lastTurn = Date.now();
}
