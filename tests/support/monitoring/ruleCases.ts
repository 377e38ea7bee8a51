import { stringify } from "yaml";
import { AlertDeployment, alertRulesFor, backupMissingAfterSeconds, backupOverdueAfterSeconds, sentinelMajority } from "../../../components/monitoring/alertRules";
import { BACKUP_LAST_SUCCESS_METRIC, CLUSTER_SLOTS } from "../../../components/monitoring/metrics";
import { PROFILE_THRESHOLDS } from "../../../components/monitoring/thresholds";

/**
 * `promtool test rules` cases for the alert rules: a healthy set of series for a deployment, and for every
 * alert one or more bad variants of it. Each case is run twice: on the bad series the alert must fire with
 * exactly the expected labels and annotations, on the healthy series it must stay silent.
 */

/** Sample and evaluation step of short cases, and of cases evaluated hours after their first sample. */
const SHORT_STEP_SECONDS = 60;
const LONG_STEP_SECONDS = 300;
/** Cases evaluated later than this run with the long step, so promtool evaluates a few hundred steps, not thousands. */
const LONG_CASE_SECONDS = 7200;

/** One input series: a metric, its labels and its value as a function of time. */
export interface Series {
    name: string;
    labels: Record<string, string>;
    /** The value at `seconds` after the first sample. */
    value: (seconds: number) => number;
}

/** A bad variant of the healthy series and what must fire on it. */
export interface BadVariant {
    /** What is wrong, for the test name. */
    what: string;
    /** Changes the healthy series into the bad ones. */
    mutate: (series: Series[]) => Series[];
    /** The labels of each firing alert, beyond the rule's own labels. */
    alertLabels: Record<string, string>[];
}

/** Every case of one alert. */
export interface RuleCase {
    alert: string;
    /** When to evaluate, in seconds after the first sample. */
    evalSeconds: number;
    bad: BadVariant[];
}

interface NodeInfo {
    node: string;
    kind: "redis" | "sentinel";
    primary: boolean;
}

function nodesOf(deployment: AlertDeployment): NodeInfo[] {
    const dataNodes = deployment.primaries * (1 + deployment.replicasPerPrimary);
    const nodes: NodeInfo[] = [];
    for (let index = 0; index < dataNodes; index += 1) {
        nodes.push({ node: `redis-${index}`, kind: "redis", primary: index < deployment.primaries });
    }
    for (let index = 0; index < deployment.sentinels; index += 1) {
        nodes.push({ node: `sentinel-${index}`, kind: "sentinel", primary: false });
    }
    return nodes;
}

/** The labels the scrape config gives every series of a node. */
export function nodeLabels(deployment: AlertDeployment, node: NodeInfo): Record<string, string> {
    return { deployment: deployment.name, node: node.node, kind: node.kind, instance: `${node.node}:9121`, job: `redis-${node.kind}` };
}

const GIB = 1024 ** 3;
const constant = (value: number) => () => value;
/** A value that grows by `perMinute` every minute from `start`. */
const perMinute = (start: number, increment: number) => (seconds: number) => start + (increment * seconds) / 60;

