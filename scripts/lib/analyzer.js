"use strict";
// The analyzer driver now lives in src/cli/check/analyzer.ts (shipped as
// dist/cli/check/analyzer.js, used by `portguard check`); this re-export keeps the tests and
// bench that drive the pack over gRPC working. Needs `npm run build`.
module.exports = require("../../dist/cli/check/analyzer.js");
