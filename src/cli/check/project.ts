/**
 * A Pulumi project as `portguard check` reads it: Pulumi.yaml (name, runtime, main, config
 * defaults), the stack file Pulumi.<stack>.yaml, `--config` overrides, and `secure:` values
 * decrypted the way Pulumi's passphrase secrets provider does it.
 *
 * Passphrase provider (pulumi/pulumi pkg/secrets/passphrase/manager.go and
 * sdk/go/common/resource/config/crypt.go): the stack file's `encryptionsalt` is
 * `v1:<base64 salt>:v1:<base64 nonce>:<base64 ciphertext>`; the key is PBKDF2-SHA256 of the
 * passphrase over the salt, 1,000,000 iterations, 32 bytes; values are AES-256-GCM with a
 * 12-byte nonce and the 16-byte tag after the ciphertext (Go's Seal), written
 * `v1:<base64 nonce>:<base64 ciphertext+tag>`. The salt's own ciphertext decrypts to "pulumi"
 * when the passphrase is right. The passphrase comes from PULUMI_CONFIG_PASSPHRASE, else the
 * file named by PULUMI_CONFIG_PASSPHRASE_FILE (trimmed), as the CLI reads them.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** A problem with the program's project or stack files: one line, exit code 2. */
export class ProjectError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProjectError";
    }
}

export interface Project {
    dir: string;
    file: string;
    name: string;
    runtime: string;
    main?: string;
    /** `config:` of Pulumi.yaml, keys as written. */
    config: Record<string, unknown>;
}

export interface StackConfig {
    stack: string;
    /** The stack file read, when there is one. */
    file?: string;
    /** Fully qualified key (`project:key`, `aws:region`) -> value as the SDK reads it (a string; JSON for objects). */
    values: Record<string, string>;
    /** Keys whose values are secrets (decrypted `secure:` values, `secret: true` in Pulumi.yaml). */
    secretKeys: string[];
}

interface Yaml {
    load(text: string, opts?: { filename?: string }): unknown;
}

let yaml: Yaml | undefined;
/** js-yaml, loaded only when a project is read. */
function loadYaml(): Yaml {
    if (!yaml) yaml = require("js-yaml") as Yaml;
    return yaml;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function readYaml(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new ProjectError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    let doc: unknown;
    try {
        doc = loadYaml().load(text, { filename: file });
    } catch (e) {
        const m = e as { mark?: { line: number; column: number }; reason?: string; message?: string };
        const at = m.mark ? `:${m.mark.line + 1}:${m.mark.column + 1}` : "";
        throw new ProjectError(`${file}${at}: not valid YAML (${m.reason ?? String(m.message).split("\n")[0]})`);
    }
    if (doc === undefined || doc === null) return {};
    if (!isObject(doc)) throw new ProjectError(`${file}: expected a mapping at the top level`);
    return doc;
}

/** Reads Pulumi.yaml (or Pulumi.yml) in `dir`. */
export function readProject(dir: string): Project {
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!file) throw new ProjectError(`${dir} has no Pulumi.yaml: not a Pulumi project`);
    const doc = readYaml(file);
    const name = typeof doc.name === "string" && doc.name ? doc.name : undefined;
    if (!name) throw new ProjectError(`${file}: the project has no name (name: <project>)`);
    const rt = doc.runtime;
    const runtime = typeof rt === "string" ? rt : isObject(rt) && typeof rt.name === "string" ? rt.name : "";
    if (!runtime) throw new ProjectError(`${file}: the project has no runtime (runtime: nodejs)`);
    const main = typeof doc.main === "string" && doc.main ? doc.main : undefined;
    const config = isObject(doc.config) ? doc.config : {};
    return { dir, file, name, runtime, main, config };
}

