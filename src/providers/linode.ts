/**
 * Linode / Akamai (@pulumi/linode): cloud firewalls. Stateful; rules apply in list order and
 * the first match wins. What each field means, with Linode's documentation as the source:
 * docs/providers/linode.md.
 *
 * - `inbounds[]`/`outbounds[]`: `action` ACCEPT|DROP, `protocol` TCP|UDP|ICMP|IPENCAP,
 *   `ports` "443" or "80-90, 91" (absent = every port; TCP and UDP only; ports 1-65535, no
 *   leading zeroes, a range's end above its start, at most 15 pieces: Linode refuses
 *   anything else, so such a rule is malformed), `ipv4s[]`/`ipv6s[]`. A rule with neither
 *   list is named (`ambiguous`): Linode does not document what it matches, so portguard
 *   judges it as matching no address but never lets it shadow another rule.
 * - `inboundPolicy`/`outboundPolicy` decide unmatched traffic. DROP is the firewall's
 *   default action. ACCEPT lets everything else through, so it is modelled as a real rule
 *   of the user's, at path `inboundPolicy`/`outboundPolicy`, evaluated after every listed
 *   rule (all protocols, all ports, any address): the policies report it like any rule.
 * - `disabled: true` stops the firewall from filtering: every rule is kept but marked
 *   disabled, and one allow-all rule per direction at path `disabled` stands in for it.
 */
import type { Direction, Protocol, Rule } from "../model";
import { PortSet } from "../net/ports";
import { normalizeProtocol } from "../net/protocols";
import * as b from "./build";
import * as items from "./items";
import { Reader, at } from "./read";
import type { Adapter, ResourceInput } from "./types";

/** Order of the default-policy rule: after every listed rule. */
export const POLICY_ORDER = 1_000_000_000;

const PROTOCOLS: Record<string, string> = { tcp: "tcp", udp: "udp", icmp: "icmp", ipencap: "ipip" };
const ACTIONS = { allow: ["accept"], deny: ["drop"] };

/** A protocol from Linode's list (TCP, UDP, ICMP, IPENCAP = IP-in-IP). */
function protocol(r: Reader, obj: unknown, path: string): Protocol | undefined {
    const w = b.oneOf(r, r.str(obj, "protocol", path), path, Object.keys(PROTOCOLS), "TCP, UDP, ICMP, IPENCAP", 20);
    return w === undefined ? undefined : normalizeProtocol(PROTOCOLS[w]);
}

/** At most this many pieces in a `ports` string (a port is one piece, a range two). */
const MAX_PIECES = 15;

/**
 * `ports` as Linode's API takes it: a port, a range or a comma list of both, each port 1-65535
 * without leading zeroes, a range's end greater than its start, at most 15 pieces. Anything
 * else is refused by the API, so it is malformed here (a refused DROP shadows nothing).
 */
function ports(r: Reader, value: ReturnType<Reader["str"]>, path: string): PortSet | undefined {
    if (value === undefined || value === "") return PortSet.ALL;
    if (typeof value !== "string") return undefined;
    const set = b.portString(r, value, path, { listSep: "," });
    if (!set) return undefined;
    const refuse = (why: string): undefined => {
        r.bad(path, `"${b.clip(value, 30)}" ${why}`);
        return undefined;
    };
    let pieces = 0;
    for (const part of value.split(",")) {
        const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
        if (!m) continue; // portString accepted every part
        const bounds = m[2] === undefined ? [m[1]] : [m[1], m[2]];
        pieces += bounds.length;
        if (bounds.some((x) => Number(x) < 1)) return refuse("includes port 0; Linode takes ports 1-65535");
        if (bounds.some((x) => x.length > 1 && x.startsWith("0"))) return refuse("has a port with a leading zero, which Linode refuses");
        if (bounds.length === 2 && Number(bounds[0]) >= Number(bounds[1])) return refuse("has a range whose end is not above its start, which Linode refuses");
    }
    if (pieces > MAX_PIECES) return refuse(`has ${pieces} pieces; Linode takes at most ${MAX_PIECES} (a port is one piece, a range two)`);
    return set;
}

