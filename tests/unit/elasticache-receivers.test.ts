import { strict as assert } from "node:assert";
import { pagerDutyCloudWatchUrl } from "../../components/elasticache/alarmSubscriptions";
import { ConfigError } from "../../stacks/config/errors";
import { parseStackConfig } from "../../stacks/config/parse";
import { redisProgram } from "../../stacks/program";
import { OFFLINE_INVOKES, OFFLINE_OUTPUTS } from "../../tools/offline/answers";
import { ofType, runWithMocks } from "../../tools/offline/mockRuntime";

/** `redis:monitoring.receivers` on ElastiCache: SNS subscriptions of the alarm topic, or a refusal. */

const KEY = "R0UT1NGKEY0123456789abcdef012345";
const base = { backend: "elasticache", elasticache: { exampleVpc: {}, allowedCidrs: ["10.0.0.0/16"] } };

function configMap(values: Record<string, unknown>, secrets: Record<string, string> = {}): Record<string, string> {
    return {
        "aws:region": "us-east-1",
        ...Object.fromEntries(Object.entries(values).map(([key, value]) => [`redis:${key}`, typeof value === "string" ? value : JSON.stringify(value)])),
        ...Object.fromEntries(Object.entries(secrets).map(([key, value]) => [`redis:${key}`, value])),
    };
}

function problemsOf(map: Record<string, string>): string[] {
    try {
        parseStackConfig("r", map);
    } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.problems.map((problem) => `${problem.key}: ${problem.message}`);
    }
    assert.fail("accepted");
}

describe("ElastiCache alarm receivers", () => {
    it("subscribes e-mail and PagerDuty's CloudWatch integration to the alarm topic, the PagerDuty URL as a secret", async () => {
        const map = configMap({ ...base, monitoring: { receivers: ["email", "pagerduty"], emailTo: "oncall@example.com" } }, { pagerdutyRoutingKey: KEY });
        const run = await runWithMocks(() => redisProgram("r", map), { stack: "r", config: map, secretKeys: ["redis:pagerdutyRoutingKey"], invokes: OFFLINE_INVOKES, outputs: OFFLINE_OUTPUTS });
        assert.equal(run.error, undefined, String(run.error));
        const subscriptions = ofType(run.resources, "aws:sns/topicSubscription:TopicSubscription");
        assert.deepEqual(
            subscriptions.map((subscription) => [subscription.name, subscription.inputs.protocol, subscription.inputs.endpoint, subscription.secretInputs, subscription.additionalSecretOutputs]),
            [
                ["redis-elasticache-alarms-email-0", "email", "oncall@example.com", [], []],
                ["redis-elasticache-alarms-pagerduty", "https", `https://events.pagerduty.com/integration/${KEY}/enqueue`, ["endpoint"], ["endpoint"]],
            ],
        );
        assert.equal(subscriptions[1].inputs.endpointAutoConfirms, true);
        const topic = ofType(run.resources, "aws:sns/topic:Topic")[0];
        assert.ok(subscriptions.every((subscription) => subscription.parent === ofType(run.resources, "redisplatform:elasticache:Alarms")[0].urn));
        assert.ok(topic !== undefined);
        for (const resource of run.resources.filter((candidate) => candidate.name !== "redis-elasticache-alarms-pagerduty")) {
            assert.ok(!JSON.stringify(resource.inputs).includes(KEY), `${resource.name} holds no PagerDuty key`);
        }
    });

    it("refuses Slack and Discord, the SMTP settings, and a PagerDuty receiver without its key, naming each", () => {
        assert.deepEqual(
            problemsOf(configMap({ ...base, monitoring: { receivers: ["slack", "discord", "pagerduty", "email"], emailTo: "oncall@example.com", smtp: { smarthost: "smtp.example.com:587", from: "a@example.com" } } }, { slackWebhookUrl: "https://hooks.example/x", smtpPassword: "x" })),
            [
                'redis:monitoring.receivers: includes "slack", which backend "elasticache" cannot route alarms to: SNS cannot post to a Slack webhook: use "pagerduty" or "email", or subscribe AWS Chatbot to the stack\'s alarm topic (output by the ElastiCache component as topicArn)',
                'redis:monitoring.receivers: includes "discord", which backend "elasticache" cannot route alarms to: SNS cannot post to a Discord webhook: use "pagerduty" or "email"',
                'redis:monitoring.receivers: includes "pagerduty" but secret redis:pagerdutyRoutingKey (the PagerDuty Events v2 routing key) is not set: run pulumi config set --secret redis:pagerdutyRoutingKey ...',
                'redis:slackWebhookUrl: does not apply to backend "elasticache": SNS cannot post to a webhook; remove it',
                'redis:smtpPassword: does not apply to backend "elasticache": SNS sends the alarm e-mails itself; remove it',
                'redis:monitoring.smtp: does not apply to backend "elasticache": SNS sends the alarm e-mails itself (to monitoring.emailTo)',
            ],
        );
    });

    it("refuses backup settings on ElastiCache unless they are the defaults: it backs up by its own snapshots", () => {
        assert.deepEqual(problemsOf(configMap({ ...base, backup: { retentionDays: 30, archiveAfterDays: 7, exportSnapshots: true } })), [
            'redis:backup.retentionDays: does not apply to backend "elasticache": ElastiCache backs up by its own daily snapshots (elasticache.snapshotRetentionDays, elasticache.snapshotWindow); redis:backup configures the self-hosted backup job and its bucket',
            'redis:backup.archiveAfterDays: does not apply to backend "elasticache": ElastiCache backs up by its own daily snapshots (elasticache.snapshotRetentionDays, elasticache.snapshotWindow); redis:backup configures the self-hosted backup job and its bucket',
            'redis:backup.exportSnapshots: does not apply to backend "elasticache": exporting ElastiCache snapshots to a bucket is not available yet: ElastiCache keeps daily snapshots itself (elasticache.snapshotRetentionDays, elasticache.snapshotWindow)',
        ]);
    });

    it("builds PagerDuty's URL only from an integration key, and never shows the key in the error", () => {
        assert.equal(pagerDutyCloudWatchUrl(KEY), `https://events.pagerduty.com/integration/${KEY}/enqueue`);
        assert.throws(() => pagerDutyCloudWatchUrl("https://evil.example/?"), (error: Error) => !error.message.includes("evil") && /integration key/.test(error.message));
    });
});
