/**
 * The rendered English, kept honest: a few findings rendered in full (a change of wording shows
 * here), the preview-sized messages of the common cases, and the renderer's coverage of every
 * message id the policies declare.
 */
import { describe, expect, it } from "vitest";
import { POLICIES, highRiskPorts, exposedServicePorts, unrestrictedIngress, statelessAclReturnTraffic } from "../../src/policies";
import { hasTemplate } from "../../src/findings/render";
import { acl, check, entry, sg, sgRule } from "../helpers";

describe("the one renderer", () => {
    it("has a template for every message id every policy declares", () => {
        for (const p of POLICIES) for (const id of Object.keys(p.messages)) expect(hasTemplate(p.name, id), `${p.name}.${id}`).toBe(true);
    });

    it("SMB from the internet reads in full as a platform engineer needs it: where, what, from where, why, the fix", () => {
        const [f] = check(highRiskPorts, sg("web", [sgRule("tcp", 445, 445)]));
        expect(f.message).toBe(
            'ingress[0] of SecurityGroup "web" opens high-risk TCP 445 (SMB) from 0.0.0.0/0 (ingress[0].cidrBlocks[0]), the whole internet. Carriers block these ports and worms scan them. ' +
                "Fix: remove them from the rule (move the service to a port that is not high-risk), or narrow its sources to private ranges or trustedSources.",
        );
    });

    it("one allow-all rule from the internet: unrestricted-ingress says it, the other two point to it in one line each, all three fit on a screen", () => {
        const r = sg("open", [sgRule("-1", 0, 0)]);
        const [u] = check(unrestrictedIngress, r);
        const [h] = check(highRiskPorts, r);
        const [e] = check(exposedServicePorts, r);
        expect(u.messageId).toBe("allProtocols");
        expect(h.messageId).toBe("allOpen");
        expect(e.messageId).toBe("allOpen");
        expect(h.message).toBe(
            'ingress[0] of SecurityGroup "open" opens every protocol and port from 0.0.0.0/0 (ingress[0].cidrBlocks[0]), the whole internet, 35 high-risk ports (WINS 42, MS RPC 135 and NetBIOS 137-139) among them; unrestricted-ingress reports this rule. ' +
                "Fix: replace it with rules for the ports your services need.",
        );
        expect(u.message.length + h.message.length + e.message.length).toBeLessThan(1100);
    });

    it("a stateless ACL's missing replies read in one short paragraph, with the fix's exact range", () => {
        const [f] = check(statelessAclReturnTraffic, acl("edge", [entry(100, "allow", "tcp", 443, 443)]));
        expect(f.message).toBe(
            'ingress[0] of NetworkAcl "edge" lets TCP 443 in from 0.0.0.0/0, but this stateless network ACL\'s egress rules do not let the replies reach the clients\' ephemeral ports, so those connections hang: ' +
                "Linux, Windows Server 2003, Windows Server 2008+ and 3 more clients miss TCP 1024-65535 (high-risk ports aside). Fix: add an egress allow for TCP 1024-65535 to 0.0.0.0/0, numbered after the deny rules you keep for high-risk ports.",
        );
    });

    it("the common findings stay preview-sized (about 400 characters) and never write (s), doubled parentheses or 'seed'", () => {
        const cases = [
            check(highRiskPorts, sg("a", [sgRule("tcp", 135, 139)])),
            check(highRiskPorts, sg("a", [sgRule("tcp", 0, 10000)])),
            check(exposedServicePorts, sg("a", [sgRule("tcp", 20, 3389)])),
            check(unrestrictedIngress, sg("a", [sgRule("tcp", 1, 5000)])),
            check(statelessAclReturnTraffic, acl("a", [entry(100, "allow", "tcp", 443, 443)], [entry(90, "deny", "tcp", 445, 445), entry(100, "allow", "tcp", 32768, 60999)])),
        ].flat();
        expect(cases.length).toBeGreaterThanOrEqual(5);
        for (const f of cases) {
            expect(f.message.length, f.message).toBeLessThanOrEqual(460);
            expect(f.message).not.toMatch(/\(s\)|\)\)|\bseed\b/);
        }
    });
});
