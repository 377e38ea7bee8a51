import type { Cluster, Redis } from "ioredis";
import { parseArgs } from "node:util";
import { slotRanges } from "../../components/redisconf/topology";
import { failoverSummary } from "../harness/failoverSummary";
import { lostWrites, WriteLoad } from "../harness/load";
import { sleep } from "../harness/localDeployment";
import { hashTagsFor } from "../harness/slots";
import { clusterWriter, sentinelWriter } from "../harness/writers";
import { sweep } from "./applier";
import { Engine } from "./engineApi";
import { EngineDeployment } from "./engineDeployment";
import { DEV_CLUSTER_VARIANT, StackVariant } from "./plan";

/**
 * `npm run drill -- --platform docker --topology sentinel|cluster [--rounds N] [--failover standard|fast] [--json]`:
 * the failover drill of `tools/drill.ts` against a real Docker engine. The dev stack (sentinel) or its cluster
 * variant is applied as the program registers it (tools/docker/applier.ts); each round `docker kill`s the
 * primary's container under a steady WAIT-acknowledged write load (the harness's writers), measures the time
 * until writes to its data succeed again, and `docker start`s the container, which must rejoin. The JSON is the
 * local drill's, plus `"platform": "docker"`. Everything is torn down at the end, even on failure.
 */

/** Usage of the docker platform, shown by `npm run drill -- --help`. */
export const DOCKER_DRILL_USAGE =
    "       npm run drill -- --platform docker --topology sentinel|cluster [--rounds 3] [--failover standard|fast] [--json]\n" +
    "         the failover drill on a real Docker engine: the dev stack (or its cluster variant) applied as registered, its containers killed";

/** The stack a docker drill applies: the dev stack or its cluster variant, with the drill's failover timing. Pure. */
export function drillVariant(topology: "sentinel" | "cluster", failover: "standard" | "fast"): StackVariant {
    const base: StackVariant = topology === "sentinel" ? { from: "dev", stack: "dev" } : DEV_CLUSTER_VARIANT;
    return { ...base, selfhosted: { ...(base.selfhosted ?? {}), failover } };
}

/** A counter that grows by one per failover: the sentinels' config epoch, or the cluster's current epoch. */
async function failoverEpoch(deployment: EngineDeployment): Promise<number> {
    if (deployment.connection.mode === "sentinel") {
        const fields = (await deployment.command(deployment.nodes("sentinel")[0].port, ["SENTINEL", "master", deployment.connection.sentinelMasterName ?? ""])) as string[];
        return Number(fields[fields.indexOf("config-epoch") + 1]);
    }
    for (const node of deployment.nodes("redis")) {
        try {
            return Number(/cluster_current_epoch:(\d+)/.exec(String(await deployment.command(node.port, ["CLUSTER", "INFO"])))?.[1]);
        } catch {
            // down: ask the next node
        }
    }
    throw new Error("no cluster node answers CLUSTER INFO");
}

