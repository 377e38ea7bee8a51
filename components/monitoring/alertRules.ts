import { stringify } from "yaml";
import type { WorkloadProfile } from "../redisconf/profiles";
import { ENVOY_REDIS_CLUSTER } from "../selfhosted/proxy/envoyConfig";
import { BACKUP_LAST_SUCCESS_METRIC, CLUSTER_SLOTS } from "./metrics";
import { duration, percent, selector } from "./promql";
import { DEFAULT_RUNBOOK_BASE_URL, runbookUrl } from "./runbooks";
import { PROFILE_THRESHOLDS, ProfileThresholds, Severity } from "./thresholds";

/**
 * Prometheus alert rules for self-hosted Redis, one rule group per deployment. Pure: the same input always
 * renders the same YAML, which `promtool check rules` and `promtool test rules` verify in the integration
 * tests.
 */

/** What the rules of one deployment depend on. */
export interface AlertDeployment {
    /** The deployment name: the value of the `deployment` label on its series. Lower-case DNS label. */
    name: string;
    /** The workload profile, which picks the thresholds. */
    profile: WorkloadProfile;
    topology: "standalone" | "sentinel" | "cluster";
    /** How many primaries a healthy deployment has: 1, or the shard count in cluster mode. */
    primaries: number;
    /** Replicas of each primary. Replication alerts exist only when it is at least 1. */
    replicasPerPrimary: number;
    /** Sentinel processes (sentinel topology only, else 0). */
    sentinels: number;
    /** `min-replicas-max-lag` in seconds: a replica whose last acknowledgement is older than this is lagging. */
    replicationMaxLagSeconds: number;
    /** The longest time between two scheduled backups, in seconds; `undefined` when backups are off. */
    backupIntervalSeconds?: number;
    /** Where each alert's `runbook_url` points (`redis:monitoring.runbookBaseUrl`). @default "docs/runbooks" */
    runbookBaseUrl?: string;
    /** Whether an Envoy proxy fronts the cluster (`selfhosted.proxy`): adds the proxy's alerts. @default false */
    proxy?: boolean;
}

/** One alerting rule as Prometheus reads it. */
export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: Record<string, string>;
    /** `runbook_url` links the alert's section of `docs/runbooks/alerts.md`. */
    annotations: { summary: string; description: string; runbook_url: string };
}

/** One rule group: all the rules of one deployment. */
export interface AlertRuleGroup {
    name: string;
    rules: AlertRule[];
}

/** The label that marks alerts about replicas, which Alertmanager holds back while the primary is missing. */
export const REPLICA_SCOPE_LABEL = { scope: "replica" } as const;

/** The alert that says a deployment has fewer primaries than it should: the source of the replica inhibition. */
export const PRIMARY_MISSING_ALERT = "RedisPrimaryMissing";

const DEPLOYMENT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Checks an {@link AlertDeployment}.
 *
 * @throws Error naming the field, the value and what is allowed
 */
export function validateAlertDeployment(deployment: AlertDeployment): void {
    const where = `alert deployment "${deployment.name}"`;
    if (!DEPLOYMENT_NAME.test(deployment.name)) {
        throw new Error(`${where}: name must be a lower-case DNS label (a-z, 0-9, '-', at most 63)`);
    }
    if (!Number.isInteger(deployment.primaries) || deployment.primaries < 1) {
        throw new Error(`${where}: primaries = ${deployment.primaries}: must be a whole number of at least 1`);
    }
    if (deployment.topology !== "cluster" && deployment.primaries !== 1) {
        throw new Error(`${where}: primaries = ${deployment.primaries}: topology "${deployment.topology}" has exactly 1 primary`);
    }
    if (deployment.topology === "sentinel" && deployment.sentinels < 1) {
        throw new Error(`${where}: sentinels = ${deployment.sentinels}: topology "sentinel" needs at least 1 sentinel`);
    }
    if (deployment.topology !== "sentinel" && deployment.sentinels !== 0) {
        throw new Error(`${where}: sentinels = ${deployment.sentinels}: only topology "sentinel" has sentinels`);
    }
    if (!Number.isInteger(deployment.replicationMaxLagSeconds) || deployment.replicationMaxLagSeconds < 1) {
        throw new Error(`${where}: replicationMaxLagSeconds = ${deployment.replicationMaxLagSeconds}: must be a whole number of seconds, at least 1`);
    }
    if (deployment.backupIntervalSeconds !== undefined && (!Number.isInteger(deployment.backupIntervalSeconds) || deployment.backupIntervalSeconds < 60)) {
        throw new Error(`${where}: backupIntervalSeconds = ${deployment.backupIntervalSeconds}: must be a whole number of seconds, at least 60`);
    }
}

