/**
 * Drives a Pulumi policy pack the way the Pulumi CLI does, without the CLI.
 *
 * launchPack() starts the pack with the command current CLIs (>= 3.221) use:
 *   node <@pulumi/pulumi/cmd/run-policy-pack> <engineAddress> <packDir>   (cwd = packDir)
 * reads the gRPC port from the first stdout line, and returns a client over the analyzer
 * stubs that ship with portguard's own @pulumi/pulumi. reconcileConfig() reproduces what the
 * CLI does with `--policy-pack-config` before it calls Configure.
 *
 * Loaded only by `portguard check` (and the tests and bench through scripts/lib/analyzer.js),
 * never by the pack or src/index.ts.
 */
import * as childProcess from "node:child_process";
import * as path from "node:path";
import { createRequire } from "node:module";

/* eslint-disable @typescript-eslint/no-explicit-any */

// Resolve everything through @pulumi/pulumi's own location, so the gRPC and protobuf instances
// are the ones its generated stubs were built against.
const pulumiPkgJson = require.resolve("@pulumi/pulumi/package.json");
const pulumiDir = path.dirname(pulumiPkgJson);
const requireFromPulumi = createRequire(pulumiPkgJson);
const grpc: any = requireFromPulumi("@grpc/grpc-js");
const structproto: any = requireFromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptyproto: any = requireFromPulumi("google-protobuf/google/protobuf/empty_pb");
const analyzerpb: any = require(path.join(pulumiDir, "proto", "analyzer_pb.js"));
const analyzergrpc: any = require(path.join(pulumiDir, "proto", "analyzer_grpc_pb.js"));

/** The generated messages and protobuf helpers, for tests that build raw requests. */
export const proto = { analyzerpb, structproto, emptyproto, grpc };

const RUN_POLICY_PACK = path.join(pulumiDir, "cmd", "run-policy-pack");
const DEFAULT_ENGINE_ADDRESS = "127.0.0.1:1"; // never dialled by run-policy-pack
const LAUNCH_TIMEOUT_MS = 30_000;

/** The engine's sentinel for an unknown string or number (also used for unknown lists/objects here). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Keys of the engine's wire encoding of secrets. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type Level = "advisory" | "mandatory" | "disabled" | "remediate";
export const LEVELS: readonly Level[] = ["advisory", "mandatory", "disabled", "remediate"];
const LEVEL_TO_PROTO: Record<Level, number> = {
    advisory: analyzerpb.EnforcementLevel.ADVISORY,
    mandatory: analyzerpb.EnforcementLevel.MANDATORY,
    disabled: analyzerpb.EnforcementLevel.DISABLED,
    remediate: analyzerpb.EnforcementLevel.REMEDIATE,
};
const PROTO_TO_LEVEL: Record<number, string> = Object.fromEntries(Object.entries(LEVEL_TO_PROTO).map(([k, v]) => [v, k]));

function levelName(protoLevel: number): string {
    return PROTO_TO_LEVEL[protoLevel] ?? `unknown(${protoLevel})`;
}

// ---------------------------------------------------------------------------
// Unknowns and secrets

/**
 * Converts a value captured under `pulumi.runtime.setMocks` into the engine's wire form:
 * `{__pulumiUnknown: true}` objects (the SDK's `unknown`) and Output values that could not be
 * resolved become the UNKNOWN sentinel. Everything else is copied as plain JSON.
 */
export function toEngineValue(value: unknown): unknown {
    if (value === undefined || value === null) return value;
    if (typeof value === "function") return undefined;
    if (typeof value === "object") {
        const v = value as Record<string, unknown>;
        if (v.__pulumiUnknown === true) return UNKNOWN;
        // An Output cannot be read synchronously; under mocks an Output that reaches this point
        // was not resolved, which is what preview reports as unknown.
        if (v.__pulumiOutput === true) return UNKNOWN;
        if (Array.isArray(value)) {
            return value.map((x) => {
                const c = toEngineValue(x);
                return c === undefined ? null : c;
            });
        }
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
            const c = toEngineValue(x);
            if (c !== undefined) out[k] = c;
        }
        return out;
    }
    return value;
}

