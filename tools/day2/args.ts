import { DAY2_SCENARIOS, Day2ScenarioName } from "./scenario";

/** What `tools/day2/cli.ts` was asked for. */
export interface Day2CliArgs {
    scenario: Day2ScenarioName;
    json: boolean;
    keep: boolean;
}

/**
 * Parses `--scenario <name> [--json] [--keep]`. Pure.
 *
 * @throws Error naming the offending argument and what is allowed
 */
export function parseDay2Args(argv: readonly string[]): Day2CliArgs {
    let scenario: string | undefined;
    let json = false;
    let keep = false;
    for (let index = 0; index < argv.length; index++) {
        const arg = argv[index];
        if (arg === "--scenario") {
            scenario = argv[++index];
        } else if (arg.startsWith("--scenario=")) {
            scenario = arg.slice("--scenario=".length);
        } else if (arg === "--json") {
            json = true;
        } else if (arg === "--keep") {
            keep = true;
        } else {
            throw new Error(`unknown argument "${arg}": use --scenario ${DAY2_SCENARIOS.join("|")} [--json] [--keep]`);
        }
    }
    if (scenario === undefined || !(DAY2_SCENARIOS as readonly string[]).includes(scenario)) {
        throw new Error(`--scenario must be one of ${DAY2_SCENARIOS.join(", ")}${scenario === undefined ? "" : `, got "${scenario}"`}`);
    }
    return { scenario: scenario as Day2ScenarioName, json, keep };
}
