import type { WorkloadProfile } from "../redisconf/profiles";

/**
 * CloudWatch alarm thresholds per workload profile. A cache may run hot and evict by design; a queue or
 * durable store must never evict and needs head-room before memory runs out. Pure: no Pulumi.
 */

/** Every threshold an alarm uses. */
export interface AlarmThresholds {
    /** Host CPU, percent (all cores). */
    cpuPercent: number;
    /** The engine thread's CPU, percent (Serverless: share of the ECPU ceiling). */
    engineCpuPercent: number;
    /** Memory used for data, percent of what the node (or the Serverless storage ceiling) holds. */
    memoryPercent: number;
    /** Keys evicted per 5 minutes above which the alarm fires (0: any eviction). */
    evictions: number;
    /** Client connections per node. */
    connections: number;
    /** Replica lag behind its primary, seconds. */
    replicationLagSeconds: number;
    /** Swap in use, MiB. */
    swapMiB: number;
    /** Serverless commands throttled per 5 minutes (0: any throttling). */
    throttledCommands: number;
}

/** The thresholds per profile; stack config may override each one. */
export const PROFILE_ALARM_THRESHOLDS: Readonly<Record<WorkloadProfile, AlarmThresholds>> = {
    cache: { cpuPercent: 90, engineCpuPercent: 90, memoryPercent: 95, evictions: 10000, connections: 10000, replicationLagSeconds: 30, swapMiB: 256, throttledCommands: 1000 },
    session: { cpuPercent: 90, engineCpuPercent: 80, memoryPercent: 85, evictions: 100, connections: 10000, replicationLagSeconds: 10, swapMiB: 256, throttledCommands: 100 },
    queue: { cpuPercent: 80, engineCpuPercent: 75, memoryPercent: 75, evictions: 0, connections: 5000, replicationLagSeconds: 5, swapMiB: 128, throttledCommands: 0 },
    durable: { cpuPercent: 80, engineCpuPercent: 70, memoryPercent: 70, evictions: 0, connections: 5000, replicationLagSeconds: 2, swapMiB: 128, throttledCommands: 0 },
};

/** The profile's thresholds with the stack's overrides applied. */
export function alarmThresholds(profile: WorkloadProfile, overrides: Partial<AlarmThresholds>): AlarmThresholds {
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
    return { ...PROFILE_ALARM_THRESHOLDS[profile], ...defined };
}
