import { CliIo, CliMain, cliMain, CliSpec, flagsOf, JSON_FLAG } from "../cli";
import { Day2CliArgs, day2ArgsFrom } from "./args";
import { runDay2Scenario } from "./run";
import { DAY2_SCENARIOS, day2Passed } from "./scenario";

/** `npm run day2`: see the summary. `npm run drill` hands these scenarios here too. */
export const DAY2_SPEC: CliSpec = {
    name: "day2",
    summary: "run one day-2 operation (password or certificate rotation, adding replicas or shards) on local Redis processes under client load, and check that no command failed and no acknowledged write was lost",
    usage: [`--scenario ${DAY2_SCENARIOS.join("|")} [--json] [--keep]`],
    flags: {
        scenario: { type: "string", value: `<${DAY2_SCENARIOS.join("|")}>`, description: "the operation; required" },
        json: { ...JSON_FLAG, description: 'print {status: passed|failed, scenario, failed_commands, acked_writes: {sent, lost}, checks} on stdout; steps go to stderr' },
        keep: { type: "boolean", description: "keep the run directory (every process's log) for a post-mortem" },
    },
    ports: "random free loopback ports (never 6379): 3-9 redis-server/redis-sentinel processes",
    duration: "about 30 s to 2 min per scenario",
    exitCodes: { 1: "a command failed, an acknowledged write was lost, or a check failed" },
};

/**
 * Runs one day-2 scenario, printing a line per step on stderr and the outcome on stdout.
 *
 * @returns 0 when no command failed, no acknowledged write was lost and every check passed; 1 otherwise
 */
export async function runDay2(args: Day2CliArgs, io: CliIo): Promise<number> {
    const started = Date.now();
    const progress = (line: string) => io.stderr(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);
    const outcome = await runDay2Scenario(args.scenario, { progress, keepDir: args.keep });
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

const main: CliMain = ({ values }, io) => runDay2(day2ArgsFrom(values), io);

/** Runs `npm run day2` (exported for the CLI test table). */
export const day2Main = main;

/** Parses `argv` as day2's arguments: for callers that hold raw arguments. Pure. */
export function parseDay2Args(argv: readonly string[]): Day2CliArgs {
    return day2ArgsFrom(flagsOf(DAY2_SPEC, argv));
}

if (require.main === module) {
    cliMain(DAY2_SPEC, main);
}
