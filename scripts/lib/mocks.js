"use strict";
// Runs a Pulumi program under mocks in preview mode (src/cli/check/capture.ts, shipped as
// dist/cli/check/capture.js, what `portguard check` uses) and returns its registrations as the
// tests and the docs snippets check read them: `{project, stack, resources}` with each resource
// `{type, name, urn, parent, custom, remote, inputs, propertyDependencies, dependencies}`, inputs
// in the form the engine sends an analyzer. Needs `npm run build`.
const check = require("../../dist/cli/check/capture.js");

async function capture(programDir, { stack, config, mocks } = {}) {
    const r = await check.capture(programDir, { stack, config, mocks });
    return {
        project: r.project.name,
        stack: r.stack.stack,
        resources: r.resources.map(({ properties, ...c }) => ({ ...c, inputs: properties })),
        invokes: r.invokes,
    };
}

module.exports = { capture, CaptureError: check.CaptureError, findEntry: check.findEntry, UNKNOWN: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" };
