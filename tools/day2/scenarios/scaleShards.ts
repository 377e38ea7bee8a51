import { runClusterScalePlan } from "../clusterScalePlan";
import type { Day2Options, Day2Outcome } from "../scenario";

/**
 * Scaling shards on Cluster with writes running, each step by the rendered drain and join scripts only:
 * 4 shards x 1 replica -> 3 (`redis-3`, a primary that stays, gives its slots away and becomes a replica;
 * `redis-6` and `redis-7` leave and stop) -> 4 (`redis-6` and `redis-7` come back with their data
 * directories, as pods with retained volumes do, and rejoin as new nodes; one becomes the new shard's primary and takes its share of
 * the slots) -> 3 (the new shard's primary goes away: its slots move before it leaves).
 */
export async function scaleShards(options: Day2Options = {}): Promise<Day2Outcome> {
    return runClusterScalePlan(
        {
            scenario: "scale-shards",
            start: { shards: 4, replicasPerShard: 1 },
            // Idempotency is proven on the scale-up, where cluster-create.sh does the most (joins, roles, slot moves).
            steps: [{ shape: { shards: 3, replicasPerShard: 1 } }, { shape: { shards: 4, replicasPerShard: 1 }, rerun: true }, { shape: { shards: 3, replicasPerShard: 1 } }],
        },
        options,
    );
}
