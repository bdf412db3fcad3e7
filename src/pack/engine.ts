/**
 * The one evaluation entry point, shared by the pack (validateResource / validateStack) and
 * any offline runner: model -> join -> policy check -> exemptions -> findings. The policy
 * contract is src/policies/types.ts, options are resolved in ./config.ts, exemptions applied in
 * ./exemptions.ts; this module holds the models it reuses and the stack join's de-duplication.
 */
import type { Firewall, Rule } from "../model";
import { adapterFor, modelResource, secretsOf } from "../providers";
import { registeredSecretTexts, scrubSecrets } from "../providers/read";
import type { Modeled, ResourceInput } from "../model/items";
import { fragmentFirewall, joinStack, type JoinedFirewall, type StackItem } from "../analysis/join";
import { matches, snapshot, type Snapshot } from "./fingerprint";
import { resolveConfig } from "./config";
import { applyExemptions } from "./exemptions";
import type { Finding, FindingData, ReportedFinding } from "../findings/types";
import { shortType } from "../findings/data";
import type { CheckContext, EvaluationContext, PolicyDef, Verdict } from "../policies/types";

export type { CheckContext, Control, EnforcementLevel, EvaluationContext, Finding, PolicyDef, ReportedFinding, Severity, Verdict } from "../policies/types";
export { resolveConfig } from "./config";

/**
 * Models of resources seen by validateResource in this process, keyed by URN. Stack policies
 * receive outputs, which after apply echo separate rules inside inline lists; the inputs seen
 * moments earlier in the same run are the truer model.
 */
const inputModels = new Map<string, { type: string; modeled: Modeled }>();

/**
 * URNs validateResource judged in this process. The stack phase leaves out what resource level
 * already reported only for these: when AnalyzeStack is the only call (an analyzer running
 * stack policies alone, on a state), it reports everything itself.
 */
const analyzedUrns = new Set<string>();

/**
 * Forget the input models (all, or those of some URNs: their stack phase then reads them as
 * outputs). Forgetting all also forgets which resources were judged one by one.
 */
export function forgetInputModels(urns?: Iterable<string>): void {
    if (!urns) {
        inputModels.clear();
        analyzedUrns.clear();
    } else for (const u of urns) inputModels.delete(u);
}

/**
 * Inputs an offline runner declared unchanging (adaptOnce): each is adapted once, however
 * many policies judge it. The pack never declares any, so it adapts on every call.
 */
const onceModels = new WeakMap<ResourceInput, Modeled | null | undefined>();

/** Declare an input that will not change while it is evaluated: it is adapted only once. */
export function adaptOnce<T extends ResourceInput>(input: T): T {
    if (!onceModels.has(input)) onceModels.set(input, undefined);
    return input;
}

/**
 * Models remembered with the content they were adapted from. The SDK hands every policy its
 * own copy of the properties, so without this each resource was adapted, and its rules
 * evaluated, once per policy (five times). A model is reused only when type and name are equal
 * and the properties match a snapshot of those it was adapted from (./fingerprint: equal in
 * everything an adapter can read); properties that cannot be snapshotted are adapted every
 * time, as before. Two bounded memories: the last resources analysed one at a time (the five
 * policies of one Analyze come one after the other), and the resources of the last stack (the
 * five policies of one AnalyzeStack each walk all of it); nothing older is kept.
 */
type Remembered = { type: string; name: string; props: Snapshot; modeled: Modeled | null; secrets?: readonly string[] };
const RECENT = 64;
const recent = new Map<string, Remembered>();
let lastStack = new Map<string, Remembered>();

function recall(memory: Map<string, Remembered>, input: ResourceInput): Remembered | undefined {
    const hit = memory.get(input.urn);
    // (the same values sent once plain and once marked secret are not the same resource for the secret rule)
    return hit && hit.type === input.type && hit.name === input.name && sameTexts(hit.secrets, registeredSecretTexts(input.props)) && matches(hit.props, input.props) ? hit : undefined;
}

function sameTexts(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
    return a === b || (!!a && !!b && a.length === b.length && a.every((t, i) => t === b[i]));
}

