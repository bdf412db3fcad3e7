import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
    CLIENT_TYPES,
    CLIENT_TYPE_IDS,
    COMMON_PORTS,
    EXTRA_PORT_NAMES,
    HIGH_RISK_PORTS,
    HIGH_RISK_SOURCE,
    clientType,
    describePorts,
    highRiskPorts,
    serviceName,
    type PortProtocol,
} from "../../src/catalog";
import { PortSet, parsePortList } from "../../src/net/ports";

// ---- the seed itself -----------------------------------------------------------------
// The catalog must say what the seed says. Parse the seed's tables here, so that a change on
// either side fails a test instead of drifting silently.

const SEED_PATH = resolve(__dirname, "../../docs/seed/000_335336ed30b5377f.txt");
const SEED_TEXT = readFileSync(SEED_PATH, "utf8");

/** The body rows of the markdown table under heading `## {title}`, as trimmed cells. */
function seedTable(title: string): string[][] {
    const lines = SEED_TEXT.split("\n");
    const start = lines.findIndex((l) => l.trim() === `## ${title}`);
    if (start < 0) throw new Error(`seed has no section ${title}`);
    const rows: string[][] = [];
    for (const line of lines.slice(start + 1)) {
        if (line.startsWith("## ")) break;
        if (!line.trim().startsWith("|")) continue;
        const cells = line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
        if (cells.every((c) => /^:?-+:?$/.test(c))) continue; // separator
        rows.push(cells);
    }
    return rows.slice(1); // drop the header row
}
const squash = (s: string) => s.replace(/\s+/g, " ").trim();

const seedHighRisk = Object.fromEntries(
    seedTable("高危端口").map(([proto, ports]) => [proto.toLowerCase(), ports.split(/\s+/).map((p) => p.replace("~", "-"))]),
) as Record<string, string[]>;
const seedEphemeral = seedTable("临时端口").map(([client, range]) => {
    const [lo, hi] = range.split("/").map(Number);
    return { client: squash(client), lo, hi };
});
const seedCommon = seedTable("常用端口").map(([name, ports]) => ({
    name,
    ports: ports.split(/[，,\s]+/).filter(Boolean).map(Number),
}));

describe("the seed parser used by these tests", () => {
    it("finds all three tables", () => {
        expect(Object.keys(seedHighRisk).sort()).toEqual(["tcp", "udp"]);
        expect(seedEphemeral).toHaveLength(4);
        expect(seedCommon).toHaveLength(15);
    });
});

// ---- high-risk ports ------------------------------------------------------------------

describe("high-risk ports", () => {
    it.each<PortProtocol>(["tcp", "udp"])("the %s list is the seed's row, entry for entry", (proto) => {
        expect(HIGH_RISK_PORTS[proto]).toEqual(seedHighRisk[proto]);
        expect(highRiskPorts(proto).equals(parsePortList(seedHighRisk[proto]).set)).toBe(true);
    });

    it("every entry parses as a port or range", () => {
        for (const proto of ["tcp", "udp"] as const) expect(parsePortList(HIGH_RISK_PORTS[proto]).bad).toEqual([]);
    });

    it.each<{ proto: PortProtocol; port: number; risky: boolean }>([
        { proto: "tcp", port: 137, risky: true },
        { proto: "udp", port: 137, risky: true },
        { proto: "tcp", port: 445, risky: true },
        { proto: "udp", port: 445, risky: false },
        { proto: "tcp", port: 1433, risky: false },
        { proto: "udp", port: 1433, risky: true },
        { proto: "tcp", port: 1434, risky: true },
        { proto: "udp", port: 1434, risky: true },
        { proto: "udp", port: 136, risky: true },
        { proto: "tcp", port: 136, risky: false },
        { proto: "tcp", port: 3389, risky: false },
        { proto: "tcp", port: 22, risky: false },
        { proto: "tcp", port: 9996, risky: true },
    ])("$proto $port is high-risk: $risky", ({ proto, port, risky }) => {
        expect(highRiskPorts(proto).has(port)).toBe(risky);
    });

    it("the sizes match the seed (21 TCP ports, 14 UDP ports)", () => {
        expect(highRiskPorts("tcp").count).toBe(21);
        expect(highRiskPorts("udp").count).toBe(14);
    });

    it("cites the seed", () => {
        expect(HIGH_RISK_SOURCE.doc).toContain("000_335336ed30b5377f");
        expect(HIGH_RISK_SOURCE.where).toContain("高危端口");
    });
});

