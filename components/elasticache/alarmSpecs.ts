import type { AlarmThresholds } from "./alarmThresholds";

/**
 * Which CloudWatch alarms watch a replication group or Serverless cache, and how. Pure: no Pulumi; the
 * alarms component turns each spec into one `aws.cloudwatch.MetricAlarm`.
 */

/** One alarm, everything decided except where it notifies. */
export interface AlarmSpec {
    /** Suffix of the resource name, unique within the deployment. */
    key: string;
    metricName: string;
    /** The metric's dimensions: `CacheClusterId` per node, `clusterId` for a Serverless cache. */
    dimensions: Record<string, string>;
    statistic: "Average" | "Maximum" | "Sum";
    /** Seconds per datapoint. */
    period: number;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    threshold: number;
    /** What the alarm means, for whoever gets paged. */
    description: string;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** Sustained for 5 of 5 minutes, so a single slow command or a snapshot fork does not page anybody. */
const SUSTAINED = { period: 60, evaluationPeriods: 5, datapointsToAlarm: 5 } as const;
/** Counted over 5 minutes, fires on the first bad window. */
const COUNTED = { period: 300, evaluationPeriods: 1, datapointsToAlarm: 1 } as const;

/** The alarms of each node of a replication group. Replication lag is only watched when there are replicas. */
export function nodeAlarmSpecs(replicationGroupId: string, nodeIds: readonly string[], hasReplicas: boolean, thresholds: AlarmThresholds): AlarmSpec[] {
    return nodeIds.flatMap((nodeId) => {
        const dimensions = { CacheClusterId: nodeId };
        // Keys drop the group id every node id starts with: alarm names prefix it again.
        const node = nodeId.startsWith(`${replicationGroupId}-`) ? nodeId.slice(replicationGroupId.length + 1) : nodeId;
        const specs: AlarmSpec[] = [
            { key: `${node}-cpu`, metricName: "CPUUtilization", dimensions, statistic: "Average", ...SUSTAINED, threshold: thresholds.cpuPercent, description: `${nodeId}: host CPU above ${thresholds.cpuPercent}%` },
            { key: `${node}-engine-cpu`, metricName: "EngineCPUUtilization", dimensions, statistic: "Average", ...SUSTAINED, threshold: thresholds.engineCpuPercent, description: `${nodeId}: engine thread CPU above ${thresholds.engineCpuPercent}%: commands queue up` },
            { key: `${node}-memory`, metricName: "DatabaseMemoryUsagePercentage", dimensions, statistic: "Maximum", ...SUSTAINED, threshold: thresholds.memoryPercent, description: `${nodeId}: data memory above ${thresholds.memoryPercent}%` },
            { key: `${node}-evictions`, metricName: "Evictions", dimensions, statistic: "Sum", ...COUNTED, threshold: thresholds.evictions, description: `${nodeId}: more than ${thresholds.evictions} keys evicted in 5 minutes` },
            { key: `${node}-connections`, metricName: "CurrConnections", dimensions, statistic: "Maximum", ...SUSTAINED, threshold: thresholds.connections, description: `${nodeId}: more than ${thresholds.connections} client connections` },
            { key: `${node}-swap`, metricName: "SwapUsage", dimensions, statistic: "Maximum", ...SUSTAINED, threshold: thresholds.swapMiB * MIB, description: `${nodeId}: more than ${thresholds.swapMiB} MiB of swap in use` },
        ];
        if (hasReplicas) {
            // Only replicas report ReplicationLag; the primary's missing data must not count as breaching.
            specs.push({ key: `${node}-replication-lag`, metricName: "ReplicationLag", dimensions, statistic: "Maximum", ...SUSTAINED, threshold: thresholds.replicationLagSeconds, description: `${nodeId}: replica more than ${thresholds.replicationLagSeconds} s behind its primary` });
        }
        return specs;
    });
}

/** The alarms of a Serverless cache, measured against its own usage ceilings. */
export function serverlessAlarmSpecs(cacheName: string, limits: { maxDataStorageGb: number; maxEcpuPerSecond: number }, thresholds: AlarmThresholds): AlarmSpec[] {
    const dimensions = { clusterId: cacheName };
    const storageBytes = Math.floor(limits.maxDataStorageGb * GIB * (thresholds.memoryPercent / 100));
    const ecpuPerMinute = Math.floor(limits.maxEcpuPerSecond * 60 * (thresholds.engineCpuPercent / 100));
    return [
        { key: "storage", metricName: "BytesUsedForCache", dimensions, statistic: "Maximum", ...SUSTAINED, threshold: storageBytes, description: `${cacheName}: data above ${thresholds.memoryPercent}% of the ${limits.maxDataStorageGb} GB ceiling` },
        { key: "ecpu", metricName: "ElastiCacheProcessingUnits", dimensions, statistic: "Sum", ...SUSTAINED, threshold: ecpuPerMinute, description: `${cacheName}: ECPUs above ${thresholds.engineCpuPercent}% of the ${limits.maxEcpuPerSecond}/s ceiling` },
        { key: "throttled", metricName: "ThrottledCmds", dimensions, statistic: "Sum", ...COUNTED, threshold: thresholds.throttledCommands, description: `${cacheName}: more than ${thresholds.throttledCommands} commands throttled in 5 minutes` },
        { key: "evictions", metricName: "Evictions", dimensions, statistic: "Sum", ...COUNTED, threshold: thresholds.evictions, description: `${cacheName}: more than ${thresholds.evictions} keys evicted in 5 minutes` },
        { key: "connections", metricName: "CurrConnections", dimensions, statistic: "Maximum", ...SUSTAINED, threshold: thresholds.connections, description: `${cacheName}: more than ${thresholds.connections} client connections` },
    ];
}
