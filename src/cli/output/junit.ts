/**
 * JUnit XML: one test suite per input, one test case per judged resource and enabled policy.
 * A mandatory violation is a `<failure>`; advisory ones leave the case passing and are listed
 * in its `<system-out>` (the exit code follows the same rule).
 */
import type { ScanFinding } from "../scan";
import { locationText, plural, type Report } from "./report";

/** A finding's message, led by its `file:line:column` when it has one (HCL inputs). */
function said(f: ScanFinding, prefix = ""): string {
    const at = locationText(f);
    return `${at ? `${at}: ` : ""}${prefix}${f.message}${f.note ? `\n${f.note}` : ""}`;
}

function xml(s: string): string {
    return s
        .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/gu, "")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&apos;");
}

export function renderJunit(r: Report): string {
    const active = r.settings.filter((s) => s.level !== "disabled");
    const suites: string[] = [];
    let tests = 0;
    let failures = 0;
    for (const s of r.stacks) {
        const byKey = new Map<string, ScanFinding[]>();
        for (const f of s.findings) {
            const k = `${f.urn}\u0000${f.policy}`;
            let l = byKey.get(k);
            if (!l) byKey.set(k, (l = []));
            l.push(f);
        }
        const cases: string[] = [];
        let suiteFailures = 0;
        for (const res of s.judged) {
            for (const p of active) {
                const fs = byKey.get(`${res.urn}\u0000${p.def.name}`) ?? [];
                const mandatory = fs.filter((f) => f.level === "mandatory");
                const advisory = fs.filter((f) => f.level === "advisory");
                const who = res.address ?? res.name;
                const first = fs.find((f) => f.location);
                const fileAttrs = first?.location ? ` file="${xml(first.location.uri)}" line="${first.location.line}"` : "";
                const attrs = `classname="${xml(`${s.stack}.${res.sourceType ?? res.type}`)}" name="${xml(`${p.def.name}: ${who}`)}"${fileAttrs}`;
                let body = "";
                if (mandatory.length) {
                    suiteFailures++;
                    body += `\n      <failure type="mandatory" message="${xml(`${plural(mandatory.length, "mandatory violation")} of ${p.def.name}`)}">${xml(mandatory.map((f) => said(f)).join("\n\n"))}</failure>`;
                }
                if (advisory.length) body += `\n      <system-out>${xml(advisory.map((f) => said(f, "[advisory] ")).join("\n\n"))}</system-out>`;
                cases.push(body ? `    <testcase ${attrs}>${body}\n    </testcase>` : `    <testcase ${attrs}/>`);
            }
        }
        // findings on something no adapter judged (a module call not read, from .tf inputs): one case each
        const judgedUrns = new Set(s.judged.map((j) => j.urn));
        for (const [k, fs] of byKey) {
            if (judgedUrns.has(fs[0].urn)) continue;
            const f = fs[0];
            const fileAttrs = f.location ? ` file="${xml(f.location.uri)}" line="${f.location.line}"` : "";
            const attrs = `classname="${xml(`${s.stack}.${f.sourceType ?? f.type}`)}" name="${xml(`${f.policy}: ${f.address ?? f.name}`)}"${fileAttrs}`;
            const mandatory = fs.filter((x) => x.level === "mandatory");
            const advisory = fs.filter((x) => x.level === "advisory");
            let body = "";
            if (mandatory.length) {
                suiteFailures++;
                body += `\n      <failure type="mandatory" message="${xml(`${plural(mandatory.length, "mandatory violation")} of ${f.policy}`)}">${xml(mandatory.map((x) => said(x)).join("\n\n"))}</failure>`;
            }
            if (advisory.length) body += `\n      <system-out>${xml(advisory.map((x) => said(x, "[advisory] ")).join("\n\n"))}</system-out>`;
            cases.push(`    <testcase ${attrs}>${body}\n    </testcase>`);
            void k;
        }
        tests += cases.length;
        failures += suiteFailures;
        const name = s.source === "-" ? s.stack : s.stack === s.source ? s.source : `${s.stack} (${s.source})`;
        suites.push(`  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="0">\n${cases.join("\n")}${cases.length ? "\n" : ""}  </testsuite>`);
    }
    for (const e of r.errors) {
        tests++;
        suites.push(`  <testsuite name="${xml(e.source)}" tests="1" failures="0" errors="1" skipped="0">\n    <testcase classname="portguard" name="read ${xml(e.source)}">\n      <error message="${xml(e.message)}"/>\n    </testcase>\n  </testsuite>`);
    }
    const errors = r.errors.length;
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="portguard" tests="${tests}" failures="${failures}" errors="${errors}">\n${suites.join("\n")}${suites.length ? "\n" : ""}</testsuites>\n`;
}
