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
    /**
     * How a period without datapoints counts. `breaching` where every live node reports the metric, so a
     * node that vanished (replaced, stopped, its host gone) alarms instead of reading OK; `notBreaching`
     * where silence is normal (a primary reports no replication lag, an idle Serverless cache may skip
     * datapoints).
     */
    treatMissingData: "breaching" | "notBreaching";
    /** The runbook the alarm links to, from `docs/runbooks/`. */
    runbook: string;
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
        // Every live node reports these each minute: silence means the node is gone.
        const reported = { dimensions, treatMissingData: "breaching" as const };
        const specs: AlarmSpec[] = [
            { key: `${node}-cpu`, metricName: "CPUUtilization", ...reported, statistic: "Average", ...SUSTAINED, threshold: thresholds.cpuPercent, description: `${nodeId}: host CPU above ${thresholds.cpuPercent}%, or no data (node gone)`, runbook: "scaling.md" },
            { key: `${node}-engine-cpu`, metricName: "EngineCPUUtilization", ...reported, statistic: "Average", ...SUSTAINED, threshold: thresholds.engineCpuPercent, description: `${nodeId}: engine thread CPU above ${thresholds.engineCpuPercent}%: commands queue up; or no data (node gone)`, runbook: "scaling.md" },
            { key: `${node}-memory`, metricName: "DatabaseMemoryUsagePercentage", ...reported, statistic: "Maximum", ...SUSTAINED, threshold: thresholds.memoryPercent, description: `${nodeId}: data memory above ${thresholds.memoryPercent}%, or no data (node gone)`, runbook: "scaling.md" },
            // A counter: some periods legitimately have no datapoint.
            { key: `${node}-evictions`, metricName: "Evictions", dimensions, treatMissingData: "notBreaching", statistic: "Sum", ...COUNTED, threshold: thresholds.evictions, description: `${nodeId}: more than ${thresholds.evictions} keys evicted in 5 minutes`, runbook: "scaling.md" },
            { key: `${node}-connections`, metricName: "CurrConnections", ...reported, statistic: "Maximum", ...SUSTAINED, threshold: thresholds.connections, description: `${nodeId}: more than ${thresholds.connections} client connections, or no data (node gone)`, runbook: "scaling.md" },
            { key: `${node}-swap`, metricName: "SwapUsage", ...reported, statistic: "Maximum", ...SUSTAINED, threshold: thresholds.swapMiB * MIB, description: `${nodeId}: more than ${thresholds.swapMiB} MiB of swap in use, or no data (node gone)`, runbook: "scaling.md" },
        ];
        if (hasReplicas) {
            // Only replicas report ReplicationLag; the primary's missing data must not count as breaching.
            specs.push({ key: `${node}-replication-lag`, metricName: "ReplicationLag", dimensions, treatMissingData: "notBreaching", statistic: "Maximum", ...SUSTAINED, threshold: thresholds.replicationLagSeconds, description: `${nodeId}: replica more than ${thresholds.replicationLagSeconds} s behind its primary`, runbook: "failover.md" });
        }
        return specs;
    });
}

/** The alarms of a Serverless cache, measured against its own usage ceilings. */
export function serverlessAlarmSpecs(cacheName: string, limits: { maxDataStorageGb: number; maxEcpuPerSecond: number }, thresholds: AlarmThresholds): AlarmSpec[] {
    const dimensions = { clusterId: cacheName };
    const storageBytes = Math.floor(limits.maxDataStorageGb * GIB * (thresholds.memoryPercent / 100));
    const ecpuPerMinute = Math.floor(limits.maxEcpuPerSecond * 60 * (thresholds.engineCpuPercent / 100));
    // An idle Serverless cache may publish no datapoint; it has no node that could vanish.
    const quiet = { dimensions, treatMissingData: "notBreaching" as const, runbook: "scaling.md" };
    return [
        { key: "storage", metricName: "BytesUsedForCache", ...quiet, statistic: "Maximum", ...SUSTAINED, threshold: storageBytes, description: `${cacheName}: data above ${thresholds.memoryPercent}% of the ${limits.maxDataStorageGb} GB ceiling` },
        { key: "ecpu", metricName: "ElastiCacheProcessingUnits", ...quiet, statistic: "Sum", ...SUSTAINED, threshold: ecpuPerMinute, description: `${cacheName}: ECPUs above ${thresholds.engineCpuPercent}% of the ${limits.maxEcpuPerSecond}/s ceiling` },
        { key: "throttled", metricName: "ThrottledCmds", ...quiet, statistic: "Sum", ...COUNTED, threshold: thresholds.throttledCommands, description: `${cacheName}: more than ${thresholds.throttledCommands} commands throttled in 5 minutes` },
        { key: "evictions", metricName: "Evictions", ...quiet, statistic: "Sum", ...COUNTED, threshold: thresholds.evictions, description: `${cacheName}: more than ${thresholds.evictions} keys evicted in 5 minutes` },
        { key: "connections", metricName: "CurrConnections", ...quiet, statistic: "Maximum", ...SUSTAINED, threshold: thresholds.connections, description: `${cacheName}: more than ${thresholds.connections} client connections` },
    ];
}