// ---- ephemeral ports / client types ------------------------------------------------------

describe("client types", () => {
    it("are linux, windows-2003, windows-2008-plus, nat-gateway, elb and lambda", () => {
        expect(CLIENT_TYPE_IDS).toEqual(["linux", "windows-2003", "windows-2008-plus", "nat-gateway", "elb", "lambda"]);
    });

    it.each<{ id: string; range: [number, number]; required: [number, number] }>([
        { id: "linux", range: [32768, 61000], required: [32768, 60999] },
        { id: "windows-2003", range: [1025, 5000], required: [1025, 5000] },
        { id: "windows-2008-plus", range: [49152, 65535], required: [49152, 65535] },
        { id: "nat-gateway", range: [1024, 65535], required: [1024, 65535] },
        { id: "elb", range: [1024, 65535], required: [1024, 65535] },
        { id: "lambda", range: [1024, 65535], required: [1024, 65535] },
    ])("$id stores $range and requires $required", ({ id, range, required }) => {
        const c = clientType(id);
        expect(c?.range).toEqual(range);
        expect(c?.required).toEqual(required);
    });

    it.each<{ seedLabel: string; id: string }>([
        { seedLabel: "Linux", id: "linux" },
        { seedLabel: "Windows Server 2003", id: "windows-2003" },
        { seedLabel: "Windows Server 2008及更高版本", id: "windows-2008-plus" },
        { seedLabel: "NAT网关", id: "nat-gateway" },
    ])("$id has the seed's range for '$seedLabel' and cites that row", ({ seedLabel, id }) => {
        const row = seedEphemeral.find((r) => r.client === seedLabel);
        expect(row, `seed row ${seedLabel}`).toBeDefined();
        const c = clientType(id)!;
        expect(c.range).toEqual([row!.lo, row!.hi]);
        expect(c.source.doc).toContain("000_335336ed30b5377f");
        expect(squash(c.source.where)).toContain(seedLabel);
        expect(c.source.where).toContain(`${row!.lo}/${row!.hi}`);
    });

    it("every seed row has a client type", () => {
        const cited = CLIENT_TYPES.map((c) => squash(c.source.where));
        for (const r of seedEphemeral) expect(cited.some((w) => w.includes(r.client))).toBe(true);
    });

    it.each(["elb", "lambda"])("%s cites AWS's documentation, not the seed", (id) => {
        const c = clientType(id)!;
        expect(c.source.doc).toMatch(/AWS/);
        expect(c.source.doc).not.toContain("seed");
    });

    it("each required range lies inside the stated range", () => {
        for (const c of CLIENT_TYPES) {
            expect(c.required[0], c.id).toBeGreaterThanOrEqual(c.range[0]);
            expect(c.required[1], c.id).toBeLessThanOrEqual(c.range[1]);
            expect(c.required[0], c.id).toBeLessThanOrEqual(c.required[1]);
        }
    });

    it("an unknown id has no client type", () => {
        expect(clientType("solaris")).toBeUndefined();
    });
});

// ---- common ports -----------------------------------------------------------------------

