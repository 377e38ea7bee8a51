import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runDay2Cli } from "./day2/cli";
import { isDay2Scenario } from "./day2/run";
import { slotRanges } from "../components/redisconf/topology";
import { asDeploymentConfig, localStackConfig } from "./harness/config";
import { lostWrites, WriteLoad } from "./harness/load";
import { LocalDeployment, parseInfo, sleep } from "./harness/localDeployment";
import { renderLatencySvg } from "./harness/plot";
import { hashTagsFor } from "./harness/slots";
import { clusterWriter, sentinelWriter } from "./harness/writers";
import { DOCKER_DRILL_USAGE, requestedPlatform, runDockerDrill } from "./docker/drill";
import { failoverSummary } from "./harness/failoverSummary";

/**
 * `npm run drill -- --scenario failover --topology sentinel|cluster --rounds N [--failover standard|fast]
 * [--json] [--plot file.svg] [--keep]`: runs the topology locally, kills the primary N times under a steady write load
 * and reports recovery time per round (kill to the first successful write to the killed primary's data),
 * p50 and max, acknowledged writes and lost ones.
 */

const USAGE =
    "usage: npm run drill -- --scenario failover --topology sentinel|cluster [--rounds 10] [--failover standard|fast] [--json] [--plot file.svg] [--keep]\n" +
    "       npm run drill -- --scenario rotate-password|rotate-cert|scale-replicas|scale-shards [--json] [--keep]\n" +
    DOCKER_DRILL_USAGE;

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

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            scenario: { type: "string", default: "failover" },
            topology: { type: "string" },
            rounds: { type: "string", default: "10" },
            failover: { type: "string", default: "standard" },
            json: { type: "boolean", default: false },
            plot: { type: "string" },
            keep: { type: "boolean", default: false },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return;
    }
    const topology = values.topology;
    const rounds = Number(values.rounds);
    if (values.scenario !== "failover" || (topology !== "sentinel" && topology !== "cluster") || !Number.isInteger(rounds) || rounds < 1) {
        throw new Error(USAGE);
    }
    if (values.failover !== "standard" && values.failover !== "fast") {
        throw new Error(`--failover must be standard or fast, not "${values.failover}"`);
    }
    const say = (line: string) => process.stderr.write(`${line}\n`);
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
        say(`recovery p50 ${summary.rto_ms.p50} ms, max ${summary.rto_ms.max} ms; acknowledged writes ${acked.length}, lost ${lost.length}; writes attempted ${attempted}, failed ${failed}; failovers ${failovers} for ${rounds} kills`);
        if (values.json) {
            console.log(JSON.stringify(summary));
        }
        if (lost.length > 0) {
            process.exitCode = 1;
        }
    } finally {
        await deployment.destroy();
    }
}

const argv = process.argv.slice(2);
const scenarioIndex = argv.findIndex((arg) => arg === "--scenario" || arg.startsWith("--scenario="));
const scenario = scenarioIndex < 0 ? undefined : argv[scenarioIndex].startsWith("--scenario=") ? argv[scenarioIndex].slice("--scenario=".length) : argv[scenarioIndex + 1];
let platform: "local" | "docker" = "local";
try {
    platform = argv.includes("--help") ? "local" : requestedPlatform(argv);
} catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
}
if (platform === "docker") {
    // --platform docker: the failover drill on a real Docker engine (tools/docker/drill.ts).
    runDockerDrill(argv).then(
        (code) => (process.exitCode = code),
        (error: unknown) => {
            process.stderr.write(`drill failed: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 1;
        },
    );
} else if (scenario !== undefined && isDay2Scenario(scenario)) {
    // Day-2 scenarios (rotations, scaling) have their own runner; `npm run drill` is their common entry.
    runDay2Cli(argv);
} else {
    main().catch((error: unknown) => {
        process.stderr.write(`drill failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
    });
}
