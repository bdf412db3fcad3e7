/**
 * Builders every adapter shares: rules, fields (words, protocols, priorities, keys), port ranges
 * and address peers read into the model, with problems recorded against their property paths.
 * The items adapters return are built in items.ts.
 */
import type { Action, Direction, Peer, Problem, Protocol, Rule } from "../model";
import { type Family, parseCidr, AddressSet } from "../net/addresses";
import { MAX_PORT, PortSet, parsePortSpec } from "../net/ports";
import { normalizeProtocol, hasPorts } from "../net/protocols";
import { type Reader, UNKNOWN, BAD, at, type Read, isSecretText, SECRET_TEXT, unwrap } from "./read";
import type { ResourceInput } from "./types";

// ---------------------------------------------------------------------------------------------
// Rules

/** Where a rule comes from. A ResourceInput is one: adapters pass their input as it is. */
export interface Origin {
    urn: string;
    name: string;
    type: string;
}

/** Build a rule; `problems` are those recorded while reading it (`reader.problems.slice(mark)`). */
export function rule(origin: Origin, path: string, problems: Rule["problems"], fields: Omit<Rule, "urn" | "resourceName" | "resourceType" | "path" | "problems">): Rule {
    return { urn: origin.urn, resourceName: origin.name, resourceType: origin.type, path, problems, ...fields };
}

/**
 * The rule of a one-rule resource (path ``) of an ORDERED firewall, in its direction `dir`.
 * When the direction could not be read, the rule is placed in both directions with an
 * unreadable peer at `directionPath`, marked unsure: as a drop it may shadow rules of either
 * direction, so it is reported, never judged.
 */
export function ruleInDirection(
    o: Origin,
    problems: Rule["problems"],
    dir: Direction | undefined,
    directionPath: string,
    fields: Omit<Rule, "urn" | "resourceName" | "resourceType" | "path" | "problems" | "direction" | "unsure"> & { unsure: NonNullable<Rule["unsure"]> },
): Rule[] {
    if (dir) return [rule(o, "", problems, { ...fields, direction: dir })];
    return (["ingress", "egress"] as const).map((d) => rule(o, "", problems, { ...fields, direction: d, peers: [{ kind: "unreadable", path: directionPath }], unsure: { ...fields.unsure, direction: true } }));
}

/**
 * A firewall's default policy for one direction, the `words` of `field` (absent: `dflt`). A drop
 * is the firewall's default action. An accept lets through what no listed rule matched, so it
 * is an allow-all rule of the user's at `field`, ordered `order` (after every listed rule); so
 * is a value that cannot be read, marked unsure.
 */
export function defaultPolicy(r: Reader, i: ResourceInput, dir: Direction, field: string, words: { allow: string[]; deny: string[] }, order: number, dflt?: Action): { dflt: Action; rule?: Rule } {
    const mark = r.problems.length;
    const act = action(r, i.props, field, field, words, dflt);
    if (act === "deny") return { dflt: "deny" };
    const allowAll = rule(i, field, r.problems.slice(mark), {
        direction: dir,
        action: "allow",
        protocol: "all",
        ports: PortSet.ALL,
        peers: [anyPeer(field)],
        order,
        unsure: act === undefined ? { action: true } : undefined,
    });
    return { dflt: act === "allow" ? "allow" : "deny", rule: allowAll };
}

// ---------------------------------------------------------------------------------------------
// Fields

/**
 * `s` cut to `max` characters (then `...`), for quoting a value in a problem; `[secret]` when it
 * was read from inside a secret of the resource being modelled (the secret rule).
 */
export function clip(s: string, max: number): string {
    if (isSecretText(s)) return SECRET_TEXT;
    return s.length > max ? `${s.slice(0, max)}...` : s;
}

/** An optional string field's value with `""` read as absent: how bridged providers write an unset one. */
export function optional<T>(v: T | ""): T | undefined {
    return v === "" ? undefined : v;
}

