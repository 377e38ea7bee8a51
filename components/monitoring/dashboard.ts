import { ENVOY_REDIS_CLUSTER } from "../selfhosted/proxy/envoyConfig";
import { BACKUP_LAST_SUCCESS_METRIC } from "./metrics";

/**
 * The Grafana dashboard of a self-hosted Redis deployment, as JSON-ready plain data. Variables: `$datasource`
 * (any Prometheus datasource, so the JSON imports into an existing Grafana; the bundled Grafana's is the
 * default), `$deployment`, and `$node` (all nodes, or some). Rows cover throughput, latency, memory, hit
 * ratio, connections, replication, evictions, persistence and, by topology, sentinel or cluster state.
 */

/** One query of a panel. */
export interface DashboardQuery {
    expr: string;
    legend: string;
}

/** One time-series panel. */
export interface DashboardPanelSpec {
    title: string;
    /** A Grafana unit: `ops`, `s`, `bytes`, `percentunit`, `short`, `µs`. */
    unit: string;
    queries: DashboardQuery[];
}

/** A titled row of panels. */
export interface DashboardRowSpec {
    title: string;
    panels: DashboardPanelSpec[];
}

/** The topologies whose extra row differs. */
export type DashboardTopology = "standalone" | "sentinel" | "cluster";

/** What else the dashboard shows besides the topology's rows. */
export interface DashboardOptions {
    /** Adds the Envoy proxy's row (`selfhosted.proxy`). @default false */
    proxy?: boolean;
}

const D = '{deployment="$deployment",kind="redis",node=~"$node"}';
const P = '{deployment="$deployment",kind="proxy"}';
const P_UPSTREAM = `{deployment="$deployment",kind="proxy",envoy_cluster_name="${ENVOY_REDIS_CLUSTER}"}`;

/**
 * The Envoy proxy's row. Envoy's Prometheus names: `redis.<stat_prefix>.` stats lose the prefix into the
 * `envoy_redis_prefix` label, per-command counters keep the command in the name
 * (`envoy_redis_command_get_error`), cluster stats carry `envoy_cluster_name`.
 */
const PROXY_ROW: DashboardRowSpec = {
    title: "Proxy (Envoy)",
    panels: [
        { title: "Proxy commands per second", unit: "ops", queries: [{ expr: `sum by (node) (rate(envoy_redis_downstream_rq_total${P}[1m]))`, legend: "{{node}}" }] },
        {
            title: "Proxy errors per second",
            unit: "ops",
            queries: [
                { expr: `sum by (node) (rate({__name__=~"envoy_redis_command_.+_error",deployment="$deployment",kind="proxy"}[1m]))`, legend: "command errors {{node}}" },
                { expr: `sum by (node) (rate(envoy_redis_splitter_unsupported_command${P}[1m]))`, legend: "unsupported {{node}}" },
            ],
        },
        { title: "Proxy client connections", unit: "short", queries: [{ expr: `sum by (node) (envoy_redis_downstream_cx_active${P})`, legend: "{{node}}" }] },
        {
            title: "Upstream connections to nodes",
            unit: "short",
            queries: [
                { expr: `sum by (node) (envoy_cluster_upstream_cx_active${P_UPSTREAM})`, legend: "active {{node}}" },
                { expr: `sum by (node) (rate(envoy_cluster_upstream_cx_connect_fail${P_UPSTREAM}[5m]))`, legend: "connect failures/s {{node}}" },
            ],
        },
    ],
};
const S = '{deployment="$deployment",kind="sentinel",node=~"$node"}';

