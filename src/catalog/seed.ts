/**
 * The seed's three tables, as data. Source: docs/seed/000_335336ed30b5377f.txt
 * (QingCloud help page "常用端口" / "Common ports", 2020-12-01). Where an entry does not
 * come from the seed, its `source` says where it comes from.
 */

export type PortProtocol = "tcp" | "udp";

export interface Source {
    /** `seed` or another document. */
    doc: string;
    /** The table (and row) in that document. */
    where: string;
}

const SEED = "docs/seed/000_335336ed30b5377f.txt";
const seed = (where: string): Source => ({ doc: SEED, where });

export interface CommonPort {
    service: string;
    protocol: PortProtocol;
    ports: string;
    note: string;
    source: Source;
}

/** Table "常用端口" (common ports): default ports of typical applications. */
export const COMMON_PORTS: readonly CommonPort[] = [
    { service: "FTP", protocol: "tcp", ports: "21", note: "file upload and download", source: seed("常用端口: FTP 21") },
    { service: "SSH", protocol: "tcp", ports: "22", note: "remote login to Linux instances", source: seed("常用端口: SSH 22") },
    { service: "Telnet", protocol: "tcp", ports: "23", note: "unencrypted remote login", source: seed("常用端口: Telnet 23") },
    { service: "SMTP", protocol: "tcp", ports: "25", note: "sending mail", source: seed("常用端口: SMTP 25") },
    { service: "HTTP", protocol: "tcp", ports: "80", note: "web sites over HTTP", source: seed("常用端口: HTTP 80") },
    { service: "POP3", protocol: "tcp", ports: "110", note: "receiving mail", source: seed("常用端口: POP3 110") },
    { service: "IMAP", protocol: "tcp", ports: "143", note: "receiving mail", source: seed("常用端口: IMAP 143") },
    { service: "HTTPS", protocol: "tcp", ports: "443", note: "encrypted web access", source: seed("常用端口: HTTPS 443") },
    { service: "SQL Server", protocol: "tcp", ports: "1433", note: "SQL Server database engine", source: seed("常用端口: SQL Server 1433") },
    { service: "SQL Server Browser", protocol: "udp", ports: "1434", note: "tells clients which TCP port SQL Server uses", source: seed("常用端口: SQL Server 1434") },
    { service: "Oracle", protocol: "tcp", ports: "1521", note: "Oracle listener", source: seed("常用端口: Oracle 1521") },
    { service: "MySQL", protocol: "tcp", ports: "3306", note: "MySQL server", source: seed("常用端口: MySQL 3306") },
    { service: "RDP", protocol: "tcp", ports: "3389", note: "Windows Server Remote Desktop Services", source: seed("常用端口: Windows Server Remote Desktop Services 3389") },
    { service: "HTTP proxy", protocol: "tcp", ports: "8080", note: "WWW proxy / alternate HTTP", source: seed("常用端口: 代理端口 8080") },
    { service: "NetBIOS", protocol: "udp", ports: "137-138", note: "Windows file sharing (Network Neighborhood)", source: seed("常用端口: NetBIOS 137, 138 (UDP)") },
    { service: "NetBIOS", protocol: "tcp", ports: "139", note: "NetBIOS/SMB sessions", source: seed("常用端口: NetBIOS 139 (TCP)") },
];

/** Table "高危端口" (high-risk ports): blocked by some carriers, scanned by worms. */
export const HIGH_RISK_PORTS: Readonly<Record<PortProtocol, readonly string[]>> = {
    tcp: ["42", "135", "137", "138", "139", "444", "445", "593", "1025", "1068", "1434", "3127", "3128", "3129", "3130", "4444", "4789", "5554", "5800", "5900", "9996"],
    udp: ["135-139", "1026", "1027", "1028", "1068", "1433", "1434", "4789", "5554", "9996"],
};
export const HIGH_RISK_SOURCE: Source = seed("高危端口 (TCP and UDP rows)");

/**
 * Names for ports in the high-risk list that the common-ports table does not name (plus UDP
 * 3389, RDP's UDP transport). Used in messages only; not from the seed. They are the ports'
 * common uses: IANA's registered service where that is what runs there (e.g. microsoft-ds on
 * 445 is SMB, rfb on 5900 is VNC), otherwise the widely reported use (WINS on 42, Squid on
 * 3128, the Blaster, MyDoom and Sasser worms), which IANA's registry does not list.
 */
export const EXTRA_PORT_NAMES: Readonly<Record<PortProtocol, Readonly<Record<number, string>>>> = {
    tcp: { 42: "WINS", 135: "MS RPC", 137: "NetBIOS", 138: "NetBIOS", 139: "NetBIOS", 445: "SMB", 593: "RPC over HTTP", 1025: "MS RPC", 3127: "MyDoom backdoor", 3128: "Squid proxy", 4444: "Metasploit / Blaster worm", 4789: "VXLAN", 5554: "Sasser worm FTP", 5800: "VNC over HTTP", 5900: "VNC", 9996: "Sasser worm" },
    udp: { 135: "MS RPC", 136: "PROFILE", 137: "NetBIOS", 138: "NetBIOS", 139: "NetBIOS", 1433: "SQL Server", 1434: "SQL Server Browser", 4789: "VXLAN", 3389: "RDP" },
};

export interface ClientType {
    id: string;
    label: string;
    /** The range as the source states it. */
    range: readonly [number, number];
    /** The range the check requires (the Linux kernel default ends at 60999). */
    required: readonly [number, number];
    source: Source;
}

/** Table "临时端口" (ephemeral ports), plus AWS's ELB and Lambda (from AWS's documentation). */
export const CLIENT_TYPES: readonly ClientType[] = [
    {
        id: "linux",
        label: "Linux",
        range: [32768, 61000],
        // The kernel's default ip_local_port_range is 32768-60999, AWS's current example too.
        required: [32768, 60999],
        source: seed("临时端口: Linux 32768/61000"),
    },
    { id: "windows-2003", label: "Windows Server 2003", range: [1025, 5000], required: [1025, 5000], source: seed("临时端口: Windows Server 2003 1025/5000") },
    { id: "windows-2008-plus", label: "Windows Server 2008+", range: [49152, 65535], required: [49152, 65535], source: seed("临时端口: Windows Server 2008及更高版本 49152/65535") },
    { id: "nat-gateway", label: "NAT gateway", range: [1024, 65535], required: [1024, 65535], source: seed("临时端口: NAT网关 1024/65535") },
    { id: "elb", label: "Elastic Load Balancing", range: [1024, 65535], required: [1024, 65535], source: { doc: "AWS VPC User Guide, Network ACLs: Ephemeral ports", where: "Elastic Load Balancing 1024-65535" } },
    { id: "lambda", label: "AWS Lambda", range: [1024, 65535], required: [1024, 65535], source: { doc: "AWS VPC User Guide, Network ACLs: Ephemeral ports", where: "AWS Lambda 1024-65535" } },
];
