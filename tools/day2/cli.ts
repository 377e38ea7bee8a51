import { readFileSync } from "node:fs";
import { CliError, CliIo, CliMain, cliMain, CliSpec, flagsOf, JSON_FLAG } from "../cli";
import { parseStackOutputs } from "../verify/outputs";
import { redact } from "../verify/report";
import { Day2CliArgs, day2ArgsFrom, SwitchoverCliArgs, switchoverArgsFrom } from "./args";
import { runDay2Scenario } from "./run";
import { DAY2_SCENARIOS, day2Passed } from "./scenario";
import { runSwitchover } from "./switchover";

/** `npm run day2`: see the summary. `npm run drill` hands these scenarios here too. */
export const DAY2_SPEC: CliSpec = {
    name: "day2",
    summary: "move the primary of a deployed Redis to a named node (switchover), or run one day-2 operation (password or certificate rotation, adding replicas or shards, switchover, engine upgrade) on local Redis processes under client load, and check that no command failed and no acknowledged write was lost",
    usage: [
        "switchover --to <node> --outputs <file|-> [--client-cert F --client-key F] [--timeout S] [--json]",
        `--scenario ${DAY2_SCENARIOS.join("|")} [--json] [--keep]`,
        "--scenario upgrade-engine [--from-server <redis-server|valkey-server path>] [--to-server <path>] [--json] [--keep]",
    ],
    details:
        "switchover runs the rendered redis-switchover.sh (the script the redis:selfhosted.switchoverTo Job runs) from this machine with redis-cli against the deployment the stack outputs describe " +
        "(`pulumi stack output --json --show-secrets`): --to is a data node's pod name (redis-1), host or host:port as announced. No secret is printed.",
    positionals: true,
    flags: {
        to: { type: "string", value: "<node>", description: "switchover: the data node that becomes primary (pod name, host or host:port); required" },
        outputs: { type: "string", value: "<file|->", description: "switchover: pulumi stack output --json --show-secrets (a file, or - for stdin); required" },
        "client-cert": { type: "string", value: "<file>", description: "switchover: PEM client certificate, when the nodes require mTLS (default: the clientCertificate output)" },
        "client-key": { type: "string", value: "<file>", description: "switchover: its PEM key" },
        timeout: { type: "string", value: "<s>", description: "switchover: seconds each step may take (default 30)" },
        scenario: { type: "string", value: "<name>", description: `the scenario on local processes: ${DAY2_SCENARIOS.join(", ")}` },
        "from-server": { type: "string", value: "<path>", description: "upgrade-engine: the server binary the nodes start on (default redis-server)" },
        "to-server": { type: "string", value: "<path>", description: "upgrade-engine: the server binary they are upgraded to (default: the --from-server one)" },
        json: { ...JSON_FLAG, description: 'print one JSON object on stdout: {status, scenario, failed_commands, acked_writes: {sent, lost}, checks}, or for switchover {status, switchover: [{from, to, changed}], seconds}; steps go to stderr' },
        keep: { type: "boolean", description: "keep the run directory (every process's log) for a post-mortem" },
    },
    ports: "switchover: none opened, connects to the nodes and sentinels of the outputs; scenarios: random free loopback ports (never 6379), 3-9 redis-server/redis-sentinel processes",
    duration: "switchover: a few seconds; scenarios: about 30 s to 2 min each",
    exitCodes: { 1: "the switchover failed, or in a scenario a command failed, an acknowledged write was lost, or a check failed" },
};

/**
 * Runs one day-2 scenario, printing a line per step on stderr and the outcome on stdout.
 *
 * @returns 0 when no command failed, no acknowledged write was lost and every check passed; 1 otherwise
 */
export async function runDay2(args: Day2CliArgs, io: CliIo): Promise<number> {
    const started = Date.now();
    const progress = (line: string) => io.stderr(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);
    const outcome = await runDay2Scenario(args.scenario, { progress, keepDir: args.keep, ...(args.engineBinaries ? { engineBinaries: args.engineBinaries } : {}) });
    const passed = day2Passed(outcome);
    const { result } = outcome;
    if (args.json) {
        io.stdout(`${JSON.stringify({ status: passed ? "passed" : "failed", ...result, checks: outcome.checks })}\n`);
    } else {
        io.stdout(
            `${result.scenario}: ${result.failed_commands} failed commands, ${result.acked_writes.sent} acknowledged writes, ${result.acked_writes.lost} lost, ` +
                `${outcome.checks.filter((check) => check.ok).length}/${outcome.checks.length} checks passed: ${passed ? "PASS" : "FAIL"}\n`,
        );
    }
    return passed ? 0 : 1;
}

/**
 * Moves the primary of the deployment the outputs describe. Every line printed is masked against every
 * secret in the outputs.
 *
 * @returns 0 when the named node is primary at the end
 * @throws CliError (exit 2) when the outputs cannot be read; an Error (exit 1) when the switchover fails
 */
export async function runSwitchoverCli(args: SwitchoverCliArgs, io: CliIo): Promise<number> {
    let outputs;
    try {
        outputs = parseStackOutputs(readFileSync(args.outputs === "-" ? 0 : args.outputs, "utf8"));
    } catch (error) {
        throw new CliError(`--outputs ${args.outputs}: ${(error as Error).message}`);
    }
    const mask = (text: string) => redact(text, outputs.secrets);
    const clientCertificate =
        args.clientCertFile !== undefined && args.clientKeyFile !== undefined
            ? { certPem: readFileSync(args.clientCertFile, "utf8"), keyPem: readFileSync(args.clientKeyFile, "utf8") }
            : undefined;
    const started = Date.now();
    try {
        const moves = await runSwitchover(outputs, args.to, {
            progress: (line) => io.stderr(`${mask(line)}\n`),
            ...(clientCertificate ? { clientCertificate } : {}),
            ...(args.timeoutSeconds !== undefined ? { timeoutSeconds: args.timeoutSeconds } : {}),
        });
        const seconds = Number(((Date.now() - started) / 1000).toFixed(1));
        if (args.json) {
            io.stdout(`${JSON.stringify({ status: "passed", switchover: moves, seconds })}\n`);
        } else {
            io.stdout(moves.map((move) => (move.changed ? `switchover: ${move.from} -> ${move.to} in ${seconds} s\n` : `switchover: ${move.to} is the primary already\n`)).join(""));
        }
        return 0;
    } catch (error) {
        throw new Error(mask((error as Error).message));
    }
}

const main: CliMain = ({ values, positionals }, io) => {
    if (positionals.length === 0) {
        return runDay2(day2ArgsFrom(values), io);
    }
    if (positionals.length === 1 && positionals[0] === "switchover") {
        return runSwitchoverCli(switchoverArgsFrom(values), io);
    }
    throw new CliError(`unknown operation "${positionals.join(" ")}": the only operation is switchover; scenarios take --scenario <name>`);
};

/** Runs `npm run day2` (exported for the CLI test table). */
export const day2Main = main;

/** Parses `argv` as day2's scenario arguments: for callers that hold raw arguments. Pure. */
export function parseDay2Args(argv: readonly string[]): Day2CliArgs {
    return day2ArgsFrom(flagsOf(DAY2_SPEC, argv));
}

if (require.main === module) {
    cliMain(DAY2_SPEC, main);
}
