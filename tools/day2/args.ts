import { CliError, FlagValues, positiveInteger } from "../cli";
import { DAY2_SCENARIOS, Day2ScenarioName } from "./scenario";

/** What `tools/day2/cli.ts` was asked for: a scenario on local processes. */
export interface Day2CliArgs {
    scenario: Day2ScenarioName;
    json: boolean;
    keep: boolean;
    /** `upgrade-engine`: the server binaries (`--from-server`, `--to-server`). */
    engineBinaries?: { from?: string; to?: string };
}

/** What `npm run day2 -- switchover` was asked for: a switchover of a deployed Redis. */
export interface SwitchoverCliArgs {
    to: string;
    /** A file path, or `-` for standard input. */
    outputs: string;
    json: boolean;
    clientCertFile?: string;
    clientKeyFile?: string;
    timeoutSeconds?: number;
}

/** Flags that only the switchover operation takes. */
export const SWITCHOVER_FLAGS = ["to", "outputs", "client-cert", "client-key", "timeout"] as const;
/** Flags that only the scenarios take. */
const SCENARIO_FLAGS = ["scenario", "keep", "from-server", "to-server"] as const;

function text(values: FlagValues, flag: string): string | undefined {
    return typeof values[flag] === "string" ? (values[flag] as string) : undefined;
}

/**
 * Checks the parsed `--scenario <name> [--json] [--keep] [--from-server F --to-server F]`. Pure.
 *
 * @throws CliError naming the scenario and what is allowed, or a flag that does not belong
 */
export function day2ArgsFrom(values: FlagValues): Day2CliArgs {
    const misplaced = SWITCHOVER_FLAGS.find((flag) => values[flag] !== undefined);
    if (misplaced !== undefined) {
        throw new CliError(`--${misplaced} belongs to the switchover operation: npm run day2 -- switchover --to <node> --outputs <file>`);
    }
    const scenario = values.scenario;
    if (typeof scenario !== "string" || !(DAY2_SCENARIOS as readonly string[]).includes(scenario)) {
        throw new CliError(`--scenario must be one of ${DAY2_SCENARIOS.join(", ")}${typeof scenario === "string" ? `, got "${scenario}"` : ""}, or run the switchover operation (switchover --to <node> --outputs <file>)`);
    }
    const from = text(values, "from-server");
    const to = text(values, "to-server");
    if ((from !== undefined || to !== undefined) && scenario !== "upgrade-engine") {
        throw new CliError(`--${from !== undefined ? "from-server" : "to-server"} belongs to the upgrade-engine scenario, not ${scenario}`);
    }
    return {
        scenario: scenario as Day2ScenarioName,
        json: values.json === true,
        keep: values.keep === true,
        ...(from !== undefined || to !== undefined ? { engineBinaries: { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) } } : {}),
    };
}

/**
 * Checks the parsed `switchover --to <node> --outputs <file|-> [...]`. Pure.
 *
 * @throws CliError naming the flag that is missing, malformed or does not belong
 */
export function switchoverArgsFrom(values: FlagValues): SwitchoverCliArgs {
    const misplaced = SCENARIO_FLAGS.find((flag) => values[flag] !== undefined);
    if (misplaced !== undefined) {
        throw new CliError(`--${misplaced} belongs to the scenarios on local processes, not to switchover`);
    }
    const to = text(values, "to");
    const outputs = text(values, "outputs");
    if (to === undefined || to.trim() === "") {
        throw new CliError("switchover needs --to <node>: a data node's pod name (redis-1), host or host:port");
    }
    if (!/^[A-Za-z0-9._:-]+$/.test(to)) {
        throw new CliError(`--to ${to}: must be one node's pod name, host or host:port (letters, digits, . _ : -)`);
    }
    if (outputs === undefined) {
        throw new CliError("switchover needs --outputs <file|->: pulumi stack output --json --show-secrets");
    }
    const clientCertFile = text(values, "client-cert");
    const clientKeyFile = text(values, "client-key");
    if ((clientCertFile === undefined) !== (clientKeyFile === undefined)) {
        throw new CliError("--client-cert and --client-key go together");
    }
    const timeout = text(values, "timeout");
    return {
        to,
        outputs,
        json: values.json === true,
        ...(clientCertFile !== undefined ? { clientCertFile, clientKeyFile } : {}),
        ...(timeout !== undefined ? { timeoutSeconds: positiveInteger("timeout", timeout, 30) } : {}),
    };
}
