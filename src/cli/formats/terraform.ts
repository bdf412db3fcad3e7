/**
 * Terraform inputs: `terraform show -json <planfile>` (plan) and `terraform show -json`
 * (state), walking child modules. Each managed resource whose type has a Pulumi twin
 * (tfnames.ts) becomes the ResourceInput the pack would receive for that twin:
 *
 * - values: a plan's `resource_changes[].change.after` (else `planned_values`), a state's
 *   `values`; attributes listed in `after_unknown` become the engine's unknown sentinel, and
 *   values marked sensitive (`after_sensitive`, `sensitive_values`) become secrets WITH their
 *   plaintext: Terraform knows them, so they are judged like any value, and never written out
 *   (the outputs write `[sensitive]`; the secret rule, README "Semantics");
 * - an attribute that is unknown only because the provider computes it when the
 *   configuration leaves it out (an `aws_security_group` with no `ingress` blocks shows
 *   `ingress = (known after apply)`) is left out, as Pulumi inputs would leave it out;
 * - a group's rule list that the configuration does not set but that holds the rules of
 *   separate rule resources attached to it (what the provider reads back) is left out too;
 * - keys and type go through the one rename layer (tfnames.ts);
 * - propertyDependencies: the plan's `configuration` gives, per attribute, the references
 *   of its expression (`aws_security_group.web.id`), followed through module variables and
 *   outputs, and translated to the referenced instances' synthetic URNs, so separate rules
 *   join their group while its id is unknown. A state has literal ids, which join as they are,
 *   and its values are read as outputs in the stack phase (as the pack reads them after apply).
 *
 * Synthetic URN: `urn:pulumi:<label>::terraform::<Pulumi token>::<resource address>`; the
 * resource name is its address.
 */
import type { ResourceInput } from "../../model/items";
import { TERRAFORM_TYPES, pulumiKey, toPulumiProps, type TfMapping } from "./tfnames";
import { InputError, isObject, isSecretMarker, kindOf, knownSecret, leafTexts, Unreadable, UNKNOWN_SENTINEL, type ScanInput, type ScanResource } from "./types";

type Obj = Record<string, unknown>;

export function terraformUrn(label: string, token: string, address: string): string {
    return `urn:pulumi:${label.replace(/::/g, ":")}::terraform::${token}::${address}`;
}

/**
 * Overlay a mirror-structured mask (`after_unknown`, `after_sensitive`) onto a value: `marker`
 * gets each marked value. A value already marked secret is overlaid inside (an unknown element
 * of a sensitive list stays unknown, and secret).
 */
function overlay(value: unknown, mask: unknown, marker: (value: unknown) => unknown): unknown {
    if (mask === true) return marker(value);
    if (isSecretMarker(value) && "value" in value) {
        value.value = overlay(value.value, mask, marker);
        return value;
    }
    if (Array.isArray(mask)) {
        if (!Array.isArray(value)) return value;
        for (let i = 0; i < mask.length; i++) if (mask[i] !== false && mask[i] != null) value[i] = overlay(value[i], mask[i], marker);
        return value;
    }
    if (isObject(mask)) {
        let v = value;
        if (!isObject(v)) {
            if (v != null || !Object.values(mask).some((x) => x === true)) return value;
            v = {};
        }
        const o = v as Obj;
        for (const [k, m] of Object.entries(mask)) if (m !== false && m != null) o[k] = overlay(o[k], m, marker);
        return o;
    }
    return value;
}