/** True when a value is the engine's unknown sentinel. */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** Wraps a value the way the engine marks secrets on the wire. */
export function secret(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

// ---------------------------------------------------------------------------
// Configuration, as the CLI reconciles it

export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

export interface PolicyConfigEntry {
    enforcementLevel?: string;
    properties?: Record<string, unknown>;
}

/**
 * Parses a `--policy-pack-config` object (already JSON-parsed) into
 * `{ name: {enforcementLevel?, properties?} }`, with the CLI's checks: a value is a level string
 * or an object whose optional `enforcementLevel` is a level string; empty entries are dropped.
 */
export function parsePolicyPackConfig(fileConfig: unknown): Record<string, PolicyConfigEntry> {
    const result: Record<string, PolicyConfigEntry> = {};
    if (fileConfig === undefined || fileConfig === null) return result;
    if (typeof fileConfig !== "object" || Array.isArray(fileConfig)) throw new ConfigError("policy pack config must be a JSON object");
    for (const [name, value] of Object.entries(fileConfig as Record<string, unknown>)) {
        let enforcementLevel: string | undefined;
        let properties: Record<string, unknown> | undefined;
        if (typeof value === "string") {
            if (!(LEVELS as readonly string[]).includes(value)) throw new ConfigError(`parsing enforcement level for "${name}": "${value}" is not a valid enforcement level`);
            enforcementLevel = value;
        } else if (value && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel: level, ...rest } = value as Record<string, unknown>;
            if (level !== undefined) {
                if (typeof level !== "string" || !(LEVELS as readonly string[]).includes(level)) {
                    throw new ConfigError(`parsing enforcement level for "${name}": ${JSON.stringify(level)} is not a valid enforcement level`);
                }
                enforcementLevel = level;
            }
            if (Object.keys(rest).length > 0) properties = rest;
        } else {
            throw new ConfigError(`parsing "${name}": ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
        if (enforcementLevel === undefined && properties === undefined) continue;
        result[name] = { enforcementLevel, properties };
    }
    return result;
}

function applyConfig(result: Record<string, PolicyConfigEntry>, toApply: Record<string, PolicyConfigEntry>): void {
    const all = toApply.all;
    if (all && all.enforcementLevel) {
        for (const name of Object.keys(result)) result[name] = { enforcementLevel: all.enforcementLevel, properties: result[name].properties };
    }
    for (const [name, given] of Object.entries(toApply)) {
        let enforcementLevel: string | undefined;
        let properties: Record<string, unknown> | undefined;
        if (result[name]) {
            enforcementLevel = result[name].enforcementLevel;
            properties = result[name].properties;
        }
        if (given.enforcementLevel) enforcementLevel = given.enforcementLevel;
        if (given.properties && Object.keys(given.properties).length > 0) properties = { ...(properties ?? {}), ...given.properties };
        result[name] = { enforcementLevel, properties };
    }
}

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    message: string;
    enforcementLevel: string;
    severity?: string;
    framework?: { name: string; version: string; reference: string; specification: string };
    tags?: string[];
    remediationSteps?: string;
    url?: string;
    configSchema?: { properties: Record<string, any>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    supportsConfig: boolean;
    description: string;
    readme?: string;
    provider?: string;
    tags?: string[];
    repository?: string;
    initialConfig: Record<string, PolicyConfigEntry>;
    policies: PolicyInfo[];
}

/**
 * Reproduces the CLI's handling of `--policy-pack-config`: start from each policy's schema
 * defaults and its default enforcement level (as GetAnalyzerInfo reports them), apply the pack's
 * initial config, then the file: `all` sets every policy's level, then per-policy entries (a
 * level string, or `{enforcementLevel?, ...options}`). Like the CLI, entries whose key is not a
 * policy (including `all`) are passed on too; the SDK ignores them. JSON Schema validation is
 * not done here.
 */
export function reconcileConfig(analyzerInfo: Pick<AnalyzerInfo, "policies"> & { initialConfig?: Record<string, PolicyConfigEntry> }, fileConfig: unknown): Record<string, PolicyConfigEntry> {
    const result: Record<string, PolicyConfigEntry> = {};
    for (const policy of analyzerInfo.policies) {
        const properties: Record<string, unknown> = {};
        const schemaProps = (policy.configSchema && policy.configSchema.properties) || {};
        for (const [k, schema] of Object.entries(schemaProps)) {
            if (schema && typeof schema === "object" && "default" in schema) properties[k] = structuredClone(schema.default);
        }
        result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties: Object.keys(properties).length > 0 ? properties : undefined };
    }
    if (analyzerInfo.initialConfig && Object.keys(analyzerInfo.initialConfig).length > 0) applyConfig(result, analyzerInfo.initialConfig);
    applyConfig(result, parsePolicyPackConfig(fileConfig));
    return result;
}

// ---------------------------------------------------------------------------
// Message building

export interface WireResource {
    type: string;
    urn?: string;
    name?: string;
    properties?: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

function toStruct(obj: unknown): any {
    return structproto.Struct.fromJavaScript(obj ?? {});
}

function makeOptions({ parent }: { parent?: string } = {}): any {
    const opts = new analyzerpb.AnalyzerResourceOptions();
    if (parent) opts.setParent(parent);
    return opts;
}

export function makeAnalyzeRequest({ type, urn, name, properties, parent }: WireResource): any {
    const req = new analyzerpb.AnalyzeRequest();
    req.setType(type);
    req.setUrn(urn ?? "");
    req.setName(name ?? "");
    req.setProperties(toStruct(properties));
    req.setOptions(makeOptions({ parent }));
    return req;
}

export function makeAnalyzerResource({ type, urn, name, properties, parent, dependencies, propertyDependencies }: WireResource): any {
    const r = new analyzerpb.AnalyzerResource();
    r.setType(type);
    r.setUrn(urn ?? "");
    r.setName(name ?? "");
    r.setProperties(toStruct(properties));
    r.setOptions(makeOptions({ parent }));
    if (parent) r.setParent(parent);
    const deps = new Set(dependencies ?? []);
    for (const urns of Object.values(propertyDependencies ?? {})) for (const u of urns) deps.add(u);
    if (deps.size > 0) r.setDependenciesList([...deps]);
    const map = r.getPropertydependenciesMap();
    for (const [prop, urns] of Object.entries(propertyDependencies ?? {})) {
        const pd = new analyzerpb.AnalyzerPropertyDependencies();
        pd.setUrnsList(urns);
        map.set(prop, pd);
    }
    return r;
}

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    /** What the CLI shows: the SDK puts the policy's description on its first line. */
    message: string;
    /** The message without that description (what the policy reported). */
    violation: string;
    enforcementLevel: string;
    urn: string;
}

// `defaultUrn`: the SDK leaves the URN of resource-level (Analyze) violations empty and the CLI
// attributes them to the analyzed resource; do the same.
function diagnosticsOf(resp: any, defaultUrn = ""): Diagnostic[] {
    return resp.getDiagnosticsList().map((d: any) => {
        const description: string = d.getDescription();
        const message: string = d.getMessage();
        const prefix = description ? `${description}\n` : "";
        return {
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            policyPackVersion: d.getPolicypackversion(),
            description,
            message,
            violation: prefix && message.startsWith(prefix) ? message.slice(prefix.length) : message,
            enforcementLevel: levelName(d.getEnforcementlevel()),
            urn: d.getUrn() || defaultUrn,
        };
    });
}

/** AnalyzeResponse's `not_applicable` list: `[{policyName, reason}]`. */
function notApplicableOf(resp: any): Array<{ policyName: string; reason: string }> {
    return resp.getNotApplicableList().map((n: any) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
}

const SEVERITY_NAMES: Record<number, string> = { 1: "low", 2: "medium", 3: "high", 4: "critical" };

function structToJs(s: any): any {
    return s ? s.toJavaScript() : undefined;
}

function analyzerInfoOf(info: any): AnalyzerInfo {
    const initialConfig: Record<string, PolicyConfigEntry> = {};
    for (const [name, pc] of info.getInitialconfigMap().entries()) {
        initialConfig[name] = { enforcementLevel: levelName(pc.getEnforcementlevel()), properties: structToJs(pc.getProperties()) };
    }
    return {
        name: info.getName(),
        displayName: info.getDisplayname(),
        version: info.getVersion(),
        supportsConfig: info.getSupportsconfig(),
        description: info.getDescription(),
        readme: info.getReadme(),
        provider: info.getProvider(),
        tags: info.getTagsList(),
        repository: info.getRepository(),
        initialConfig,
        policies: info.getPoliciesList().map((p: any) => {
            const schema = p.getConfigschema();
            const fw = p.getFramework();
            return {
                name: p.getName(),
                displayName: p.getDisplayname(),
                description: p.getDescription(),
                message: p.getMessage(),
                enforcementLevel: levelName(p.getEnforcementlevel()),
                severity: SEVERITY_NAMES[p.getSeverity()] ?? "",
                framework: fw ? { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() } : undefined,
                tags: p.getTagsList(),
                remediationSteps: p.getRemediationSteps(),
                url: p.getUrl(),
                configSchema: schema ? { properties: structToJs(schema.getProperties()) ?? {}, required: schema.getRequiredList() } : undefined,
            };
        }),
    };
}

// ---------------------------------------------------------------------------
// Client

const RPC_DEADLINE_MS = 60_000;

function unary(client: any, method: string, req: unknown): Promise<any> {
    return new Promise((resolve, reject) => {
        client[method](req, { deadline: Date.now() + RPC_DEADLINE_MS }, (err: any, resp: any) => {
            if (err) {
                const e = new Error(`${method} failed: ${err.details || err.message}`) as Error & { code?: unknown; cause?: unknown };
                e.code = err.code;
                e.cause = err;
                reject(e);
            } else {
                resolve(resp);
            }
        });
    });
}

export interface Remediation {
    policyName: string;
    properties: Record<string, unknown> | undefined;
    diagnostic: string;
}

export interface AnalyzerClient {
    raw: any;
    address: string;
    getAnalyzerInfo(): Promise<AnalyzerInfo>;
    getPluginInfo(): Promise<{ version: string }>;
    /** `{ [policy]: {enforcementLevel, properties?} }`, e.g. reconcileConfig()'s result. */
    configure(policyConfig: Record<string, PolicyConfigEntry>): Promise<void>;
    /** resource: `{type, urn, name, properties, parent?}`; properties in wire form. */
    analyze(resource: WireResource): Promise<Diagnostic[]>;
    /** Remediate (run before Analyze for policies at level `remediate`). */
    remediate(resource: WireResource): Promise<Remediation[]>;
    analyzeStack(resources: WireResource[]): Promise<Diagnostic[]>;
    /** ConfigureStack, as the engine sends it before analysing a stack (tags: the stack's tags). */
    configureStack(opts?: { stack?: string; project?: string; organization?: string; dryRun?: boolean; tags?: Record<string, string> }): Promise<void>;
    /** Analyze, with the response's `not_applicable` list. */
    analyzeFull(resource: WireResource): Promise<{ diagnostics: Diagnostic[]; notApplicable: Array<{ policyName: string; reason: string }> }>;
    /** AnalyzeStack, with the response's `not_applicable` list. */
    analyzeStackFull(resources: WireResource[]): Promise<{ diagnostics: Diagnostic[]; notApplicable: Array<{ policyName: string; reason: string }> }>;
    close(): void;
}

/** A client for a running analyzer at `address` (host:port). */
export function createClient(address: string): AnalyzerClient {
    const raw = new analyzergrpc.AnalyzerClient(address, grpc.credentials.createInsecure());
    return {
        raw,
        address,
        async getAnalyzerInfo() {
            return analyzerInfoOf(await unary(raw, "getAnalyzerInfo", new emptyproto.Empty()));
        },
        async getPluginInfo() {
            const resp = await unary(raw, "getPluginInfo", new emptyproto.Empty());
            return { version: resp.getVersion() };
        },
        async configure(policyConfig) {
            const req = new analyzerpb.ConfigureAnalyzerRequest();
            const map = req.getPolicyconfigMap();
            for (const [name, c] of Object.entries(policyConfig ?? {})) {
                const level = (c.enforcementLevel ?? "advisory") as Level;
                if (!(level in LEVEL_TO_PROTO)) throw new ConfigError(`"${name}": "${level}" is not a valid enforcement level`);
                const pc = new analyzerpb.PolicyConfig();
                pc.setEnforcementlevel(LEVEL_TO_PROTO[level]);
                // Always set properties: the SDK calls getProperties().toJavaScript().
                pc.setProperties(toStruct(c.properties ?? {}));
                map.set(name, pc);
            }
            await unary(raw, "configure", req);
        },
        async analyze(resource) {
            return diagnosticsOf(await unary(raw, "analyze", makeAnalyzeRequest(resource)), resource.urn ?? "");
        },
        async remediate(resource) {
            const resp = await unary(raw, "remediate", makeAnalyzeRequest(resource));
            return resp.getRemediationsList().map((r: any) => ({
                policyName: r.getPolicyname(),
                properties: r.getProperties() ? r.getProperties().toJavaScript() : undefined,
                diagnostic: r.getDiagnostic(),
            }));
        },
        async analyzeStack(resources) {
            const req = new analyzerpb.AnalyzeStackRequest();
            req.setResourcesList(resources.map(makeAnalyzerResource));
            return diagnosticsOf(await unary(raw, "analyzeStack", req));
        },
        async configureStack({ stack = "dev", project = "test", organization = "", dryRun = true, tags = {} } = {}) {
            const req = new analyzerpb.AnalyzerStackConfigureRequest();
            req.setStack(stack);
            req.setProject(project);
            req.setOrganization(organization);
            req.setDryRun(dryRun);
            const map = req.getTagsMap();
            for (const [k, v] of Object.entries(tags)) map.set(k, v);
            await unary(raw, "configureStack", req);
        },
        async analyzeFull(resource) {
            const resp = await unary(raw, "analyze", makeAnalyzeRequest(resource));
            return { diagnostics: diagnosticsOf(resp, resource.urn ?? ""), notApplicable: notApplicableOf(resp) };
        },
        async analyzeStackFull(resources) {
            const req = new analyzerpb.AnalyzeStackRequest();
            req.setResourcesList(resources.map(makeAnalyzerResource));
            const resp = await unary(raw, "analyzeStack", req);
            return { diagnostics: diagnosticsOf(resp), notApplicable: notApplicableOf(resp) };
        },
        close() {
            raw.close();
        },
    };
}

export interface LaunchedPack extends AnalyzerClient {
    port: number;
    child: childProcess.ChildProcess;
    /** What the pack printed on stderr so far (ANSI colours removed). */
    stderr(): string;
}

/** Thrown when the pack does not start (its stdout and stderr are in the message). */
export class PackLaunchError extends Error {
    stderr: string;
    constructor(message: string, stderr: string) {
        super(message);
        this.name = "PackLaunchError";
        this.stderr = stderr;
    }
}

/**
 * Launches the pack in `packDir` as the Pulumi CLI does and connects to it. Resolves to the
 * client with `close()` that also kills the child, `stderr()` and `child`.
 */
export function launchPack(packDir: string, { env, engineAddress = DEFAULT_ENGINE_ADDRESS, timeoutMs = LAUNCH_TIMEOUT_MS }: { env?: Record<string, string | undefined>; engineAddress?: string; timeoutMs?: number } = {}): Promise<LaunchedPack> {
    const dir = path.resolve(packDir);
    const child = childProcess.spawn(process.execPath, [RUN_POLICY_PACK, engineAddress, dir], {
        cwd: dir,
        env: { ...process.env, ...(env ?? {}) },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (d: string) => {
        // The SDK prints stack traces with ANSI colours even into a pipe: drop them.
        stderr += d.replace(/\x1b\[[0-9;]*m/g, "");
    });
    child.stdout!.setEncoding("utf8");

    return new Promise((resolve, reject) => {
        let settled = false;
        const fail = (why: string) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
            // Give stderr a moment to drain after an exit.
            setTimeout(() => {
                reject(
                    new PackLaunchError(
                        `policy pack in ${dir} failed to start: ${why}` +
                            (stdout ? `\n--- stdout ---\n${stdout.trimEnd()}` : "") +
                            (stderr ? `\n--- stderr ---\n${stderr.trimEnd()}` : "\n(no stderr)"),
                        stderr,
                    ),
                );
            }, 50);
        };
        const timer = setTimeout(() => fail(`no port printed within ${timeoutMs / 1000} s`), timeoutMs);
        child.on("error", (e) => fail(e.message));
        child.on("exit", (code, signal) => fail(`exited (${signal ? `signal ${signal}` : `code ${code}`}) before printing its port`));
        child.stdout!.on("data", (d: string) => {
            if (settled) return;
            stdout += d;
            const nl = stdout.indexOf("\n");
            if (nl < 0) return;
            const line = stdout.slice(0, nl).trim();
            const port = Number(line);
            if (!/^\d+$/.test(line) || port <= 0 || port > 65535) {
                fail(`first stdout line is not a port: ${JSON.stringify(line)}`);
                return;
            }
            settled = true;
            clearTimeout(timer);
            child.removeAllListeners("exit");
            const client = createClient(`127.0.0.1:${port}`);
            const close = () => {
                client.close();
                if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
            };
            resolve({ ...client, port, child, stderr: () => stderr, close });
        });
    });
}
