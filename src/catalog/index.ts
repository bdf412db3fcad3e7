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

/**
 * Port -> service name, per protocol: the first COMMON_PORTS entry that lists the port, else
 * EXTRA_PORT_NAMES. Built once (messages ask for every port of a rule).
 */
const NAMES: Partial<Record<PortProtocol, Map<number, string>>> = {};
function namesOf(protocol: PortProtocol): Map<number, string> {
    let m = NAMES[protocol];
    if (!m) {
        m = new Map();
        for (const c of COMMON_PORTS) {
            if (c.protocol !== protocol) continue;
            for (const port of parsePortList([c.ports]).set.ports()) if (!m.has(port)) m.set(port, c.service);
        }
        for (const [port, name] of Object.entries(EXTRA_PORT_NAMES[protocol])) if (name !== undefined && !m.has(Number(port))) m.set(Number(port), name);
        NAMES[protocol] = m;
    }
    return m;
}

/** Service name of a port for messages, e.g. `SMB` for tcp/445, or undefined. */
export function serviceName(protocol: PortProtocol, port: number): string | undefined {
    return namesOf(protocol).get(port);
}

/** `TCP 22, 80` (no service names). */
function portLabel(protocol: PortProtocol, ports: PortSet): string {
    return `${protocol.toUpperCase()} ${ports.toString()}`;
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
    const label = portLabel(protocol, ports);
    return names.size ? `${label} (${[...names].join(", ")})` : label;
}
