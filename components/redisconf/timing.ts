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
 * The timing per profile, chosen from `npm run drill` measurements (docs/selfhosted.md, "Timing").
 *
 * - `standard` (the default): a sentinel calls a primary down after 3 s, a cluster node flags a peer after
 *   2.5 s. Several missed pings on a healthy network, so a short stall of a busy node does not trigger a
 *   failover; recovery stays under 5 s (a cluster needs 1-1.5 node timeouts to agree on a failure, then the
 *   replica waits 0.5-1 s before its election, which Redis fixes).
 * - `fast`: 1.25 s and 0.7 s, recovery around 2 s, at the price of failovers on any stall of about that length
 *   (a fork of a large dataset, a noisy neighbour, a brief network partition). A false failover of a primary
 *   that is still alive loses the writes it acknowledged until it is demoted, whatever `WAIT` said. The sentinel
 *   value must stay above 1 s: a sentinel retries a lost link to an instance at most once per second (fixed
 *   in Redis), and right after a promotion its fresh link to the new primary must answer within
 *   down-after; at exactly 1000 ms the drill saw needless second failovers that lost acknowledged writes.
 */
export const FAILOVER_TIMING: Readonly<Record<FailoverProfile, FailoverTiming>> = {
    standard: {
        downAfterMs: 3000,
        failoverTimeoutMs: 30000,
        parallelSyncs: 1,
        clusterNodeTimeoutMs: 2500,
        minReplicasMaxLagSeconds: 10,
    },
    fast: {
        downAfterMs: 1250,
        failoverTimeoutMs: 10000,
        parallelSyncs: 1,
        clusterNodeTimeoutMs: 700,
        minReplicasMaxLagSeconds: 5,
    },
};
