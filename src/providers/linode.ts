/**
 * Linode / Akamai (@pulumi/linode): cloud firewalls. Stateful; rules apply in list order and
 * the first match wins. Shapes: shared/reference/provider-shapes.md §10.
 *
 * - `inbounds[]`/`outbounds[]`: `action` ACCEPT|DROP, `protocol` TCP|UDP|ICMP|IPENCAP,
 *   `ports` "443" or "80-90, 91" (absent = every port), `ipv4s[]`/`ipv6s[]` (a rule with
 *   neither matches no address).
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

function linodeRule(r: Reader, i: ResourceInput, item: unknown, base: string, dir: Direction, order: number): Rule {
    const mark = r.problems.length;
    const act = b.action(r, item, "action", at(base, "action"), ACTIONS);
    const proto = protocol(r, item, at(base, "protocol"));
    let ports: PortSet | undefined = PortSet.ALL;
    if (proto === undefined || proto === "tcp" || proto === "udp") {
        ports = b.portString(r, b.optional(r.str(item, "ports", at(base, "ports"))), at(base, "ports"), { listSep: "," });
    }
    const peers = [
        ...b.cidrPeers(r, r.strings(item, "ipv4s", at(base, "ipv4s")), at(base, "ipv4s"), "ipv4"),
        ...b.cidrPeers(r, r.strings(item, "ipv6s", at(base, "ipv6s")), at(base, "ipv6s"), "ipv6"),
    ];
    return b.rule(i, base, r.problems.slice(mark), {
        direction: dir,
        action: act ?? "allow",
        protocol: proto,
        ports,
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
