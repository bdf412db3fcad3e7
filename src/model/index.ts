/**
 * The one provider-neutral model every adapter produces and every analysis reads.
 *
 * A Firewall is anything that filters traffic by protocol, port and address:
 * a security group, a network ACL, an NSG, a firewall. Rules keep where they came
 * from (resource URN + property path) so that messages can point at them.
 */
import type { AddressSet } from "../net/addresses";
import type { PortSet } from "../net/ports";

export type Direction = "ingress" | "egress";
export type Action = "allow" | "deny";

/**
 * A normalised protocol. `all` covers every protocol. Port-carrying protocols are
 * `tcp` and `udp`; everything else (icmp, icmpv6, gre, numbers ...) carries no ports.
 */
export type Protocol = "all" | "tcp" | "udp" | "icmp" | "icmpv6" | `ip-${number}`;

/** Why a field could not be read. */
/**
 * unknown: not known until apply; malformed: a value the cloud would reject; conflict: rules
 * that overwrite each other; ambiguous: a valid value that still leaves the rule's meaning
 * unsettled (a deny whose place among the rules the cloud picks, ports kept in a template).
 */
export type ProblemKind = "unknown" | "malformed" | "conflict" | "ambiguous";

export interface Problem {
    kind: ProblemKind;
    /** Property path inside the resource, e.g. `ingress[2].cidrBlocks[0]`. */
    path: string;
    /** What is wrong, without echoing free text (e.g. `"is not a valid CIDR"`). */
    problem: string;
    /** The resource the path belongs to, when not the firewall's own. */
    urn?: string;
}

/** One remote party of a rule: where traffic comes from (ingress) or goes to (egress). */
export type Peer =
    /** `secret`: the addresses came from inside a secret (`text` is then `[secret]`). */
    | { kind: "addresses"; set: AddressSet; text: string; path: string; secret?: boolean }
    /** A reference to another security group, an application security group, `self`, a tag ... */
    | { kind: "reference"; refKind: string; ref: string; path: string }
    /** A prefix list; resolved to addresses when its entries are in the stack. */
    | { kind: "prefix-list"; id: string; path: string; resolved?: AddressSet }
    /** A field that could not be read (unknown during preview or malformed). */
    | { kind: "unreadable"; path: string };

export interface Rule {
    /** Property path of the rule, e.g. `ingress[2]`, or `` for a rule that is a resource. */
    path: string;
    /** URN (or name) and type of the resource that declares the rule. */
    urn: string;
    resourceName: string;
    resourceType: string;
    direction: Direction;
    action: Action;
    /** `undefined` when unreadable (see problems). */
    protocol?: Protocol;
    /**
     * Destination ports for tcp/udp (or for `all` when the provider lets ports narrow it).
     * `undefined` when unreadable. Ignored for protocols without ports.
     */
    ports?: PortSet;
    peers: Peer[];
    /**
     * Source ports the rule is narrowed to, when the provider can say (OCI `sourcePortRange`).
     * Undefined means any. A stateless allow from service ports only (below 1024) is a reply,
     * not a new flow.
     */
    sourcePorts?: PortSet;
    /** Order key for ordered firewalls: lower is evaluated first. */
    order?: number;
    /**
     * When one cloud rule becomes several model rules (a GCP firewall-policy rule, one per
     * `layer4Configs` entry), the path of that cloud rule: they share its order key without
     * being duplicates of each other (see ./orders.ts). Undefined: the rule is its own entry.
     */
    entry?: string;
    /** A rule that is off (GCP `disabled`) is kept for messages but never matches. */
    disabled?: boolean;
    /** Per-rule statefulness where the provider sets it per rule (OCI). */
    stateless?: boolean;
    /**
     * Match conditions the model does not otherwise hold (the local targets a rule applies to,
     * such as GCP target tags or an Azure inbound destination, or source ports), as a canonical
     * key; undefined = none (the rule applies to every member and source port). A deny with a
     * scope only certainly shadows allows of the same scope.
     */
    scope?: string;
    /** Parts of the rule whose value could not be read: the rule may be a deny, or sit elsewhere. */
    unsure?: { action?: boolean; order?: boolean; direction?: boolean };
    problems: Problem[];
}

/**
 * Which rules the cloud refuses to share an order key: `true`, two rules of one direction
 * (AWS network ACLs, Azure NSGs); `"policy"`, any two rules, whatever their direction and even
 * when disabled (GCP firewall policies). See ./orders.ts.
 */
export type UniqueOrder = boolean | "policy";

export interface Firewall {
    urn: string;
    name: string;
    type: string;
    /** Stateless firewalls (network ACLs) do not let return traffic through by themselves. */
    stateless: boolean;
    /** Ordered firewalls evaluate rules by `order` (first match wins); unordered ones are unions of allows. */
    ordered: boolean;
    /** What happens to traffic no rule matches. */
    defaultAction: Record<Direction, Action>;
    /**
     * The cloud refuses two rules of one direction with the same order key (AWS network ACL
     * rule numbers, Azure NSG priorities ...): such duplicates are marked `ambiguous` (see
     * ./orders.ts), so neither can shadow anything. `"policy"`: the key is unique across both
     * directions and disabled rules hold theirs too (a GCP firewall policy's priority is its
     * rule's id).
     */
    uniqueOrder?: UniqueOrder;
    rules: Rule[];
    /** Problems that concern the whole firewall (e.g. inline and separate rules mixed). */
    problems: Problem[];
    /**
     * Rules the cloud adds by itself (Azure 65000-65500, GCP's implied rules ...), evaluated
     * like the others but never reported as the user's rules.
     */
    implicitRules?: Rule[];
    tags?: Record<string, string>;
    /**
     * How separate rule resources find this firewall: literal ids/names it is known by.
     * Filled in by stack joins.
     */
    keys?: string[];
}