/** The majority of a sentinel group: how many must be reachable to authorise a failover. */
export function sentinelMajority(sentinels: number): number {
    return Math.floor(sentinels / 2) + 1;
}

/** How long a backup may stay absent before the first one counts as missing: one interval plus an hour. */
export function backupMissingAfterSeconds(intervalSeconds: number): number {
    return intervalSeconds + 3600;
}

/** The age at which the last successful backup is overdue for a profile. */
export function backupOverdueAfterSeconds(intervalSeconds: number, thresholds: ProfileThresholds): number {
    return Math.round(intervalSeconds * thresholds.backupOverdueIntervals);
}

type RuleInput = Omit<AlertRule, "labels" | "annotations"> & { annotations: Omit<AlertRule["annotations"], "runbook_url">; severity: Severity; replicaScope?: boolean };

/** Every rule of one deployment, in a fixed order: availability, replication, resources, persistence, topology. */
export function alertRulesFor(deployment: AlertDeployment): AlertRule[] {
    validateAlertDeployment(deployment);
    const t = PROFILE_THRESHOLDS[deployment.profile];
    const d = deployment.name;
    const redis = selector(d, { kind: "redis" });
    const rules: RuleInput[] = [];

    rules.push(
        {
            alert: "RedisDown",
            expr: `redis_up${redis} == 0`,
            for: "1m",
            severity: "critical",
            annotations: { summary: "Redis node {{ $labels.node }} is down", description: `The exporter of {{ $labels.node }} in deployment ${d} cannot reach Redis.` },
        },
        {
            alert: "RedisExporterDown",
            expr: `up${selector(d)} == 0`,
            for: "2m",
            severity: "warning",
            annotations: { summary: "Exporter of {{ $labels.node }} cannot be scraped", description: `Prometheus cannot scrape the exporter of {{ $labels.node }} in deployment ${d}: its alerts are blind.` },
        },
        {
            alert: PRIMARY_MISSING_ALERT,
            expr: `(count(redis_instance_info${selector(d, { kind: "redis", role: "master" })}) or vector(0)) < ${deployment.primaries}`,
            for: "30s",
            severity: "critical",
            annotations: {
                summary: deployment.primaries === 1 ? `Deployment ${d} has no primary` : `Deployment ${d} has fewer than ${deployment.primaries} primaries`,
                description: `Fewer nodes of deployment ${d} report the primary role than the ${deployment.primaries} expected: writes fail.`,
            },
        },
        {
            alert: "RedisTooManyPrimaries",
            expr: `count(redis_instance_info${selector(d, { kind: "redis", role: "master" })}) > ${deployment.primaries}`,
            for: "1m",
            severity: "critical",
            annotations: {
                summary: deployment.primaries === 1 ? `Deployment ${d} has more than one primary` : `Deployment ${d} has more than ${deployment.primaries} primaries`,
                description: `More nodes of deployment ${d} report the primary role than the ${deployment.primaries} expected: a split brain loses the writes of one side.` },
        },
    );

    if (deployment.replicasPerPrimary > 0) {
        rules.push(
            {
                alert: "RedisReplicaLinkDown",
                expr: `redis_master_link_up${redis} == 0`,
                for: "1m",
                severity: "warning",
                replicaScope: true,
                annotations: { summary: "Replica {{ $labels.node }} lost its primary", description: `The link of replica {{ $labels.node }} in deployment ${d} to its primary is down: it serves stale data and cannot be promoted safely.` },
            },
            {
                alert: "RedisReplicationLag",
                expr: `redis_connected_slave_lag_seconds${redis} > ${deployment.replicationMaxLagSeconds}`,
                for: "1m",
                severity: "warning",
                replicaScope: true,
                annotations: { summary: "A replica of {{ $labels.node }} lags", description: `A replica of {{ $labels.node }} in deployment ${d} acknowledged nothing for more than ${deployment.replicationMaxLagSeconds}s (min-replicas-max-lag).` },
            },
            {
                alert: "RedisReplicaFullResyncs",
                expr: `increase(redis_replica_resyncs_full${redis}[1h]) > ${t.fullResyncsPerHour}`,
                for: "0s",
                severity: "warning",
                replicaScope: true,
                annotations: { summary: "Repeated full resyncs from {{ $labels.node }}", description: `Primary {{ $labels.node }} in deployment ${d} served more than ${t.fullResyncsPerHour} full resyncs in an hour: the replication backlog is too small or replicas keep restarting.` },
            },
        );
    }

    const memoryRatio = `redis_memory_used_bytes${redis} / (redis_memory_max_bytes${redis} > 0)`;
    rules.push(
        {
            alert: "RedisMemoryHigh",
            expr: `${memoryRatio} > ${t.memoryWarningRatio}`,
            for: "5m",
            severity: "warning",
            annotations: { summary: "Memory of {{ $labels.node }} is high", description: `{{ $labels.node }} in deployment ${d} uses more than ${percent(t.memoryWarningRatio)} of maxmemory.` },
        },
        {
            alert: "RedisMemoryCritical",
            expr: `${memoryRatio} > ${t.memoryCriticalRatio}`,
            for: "2m",
            severity: "critical",
            annotations: { summary: "Memory of {{ $labels.node }} is nearly full", description: `{{ $labels.node }} in deployment ${d} uses more than ${percent(t.memoryCriticalRatio)} of maxmemory.` },
        },
        {
            alert: "RedisEvictions",
            expr: `rate(redis_evicted_keys_total${redis}[5m]) > ${t.evictionsPerSecond}`,
            for: duration(t.evictionsForMinutes * 60),
            severity: t.evictionSeverity,
            annotations: {
                summary: "{{ $labels.node }} evicts keys",
                description:
                    t.evictionsPerSecond === 0
                        ? `{{ $labels.node }} in deployment ${d} evicted keys, which a ${deployment.profile} workload must never do.`
                        : `{{ $labels.node }} in deployment ${d} evicts more than ${t.evictionsPerSecond} keys per second.`,
            },
        },
        {
            alert: "RedisConnectionsHigh",
            expr: `redis_connected_clients${redis} / (redis_config_maxclients${redis} > 0) > ${t.connectionsRatio}`,
            for: "5m",
            severity: "warning",
            annotations: { summary: "{{ $labels.node }} is near maxclients", description: `{{ $labels.node }} in deployment ${d} has more than ${percent(t.connectionsRatio)} of maxclients connected.` },
        },
        {
            alert: "RedisRejectedConnections",
            expr: `increase(redis_rejected_connections_total${redis}[5m]) > 0`,
            for: "0s",
            severity: "warning",
            annotations: { summary: "{{ $labels.node }} rejects connections", description: `{{ $labels.node }} in deployment ${d} refused connections because maxclients was reached.` },
        },
        {
            alert: "RedisRdbSaveFailing",
            expr: `redis_rdb_last_bgsave_status${redis} == 0`,
            for: "1m",
            severity: t.persistenceSeverity,
            annotations: { summary: "RDB snapshots of {{ $labels.node }} fail", description: `The last background save of {{ $labels.node }} in deployment ${d} failed: the disk is full or not writable.` },
        },
        {
            alert: "RedisAofWriteFailing",
            expr: `redis_aof_last_write_status${redis} == 0 or redis_aof_last_bgrewrite_status${redis} == 0`,
            for: "1m",
            severity: t.persistenceSeverity,
            annotations: { summary: "AOF writes of {{ $labels.node }} fail", description: `Writing or rewriting the append-only file of {{ $labels.node }} in deployment ${d} failed: writes are refused until it recovers.` },
        },
        {
            alert: "RedisCommandLatencyHigh",
            expr: `sum by (deployment, node) (rate(redis_commands_duration_seconds_total${redis}[5m])) / sum by (deployment, node) (rate(redis_commands_total${redis}[5m])) > ${t.averageCommandSeconds}`,
            for: "10m",
            severity: "warning",
            annotations: {
                summary: "Commands on {{ $labels.node }} are slow",
                description: `Commands on {{ $labels.node }} in deployment ${d} took more than ${t.averageCommandSeconds * 1e6}µs on average for 10 minutes (server time, before the network): look for big keys and O(N) commands in SLOWLOG.`,
            },
        },
        {
            alert: "RedisSlowlogGrowing",
            expr: `increase(redis_slowlog_last_id${redis}[5m]) > ${t.slowlogEntriesPer5m}`,
            for: "5m",
            severity: "warning",
            annotations: { summary: "Slow commands on {{ $labels.node }}", description: `More than ${t.slowlogEntriesPer5m} commands per 5 minutes on {{ $labels.node }} in deployment ${d} were slower than slowlog-log-slower-than.` },
        },
    );

    if (deployment.backupIntervalSeconds !== undefined) {
        const overdue = backupOverdueAfterSeconds(deployment.backupIntervalSeconds, t);
        rules.push(
            {
                alert: "RedisBackupMissing",
                expr: `absent(${BACKUP_LAST_SUCCESS_METRIC}${selector(d)})`,
                for: duration(backupMissingAfterSeconds(deployment.backupIntervalSeconds)),
                severity: t.backupSeverity,
                annotations: { summary: `No backup of ${d} has ever succeeded`, description: `The backup job of deployment ${d} has not reported a single successful backup.` },
            },
            {
                alert: "RedisBackupOverdue",
                expr: `time() - ${BACKUP_LAST_SUCCESS_METRIC}${selector(d)} > ${overdue}`,
                for: "10m",
                severity: t.backupSeverity,
                annotations: { summary: `Backup of ${d} is overdue`, description: `The last successful backup of deployment ${d} is older than ${duration(overdue)}.` },
            },
        );
    }

    if (deployment.topology === "sentinel") {
        const majority = sentinelMajority(deployment.sentinels);
        const sentinel = selector(d, { kind: "sentinel" });
        rules.push(
            {
                alert: "RedisSentinelDown",
                expr: `redis_up${sentinel} == 0`,
                for: "1m",
                severity: "warning",
                annotations: { summary: "Sentinel {{ $labels.node }} is down", description: `Sentinel {{ $labels.node }} of deployment ${d} does not answer: failover tolerates one failure less.` },
            },
            {
                alert: "RedisSentinelQuorumLost",
                expr: `(count(redis_up${sentinel} == 1) or vector(0)) < ${majority} or min(redis_sentinel_master_ckquorum_status${sentinel}) == 0`,
                for: "1m",
                severity: "critical",
                annotations: { summary: `Sentinels of ${d} cannot fail over`, description: `Fewer than ${majority} of the ${deployment.sentinels} sentinels of deployment ${d} are usable: a dead primary would not be replaced.` },
            },
            {
                alert: "RedisSentinelTilt",
                expr: `redis_sentinel_tilt${sentinel} > 0`,
                for: "0s",
                severity: "warning",
                annotations: { summary: "Sentinel {{ $labels.node }} is in TILT mode", description: `Sentinel {{ $labels.node }} of deployment ${d} saw its clock jump or its process stall and stopped acting for 30 seconds.` },
            },
        );
    }

    if (deployment.topology === "cluster") {
        rules.push(
            {
                alert: "RedisClusterStateNotOk",
                expr: `redis_cluster_state${redis} == 0`,
                for: "1m",
                severity: "critical",
                annotations: { summary: "Cluster state is not ok on {{ $labels.node }}", description: `{{ $labels.node }} in deployment ${d} reports cluster_state:fail: it refuses queries.` },
            },
            {
                alert: "RedisClusterSlotsFailing",
                expr: `redis_cluster_slots_fail${redis} > 0 or redis_cluster_slots_assigned${redis} < ${CLUSTER_SLOTS}`,
                for: "1m",
                severity: "critical",
                annotations: { summary: "Cluster slots are failing or unassigned", description: `{{ $labels.node }} in deployment ${d} sees hash slots whose primary failed or that no node serves.` },
            },
        );
    }

    if (deployment.proxy === true) {
        rules.push(...proxyRules(d));
    }

    const runbookBase = deployment.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
    return rules.map(({ severity, replicaScope, annotations, ...rule }) => ({
        ...rule,
        labels: { severity, deployment: d, ...(replicaScope ? REPLICA_SCOPE_LABEL : {}) },
        annotations: { ...annotations, runbook_url: runbookUrl(runbookBase, "alerts.md", rule.alert.toLowerCase()) },
    }));
}

