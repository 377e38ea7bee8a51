/**
 * The shape every day-2 scenario shares: what it is called with, what it reports while it runs, and the
 * figures it returns. `npm run drill -- --scenario <name>` and the integration tests run the same modules.
 */

/** The day-2 scenarios. */
export const DAY2_SCENARIOS = ["rotate-password", "rotate-cert", "scale-replicas", "scale-shards", "scale-cluster-replicas", "switchover", "upgrade-engine"] as const;

/** A day-2 scenario name. */
export type Day2ScenarioName = (typeof DAY2_SCENARIOS)[number];

/** How a scenario is run. */
export interface Day2Options {
    /** Receives one line per step while the scenario runs. @default nothing is reported */
    progress?: (line: string) => void;
    /** Keeps the run directory (logs of every process) after the run. @default false */
    keepDir?: boolean;
    /** `upgrade-engine`: the server binaries to upgrade from and to. @default both the installed `redis-server` */
    engineBinaries?: { from?: string; to?: string };
}

/** The figures of a run, as the drill prints them with `--json`. */
export interface Day2Result {
    scenario: Day2ScenarioName;
    /** Commands of the client load that failed (an error, a timeout or a wrong reply). */
    failed_commands: number;
    /** Writes a replica acknowledged (`WAIT 1`), and how many of them were missing when read back. */
    acked_writes: { sent: number; lost: number };
}

/** One property a scenario checked on the running processes besides the figures. */
export interface Day2Check {
    name: string;
    ok: boolean;
    /** Why it failed; never a secret. */
    detail?: string;
}

/** Everything a scenario returns. */
export interface Day2Outcome {
    result: Day2Result;
    checks: Day2Check[];
}

/** A scenario module. */
export type Day2Scenario = (options: Day2Options) => Promise<Day2Outcome>;

/** Whether a run proved what it should: no failed command, no acknowledged write lost, every check passed. */
export function day2Passed(outcome: Day2Outcome): boolean {
    return outcome.result.failed_commands === 0 && outcome.result.acked_writes.lost === 0 && outcome.checks.every((check) => check.ok);
}
