"use strict";
// Drives a Pulumi policy pack the way the Pulumi CLI does, without the CLI.
//
// launchPack() starts the pack with the command current CLIs (>= 3.221) use:
//   node <@pulumi/pulumi/cmd/run-policy-pack> <engineAddress> <packDir>   (cwd = packDir)
// reads the gRPC port from the first stdout line, and returns a client over the
// analyzer stubs that ship with @pulumi/pulumi. reconcileConfig() reproduces what the
// CLI does with `--policy-pack-config` before it calls Configure.
//
// Plain CommonJS so that scripts/ and the vitest suites can both use it.

const childProcess = require("node:child_process");
const path = require("node:path");
const { createRequire } = require("node:module");

// Resolve everything through @pulumi/pulumi's own location, so the gRPC and protobuf
// instances are the ones its generated stubs were built against.
const pulumiPkgJson = require.resolve("@pulumi/pulumi/package.json");
const pulumiDir = path.dirname(pulumiPkgJson);
const requireFromPulumi = createRequire(pulumiPkgJson);
const grpc = requireFromPulumi("@grpc/grpc-js");
const structproto = requireFromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptyproto = requireFromPulumi("google-protobuf/google/protobuf/empty_pb");
const analyzerpb = require(path.join(pulumiDir, "proto", "analyzer_pb.js"));
const analyzergrpc = require(path.join(pulumiDir, "proto", "analyzer_grpc_pb.js"));

const RUN_POLICY_PACK = path.join(pulumiDir, "cmd", "run-policy-pack");
const DEFAULT_ENGINE_ADDRESS = "127.0.0.1:1"; // never dialled by run-policy-pack
const LAUNCH_TIMEOUT_MS = 30_000;

/** The engine's sentinel for an unknown string or number (also used for unknown lists/objects here). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Keys of the engine's wire encoding of secrets. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];
const LEVEL_TO_PROTO = {
    advisory: analyzerpb.EnforcementLevel.ADVISORY,
    mandatory: analyzerpb.EnforcementLevel.MANDATORY,
    disabled: analyzerpb.EnforcementLevel.DISABLED,
    remediate: analyzerpb.EnforcementLevel.REMEDIATE,
};
const PROTO_TO_LEVEL = Object.fromEntries(Object.entries(LEVEL_TO_PROTO).map(([k, v]) => [v, k]));

const SEVERITY_NAMES = { 1: "low", 2: "medium", 3: "high", 4: "critical" };

function levelName(protoLevel) {
    return PROTO_TO_LEVEL[protoLevel] ?? `unknown(${protoLevel})`;
}

// ---------------------------------------------------------------------------
// Unknowns and secrets

/**
 * Converts a value captured under `pulumi.runtime.setMocks` into the engine's wire form:
 * `{__pulumiUnknown: true}` objects (the SDK's `unknown`) and Output values that could not
 * be resolved become the UNKNOWN sentinel. Everything else is copied as plain JSON.
 */
function toEngineValue(value) {
    if (value === undefined || value === null) {
        return value;
    }
    if (typeof value === "object" || typeof value === "function") {
        if (value.__pulumiUnknown === true) {
            return UNKNOWN;
        }
        if (value.__pulumiOutput === true) {
            // An Output cannot be read synchronously; under mocks an Output that reaches
            // this point was not resolved, which is what preview reports as unknown.
            return UNKNOWN;
        }
        if (Array.isArray(value)) {
            return value.map((v) => {
                const converted = toEngineValue(v);
                return converted === undefined ? null : converted;
            });
        }
        if (typeof value === "function") {
            return undefined;
        }
        const out = {};
        for (const [k, v] of Object.entries(value)) {
            const converted = toEngineValue(v);
            if (converted !== undefined) {
                out[k] = converted;
            }
        }
        return out;
    }
    return value;
}

/** True when a value is the engine's unknown sentinel. */
function isUnknown(value) {
    return value === UNKNOWN;
}

/** Wraps a value the way the engine marks secrets on the wire. */
function secret(value) {
    return { [SIG_KEY]: SECRET_SIG, value };
}

// ---------------------------------------------------------------------------
// Configuration, as the CLI reconciles it

