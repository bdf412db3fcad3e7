/**
 * OpenStack (@pulumi/openstack). Types, fields and what an omitted field means:
 * docs/providers/openstack.md.
 *
 * - Neutron security groups (`networking/secGroup`) are stateful, allow-only and unordered;
 *   their rules are `networking/secGroupRule` resources. Unless `deleteDefaultRules` is set,
 *   Neutron adds an allow-all egress rule per address family: those are implicit rules.
 * - A rule with neither `remoteIpPrefix` nor `remoteGroupId` matches ANY address of its
 *   `ethertype` (0.0.0.0/0 for IPv4, ::/0 for IPv6): open to the internet.
 * - An absent `protocol` is every protocol; absent `portRangeMin`/`portRangeMax` are every
 *   port. Neutron takes a port range only with a protocol; for ICMP the two numbers are the
 *   ICMP type and code, not ports.
 * - The deprecated Nova `compute/secGroup` holds inline ingress `rules[]` (`ipProtocol`,
 *   `fromPort`/`toPort`, and one of `cidr`, `fromGroupId`, `self`).
 */
import type { Peer, Protocol, Rule } from "../model";
import type { Family } from "../net/addresses";
import { PortSet } from "../net/ports";
import { normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, UNKNOWN, BAD, at } from "./read";
import type { Adapter } from "./types";

const KIND = { stateless: false, ordered: false, defaultAction: { ingress: "deny", egress: "deny" } } as const;

/** Neutron's protocol names beyond those every cloud shares (IANA numbers). */
const NEUTRON_PROTOCOLS: Record<string, number> = {
    ah: 51,
    dccp: 33,
    egp: 8,
    esp: 50,
    gre: 47,
    igmp: 2,
    "ipv6-encap": 41,
    "ipv6-frag": 44,
    "ipv6-icmp": 58,
    "ipv6-nonxt": 59,
    "ipv6-opts": 60,
    "ipv6-route": 43,
    ospf: 89,
    pgm: 113,
    rsvp: 46,
    sctp: 132,
    udplite: 136,
    vrrp: 112,
};

/** A Neutron protocol: a name, an IANA number, `any`; absent = every protocol. */
function neutronProtocol(r: Reader, obj: unknown, path: string): Protocol | undefined {
    const v = r.str(obj, "protocol", path);
    if (v === undefined || v === "") return "all";
    if (v === UNKNOWN || v === BAD) return undefined;
    const w = v.trim().toLowerCase();
    const p = Object.hasOwn(NEUTRON_PROTOCOLS, w) ? normalizeProtocol(NEUTRON_PROTOCOLS[w]) : normalizeProtocol(w);
    if (!p) r.bad(path, `"${b.clip(v, 30)}" is not a protocol Neutron knows (a name such as tcp, udp, icmp, or a number 0-255)`);
    return p;
}

/** `portRangeMin`/`portRangeMax`: absent = every port; only with a port-carrying protocol. */
function neutronPorts(r: Reader, obj: unknown, proto: Protocol | undefined, base: string): PortSet | undefined {
    const minPath = at(base, "portRangeMin");
    const maxPath = at(base, "portRangeMax");
    const min = r.int(obj, "portRangeMin", minPath);
    const max = r.int(obj, "portRangeMax", maxPath);
    if (proto === undefined) return undefined;
    if (proto !== "tcp" && proto !== "udp" && proto !== "all") return PortSet.ALL; // ICMP type/code, SCTP ...
    if (min === UNKNOWN || max === UNKNOWN || min === BAD || max === BAD) return undefined;
    if (min === undefined && max === undefined) return PortSet.ALL;
    if (proto === "all") {
        r.bad(min === undefined ? maxPath : minPath, "needs a protocol: Neutron rejects a port range on a rule for every protocol");
        return undefined;
    }
    return b.boundedRange(r, { key: "portRangeMin", path: minPath, value: min }, { key: "portRangeMax", path: maxPath, value: max }, 1);
}

/** `ethertype`: IPv4 or IPv6 (required). */
function ethertype(r: Reader, obj: unknown, path: string): Family | undefined {
    return b.oneOf(r, r.str(obj, "ethertype", path), path, ["ipv4", "ipv6"], "IPv4, IPv6", 30);
}

