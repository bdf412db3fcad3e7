/** The catalog: the seed's tables turned into port sets and names that policies and messages share. */
import { PortSet, parsePortList } from "../net/ports";
import { COMMON_PORTS, HIGH_RISK_PORTS, EXTRA_PORT_NAMES, CLIENT_TYPES, type PortProtocol, type ClientType } from "./seed";

export * from "./seed";

export function highRiskPorts(protocol: PortProtocol): PortSet {
    return parsePortList(HIGH_RISK_PORTS[protocol]).set;
}

export const CLIENT_TYPE_IDS = CLIENT_TYPES.map((c) => c.id);

export function clientType(id: string): ClientType | undefined {
    return CLIENT_TYPES.find((c) => c.id === id);
}

/** Service name of a port for messages, e.g. `SMB` for tcp/445, or undefined. */
export function serviceName(protocol: PortProtocol, port: number): string | undefined {
    for (const c of COMMON_PORTS) {
        if (c.protocol === protocol && parsePortList([c.ports]).set.has(port)) return c.service;
    }
    return EXTRA_PORT_NAMES[protocol][port];
}

/**
 * `TCP 445 (SMB)`, `UDP 135-139 (MS RPC, NetBIOS)`; names are listed for at most a few ports.
 */
export function describePorts(protocol: PortProtocol, ports: PortSet): string {
    const names = new Set<string>();
    if (ports.count <= 64) {
        for (const p of ports.ports()) {
            const n = serviceName(protocol, p);
            if (n) names.add(n);
        }
    }
    const label = `${protocol.toUpperCase()} ${ports.toString()}`;
    return names.size ? `${label} (${[...names].join(", ")})` : label;
}
