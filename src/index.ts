/** The pack: `pulumi preview --policy-pack <this directory>` loads this file. */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";
import { portguardPolicies } from "./lib";
import { PACK_NAME, packMetadata } from "./pack/meta";

new PolicyPack(PACK_NAME, { ...packMetadata(POLICIES), policies: portguardPolicies() });