/** The stack to use: `--stack`, else the only Pulumi.<stack>.yaml there is, else `dev`. */
export function chooseStack(dir: string, given: string | undefined): string {
    if (given) return given;
    const stacks = listStacks(dir);
    if (stacks.length === 1) return stacks[0];
    if (stacks.length > 1) throw new ProjectError(`${dir} has ${stacks.length} stack files (${stacks.map((s) => `Pulumi.${s}.yaml`).join(", ")}): choose one with --stack <name>`);
    return "dev";
}

function listStacks(dir: string): string[] {
    let names: string[];
    try {
        names = fs.readdirSync(dir);
    } catch {
        return [];
    }
    return names
        .map((n) => /^Pulumi\.(.+)\.ya?ml$/.exec(n)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/** `key` as the SDK stores it: `project:key` for a bare key, namespaced keys unchanged. */
function qualify(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function asConfigString(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

/** Reads the passphrase as the Pulumi CLI does; undefined when neither variable is set. */
function readPassphrase(env: Record<string, string | undefined>): string | undefined {
    if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (file) {
        try {
            return fs.readFileSync(path.resolve(file), "utf8").trim();
        } catch (e) {
            throw new ProjectError(`PULUMI_CONFIG_PASSPHRASE_FILE ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
        }
    }
    return undefined;
}

const PBKDF2_ITERATIONS = 1_000_000;

/** AES-256-GCM decryption of `v1:<nonce>:<ciphertext+tag>`; undefined when it does not authenticate. */
export function decryptValue(key: Buffer, value: string): string | undefined {
    const parts = value.split(":");
    if (parts.length !== 3 || parts[0] !== "v1") return undefined;
    const nonce = Buffer.from(parts[1], "base64");
    const sealed = Buffer.from(parts[2], "base64");
    if (nonce.length !== 12 || sealed.length < 16) return undefined;
    try {
        const d = crypto.createDecipheriv("aes-256-gcm", key, nonce);
        d.setAuthTag(sealed.subarray(sealed.length - 16));
        return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]).toString("utf8");
    } catch {
        return undefined;
    }
}

/** AES-256-GCM encryption in the same format (used by tests to write fixtures). */
export function encryptValue(key: Buffer, plaintext: string, nonce: Buffer = crypto.randomBytes(12)): string {
    const c = crypto.createCipheriv("aes-256-gcm", key, nonce);
    const sealed = Buffer.concat([c.update(plaintext, "utf8"), c.final(), c.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

/** The key a passphrase gives for an `encryptionsalt` (undefined when the passphrase is wrong). */
function passphraseKey(passphrase: string, encryptionSalt: string): Buffer | undefined {
    const parts = encryptionSalt.split(":");
    if (parts.length !== 5 || parts[0] !== "v1") throw new ProjectError(`encryptionsalt is not in the passphrase provider's v1 format`);
    const salt = Buffer.from(parts[1], "base64");
    const key = crypto.pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, PBKDF2_ITERATIONS, 32, "sha256");
    return decryptValue(key, parts.slice(2).join(":")) === "pulumi" ? key : undefined;
}

function secureOf(v: unknown): string | undefined {
    return isObject(v) && typeof v.secure === "string" && Object.keys(v).length === 1 ? v.secure : undefined;
}

/** A `secure:` value anywhere inside a structured value. */
function hasSecure(v: unknown): boolean {
    if (secureOf(v) !== undefined) return true;
    if (Array.isArray(v)) return v.some(hasSecure);
    if (isObject(v)) return Object.values(v).some(hasSecure);
    return false;
}

function decryptDeep(v: unknown, decrypt: (s: string) => string): unknown {
    const s = secureOf(v);
    if (s !== undefined) return decrypt(s);
    if (Array.isArray(v)) return v.map((x) => decryptDeep(x, decrypt));
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decryptDeep(x, decrypt)]));
    return v;
}

/** Parses `--config key=value` (repeatable). */
export function parseConfigArgs(args: readonly string[]): Array<[string, string]> {
    return args.map((a) => {
        const i = a.indexOf("=");
        if (i <= 0) throw new ProjectError(`--config ${a}: expected key=value`);
        return [a.slice(0, i), a.slice(i + 1)];
    });
}

/**
 * The configuration the program sees: Pulumi.yaml defaults (`default:`/`value:`, or a plain
 * value for a namespaced key), then the stack file, then `--config` overrides. Secrets that
 * cannot be decrypted stop the run with one line naming the keys (unless every one of them is
 * given with --config).
 */
export function resolveStackConfig(project: Project, stack: string, overrides: ReadonlyArray<[string, string]>, env: Record<string, string | undefined>): StackConfig {
    const values: Record<string, string> = {};
    const secret = new Set<string>();
    for (const [key, decl] of Object.entries(project.config)) {
        const q = qualify(project.name, key);
        if (isObject(decl) && ("default" in decl || "value" in decl || "type" in decl || "secret" in decl || "description" in decl)) {
            const v = "value" in decl ? decl.value : decl.default;
            if (v !== undefined && v !== null) values[q] = asConfigString(v);
            if (decl.secret === true) secret.add(q);
        } else if (decl !== undefined && decl !== null) {
            values[q] = asConfigString(decl);
        }
    }

    const file = ["yaml", "yml"].map((e) => path.join(project.dir, `Pulumi.${stack}.${e}`)).find((f) => fs.existsSync(f));
    const given = new Set(overrides.map(([k]) => qualify(project.name, k)));
    if (file) {
        const doc = readYaml(file);
        const config = isObject(doc.config) ? doc.config : {};
        const locked: string[] = [];
        let decrypt: ((s: string) => string) | undefined;
        const needs = Object.entries(config).filter(([k, v]) => hasSecure(v) && !given.has(qualify(project.name, k)));
        if (needs.length > 0) {
            const provider = typeof doc.secretsprovider === "string" ? doc.secretsprovider : undefined;
            const salt = typeof doc.encryptionsalt === "string" ? doc.encryptionsalt : undefined;
            const isPassphrase = !!salt && (provider === undefined || provider === "passphrase");
            const passphrase = isPassphrase ? readPassphrase(env) : undefined;
            if (isPassphrase && passphrase !== undefined) {
                const key = passphraseKey(passphrase, salt!);
                if (!key) throw new ProjectError(`${path.basename(file)}: incorrect passphrase (PULUMI_CONFIG_PASSPHRASE${env.PULUMI_CONFIG_PASSPHRASE === undefined ? "_FILE" : ""} does not decrypt encryptionsalt)`);
                decrypt = (s) => {
                    const plain = decryptValue(key, s);
                    if (plain === undefined) throw new ProjectError(`${path.basename(file)}: a secure value cannot be decrypted with this passphrase`);
                    return plain;
                };
            } else {
                // As the user would type them: bare keys for the project's own namespace.
                for (const [k] of needs) locked.push(k.startsWith(`${project.name}:`) ? k.slice(project.name.length + 1) : k);
                const why = isPassphrase
                    ? "set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to decrypt them"
                    : `the stack's secrets provider (${provider ?? "Pulumi Cloud"}) is not available offline`;
                throw new ProjectError(`${path.basename(file)}: secret config ${locked.join(", ")} cannot be read (${why}), or give ${locked.length === 1 ? "it" : "each"} with --config ${locked[0]}=<value>`);
            }
        }
        for (const [key, v] of Object.entries(config)) {
            const q = qualify(project.name, key);
            if (given.has(q)) {
                if (hasSecure(v)) secret.add(q); // still a secret when given on the command line
                continue;
            }
            if (v === null || v === undefined) continue;
            if (hasSecure(v)) {
                values[q] = asConfigString(decryptDeep(v, decrypt!));
                secret.add(q);
            } else {
                values[q] = asConfigString(v);
            }
        }
    }
    for (const [k, v] of overrides) values[qualify(project.name, k)] = v;
    return { stack, file, values, secretKeys: [...secret].sort() };
}