function adaptFresh(input: ResourceInput): Remembered | Modeled | undefined {
    const props = snapshot(input.props);
    const m = modelResource(input);
    const secrets = registeredSecretTexts(input.props);
    return props === undefined ? m : { type: input.type, name: input.name, props, modeled: m ?? null, ...(secrets ? { secrets } : {}) };
}

/** One resource (validateResource): the recent memory. */
function adaptByContent(input: ResourceInput): Modeled | undefined {
    if (!adapterFor(input.type)) return undefined;
    const hit = recall(recent, input);
    if (hit) return hit.modeled ?? undefined;
    const r = adaptFresh(input);
    if (r === undefined || !("props" in r)) return r;
    recent.delete(input.urn);
    recent.set(input.urn, r);
    if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
    return r.modeled ?? undefined;
}

/** Every resource of a stack (validateStack): the last stack's memory, replaced by this one's. */
function stackAdapter(): { adapt: (input: ResourceInput) => Modeled | undefined; done: () => void } {
    const next = new Map<string, Remembered>();
    return {
        adapt(input) {
            if (onceModels.has(input)) return adapt(input);
            if (!adapterFor(input.type)) return undefined;
            const hit = recall(lastStack, input) ?? recall(recent, input);
            if (hit) {
                next.set(input.urn, hit);
                return hit.modeled ?? undefined;
            }
            const r = adaptFresh(input);
            if (r === undefined || !("props" in r)) return r;
            next.set(input.urn, r);
            return r.modeled ?? undefined;
        },
        done() {
            lastStack = next;
        },
    };
}

function adapt(input: ResourceInput): Modeled | undefined {
    if (!onceModels.has(input)) return adaptByContent(input);
    let known = onceModels.get(input);
    if (known === undefined) onceModels.set(input, (known = modelResource(input) ?? null));
    return known ?? undefined;
}

function modelInput(input: ResourceInput): Modeled | undefined {
    const m = adapt(input);
    if (m) inputModels.set(input.urn, { type: input.type, modeled: m });
    return m;
}

/** One fragment firewall per rules item, so its evaluation is shared by the policies. */
const fragments = new WeakMap<Modeled, Firewall>();

/** The firewall a single resource proves things about, if any. */
function resourceFirewall(m: Modeled): { fw: Firewall; ctx: CheckContext } | undefined {
    if (m.kind === "firewall") return { fw: m.firewall, ctx: { fragment: !!m.rulesElsewhere, parentMissing: false } };
    if (m.kind === "rules") {
        let fw = fragments.get(m);
        if (!fw) fragments.set(m, (fw = fragmentFirewall(m)));
        return { fw, ctx: { fragment: true, parentMissing: false } };
    }
    return undefined;
}

/**
 * What one stack is, for every policy that judges it: the join, which joined firewalls are the
 * resource's own unchanged (nothing new to find), and the lookups by URN. Built once and reused
 * while every policy of one AnalyzeStack judges the same stack: the same model objects (see
 * stackAdapter), read the same way, with the same names and property dependencies (all these
 * read). The joined firewalls are then shared, and so is their evaluation.
 */
interface StackIndex {
    /** What the sameness check compares (not the inputs: they hold the SDK's copy of the properties). */
    seen: Array<{ modeled: Modeled; fromOutputs: boolean; urn: string; name: string; deps?: Record<string, string[]> }>;
    /**
     * The joined firewalls, in join order. Those the join left as the resource's own firewall
     * (same rules, same problems, same context: `unchanged`) find exactly what resource level
     * found, nothing new, and are skipped when resource level judged them in this process.
     */
    joined: Array<{ j: JoinedFirewall; parentMissing: boolean; unchanged: boolean }>;
    /** The last item of each URN (its name, and its tags when it is a rules item), by position in `seen`. */
    byUrn: Map<string, number>;
    /** Models with a firewall of their own, by URN (one model, or several in stack order). */
    itemsByUrn: Map<string, Modeled | Modeled[]>;
    /** Every URN in each resource's own firewall (its own, its rules', its problems') is the resource's. */
    ownUrns: boolean;
}
let lastStackIndex: StackIndex | undefined;