describe("common ports", () => {
    it.each<{ service: string; protocol: PortProtocol; port: number }>([
        { service: "SSH", protocol: "tcp", port: 22 },
        { service: "RDP", protocol: "tcp", port: 3389 },
        { service: "MySQL", protocol: "tcp", port: 3306 },
        { service: "SQL Server", protocol: "tcp", port: 1433 },
        { service: "SQL Server Browser", protocol: "udp", port: 1434 },
        { service: "NetBIOS", protocol: "udp", port: 137 },
        { service: "NetBIOS", protocol: "udp", port: 138 },
        { service: "NetBIOS", protocol: "tcp", port: 139 },
        { service: "HTTP proxy", protocol: "tcp", port: 8080 },
    ])("$protocol $port is $service", ({ service, protocol, port }) => {
        const entry = COMMON_PORTS.find((c) => c.protocol === protocol && parsePortList([c.ports]).set.has(port));
        expect(entry?.service).toBe(service);
        expect(serviceName(protocol, port)).toBe(service);
    });

    it("every port of the seed's table is in the catalog", () => {
        const all = COMMON_PORTS.reduce((s, c) => s.union(parsePortList([c.ports]).set), PortSet.EMPTY);
        const seedPorts = seedCommon.flatMap((r) => r.ports);
        expect(seedPorts.length).toBeGreaterThanOrEqual(17);
        for (const p of seedPorts) expect(all.has(p), `seed port ${p}`).toBe(true);
        expect(all.count).toBe(new Set(seedPorts).size);
    });

    it("every entry cites the seed row with its port", () => {
        for (const c of COMMON_PORTS) {
            expect(c.source.doc, c.service).toContain("000_335336ed30b5377f");
            const first = c.ports.split("-")[0];
            expect(c.source.where, c.service).toContain(first);
            expect(seedCommon.some((r) => r.ports.includes(Number(first)))).toBe(true);
        }
    });

    it("every entry has a service name, a note and a parseable port", () => {
        for (const c of COMMON_PORTS) {
            expect(c.service.length).toBeGreaterThan(1);
            expect(c.note.length).toBeGreaterThan(3);
            expect(parsePortList([c.ports]).bad).toEqual([]);
        }
    });
});

describe("every catalog entry has a source", () => {
    const entries = [
        ...COMMON_PORTS.map((c) => ({ what: `common ${c.service}`, source: c.source })),
        ...CLIENT_TYPES.map((c) => ({ what: `client ${c.id}`, source: c.source })),
        { what: "high-risk ports", source: HIGH_RISK_SOURCE },
    ];
    it.each(entries)("$what", ({ source }) => {
        expect(source.doc.trim().length).toBeGreaterThan(5);
        expect(source.where.trim().length).toBeGreaterThan(3);
    });
});

// ---- names in messages -------------------------------------------------------------------

describe("serviceName", () => {
    it.each<{ protocol: PortProtocol; port: number; want: string | undefined }>([
        { protocol: "tcp", port: 22, want: "SSH" },
        { protocol: "tcp", port: 445, want: "SMB" },
        { protocol: "tcp", port: 3389, want: "RDP" },
        { protocol: "tcp", port: 5900, want: "VNC" },
        { protocol: "udp", port: 1433, want: "SQL Server" },
        { protocol: "udp", port: 135, want: "MS RPC" },
        { protocol: "udp", port: 22, want: undefined },
        { protocol: "tcp", port: 12345, want: undefined },
    ])("$protocol $port is $want", ({ protocol, port, want }) => {
        expect(serviceName(protocol, port)).toBe(want);
    });

    it("the common-ports table wins over the extra names", () => {
        expect(EXTRA_PORT_NAMES.tcp[139]).toBe("NetBIOS");
        expect(serviceName("udp", 1434)).toBe("SQL Server Browser");
    });
});

describe("describePorts", () => {
    it.each<{ name: string; protocol: PortProtocol; ports: PortSet; want: string }>([
        { name: "names SMB for TCP 445", protocol: "tcp", ports: PortSet.of(445), want: "TCP 445 (SMB)" },
        { name: "names SSH for TCP 22", protocol: "tcp", ports: PortSet.of(22), want: "TCP 22 (SSH)" },
        { name: "names each service once", protocol: "tcp", ports: PortSet.range(137, 139), want: "TCP 137-139 (NetBIOS)" },
        { name: "leaves an unnamed port bare", protocol: "tcp", ports: PortSet.of(12345), want: "TCP 12345" },
        { name: "does not list names for a large range", protocol: "tcp", ports: PortSet.ALL, want: "TCP 0-65535" },
    ])("$name", ({ protocol, ports, want }) => {
        expect(describePorts(protocol, ports)).toBe(want);
    });

    it("mentions SMB for tcp/445 inside a small set", () => {
        expect(describePorts("tcp", PortSet.of(443, 445))).toContain("SMB");
    });

    it("names the UDP high-risk NetBIOS range", () => {
        const d = describePorts("udp", PortSet.range(135, 139));
        expect(d.startsWith("UDP 135-139 (")).toBe(true);
        expect(d).toContain("MS RPC");
        expect(d).toContain("NetBIOS");
    });
});
