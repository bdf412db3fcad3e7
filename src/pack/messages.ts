/** Message pieces shared by the policies: ports with service names, directions, fixes. */
import type { Direction, Firewall, Rule } from "../model";
import { shortType } from "./engine";
import { describePorts } from "../catalog";
import type { PortSet } from "../net/ports";
import type { Slot } from "../analysis/evaluate";

/** `TCP 445 (SMB) and UDP 137-138 (NetBIOS)` */
export function describeOpen(open: Map<Slot, PortSet>): string {
    const parts: string[] = [];
    for (const slot of ["tcp", "udp"] as const) {
        const p = open.get(slot);
        if (p && !p.isEmpty) parts.push(describePorts(slot, p));
    }
    return parts.join(" and ");
}

export function fromOrTo(d: Direction): string {
    return d === "ingress" ? "from" : "to";
}

export function peersWord(d: Direction): string {
    return d === "ingress" ? "sources" : "destinations";
}

/** A rule as a finding about several rules names it: its path on the firewall's own resource, else its resource too. */
function ruleRef(fw: Firewall, r: Rule): string {
    if (r.urn === fw.urn && r.path) return r.path;
    return r.path ? `${r.path} of ${shortType(r.resourceType)} "${r.resourceName}"` : `${shortType(r.resourceType)} "${r.resourceName}"`;
}

/** `ingress[0], ingress[1] and 3 more`: the rules of a finding about their union (at most `max` named). */
export function ruleList(fw: Firewall, rules: readonly Rule[], max = 6): string {
    const names = rules.map((r) => ruleRef(fw, r));
    if (names.length <= 1) return names.join("");
    if (names.length > max) return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
    return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** The property path of a finding about several rules: theirs, joined (so each distinct union is its own finding). */
export function unionPath(fw: Firewall, rules: readonly Rule[]): string {
    return rules.map((r) => ruleRef(fw, r)).join(", ");
}

/** `SecurityGroup "web"`: the firewall a finding about its rules' union is reported on. */
export function firewallRef(fw: Firewall): string {
    return `${shortType(fw.type)} "${fw.name}"`;
}
