/**
 * The adapter registry: type token -> adapter. Adding a provider = one file beside this one
 * exporting `adapters` (and `patterns` for versioned tokens), plus one line below.
 */
import type { Adapter, Modeled, ResourceInput } from "./types";
import { collectSecrets, registeredSecretTexts } from "./read";
import * as aws from "./aws";
import * as awsNative from "./aws-native";
import * as azure from "./azure";
import * as gcp from "./gcp";
import * as digitalocean from "./digitalocean";
import * as hcloud from "./hcloud";
import * as linode from "./linode";
import * as vultr from "./vultr";
import * as scaleway from "./scaleway";
import * as alicloud from "./alicloud";
import * as oci from "./oci";
import * as openstack from "./openstack";
import * as tencentcloud from "./tencentcloud";
import * as huaweicloud from "./huaweicloud";
import * as volcengine from "./volcengine";
import * as qingcloud from "./qingcloud";

const PROVIDERS: Array<{ adapters: Record<string, Adapter>; patterns?: Array<[RegExp, Adapter]> }> = [aws, awsNative, azure, gcp, digitalocean, hcloud, linode, vultr, scaleway, alicloud, oci, openstack, tencentcloud, huaweicloud, volcengine, qingcloud];

const BY_TOKEN = new Map<string, Adapter>();
const PATTERNS: Array<[RegExp, Adapter]> = [];
for (const p of PROVIDERS) {
    for (const [token, a] of Object.entries(p.adapters)) BY_TOKEN.set(token, a);
    PATTERNS.push(...(p.patterns ?? []));
}

export function adapterFor(type: string): Adapter | undefined {
    const a = BY_TOKEN.get(type);
    if (a) return a;
    for (const [re, ad] of PATTERNS) if (re.test(type)) return ad;
    return undefined;
}

/** Every type token handled (for docs and tests). */
export function handledTokens(): string[] {
    return [...BY_TOKEN.keys()];
}

/** The secret plaintexts each model was read from (the secret rule; see collectSecrets). */
const SECRETS = new WeakMap<Modeled, readonly string[]>();
const NONE: readonly string[] = [];

/** What a model's resource holds as secrets (plaintexts), for scrubbing what its findings quote. */
export function secretsOf(m: Modeled): readonly string[] {
    return SECRETS.get(m) ?? NONE;
}

/** Model one resource, or undefined when it is not a firewall-like resource. Never throws. */
export function modelResource(input: ResourceInput): Modeled | undefined {
    const a = adapterFor(input.type);
    if (!a) return undefined;
    try {
        const { result, secrets } = collectSecrets(registeredSecretTexts(input.props), () => a(input));
        if (secrets.length) SECRETS.set(result, secrets);
        return result;
    } catch (e) {
        // An adapter bug must never take a preview down: report the resource as unreadable.
        return {
            kind: "rules",
            urn: input.urn,
            name: input.name,
            type: input.type,
            parentProperty: "",
            stateless: false,
            ordered: false,
            defaultAction: { ingress: "deny", egress: "deny" },
            rules: [],
            problems: [{ kind: "malformed", path: "", problem: `could not be read (${e instanceof Error ? e.name : "error"})` }],
            parentLabel: "firewall",
        };
    }
}

export type { Modeled, ResourceInput } from "./types";