/** Runs the docker failover drill from the command line arguments; resolves to the exit code. */
export async function runDockerDrill(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs({
        args: [...argv],
        options: {
            platform: { type: "string" },
            scenario: { type: "string", default: "failover" },
            topology: { type: "string" },
            rounds: { type: "string", default: "3" },
            failover: { type: "string", default: "fast" },
            json: { type: "boolean", default: false },
        },
    });
    const topology = values.topology;
    const rounds = Number(values.rounds);
    if (values.scenario !== "failover" || (topology !== "sentinel" && topology !== "cluster") || !Number.isInteger(rounds) || rounds < 1) {
        process.stderr.write(`${DOCKER_DRILL_USAGE}\n  (--platform docker runs --scenario failover only)\n`);
        return 2;
    }
    if (values.failover !== "standard" && values.failover !== "fast") {
        process.stderr.write(`--failover must be standard or fast, not "${values.failover}"\n`);
        return 2;
    }
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const engine = new Engine();
    const version = await engine.version();
    if (version === undefined) {
        say("drill: no Docker engine answers (run npm run setup as root)");
        return 1;
    }
    await sweep(engine);
    say(`drill: docker ${version}, ${topology}, ${rounds} rounds, ${values.failover} timing; applying the stack`);
    const deployment = await EngineDeployment.up(drillVariant(topology, values.failover), engine, () => undefined);
    try {
        const shards = topology === "cluster" ? slotRanges(3) : [];
        const tags = hashTagsFor(shards);
        const client = deployment.client("app", { commandTimeoutMs: 1000, maxRetriesPerRequest: 1 });
        const write = topology === "sentinel" ? sentinelWriter(client as Redis) : clusterWriter(client as Cluster);
        const load = new WriteLoad(write, (n) => (topology === "sentinel" ? `app:drill:${n}` : `app:{${tags[n % tags.length]}}:drill:${n}`));
        load.start();
        await load.waitForSuccesses(0, 50, 20000);
        const epochBefore = await failoverEpoch(deployment);
        const rto: number[] = [];
        for (let round = 1; round <= rounds; round++) {
            const shard = (round - 1) % Math.max(1, tags.length);
            const victim = topology === "sentinel" ? await deployment.sentinelPrimary() : await deployment.clusterPrimaryOf(shards[shard][0]);
            const onVictim = topology === "sentinel" ? () => true : (event: { key: string }) => event.key.includes(`{${tags[shard]}}`);
            await sleep(1000);
            await deployment.kill(victim.container);
            const killedAt = load.now();
            const first = (await load.waitForSuccesses(killedAt, 1, 60000, onVictim)) ? load.firstSuccessAfter(killedAt, onVictim) : undefined;
            if (first === undefined) {
                throw new Error(`round ${round}: writes did not recover within 60 s after killing ${victim.container}`);
            }
            const ms = first.startMs + first.latencyMs - killedAt;
            rto.push(ms);
            say(`round ${round}/${rounds}: docker kill ${victim.container}, writes recovered after ${ms} ms; docker start ${victim.container}`);
            await deployment.start(victim.container);
            await deployment.waitHealthy(120000);
        }
        await sleep(500);
        await load.stop();
        const failovers = (await failoverEpoch(deployment)) - epochBefore;
        const acked = load.acknowledged();
        const reader = deployment.client("app");
        const lost = await lostWrites(acked, (keys) => Promise.all(keys.map((key) => reader.get(key))));
        const summary = { ...failoverSummary({ topology, rounds, failover: values.failover, rto, acked: acked.length, lost: lost.length, events: load.events, failovers }), platform: "docker" };
        say(`recovery p50 ${summary.rto_ms.p50} ms, max ${summary.rto_ms.max} ms; acknowledged writes ${acked.length}, lost ${lost.length}; failovers ${failovers} for ${rounds} kills`);
        if (values.json) {
            console.log(JSON.stringify(summary));
        }
        return lost.length > 0 ? 1 : 0;
    } finally {
        await deployment.destroy().catch((error: unknown) => say(`drill: teardown failed: ${String(error)}`));
        await sweep(engine);
    }
}

/**
 * The platform a drill command line asks for: `docker` for `--platform docker` (or `=docker`), `local` without
 * `--platform`. Pure.
 *
 * @throws Error naming the value when `--platform` is anything else
 */
export function requestedPlatform(argv: readonly string[]): "local" | "docker" {
    const index = argv.findIndex((arg) => arg === "--platform" || arg.startsWith("--platform="));
    if (index < 0) {
        return "local";
    }
    const value = argv[index].startsWith("--platform=") ? argv[index].slice("--platform=".length) : argv[index + 1];
    if (value !== "docker") {
        throw new Error(`--platform ${value ?? "(missing)"}: allowed is docker (without --platform the drill runs local processes)`);
    }
    return "docker";
}