/** The series of a healthy deployment: every node up, roles as designed, nothing near a threshold. */
export function healthySeries(deployment: AlertDeployment): Series[] {
    const series: Series[] = [];
    const add = (name: string, labels: Record<string, string>, value: (step: number) => number) => series.push({ name, labels, value });
    for (const node of nodesOf(deployment)) {
        const labels = nodeLabels(deployment, node);
        add("up", labels, constant(1));
        add("redis_up", labels, constant(1));
        if (node.kind === "sentinel") {
            add("redis_sentinel_tilt", labels, constant(0));
            add("redis_sentinel_master_ckquorum_status", { ...labels, master_name: "redis-primary" }, constant(1));
            continue;
        }
        add("redis_instance_info", { ...labels, role: node.primary ? "master" : "slave" }, constant(1));
        if (node.primary && deployment.replicasPerPrimary > 0) {
            add("redis_connected_slave_lag_seconds", { ...labels, slave_ip: "10.0.0.9", slave_port: "6379", slave_state: "online" }, constant(0));
        }
        if (!node.primary) {
            add("redis_master_link_up", { ...labels, master_host: "redis-0", master_port: "6379" }, constant(1));
        }
        add("redis_replica_resyncs_full", labels, constant(deployment.replicasPerPrimary));
        add("redis_memory_used_bytes", labels, constant(0.4 * GIB));
        add("redis_memory_max_bytes", labels, constant(GIB));
        // A cache evicts a little all the time; the others never.
        add("redis_evicted_keys_total", labels, deployment.profile === "cache" ? perMinute(0, 30) : constant(0));
        add("redis_connected_clients", labels, constant(120));
        add("redis_config_maxclients", labels, constant(10000));
        add("redis_rejected_connections_total", labels, constant(0));
        add("redis_rdb_last_bgsave_status", labels, constant(1));
        add("redis_aof_last_write_status", labels, constant(1));
        add("redis_aof_last_bgrewrite_status", labels, constant(1));
        add("redis_slowlog_last_id", labels, perMinute(3, 0.2));
        // 1000 commands a minute at 20µs each.
        add("redis_commands_total", { ...labels, cmd: "get" }, perMinute(0, 1000));
        add("redis_commands_duration_seconds_total", { ...labels, cmd: "get" }, perMinute(0, 0.02));
        if (deployment.topology === "cluster") {
            add("redis_cluster_state", labels, constant(1));
            add("redis_cluster_slots_fail", labels, constant(0));
            add("redis_cluster_slots_assigned", labels, constant(CLUSTER_SLOTS));
        }
    }
    if (deployment.proxy === true) {
        // One Envoy pod: scraped, routing every command, its connections to the nodes healthy.
        const labels = { deployment: deployment.name, node: PROXY_NODE, kind: "proxy", instance: `${PROXY_NODE}:9902`, job: `proxy-${deployment.name}` };
        add("up", labels, constant(1));
        add("envoy_redis_splitter_unsupported_command", { ...labels, envoy_redis_prefix: "redis" }, constant(0));
        add("envoy_cluster_upstream_cx_connect_fail", { ...labels, envoy_cluster_name: "redis_cluster" }, constant(3));
    }
    if (deployment.backupIntervalSeconds !== undefined) {
        // A backup that succeeded a minute ago, whenever you look.
        add(BACKUP_LAST_SUCCESS_METRIC, { deployment: deployment.name, job: "redis-backup" }, (seconds) => seconds - 60);
    }
    return series;
}

function isNode(series: Series, name: string, node: string): boolean {
    return series.name === name && series.labels.node === node;
}

/** Replaces the value of the named series of one node. */
function setValue(name: string, node: string, value: (seconds: number) => number, extraLabels: Record<string, string> = {}) {
    return (all: Series[]) => all.map((series) => (isNode(series, name, node) ? { ...series, labels: { ...series.labels, ...extraLabels }, value } : series));
}

function labelsOf(all: Series[], name: string, node: string): Record<string, string> {
    const found = all.find((series) => isNode(series, name, node));
    if (found === undefined) {
        throw new Error(`no series ${name} for ${node}`);
    }
    return found.labels;
}

/** The node label of the one Envoy pod the proxy cases have (its address, as the DNS discovery labels it). */
const PROXY_NODE = "10.0.0.40";

