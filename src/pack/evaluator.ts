/**
 * The evaluator: the one evaluation entry point, shared by the pack (validateResource /
 * validateStack) and the offline scanner. model -> join -> policy check -> exemptions ->
 * findings. It owns what it remembers between calls: the models (./models.ts), the last stack's
 * index (./stack-index.ts), and which resources it judged one at a time, so the stack phase
 * reports only what resource level could not. The pack makes one for all its policies; each
 * scan makes its own, and drops it with its input.
 *
 * The policy contract is src/policies/types.ts, options are resolved in ./config.ts,
 * exemptions applied in ./exemptions.ts, secrets scrubbed in ./scrub.ts.
 */
import type { Modeled, ResourceInput } from "../model/items";
import type { StackItem } from "../analysis/join";
import { adapterFor, secretsOf } from "../providers";
import type { Finding, ReportedFinding } from "../findings/types";
import { shortType } from "../findings/data";
import type { CheckContext, EvaluationContext, PolicyDef, Verdict } from "../policies/types";
import type { Firewall } from "../model";
import { resolveConfig } from "./config";
import { applyExemptions } from "./exemptions";
import { ModelMemory } from "./models";
import { indexStack, type StackIndex } from "./stack-index";
import { scrubbed } from "./scrub";

export interface EvaluatorOptions {
    /**
     * The inputs are objects that do not change while they are judged (an offline runner's):
     * each is adapted once, however many policies judge it. The pack's inputs are the SDK's
     * fresh copies, recognised by their request or content instead.
     */
    unchangingInputs?: boolean;
}

const key = (f: Finding) => `${f.urn}\u0000${f.path}`;

export class Evaluator {
    private readonly memory: ModelMemory;
    /**
     * Models of resources judged one at a time, by URN. Stack policies receive outputs, which
     * after apply echo separate rules inside inline lists; the inputs seen moments earlier in
     * the same run are the truer model.
     */
    private readonly inputModels = new Map<string, { type: string; modeled: Modeled }>();
    /**
     * URNs judged one at a time. The stack phase leaves out what resource level already
     * reported only for these: when AnalyzeStack is the only call (stack policies alone, on a
     * state), it reports everything itself.
     */
    private readonly analyzedUrns = new Set<string>();
    private lastIndex: StackIndex | undefined;
    private readonly unread = new Map<string, string | null>();

    constructor(options: EvaluatorOptions = {}) {
        this.memory = new ModelMemory(!!options.unchangingInputs);
    }

    /** Why no policy judges a resource of this type, or undefined when an adapter reads it. */
    unreadType(type: string): string | undefined {
        let r = this.unread.get(type);
        if (r === undefined) {
            r = adapterFor(type) ? null : `portguard reads no firewall rules from ${type} resources`;
            if (this.unread.size > 512) this.unread.clear();
            this.unread.set(type, r);
        }
        return r ?? undefined;
    }

    /**
     * Have the stack phase read these resources from the stack's own properties (outputs),
     * not from the inputs judged one at a time (an offline scan whose input holds only outputs
     * for them).
     */
    readFromStack(urns: Iterable<string>): void {
        for (const u of urns) this.inputModels.delete(u);
    }

    /** validateResource: what one resource's inputs prove, or why the policy does not apply to it. */
    judgeResource<C>(def: PolicyDef<C>, input: ResourceInput, raw: Record<string, unknown> | undefined, now = new Date(), ctx: EvaluationContext = {}): Verdict {
        const unread = this.unreadType(input.type);
        if (unread) return { findings: [], notApplicable: unread };
        const m = this.memory.adapt(input);
        if (m) this.inputModels.set(input.urn, { type: input.type, modeled: m });
        this.analyzedUrns.add(input.urn);
        if (!m) return { findings: [] };
        const one = this.memory.resourceFirewall(m);
        if (!one) return { findings: [], notApplicable: `${shortType(input.type)} holds addresses, not rules: portguard judges the rules that refer to it` };
        const { config, full } = resolveConfig(def, raw);
        const na = one.fw.problems.length === 0 ? def.notApplicable?.(one.fw, config, one.ctx) : undefined;
        if (na) return { findings: [], notApplicable: na };
        const tags = m.kind === "rules" ? m.tags : m.kind === "firewall" ? m.firewall.tags : undefined;
        return { findings: scrubbed(applyExemptions(def, safeCheck(def, one.fw, config, one.ctx), full, () => ({ name: input.name, tags }), undefined, now, ctx), secretsOf(m)) };
    }