/** The problems recorded at exactly these paths: a firewall's own (its rule lists as a whole, not their elements). */
export function problemsAt(r: Reader, ...paths: string[]): Problem[] {
    return r.problems.filter((p) => paths.includes(p.path));
}

/**
 * The word a string field holds, out of `words` (surrounding blanks and case ignored). Absent is
 * malformed (`is required but absent`), and so is another word: `"<value>" is not one of
 * <spelled>`, the value cut to `clipAt` characters.
 */
export function oneOf<W extends string>(r: Reader, value: Read<string>, path: string, words: readonly W[], spelled: string, clipAt: number): W | undefined {
    if (value === undefined) {
        r.bad(path, "is required but absent");
        return undefined;
    }
    if (value === UNKNOWN || value === BAD) return undefined;
    const w = value.trim().toLowerCase();
    if ((words as readonly string[]).includes(w)) return w as W;
    r.bad(path, `"${clip(value, clipAt)}" is not one of ${spelled}`);
    return undefined;
}

/** One of two values, each named by its own words (surrounding blanks and case ignored); absent is `dflt`. */
function either<T extends string>(r: Reader, obj: unknown, key: string, path: string, a: [T, string[]], b: [T, string[]], dflt?: T): T | undefined {
    const v = r.str(obj, key, path);
    if (v === undefined) {
        if (dflt) return dflt;
        r.bad(path, "is required but absent");
        return undefined;
    }
    if (v === UNKNOWN || v === BAD) return undefined;
    const w = v.trim().toLowerCase();
    if (a[1].includes(w)) return a[0];
    if (b[1].includes(w)) return b[0];
    r.bad(path, `"${clip(v, 20)}" is not one of ${[...a[1], ...b[1]].join(", ")}`);
    return undefined;
}

/** Normalise an allow/deny word. */
export function action(r: Reader, obj: unknown, key: string, path: string, words: { allow: string[]; deny: string[] }, dflt?: Action): Action | undefined {
    return either(r, obj, key, path, ["allow", words.allow], ["deny", words.deny], dflt);
}

/** Normalise a direction word. */
export function direction(r: Reader, obj: unknown, key: string, path: string, words: { ingress: string[]; egress: string[] }, dflt?: Direction): Direction | undefined {
    return either(r, obj, key, path, ["ingress", words.ingress], ["egress", words.egress], dflt);
}

/** Read a protocol field; unknown/malformed give undefined with a problem recorded. */
export function protocol(r: Reader, obj: unknown, key: string, path: string, dflt?: Protocol): Protocol | undefined {
    const v = r.str(obj, key, path);
    if (v === undefined) {
        if (dflt) return dflt;
        r.bad(path, "is required but absent");
        return undefined;
    }
    if (v === UNKNOWN || v === BAD) return undefined;
    const p = normalizeProtocol(v);
    if (!p) r.bad(path, `"${clip(v, 20)}" is not a protocol`);
    return p;
}

/**
 * A rule's order from its integer `priority` field: `dflt` when absent, undefined when unknown or
 * malformed. A value outside lo-hi is reported (the cloud rejects the rule) but still orders it.
 */
export function priorityOrder(r: Reader, obj: unknown, path: string, lo: number, hi: number, dflt: number): number | undefined {
    const p = r.int(obj, "priority", path);
    if (typeof p === "number" && (p < lo || p > hi)) r.bad(path, `priority ${p} is outside ${lo}-${hi}`);
    return p === undefined ? dflt : typeof p === "number" ? p : undefined;
}

/** String tags (`tags` maps); non-string values are ignored. */
export function tags(r: Reader, obj: unknown, key = "tags"): Record<string, string> | undefined {
    const v = r.raw(obj, key);
    if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
    const out: Record<string, string> = {};
    for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
        const val = unwrap(raw); // a tag value may itself be a secret
        if (typeof val === "string") out[k] = val;
    }
    return out;
}

/** A literal parent key, or undefined when unknown/absent. */
export function key(r: Reader, obj: unknown, k: string, path: string): string | undefined {
    const v = r.raw(obj, k);
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number") return String(v);
    void path;
    return undefined;
}

