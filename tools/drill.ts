import { writeFileSync } from "node:fs";
import { CliError, CliIo, CliMain, cliMain, CliSpec, JSON_FLAG, oneOf, positiveInteger } from "./cli";
import { day2ArgsFrom } from "./day2/args";
import { runDay2 } from "./day2/cli";
import { isDay2Scenario } from "./day2/run";
import { DAY2_SCENARIOS } from "./day2/scenario";
import { slotRanges } from "../components/redisconf/topology";
import { asDeploymentConfig, localStackConfig } from "./harness/config";
import { lostWrites, WriteLoad } from "./harness/load";
import { LocalDeployment, parseInfo, sleep } from "./harness/localDeployment";
import { renderLatencySvg } from "./harness/plot";
import { hashTagsFor } from "./harness/slots";
import { clusterWriter, sentinelWriter } from "./harness/writers";
import { runDockerDrill } from "./docker/drill";
import { failoverSummary } from "./harness/failoverSummary";

/**
 * `npm run drill -- --scenario failover --topology sentinel|cluster --rounds N [--failover standard|fast]
 * [--json] [--plot file.svg] [--keep]`: runs the topology locally, kills the primary N times under a steady write load
 * and reports recovery time per round (kill to the first successful write to the killed primary's data),
 * p50 and max, acknowledged writes and lost ones. See {@link DRILL_SPEC}.
 */

/** `npm run drill`: see the summary. */
export const DRILL_SPEC: CliSpec = {
    name: "drill",
    summary: "kill the primary of a local Sentinel or Cluster topology N times under a steady write load and report recovery time and lost acknowledged writes; also runs the day-2 scenarios",
    usage: [
        "--scenario failover --topology sentinel|cluster [--rounds 10] [--failover standard|fast] [--plot file.svg] [--json] [--keep]",
        `--scenario ${DAY2_SCENARIOS.join("|")} [--json] [--keep]     (the same as npm run day2)`,
        "--scenario upgrade-engine [--from-server <path>] [--to-server <path>] [--json] [--keep]",
        "--platform docker --topology sentinel|cluster [--rounds 3] [--failover standard|fast] [--json]     (on a real Docker engine)",
    ],
    details: "Recovery per round is measured from the kill to the first successful write to the killed primary's data; the summary gives p50 and max, acknowledged and lost writes, and failovers counted by epoch.",
    flags: {
        scenario: { type: "string", value: "<name>", description: `failover (default) or a day-2 scenario: ${DAY2_SCENARIOS.join(", ")}` },
        topology: { type: "string", value: "<sentinel|cluster>", description: "failover: the topology to drill; required" },
        rounds: { type: "string", value: "<n>", description: "failover: primaries to kill (default 10)" },
        failover: { type: "string", value: "<standard|fast>", description: "failover: the timing profile (default standard)" },
        json: { ...JSON_FLAG, description: "print the summary as one JSON object on stdout, with status passed|failed" },
        plot: { type: "string", value: "<file.svg>", description: "failover: write a latency plot with the kills marked" },
        keep: { type: "boolean", description: "keep the run directory (every process's log)" },
        "from-server": { type: "string", value: "<path>", description: "upgrade-engine: the server binary the nodes start on (default redis-server)" },
        "to-server": { type: "string", value: "<path>", description: "upgrade-engine: the server binary they are upgraded to (default: the --from-server one)" },
        platform: { type: "string", value: "<local|docker>", description: "failover: local processes (default) or the dev stack applied to a real Docker engine (tools/docker/drill.ts; defaults there: 3 rounds, fast timing)" },
    },
    ports: "random free loopback ports (never 6379): 6 processes for sentinel, 6 for cluster; with --platform docker the dev stack's published ports (127.0.0.1:7000-7102)",
    duration: "failover: about 10-20 s per round (10 rounds: 2-4 min); day-2 scenarios: 30 s to 2 min",
    exitCodes: { 1: "an acknowledged write was lost, writes did not recover, or a day-2 check failed" },
};

const FAILOVER_ONLY_FLAGS = ["topology", "rounds", "failover", "plot", "platform"];

