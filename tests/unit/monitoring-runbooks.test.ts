import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { nodeAlarmSpecs, serverlessAlarmSpecs } from "../../components/elasticache/alarmSpecs";
import { alarmThresholds } from "../../components/elasticache/alarmThresholds";
import { AlertDeployment, alertRulesFor } from "../../components/monitoring/alertRules";
import { DEFAULT_RUNBOOK_BASE_URL, runbookUrl } from "../../components/monitoring/runbooks";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";

/** Every alert links a runbook section that exists; ElastiCache alarms say whether silence is an outage. */

const RUNBOOKS = path.join(PROJECT_ROOT, "docs", "runbooks");

/** GitHub's anchors of the `##` headings of a Markdown file. */
function anchorsOf(file: string): Set<string> {
    const text = readFileSync(path.join(RUNBOOKS, file), "utf8");
    return new Set([...text.matchAll(/^#{2,3} (.+)$/gm)].map((match) => match[1].toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")));
}

const deployments: AlertDeployment[] = [
    { name: "s", profile: "session", topology: "sentinel", primaries: 1, replicasPerPrimary: 2, sentinels: 3, replicationMaxLagSeconds: 10, backupIntervalSeconds: 21600 },
    { name: "c", profile: "cache", topology: "cluster", primaries: 3, replicasPerPrimary: 1, sentinels: 0, replicationMaxLagSeconds: 10, backupIntervalSeconds: 21600 },
];

describe("runbook links", () => {
    it("gives every self-hosted alert a runbook_url to its own section of docs/runbooks/alerts.md", () => {
        const anchors = anchorsOf("alerts.md");
        for (const deployment of deployments) {
            for (const rule of alertRulesFor(deployment)) {
                assert.equal(rule.annotations.runbook_url, `docs/runbooks/alerts.md#${rule.alert.toLowerCase()}`, rule.alert);
                assert.ok(anchors.has(rule.alert.toLowerCase()), `docs/runbooks/alerts.md has a section ## ${rule.alert}`);
            }
        }
    });

    it("takes the base URL from the stack (redis:monitoring.runbookBaseUrl), with or without a trailing slash", () => {
        const base = "https://github.com/acme/redis-platform/blob/main/docs/runbooks";
        const [rule] = alertRulesFor({ ...deployments[0], runbookBaseUrl: `${base}/` });
        assert.equal(rule.annotations.runbook_url, `${base}/alerts.md#redisdown`);
        assert.equal(runbookUrl(DEFAULT_RUNBOOK_BASE_URL, "failover.md"), "docs/runbooks/failover.md");
    });

    it("links every runbook the ElastiCache alarms name, and every section alerts.md links", () => {
        const thresholds = alarmThresholds("session", {});
        const specs = [...nodeAlarmSpecs("rg", ["rg-001", "rg-002"], true, thresholds), ...serverlessAlarmSpecs("sl", { maxDataStorageGb: 10, maxEcpuPerSecond: 5000 }, thresholds)];
        for (const spec of specs) {
            assert.ok(existsSync(path.join(RUNBOOKS, spec.runbook)), `${spec.key}: docs/runbooks/${spec.runbook} exists`);
        }
        const links = [...readFileSync(path.join(RUNBOOKS, "alerts.md"), "utf8").matchAll(/\]\(([a-z-]+\.md)(?:#([a-z0-9-]+))?\)/g)];
        for (const [, file, anchor] of links) {
            assert.ok(existsSync(path.join(RUNBOOKS, file)), `alerts.md links ${file}`);
            assert.ok(anchor === undefined || anchorsOf(file).has(anchor), `alerts.md links ${file}#${anchor}`);
        }
    });

    it("treats a silent ElastiCache node as breaching, except where silence is normal", () => {
        const specs = nodeAlarmSpecs("rg", ["rg-001"], true, alarmThresholds("session", {}));
        assert.deepEqual(
            Object.fromEntries(specs.map((spec) => [spec.metricName, spec.treatMissingData])),
            {
                CPUUtilization: "breaching",
                EngineCPUUtilization: "breaching",
                DatabaseMemoryUsagePercentage: "breaching",
                Evictions: "notBreaching",
                CurrConnections: "breaching",
                SwapUsage: "breaching",
                ReplicationLag: "notBreaching",
            },
        );
        const serverless = serverlessAlarmSpecs("sl", { maxDataStorageGb: 10, maxEcpuPerSecond: 5000 }, alarmThresholds("session", {}));
        assert.ok(serverless.every((spec) => spec.treatMissingData === "notBreaching"));
    });
});
