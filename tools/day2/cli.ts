import { parseDay2Args } from "./args";
import { runDay2Scenario } from "./run";
import { day2Passed } from "./scenario";

/**
 * `npm run day2 -- --scenario rotate-password|rotate-cert|scale-replicas|scale-shards [--json] [--keep]`:
 * runs one day-2 scenario on local Redis processes, printing a line per step. With `--json` the last line
 * is one JSON object `{"scenario":...,"failed_commands":N,"acked_writes":{"sent":...,"lost":...}}`. Exits 0
 * when no command failed, no acknowledged write was lost and every check passed; 1 otherwise; 2 on bad
 * arguments. `--keep` keeps the run directory (every process's log) for a post-mortem. `npm run drill` hands
 * these scenarios here too.
 */
export async function runDay2Command(argv: readonly string[]): Promise<number> {
    let args;
    try {
        args = parseDay2Args(argv);
    } catch (error) {
        console.error((error as Error).message);
        return 2;
    }
    const started = Date.now();
    const progress = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);
    const outcome = await runDay2Scenario(args.scenario, { progress, keepDir: args.keep });
    const passed = day2Passed(outcome);
    if (args.json) {
        console.log(JSON.stringify(outcome.result));
    } else {
        const { result } = outcome;
        console.log(`${result.scenario}: ${result.failed_commands} failed commands, ${result.acked_writes.sent} acknowledged writes, ${result.acked_writes.lost} lost, ` +
            `${outcome.checks.filter((check) => check.ok).length}/${outcome.checks.length} checks passed: ${passed ? "PASS" : "FAIL"}`);
    }
    return passed ? 0 : 1;
}

/** Runs {@link runDay2Command} on the process's arguments and exits with its code. */
export function runDay2Cli(argv: readonly string[]): void {
    runDay2Command(argv).then(
        (code) => process.exit(code),
        (error: unknown) => {
            console.error(`day2: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
        },
    );
}

if (require.main === module) {
    runDay2Cli(process.argv.slice(2));
}