/** The rows of the dashboard for a topology, in display order. */
export function dashboardRows(topology: DashboardTopology, options: DashboardOptions = {}): DashboardRowSpec[] {
    const rows: DashboardRowSpec[] = [
        {
            title: "Throughput and latency",
            panels: [
                { title: "Commands per second", unit: "ops", queries: [{ expr: `sum by (node) (rate(redis_commands_processed_total${D}[1m]))`, legend: "{{node}}" }] },
                {
                    title: "Average command latency",
                    unit: "s",
                    queries: [{ expr: `sum by (node) (rate(redis_commands_duration_seconds_total${D}[1m])) / sum by (node) (rate(redis_commands_total${D}[1m]))`, legend: "{{node}}" }],
                },
                {
                    title: "p99 latency by command",
                    unit: "µs",
                    queries: [{ expr: `topk(10, max by (cmd) (redis_latency_percentiles_usec{deployment="$deployment",kind="redis",node=~"$node",quantile="99"}))`, legend: "{{cmd}}" }],
                },
                { title: "Network", unit: "Bps", queries: [{ expr: `sum by (node) (rate(redis_net_input_bytes_total${D}[1m]))`, legend: "in {{node}}" }, { expr: `sum by (node) (rate(redis_net_output_bytes_total${D}[1m]))`, legend: "out {{node}}" }] },
            ],
        },
        {
            title: "Memory and keys",
            panels: [
                { title: "Memory used / maxmemory", unit: "percentunit", queries: [{ expr: `redis_memory_used_bytes${D} / (redis_memory_max_bytes${D} > 0)`, legend: "{{node}}" }] },
                { title: "Memory used", unit: "bytes", queries: [{ expr: `redis_memory_used_bytes${D}`, legend: "used {{node}}" }, { expr: `redis_memory_used_rss_bytes${D}`, legend: "rss {{node}}" }] },
                { title: "Fragmentation ratio", unit: "short", queries: [{ expr: `redis_mem_fragmentation_ratio${D}`, legend: "{{node}}" }] },
                { title: "Keys", unit: "short", queries: [{ expr: `sum by (node) (redis_db_keys${D})`, legend: "{{node}}" }] },
            ],
        },
        {
            title: "Hit ratio and evictions",
            panels: [
                {
                    title: "Keyspace hit ratio",
                    unit: "percentunit",
                    queries: [
                        {
                            expr: `sum by (node) (rate(redis_keyspace_hits_total${D}[5m])) / (sum by (node) (rate(redis_keyspace_hits_total${D}[5m])) + sum by (node) (rate(redis_keyspace_misses_total${D}[5m])))`,
                            legend: "{{node}}",
                        },
                    ],
                },
                { title: "Evicted keys per second", unit: "ops", queries: [{ expr: `rate(redis_evicted_keys_total${D}[5m])`, legend: "{{node}}" }] },
                { title: "Expired keys per second", unit: "ops", queries: [{ expr: `rate(redis_expired_keys_total${D}[5m])`, legend: "{{node}}" }] },
            ],
        },
        {
            title: "Connections",
            panels: [
                { title: "Clients / maxclients", unit: "percentunit", queries: [{ expr: `redis_connected_clients${D} / (redis_config_maxclients${D} > 0)`, legend: "{{node}}" }] },
                { title: "Connected clients", unit: "short", queries: [{ expr: `redis_connected_clients${D}`, legend: "{{node}}" }, { expr: `redis_blocked_clients${D}`, legend: "blocked {{node}}" }] },
                { title: "Rejected connections per second", unit: "ops", queries: [{ expr: `rate(redis_rejected_connections_total${D}[5m])`, legend: "{{node}}" }] },
            ],
        },
        {
            title: "Replication",
            panels: [
                { title: "Role (1 = primary)", unit: "short", queries: [{ expr: `max by (node) (redis_instance_info{deployment="$deployment",kind="redis",node=~"$node",role="master"})`, legend: "{{node}}" }] },
                { title: "Connected replicas", unit: "short", queries: [{ expr: `redis_connected_slaves${D}`, legend: "{{node}}" }] },
                { title: "Replica lag", unit: "s", queries: [{ expr: `redis_connected_slave_lag_seconds${D}`, legend: "{{node}} → {{slave_ip}}:{{slave_port}}" }] },
                { title: "Link to primary (1 = up)", unit: "short", queries: [{ expr: `redis_master_link_up${D}`, legend: "{{node}}" }] },
                { title: "Full resyncs per hour", unit: "short", queries: [{ expr: `increase(redis_replica_resyncs_full${D}[1h])`, legend: "{{node}}" }] },
            ],
        },
        {
            title: "Persistence and backups",
            panels: [
                { title: "Seconds since last RDB save", unit: "s", queries: [{ expr: `time() - redis_rdb_last_save_timestamp_seconds${D}`, legend: "{{node}}" }] },
                { title: "Changes since last save", unit: "short", queries: [{ expr: `redis_rdb_changes_since_last_save${D}`, legend: "{{node}}" }] },
                {
                    title: "Last write status (1 = ok)",
                    unit: "short",
                    queries: [
                        { expr: `redis_rdb_last_bgsave_status${D}`, legend: "rdb {{node}}" },
                        { expr: `redis_aof_last_write_status${D}`, legend: "aof {{node}}" },
                    ],
                },
                { title: "Age of last backup", unit: "s", queries: [{ expr: `time() - ${BACKUP_LAST_SUCCESS_METRIC}{deployment="$deployment"}`, legend: "backup" }] },
            ],
        },
    ];
    if (topology === "sentinel") {
        rows.push({
            title: "Sentinel",
            panels: [
                { title: "Sentinels up", unit: "short", queries: [{ expr: `sum(redis_up${S})`, legend: "up" }] },
                { title: "Quorum reachable (1 = ok)", unit: "short", queries: [{ expr: `redis_sentinel_master_ckquorum_status${S}`, legend: "{{node}}" }] },
                { title: "Sentinels and replicas seen", unit: "short", queries: [{ expr: `redis_sentinel_master_ok_sentinels${S}`, legend: "sentinels by {{node}}" }, { expr: `redis_sentinel_master_ok_slaves${S}`, legend: "replicas by {{node}}" }] },
                { title: "TILT mode", unit: "short", queries: [{ expr: `redis_sentinel_tilt${S}`, legend: "{{node}}" }] },
            ],
        });
    }
    if (topology === "cluster") {
        rows.push({
            title: "Cluster",
            panels: [
                { title: "Cluster state (1 = ok)", unit: "short", queries: [{ expr: `redis_cluster_state${D}`, legend: "{{node}}" }] },
                {
                    title: "Slots",
                    unit: "short",
                    queries: [
                        { expr: `max(redis_cluster_slots_ok${D})`, legend: "ok" },
                        { expr: `max(redis_cluster_slots_pfail${D})`, legend: "pfail" },
                        { expr: `max(redis_cluster_slots_fail${D})`, legend: "fail" },
                    ],
                },
                { title: "Known nodes", unit: "short", queries: [{ expr: `redis_cluster_known_nodes${D}`, legend: "{{node}}" }] },
            ],
        });
    }
    if (options.proxy === true) {
        rows.push(PROXY_ROW);
    }
    return rows;
}

