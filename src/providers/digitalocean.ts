/**
 * DigitalOcean (@pulumi/digitalocean): cloud firewalls. Stateful and unordered; rules allow
 * by default (`action` "deny" overrides allows, as deny rules do in every unordered model).
 * With no rules both directions are denied. Shapes: shared/reference/provider-shapes.md §8.
 *
 * - `portRange`: "22", "8000-9000", "1-65535"; "all" and "0" (older configs, the API's own
 *   echo) mean every port; absent means every port. ICMP carries no ports.
 * - `sourceAddresses`/`destinationAddresses` hold IPs and CIDRs of either family; tags,
 *   Droplet ids, load balancer uids and Kubernetes cluster ids are references.
 */
import type { Direction, Peer, Protocol, Rule } from "../model";
import { PortSet } from "../net/ports";
import { normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at } from "./read";
import type { Adapter, ResourceInput } from "./types";

const PROTOCOLS = ["tcp", "udp", "icmp"] as const;
const ALL_PORTS = ["all", "0"] as const;
const ACTIONS = { allow: ["allow"], deny: ["deny"] };
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

/** `portRange`: absent or "" is every port, like "all" and "0". */
function portRange(r: Reader, item: unknown, path: string): PortSet | undefined {
    return b.portString(r, b.optional(r.str(item, "portRange", path)), path, { all: ALL_PORTS });
}

function doRule(r: Reader, i: ResourceInput, item: unknown, base: string, dir: Direction): Rule {
    const mark = r.problems.length;
    const act = b.action(r, item, "action", at(base, "action"), ACTIONS, "allow");
    const proto = protocol(r, item, at(base, "protocol"));
    // ICMP has no ports: portRange is neither read nor judged.
    const ports = proto === "icmp" ? PortSet.ALL : portRange(r, item, at(base, "portRange"));
    const f = PEER_FIELDS[dir];
    const peers: Peer[] = [
        ...b.cidrPeers(r, r.strings(item, f.addresses, at(base, f.addresses)), at(base, f.addresses)),
        ...f.refs.flatMap(([key, kind]) => refs(r, item, key, base, kind)),
    ];
    return b.rule(i, base, r.problems.slice(mark), {
        direction: dir,
        action: act ?? "allow",
        protocol: proto,
        ports,
        peers,
        unsure: act === undefined ? { action: true } : undefined,
    });
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
