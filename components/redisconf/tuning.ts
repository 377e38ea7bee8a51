/**
 * Sizing rules that turn a node's resources into server settings.
 */

/**
 * Parses a CPU quantity as stack config writes it (`500m`, `1`, `1.5`) into cores.
 *
 * @throws Error when the text is not a CPU quantity.
 */
export function cpuCores(quantity: string): number {
    const milli = /^([1-9][0-9]*)m$/.exec(quantity);
    if (milli) {
        return Number(milli[1]) / 1000;
    }
    if (/^[0-9]+(\.[0-9]+)?$/.test(quantity)) {
        return Number(quantity);
    }
    throw new Error(`"${quantity}" is not a CPU quantity: use for example 500m, 1 or 1.5`);
}

/**
 * `io-threads` for a node with this many cores. Threaded I/O only pays off from 4 cores on (the main thread
 * needs a core of its own); beyond 8 threads Redis gains nothing.
 */
export function ioThreadsFor(cores: number): number {
    if (cores < 4) {
        return 1;
    }
    return Math.min(8, Math.floor(cores) - 1);
}

/**
 * `repl-backlog-size` in MiB: 1/16 of `maxmemory`, between 16 MiB and 256 MiB. A larger backlog lets a replica
 * that was briefly away (a restart, a failover) catch up with a partial resync instead of a full copy.
 */
export function replBacklogMiB(maxmemoryMiB: number): number {
    return Math.min(256, Math.max(16, Math.floor(maxmemoryMiB / 16)));
}

/**
 * `min-replicas-to-write` for a primary with this many replicas. It is 1 only when a primary has at least two
 * replicas: with a single replica, losing that replica (or a failover that consumes it) would stop every
 * write of the shard, turning one failure into an outage. Clients that need durability use `WAIT`.
 */
export function minReplicasToWriteFor(replicasPerPrimary: number): number {
    return replicasPerPrimary >= 2 ? 1 : 0;
}