/** The cases of every alert {@link alertRulesFor} gives this deployment. */
export function ruleCases(deployment: AlertDeployment): RuleCase[] {
    const t = PROFILE_THRESHOLDS[deployment.profile];
    const healthy = healthySeries(deployment);
    const nodes = nodesOf(deployment);
    const primary = nodes.find((node) => node.kind === "redis" && node.primary)!.node;
    const replica = nodes.find((node) => node.kind === "redis" && !node.primary)?.node;
    const nodeAlert = (name: string, node: string) => labelsOf(healthy, name, node);
    const cases: RuleCase[] = [];

    cases.push(
        { alert: "RedisDown", evalSeconds: 120, bad: [{ what: "a node's exporter reports redis_up 0", mutate: setValue("redis_up", replica ?? primary, constant(0)), alertLabels: [nodeAlert("redis_up", replica ?? primary)] }] },
        { alert: "RedisExporterDown", evalSeconds: 180, bad: [{ what: "a scrape fails", mutate: setValue("up", primary, constant(0)), alertLabels: [nodeAlert("up", primary)] }] },
    );

    const demote = setValue("redis_instance_info", primary, constant(1), { role: "slave" });
    cases.push({ alert: "RedisPrimaryMissing", evalSeconds: 60, bad: [{ what: "a primary reports the replica role", mutate: demote, alertLabels: [{}] }] });
    const promoteExtra = (all: Series[]): Series[] =>
        replica !== undefined
            ? setValue("redis_instance_info", replica, constant(1), { role: "master" })(all)
            : [...all, { name: "redis_instance_info", labels: { ...labelsOf(all, "redis_instance_info", primary), node: "redis-extra", instance: "redis-extra:9121" }, value: constant(1) }];
    cases.push({ alert: "RedisTooManyPrimaries", evalSeconds: 120, bad: [{ what: "one node too many reports the primary role", mutate: promoteExtra, alertLabels: [{}] }] });

    if (deployment.replicasPerPrimary > 0 && replica !== undefined) {
        cases.push(
            { alert: "RedisReplicaLinkDown", evalSeconds: 120, bad: [{ what: "a replica's master link is down", mutate: setValue("redis_master_link_up", replica, constant(0)), alertLabels: [nodeAlert("redis_master_link_up", replica)] }] },
            {
                alert: "RedisReplicationLag",
                evalSeconds: 120,
                bad: [{ what: "a replica's last ack is too old", mutate: setValue("redis_connected_slave_lag_seconds", primary, constant(deployment.replicationMaxLagSeconds + 5)), alertLabels: [nodeAlert("redis_connected_slave_lag_seconds", primary)] }],
            },
            {
                alert: "RedisReplicaFullResyncs",
                evalSeconds: 600,
                bad: [{ what: "a full resync every minute", mutate: setValue("redis_replica_resyncs_full", primary, perMinute(1, 1)), alertLabels: [nodeAlert("redis_replica_resyncs_full", primary)] }],
            },
        );
    }

    const node = primary;
    cases.push(
        {
            alert: "RedisMemoryHigh",
            evalSeconds: 360,
            bad: [{ what: "memory between the warning and critical ratios", mutate: setValue("redis_memory_used_bytes", node, constant(GIB * ((t.memoryWarningRatio + t.memoryCriticalRatio) / 2))), alertLabels: [nodeAlert("redis_memory_used_bytes", node)] }],
        },
        {
            alert: "RedisMemoryCritical",
            evalSeconds: 180,
            bad: [{ what: "memory above the critical ratio", mutate: setValue("redis_memory_used_bytes", node, constant(GIB * Math.min(0.999, t.memoryCriticalRatio + 0.01))), alertLabels: [nodeAlert("redis_memory_used_bytes", node)] }],
        },
        {
            alert: "RedisEvictions",
            evalSeconds: t.evictionsForMinutes * 60 + 360,
            bad: [{ what: "evictions above the rate", mutate: setValue("redis_evicted_keys_total", node, perMinute(0, (t.evictionsPerSecond + 1) * 60)), alertLabels: [nodeAlert("redis_evicted_keys_total", node)] }],
        },
        {
            alert: "RedisConnectionsHigh",
            evalSeconds: 360,
            bad: [{ what: "clients above the maxclients ratio", mutate: setValue("redis_connected_clients", node, constant(Math.ceil(10000 * (t.connectionsRatio + 0.05)))), alertLabels: [nodeAlert("redis_connected_clients", node)] }],
        },
        {
            alert: "RedisRejectedConnections",
            evalSeconds: 180,
            bad: [{ what: "a rejected connection a minute", mutate: setValue("redis_rejected_connections_total", node, perMinute(0, 1)), alertLabels: [nodeAlert("redis_rejected_connections_total", node)] }],
        },
        { alert: "RedisRdbSaveFailing", evalSeconds: 120, bad: [{ what: "the last bgsave failed", mutate: setValue("redis_rdb_last_bgsave_status", node, constant(0)), alertLabels: [nodeAlert("redis_rdb_last_bgsave_status", node)] }] },
        {
            alert: "RedisAofWriteFailing",
            evalSeconds: 120,
            bad: [
                { what: "the last AOF write failed", mutate: setValue("redis_aof_last_write_status", node, constant(0)), alertLabels: [nodeAlert("redis_aof_last_write_status", node)] },
                { what: "the last AOF rewrite failed", mutate: setValue("redis_aof_last_bgrewrite_status", node, constant(0)), alertLabels: [nodeAlert("redis_aof_last_bgrewrite_status", node)] },
            ],
        },
        {
            alert: "RedisCommandLatencyHigh",
            evalSeconds: 1020,
            bad: [
                {
                    what: "commands take twice the average the profile allows",
                    mutate: setValue("redis_commands_duration_seconds_total", node, perMinute(0, 1000 * 2 * t.averageCommandSeconds)),
                    alertLabels: [{ node, deployment: deployment.name }],
                },
            ],
        },
        {
            alert: "RedisSlowlogGrowing",
            evalSeconds: 660,
            bad: [{ what: "many slow commands a minute", mutate: setValue("redis_slowlog_last_id", node, perMinute(0, t.slowlogEntriesPer5m)), alertLabels: [nodeAlert("redis_slowlog_last_id", node)] }],
        },
    );

    if (deployment.backupIntervalSeconds !== undefined) {
        const backupLabels = { deployment: deployment.name, job: "redis-backup" };
        cases.push(
            {
                alert: "RedisBackupMissing",
                evalSeconds: backupMissingAfterSeconds(deployment.backupIntervalSeconds) + 300,
                bad: [{ what: "no backup ever reported", mutate: (all) => all.filter((series) => series.name !== BACKUP_LAST_SUCCESS_METRIC), alertLabels: [{ deployment: deployment.name }] }],
            },
            {
                alert: "RedisBackupOverdue",
                evalSeconds: backupOverdueAfterSeconds(deployment.backupIntervalSeconds, t) + 900,
                bad: [{ what: "the last backup is at time 0", mutate: (all) => all.map((series) => (series.name === BACKUP_LAST_SUCCESS_METRIC ? { ...series, value: constant(0) } : series)), alertLabels: [backupLabels] }],
            },
        );
    }

    if (deployment.topology === "sentinel") {
        const down = deployment.sentinels - sentinelMajority(deployment.sentinels) + 1;
        const sentinelsDown = (all: Series[]) => all.map((series) => (series.name === "redis_up" && series.labels.kind === "sentinel" && Number(series.labels.node.split("-")[1]) < down ? { ...series, value: constant(0) } : series));
        const ckquorumFails = (all: Series[]) => all.map((series) => (series.name === "redis_sentinel_master_ckquorum_status" ? { ...series, value: constant(0) } : series));
        cases.push(
            { alert: "RedisSentinelDown", evalSeconds: 120, bad: [{ what: "a sentinel is down", mutate: setValue("redis_up", "sentinel-0", constant(0)), alertLabels: [nodeAlert("redis_up", "sentinel-0")] }] },
            {
                alert: "RedisSentinelQuorumLost",
                evalSeconds: 120,
                bad: [
                    { what: `${down} of ${deployment.sentinels} sentinels down`, mutate: sentinelsDown, alertLabels: [{}] },
                    { what: "CKQUORUM fails", mutate: ckquorumFails, alertLabels: [{}] },
                ],
            },
            { alert: "RedisSentinelTilt", evalSeconds: 60, bad: [{ what: "a sentinel in TILT", mutate: setValue("redis_sentinel_tilt", "sentinel-0", constant(1)), alertLabels: [nodeAlert("redis_sentinel_tilt", "sentinel-0")] }] },
        );
    }

    if (deployment.proxy === true) {
        cases.push(
            {
                alert: "RedisProxyUnsupportedCommands",
                evalSeconds: 300,
                bad: [{ what: "clients send SUBSCRIBE through the proxy", mutate: setValue("envoy_redis_splitter_unsupported_command", PROXY_NODE, perMinute(0, 2)), alertLabels: [nodeAlert("envoy_redis_splitter_unsupported_command", PROXY_NODE)] }],
            },
            {
                alert: "RedisProxyUpstreamConnectFailures",
                evalSeconds: 900,
                bad: [{ what: "connections to the nodes keep failing", mutate: setValue("envoy_cluster_upstream_cx_connect_fail", PROXY_NODE, perMinute(3, 5)), alertLabels: [nodeAlert("envoy_cluster_upstream_cx_connect_fail", PROXY_NODE)] }],
            },
        );
    }

    if (deployment.topology === "cluster") {
        cases.push(
            { alert: "RedisClusterStateNotOk", evalSeconds: 120, bad: [{ what: "cluster_state fail", mutate: setValue("redis_cluster_state", primary, constant(0)), alertLabels: [nodeAlert("redis_cluster_state", primary)] }] },
            {
                alert: "RedisClusterSlotsFailing",
                evalSeconds: 120,
                bad: [
                    { what: "slots in fail state", mutate: setValue("redis_cluster_slots_fail", primary, constant(100)), alertLabels: [nodeAlert("redis_cluster_slots_fail", primary)] },
                    { what: "slots unassigned", mutate: setValue("redis_cluster_slots_assigned", primary, constant(CLUSTER_SLOTS - 384)), alertLabels: [nodeAlert("redis_cluster_slots_assigned", primary)] },
                ],
            },
        );
    }
    return cases;
}

