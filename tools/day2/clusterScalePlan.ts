import { asDeploymentConfig, localStackConfig } from "../harness/config";
import { lostWrites } from "../harness/load";
import { LocalDeployment } from "../harness/localDeployment";
import { CheckList } from "./checks";
import { ClusterShape, LiveShard, LocalClusterScaler } from "./clusterScale";
import { clusterOps } from "./ops";
import { day2BaseDir } from "./runDir";
import type { Day2Options, Day2Outcome, Day2ScenarioName } from "./scenario";
import { Traffic } from "./traffic";

/** Whether the live shards have the shape: that many primaries serving all 16384 slots, each with that many replicas. */
export function hasShape(shards: readonly LiveShard[], shape: ClusterShape): boolean {
    const slots = shards.reduce((sum, shard) => sum + shard.slots, 0);
    return shards.length === shape.shards && slots === 16384 && shards.every((shard) => shard.replicas.length === shape.replicasPerShard);
}

/** A one-line summary of live shards, for check details. */
export function describeShards(shards: readonly LiveShard[]): string {
    return shards.map((shard) => `${shard.primary} (${shard.slots} slots) <- ${shard.replicas.join(",") || "no replica"}`).join("; ");
}

/** What a cluster scaling scenario does: the shape it starts from, the shapes it goes through, and what it checks between. */
export interface ClusterScalePlan {
    scenario: Day2ScenarioName;
    start: ClusterShape;
    /** `rerun`: after this step, run both scripts again and check they change nothing (idempotent). */
    steps: { shape: ClusterShape; rerun?: boolean; before?: (scaler: LocalClusterScaler, checks: CheckList) => Promise<void> }[];
}

/**
 * Runs a cluster scaling plan on real processes with writes running through the cluster client: each step
 * is what `pulumi up` does after `shards` or `replicasPerShard` changed (see {@link LocalClusterScaler}),
 * driven by the rendered `cluster-drain.sh` and `cluster-create.sh` only. After each step it checks the
 * shape, that a node that came back rejoined under a new identity, that writes are acknowledged and, on the
 * steps marked `rerun`, that a second run of both scripts changes nothing (idempotent).
 */
export async function runClusterScalePlan(plan: ClusterScalePlan, options: Day2Options = {}): Promise<Day2Outcome> {
    const progress = options.progress ?? (() => undefined);
    const checks = new CheckList(progress);
    const config = asDeploymentConfig(localStackConfig({ topology: "cluster", ...plan.start }));
    const deployment = await LocalDeployment.start({ config, progress, keepDir: options.keepDir, baseDir: day2BaseDir() });
    let traffic: Traffic | undefined;
    const timings: Record<string, number> = {};
    try {
        const scaler = new LocalClusterScaler(deployment, config, progress);
        const client = deployment.clusterClient("app");
        traffic = new Traffic(`app:day2:${plan.scenario}:`, clusterOps(client));
        traffic.start();
        checks.record("the cluster client is writing", await traffic.waitForSuccesses(100));

        for (const [index, step] of plan.steps.entries()) {
            const { shape } = step;
            const label = `${shape.shards} shards x ${shape.replicasPerShard} replicas`;
            await step.before?.(scaler, checks);
            const done = await scaler.scaleTo(shape);
            timings[`step${index + 1}_drain_ms`] = done.drainMs;
            timings[`step${index + 1}_join_ms`] = done.joinMs;
            progress(`${label}: added ${done.added.join(", ") || "none"}, removed ${done.removed.join(", ") || "none"} (drain ${done.drainMs} ms, join ${done.joinMs} ms)`);
            const shards = await scaler.shards();
            checks.record(`after scaling to ${label}: ${shape.shards} primaries serve all 16384 slots, each with ${shape.replicasPerShard} replicas`, hasShape(shards, shape), describeShards(shards));
            const known = await scaler.knownNodes();
            const expected = shape.shards * (1 + shape.replicasPerShard);
            checks.record(`after scaling to ${label}: every node knows exactly the ${expected} desired nodes`, Object.values(known).every((count) => count === expected), JSON.stringify(known));
            for (const name of done.removed) {
                checks.record(`${name} had left the cluster (no node that stays knew it) before the platform stopped it`, done.removedKnownBy[name] === 0, `${done.removedKnownBy[name]} nodes still knew it`);
            }
            for (const [name, ids] of Object.entries(done.returned)) {
                checks.record(`${name} came back with its forgotten identity and rejoined as a new node`, ids.before !== ids.after, `node id ${ids.before} -> ${ids.after}`);
            }

            if (step.rerun === true) {
                const again = await scaler.scaleTo(shape);
                const unchanged = await scaler.shards();
                checks.record(
                    `scaling to ${label} again (both scripts re-run) moved nothing`,
                    again.added.length === 0 && again.removed.length === 0 && describeShards(unchanged) === describeShards(shards),
                    `${describeShards(shards)} -> ${describeShards(unchanged)}`,
                );
            }
            checks.record(`writes are acknowledged after scaling to ${label}`, await traffic.waitForSuccesses(200));
        }

        await traffic.stop();
        const lost = await lostWrites(traffic.acked, (keys) => Promise.all(keys.map((key) => client.get(key))));
        if (traffic.errors.length > 0) {
            progress(`client errors: ${traffic.errors.join(" | ")}`);
        }
        progress(`timings: ${JSON.stringify(timings)}`);
        return {
            result: { scenario: plan.scenario, failed_commands: traffic.failed, acked_writes: { sent: traffic.acked.length, lost: lost.length } },
            checks: checks.checks,
        };
    } finally {
        await traffic?.stop();
        await deployment.destroy();
    }
}

