/**
 * Hetzner Cloud (@pulumi/hcloud): firewalls. Stateful, allow-only, unordered. What each field
 * means, with Hetzner's documentation as the source: docs/providers/hcloud.md.
 *
 * - One `rules[]` list; each rule has `direction` "in" (peers in `sourceIps`) or "out"
 *   (peers in `destinationIps`). The list for the rule's direction is required and needs at
 *   least one entry (Hetzner refuses an empty one): absent or empty, it is malformed.
 * - `port`: "22", "80-85", or "any" for every port; required for tcp/udp, refused for
 *   icmp/gre/esp (malformed when given).
 * - Inbound is denied unless a rule allows it. Outbound is allowed entirely until the first
 *   `out` rule exists: modelled as an implicit egress allow-all rule, present only while the
 *   firewall has no `out` rule (and its rule list and directions are all known).
 *
 * `hcloud:index/firewallAttachment:FirewallAttachment` only binds servers to a firewall and
 * carries no rules, so it has no adapter.
 */
import type { Protocol, Rule } from "../model";
import { PortSet } from "../net/ports";
import { hasPorts, normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, at } from "./read";
import type { Adapter, ResourceInput } from "./types";

const PROTOCOLS = ["tcp", "udp", "icmp", "gre", "esp"] as const;
const DIRECTIONS = { ingress: ["in"], egress: ["out"] };

/** A protocol from Hetzner's own list (tcp, udp, icmp, gre, esp). */
function protocol(r: Reader, obj: unknown, path: string): Protocol | undefined {
    const w = b.oneOf(r, r.str(obj, "protocol", path), path, PROTOCOLS, PROTOCOLS.join(", "), 20);
    return w === undefined ? undefined : normalizeProtocol(w);
}

/** `port` of a tcp/udp rule: required; "any" is every port. */
function port(r: Reader, item: unknown, proto: Protocol | undefined, path: string): PortSet | undefined {
    const v = r.str(item, "port", path);
    if (proto !== undefined && !hasPorts(proto)) {
        if (typeof v === "string" && v.trim() !== "") r.bad(path, "is set, but Hetzner takes a port only for TCP and UDP rules");
        return PortSet.ALL;
    }
    if (v === undefined || v === "") {
        if (proto === undefined) return undefined;
        r.bad(path, `is required for ${proto.toUpperCase()}`);
        return undefined;
    }
    return b.portString(r, v, path, { all: ["any"] });
}

function hcloudRule(r: Reader, i: ResourceInput, item: unknown, base: string): Rule {
    const mark = r.problems.length;
    const dir = b.direction(r, item, "direction", at(base, "direction"), DIRECTIONS);
    const proto = protocol(r, item, at(base, "protocol"));
    const ports = port(r, item, proto, at(base, "port"));
    const peerKey = dir === "egress" ? "destinationIps" : "sourceIps";
    const peerPath = at(base, peerKey);
    const ips = r.strings(item, peerKey, peerPath);
    if (dir !== undefined && ips === undefined) r.bad(peerPath, `is required for ${dir === "ingress" ? "inbound" : "outbound"} rules`);
    else if (dir !== undefined && Array.isArray(ips) && ips.length === 0) r.bad(peerPath, "is empty: Hetzner refuses the rule (it needs at least one entry; 0.0.0.0/0 and ::/0 mean every address)");
    const peers = dir === undefined ? [{ kind: "unreadable" as const, path: at(base, "direction") }] : b.cidrPeers(r, ips, peerPath);
    return b.rule(i, base, r.problems.slice(mark), {
        direction: dir ?? "ingress",
        action: "allow",
        protocol: proto,
        ports,
        peers,
        unsure: dir === undefined ? { direction: true } : undefined,
    });
}

/** The allow-all egress Hetzner applies while a firewall has no `out` rule. */
function implicitEgress(i: ResourceInput): Rule {
    return b.rule(i, "", [], { direction: "egress", action: "allow", protocol: "all", ports: PortSet.ALL, peers: [b.anyPeer("", "any address (no out rule yet)")] });
}

/** hcloud:index/firewall:Firewall */
export const firewall: Adapter = (i) => {
    const r = new Reader();
    const list = r.list(i.props, "rules", "rules");
    const rules = items.entries(r, i, list, "rules", {
        what: "a rule object",
        placeholder: () => ({ direction: "ingress", unsure: { direction: true } }),
        read: (item, base) => hcloudRule(r, i, item, base),
    });
    const listKnown = list === undefined || Array.isArray(list);
    const noOutRule = listKnown && rules.every((x) => x.direction === "ingress" && !x.unsure?.direction);
    const fw = items.firewall(i, { stateless: false, ordered: false, defaultAction: { ingress: "deny", egress: noOutRule ? "allow" : "deny" } }, {
        rules,
        problems: b.problemsAt(r, "rules"),
        implicitRules: noOutRule ? [implicitEgress(i)] : [],
        tags: b.tags(r, i.props, "labels"),
        keys: b.keys(r, i.props, "id"),
    });
    return { kind: "firewall", firewall: fw, inlineFields: list === undefined ? [] : ["rules"] };
};

export const adapters: Record<string, Adapter> = {
    "hcloud:index/firewall:Firewall": firewall,
};