/** `module.a[0].module.b["x"]` -> [["a","[0]"], ["b","[\"x\"]"]] */
function moduleSegments(moduleAddress: string): Array<{ call: string; key: string }> {
    const out: Array<{ call: string; key: string }> = [];
    const re = /module\.([A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?/g;
    for (let m = re.exec(moduleAddress); m; m = re.exec(moduleAddress)) out.push({ call: m[1], key: m[2] ?? "" });
    return out;
}

/** `` or one instance key: `[0]`, `["a.b"]` */
const INSTANCE_KEY = /^(\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\])?$/;

function joinAddr(moduleAddress: string, rest: string): string {
    return moduleAddress ? `${moduleAddress}.${rest}` : rest;
}

interface Instance {
    address: string;
    moduleAddress: string;
    type: string;
    name: string;
    values: unknown;
    unknown?: unknown;
    sensitive?: unknown;
    /** Values the provider reads back (state, existing resources in a plan). */
    fromOutputs: boolean;
}

/** Navigation over `configuration.root_module` and the instances seen in the plan. */
class ConfigIndex {
    /** `<module instance>|<type>.<name>` -> instance addresses */
    private readonly byResource = new Map<string, string[]>();
    /** module instance addresses seen */
    private readonly moduleInstances = new Set<string>([""]);
    /** Per configuration module: managed resources by type and name (the first declared wins). */
    private readonly resourcesOf = new WeakMap<Obj, Map<string, Map<string, Obj>>>();
    /** `<module instance>|<type>.<name>` -> the same instance addresses, for membership. */
    private readonly byResourceSet = new Map<string, Set<string>>();
    /**
     * Module instances by the call address they are an instance of: every `base` such that the
     * instance is `base` followed by nothing or one instance key (INSTANCE_KEY), in the order the
     * instances were seen. Built on first use.
     */
    private instancesByBase: Map<string, string[]> | undefined;

    constructor(private readonly root: Obj | undefined, instances: Instance[]) {
        for (const i of instances) {
            const k = `${i.moduleAddress}|${i.type}.${i.name}`;
            let l = this.byResource.get(k);
            if (!l) {
                this.byResource.set(k, (l = []));
                this.byResourceSet.set(k, new Set());
            }
            l.push(i.address);
            this.byResourceSet.get(k)!.add(i.address);
            let prefix = "";
            for (const s of moduleSegments(i.moduleAddress)) {
                prefix = joinAddr(prefix, `module.${s.call}${s.key}`);
                this.moduleInstances.add(prefix);
            }
        }
    }

    get available(): boolean {
        return this.root !== undefined;
    }

    module(moduleAddress: string): Obj | undefined {
        let m: Obj | undefined = this.root;
        for (const s of moduleSegments(moduleAddress)) {
            const calls: unknown = m?.module_calls;
            const call: unknown = isObject(calls) ? calls[s.call] : undefined;
            m = isObject(call) && isObject(call.module) ? call.module : undefined;
            if (!m) return undefined;
        }
        return m;
    }

    /** The first managed resource of the module's configuration with this type and name. */
    resource(moduleAddress: string, type: string, name: string): Obj | undefined {
        const m = this.module(moduleAddress);
        if (!m || !Array.isArray(m.resources)) return undefined;
        // Indexed once per module: a linear search per instance made reading a plan quadratic.
        let byType = this.resourcesOf.get(m);
        if (!byType) {
            byType = new Map();
            for (const r of m.resources as unknown[]) {
                if (!isObject(r) || typeof r.type !== "string" || typeof r.name !== "string" || (r.mode ?? "managed") !== "managed") continue;
                let byName = byType.get(r.type);
                if (!byName) byType.set(r.type, (byName = new Map()));
                if (!byName.has(r.name)) byName.set(r.name, r);
            }
            this.resourcesOf.set(m, byType);
        }
        return byType.get(type)?.get(name);
    }

    /** Instances of the module call at `base` (`module.x`, or `module.x[...]` itself), in the order seen. */
    private instancesOf(base: string): readonly string[] {
        if (!this.instancesByBase) {
            const by = new Map<string, string[]>();
            const add = (b: string, inst: string) => {
                const l = by.get(b);
                if (l) l.push(inst);
                else by.set(b, [inst]);
            };
            for (const inst of this.moduleInstances) {
                add(inst, inst);
                for (let p = inst.indexOf("["); p >= 0; p = inst.indexOf("[", p + 1)) if (INSTANCE_KEY.test(inst.slice(p))) add(inst.slice(0, p), inst);
            }
            this.instancesByBase = by;
        }
        return this.instancesByBase.get(base) ?? [];
    }

    /** Instance addresses a list of references (from one expression) leads to. */
    resolve(moduleAddress: string, refs: unknown, depth = 0, out = new Set<string>()): Set<string> {
        if (!Array.isArray(refs) || depth > 16) return out;
        for (const ref of refs) {
            if (typeof ref !== "string") continue;
            const parts = ref.split(".");
            if (parts[0] === "data" || parts[0] === "local" || parts[0] === "count" || parts[0] === "each" || parts[0] === "path" || parts[0] === "terraform" || parts[0] === "self") continue;
            if (parts[0] === "var") {
                // the module call's argument, in the calling module
                const segs = moduleSegments(moduleAddress);
                const last = segs.pop();
                if (!last || !parts[1]) continue;
                const parentAddr = segs.map((s) => `module.${s.call}${s.key}`).join(".");
                const calls = this.module(parentAddr)?.module_calls;
                const call = isObject(calls) ? calls[last.call] : undefined;
                const ex = isObject(call) && isObject(call.expressions) ? call.expressions[parts[1]] : undefined;
                this.resolve(parentAddr, collectRefs(ex), depth + 1, out);
                continue;
            }
            if (parts[0] === "module") {
                const m = /^module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?\.([A-Za-z0-9_-]+)/.exec(ref);
                if (!m) continue;
                const [, call, key, output] = m;
                const calls = this.module(moduleAddress)?.module_calls;
                const c = isObject(calls) ? calls[call] : undefined;
                const outputs = isObject(c) && isObject(c.module) ? c.module.outputs : undefined;
                const o = isObject(outputs) ? outputs[output] : undefined;
                const refsOut = isObject(o) ? collectRefs(o.expression) : [];
                const base = joinAddr(moduleAddress, `module.${call}`);
                if (key) {
                    if (this.moduleInstances.has(base + key)) this.resolve(base + key, refsOut, depth + 1, out);
                } else {
                    for (const inst of this.instancesOf(base)) this.resolve(inst, refsOut, depth + 1, out);
                }
                continue;
            }
            const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?/.exec(ref);
            if (!m) continue;
            const all = this.byResource.get(`${moduleAddress}|${m[1]}.${m[2]}`) ?? [];
            if (m[3]) {
                const exact = joinAddr(moduleAddress, `${m[1]}.${m[2]}${m[3]}`);
                if (this.byResourceSet.get(`${moduleAddress}|${m[1]}.${m[2]}`)?.has(exact)) out.add(exact);
            } else {
                for (const a of all) out.add(a);
            }
        }
        return out;
    }
}

/** Every `references` list under an expression (attributes and nested blocks). */
function collectRefs(ex: unknown, out: string[] = []): string[] {
    if (Array.isArray(ex)) {
        for (const e of ex) collectRefs(e, out);
    } else if (isObject(ex)) {
        if (Array.isArray(ex.references)) for (const r of ex.references) if (typeof r === "string") out.push(r);
        for (const [k, v] of Object.entries(ex)) if (k !== "references" && k !== "constant_value" && typeof v === "object") collectRefs(v, out);
    }
    return out;
}

/**
 * Separate rule resources and the attribute of their group that the provider reads them back
 * into: after apply an `aws_security_group`'s `ingress` lists the rules of every
 * `aws_security_group_rule` attached to it (likewise NACLs, NSGs, prefix lists). Such a list is
 * left out unless the configuration sets it (Pulumi inputs hold only what the program sets).
 */
const SEPARATE_RULES: Record<string, { parent: string; groups: string[]; into: (v: Obj) => string | undefined }> = {
    aws_security_group_rule: { parent: "security_group_id", groups: ["aws_security_group", "aws_default_security_group"], into: (v) => (v.type === "egress" ? "egress" : "ingress") },
    aws_vpc_security_group_ingress_rule: { parent: "security_group_id", groups: ["aws_security_group", "aws_default_security_group"], into: () => "ingress" },
    aws_vpc_security_group_egress_rule: { parent: "security_group_id", groups: ["aws_security_group", "aws_default_security_group"], into: () => "egress" },
    aws_network_acl_rule: { parent: "network_acl_id", groups: ["aws_network_acl", "aws_default_network_acl"], into: (v) => (v.egress === true ? "egress" : "ingress") },
    aws_ec2_managed_prefix_list_entry: { parent: "prefix_list_id", groups: ["aws_ec2_managed_prefix_list"], into: () => "entry" },
    azurerm_network_security_rule: { parent: "network_security_group_name", groups: ["azurerm_network_security_group"], into: () => "security_rule" },
};

/** Literal key a separate rule names its group by (an id; an NSG by resource group and name). */
function groupKey(type: string, v: Obj): string | undefined {
    if (type === "azurerm_network_security_group") return typeof v.name === "string" && typeof v.resource_group_name === "string" ? `${v.resource_group_name}/${v.name}`.toLowerCase() : undefined;
    if (type === "aws_default_network_acl" && typeof v.default_network_acl_id === "string") return v.default_network_acl_id;
    return typeof v.id === "string" && v.id !== "" ? v.id : undefined;
}

function parentKey(ruleType: string, v: Obj): string | undefined {
    const r = SEPARATE_RULES[ruleType];
    const p = v[r.parent];
    if (typeof p !== "string" || p === "") return undefined;
    if (ruleType === "azurerm_network_security_rule") return typeof v.resource_group_name === "string" ? `${v.resource_group_name}/${p}`.toLowerCase() : undefined;
    return p;
}

/** Group address -> attributes that hold rules of separate resources attached to it. */
function echoedAttributes(instances: Instance[], index: ConfigIndex | undefined): Map<string, Set<string>> {
    const byKey = new Map<string, string>();
    for (const i of instances) {
        if (!Object.values(SEPARATE_RULES).some((r) => r.groups.includes(i.type)) || !isObject(i.values)) continue;
        const k = groupKey(i.type, i.values);
        if (k) byKey.set(`${i.type}|${k}`, i.address);
    }
    const types = new Map(instances.map((i) => [i.address, i.type]));
    const out = new Map<string, Set<string>>();
    for (const i of instances) {
        const rule = SEPARATE_RULES[i.type];
        if (!rule || !isObject(i.values)) continue;
        const attr = rule.into(i.values);
        if (!attr) continue;
        const targets = new Set<string>();
        const cfg = index?.available ? index.resource(i.moduleAddress, i.type, i.name) : undefined;
        const ex = cfg && isObject(cfg.expressions) ? cfg.expressions[rule.parent] : undefined;
        if (ex) for (const a of index!.resolve(i.moduleAddress, collectRefs(ex))) if (rule.groups.includes(types.get(a) ?? "")) targets.add(a);
        const k = parentKey(i.type, i.values);
        if (k) for (const g of rule.groups) {
            const a = byKey.get(`${g}|${k}`);
            if (a) targets.add(a);
        }
        for (const a of targets) {
            let set = out.get(a);
            if (!set) out.set(a, (set = new Set()));
            set.add(attr);
        }
    }
    return out;
}

function labelOf(source: string): string {
    return source === "-" ? "stdin" : source;
}

function toInput(inst: Instance, urn: string, label: string, index: ConfigIndex | undefined, urnOf: (address: string) => string | undefined, echoed: ReadonlySet<string> | undefined, secrets: Set<string>): ScanResource {
    const mapping: TfMapping | undefined = TERRAFORM_TYPES[inst.type];
    const token = mapping?.token ?? `terraform:${inst.type}`;
    const base = { address: inst.address, sourceType: inst.type, ...(inst.fromOutputs ? { fromOutputs: true } : {}) };
    if (!mapping) return { input: { type: token, urn, name: inst.address, props: {} }, ...base };
    if (inst.values != null && !isObject(inst.values)) throw new InputError(`${label}: ${inst.address} has values that are not an object, so this is not \`terraform show -json\` output`);
    let values = isObject(inst.values) ? inst.values : {};
    if (inst.sensitive !== undefined) {
        values = overlay(values, inst.sensitive, (v) => {
            leafTexts(v, secrets);
            return knownSecret(v);
        }) as Obj;
    }
    const cfg = index?.available ? index.resource(inst.moduleAddress, inst.type, inst.name) : undefined;
    const expressions = cfg && isObject(cfg.expressions) ? cfg.expressions : undefined;
    if (inst.unknown !== undefined) {
        values = overlay(values, inst.unknown, () => UNKNOWN_SENTINEL) as Obj;
        if (cfg && isObject(inst.unknown)) {
            for (const [k, u] of Object.entries(inst.unknown)) {
                // computed by the provider because the configuration leaves it out
                if (u === true && !(expressions && k in expressions)) delete values[k];
            }
        }
    }
    for (const k of echoed ?? []) if (!(expressions && k in expressions)) delete values[k];
    const props = toPulumiProps(mapping, values);
    let propertyDependencies: Record<string, string[]> | undefined;
    if (expressions && index) {
        for (const [k, ex] of Object.entries(expressions)) {
            const refs = collectRefs(ex);
            if (refs.length === 0) continue;
            const urns = [...index.resolve(inst.moduleAddress, refs)].map(urnOf).filter((u): u is string => !!u && u !== urn);
            if (urns.length) (propertyDependencies ??= {})[pulumiKey(mapping, k)] = urns;
        }
    }
    const input: ResourceInput = { type: token, urn, name: inst.address, props, ...(propertyDependencies ? { propertyDependencies } : {}) };
    return { input, ...base };
}

function finish(instances: Instance[], source: string, format: "terraform-plan" | "terraform-state", configRoot: Obj | undefined, skipped: number): ScanInput {
    const label = labelOf(source);
    // One URN string per instance, shared by its input and the dependencies naming it.
    const urns = instances.map((i) => terraformUrn(label, TERRAFORM_TYPES[i.type]?.token ?? `terraform:${i.type}`, i.address));
    const urnByAddress = new Map<string, string>();
    instances.forEach((i, k) => urnByAddress.set(i.address, urns[k]));
    const index = configRoot ? new ConfigIndex(configRoot, instances) : undefined;
    const echoes = echoedAttributes(instances, index);
    const secrets = new Set<string>();
    const resources = instances.map((i, k) => toInput(i, urns[k], label, index, (a) => urnByAddress.get(a), echoes.get(i.address), secrets));
    return { source, format, stack: label, resources, skipped, secretWord: "[sensitive]", ...(secrets.size ? { secrets } : {}) };
}

/**
 * Resources of a `planned_values` / `values` module tree (at `at`). What is not a resource or a
 * module there (not an object, no address, type or name) is told to `bad`.
 */
function walkModule(mod: unknown, visit: (r: Obj, moduleAddress: string) => void, bad: Unreadable, at: string, moduleAddress = ""): void {
    if (mod == null) return;
    if (!isObject(mod)) return bad.add(at, `is ${kindOf(mod)}, not a module`);
    if (mod.resources != null && !Array.isArray(mod.resources)) bad.add(`${at}.resources`, `is ${kindOf(mod.resources)}, not a list`);
    if (Array.isArray(mod.resources)) {
        mod.resources.forEach((r, i) => {
            const p = `${at}.resources[${i}]`;
            if (!isObject(r)) return bad.add(p, `is ${kindOf(r)}, not a resource`);
            for (const k of ["address", "type", "name"]) if (typeof r[k] !== "string") return bad.add(p, `has no ${k}`);
            visit(r, moduleAddress);
        });
    }
    if (mod.child_modules != null && !Array.isArray(mod.child_modules)) bad.add(`${at}.child_modules`, `is ${kindOf(mod.child_modules)}, not a list`);
    if (Array.isArray(mod.child_modules)) {
        mod.child_modules.forEach((c, i) => {
            const p = `${at}.child_modules[${i}]`;
            if (!isObject(c)) return bad.add(p, `is ${kindOf(c)}, not a module`);
            walkModule(c, visit, bad, p, typeof c.address === "string" ? c.address : moduleAddress);
        });
    }
}

function moduleOf(address: string, type: string, name: string): string {
    const i = address.lastIndexOf(`${type}.${name}`);
    return i > 0 ? address.slice(0, i - 1) : "";
}

/** `terraform show -json <planfile>` */
export function readTerraformPlan(doc: Obj, source: string): ScanInput {
    const hasConfig = isObject(doc.configuration) && isObject(doc.configuration.root_module);
    const changes = new Map<string, Obj>();
    let skipped = 0;
    const rcs = doc.resource_changes ?? [];
    if (!Array.isArray(rcs)) throw new InputError(`${source}: resource_changes is not a list`);
    const bad = new Unreadable(source, "plan");
    rcs.forEach((rc, i) => {
        if (!isObject(rc)) return bad.add(`resource_changes[${i}]`, `is ${kindOf(rc)}, not a resource change`);
        if (typeof rc.address !== "string") return bad.add(`resource_changes[${i}]`, "has no address");
        if (rc.change != null && !isObject(rc.change)) return bad.add(`resource_changes[${i}].change`, `is ${kindOf(rc.change)}, not a change`);
        if (!rc.deposed) changes.set(rc.address, rc);
    });
    const instances: Instance[] = [];
    const seen = new Set<string>();
    const add = (address: string, moduleAddress: string, type: string, name: string, planned: Obj | undefined) => {
        if (seen.has(address)) return;
        seen.add(address);
        const rc = changes.get(address);
        const change = rc && isObject(rc.change) ? rc.change : undefined;
        const actions = change && Array.isArray(change.actions) ? change.actions : [];
        if (actions.length === 1 && (actions[0] === "delete" || actions[0] === "forget")) {
            skipped++;
            return;
        }
        if (change && change.after != null && (isObject(change.after) || !planned)) {
            // Values the configuration sets are inputs (unset computed ones are left out below);
            // without the configuration, an existing resource's values are the provider's state.
            const fromOutputs = !hasConfig && !actions.includes("create");
            instances.push({ address, moduleAddress, type, name, values: change.after, unknown: change.after_unknown, sensitive: change.after_sensitive, fromOutputs });
        } else if (planned) {
            instances.push({ address, moduleAddress, type, name, values: planned.values, sensitive: planned.sensitive_values, fromOutputs: !hasConfig });
        } else {
            skipped++;
        }
    };
    if (doc.planned_values != null && !isObject(doc.planned_values)) bad.add("planned_values", `is ${kindOf(doc.planned_values)}, not an object`);
    walkModule(isObject(doc.planned_values) ? doc.planned_values.root_module : undefined, (r, mod) => {
        if (typeof r.address !== "string" || typeof r.type !== "string" || typeof r.name !== "string") return;
        if ((r.mode ?? "managed") !== "managed") {
            if (!seen.has(r.address)) skipped++;
            seen.add(r.address);
            return;
        }
        add(r.address, mod || moduleOf(r.address, r.type, r.name), r.type, r.name, r);
    }, bad, "planned_values.root_module");
    bad.check();
    for (const [address, rc] of changes) {
        if (seen.has(address)) continue;
        if (typeof rc.type !== "string" || typeof rc.name !== "string" || (rc.mode ?? "managed") !== "managed") {
            seen.add(address);
            skipped++;
            continue;
        }
        add(address, typeof rc.module_address === "string" ? rc.module_address : moduleOf(address, rc.type, rc.name), rc.type, rc.name, undefined);
    }
    const config = isObject(doc.configuration) && isObject(doc.configuration.root_module) ? doc.configuration.root_module : undefined;
    return finish(instances, source, "terraform-plan", config, skipped);
}

/** `terraform show -json` of a state */
export function readTerraformState(doc: Obj, source: string): ScanInput {
    const instances: Instance[] = [];
    let skipped = 0;
    const values = doc.values;
    if (values !== undefined && !isObject(values)) throw new InputError(`${source}: values is not an object`);
    const bad = new Unreadable(source, "state");
    walkModule(values?.root_module, (r, mod) => {
        if (typeof r.address !== "string" || typeof r.type !== "string" || typeof r.name !== "string" || (r.mode ?? "managed") !== "managed" || r.deposed_key) {
            skipped++;
            return;
        }
        instances.push({ address: r.address, moduleAddress: mod || moduleOf(r.address, r.type, r.name), type: r.type, name: r.name, values: r.values, sensitive: r.sensitive_values, fromOutputs: true });
    }, bad, "values.root_module");
    bad.check();
    return finish(instances, source, "terraform-state", undefined, skipped);
}
