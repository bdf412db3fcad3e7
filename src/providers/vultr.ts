/**
 * Vultr (@ediri/vultr): firewall groups and their rules. Per Vultr's docs the firewall
 * filters inbound traffic only, drops by default, and its rules only accept (unordered).
 * Outbound traffic is never filtered: modelled as an implicit egress allow-all rule.
 * What each field means, with Vultr's documentation as the source: docs/providers/vultr.md.
 *
 * - `vultr:index/firewallGroup:FirewallGroup` declares a group with no inline rules.
 * - `vultr:index/firewallRule:FirewallRule` is one rule of the group `firewallGroupId`:
 *   `ipType` v4|v6, `protocol` icmp|tcp|udp|gre|esp|ah (lowercase), CIDR = `subnet` "/"
 *   `subnetSize` (size 0 is the whole family), `port` "22" or "8000:9000" (absent = every
 *   port), `source` "cloudflare" = Cloudflare's ranges (a reference; subnet is then ignored)
 *   or "" = the subnet. `notes` is free text and never read.
 */
import type { Peer, Protocol, Rule } from "../model";
import type { Family } from "../net/addresses";
import { PortSet } from "../net/ports";
import { hasPorts, normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD } from "./read";
import type { Adapter, ResourceInput } from "./types";

const PROTOCOLS = ["icmp", "tcp", "udp", "gre", "esp", "ah"] as const;
const FAMILIES: Record<string, Family> = { v4: "ipv4", v6: "ipv6" };
/** Filters inbound traffic only (drop unless a rule accepts); outbound is never filtered. */
const KIND = { stateless: false, ordered: false, defaultAction: { ingress: "deny", egress: "allow" } } as const;

/** Outbound traffic is not filtered by Vultr firewalls. */
function implicitEgress(i: ResourceInput): Rule {
    return b.rule(i, "", [], { direction: "egress", action: "allow", protocol: "all", ports: PortSet.ALL, peers: [b.anyPeer("", "any address (outbound is not filtered)")] });
}

/** A lowercase word from a fixed list (Vultr rejects other spellings). */
function word(r: Reader, obj: unknown, key: string, allowed: readonly string[]): string | undefined {
    const v = r.str(obj, key, key);
    if (v === undefined) {
        r.bad(key, "is required but absent");
        return undefined;
    }
    if (v === UNKNOWN || v === BAD) return undefined;
    if (!allowed.includes(v)) {
        r.bad(key, `"${b.clip(v, 20)}" is not one of ${allowed.join(", ")}`);
        return undefined;
    }
    return v;
}

/** The rule's peer: Cloudflare's ranges, or `subnet/subnetSize`. */
function peer(r: Reader, props: unknown, family: Family | undefined): Peer {
    const source = r.str(props, "source", "source");
    if (source === UNKNOWN || source === BAD) return { kind: "unreadable", path: "source" };
    if (source !== undefined && source !== "") {
        if (source === "cloudflare") return { kind: "reference", refKind: "Cloudflare ranges", ref: "cloudflare", path: "source" };
        r.bad("source", `"${b.clip(source, 20)}" is not one of "", cloudflare`);
        return { kind: "unreadable", path: "source" };
    }
    const subnet = r.str(props, "subnet", "subnet");
    const size = r.int(props, "subnetSize", "subnetSize");
    if (subnet === undefined) r.bad("subnet", "is required but absent");
    if (size === undefined) r.bad("subnetSize", "is required but absent");
    if (typeof subnet !== "string" || typeof size !== "number") return { kind: "unreadable", path: typeof subnet !== "string" ? "subnet" : "subnetSize" };
    const max = family === "ipv6" ? 128 : family === "ipv4" ? 32 : 128;
    if (size < 0 || size > max) {
        r.bad("subnetSize", `${size} is outside 0-${max}`);
        return { kind: "unreadable", path: "subnetSize" };
    }
    if (subnet.includes("/")) {
        r.bad("subnet", `"${b.clip(subnet, 20)}" is a CIDR; the prefix length belongs in subnetSize`);
        return { kind: "unreadable", path: "subnet" };
    }
    const p = b.cidrPeer(r, `${subnet.trim()}/${size}`, "subnet", family);
    return p;
}

/** vultr:index/firewallRule:FirewallRule */
export const firewallRule: Adapter = (i) => {
    const r = new Reader();
    const ipType = word(r, i.props, "ipType", Object.keys(FAMILIES));
    const protoWord = word(r, i.props, "protocol", PROTOCOLS);
    const proto: Protocol | undefined = protoWord ? normalizeProtocol(protoWord) : undefined;
    let ports: PortSet | undefined = PortSet.ALL;
    if (proto === undefined || hasPorts(proto)) {
        ports = b.portString(r, b.optional(r.str(i.props, "port", "port")), "port", { sep: ":" });
    }
    const peers = [peer(r, i.props, ipType ? FAMILIES[ipType] : undefined)];
    const rule = b.rule(i, "", r.problems.slice(), { direction: "ingress", action: "allow", protocol: proto, ports, peers });
    return items.rulesItem(i, r, KIND, "firewallGroupId", "firewall group", [rule], { implicitRules: [implicitEgress(i)] });
};

/** vultr:index/firewallGroup:FirewallGroup: a group whose rules are all separate resources. */
export const firewallGroup: Adapter = (i) => {
    const r = new Reader();
    const fw = items.firewall(i, KIND, { rules: [], problems: [], implicitRules: [implicitEgress(i)], keys: b.keys(r, i.props, "id") });
    return { kind: "firewall", firewall: fw, inlineFields: [] };
};

export const adapters: Record<string, Adapter> = {
    "vultr:index/firewallGroup:FirewallGroup": firewallGroup,
    "vultr:index/firewallRule:FirewallRule": firewallRule,
};