/** Flags the local failover drill takes that the Docker one (tools/docker/drill.ts) does not. */
const LOCAL_ONLY_FLAGS = ["plot", "keep"];


/**
 * A counter that grows by one per failover: the sentinels' config epoch of the primary, or the cluster's
 * current epoch (each promotion wins an election in a new epoch).
 */
async function failoverEpoch(deployment: LocalDeployment): Promise<number> {
    if (deployment.kind === "sentinel") {
        const fields = (await deployment.command(deployment.sentinelNames[0], "admin", ["SENTINEL", "master", deployment.rendered.topology.masterName ?? ""])) as string[];
        return Number(fields[fields.indexOf("config-epoch") + 1]);
    }
    const asker = deployment.dataNodeNames.find((name) => deployment.supervisor.isRunning(name)) ?? deployment.dataNodeNames[0];
    return Number(parseInfo(String(await deployment.command(asker, "admin", ["CLUSTER", "INFO"]))).cluster_current_epoch);
}

const main: CliMain = async ({ values }, io) => {
    const scenario = typeof values.scenario === "string" ? values.scenario : "failover";
    if (isDay2Scenario(scenario)) {
        // Day-2 scenarios (rotations, scaling) have their own runner; `npm run drill` is their common entry.
        const misplaced = FAILOVER_ONLY_FLAGS.find((flag) => values[flag] !== undefined);
        if (misplaced !== undefined) {
            throw new CliError(`--${misplaced} is a failover flag, not one of the ${scenario} scenario`);
        }
        return runDay2(day2ArgsFrom(values), io);
    }
    oneOf("scenario", scenario, ["failover", ...DAY2_SCENARIOS]);
    const upgradeFlag = ["from-server", "to-server"].find((flag) => values[flag] !== undefined);
    if (upgradeFlag !== undefined) {
        throw new CliError(`--${upgradeFlag} belongs to the upgrade-engine scenario, not failover`);
    }
    if (values.platform !== undefined && oneOf("platform", values.platform as string, ["local", "docker"] as const) === "docker") {
        const misplaced = LOCAL_ONLY_FLAGS.find((flag) => values[flag] !== undefined);
        if (misplaced !== undefined) {
            throw new CliError(`--${misplaced} is not available with --platform docker`);
        }
        return runDockerDrill(
            {
                topology: oneOf("topology", values.topology as string | undefined, ["sentinel", "cluster"] as const),
                rounds: positiveInteger("rounds", values.rounds as string | undefined, 3),
                failover: oneOf("failover", values.failover as string | undefined, ["standard", "fast"] as const, "fast"),
                json: values.json === true,
            },
            io,
        );
    }
    return failoverDrill(
        {
            topology: oneOf("topology", values.topology as string | undefined, ["sentinel", "cluster"] as const),
            rounds: positiveInteger("rounds", values.rounds as string | undefined, 10),
            failover: oneOf("failover", values.failover as string | undefined, ["standard", "fast"] as const, "standard"),
            json: values.json === true,
            plot: values.plot as string | undefined,
            keep: values.keep === true,
        },
        io,
    );
};

/** What a failover drill was asked for. */
interface FailoverDrillArgs {
    topology: "sentinel" | "cluster";
    rounds: number;
    failover: "standard" | "fast";
    json: boolean;
    plot?: string;
    keep: boolean;
}

