/** Protocol normalisation across providers. */
import type { Protocol } from "../model";

const NAMES: Record<string, Protocol> = {
    "-1": "all",
    all: "all",
    "*": "all",
    any: "all",
    tcp: "tcp",
    "6": "tcp",
    udp: "udp",
    "17": "udp",
    icmp: "icmp",
    "1": "icmp",
    icmpv6: "icmpv6",
    "ipv6-icmp": "icmpv6",
    "58": "icmpv6",
    gre: "ip-47",
    esp: "ip-50",
    ah: "ip-51",
    sctp: "ip-132",
    ipip: "ip-4",
};

/**
 * `-1`, `all`, `*`, `Any`, `ANY`, `tcp`/`TCP`/`Tcp`, `6`, `17`, `1`, `58`, `gre`, other IANA
 * numbers 0-255. Returns undefined for anything else (e.g. `"banana"`).
 */
export function normalizeProtocol(value: unknown): Protocol | undefined {
    if (typeof value === "number") value = String(value);
    if (typeof value !== "string") return undefined;
    let v = value.trim().toLowerCase();
    // A protocol number is read as a number: "06" is TCP, like "6".
    if (/^\d{1,3}$/.test(v)) {
        const n = Number(v);
        if (n > 255) return undefined;
        v = String(n);
        return Object.hasOwn(NAMES, v) ? NAMES[v] : `ip-${n}`;
    }
    // Own keys only: "constructor" or "__proto__" are not protocols.
    return Object.hasOwn(NAMES, v) ? NAMES[v] : undefined;
}

/** Whether rules of this protocol are matched on ports. */
export function hasPorts(p: Protocol): boolean {
    return p === "tcp" || p === "udp" || p === "all";
}

export function protocolLabel(p: Protocol): string {
    if (p === "all") return "all protocols";
    if (p.startsWith("ip-")) return `IP protocol ${p.slice(3)}`;
    return p === "icmpv6" ? "ICMPv6" : p.toUpperCase();
}