/**
 * Forget the last stack: its models, its index and its joined firewalls. The pack keeps them
 * for the next AnalyzeStack; an offline runner that is done with a stack calls this, so they
 * are not held while it goes on (rendering, the next input).
 */
export function forgetStacks(): void {
    lastStack = new Map();
    lastStackIndex = undefined;
}

function sameDeps(a: Record<string, string[]> | undefined, b: Record<string, string[]> | undefined): boolean {
    if (a === b) return true;
    const ka = Object.keys(a ?? {});
    const kb = Object.keys(b ?? {});
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
        const x = a![k];
        const y = b?.[k];
        if (!y || x.length !== y.length || x.some((u, i) => u !== y[i])) return false;
    }
    return true;
}

function indexOnce(items: StackItem[]): StackIndex {
    const prev = lastStackIndex?.seen;
    const same =
        prev !== undefined &&
        prev.length === items.length &&
        items.every(
            (it, i) =>
                it.modeled === prev[i].modeled &&
                !!it.fromOutputs === prev[i].fromOutputs &&
                it.input.urn === prev[i].urn &&
                it.input.name === prev[i].name &&
                sameDeps(it.input.propertyDependencies, prev[i].deps),
        );
    if (same) return lastStackIndex!;
    const seen = items.map((it) => ({ modeled: it.modeled, fromOutputs: !!it.fromOutputs, urn: it.input.urn, name: it.input.name, deps: it.input.propertyDependencies }));
    const byUrn = new Map<string, number>();
    const itemsByUrn = new Map<string, Modeled | Modeled[]>();
    const firewallsByUrn = new Map<string, Modeled[]>();
    let ownUrns = true;
    items.forEach((it, i) => byUrn.set(it.input.urn, i));
    for (const it of items) {
        const one = resourceFirewall(it.modeled);
        if (!one) continue;
        const list = itemsByUrn.get(it.input.urn);
        if (list === undefined) itemsByUrn.set(it.input.urn, it.modeled);
        else if (Array.isArray(list)) list.push(it.modeled);
        else itemsByUrn.set(it.input.urn, [list, it.modeled]);
        if (ownUrns && !onlyOwnUrn(one.fw, it.input.urn)) ownUrns = false;
        if (it.modeled.kind === "firewall") {
            const fws = firewallsByUrn.get(it.input.urn);
            if (fws) fws.push(it.modeled);
            else firewallsByUrn.set(it.input.urn, [it.modeled]);
        }
    }
    const joined: StackIndex["joined"] = [];
    for (const j of joinStack(items)) {
        const parentMissing = !j.members.some((u) => firewallsByUrn.has(u));
        // A group or ACL the join left as it was (same rules, same problems, judged in the same
        // context) finds exactly what resource level found: nothing new.
        const unchanged = j.members.length === 1 && (firewallsByUrn.get(j.members[0]) ?? []).some((m) => unchangedByJoin(m, j.firewall, parentMissing));
        joined.push({ j, parentMissing, unchanged });
    }
    lastStackIndex = { seen, joined, byUrn, itemsByUrn, ownUrns };
    return lastStackIndex;
}

/** Whether every URN a resource's own firewall carries (its own, its rules', its problems') is `urn`. */
const ownUrnMemo = new WeakMap<Firewall, string>();
function onlyOwnUrn(fw: Firewall, urn: string): boolean {
    if (ownUrnMemo.get(fw) === urn) return true;
    const own = (u: string | undefined) => u === undefined || u === urn;
    const rulesOk = (rs: readonly Rule[] | undefined) => (rs ?? []).every((r) => r.urn === urn && r.problems.every((p) => own(p.urn)));
    const ok = fw.urn === urn && rulesOk(fw.rules) && rulesOk(fw.implicitRules) && fw.problems.every((p) => own(p.urn));
    if (ok) ownUrnMemo.set(fw, urn);
    return ok;
}