/** Runs the failover drill; returns 1 when an acknowledged write was lost. */
async function failoverDrill(values: FailoverDrillArgs, io: CliIo): Promise<number> {
    const { topology, rounds } = values;
    const say = (line: string) => io.stderr(`${line}\n`);
    say(`drill: ${topology}, ${rounds} rounds, ${values.failover} timing; starting the topology`);
    const deployment = await LocalDeployment.start({ config: asDeploymentConfig(localStackConfig({ topology, failover: values.failover })), keepDir: values.keep });
    if (values.keep) {
        say(`run directory (kept): ${deployment.root}`);
    }
    try {
        const timing = deployment.rendered.timing;
        say(topology === "sentinel" ? `down-after-milliseconds ${timing.downAfterMs}` : `cluster-node-timeout ${timing.clusterNodeTimeoutMs}`);
        const shards = topology === "cluster" ? slotRanges(deployment.rendered.topology.shards.length) : [];
        const tags = hashTagsFor(shards);
        const client = topology === "sentinel" ? deployment.sentinelClient("app", { maxRetriesPerRequest: 1, commandTimeout: 1000 }) : deployment.clusterClient("app");
        const write = topology === "sentinel" ? sentinelWriter(client as never) : clusterWriter(client as never);
        const keyFor = (n: number) => (topology === "sentinel" ? `app:drill:${n}` : `app:{${tags[n % tags.length]}}:drill:${n}`);
        const load = new WriteLoad(write, keyFor);
        load.start();
        await load.waitForSuccesses(0, 50, 20000);

        const epochBefore = await failoverEpoch(deployment);
        const rto: number[] = [];
        const kills: { atMs: number; label: string }[] = [];
        for (let round = 1; round <= rounds; round++) {
            let victim: string;
            let onVictim: (event: { key: string }) => boolean = () => true;
            if (topology === "sentinel") {
                victim = await deployment.sentinelPrimary();
            } else {
                const shard = (round - 1) % tags.length;
                victim = await deployment.clusterPrimaryServing(shards[shard][0]);
                onVictim = (event) => event.key.includes(`{${tags[shard]}}`);
            }
            await sleep(1000);
            // Recovery counts from the moment the process is gone: a write that started while the kill was
            // still landing could otherwise finish on the dying primary and pass for a recovery.
            await deployment.killNode(victim);
            const killedAt = load.now();
            kills.push({ atMs: killedAt, label: `kill ${victim}` });
            const recovered = await load.waitForSuccesses(killedAt, 1, 60000, onVictim);
            const first = load.firstSuccessAfter(killedAt, onVictim);
            if (!recovered || !first) {
                throw new Error(`round ${round}: writes did not recover within 60 s after killing ${victim}`);
            }
            const ms = first.startMs + first.latencyMs - killedAt;
            rto.push(ms);
            say(`round ${round}/${rounds}: killed ${victim}, writes recovered after ${ms} ms; restarting ${victim} with its start script`);
            deployment.startNode(victim);
            await deployment.waitHealthy(120000);
        }
        await sleep(500);
        await load.stop();
        // One kill should cost exactly one failover; more means a false (or repeated) failover.
        const failovers = (await failoverEpoch(deployment)) - epochBefore;
        const acked = load.acknowledged();
        const reader = topology === "sentinel" ? deployment.sentinelClient("app") : deployment.clusterClient("app");
        const lost = await lostWrites(acked, (keys) => Promise.all(keys.map((key) => reader.get(key))));
        const summary = failoverSummary({ topology, rounds, failover: values.failover, rto, acked: acked.length, lost: lost.length, events: load.events, failovers });
        const { attempted, failed } = summary.writes;
        if (values.plot) {
            writeFileSync(values.plot, renderLatencySvg(load.events, kills, `failover drill: ${topology}, ${values.failover} timing, ${rounds} rounds`));
            say(`plot written to ${values.plot}`);
        }
        // The result line is the tool's output: stdout, unless --json makes stdout JSON only.
        (values.json ? say : (line: string) => io.stdout(`${line}\n`))(`recovery p50 ${summary.rto_ms.p50} ms, max ${summary.rto_ms.max} ms; acknowledged writes ${acked.length}, lost ${lost.length}; writes attempted ${attempted}, failed ${failed}; failovers ${failovers} for ${rounds} kills`);
        if (values.json) {
            io.stdout(`${JSON.stringify({ status: lost.length > 0 ? "failed" : "passed", ...summary })}\n`);
        }
        return lost.length > 0 ? 1 : 0;
    } finally {
        await deployment.destroy();
    }
}

/** Runs `npm run drill` (exported for the CLI test table). */
export const drillMain = main;

if (require.main === module) {
    cliMain(DRILL_SPEC, main);
}