const PANEL_WIDTH = 6;
const PANEL_HEIGHT = 8;

/**
 * The dashboard JSON model (what Grafana's file provider loads).
 *
 * @param topology decides whether a Sentinel or Cluster row is added
 * @param uid the dashboard uid. @default "redis-<topology>"
 */
export function redisDashboard(topology: DashboardTopology, uid = `redis-${topology}`, options: DashboardOptions = {}): Record<string, unknown> {
    const datasource = { type: "prometheus", uid: "${datasource}" };
    const panels: Record<string, unknown>[] = [];
    let id = 1;
    let y = 0;
    for (const row of dashboardRows(topology, options)) {
        panels.push({ id: id++, type: "row", title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
        y += 1;
        row.panels.forEach((panel, index) => {
            const x = (index * PANEL_WIDTH) % 24;
            if (index > 0 && x === 0) {
                y += PANEL_HEIGHT;
            }
            panels.push({
                id: id++,
                type: "timeseries",
                title: panel.title,
                datasource,
                gridPos: { h: PANEL_HEIGHT, w: PANEL_WIDTH, x, y },
                fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
                options: { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } },
                targets: panel.queries.map((query, queryIndex) => ({ refId: String.fromCharCode(65 + queryIndex), datasource, expr: query.expr, legendFormat: query.legend })),
            });
        });
        y += PANEL_HEIGHT;
    }
    return {
        uid,
        title: `Redis (${topology})`,
        tags: ["redis", topology],
        timezone: "browser",
        editable: false,
        schemaVersion: 39,
        version: 1,
        refresh: "30s",
        time: { from: "now-6h", to: "now" },
        templating: {
            list: [
                { name: "datasource", label: "Datasource", type: "datasource", query: "prometheus", refresh: 1, includeAll: false, multi: false },
                {
                    name: "deployment",
                    label: "Deployment",
                    type: "query",
                    datasource,
                    query: { query: "label_values(redis_up, deployment)", refId: "deployment" },
                    definition: "label_values(redis_up, deployment)",
                    refresh: 2,
                    includeAll: false,
                    multi: false,
                },
                {
                    name: "node",
                    label: "Node",
                    type: "query",
                    datasource,
                    query: { query: 'label_values(redis_up{deployment="$deployment"}, node)', refId: "node" },
                    definition: 'label_values(redis_up{deployment="$deployment"}, node)',
                    refresh: 2,
                    includeAll: true,
                    allValue: ".*",
                    current: { text: "All", value: "$__all" },
                    multi: true,
                },
            ],
        },
        panels,
    };
}

/** The dashboard as the JSON file Grafana provisions. */
export function renderRedisDashboard(topology: DashboardTopology, uid?: string, options: DashboardOptions = {}): string {
    return `${JSON.stringify(redisDashboard(topology, uid, options), null, 2)}\n`;
}

/** Every PromQL expression of a topology's dashboard, for checks against promtool and a real exporter. */
export function dashboardExpressions(topology: DashboardTopology, options: DashboardOptions = {}): string[] {
    return dashboardRows(topology, options).flatMap((row) => row.panels.flatMap((panel) => panel.queries.map((query) => query.expr)));
}
