/**
 * The CloudWatch dashboard of an ElastiCache (Redis OSS or Valkey) replication group, beside its alarms:
 * the same topics as the self-hosted Grafana dashboard, from the `AWS/ElastiCache` namespace. Pure: the
 * ElastiCache component calls it inside an `apply` on the replication group's id and member clusters.
 */

/** What {@link cloudWatchDashboardBody} needs. */
export interface CloudWatchDashboardInput {
    /** The replication group id. */
    replicationGroupId: string;
    /** The cache cluster id of every node (the replication group's `memberClusters`), primary and replicas. */
    nodeIds: string[];
    /** The AWS region the group runs in, such as `eu-west-1`. */
    region: string;
}

/** One CloudWatch metric line: namespace, name, dimension pairs, then rendering options. */
type MetricLine = (string | Record<string, unknown>)[];

interface WidgetSpec {
    title: string;
    /** Metric names, each drawn for every node. */
    metrics: string[];
    stat: "Average" | "Sum" | "Maximum";
    /** Y axis label. */
    label: string;
}

const NAMESPACE = "AWS/ElastiCache";
const WIDTH = 8;
const HEIGHT = 6;

/** The widgets, in display order. Each pairs metrics that are read together. */
export const CLOUDWATCH_WIDGETS: readonly WidgetSpec[] = [
    { title: "Engine CPU", metrics: ["EngineCPUUtilization"], stat: "Average", label: "%" },
    { title: "Host CPU", metrics: ["CPUUtilization"], stat: "Average", label: "%" },
    { title: "Memory used", metrics: ["DatabaseMemoryUsagePercentage"], stat: "Average", label: "%" },
    { title: "Commands", metrics: ["GetTypeCmds", "SetTypeCmds"], stat: "Sum", label: "count" },
    { title: "Command latency", metrics: ["GetTypeCmdsLatency", "SetTypeCmdsLatency"], stat: "Average", label: "µs" },
    { title: "Hit ratio", metrics: ["CacheHitRate"], stat: "Average", label: "%" },
    { title: "Connections", metrics: ["CurrConnections", "NewConnections"], stat: "Maximum", label: "count" },
    { title: "Evictions", metrics: ["Evictions"], stat: "Sum", label: "keys" },
    { title: "Replication lag", metrics: ["ReplicationLag"], stat: "Maximum", label: "s" },
    { title: "Network", metrics: ["NetworkBytesIn", "NetworkBytesOut"], stat: "Sum", label: "bytes" },
    { title: "Swap and freeable memory", metrics: ["SwapUsage", "FreeableMemory"], stat: "Average", label: "bytes" },
    { title: "Snapshots in progress", metrics: ["SaveInProgress"], stat: "Maximum", label: "0/1" },
];

const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]$/;
const CLUSTER_ID = /^[a-zA-Z][a-zA-Z0-9-]{0,49}$/;

/**
 * Checks a {@link CloudWatchDashboardInput}.
 *
 * @throws Error naming the field, the value and what is allowed
 */
export function validateCloudWatchDashboardInput(input: CloudWatchDashboardInput): void {
    if (!CLUSTER_ID.test(input.replicationGroupId)) {
        throw new Error(`replicationGroupId "${input.replicationGroupId}": must be an ElastiCache id (a letter, then letters, digits and '-', at most 50)`);
    }
    if (!REGION.test(input.region)) {
        throw new Error(`region "${input.region}": must be an AWS region such as eu-west-1`);
    }
    if (input.nodeIds.length === 0) {
        throw new Error("nodeIds: must list at least one cache cluster id");
    }
    for (const id of input.nodeIds) {
        if (!CLUSTER_ID.test(id)) {
            throw new Error(`nodeIds "${id}": must be an ElastiCache cache cluster id`);
        }
    }
    if (new Set(input.nodeIds).size !== input.nodeIds.length) {
        throw new Error(`nodeIds ${input.nodeIds.join(", ")}: lists a node twice`);
    }
}

/** The dashboard as CloudWatch's `DashboardBody` object. */
export function cloudWatchDashboard(input: CloudWatchDashboardInput): { widgets: Record<string, unknown>[] } {
    validateCloudWatchDashboardInput(input);
    const nodes = [...input.nodeIds].sort();
    const header = {
        type: "text",
        x: 0,
        y: 0,
        width: 24,
        height: 1,
        properties: { markdown: `## ElastiCache ${input.replicationGroupId} (${input.region}): ${nodes.length} node${nodes.length === 1 ? "" : "s"}` },
    };
    const widgets = CLOUDWATCH_WIDGETS.map((widget, index) => {
        const metrics: MetricLine[] = widget.metrics.flatMap((metric) =>
            nodes.map((node): MetricLine => [NAMESPACE, metric, "CacheClusterId", node, { label: widget.metrics.length > 1 ? `${metric} ${node}` : node }]),
        );
        return {
            type: "metric",
            x: (index * WIDTH) % 24,
            y: 1 + Math.floor((index * WIDTH) / 24) * HEIGHT,
            width: WIDTH,
            height: HEIGHT,
            properties: {
                title: widget.title,
                region: input.region,
                view: "timeSeries",
                stacked: false,
                stat: widget.stat,
                period: 60,
                metrics,
                yAxis: { left: { label: widget.label, showUnits: false } },
            },
        };
    });
    return { widgets: [header, ...widgets] };
}

/** The dashboard body as the JSON text `aws.cloudwatch.Dashboard`'s `dashboardBody` takes. */
export function cloudWatchDashboardBody(input: CloudWatchDashboardInput): string {
    return JSON.stringify(cloudWatchDashboard(input));
}
