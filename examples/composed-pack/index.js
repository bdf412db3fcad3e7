"use strict";
// Acme's network policy pack: portguard's policies, configured for Acme, plus one of Acme's own.
//
//   pulumi preview --policy-pack examples/composed-pack      (after `npm run build` at the repo root)
//
// Inside this repository the library is required from the build output, so that the example
// needs no install. A real pack writes `require("portguard")` (or, in TypeScript,
// `import { portguardPolicies } from "portguard"`) and lists portguard in its package.json:
// see README.md.
const { PolicyPack } = require("@pulumi/policy");
const { portguardPolicies } = require("../../dist/lib.js");

/** The firewall resource types Acme uses; matched by type token, no provider SDK needed. */
const FIREWALLS = new Set(["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/networkAcl:NetworkAcl"]);

/** Acme's own policy: every firewall names the team that owns it, so findings reach someone. */
const firewallOwnerTag = {
    name: "firewall-owner-tag",
    description: "Every security group and network ACL carries a non-empty `owner` tag naming the team that answers for it.",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        if (!FIREWALLS.has(args.type)) return;
        const props = args.props;
        // `in` does not trip over values unknown during preview; reading them would.
        const tags = "tags" in props ? props.tags : undefined;
        const owner = tags && typeof tags === "object" && "owner" in tags ? tags.owner : undefined;
        if (typeof owner !== "string" || owner.trim() === "") {
            reportViolation(`${args.type.split(":").pop()} "${args.name}" has no owner tag. Fix: add tags: { owner: "<team>" }.`);
        }
    },
};

new PolicyPack("acme-network", {
    policies: [
        ...portguardPolicies({
            // Acme blocks admin ports on the internet too, but only for the whole internet.
            "exposed-service-ports": { enforcementLevel: "mandatory", config: { minExposure: "internet" } },
            // The office egress range never counts as exposure.
            "high-risk-ports": { config: { trustedSources: ["198.51.100.0/24"] } },
        }),
        firewallOwnerTag,
    ],
});