function seriesText(series: Series): string {
    const labels = Object.entries(series.labels)
        .map(([label, value]) => `${label}="${value}"`)
        .join(",");
    return `${series.name}{${labels}}`;
}

function valuesText(series: Series, steps: number, stepSeconds: number): string {
    return Array.from({ length: steps + 1 }, (_, step) => String(series.value(step * stepSeconds))).join(" ");
}

function expandTemplate(text: string, labels: Record<string, string>): string {
    return text.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, label: string) => labels[label] ?? "");
}

/** Which cases a test file holds: those evaluated within two hours, or the later ones. */
export type CaseLength = "short" | "long";

/**
 * A `promtool test rules` file for one deployment: for every case of the given length, a test on the healthy
 * series where the alert stays silent and one per bad variant where it fires with the exact labels and
 * annotations.
 *
 * @param ruleFile the rule file's path, as the test file refers to it
 */
export function promtoolTestFile(deployment: AlertDeployment, ruleFile: string, length: CaseLength): string {
    const rules = new Map(alertRulesFor(deployment).map((rule) => [rule.alert, rule]));
    const stepSeconds = length === "long" ? LONG_STEP_SECONDS : SHORT_STEP_SECONDS;
    const cases = ruleCases(deployment).filter((ruleCase) => (ruleCase.evalSeconds > LONG_CASE_SECONDS) === (length === "long"));
    const tests = cases.flatMap((ruleCase) => {
        const rule = rules.get(ruleCase.alert);
        if (rule === undefined) {
            throw new Error(`case for ${ruleCase.alert}, which deployment ${deployment.name} does not have`);
        }
        const steps = Math.ceil(ruleCase.evalSeconds / stepSeconds) + 1;
        const test = (name: string, series: Series[], expected: Record<string, string>[]) => ({
            name,
            interval: `${stepSeconds}s`,
            input_series: series.map((one) => ({ series: seriesText(one), values: valuesText(one, steps, stepSeconds) })),
            alert_rule_test: [
                {
                    eval_time: `${ruleCase.evalSeconds}s`,
                    alertname: ruleCase.alert,
                    exp_alerts: expected.map((labels) => {
                        const allLabels = { ...labels, ...rule.labels };
                        return {
                            exp_labels: allLabels,
                            exp_annotations: { summary: expandTemplate(rule.annotations.summary, allLabels), description: expandTemplate(rule.annotations.description, allLabels), runbook_url: rule.annotations.runbook_url },
                        };
                    }),
                },
            ],
        });
        // Only the series the rule reads: the others cannot change its outcome, and long cases stay fast.
        const read = (all: Series[]) => all.filter((one) => new RegExp(`\\b${one.name}\\b`).test(rule.expr));
        const healthy = healthySeries(deployment);
        return [
            test(`${deployment.name} ${ruleCase.alert} silent when healthy`, read(healthy), []),
            ...ruleCase.bad.map((variant) => test(`${deployment.name} ${ruleCase.alert} fires: ${variant.what}`, read(variant.mutate(healthy)), variant.alertLabels)),
        ];
    });
    return stringify({ rule_files: [ruleFile], evaluation_interval: `${stepSeconds}s`, tests }, { lineWidth: 0 });
}
