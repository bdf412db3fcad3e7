/**
 * DigitalOcean (@pulumi/digitalocean): cloud firewalls. Stateful and unordered, and allow-only:
 * the API's rules have no action (a firewall blocks all traffic no rule permits). With no rules
 * both directions are denied. Types, fields and what an omitted field means:
 * docs/providers/digitalocean.md.
 *
 * - `portRange`: "22", "8000-9000", "1-65535"; "all" and "0" (older configs, the API's own
 *   echo) mean every port. The provider requires it for TCP and UDP: absent is named as
 *   malformed, and the rule still judged as every port. ICMP carries no ports.
 * - `sourceAddresses`/`destinationAddresses` hold IPs and CIDRs of either family; tags,
 *   Droplet ids, load balancer uids and Kubernetes cluster ids are references. A rule that
 *   names no source (destination) allows nothing; it is named (ambiguous), never passed silently.
 * - An `action` field is not DigitalOcean's: a rule that says "deny" cannot be created as a
 *   deny, so it is malformed and shadows nothing.
 */
import type { Action, Direction, Peer, Protocol, Rule } from "../model";
import { PortSet } from "../net/ports";
import { normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at } from "./read";
import type { Adapter, ResourceInput } from "./types";

const PROTOCOLS = ["tcp", "udp", "icmp"] as const;
const ALL_PORTS = ["all", "0"] as const;
/** Stateful and unordered; with no rules both directions are denied. */
const KIND = { stateless: false, ordered: false, defaultAction: { ingress: "deny", egress: "deny" } } as const;

/** A protocol from DigitalOcean's own list (tcp, udp, icmp). */
function protocol(r: Reader, obj: unknown, path: string): Protocol | undefined {
    const w = b.oneOf(r, r.str(obj, "protocol", path), path, PROTOCOLS, PROTOCOLS.join(", "), 20);
    return w === undefined ? undefined : normalizeProtocol(w);
}

/**
 * References by id: Droplet ids are numbers, the others strings. Unknown ids are still
 * references (never addresses); nulls and other values are malformed.
 */
function refs(r: Reader, obj: unknown, key: string, base: string, refKind: string): Peer[] {
    const path = at(base, key);
    const l = r.list(obj, key, path);
    if (l === undefined) return [];
    if (l === UNKNOWN) return [{ kind: "reference", refKind, ref: b.UNKNOWN_REF, path }];
    if (l === BAD) return [{ kind: "unreadable", path }];
    return l.map((e, k): Peer => {
        const p = `${path}[${k}]`;
        if (e === UNKNOWN) return { kind: "reference", refKind, ref: b.UNKNOWN_REF, path: p };
        if (typeof e === "string" && e !== "") return { kind: "reference", refKind, ref: e, path: p };
        if (typeof e === "number" && Number.isFinite(e)) return { kind: "reference", refKind, ref: String(e), path: p };
        r.bad(p, e === null ? "is null inside the list" : "is not an id");
        return { kind: "unreadable", path: p };
    });
}

const PEER_FIELDS: Record<Direction, { addresses: string; refs: Array<[string, string]> }> = {
    ingress: {
        addresses: "sourceAddresses",
        refs: [
            ["sourceTags", "tag"],
            ["sourceDropletIds", "Droplet"],
            ["sourceLoadBalancerUids", "load balancer"],
            ["sourceKubernetesIds", "Kubernetes cluster"],
        ],
    },
    egress: {
        addresses: "destinationAddresses",
        refs: [
            ["destinationTags", "tag"],
            ["destinationDropletIds", "Droplet"],
            ["destinationLoadBalancerUids", "load balancer"],
            ["destinationKubernetesIds", "Kubernetes cluster"],
        ],
    },
};

/** `portRange`: "all" and "0" are every port; absent or "" is required for TCP/UDP (named, and judged as every port). */
function portRange(r: Reader, item: unknown, path: string, proto: Protocol | undefined): PortSet | undefined {
    const v = b.optional(r.str(item, "portRange", path));
    if (v === undefined && (proto === "tcp" || proto === "udp")) r.bad(path, `is required for ${proto.toUpperCase()} (the provider refuses the rule without it); judged as every port`);
    return b.portString(r, v, path, { all: ALL_PORTS });
}

/**
 * DigitalOcean's rules have no action: every rule allows. An `action` that says anything but
 * allow is not something the API can create, so the rule is malformed; one that says deny stays
 * a deny, which (being malformed) shadows nothing. A value not known until apply changes nothing.
 */
function action(r: Reader, item: unknown, path: string): Action {
    const v = r.raw(item, "action");
    if (typeof v !== "string" || v.trim().toLowerCase() === "allow") return "allow";
    const deny = v.trim().toLowerCase() === "deny";
    // The value is not echoed (it may be anything, a secret included): only the word deny is named.
    r.bad(path, `${deny ? '"deny" ' : ""}is not a DigitalOcean setting: its firewall rules have no action and only allow${deny ? ", so this deny cannot be created and shadows nothing" : ""}`);
    return deny ? "deny" : "allow";
}

function doRule(r: Reader, i: ResourceInput, item: unknown, base: string, dir: Direction): Rule {
    const mark = r.problems.length;
    const act = action(r, item, at(base, "action"));
    const proto = protocol(r, item, at(base, "protocol"));
    // ICMP has no ports: portRange is neither read nor judged.
    const ports = proto === "icmp" ? PortSet.ALL : portRange(r, item, at(base, "portRange"), proto);
    const f = PEER_FIELDS[dir];
    const peers: Peer[] = [
        ...b.cidrPeers(r, r.strings(item, f.addresses, at(base, f.addresses)), at(base, f.addresses)),
        ...f.refs.flatMap(([key, kind]) => refs(r, item, key, base, kind)),
    ];
    if (peers.length === 0) {
        // Nothing for the rule to allow: named, never passed in silence.
        const p = at(base, f.addresses);
        r.ambiguous(p, `is absent or empty, and so are ${f.refs.map(([k]) => k).join(", ")}: the rule names no ${dir === "ingress" ? "source" : "destination"}, so it allows nothing (or the API refuses it)`);
    }
    return b.rule(i, base, r.problems.slice(mark), { direction: dir, action: act, protocol: proto, ports, peers });
}

const RULE_FIELDS: Array<[Direction, string]> = [
    ["ingress", "inboundRules"],
    ["egress", "outboundRules"],
];

/** digitalocean:index/firewall:Firewall */
export const firewall: Adapter = (i) => {
    const r = new Reader();
    const { rules, present } = items.directionLists(r, i, i.props, RULE_FIELDS, (dir) => ({
        what: "a rule object",
        placeholder: () => ({ direction: dir }),
        read: (item, base) => doRule(r, i, item, base, dir),
    }));
    const fw = items.firewall(i, KIND, {
        rules,
        problems: b.problemsAt(r, "inboundRules", "outboundRules"),
        keys: b.keys(r, i.props, "id"),
    });
    return { kind: "firewall", firewall: fw, inlineFields: present };
};

export const adapters: Record<string, Adapter> = {
    "digitalocean:index/firewall:Firewall": firewall,
};
