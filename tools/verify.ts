import { readFileSync } from "node:fs";
import { CliError, CliMain, cliMain } from "./cli";
import { VERIFY_SPEC, verifyArgsFrom } from "./verify/args";
import { parseStackOutputs } from "./verify/outputs";
import { exitCodeFor, formatTable, tally } from "./verify/report";
import { runVerify } from "./verify/run";

/**
 * `npm run verify -- --outputs <file|->`: checks a deployed Redis from `pulumi stack output --json
 * --show-secrets` and prints a pass/fail table (see {@link VERIFY_SPEC}). Never prints a secret: every row is
 * masked against every password in the outputs.
 */
const main: CliMain = async ({ values }, io) => {
    const args = verifyArgsFrom(values);
    let outputs;
    try {
        outputs = parseStackOutputs(readFileSync(args.outputs === "-" ? 0 : args.outputs, "utf8"));
    } catch (error) {
        throw new CliError(`--outputs ${args.outputs}: ${(error as Error).message}`);
    }
    const clientCertificate =
        args.clientCertFile !== undefined && args.clientKeyFile !== undefined
            ? { certPem: readFileSync(args.clientCertFile, "utf8"), keyPem: readFileSync(args.clientKeyFile, "utf8") }
            : outputs.clientCertificate;
    const results = await runVerify(outputs, {
        latencySamples: args.latencySamples,
        maxP99Ms: args.maxP99Ms,
        minCertDays: args.minCertDays,
        roles: args.roles,
        ...(clientCertificate ? { clientCertificate } : {}),
    });
    const heading = `verify: ${outputs.backend ?? "?"} ${outputs.environment ?? "?"} (${outputs.connection.mode}, ${outputs.connection.endpoints.length} endpoints)`;
    const code = exitCodeFor(results);
    if (args.json) {
        io.stdout(`${JSON.stringify({ status: code === 0 ? "passed" : "failed", verify: heading, ok: code === 0, counts: tally(results), results })}\n`);
    } else {
        io.stdout(`${heading}\n\n${formatTable(results)}\n`);
    }
    return code;
};

/** Runs `npm run verify` (exported for the CLI test table). */
export const verifyMain = main;

if (require.main === module) {
    cliMain(VERIFY_SPEC, main);
}
