/**
 * TypeScript for the program under check, compiled on load with the program's own `typescript`
 * (transpileModule: no type-checking; type errors are the compiler's business, not the policy
 * check's). The program's tsconfig.json
 * options are kept, except the ones that decide the output module format, which the loader
 * decides per file (CommonJS for `require`, ES modules for `import`).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/* eslint-disable @typescript-eslint/no-explicit-any */

export type ModuleFormat = "commonjs" | "module";

export interface Compiler {
    compile(source: string, fileName: string, format: ModuleFormat): string;
}

export function makeCompiler(tsPath: string, programDir: string): Compiler {
    const ts: any = require(tsPath);
    if (typeof ts.transpileModule !== "function") throw new Error(`${tsPath} has no transpileModule`);
    let base: Record<string, unknown> = {};
    const configFile = ts.findConfigFile(programDir, (f: string) => fs.existsSync(f), "tsconfig.json");
    if (configFile && path.dirname(configFile).startsWith(programDir)) {
        const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
        if (parsed) base = parsed.options;
    }
    const drop = ["module", "moduleResolution", "outDir", "outFile", "declaration", "declarationMap", "sourceMap", "composite", "incremental", "tsBuildInfoFile", "noEmit", "emitDeclarationOnly", "verbatimModuleSyntax", "isolatedDeclarations", "rootDir", "rootDirs", "paths", "baseUrl"];
    const options: Record<string, unknown> = Object.fromEntries(Object.entries(base).filter(([k]) => !drop.includes(k)));
    const target = typeof options.target === "number" && options.target >= ts.ScriptTarget.ES2020 ? options.target : ts.ScriptTarget.ES2020;
    return {
        compile(source, fileName, format) {
            const out = ts.transpileModule(source, {
                fileName,
                reportDiagnostics: false,
                compilerOptions: {
                    esModuleInterop: true,
                    ...options,
                    target,
                    module: format === "module" ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
                    inlineSourceMap: true,
                    inlineSources: false,
                },
            });
            return out.outputText as string;
        },
    };
}

/** `.js` -> `.ts`, `.mjs` -> `.mts`, `.cjs` -> `.cts`, `.jsx` -> `.tsx`, as nodenext resolution maps them. */
export function tsTwin(file: string): string | undefined {
    const m = /\.(m|c)?js(x)?$/.exec(file);
    if (!m) return undefined;
    return file.slice(0, m.index) + `.${m[1] ?? ""}ts${m[2] ?? ""}`;
}

/** The format Node gives a file: by extension, else the nearest package.json `type`. */
export function formatOf(file: string): ModuleFormat {
    if (/\.m[jt]s$/.test(file)) return "module";
    if (/\.c[jt]s$/.test(file)) return "commonjs";
    let dir = path.dirname(file);
    for (;;) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg)) {
            try {
                return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { type?: string }).type === "module" ? "module" : "commonjs";
            } catch {
                return "commonjs";
            }
        }
        const up = path.dirname(dir);
        if (up === dir) return "commonjs";
        dir = up;
    }
}