/**
 * Parses a `--policy-pack-config` object (already JSON-parsed) into
 * `{ name: {enforcementLevel?, properties?} }`, with the CLI's checks: a value is a level
 * string or an object whose optional `enforcementLevel` is a level string; empty entries
 * are dropped.
 */
function parsePolicyPackConfig(fileConfig) {
    const result = {};
    if (fileConfig === undefined || fileConfig === null) {
        return result;
    }
    if (typeof fileConfig !== "object" || Array.isArray(fileConfig)) {
        throw new ConfigError("policy pack config must be a JSON object");
    }
    for (const [name, value] of Object.entries(fileConfig)) {
        let enforcementLevel;
        let properties;
        if (typeof value === "string") {
            if (!LEVELS.includes(value)) {
                throw new ConfigError(`parsing enforcement level for "${name}": "${value}" is not a valid enforcement level`);
            }
            enforcementLevel = value;
        } else if (value && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel: level, ...rest } = value;
            if (level !== undefined) {
                if (typeof level !== "string" || !LEVELS.includes(level)) {
                    throw new ConfigError(
                        `parsing enforcement level for "${name}": ${JSON.stringify(level)} is not a valid enforcement level`,
                    );
                }
                enforcementLevel = level;
            }
            if (Object.keys(rest).length > 0) {
                properties = rest;
            }
        } else {
            throw new ConfigError(`parsing "${name}": ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
        if (enforcementLevel === undefined && properties === undefined) {
            continue;
        }
        result[name] = { enforcementLevel, properties };
    }
    return result;
}

function applyConfig(result, toApply) {
    const all = toApply.all;
    if (all && all.enforcementLevel) {
        for (const name of Object.keys(result)) {
            result[name] = { enforcementLevel: all.enforcementLevel, properties: result[name].properties };
        }
    }
    for (const [name, given] of Object.entries(toApply)) {
        let enforcementLevel;
        let properties;
        if (result[name]) {
            enforcementLevel = result[name].enforcementLevel;
            properties = result[name].properties;
        }
        if (given.enforcementLevel) {
            enforcementLevel = given.enforcementLevel;
        }
        if (given.properties && Object.keys(given.properties).length > 0) {
            properties = { ...(properties ?? {}), ...given.properties };
        }
        result[name] = { enforcementLevel, properties };
    }
    return result;
}

/**
 * Reproduces the CLI's handling of `--policy-pack-config`: start from each policy's
 * schema defaults and its default enforcement level (as GetAnalyzerInfo reports them),
 * apply the pack's initial config, then the file: `all` sets every policy's level, then
 * per-policy entries (a level string, or `{enforcementLevel?, ...options}`).
 * Like the CLI, entries whose key is not a policy (including `all`) are passed on too;
 * the SDK ignores them. JSON Schema validation is not done here.
 *
 * @returns `{ [policyName]: {enforcementLevel, properties} }`, what `configure()` sends.
 */
function reconcileConfig(analyzerInfo, fileConfig) {
    const result = {};
    for (const policy of analyzerInfo.policies) {
        const properties = {};
        const schemaProps = (policy.configSchema && policy.configSchema.properties) || {};
        for (const [k, schema] of Object.entries(schemaProps)) {
            if (schema && typeof schema === "object" && "default" in schema) {
                properties[k] = structuredClone(schema.default);
            }
        }
        result[policy.name] = {
            enforcementLevel: policy.enforcementLevel,
            properties: Object.keys(properties).length > 0 ? properties : undefined,
        };
    }
    if (analyzerInfo.initialConfig && Object.keys(analyzerInfo.initialConfig).length > 0) {
        applyConfig(result, analyzerInfo.initialConfig);
    }
    applyConfig(result, parsePolicyPackConfig(fileConfig));
    return result;
}

class ConfigError extends Error {
    constructor(message) {
        super(message);
        this.name = "ConfigError";
    }
}

// ---------------------------------------------------------------------------
// Message building

function toStruct(obj) {
    return structproto.Struct.fromJavaScript(obj ?? {});
}

function makeOptions({ parent } = {}) {
    const opts = new analyzerpb.AnalyzerResourceOptions();
    if (parent) {
        opts.setParent(parent);
    }
    return opts;
}

function makeAnalyzeRequest({ type, urn, name, properties, parent }) {
    const req = new analyzerpb.AnalyzeRequest();
    req.setType(type);
    req.setUrn(urn ?? "");
    req.setName(name ?? "");
    req.setProperties(toStruct(properties));
    req.setOptions(makeOptions({ parent }));
    return req;
}

function makeAnalyzerResource({ type, urn, name, properties, parent, dependencies, propertyDependencies }) {
    const r = new analyzerpb.AnalyzerResource();
    r.setType(type);
    r.setUrn(urn ?? "");
    r.setName(name ?? "");
    r.setProperties(toStruct(properties));
    r.setOptions(makeOptions({ parent }));
    if (parent) {
        r.setParent(parent);
    }
    const deps = new Set(dependencies ?? []);
    for (const urns of Object.values(propertyDependencies ?? {})) {
        for (const u of urns) deps.add(u);
    }
    if (deps.size > 0) {
        r.setDependenciesList([...deps]);
    }
    const map = r.getPropertydependenciesMap();
    for (const [prop, urns] of Object.entries(propertyDependencies ?? {})) {
        const pd = new analyzerpb.AnalyzerPropertyDependencies();
        pd.setUrnsList(urns);
        map.set(prop, pd);
    }
    return r;
}

// `defaultUrn`: the SDK leaves the URN of resource-level (Analyze) violations empty and the
// CLI attributes them to the analyzed resource; do the same.
// `message` is what the CLI shows: the SDK puts the policy's description on its first line.
// `violation` is the message without that description (what the policy reported).
function diagnosticsOf(resp, defaultUrn = "") {
    return resp.getDiagnosticsList().map((d) => {
        const description = d.getDescription();
        const message = d.getMessage();
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
function notApplicableOf(resp) {
    return resp.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
}

function structToJs(s) {
    return s ? s.toJavaScript() : undefined;
}

function analyzerInfoOf(info) {
    const initialConfig = {};
    for (const [name, pc] of info.getInitialconfigMap().entries()) {
        initialConfig[name] = {
            enforcementLevel: levelName(pc.getEnforcementlevel()),
            properties: structToJs(pc.getProperties()),
        };
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
        policies: info.getPoliciesList().map((p) => {
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
                configSchema: schema
                    ? { properties: structToJs(schema.getProperties()) ?? {}, required: schema.getRequiredList() }
                    : undefined,
            };
        }),
    };
}

// ---------------------------------------------------------------------------
// Client

const RPC_DEADLINE_MS = 60_000;

function unary(client, method, req) {
    return new Promise((resolve, reject) => {
        client[method](req, { deadline: Date.now() + RPC_DEADLINE_MS }, (err, resp) => {
            if (err) {
                const e = new Error(`${method} failed: ${err.details || err.message}`);
                e.code = err.code;
                e.cause = err;
                reject(e);
            } else {
                resolve(resp);
            }
        });
    });
}

/** A client for a running analyzer at `address` (host:port). */
function createClient(address) {
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
        /** policyConfig: `{ [policy]: {enforcementLevel, properties?} }`, e.g. reconcileConfig()'s result. */
        async configure(policyConfig) {
            const req = new analyzerpb.ConfigureAnalyzerRequest();
            const map = req.getPolicyconfigMap();
            for (const [name, c] of Object.entries(policyConfig ?? {})) {
                const level = c.enforcementLevel ?? "advisory";
                if (!(level in LEVEL_TO_PROTO)) {
                    throw new ConfigError(`"${name}": "${level}" is not a valid enforcement level`);
                }
                const pc = new analyzerpb.PolicyConfig();
                pc.setEnforcementlevel(LEVEL_TO_PROTO[level]);
                // Always set properties: the SDK calls getProperties().toJavaScript().
                pc.setProperties(toStruct(c.properties ?? {}));
                map.set(name, pc);
            }
            await unary(raw, "configure", req);
        },
        /**
         * ConfigureStack, as the engine sends it before analysing a stack: `{stack, project,
         * organization, dryRun, tags}` (tags: the stack's tags, an object).
         */
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
        /** resource: `{type, urn, name, properties, parent?}`; properties in wire form. */
        async analyze(resource) {
            return diagnosticsOf(await unary(raw, "analyze", makeAnalyzeRequest(resource)), resource.urn ?? "");
        },
        /** Analyze, with the response's `not_applicable` list: `{diagnostics, notApplicable}`. */
        async analyzeFull(resource) {
            const resp = await unary(raw, "analyze", makeAnalyzeRequest(resource));
            return { diagnostics: diagnosticsOf(resp, resource.urn ?? ""), notApplicable: notApplicableOf(resp) };
        },
        /**
         * Remediate (run before Analyze for policies at level `remediate`): the list of
         * `{policyName, properties, diagnostic}`; `properties` are the replaced inputs in wire form.
         */
        async remediate(resource) {
            const resp = await unary(raw, "remediate", makeAnalyzeRequest(resource));
            return resp.getRemediationsList().map((r) => ({
                policyName: r.getPolicyname(),
                properties: r.getProperties() ? r.getProperties().toJavaScript() : undefined,
                diagnostic: r.getDiagnostic(),
            }));
        },
        /** resources: `[{type, urn, name, properties, propertyDependencies?, parent?, dependencies?}]`. */
        async analyzeStack(resources) {
            const req = new analyzerpb.AnalyzeStackRequest();
            req.setResourcesList(resources.map(makeAnalyzerResource));
            return diagnosticsOf(await unary(raw, "analyzeStack", req));
        },
        /** AnalyzeStack, with the response's `not_applicable` list: `{diagnostics, notApplicable}`. */
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

/**
 * Launches the pack in `packDir` as the Pulumi CLI does and connects to it.
 * Resolves to the client (see createClient) with `close()` that also kills the child,
 * `stderr()` (what the pack printed so far) and `child`.
 */
function launchPack(packDir, { env, engineAddress = DEFAULT_ENGINE_ADDRESS, timeoutMs = LAUNCH_TIMEOUT_MS } = {}) {
    const dir = path.resolve(packDir);
    const child = childProcess.spawn(process.execPath, [RUN_POLICY_PACK, engineAddress, dir], {
        cwd: dir,
        env: { ...process.env, ...(env ?? {}) },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d) => {
        // The SDK prints stack traces with ANSI colours even into a pipe: drop them.
        stderr += d.replace(/\x1b\[[0-9;]*m/g, "");
    });
    child.stdout.setEncoding("utf8");

    return new Promise((resolve, reject) => {
        let settled = false;
        const fail = (why) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGKILL");
            }
            // Give stderr a moment to drain after an exit.
            setTimeout(() => {
                const err = new Error(
                    `policy pack in ${dir} failed to start: ${why}` +
                        (stdout ? `\n--- stdout ---\n${stdout.trimEnd()}` : "") +
                        (stderr ? `\n--- stderr ---\n${stderr.trimEnd()}` : "\n(no stderr)"),
                );
                err.stderr = stderr;
                reject(err);
            }, 50);
        };
        const timer = setTimeout(() => fail(`no port printed within ${timeoutMs / 1000} s`), timeoutMs);
        child.on("error", (e) => fail(e.message));
        child.on("exit", (code, signal) => fail(`exited (${signal ? `signal ${signal}` : `code ${code}`}) before printing its port`));
        child.stdout.on("data", (d) => {
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
                if (child.exitCode === null && child.signalCode === null) {
                    child.kill("SIGTERM");
                }
            };
            resolve({ ...client, port, child, stderr: () => stderr, close });
        });
    });
}

module.exports = {
    /** The generated messages and protobuf helpers, for tests that build raw requests. */
    proto: { analyzerpb, structproto, emptyproto, grpc },
    makeAnalyzeRequest,
    makeAnalyzerResource,
    UNKNOWN,
    SIG_KEY,
    SECRET_SIG,
    LEVELS,
    RUN_POLICY_PACK,
    ConfigError,
    launchPack,
    createClient,
    reconcileConfig,
    parsePolicyPackConfig,
    toEngineValue,
    isUnknown,
    secret,
    levelName,
};
