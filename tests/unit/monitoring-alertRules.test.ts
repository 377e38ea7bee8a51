import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { alertDeploymentFor } from "../../components/monitoring/alertDeployment";
import { AlertDeployment, alertRuleGroups, alertRulesFor, renderAlertRules } from "../../components/monitoring/alertRules";
import { PROFILE_THRESHOLDS } from "../../components/monitoring/thresholds";
import { longestCronGapSeconds } from "../../components/backup/schedule";
import { parseStackConfig } from "../../stacks/config/parse";
import { readStackFile } from "../../stacks/config/stackFile";
import { testDeployments } from "../support/monitoring/deployments";
import { ruleCases } from "../support/monitoring/ruleCases";

const sentinel: AlertDeployment = {
    name: "orders",
    profile: "queue",
    topology: "sentinel",
    primaries: 1,
    replicasPerPrimary: 2,
    sentinels: 3,
    replicationMaxLagSeconds: 10,
    backupIntervalSeconds: 21600,
};

describe("alert rules", () => {
    it("gives a sentinel deployment every alert of the issue, in a fixed order", () => {
        assert.deepEqual(
            alertRulesFor(sentinel).map((rule) => rule.alert),
            [
                "RedisDown",
                "RedisExporterDown",
                "RedisPrimaryMissing",
                "RedisTooManyPrimaries",
                "RedisReplicaLinkDown",
                "RedisReplicationLag",
                "RedisReplicaFullResyncs",
                "RedisMemoryHigh",
                "RedisMemoryCritical",
                "RedisEvictions",
                "RedisConnectionsHigh",
                "RedisRejectedConnections",
                "RedisRdbSaveFailing",
                "RedisAofWriteFailing",
                "RedisCommandLatencyHigh",
                "RedisSlowlogGrowing",
                "RedisBackupMissing",
                "RedisBackupOverdue",
                "RedisSentinelDown",
                "RedisSentinelQuorumLost",
                "RedisSentinelTilt",
            ],
        );
    });

    it("renders exact expressions, durations and labels", () => {
        const rules = Object.fromEntries(alertRulesFor(sentinel).map((rule) => [rule.alert, rule]));
        assert.deepEqual(rules.RedisPrimaryMissing, {
            alert: "RedisPrimaryMissing",
            expr: '(count(redis_instance_info{deployment="orders",kind="redis",role="master"}) or vector(0)) < 1',
            for: "30s",
            labels: { severity: "critical", deployment: "orders" },
            annotations: {
                summary: "Deployment orders has no primary",
                description: "Fewer nodes of deployment orders report the primary role than the 1 expected: writes fail.",
                runbook_url: "docs/runbooks/alerts.md#redisprimarymissing",
            },
        });
        assert.deepEqual(rules.RedisReplicationLag.labels, { severity: "warning", deployment: "orders", scope: "replica" });
        assert.equal(rules.RedisReplicationLag.expr, 'redis_connected_slave_lag_seconds{deployment="orders",kind="redis"} > 10');
        assert.equal(rules.RedisMemoryHigh.expr, 'redis_memory_used_bytes{deployment="orders",kind="redis"} / (redis_memory_max_bytes{deployment="orders",kind="redis"} > 0) > 0.75');
        assert.equal(rules.RedisMemoryCritical.expr.endsWith("> 0.9"), true);
        assert.equal(rules.RedisEvictions.expr, 'rate(redis_evicted_keys_total{deployment="orders",kind="redis"}[5m]) > 0');
        assert.deepEqual([rules.RedisEvictions.for, rules.RedisEvictions.labels.severity], ["0s", "critical"]);
        assert.equal(rules.RedisBackupMissing.expr, 'absent(redisplatform_backup_last_success_timestamp_seconds{deployment="orders"})');
        assert.equal(rules.RedisBackupMissing.for, "7h");
        assert.equal(rules.RedisBackupOverdue.expr, 'time() - redisplatform_backup_last_success_timestamp_seconds{deployment="orders"} > 43200');
        assert.equal(
            rules.RedisSentinelQuorumLost.expr,
            '(count(redis_up{deployment="orders",kind="sentinel"} == 1) or vector(0)) < 2 or min(redis_sentinel_master_ckquorum_status{deployment="orders",kind="sentinel"}) == 0',
        );
        for (const rule of Object.values(rules)) {
            assert.equal(rule.labels.deployment, "orders", `${rule.alert} carries the deployment label`);
            assert.ok(["critical", "warning"].includes(rule.labels.severity), `${rule.alert} has a severity`);
        }
    });

    it("uses each profile's thresholds", () => {
        for (const profile of ["cache", "session", "queue", "durable"] as const) {
            const rules = Object.fromEntries(alertRulesFor({ ...sentinel, profile }).map((rule) => [rule.alert, rule]));
            const t = PROFILE_THRESHOLDS[profile];
            assert.ok(rules.RedisMemoryHigh.expr.endsWith(`> ${t.memoryWarningRatio}`), profile);
            assert.ok(rules.RedisMemoryCritical.expr.endsWith(`> ${t.memoryCriticalRatio}`), profile);
            assert.ok(rules.RedisEvictions.expr.endsWith(`> ${t.evictionsPerSecond}`), profile);
            assert.equal(rules.RedisEvictions.labels.severity, t.evictionSeverity, profile);
            assert.equal(rules.RedisAofWriteFailing.labels.severity, t.persistenceSeverity, profile);
            assert.ok(rules.RedisBackupOverdue.expr.endsWith(`> ${Math.round(21600 * t.backupOverdueIntervals)}`), profile);
        }
    });

    it("gives cluster deployments cluster alerts and no sentinel ones; standalone no replication alerts; no backups no backup alerts", () => {
        const cluster = alertRulesFor({ ...sentinel, topology: "cluster", primaries: 3, replicasPerPrimary: 1, sentinels: 0, backupIntervalSeconds: undefined }).map((rule) => rule.alert);
        assert.ok(cluster.includes("RedisClusterStateNotOk") && cluster.includes("RedisClusterSlotsFailing"));
        assert.ok(!cluster.some((alert) => alert.startsWith("RedisSentinel") || alert.startsWith("RedisBackup")));
        const standalone = alertRulesFor({ ...sentinel, topology: "standalone", replicasPerPrimary: 0, sentinels: 0 }).map((rule) => rule.alert);
        assert.ok(!standalone.some((alert) => alert.startsWith("RedisReplica") || alert.startsWith("RedisSentinel") || alert.startsWith("RedisCluster")));
    });

    it("groups rules per deployment and renders YAML that parses back", () => {
        const deployments = testDeployments();
        const groups = alertRuleGroups(deployments);
        assert.deepEqual(
            groups.map((group) => group.name),
            deployments.map((deployment) => `redis-${deployment.name}`),
        );
        assert.deepEqual(parse(renderAlertRules(deployments)), { groups });
    });

    it("has a promtool case for every rule of every test deployment", () => {
        for (const deployment of testDeployments()) {
            assert.deepEqual(
                ruleCases(deployment).map((ruleCase) => ruleCase.alert).sort(),
                alertRulesFor(deployment).map((rule) => rule.alert).sort(),
                deployment.name,
            );
        }
    });

    const invalid: [string, AlertDeployment, RegExp][] = [
        ["an upper-case name", { ...sentinel, name: "Orders" }, /alert deployment "Orders": name must be a lower-case DNS label/],
        ["two primaries outside cluster mode", { ...sentinel, primaries: 2 }, /primaries = 2: topology "sentinel" has exactly 1 primary/],
        ["sentinels outside the sentinel topology", { ...sentinel, topology: "standalone" }, /sentinels = 3: only topology "sentinel" has sentinels/],
        ["a zero max lag", { ...sentinel, replicationMaxLagSeconds: 0 }, /replicationMaxLagSeconds = 0: must be a whole number of seconds, at least 1/],
        ["a backup interval under a minute", { ...sentinel, backupIntervalSeconds: 30 }, /backupIntervalSeconds = 30/],
    ];
    for (const [title, deployment, message] of invalid) {
        it(`refuses ${title}`, () => {
            assert.throws(() => alertRulesFor(deployment), message);
        });
    }

    it("refuses two deployments with one name", () => {
        assert.throws(() => alertRuleGroups([sentinel, sentinel]), /alert deployment "orders" appears twice/);
    });
});