    /** validateResource's findings (judgeResource without the "not applicable" answer). */
    evaluateResource<C>(def: PolicyDef<C>, input: ResourceInput, raw: Record<string, unknown> | undefined, now = new Date(), ctx: EvaluationContext = {}): ReportedFinding[] {
        return this.judgeResource(def, input, raw, now, ctx).findings;
    }

    /**
     * validateStack: what only the joined stack shows. Findings a single resource already
     * proves are left out when this evaluator judged that resource (they were reported at
     * resource level), so nothing is reported twice.
     */
    evaluateStack<C>(def: PolicyDef<C>, inputs: readonly ResourceInput[], raw: Record<string, unknown> | undefined, now = new Date(), ctx: EvaluationContext = {}): ReportedFinding[] {
        return this.judgeStack(def, inputs, raw, now, ctx).findings;
    }

    /**
     * validateStack with Pulumi's "not applicable": answered only for a stack with no firewall
     * and no rule resource at all (a stack whose firewalls are clean is compliant).
     */
    judgeStack<C>(def: PolicyDef<C>, inputs: readonly ResourceInput[], raw: Record<string, unknown> | undefined, now = new Date(), ctx: EvaluationContext = {}): Verdict {
        const { config, full } = resolveConfig(def, raw);
        const items: StackItem[] = [];
        const adapter = this.memory.stackAdapter();
        for (const input of inputs) {
            const cached = this.inputModels.get(input.urn);
            const fromInputs = !!cached && cached.type === input.type;
            const modeled = fromInputs ? cached!.modeled : adapter.adapt(input);
            if (!modeled) continue;
            items.push({ input, modeled, fromOutputs: !fromInputs });
        }
        adapter.done();
        if (!items.some((it) => it.modeled.kind === "firewall" || it.modeled.kind === "rules")) {
            return { findings: [], notApplicable: "the stack has no firewall, network ACL or firewall rule resource portguard reads" };
        }
        const resourceFirewall = (m: Modeled) => this.memory.resourceFirewall(m);
        const stack = (this.lastIndex = indexStack(items, this.lastIndex, resourceFirewall));
        // What resource level already reported (or would have), by URN. A policy's findings name
        // the URNs of the firewall, its rules and its problems; when every one of those in a
        // resource's own model is the resource's URN (always, for the adapters here), its findings
        // can only carry that URN, so they are computed when a stack finding with that URN needs
        // them. Otherwise every resource is checked up front.
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
        // Only what this evaluator judged one at a time was reported at resource level.
        const reported = (f: Finding) => this.analyzedUrns.has(f.urn) && (stack.ownUrns ? resourceLevel(f.urn).has(key(f)) : already.has(key(f)));
        const out: ReportedFinding[] = [];
        const names = (u: string): { name: string; tags?: Record<string, string> } => {
            const i = stack.byUrn.get(u);
            if (i === undefined) return { name: u };
            const { name, modeled } = stack.seen[i];
            return { name, tags: modeled.kind === "rules" ? modeled.tags : undefined };
        };
        for (const { j, parentMissing, unchanged } of stack.joined) {
            if (unchanged && j.members.every((u) => this.analyzedUrns.has(u))) continue;
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
}

function safeCheck<C>(def: PolicyDef<C>, fw: Firewall, config: C, ctx: CheckContext): Finding[] {
    try {
        return def.check(fw, config, ctx);
    } catch (e) {
        return [{ urn: fw.urn, path: "", messageId: "internalError", data: { type: fw.type, name: fw.name, error: e instanceof Error ? e.name : "error", policy: def.name } }];
    }
}
