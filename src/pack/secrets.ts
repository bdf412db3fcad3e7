/**
 * Secrets in the pack's Analyze requests. The policy SDK deserializes a resource's properties
 * for validateResource / validateStack with its secrets already unwrapped
 * (`deserializeProperties(..., false)` in @pulumi/policy's server.js): a policy sees the
 * plaintext and cannot tell it was secret. To keep the secret rule (README, "Semantics"),
 * the pack wraps that one function: it deserializes exactly as before (every policy, portguard's
 * or another in the same pack, sees the same values), and notes beside the result which
 * plaintexts the request marked secret (src/providers/read.ts registerSecretTexts). The adapters
 * then write those values `[secret]`.
 */
import { registerSecretTexts } from "../providers/read";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Every plaintext (string or number leaf) inside a wire secret of `v` (wire JSON, as toJavaScript gives it). */
export function wireSecretTexts(v: unknown, inside = false, out: string[] = []): string[] {
    if (typeof v === "string" || typeof v === "number") {
        if (inside && String(v).trim() !== "") out.push(String(v).trim());
        return out;
    }
    if (v === null || typeof v !== "object") return out;
    if (Array.isArray(v)) {
        for (const e of v) wireSecretTexts(e, inside, out);
        return out;
    }
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return wireSecretTexts(o.value, true, out);
    for (const k in o) wireSecretTexts(o[k], inside, out);
    return out;
}

type Struct = { toJavaScript(): Record<string, unknown> };
type Deserialize = (s: Struct, proxySecrets: boolean) => Record<string, unknown>;
let installed = false;

/** Wrap the SDK's deserializeProperties once (a no-op when the SDK is laid out otherwise). */
export function trackRequestSecrets(): void {
    if (installed) return;
    installed = true;
    let mod: { deserializeProperties?: Deserialize };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        mod = require("@pulumi/policy/deserialize");
    } catch {
        return;
    }
    const original = mod.deserializeProperties;
    if (typeof original !== "function") return;
    mod.deserializeProperties = function (struct: Struct, proxySecrets: boolean) {
        let js: Record<string, unknown>;
        try {
            js = struct.toJavaScript();
        } catch {
            return original.call(this, struct, proxySecrets);
        }
        // The same conversion is handed on, so the SDK does not convert the request twice.
        const props = original.call(this, { toJavaScript: () => js }, proxySecrets);
        try {
            if (props && typeof props === "object") registerSecretTexts(props, wireSecretTexts(js));
        } catch {
            // never break a request over bookkeeping
        }
        return props;
    };
}
