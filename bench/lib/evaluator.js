"use strict";
// The evaluation entry of a build, for the in-process sections and the golden fingerprint:
// `fresh(options)` gives an object with evaluateResource / evaluateStack that remembers nothing
// from earlier calls. Builds since the evaluator (src/pack/evaluator.ts) make a new Evaluator;
// builds before it (a `--before` commit) had module-level memories in src/pack/engine.ts, which
// are forgotten instead, and `adaptOnce` stands for `unchangingInputs`.
const fs = require("node:fs");
const path = require("node:path");

function evaluatorOf(dist) {
    const file = path.join(dist, "pack", "evaluator.js");
    if (fs.existsSync(file)) {
        const { Evaluator } = require(file);
        return (options = {}) => new Evaluator(options);
    }
    const engine = require(path.join(dist, "pack", "engine"));
    return (options = {}) => {
        engine.forgetInputModels();
        engine.forgetStacks?.();
        const once = options.unchangingInputs && engine.adaptOnce ? engine.adaptOnce : (i) => i;
        return {
            evaluateResource: (d, i, c, n) => engine.evaluateResource(d, once(i), c, n),
            evaluateStack: (d, is, c, n) => engine.evaluateStack(d, is.map(once), c, n),
        };
    };
}

module.exports = { evaluatorOf };
