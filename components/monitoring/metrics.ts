/**
 * The metric and label names the alert rules, the dashboard and the scrape configs share. The Redis metrics
 * are the ones prometheus-redis-exporter (1.45, Debian bookworm) exports; the exporter integration test
 * scrapes a real exporter and checks that every `redis_*` name used anywhere here appears.
 */

/** Labels every scraped series carries, set by the scrape config (or the ServiceMonitor's relabelings). */
export const SCRAPE_LABELS = {
    /** The deployment (one Redis of one stack) a series belongs to. Rules are grouped by it. */
    deployment: "deployment",
    /** The node name, such as `redis-0` or `sentinel-2`. */
    node: "node",
    /** What the exporter watches: {@link ExporterKind}. */
    kind: "kind",
} as const;

/** What an exporter watches: a data node or a sentinel. */
export type ExporterKind = "redis" | "sentinel";

/**
 * The metric the backup job publishes after every successful upload: the Unix time of that upload, labelled
 * with `deployment`. The backup alerts read it.
 */
export const BACKUP_LAST_SUCCESS_METRIC = "redisplatform_backup_last_success_timestamp_seconds";

/** The number of hash slots of a Redis Cluster. */
export const CLUSTER_SLOTS = 16384;

/**
 * The names of the exporter metrics (and Prometheus's own `up`) that appear in a PromQL expression. Used to
 * check rules and dashboards against what a real exporter exports.
 */
export function metricNamesIn(expr: string): string[] {
    const names = new Set<string>();
    for (const match of expr.matchAll(/\b(redis_[a-z0-9_]+)\b/g)) {
        names.add(match[1]);
    }
    return [...names].sort();
}
