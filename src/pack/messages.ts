/** Message pieces shared by the policies: ports with service names, directions, fixes. */
import type { Direction } from "../model";
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