describe("alert deployment from stack config", () => {
    it("reads the dev stack: sentinel, fast failover lag, 6-hourly backups", () => {
        const config = parseStackConfig("dev", readStackFile("dev").config);
        assert.deepEqual(alertDeploymentFor("redis-dev", config), {
            name: "redis-dev",
            profile: "session",
            topology: "sentinel",
            primaries: 1,
            replicasPerPrimary: 2,
            sentinels: 3,
            replicationMaxLagSeconds: 5,
            backupIntervalSeconds: 21600,
            runbookBaseUrl: "docs/runbooks",
        });
    });

    it("refuses a managed backend", () => {
        const config = parseStackConfig("prod", readStackFile("prod").config);
        if (config.selfhosted === undefined) {
            assert.throws(() => alertDeploymentFor("x", config), /alert rules are for self-hosted deployments; backend "/);
        }
    });
});

describe("backup schedule", () => {
    const gaps: [string, number][] = [
        ["0 */6 * * *", 6 * 3600],
        ["0 2 * * *", 86400],
        ["*/15 * * * *", 900],
        ["30 1 * * 0", 7 * 86400],
        ["0 3 1 * *", 31 * 86400],
        ["0 0,12 * * 1-5", 60 * 3600],
        ["0 4 * * 7", 7 * 86400],
    ];
    for (const [expr, gap] of gaps) {
        it(`"${expr}" runs at most ${gap}s apart`, () => {
            assert.equal(longestCronGapSeconds(expr), gap);
        });
    }
    const bad: [string, RegExp][] = [
        ["0 */6 * *", /must have five fields/],
        ["0 25 * * *", /hour "25" is out of range 0-23/],
        ["0 0 * JAN *", /month "JAN" is not supported/],
        ["0 0 30 2 *", /runs less than twice in two years/],
    ];
    for (const [expr, message] of bad) {
        it(`refuses "${expr}"`, () => {
            assert.throws(() => longestCronGapSeconds(expr), message);
        });
    }
});
