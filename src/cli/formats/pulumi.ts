/**
 * Pulumi inputs: `pulumi stack export` (deployment version 3) and `pulumi preview --json`.
 *
 * Each resource becomes the ResourceInput the pack would receive: its inputs as props (plus
 * its `id`, so literal-id joins work as they do with outputs), its name from the URN, and
 * propertyDependencies from the resource's own `propertyDependencies` (URN lists).
 *
 * Secrets: an export keeps them as ciphertext (`{4dabf...: ..., ciphertext}`), which the
 * adapters read as unknown; a preview prints them as the string `[secret]`, turned here into a
 * secret without plaintext. Unknowns are the engine's sentinels already.
 */
import type { ResourceInput } from "../../model/items";
import { InputError, isObject, kindOf, opaqueSecret, Unreadable, urnParts, type ScanInput, type ScanResource } from "./types";

const PREVIEW_SECRET = "[secret]";
/** Steps after which the resource is gone from the stack. */
const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace", "read-discard"]);

function asDeps(v: unknown): Record<string, string[]> | undefined {
    if (!isObject(v)) return undefined;
    const out: Record<string, string[]> = {};
    for (const [k, urns] of Object.entries(v)) {
        if (Array.isArray(urns)) out[k] = urns.filter((u): u is string => typeof u === "string");
    }
    return out;
}

function nameOf(urn: string): string {
    return urnParts(urn)?.name ?? urn;
}

function stackOf(resources: ScanResource[], fallback: string): string {
    for (const r of resources) {
        const p = urnParts(r.input.urn);
        if (p) return `${p.project}/${p.stack}`;
    }
    return fallback;
}

/** One resource record (an export's resource or a step's newState) -> ScanResource. */
function toResource(r: Record<string, unknown>, source: string, customUrns: Set<string>, massage?: (v: unknown) => unknown): ScanResource | undefined {
    const urn = r.urn;
    const type = r.type;
    if (typeof urn !== "string" || typeof type !== "string") return undefined;
    for (const k of ["inputs", "outputs"]) {
        if (r[k] != null && !isObject(r[k])) throw new InputError(`${source}: the ${k} of ${urn} are not an object`);
    }
    let props: unknown = isObject(r.inputs) ? r.inputs : isObject(r.outputs) ? r.outputs : {};
    if (massage) props = massage(props);
    if (isObject(props) && typeof r.id === "string" && r.id !== "" && !("id" in props)) props.id = r.id;
    const parent = typeof r.parent === "string" ? r.parent : undefined;
    let propertyDependencies = asDeps(r.propertyDependencies);
    if (!propertyDependencies && parent && customUrns.has(parent) && isObject(props)) {
        // Exports written before propertyDependencies existed: a resource parented to another
        // custom resource (a rule under its group) depends on it through its properties.
        propertyDependencies = Object.fromEntries(Object.keys(props).map((k) => [k, [parent]]));
    }
    const input: ResourceInput = { type, urn, name: nameOf(urn), props, ...(propertyDependencies ? { propertyDependencies } : {}) };
    return { input, ...(parent ? { parent } : {}) };
}

/** `pulumi stack export` output. */
export function readPulumiExport(doc: Record<string, unknown>, source: string): ScanInput {
    if (doc.version !== 3) throw new InputError(`${source}: stack export version ${JSON.stringify(doc.version)} is not supported (portguard reads version 3)`);
    const deployment = doc.deployment as Record<string, unknown>;
    const raw = deployment.resources ?? [];
    if (!Array.isArray(raw)) throw new InputError(`${source}: deployment.resources is not a list`);
    const customUrns = new Set<string>();
    for (const r of raw) if (isObject(r) && r.custom === true && typeof r.urn === "string") customUrns.add(r.urn);
    const resources: ScanResource[] = [];
    let skipped = 0;
    const bad = new Unreadable(source, "stack export");
    raw.forEach((r, i) => {
        if (!isObject(r)) return bad.add(`deployment.resources[${i}]`, `is ${kindOf(r)}, not a resource`);
        if (typeof r.urn !== "string") return bad.add(`deployment.resources[${i}]`, "has no urn");
        if (typeof r.type !== "string") return bad.add(`deployment.resources[${i}]`, "has no type");
    });
    bad.check();
    for (const r of raw) {
        // `delete: true`: an old copy waiting to be deleted (replacement in progress).
        if (r.delete === true) {
            skipped++;
            continue;
        }
        const sr = toResource(r, source, customUrns);
        if (sr) resources.push(sr);
        else skipped++;
    }
    return { source, format: "pulumi-export", stack: stackOf(resources, source), resources, skipped };
}

/** `[secret]` (how `preview --json` prints secrets) -> a secret without plaintext. */
function massagePreviewSecrets(v: unknown): unknown {
    if (v === PREVIEW_SECRET) return opaqueSecret();
    if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) v[i] = massagePreviewSecrets(v[i]);
        return v;
    }
    if (isObject(v)) {
        for (const k of Object.keys(v)) v[k] = massagePreviewSecrets(v[k]);
        return v;
    }
    return v;
}

/** `pulumi preview --json` output: the state every step leaves (the stack after the update). */
export function readPulumiPreview(doc: Record<string, unknown>, source: string): ScanInput {
    const steps = doc.steps ?? [];
    if (!Array.isArray(steps)) throw new InputError(`${source}: steps is not a list`);
    const byUrn = new Map<string, Record<string, unknown>>();
    let skipped = 0;
    const bad = new Unreadable(source, "preview");
    steps.forEach((s, i) => {
        if (!isObject(s)) return bad.add(`steps[${i}]`, `is ${kindOf(s)}, not a step`);
        if (typeof s.urn !== "string" && !(isObject(s.newState) && typeof s.newState.urn === "string")) return bad.add(`steps[${i}]`, "has no urn");
        if (s.newState != null && !isObject(s.newState)) return bad.add(`steps[${i}].newState`, `is ${kindOf(s.newState)}, not a resource state`);
    });
    bad.check();
    for (const s of steps as Array<Record<string, unknown>>) {
        const urn = typeof s.urn === "string" ? s.urn : (s.newState as Record<string, unknown>).urn as string;
        if (GONE.has(String(s.op))) {
            // A replacement's delete-replaced step follows its create-replacement: keep the new state.
            if (s.op === "delete" || s.op === "discard" || s.op === "read-discard") byUrn.delete(urn);
            continue;
        }
        if (isObject(s.newState)) {
            byUrn.set(urn, s.newState); // the last state wins, at the resource's first position
        }
    }
    const customUrns = new Set<string>();
    for (const [u, st] of byUrn) if (st.custom === true) customUrns.add(u);
    const resources: ScanResource[] = [];
    for (const st of byUrn.values()) {
        const sr = toResource(st, source, customUrns, massagePreviewSecrets);
        if (sr) resources.push(sr);
        else skipped++;
    }
    return { source, format: "pulumi-preview", stack: stackOf(resources, source), resources, skipped };
}
