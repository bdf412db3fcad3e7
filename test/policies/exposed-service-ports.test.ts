import { describe, it, expect } from "vitest";
import { exposedServicePorts } from "../../src/policies/exposed-service-ports";
import { acl, check, entry, sg, sgRule, type Case, type InvalidCase } from "../helpers";
import { runCases } from "./shared";

const valid: Case[] = [
    { name: "SSH from a private range passes", resource: sg("a", [sgRule("tcp", 22, 22, ["10.0.0.0/8", "192.168.0.0/16"])]) },
    { name: "SSH from one public /32 (an office) is below the default minExposure wide", resource: sg("a", [sgRule("tcp", 22, 22, ["203.0.113.7/32", "8.8.8.8/32"])]) },
    { name: "web ports 80 and 443 are public by design", resource: sg("a", [sgRule("tcp", 80, 80), sgRule("tcp", 443, 443)]) },
    { name: "mail ports 25, 110, 143 are public by design", resource: sg("a", [sgRule("tcp", 25, 25), sgRule("tcp", 110, 110), sgRule("tcp", 143, 143)]) },
    { name: "UDP 22 is not SSH", resource: sg("a", [sgRule("udp", 22, 22)]) },
    { name: "trustedSources waive a wide admin range", resource: sg("a", [sgRule("tcp", 22, 22, ["8.0.0.0/7"])]), config: { trustedSources: ["8.0.0.0/7"] } },
    { name: "an ACL deny numbered before the SSH allow shadows it", resource: acl("n", [entry(50, "deny", "tcp", 0, 1023), entry(100, "allow", "tcp", 0, 1023)]) },
    { name: "a services list without SSH does not judge SSH", resource: sg("a", [sgRule("tcp", 22, 22)]), config: { services: [{ name: "Redis", protocol: "tcp", ports: [6379] }] } },
];

const invalid: InvalidCase[] = [
    { name: "SSH from 0.0.0.0/0 is advised, with the service named", resource: sg("a", [sgRule("tcp", 22, 22)]), path: "ingress[0]", messages: ["SSH (TCP 22)", "0.0.0.0/0 (ingress[0].cidrBlocks[0])", "Fix:", "bastion"] },
    { name: "RDP from ::/0 is advised", resource: sg("a", [sgRule("tcp", 3389, 3389, [], { ipv6CidrBlocks: ["::/0"] })]), messages: ["RDP (TCP 3389)", "::/0"] },
    { name: "RDP over UDP 3389 is advised too", resource: sg("a", [sgRule("udp", 3389, 3389)]), messages: ["RDP (UDP 3389)"] },
    { name: "MySQL inside a 3000-4000 range is caught", resource: sg("a", [sgRule("tcp", 3000, 4000)]), messages: ["MySQL (TCP 3306)", "RDP (TCP 3389)"] },
    { name: "Telnet, FTP and SQL Server in one rule are listed together", resource: sg("a", [sgRule("tcp", 20, 1433)]), messages: ["FTP (TCP 21)", "Telnet (TCP 23)", "SQL Server (TCP 1433)", "NetBIOS (TCP 139)"] },
    { name: "NetBIOS over UDP 137-138 is advised", resource: sg("a", [sgRule("udp", 137, 138)]), messages: ["NetBIOS (UDP 137-138)"] },
    { name: "a wide public /7 counts as wide", resource: sg("a", [sgRule("tcp", 22, 22, ["8.0.0.0/7"])]), messages: ["a wide public range"] },
    { name: "minExposure public also flags a single public /32", resource: sg("a", [sgRule("tcp", 1521, 1521, ["8.8.8.8/32"])]), config: { minExposure: "public" }, messages: ["Oracle (TCP 1521)", "public addresses"] },
    { name: "protocol -1 opens every listed service", resource: sg("a", [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]), messageId: "allOpen", data: { services: expect.arrayContaining([expect.objectContaining({ name: "HTTP proxy", ports: expect.objectContaining({ protocol: "tcp", ports: "8080" }) }), expect.objectContaining({ name: "SQL Server Browser" })]) }, messages: ["opens every protocol and port from 0.0.0.0/0", "SSH", "unrestricted-ingress reports this rule"] },
    { name: "a custom service list is honoured", resource: sg("a", [sgRule("tcp", 6379, 6379)]), config: { services: [{ name: "Redis", protocol: "tcp", ports: ["6379"] }] }, messages: ["Redis (TCP 6379)"] },
];

describe("exposed-service-ports", () => {
    it("defaults list the seed's admin, database and legacy services but not web or mail", () => {
        const names = (exposedServicePorts.configSchema.properties.services.default as Array<{ name: string }>).map((s) => s.name);
        expect(names).toEqual(expect.arrayContaining(["FTP", "SSH", "Telnet", "SQL Server", "SQL Server Browser", "Oracle", "MySQL", "RDP", "NetBIOS", "HTTP proxy"]));
        expect(names).not.toContain("HTTP");
        expect(names).not.toContain("SMTP");
    });
    runCases(exposedServicePorts, valid, invalid);
    it("an ACL 3389 allow is judged even though 3389 is above 1024 (not a return-traffic rule)", () => {
        const f = check(exposedServicePorts, acl("n", [entry(100, "allow", "tcp", 3389, 3389)]));
        expect(f[0].message).toContain("RDP (TCP 3389)");
    });
});
