#!/usr/bin/env node
"use strict";
// `portguard scan ...`: the compiled CLI (npm run build writes dist/).
let cli;
try {
    cli = require("../dist/cli/main.js");
} catch (e) {
    if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).includes("dist/cli/main")) {
        process.stderr.write("portguard: not built yet; run `npm run build` in the portguard directory\n");
        process.exit(2);
    }
    throw e;
}
cli.run();
