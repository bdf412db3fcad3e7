/**
 * Secrets in the pack's Analyze requests. The policy SDK deserializes a resource's properties
 * for validateResource / validateStack with its secrets already unwrapped
 * (`deserializeProperties(..., false)` in @pulumi/policy's server.js): a policy sees the
 * plaintext and cannot tell it was secret. To keep the secret rule (README, "Semantics"),
 * the pack wraps that one function: it deserializes exactly as the SDK does (every policy, portguard's
 * or another in the same pack, sees the same values), and notes beside the result which
 * plaintexts the request marked secret (src/providers/read.ts registerSecretTexts). The adapters
 * then write those values `[secret]`. It also notes which request struct each copy came from,
 * so the policies of one request share one model without comparing their copies
 * (requestOrigin, ./models.ts).
 */
import { proxyTarget, registerSecretTexts } from "../providers/read";

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

/**
 * The conversions and secret texts of the last request structs, so the policies of one Analyze
 * (which come one after the other) convert its struct once. Bounded: an AnalyzeStack's
 * thousands of structs are not all held converted at once.
 */
const converted = new Map<Struct, { js: Record<string, unknown>; texts: string[] }>();
const CONVERTED = 16;
/** The wire struct each deserialized copy was made from (see requestOrigin). */
const origins = new WeakMap<object, Struct>();

/**
 * The wire struct `props` (a deserialized copy, or the SDK's proxy of one) was made from, if
 * the SDK made it. Copies from one struct are equal in everything: the engine reads that as
 * "same content" without comparing them (./models.ts).
 */
export function requestOrigin(props: unknown): object | undefined {
    const t = proxyTarget(props);
    return t !== null && typeof t === "object" ? origins.get(t) : undefined;
}

/**
 * Wrap the SDK's deserializeProperties once (a no-op when the SDK is laid out otherwise). The
 * SDK deserializes a resource's properties once per policy, from the same request struct; the
 * wrapper converts the struct to JSON once (the costly part: protobuf to JS, its key sort) and
 * hands that to the SDK's own deserialization, which builds every policy a fresh copy as
 * before (it never changes the JSON it reads).
 */
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
        let c = struct && typeof struct === "object" ? converted.get(struct) : undefined;
        if (!c) {
            let js: Record<string, unknown>;
            try {
                js = struct.toJavaScript();
            } catch {
                return original.call(this, struct, proxySecrets);
            }
            let texts: string[] = [];
            try {
                texts = wireSecretTexts(js);
            } catch {
                // never break a request over bookkeeping
            }
            c = { js, texts };
            if (struct && typeof struct === "object") {
                converted.set(struct, c);
                if (converted.size > CONVERTED) converted.delete(converted.keys().next().value!);
            }
        }
        const { js, texts } = c;
        const props = original.call(this, { toJavaScript: () => js }, proxySecrets);
        try {
            if (props && typeof props === "object") {
                registerSecretTexts(props, texts);
                // (with secrets kept as Secret objects, copies differ from the plain ones)
                if (!proxySecrets) origins.set(props, struct);
            }
        } catch {
            // never break a request over bookkeeping
        }
        return props;
    };
}