/** Whether a joined firewall is the resource's own firewall in content and check context. */
function unchangedByJoin(m: Modeled, joined: Firewall, parentMissing: boolean): boolean {
    const one = resourceFirewall(m);
    if (!one || one.ctx.fragment || one.ctx.parentMissing !== parentMissing) return false;
    const a = one.fw as unknown as Record<string, unknown>;
    const b = joined as unknown as Record<string, unknown>;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) {
        const x = a[k];
        const y = b[k];
        if (x === y) continue;
        if (!(k in b) || !Array.isArray(x) || !Array.isArray(y) || x.length !== y.length || x.some((e, i) => e !== y[i])) return false;
    }
    return true;
}

function safeCheck<C>(def: PolicyDef<C>, fw: Firewall, config: C, ctx: CheckContext): Finding[] {
    try {
        return def.check(fw, config, ctx);
    } catch (e) {
        return [{ urn: fw.urn, path: "", messageId: "internalError", data: { type: fw.type, name: fw.name, error: e instanceof Error ? e.name : "error", policy: def.name } }];
    }
}

/**
 * The secret rule's last safety net: findings whose message and data have every plaintext that
 * `secrets` (the resources' secret values) hold written `[secret]`. The reading layer already
 * writes secret values so (peer texts, quoted values); this catches what a finding still quotes
 * (reference ids, prefix list ids, numbers). The message stays lazy: it is scrubbed when read.
 */
function scrubbed(findings: ReportedFinding[], secrets: readonly string[]): ReportedFinding[] {
    if (secrets.length === 0 || findings.length === 0) return findings;
    return findings.map((f) => {
        const plain: Omit<ReportedFinding, "message"> = { urn: f.urn, path: f.path, messageId: f.messageId, data: scrubData(f.data, secrets) as FindingData, policy: f.policy, ...(f.note ? { note: f.note } : {}) };
        let message: string | undefined;
        return Object.defineProperty(plain, "message", { get: () => (message ??= scrubSecrets(f.message, secrets)), enumerable: true }) as ReportedFinding;
    });
}

/** Data with every string scrubbed of the secrets (numbers taken from a secret become `[secret]` too). */
function scrubData(v: unknown, secrets: readonly string[]): unknown {
    if (typeof v === "string") return scrubSecrets(v, secrets);
    if (typeof v === "number") return secrets.includes(String(v)) ? "[secret]" : v;
    if (Array.isArray(v)) return v.map((x) => scrubData(x, secrets));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrubData(x, secrets)]));
    return v;
}

/** Why no policy judges a resource of this type, or undefined when an adapter reads it. */
export function unreadType(type: string): string | undefined {
    let r = unreadMemo.get(type);
    if (r === undefined) {
        r = adapterFor(type) ? null : `portguard reads no firewall rules from ${type} resources`;
        if (unreadMemo.size > 512) unreadMemo.clear();
        unreadMemo.set(type, r);
    }
    return r ?? undefined;
}
const unreadMemo = new Map<string, string | null>();

/** validateResource: what one resource's inputs prove, or why the policy does not apply to it. */
export function judgeResource<C>(def: PolicyDef<C>, input: ResourceInput, raw: Record<string, unknown> | undefined, now = new Date(), ctx: EvaluationContext = {}): Verdict {
    const unread = unreadType(input.type);
    if (unread) return { findings: [], notApplicable: unread };
    const m = modelInput(input);
    analyzedUrns.add(input.urn);
    if (!m) return { findings: [] };
    const one = resourceFirewall(m);
    if (!one) return { findings: [], notApplicable: `${shortType(input.type)} holds addresses, not rules: portguard judges the rules that refer to it` };
    const { config, full } = resolveConfig(def, raw);
    const na = one.fw.problems.length === 0 ? def.notApplicable?.(one.fw, config, one.ctx) : undefined;
    if (na) return { findings: [], notApplicable: na };
    const tags = m.kind === "rules" ? m.tags : m.kind === "firewall" ? m.firewall.tags : undefined;
    return { findings: scrubbed(applyExemptions(def, safeCheck(def, one.fw, config, one.ctx), full, () => ({ name: input.name, tags }), undefined, now, ctx), secretsOf(m)) };
}

/** validateResource's findings (judgeResource without the "not applicable" answer). */
export function evaluateResource<C>(def: PolicyDef<C>, input: ResourceInput, raw: Record<string, unknown> | undefined, now = new Date(), ctx: EvaluationContext = {}): ReportedFinding[] {
    return judgeResource(def, input, raw, now, ctx).findings;
}

