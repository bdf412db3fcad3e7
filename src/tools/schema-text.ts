/** JSON Schema fragments in words, for the doc pages and the config validator's messages. */
import { PORT_ITEM } from "../pack/config";

type Schema = Record<string, unknown>;

/** `text` as inline code in Markdown, or as is. */
export function code(text: string, markdown = true): string {
    if (!markdown) return text;
    return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function range(s: Schema): string {
    const lo = typeof s.minimum === "number" ? s.minimum : undefined;
    const hi = typeof s.maximum === "number" ? s.maximum : undefined;
    if (lo !== undefined && hi !== undefined) return ` ${lo}-${hi}`;
    if (lo !== undefined) return ` >= ${lo}`;
    if (hi !== undefined) return ` <= ${hi}`;
    return "";
}

/** Patterns the options share, in words. */
export const PORT_PATTERN = (PORT_ITEM.anyOf[1] as { pattern: string }).pattern;
export const DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}";
const PATTERN_LABELS: Record<string, (md: boolean) => string> = {
    [PORT_PATTERN]: (md) => `string ${code('"n"', md)} or ${code('"a-b"', md)}`,
    [DATE_PATTERN]: (md) => `date ${code("YYYY-MM-DD", md)}`,
};

/** A short, readable type for a schema: `integer 1-65536`, `array of string`, `one of "a", "b"`. */
export function typeLabel(s: Schema | undefined, markdown = true): string {
    if (!s || typeof s !== "object") return "any";
    if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => code(JSON.stringify(v), markdown)).join(", ")}`;
    if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
        const alts = (s.anyOf ?? s.oneOf) as Schema[];
        return alts.map((a) => typeLabel(a, markdown)).join(" or ");
    }
    const t = Array.isArray(s.type) ? s.type.join(" or ") : typeof s.type === "string" ? s.type : undefined;
    if (t === "array") {
        const items = s.items as Schema | undefined;
        const inner = items && (Array.isArray(items.anyOf) || Array.isArray(items.oneOf) || Array.isArray(items.enum)) ? `(${typeLabel(items, markdown)})` : typeLabel(items, markdown);
        const n = typeof s.minItems === "number" && s.minItems > 0 ? `, at least ${s.minItems}` : "";
        return `array of ${inner}${n}`;
    }
    if (t === "object") {
        const props = s.properties as Record<string, Schema> | undefined;
        if (!props) return "object";
        const req = new Set((s.required as string[] | undefined) ?? []);
        return `object {${Object.keys(props).map((k) => (req.has(k) ? k : `${k}?`)).join(", ")}}`;
    }
    if (t === "integer" || t === "number") return `${t}${range(s)}`;
    if (t === "string" && typeof s.pattern === "string" && PATTERN_LABELS[s.pattern]) return PATTERN_LABELS[s.pattern](markdown);
    if (t === "string") {
        const parts: string[] = [];
        if (typeof s.minLength === "number" && s.minLength > 0) parts.push("non-empty");
        if (typeof s.pattern === "string") parts.push(`matching ${code(s.pattern, markdown)}`);
        return parts.length ? `string (${parts.join(", ")})` : "string";
    }
    return t ?? "any";
}