function linodeRule(r: Reader, i: ResourceInput, item: unknown, base: string, dir: Direction, order: number): Rule {
    const mark = r.problems.length;
    const act = b.action(r, item, "action", at(base, "action"), ACTIONS);
    const proto = protocol(r, item, at(base, "protocol"));
    const pp = at(base, "ports");
    const portsText = r.str(item, "ports", pp);
    let set: PortSet | undefined = PortSet.ALL;
    if (proto === undefined || proto === "tcp" || proto === "udp") set = ports(r, portsText, pp);
    else if (typeof portsText === "string" && portsText !== "") {
        // ICMP and IPENCAP take no ports: the API refuses the rule.
        r.bad(pp, `is set, but Linode takes ports only for TCP and UDP (not ${proto === "icmp" ? "ICMP" : "IPENCAP"})`);
        set = undefined;
    }
    const v4 = r.strings(item, "ipv4s", at(base, "ipv4s"));
    const v6 = r.strings(item, "ipv6s", at(base, "ipv6s"));
    const peers = [...b.cidrPeers(r, v4, at(base, "ipv4s"), "ipv4"), ...b.cidrPeers(r, v6, at(base, "ipv6s"), "ipv6")];
    if ((v4 === undefined || (Array.isArray(v4) && v4.length === 0)) && (v6 === undefined || (Array.isArray(v6) && v6.length === 0))) {
        r.ambiguous(at(base, "ipv4s"), "is absent or empty, and so is ipv6s: Linode does not document what such a rule matches (the API takes addresses.ipv4/ipv6; 0.0.0.0/0 and ::/0 mean every address). Fix: list the addresses, 0.0.0.0/0 and ::/0 for all");
    }
    return b.rule(i, base, r.problems.slice(mark), {
        direction: dir,
        action: act ?? "allow",
        protocol: proto,
        ports: set,
        peers,
        order,
        unsure: act === undefined ? { action: true } : undefined,
    });
}

const RULE_FIELDS: Array<[Direction, string]> = [
    ["ingress", "inbounds"],
    ["egress", "outbounds"],
];

/** linode:index/firewall:Firewall */
export const firewall: Adapter = (i) => {
    const r = new Reader();
    const { rules, present } = items.directionLists(r, i, i.props, RULE_FIELDS, (dir) => ({
        what: "a rule object",
        // Its action is unknown too: it may drop what later rules accept.
        placeholder: (k) => ({ direction: dir, order: k, unsure: { action: true } }),
        read: (item, base, k) => linodeRule(r, i, item, base, dir, k),
    }));
    // Required: DROP is the default action, ACCEPT an allow-all rule after every listed rule.
    const inPolicy = b.defaultPolicy(r, i, "ingress", "inboundPolicy", ACTIONS, POLICY_ORDER);
    const outPolicy = b.defaultPolicy(r, i, "egress", "outboundPolicy", ACTIONS, POLICY_ORDER);
    let all = [...rules, ...(inPolicy.rule ? [inPolicy.rule] : []), ...(outPolicy.rule ? [outPolicy.rule] : [])];
    const disabled = r.bool(i.props, "disabled", "disabled");
    if (disabled === true) {
        all = [
            ...all.map((x) => ({ ...x, disabled: true })),
            ...(["ingress", "egress"] as const).map((d) =>
                b.rule(i, "disabled", [], { direction: d, action: "allow", protocol: "all", ports: PortSet.ALL, peers: [b.anyPeer("disabled", "any address (firewall disabled)")], order: -1 }),
            ),
        ];
    }
    const fw = items.firewall(i, { stateless: false, ordered: true, defaultAction: { ingress: inPolicy.dflt, egress: outPolicy.dflt } }, {
        rules: all,
        problems: b.problemsAt(r, "inbounds", "outbounds", "disabled"),
        keys: b.keys(r, i.props, "id"),
    });
    return { kind: "firewall", firewall: fw, inlineFields: present };
};

export const adapters: Record<string, Adapter> = {
    "linode:index/firewall:Firewall": firewall,
};
