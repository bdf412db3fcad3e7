/** The pack: `pulumi preview --policy-pack <this directory>` loads this file. */
import { PolicyPack } from "@pulumi/policy";
import { portguardPolicies } from "./lib";

new PolicyPack("portguard", { policies: portguardPolicies() });
