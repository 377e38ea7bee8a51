import type { WorkloadProfile } from "../redisconf/profiles";
import { duration, percent } from "./promql";
import { PROFILE_THRESHOLDS, ProfileThresholds } from "./thresholds";

/**
 * The alert table of docs/monitoring.md, rendered from the same thresholds the rules use (a unit test checks
 * the document holds exactly this table).
 */

interface AlertRow {
    alert: string;
    when: string;
    /** The threshold (and severity where it varies) per profile; `undefined` when it is the same for all. */
    perProfile?: (t: ProfileThresholds) => string;
    /** Severity when it does not vary by profile. */
    severity?: string;
    /** Which deployments have the rule. */
    scope: string;
}

const ROWS: readonly AlertRow[] = [
    { alert: "RedisDown", when: "`redis_up == 0` for 1m", severity: "critical", scope: "all" },
    { alert: "RedisExporterDown", when: "the exporter cannot be scraped for 2m", severity: "warning", scope: "all" },
    { alert: "RedisPrimaryMissing", when: "fewer nodes report the primary role than expected (1, or the shard count) for 30s", severity: "critical", scope: "all" },
    { alert: "RedisTooManyPrimaries", when: "more nodes report the primary role than expected for 1m (split brain)", severity: "critical", scope: "all" },
    { alert: "RedisReplicaLinkDown", when: "a replica's `master_link_status` is down for 1m", severity: "warning, `scope=replica`", scope: "with replicas" },
    { alert: "RedisReplicationLag", when: "a replica's last ack is older than `min-replicas-max-lag` (10 s standard, 5 s fast failover) for 1m", severity: "warning, `scope=replica`", scope: "with replicas" },
    { alert: "RedisReplicaFullResyncs", when: "a primary served more full resyncs in 1h than", perProfile: (t) => `${t.fullResyncsPerHour}`, severity: "warning, `scope=replica`", scope: "with replicas" },
    { alert: "RedisMemoryHigh", when: "used memory / `maxmemory` above, for 5m", perProfile: (t) => percent(t.memoryWarningRatio), severity: "warning", scope: "all" },
    { alert: "RedisMemoryCritical", when: "used memory / `maxmemory` above, for 2m", perProfile: (t) => percent(t.memoryCriticalRatio), severity: "critical", scope: "all" },
    {
        alert: "RedisEvictions",
        when: "evicted keys per second (5m rate) above",
        perProfile: (t) => `${t.evictionsPerSecond === 0 ? "any" : `${t.evictionsPerSecond}/s`} for ${duration(t.evictionsForMinutes * 60)}, ${t.evictionSeverity}`,
        scope: "all",
    },
    { alert: "RedisConnectionsHigh", when: "connected clients / `maxclients` above, for 5m", perProfile: (t) => percent(t.connectionsRatio), severity: "warning", scope: "all" },
    { alert: "RedisRejectedConnections", when: "any connection rejected in 5m", severity: "warning", scope: "all" },
    { alert: "RedisRdbSaveFailing", when: "the last background save failed, for 1m", perProfile: (t) => t.persistenceSeverity, scope: "all" },
    { alert: "RedisAofWriteFailing", when: "the last AOF write or rewrite failed, for 1m", perProfile: (t) => t.persistenceSeverity, scope: "all" },
    {
        alert: "RedisCommandLatencyHigh",
        when: "average server-side command time (commandstats) above, for 10m",
        perProfile: (t) => `${Math.round(t.averageCommandSeconds * 1e6)}µs`,
        severity: "warning",
        scope: "all",
    },
    { alert: "RedisSlowlogGrowing", when: "new slowlog entries in 5m above, for 5m", perProfile: (t) => `${t.slowlogEntriesPer5m}`, severity: "warning", scope: "all" },
    { alert: "RedisBackupMissing", when: "no successful backup reported for one backup interval + 1h", perProfile: (t) => t.backupSeverity, scope: "backups on" },
    {
        alert: "RedisBackupOverdue",
        when: "the last successful backup is older than N backup intervals, for 10m",
        perProfile: (t) => `${t.backupOverdueIntervals} intervals, ${t.backupSeverity}`,
        scope: "backups on",
    },
    { alert: "RedisSentinelDown", when: "a sentinel's `redis_up == 0` for 1m", severity: "warning", scope: "sentinel" },
    { alert: "RedisSentinelQuorumLost", when: "fewer sentinels up than a majority, or `SENTINEL CKQUORUM` fails, for 1m", severity: "critical", scope: "sentinel" },
    { alert: "RedisSentinelTilt", when: "a sentinel is in TILT mode", severity: "warning", scope: "sentinel" },
    { alert: "RedisClusterStateNotOk", when: "`cluster_state` is not ok for 1m", severity: "critical", scope: "cluster" },
    { alert: "RedisClusterSlotsFailing", when: "slots in `fail` state, or fewer than 16384 assigned, for 1m", severity: "critical", scope: "cluster" },
    { alert: "RedisProxyUnsupportedCommands", when: "the Envoy proxy refused any command it cannot route in 10m", severity: "warning", scope: "cluster with proxy" },
    { alert: "RedisProxyUpstreamConnectFailures", when: "the Envoy proxy failed to connect to cluster nodes in every 5m window, for 5m", severity: "warning", scope: "cluster with proxy" },
];

const PROFILES: readonly WorkloadProfile[] = ["cache", "session", "queue", "durable"];

/** The markdown table of every alert with its threshold per profile. */
export function renderAlertTable(): string {
    const header = ["Alert", "Fires when", "Severity", "Deployments", ...PROFILES.map((profile) => `\`${profile}\``)];
    const lines = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`];
    for (const row of ROWS) {
        const cells = PROFILES.map((profile) => (row.perProfile ? row.perProfile(PROFILE_THRESHOLDS[profile]) : "same"));
        lines.push(`| \`${row.alert}\` | ${row.when} | ${row.severity ?? "by profile"} | ${row.scope} | ${cells.join(" | ")} |`);
    }
    return `${lines.join("\n")}\n`;
}

/** The alert names the table documents, for the test that compares them with the rules. */
export function documentedAlerts(): string[] {
    return ROWS.map((row) => row.alert);
}
