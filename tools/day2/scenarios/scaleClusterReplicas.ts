import { parseInfo, waitFor } from "../../harness/localDeployment";
import { runClusterScalePlan } from "../clusterScalePlan";
import type { Day2Options, Day2Outcome } from "../scenario";

/**
 * Scaling replicas per shard on Cluster with writes running, each step by the rendered drain and join
 * scripts only: 3 shards x 1 replica -> 2 replicas (three nodes join as replicas, one per shard) -> a manual
 * failover makes one of the new nodes a primary -> 1 replica: that primary goes away, so the drain hands its
 * shard over to a replica that stays (`CLUSTER FAILOVER`, no key moves) before it leaves.
 */
export async function scaleClusterReplicas(options: Day2Options = {}): Promise<Day2Outcome> {
    return runClusterScalePlan(
        {
            scenario: "scale-cluster-replicas",
            start: { shards: 3, replicasPerShard: 1 },
            steps: [
                { shape: { shards: 3, replicasPerShard: 2 } },
                {
                    shape: { shards: 3, replicasPerShard: 1 },
                    // Idempotency once, after the drain's handover (scale-shards proves it after a scale-up).
                    rerun: true,
                    before: async (scaler, checks) => {
                        const leaving = "redis-6";
                        options.progress?.(`CLUSTER FAILOVER on ${leaving}: a node that goes away next is a primary`);
                        await scaler.admin(leaving, ["CLUSTER", "FAILOVER"]);
                        const primary = await waitFor(`${leaving} is a primary`, async () => parseInfo(String(await scaler.admin(leaving, ["INFO", "replication"]))).role === "master", 30000, 200).then(
                            () => true,
                            () => false,
                        );
                        checks.record(`${leaving}, which goes away next, is a primary before the scale-down`, primary);
                    },
                },
            ],
        },
        options,
    );
}