/**
 * The Envoy proxy's alerts (docs/proxy.md). Its scrape failing is already `RedisExporterDown` (the proxy's
 * target carries the deployment label too); these say what only Envoy knows: clients sending commands it
 * cannot route, and connections to the nodes failing.
 */
function proxyRules(d: string): RuleInput[] {
    const proxy = selector(d, { kind: "proxy" });
    const upstream = selector(d, { kind: "proxy", envoy_cluster_name: ENVOY_REDIS_CLUSTER });
    return [
        {
            alert: "RedisProxyUnsupportedCommands",
            expr: `increase(envoy_redis_splitter_unsupported_command${proxy}[10m]) > 0`,
            for: "0s",
            severity: "warning",
            annotations: {
                summary: "Clients send commands the proxy cannot route ({{ $labels.node }})",
                description: `The Envoy proxy {{ $labels.node }} of deployment ${d} answered commands it does not support (pub/sub, blocking, CLIENT, ...) with an error: those clients must connect to the cluster directly.`,
            },
        },
        {
            alert: "RedisProxyUpstreamConnectFailures",
            expr: `increase(envoy_cluster_upstream_cx_connect_fail${upstream}[5m]) > 0`,
            for: "5m",
            severity: "warning",
            annotations: {
                summary: "The proxy {{ $labels.node }} keeps failing to connect to cluster nodes",
                description: `The Envoy proxy {{ $labels.node }} of deployment ${d} has failed to open connections to the cluster nodes for 5 minutes: a node, its certificate or the proxy's password is wrong.`,
            },
        },
    ];
}

/** The name of the rule group of one deployment. */
export function ruleGroupName(deployment: string): string {
    return `redis-${deployment}`;
}

/**
 * The rule groups of several deployments, one group each.
 *
 * @throws Error when a deployment is invalid or two deployments share a name
 */
export function alertRuleGroups(deployments: readonly AlertDeployment[]): AlertRuleGroup[] {
    const names = new Set<string>();
    for (const deployment of deployments) {
        if (names.has(deployment.name)) {
            throw new Error(`alert deployment "${deployment.name}" appears twice: rule groups must have unique names`);
        }
        names.add(deployment.name);
    }
    return deployments.map((deployment) => ({ name: ruleGroupName(deployment.name), rules: alertRulesFor(deployment) }));
}

/** The Prometheus rule file (YAML) for several deployments. */
export function renderAlertRules(deployments: readonly AlertDeployment[]): string {
    return stringify({ groups: alertRuleGroups(deployments) }, { lineWidth: 0 });
}
