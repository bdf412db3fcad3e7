/**
 * Module hooks (node:module register) for ES-module programs under `portguard check`:
 * `.ts`/`.mts` files are compiled with the program's TypeScript, and a relative `.js` specifier
 * whose file does not exist resolves to its `.ts` twin, as TypeScript's nodenext resolution
 * does. Runs on Node's hooks thread; loaded only by the check's program runner.
 */
import * as fs from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { formatOf, makeCompiler, tsTwin, type Compiler } from "./compile";

/* eslint-disable @typescript-eslint/no-explicit-any */

let compiler: Compiler | undefined;

export function initialize(data: { tsPath?: string; programDir: string }): void {
    if (data.tsPath) compiler = makeCompiler(data.tsPath, data.programDir);
}

export async function resolve(specifier: string, context: any, next: (s: string, c: any) => Promise<any>): Promise<any> {
    try {
        return await next(specifier, context);
    } catch (e) {
        const relative = specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("file:") || specifier.startsWith("/");
        if (!relative || (e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND" || !context.parentURL?.startsWith("file:")) throw e;
        const target = specifier.startsWith("file:") ? fileURLToPath(specifier) : fileURLToPath(new URL(specifier, context.parentURL));
        const candidates = [tsTwin(target), `${target}.ts`, `${target}/index.ts`].filter((c): c is string => !!c);
        for (const c of candidates) {
            if (fs.existsSync(c) && fs.statSync(c).isFile()) return { url: pathToFileURL(c).href, shortCircuit: true, format: formatOf(c) };
        }
        throw e;
    }
}

export async function load(url: string, context: any, next: (u: string, c: any) => Promise<any>): Promise<any> {
    if (url.startsWith("file:") && /\.[mc]?tsx?$/.test(new URL(url).pathname)) {
        const file = fileURLToPath(url);
        const format = formatOf(file);
        if (format === "commonjs") return { format: "commonjs", shortCircuit: true }; // the require hook compiles it
        if (!compiler) throw new Error(`${file} is TypeScript and no typescript package is resolvable from the program`);
        return { format: "module", shortCircuit: true, source: compiler.compile(fs.readFileSync(file, "utf8"), file, "module") };
    }
    return next(url, context);
}