const key = (f: Finding) => `${f.urn}\u0000${f.path}`;

/**
 * validateStack: what only the joined stack shows. Findings a single resource already proves
 * are left out (they were reported at resource level), so nothing is reported twice.
 */
export function evaluateStack<C>(def: PolicyDef<C>, inputs: readonly ResourceInput[], raw: Record<string, unknown> | undefined, now = new Date(), ctx: EvaluationContext = {}): ReportedFinding[] {
    return judgeStack(def, inputs, raw, now, ctx).findings;
}

/**
 * validateStack with Pulumi's "not applicable": answered only for a stack with no firewall
 * and no rule resource at all (a stack whose firewalls are clean is compliant).
 */
export function judgeStack<C>(def: PolicyDef<C>, inputs: readonly ResourceInput[], raw: Record<string, unknown> | undefined, now = new Date(), ctx: EvaluationContext = {}): Verdict {
    const { config, full } = resolveConfig(def, raw);
    const items: StackItem[] = [];
    const adapter = stackAdapter();
    for (const input of inputs) {
        const cached = inputModels.get(input.urn);
        const modeled = cached && cached.type === input.type ? cached.modeled : adapter.adapt(input);
        if (!modeled) continue;
        items.push({ input, modeled, fromOutputs: !(cached && cached.type === input.type) });
    }
    adapter.done();
    if (!items.some((it) => it.modeled.kind === "firewall" || it.modeled.kind === "rules")) {
        return { findings: [], notApplicable: "the stack has no firewall, network ACL or firewall rule resource portguard reads" };
    }
    const stack = indexOnce(items);
    // What resource level already reported (or would have), by URN. A policy's findings name
    // the URNs of the firewall, its rules and its problems; when every one of those in a
    // resource's own model is the resource's URN (always, for the adapters here), its findings
    // can only carry that URN, so they are computed when a stack finding with that URN needs
    // them. Otherwise every resource is checked up front, as before.
    const alreadyByUrn = new Map<string, Set<string>>();
    const resourceLevel = (urn: string): Set<string> => {
        let set = alreadyByUrn.get(urn);
        if (!set) {
            set = new Set();
            const own = stack.itemsByUrn.get(urn);
            for (const m of own === undefined ? [] : Array.isArray(own) ? own : [own]) {
                const one = resourceFirewall(m)!;
                for (const f of safeCheck(def, one.fw, config, one.ctx)) set.add(key(f));
            }
            alreadyByUrn.set(urn, set);
        }
        return set;
    };
    const already = new Set<string>();
    if (!stack.ownUrns) for (const urn of stack.itemsByUrn.keys()) for (const k of resourceLevel(urn)) already.add(k);
    // Only what validateResource judged in this process was reported at resource level.
    const reported = (f: Finding) => analyzedUrns.has(f.urn) && (stack.ownUrns ? resourceLevel(f.urn).has(key(f)) : already.has(key(f)));
    const out: ReportedFinding[] = [];
    const names = (u: string): { name: string; tags?: Record<string, string> } => {
        const i = stack.byUrn.get(u);
        if (i === undefined) return { name: u };
        const { name, modeled } = stack.seen[i];
        return { name, tags: modeled.kind === "rules" ? modeled.tags : undefined };
    };
    for (const { j, parentMissing, unchanged } of stack.joined) {
        if (unchanged && j.members.every((u) => analyzedUrns.has(u))) continue;
        const found = safeCheck(def, j.firewall, config, { fragment: false, parentMissing });
        const fresh = found.filter((f) => !reported(f));
        out.push(...applyExemptions(def, fresh, full, names, parentMissing ? undefined : j.firewall.tags, now, ctx));
    }
    if (out.length === 0) return { findings: out };
    // A joined firewall's findings can quote any of its members' values (and the prefix lists
    // they resolve): scrub them with the secrets of every resource of the stack.
    const secrets = new Set<string>();
    for (const it of items) for (const t of secretsOf(it.modeled)) secrets.add(t);
    return { findings: scrubbed(out, [...secrets]) };
}

