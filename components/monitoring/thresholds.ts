import type { WorkloadProfile } from "../redisconf/profiles";

/**
 * Alert thresholds per workload profile. What is normal differs by workload: an LRU cache runs full and
 * evicts by design, while a queue or system of record that evicts or stops persisting has lost data.
 */

/** How urgently an alert must be handled: `critical` pages, `warning` goes to chat. */
export type Severity = "critical" | "warning";

/** The thresholds one profile uses. */
export interface ProfileThresholds {
    /** Share of `maxmemory` in use that raises a warning. */
    memoryWarningRatio: number;
    /** Share of `maxmemory` in use that raises a critical alert. */
    memoryCriticalRatio: number;
    /** Evicted keys per second (5-minute rate) above which evictions alert. 0 means any eviction. */
    evictionsPerSecond: number;
    /** How long the eviction rate must stay above the threshold, in minutes. */
    evictionsForMinutes: number;
    /** Severity of eviction alerts. */
    evictionSeverity: Severity;
    /** Severity of failing RDB or AOF writes. */
    persistenceSeverity: Severity;
    /** Share of `maxclients` in use that raises a warning. */
    connectionsRatio: number;
    /** New slowlog entries in 5 minutes above which slowlog growth alerts. */
    slowlogEntriesPer5m: number;
    /** Average server-side command time, in seconds, above which commands are slow for 10 minutes. */
    averageCommandSeconds: number;
    /** Full resyncs served by a primary in one hour above which resyncs alert. */
    fullResyncsPerHour: number;
    /** A backup is overdue when the last success is older than this many backup intervals. */
    backupOverdueIntervals: number;
    /** Severity of missing or overdue backups. */
    backupSeverity: Severity;
}

/**
 * The thresholds per profile.
 *
 * - `cache` evicts by design (`allkeys-lru`): memory alerts only near the limit, evictions only when they are
 *   so frequent the hit ratio must suffer; persistence and backups are a convenience, so warnings.
 * - `session` evicts only expiring keys: a sustained eviction rate logs users out, so it warns early.
 * - `queue` and `durable` never evict (`noeviction`): a full node rejects writes, so memory alerts fire
 *   earlier, any eviction is critical (someone changed the policy) and so is a failing write to disk.
 */
export const PROFILE_THRESHOLDS: Readonly<Record<WorkloadProfile, ProfileThresholds>> = {
    cache: {
        memoryWarningRatio: 0.9,
        memoryCriticalRatio: 0.98,
        evictionsPerSecond: 100,
        evictionsForMinutes: 15,
        evictionSeverity: "warning",
        persistenceSeverity: "warning",
        connectionsRatio: 0.9,
        slowlogEntriesPer5m: 10,
        averageCommandSeconds: 0.001,
        fullResyncsPerHour: 3,
        backupOverdueIntervals: 3,
        backupSeverity: "warning",
    },
    session: {
        memoryWarningRatio: 0.8,
        memoryCriticalRatio: 0.95,
        evictionsPerSecond: 1,
        evictionsForMinutes: 5,
        evictionSeverity: "warning",
        persistenceSeverity: "critical",
        connectionsRatio: 0.9,
        slowlogEntriesPer5m: 10,
        averageCommandSeconds: 0.001,
        fullResyncsPerHour: 2,
        backupOverdueIntervals: 2,
        backupSeverity: "warning",
    },
    queue: {
        memoryWarningRatio: 0.75,
        memoryCriticalRatio: 0.9,
        evictionsPerSecond: 0,
        evictionsForMinutes: 0,
        evictionSeverity: "critical",
        persistenceSeverity: "critical",
        connectionsRatio: 0.9,
        slowlogEntriesPer5m: 10,
        // AOF fsync on every write makes each command slower.
        averageCommandSeconds: 0.002,
        fullResyncsPerHour: 2,
        backupOverdueIntervals: 2,
        backupSeverity: "critical",
    },
    durable: {
        memoryWarningRatio: 0.75,
        memoryCriticalRatio: 0.9,
        evictionsPerSecond: 0,
        evictionsForMinutes: 0,
        evictionSeverity: "critical",
        persistenceSeverity: "critical",
        connectionsRatio: 0.9,
        slowlogEntriesPer5m: 10,
        // AOF fsync on every write makes each command slower.
        averageCommandSeconds: 0.002,
        fullResyncsPerHour: 2,
        backupOverdueIntervals: 1.5,
        backupSeverity: "critical",
    },
};
