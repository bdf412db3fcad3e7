/**
 * Findings as data. A policy's check returns findings, each a message id and the data that id
 * renders (ports with their service names, sources and their tier, the rules involved, the fix's
 * parameters); src/findings/render.ts turns id + data into the English every output shows, and
 * only for findings that are reported. The data is plain JSON: the CLI's JSON output carries it
 * as it is.
 */
import type { Direction } from "../model";
import type { Tier } from "../net/addresses";

export interface Finding {
    /** The resource that declares the rule (where the violation is reported). */
    urn: string;
    /** The rule's (or problem's) property path; `` for the resource itself. */
    path: string;
    /** The message's stable id, one of the policy's `messages` (see its doc page). */
    messageId: string;
    data: FindingData;
    /** Why an exemption did not apply (an expired one, a tag without a reason), rendered after the message. */
    note?: string;
}

/** A finding as reported: its policy, and its message rendered on first read. */
export interface ReportedFinding extends Finding {
    policy: string;
    readonly message: string;
}

/** The data of a finding: JSON values only. */
export type FindingData = { readonly [key: string]: unknown };

/** The firewall a finding concerns: its resource name, short type and the word users call it by. */
export interface FirewallRef {
    name: string;
    type: string;
    /** `security group`, `network ACL`, `network security group`, `security list`, `firewall`. */
    kind: string;
}

/** A rule: its resource's name and short type, and its property path there (`` for a rule resource). */
export interface RuleRef {
    resource: string;
    type: string;
    path: string;
}

/** Ports of one protocol: `ports` as `22, 80-90`, how many, and the service names of those that have one. */
export interface PortsData {
    protocol: "tcp" | "udp";
    ports: string;
    count: number;
    named: Array<{ ports: string; service: string }>;
}

/** The sources (ingress) or destinations (egress) of an exposure. */
export interface SourcesData {
    direction: Direction;
    tier: Tier;
    /** The rule's own public peers as written, with their property paths. */
    peers: Array<{ text: string; path: string }>;
    /** The addresses that reach the tier (after denies, less trusted sources), as CIDRs. */
    addresses: string;
    /** Peers that hide addresses (group references, prefix lists not in the stack). */
    hidden: Array<{ what: string; ref: string; path: string }>;
}
