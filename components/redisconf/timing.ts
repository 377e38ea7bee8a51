/**
 * Failure-detection timing. Every number here trades false failovers (a slow node, a GC pause on the host, a
 * saturated network mistaken for a dead primary) against how long writes fail when a primary really dies.
 */

/** The timing profiles a stack can choose with `selfhosted.failover`. */
export type FailoverProfile = "standard" | "fast";

/** The settings a timing profile decides. */
export interface FailoverTiming {
    /** `sentinel down-after-milliseconds`: how long a primary must be unreachable before a sentinel calls it down. */
    downAfterMs: number;
    /** `sentinel failover-timeout`: how long a failover may take before another sentinel retries it. */
    failoverTimeoutMs: number;
    /** `sentinel parallel-syncs`: replicas resyncing with a new primary at once (the others keep serving reads). */
    parallelSyncs: number;
    /** `cluster-node-timeout`: how long a cluster node may be unreachable before it is flagged as failing. */
    clusterNodeTimeoutMs: number;
    /** `min-replicas-max-lag` in seconds: a replica counts as connected while its last ack is younger than this. */
    minReplicasMaxLagSeconds: number;
}

/**
 * The timing per profile.
 *
 * - `standard` (the default) detects a dead primary after 3 s: several missed pings on a healthy network, long
 *   enough that a short stall of a busy node does not trigger a failover, and recovery stays under 5 s.
 * - `fast` detects it after 1 s: recovery around 2 s, at the price of failovers on any stall longer than a
 *   second (a fork of a large dataset, a noisy neighbour, a brief network partition).
 */
export const FAILOVER_TIMING: Readonly<Record<FailoverProfile, FailoverTiming>> = {
    standard: {
        downAfterMs: 3000,
        failoverTimeoutMs: 30000,
        parallelSyncs: 1,
        clusterNodeTimeoutMs: 3000,
        minReplicasMaxLagSeconds: 10,
    },
    fast: {
        downAfterMs: 1000,
        failoverTimeoutMs: 10000,
        parallelSyncs: 1,
        clusterNodeTimeoutMs: 1000,
        minReplicasMaxLagSeconds: 5,
    },
};
