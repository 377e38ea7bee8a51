import { readFileSync } from "node:fs";
import { parseVerifyArgs } from "./verify/args";
import { parseStackOutputs } from "./verify/outputs";
import { exitCodeFor, formatTable, tally } from "./verify/report";
import { runVerify } from "./verify/run";

/**
 * `npm run verify -- --outputs <file|->`: checks a deployed Redis from `pulumi stack output --json
 * --show-secrets` and prints a pass/fail table. Exits 1 when a check fails, 2 on bad arguments or outputs.
 * Never prints a secret: every row is masked against every password in the outputs.
 */
async function main(): Promise<number> {
    let args;
    let outputs;
    try {
        args = parseVerifyArgs(process.argv.slice(2));
        outputs = parseStackOutputs(readFileSync(args.outputs === "-" ? 0 : args.outputs, "utf8"));
    } catch (error) {
        process.stderr.write(`verify: ${(error as Error).message}\n`);
        return 2;
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
    if (args.json) {
        process.stdout.write(`${JSON.stringify({ verify: heading, ok: exitCodeFor(results) === 0, counts: tally(results), results })}\n`);
    } else {
        process.stdout.write(`${heading}\n\n${formatTable(results)}\n`);
    }
    return exitCodeFor(results);
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        // Not the error's stack or fields: they may hold connection options, which hold passwords.
        process.stderr.write(`verify: ${error instanceof Error ? error.message.split("\n")[0] : "failed"}\n`);
        process.exitCode = 2;
    },
);
