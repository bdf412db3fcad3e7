#!/usr/bin/env node
"use strict";
// `npm run check -- <programDir> [options]` is `portguard check` (src/cli/check); kept so the
// old `node scripts/check.js <programDir>` keeps working. See `portguard check --help`.
process.argv.splice(2, 0, "check");
require("../bin/portguard.js");