/** The literal keys a firewall or prefix list is known by: the known values of `fields` (id, ARN ...), in order. */
export function keys(r: Reader, props: unknown, ...fields: string[]): string[] {
    const out: string[] = [];
    for (const f of fields) {
        const v = key(r, props, f, f);
        if (v) out.push(v);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Ports

/**
 * Numeric from/to destination ports. For protocols without ports (icmp ...) the numbers are
 * type/code and are not checked. For `all`, providers that ignore ports pass `allIgnoresPorts`.
 */
export function fromTo(
    r: Reader,
    obj: unknown,
    proto: Protocol | undefined,
    keys: { from: string; to: string },
    base: string,
    opts: { required?: boolean; allIgnoresPorts?: boolean; anyValue?: number } = {},
): PortSet | undefined {
    if (proto !== undefined && (!hasPorts(proto) || (proto === "all" && opts.allIgnoresPorts))) {
        // icmp type/code or ignored ports: still note unknowns, never judge them.
        return PortSet.ALL;
    }
    const fp = at(base, keys.from);
    const tp = at(base, keys.to);
    const from = r.int(obj, keys.from, fp);
    const to = r.int(obj, keys.to, tp);
    if (from === UNKNOWN || to === UNKNOWN || from === BAD || to === BAD) return undefined;
    if (from === undefined && to === undefined) {
        if (opts.required && proto !== "all") {
            r.bad(fp, `is required for ${proto?.toUpperCase() ?? "this protocol"}`);
            return undefined;
        }
        return PortSet.ALL;
    }
    if (opts.anyValue !== undefined && (from === opts.anyValue || to === opts.anyValue)) return PortSet.ALL;
    return boundedRange(r, { key: keys.from, path: fp, value: from }, { key: keys.to, path: tp, value: to }, 0);
}

/** One bound of a port range, read from its own field (`key`, at `path`); undefined when not given. */
export interface PortBound {
    key: string;
    path: string;
    value: number | undefined;
}

/**
 * The port range between two bounds read from their own fields; one given alone is a single
 * port (neither: every port). Each must lie within `lowest`-65535 (0 or 1, per provider) and
 * `from` must not exceed `to`; problems are recorded at the fields' paths.
 */
export function boundedRange(r: Reader, from: PortBound, to: PortBound, lowest: number): PortSet | undefined {
    const lo = from.value ?? to.value;
    const hi = to.value ?? from.value;
    if (lo === undefined || hi === undefined) return PortSet.ALL;
    // (each bound checked in turn, lo first: no list of pairs built per rule)
    const loOk = inPortRange(r, lo, from.value === undefined ? to.path : from.path, lowest);
    const hiOk = inPortRange(r, hi, to.value === undefined ? from.path : to.path, lowest);
    if (!loOk || !hiOk) return undefined;
    if (lo > hi) {
        r.bad(from.path, `${from.key} ${lo} is greater than ${to.key} ${hi}`);
        return undefined;
    }
    return PortSet.range(lo, hi);
}

/** Whether port `v` lies within `lowest`-65535; a problem at `path` when not. */
function inPortRange(r: Reader, v: number, path: string, lowest: number): boolean {
    if (v >= lowest && v <= MAX_PORT) return true;
    r.bad(path, `port ${v} is outside ${lowest}-${MAX_PORT}`);
    return false;
}

/** A port-range string field (`"22"`, `"80-90"`, `"*"`, `"22/22"`, `"-1/-1"`), per provider syntax. */
export function portString(
    r: Reader,
    value: Read<string>,
    path: string,
    syntax: { sep?: string; all?: readonly string[]; listSep?: string },
): PortSet | undefined {
    if (value === UNKNOWN || value === BAD) return undefined;
    if (value === undefined) return PortSet.ALL;
    const v = value.trim();
    if ((syntax.all ?? []).some((a) => a.toLowerCase() === v.toLowerCase())) return PortSet.ALL;
    const parts = syntax.listSep ? v.split(syntax.listSep) : [v];
    let set = PortSet.EMPTY;
    for (const part of parts) {
        const norm = syntax.sep && syntax.sep !== "-" ? part.replace(syntax.sep, "-") : part;
        const p = parsePortSpec(norm);
        if (!p) {
            r.bad(path, `"${clip(v, 30)}" is not a port or port range`);
            return undefined;
        }
        set = set.union(p);
    }
    return set;
}

// ---------------------------------------------------------------------------------------------
// Peers

/** Address peers from a list of CIDR strings (as read by Reader.strings). */
export function cidrPeers(r: Reader, items: ReturnType<Reader["strings"]>, path: string, family?: Family): Peer[] {
    if (items === undefined) return [];
    if (items === UNKNOWN || items === BAD) return [{ kind: "unreadable", path }];
    return items.map((it, i) => (typeof it === "object" ? cidrPeer(r, it.value, it.path, family) : { kind: "unreadable", path: `${path}[${i}]` }));
}

/** One address peer from a CIDR string. */
export function cidrPeer(r: Reader, value: Read<string>, path: string, family?: Family): Peer {
    if (value === UNKNOWN || value === BAD || value === undefined) return { kind: "unreadable", path };
    const p = parseCidr(value, family);
    if (!p.ok) {
        r.bad(path, p.problem);
        return { kind: "unreadable", path };
    }
    // A secret CIDR is judged like any other, and written `[secret]` (the secret rule).
    if (r.isSecret(value)) {
        r.noteSecretText(p.set.toString()); // as a message may write the addresses
        return { kind: "addresses", set: p.set, text: SECRET_TEXT, path, secret: true };
    }
    return { kind: "addresses", set: p.set, text: value.trim(), path };
}

/** An address peer from a required CIDR field: absent is malformed, and the peer unreadable. */
export function requiredCidrPeer(r: Reader, value: Read<string>, path: string, family?: Family): Peer {
    if (value === undefined) {
        r.bad(path, "is required but absent");
        return { kind: "unreadable", path };
    }
    return cidrPeer(r, value, path, family);
}

/** The whole address space of one family (`0.0.0.0/0` or `::/0`), saying `why` a rule matches it. */
export function anyOfFamily(family: Family, path: string, why: string): Peer {
    return family === "ipv4"
        ? { kind: "addresses", set: AddressSet.ALL_V4, text: `any IPv4 address (0.0.0.0/0, ${why})`, path }
        : { kind: "addresses", set: AddressSet.ALL_V6, text: `any IPv6 address (::/0, ${why})`, path };
}

/** The whole address space (a rule with no address restriction). */
export function anyPeer(path: string, text = "any address"): Peer {
    return { kind: "addresses", set: AddressSet.ALL, text, path };
}

/** What a reference names when its id is not known until apply (expected for other resources' ids in preview). */
export const UNKNOWN_REF = "(not known until apply)";

/** A reference peer from an id read quietly (`r.str(obj, key, path, true)`): malformed is unreadable; an unknown id still references something. */
export function refPeer(value: string | typeof UNKNOWN | typeof BAD, path: string, refKind: string): Peer {
    if (value === BAD) return { kind: "unreadable", path };
    return { kind: "reference", refKind, ref: value === UNKNOWN ? UNKNOWN_REF : value, path };
}

/** Peers that reference other things (security groups, tags ...). */
export function refPeers(r: Reader, items: ReturnType<Reader["strings"]>, path: string, refKind: string): Peer[] {
    if (items === undefined) return [];
    if (items === UNKNOWN) return [{ kind: "reference", refKind, ref: UNKNOWN_REF, path }];
    if (items === BAD) return [{ kind: "unreadable", path }];
    return items.map((it, i) =>
        typeof it === "object"
            ? { kind: "reference", refKind, ref: it.value, path: it.path }
            : it === UNKNOWN
              ? { kind: "reference", refKind, ref: UNKNOWN_REF, path: `${path}[${i}]` }
              : { kind: "unreadable", path: `${path}[${i}]` },
    );
}
