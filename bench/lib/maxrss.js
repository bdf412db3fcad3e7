"use strict";
// Preloaded (`node --require bench/lib/maxrss.js ...`) into a process whose peak memory the
// benchmarks report: at exit it writes process.resourceUsage().maxRSS (kB) to the file named by
// PORTGUARD_BENCH_MAXRSS.
const fs = require("node:fs");
const out = process.env.PORTGUARD_BENCH_MAXRSS;
if (out) {
    process.on("exit", () => {
        try {
            fs.writeFileSync(out, String(process.resourceUsage().maxRSS));
        } catch {
            // nothing to report to
        }
    });
}
