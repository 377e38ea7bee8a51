import { rotateCert } from "./scenarios/rotateCert";
import { rotatePassword } from "./scenarios/rotatePassword";
import { scaleReplicas } from "./scenarios/scaleReplicas";
import { scaleClusterReplicas } from "./scenarios/scaleClusterReplicas";
import { scaleShards } from "./scenarios/scaleShards";
import { switchover } from "./scenarios/switchover";
import { upgradeEngine } from "./scenarios/upgradeEngine";
import { DAY2_SCENARIOS, Day2Options, Day2Outcome, Day2Scenario, Day2ScenarioName } from "./scenario";

/** Every day-2 scenario by name. */
export const DAY2_SCENARIO_MODULES: Readonly<Record<Day2ScenarioName, Day2Scenario>> = {
    "rotate-password": rotatePassword,
    "rotate-cert": rotateCert,
    "scale-replicas": scaleReplicas,
    "scale-shards": scaleShards,
    "scale-cluster-replicas": scaleClusterReplicas,
    switchover,
    "upgrade-engine": upgradeEngine,
};

/** Whether `name` is a day-2 scenario. */
export function isDay2Scenario(name: string): name is Day2ScenarioName {
    return (DAY2_SCENARIOS as readonly string[]).includes(name);
}

/**
 * Runs one day-2 scenario on local processes and returns its figures and checks. This is the one entry
 * point `npm run drill -- --scenario <name>` calls.
 *
 * @throws Error naming the scenarios when `name` is none of them
 */
export async function runDay2Scenario(name: string, options: Day2Options = {}): Promise<Day2Outcome> {
    if (!isDay2Scenario(name)) {
        throw new Error(`unknown day-2 scenario "${name}": use one of ${DAY2_SCENARIOS.join(", ")}`);
    }
    return DAY2_SCENARIO_MODULES[name](options);
}
