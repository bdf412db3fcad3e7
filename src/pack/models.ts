/**
 * The models an evaluator remembers, so a resource is adapted once however many policies judge
 * it. The SDK hands every policy its own copy of the properties (deserialized afresh, in a new
 * proxy), so without this each resource was adapted, and its rules evaluated, once per policy.
 *
 * A model is reused only for the same resource (URN, type, name, secret texts) with the same
 * content. Same content is known one of two ways:
 * - the properties came from the same request (./secrets.ts links every deserialized copy to
 *   the wire struct it was made from: equal structs give equal copies), or
 * - they match a snapshot of those the model was adapted from (./fingerprint: equal in
 *   everything an adapter can read), for callers that are not the SDK.
 * Properties that are neither are adapted every time.
 *
 * Two bounded memories: the last resources analysed one at a time (the policies of one Analyze
 * come one after the other), and the resources of the last stack (the policies of one
 * AnalyzeStack each walk all of it). Nothing older is kept. An offline runner whose inputs do
 * not change while they are judged (`unchangingInputs`) has each input object adapted once.
 */
import type { Firewall } from "../model";
import type { Modeled, ResourceInput } from "../model/items";
import { adapterFor, modelResource } from "../providers";
import { registeredSecretTexts } from "../providers/read";
import { fragmentFirewall } from "../analysis/join";
import type { CheckContext } from "../policies/types";
import { matches, snapshot, type Snapshot } from "./fingerprint";
import { requestOrigin } from "./secrets";

interface Remembered {
    type: string;
    name: string;
    /** The wire struct the properties were deserialized from, when the SDK made them. */
    origin?: object;
    /** Otherwise a snapshot of them. */
    props?: Snapshot;
    modeled: Modeled | null;
    secrets?: readonly string[];
}

const RECENT = 64;

function sameTexts(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
    return a === b || (!!a && !!b && a.length === b.length && a.every((t, i) => t === b[i]));
}

export class ModelMemory {
    private readonly recent = new Map<string, Remembered>();
    private lastStack = new Map<string, Remembered>();
    /** Inputs of an offline runner: adapted once each (null: not a firewall-like resource). */
    private readonly once = new WeakMap<ResourceInput, Modeled | null>();
    /** One fragment firewall per rules item, so its evaluation is shared by the policies. */
    private readonly fragments = new WeakMap<Modeled, Firewall>();

    constructor(private readonly unchangingInputs = false) {}

    /** The model of one resource (validateResource): the recent memory. */
    adapt(input: ResourceInput): Modeled | undefined {
        if (this.unchangingInputs) return this.adaptOnce(input);
        if (!adapterFor(input.type)) return undefined;
        const hit = this.recall(this.recent, input);
        if (hit) return hit.modeled ?? undefined;
        const r = this.adaptFresh(input);
        if (!("modeled" in r)) return r.model;
        this.recent.delete(input.urn);
        this.recent.set(input.urn, r);
        if (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value!);
        return r.modeled ?? undefined;
    }

    /** Every resource of a stack (validateStack): the last stack's memory, replaced by this one's at `done`. */
    stackAdapter(): { adapt: (input: ResourceInput) => Modeled | undefined; done: () => void } {
        if (this.unchangingInputs) return { adapt: (input) => this.adaptOnce(input), done: () => undefined };
        const next = new Map<string, Remembered>();
        return {
            adapt: (input) => {
                if (!adapterFor(input.type)) return undefined;
                const hit = this.recall(this.lastStack, input) ?? this.recall(this.recent, input);
                if (hit) {
                    next.set(input.urn, hit);
                    return hit.modeled ?? undefined;
                }
                const r = this.adaptFresh(input);
                if (!("modeled" in r)) return r.model;
                next.set(input.urn, r);
                return r.modeled ?? undefined;
            },
            done: () => {
                this.lastStack = next;
            },
        };
    }

    /** The firewall a single resource's model proves things about, if any. */
    resourceFirewall(m: Modeled): { fw: Firewall; ctx: CheckContext } | undefined {
        if (m.kind === "firewall") return { fw: m.firewall, ctx: { fragment: !!m.rulesElsewhere, parentMissing: false } };
        if (m.kind === "rules") {
            let fw = this.fragments.get(m);
            if (!fw) this.fragments.set(m, (fw = fragmentFirewall(m)));
            return { fw, ctx: { fragment: true, parentMissing: false } };
        }
        return undefined;
    }

    private adaptOnce(input: ResourceInput): Modeled | undefined {
        let known = this.once.get(input);
        if (known === undefined) this.once.set(input, (known = modelResource(input) ?? null));
        return known ?? undefined;
    }

    private recall(memory: Map<string, Remembered>, input: ResourceInput): Remembered | undefined {
        const hit = memory.get(input.urn);
        if (!hit || hit.type !== input.type || hit.name !== input.name) return undefined;
        // (the same values sent once plain and once marked secret are not the same resource for the secret rule)
        if (!sameTexts(hit.secrets, registeredSecretTexts(input.props))) return undefined;
        if (hit.origin !== undefined) return requestOrigin(input.props) === hit.origin ? hit : undefined;
        return hit.props !== undefined && matches(hit.props, input.props) ? hit : undefined;
    }

    private adaptFresh(input: ResourceInput): Remembered | { model: Modeled | undefined } {
        const origin = requestOrigin(input.props);
        const props = origin === undefined ? snapshot(input.props) : undefined;
        const m = modelResource(input);
        if (origin === undefined && props === undefined) return { model: m };
        const secrets = registeredSecretTexts(input.props);
        return { type: input.type, name: input.name, ...(origin !== undefined ? { origin } : { props }), modeled: m ?? null, ...(secrets ? { secrets } : {}) };
    }
}
