/**
 * The `portguard` command line (bin/portguard.js runs this). The only module that loads
 * commander; the pack and src/cli/index.ts never do.
 */
import { Command, CommanderError, Option } from "commander";
import { OUTPUTS, runScan, toolInfo, type Io, type ScanCommandOptions } from "./command";
import type { VarArg } from "./formats/hcl/vars";
import { FORMATS } from "./formats/types";

export async function main(argv: readonly string[], io: Io): Promise<number> {
    let code: number | undefined;
    // --var and --var-file in command-line order: Terraform applies them interleaved, the later
    // one winning, so both options append to this one list (commander keeps each option apart).
    const vars: VarArg[] = [];
    const collect = (kind: VarArg["kind"]) => (value: string) => {
        vars.push({ kind, value });
        return vars;
    };
    const program = new Command("portguard")
        .description("portguard: the policy pack's verdicts on firewall rules, offline")
        .version(toolInfo().version, "-V, --version")
        .exitOverride()
        .showSuggestionAfterError(true)
        .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
    program
        .command("scan")
        .description(
            "scan `pulumi preview --json`, `pulumi stack export`, or `terraform show -json` (plan or state) output, or Terraform/OpenTofu configurations (.tf, .tf.json, .tofu) without a plan; directories are searched for them",
        )
        .argument("<inputs...>", "files, directories (a directory with .tf files is a root module), or - for stdin")
        .addOption(new Option("-f, --format <format>", "input format").choices(["auto", ...FORMATS]).default("auto"))
        .option("-c, --config <file>", "policy options and levels, in the --policy-pack-config shape")
        .addOption(new Option("-o, --output <format>", "output format").choices([...OUTPUTS]).default("text"))
        .option("--output-file <file>", "write the output to a file instead of stdout")
        .addOption(new Option("--color <when>", "colour the text output").choices(["auto", "always", "never"]).default("auto"))
        .option("--docs-base-url <url>", "base URL for the policy documentation links in SARIF (default: relative docs/policies/<name>.md)")
        .option("--no-progress", "never show the progress line (shown on stderr only when it is a terminal)")
        .option("-r, --recursive", "scan every Terraform root module below a directory (directories with .tf files that no other scanned module calls)")
        .option("--var <name=value>", "set a root module variable for .tf inputs (repeatable; as terraform -var; with --var-file, later ones override earlier ones)", collect("var"))
        .option("--var-file <file>", "read root module variables from a .tfvars or .tfvars.json file for .tf inputs (repeatable; as terraform -var-file)", collect("var-file"))
        .addHelpText("after", "\nExit codes: 0 no mandatory violation, 1 mandatory violations, 2 usage error or unreadable input.")
        .action(async (inputs: string[], opts: ScanCommandOptions & { var?: unknown; varFile?: unknown }) => {
            const { var: _var, varFile: _varFile, ...rest } = opts;
            code = await runScan(inputs, { ...rest, ...(vars.length ? { vars } : {}) }, io);
        });
    program
        .command("check")
        .description("run a Pulumi program (TypeScript or JavaScript) offline under mocks and judge what it registers with the pack, as `pulumi preview --policy-pack` would")
        .argument("<program-dir>", "the Pulumi project directory (with Pulumi.yaml)")
        .option("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml config to use (default: the only stack file, else dev)")
        .option("--config <key=value>", "set a config value (repeatable; overrides Pulumi.<stack>.yaml)", (v: string, prev: string[] = []) => [...prev, v])
        .option("--policy-pack-config <file>", "policy options and levels, as `pulumi preview --policy-pack-config`")
        .option("--mocks <file>", "JS/TS module exporting call(args) and/or newResource(args) answers for data sources and resources")
        .addOption(new Option("-o, --output <format>", "output format").choices([...OUTPUTS]).default("text"))
        .option("--output-file <file>", "write the output to a file instead of stdout")
        .addOption(new Option("--color <when>", "colour the text output").choices(["auto", "always", "never"]).default("auto"))
        .option("--docs-base-url <url>", "base URL for the policy documentation links in SARIF")
        .addHelpText("after", "\nExit codes: 0 no mandatory violation, 1 mandatory violations (`pulumi preview` would fail), 2 usage error or the program could not be run.")
        .action(async (dir: string, opts: Record<string, unknown>) => {
            // Loaded only when `check` runs: nothing of it is needed by `scan` or the pack.
            const { runCheck } = require("./check/run") as typeof import("./check/run");
            code = await runCheck(dir, opts, io);
        });
    try {
        await program.parseAsync([...argv], { from: "user" });
    } catch (e) {
        if (e instanceof CommanderError) {
            if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || (e.code === "commander.help" && e.exitCode === 0)) return 0;
            return 2; // commander already printed the one-line error (or the help, for no command)
        }
        throw e;
    }
    if (code === undefined) {
        io.stderr.write(program.helpInformation());
        return 2;
    }
    return code;
}

/** Entry point of bin/portguard.js. */
export function run(): void {
    const io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
    main(process.argv.slice(2), io).then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(`portguard: internal error (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); please report this\n`);
            if (process.env.PORTGUARD_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
            process.exitCode = 2;
        },
    );
}

if (require.main === module) run();
