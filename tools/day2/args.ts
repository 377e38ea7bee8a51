import { CliError, FlagValues } from "../cli";
import { DAY2_SCENARIOS, Day2ScenarioName } from "./scenario";

/** What `tools/day2/cli.ts` was asked for. */
export interface Day2CliArgs {
    scenario: Day2ScenarioName;
    json: boolean;
    keep: boolean;
}

/**
 * Checks the parsed `--scenario <name> [--json] [--keep]`. Pure.
 *
 * @throws CliError naming the scenario and what is allowed
 */
export function day2ArgsFrom(values: FlagValues): Day2CliArgs {
    const scenario = values.scenario;
    if (typeof scenario !== "string" || !(DAY2_SCENARIOS as readonly string[]).includes(scenario)) {
        throw new CliError(`--scenario must be one of ${DAY2_SCENARIOS.join(", ")}${typeof scenario === "string" ? `, got "${scenario}"` : ""}`);
    }
    return { scenario: scenario as Day2ScenarioName, json: values.json === true, keep: values.keep === true };
}