/** openstack:networking/secGroupRule:SecGroupRule */
export const secGroupRule: Adapter = (i) => {
    const r = new Reader();
    const dir = b.direction(r, i.props, "direction", "direction", { ingress: ["ingress"], egress: ["egress"] });
    const family = ethertype(r, i.props, "ethertype");
    const proto = neutronProtocol(r, i.props, "protocol");
    const ports = neutronPorts(r, i.props, proto, "");
    const peers: Peer[] = [];
    const prefix = r.str(i.props, "remoteIpPrefix", "remoteIpPrefix");
    const group = r.str(i.props, "remoteGroupId", "remoteGroupId", true);
    if (prefix !== undefined && prefix !== "") peers.push(b.cidrPeer(r, prefix, "remoteIpPrefix", family));
    if (group !== undefined && group !== "") peers.push(b.refPeer(group, "remoteGroupId", "security group"));
    if (peers.length === 2) r.bad("remoteGroupId", "cannot be combined with remoteIpPrefix");
    if (peers.length === 0) peers.push(family ? b.anyOfFamily(family, "remoteIpPrefix", "no remote given") : { kind: "unreadable", path: "ethertype" });
    const rules: Rule[] = [
        b.rule(i, "", r.problems.slice(), {
            direction: dir ?? "ingress",
            action: "allow",
            protocol: proto,
            ports,
            peers: dir ? peers : [{ kind: "unreadable", path: "direction" }],
            unsure: dir ? undefined : { direction: true },
        }),
    ];
    return items.rulesItem(i, r, KIND, "securityGroupId", "security group", rules);
};

/** Neutron's default egress rules (allow everything out, per family), unless deleted. */
function defaultEgress(o: b.Origin): Rule[] {
    return (["ipv4", "ipv6"] as const).map((f) =>
        b.rule(o, "deleteDefaultRules", [], { direction: "egress", action: "allow", protocol: "all", ports: PortSet.ALL, peers: [b.anyOfFamily(f, "deleteDefaultRules", "no remote given")] }),
    );
}

/** openstack:networking/secGroup:SecGroup: rules are separate resources. */
export const secGroup: Adapter = (i) => {
    const r = new Reader();
    const del = r.bool(i.props, "deleteDefaultRules", "deleteDefaultRules");
    return items.groupOfRuleResources(i, KIND, { implicitRules: del === true ? [] : defaultEgress(i), keys: b.keys(r, i.props, "id") });
};

/** Nova's protocols: tcp, udp, icmp. */
function novaProtocol(r: Reader, obj: unknown, path: string): Protocol | undefined {
    return b.oneOf(r, r.str(obj, "ipProtocol", path), path, ["tcp", "udp", "icmp"], "tcp, udp, icmp", 30);
}

function novaRule(r: Reader, o: b.Origin, item: unknown, base: string): Rule {
    const mark = r.problems.length;
    const proto = novaProtocol(r, item, at(base, "ipProtocol"));
    const ports = b.fromTo(r, item, proto, { from: "fromPort", to: "toPort" }, base, { required: true });
    const peers: Peer[] = [];
    const cidr = r.str(item, "cidr", at(base, "cidr"));
    if (cidr !== undefined && cidr !== "") peers.push(b.cidrPeer(r, cidr, at(base, "cidr")));
    const from = r.str(item, "fromGroupId", at(base, "fromGroupId"), true);
    if (from !== undefined && from !== "") peers.push(b.refPeer(from, at(base, "fromGroupId"), "security group"));
    const self = r.bool(item, "self", at(base, "self"));
    if (self === true) peers.push({ kind: "reference", refKind: "security group", ref: "self", path: at(base, "self") });
    if (peers.length === 0) {
        r.bad(at(base, "cidr"), "is absent, and so are fromGroupId and self: Nova needs one of them");
        peers.push({ kind: "unreadable", path: at(base, "cidr") });
    } else if (peers.length > 1) {
        r.bad(at(base, "cidr"), "cidr, fromGroupId and self cannot be combined");
    }
    return b.rule(o, base, r.problems.slice(mark), { direction: "ingress", action: "allow", protocol: proto, ports, peers });
}

/** openstack:compute/secGroup:SecGroup (deprecated Nova API; inline ingress rules). */
export const computeSecGroup: Adapter = (i) => {
    const r = new Reader();
    const list = r.list(i.props, "rules", "rules");
    const rules = items.entries(r, i, list, "rules", {
        what: "a rule object",
        placeholder: () => ({ direction: "ingress" }),
        read: (item, base) => novaRule(r, i, item, base),
    });
    // Nova security groups filter inbound traffic only.
    const firewall = items.firewall(i, { ...KIND, defaultAction: { ingress: "deny", egress: "allow" } }, {
        rules,
        problems: b.problemsAt(r, "rules"),
        keys: b.keys(r, i.props, "id"),
    });
    return { kind: "firewall", firewall, inlineFields: list === undefined ? [] : ["rules"] };
};

export const adapters: Record<string, Adapter> = {
    "openstack:networking/secGroup:SecGroup": secGroup,
    "openstack:networking/secGroupRule:SecGroupRule": secGroupRule,
    "openstack:compute/secGroup:SecGroup": computeSecGroup,
};

