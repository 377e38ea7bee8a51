import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, IncomingMessage, Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlertmanagerSettings, renderAlertmanagerConfig, renderRedactedAlertmanagerConfig } from "../../components/monitoring/alertmanagerConfig";
import { renderAlertRules } from "../../components/monitoring/alertRules";
import { dashboardExpressions } from "../../components/monitoring/dashboard";
import { renderPrometheusConfig } from "../../components/monitoring/prometheusConfig";
import { freePorts } from "../../tools/harness/ports";
import { ProcessSupervisor } from "../../tools/harness/processes";
import { testDeployments } from "../support/monitoring/deployments";
import { requireTool, runTool, toolVersion } from "../support/monitoring/tools";

const email = { to: "oncall@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587" };
const fakeSecrets = {
    slackWebhookUrl: "https://hooks.example.test/services/T0/B0/X",
    discordWebhookUrl: "https://discord.example.test/api/webhooks/1/x",
    pagerdutyRoutingKey: "0123456789abcdef0123456789abcdef",
    smtpPassword: "not-a-real-password",
};

describe("monitoring configs under promtool and amtool", function () {
    let dir: string;

    before(function () {
        toolVersion("promtool");
        toolVersion("amtool");
        dir = mkdtempSync(join(tmpdir(), "redis-monitoring-"));
    });

    after(function () {
        if (dir !== undefined) {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("prometheus.yml with the rule file passes promtool check config", function () {
        const rules = join(dir, "redis.rules.yml");
        writeFileSync(rules, renderAlertRules(testDeployments()));
        const config = join(dir, "prometheus.yml");
        writeFileSync(
            config,
            renderPrometheusConfig({
                deployments: [
                    {
                        name: "orders",
                        targets: [
                            { address: "redis-0-exporter:9121", node: "redis-0", kind: "redis" },
                            { address: "redis-1-exporter:9121", node: "redis-1", kind: "redis" },
                            { address: "sentinel-0-exporter:9121", node: "sentinel-0", kind: "sentinel" },
                        ],
                    },
                    { name: "sessions", targets: [{ address: "10.0.0.5:9121", node: "redis-0", kind: "redis" }] },
                    // Envoy proxies: found through a headless Service's DNS records (Kubernetes), or a fixed target (Docker).
                    { name: "carts", targets: [{ address: "10.0.0.6:9121", node: "redis-0", kind: "redis" }], proxy: { dns: { name: "carts-proxy-metrics.redis.svc.cluster.local", port: 9902 } } },
                    { name: "dev", targets: [{ address: "10.0.0.7:9121", node: "redis-0", kind: "redis" }], proxy: { static: [{ address: "redis-dev-proxy:7502", node: "proxy" }] } },
                ],
                ruleFiles: [rules],
                alertmanagers: ["alertmanager:9093"],
                pushgateway: "pushgateway:9091",
                externalLabels: { cluster: "dev" },
            }),
        );
        const result = runTool("promtool", ["check", "config", config]);
        assert.equal(result.status, 0, result.output);
        assert.match(result.output, /SUCCESS: \d+ rules found/);
    });

    it("every dashboard query is valid PromQL (promtool check rules, as recording rules)", function () {
        const groups = (["standalone", "sentinel", "cluster"] as const).map((topology) => ({
            name: `dashboard-${topology}`,
            // The cluster's dashboard with the proxy row: every other row is in it too.
            rules: dashboardExpressions(topology, { proxy: topology === "cluster" }).map((expr, index) => ({ record: `dashboard:${topology}:q${index}`, expr: expr.replaceAll("$deployment", "orders").replaceAll("$node", ".*") })),
        }));
        const file = join(dir, "dashboard.rules.yml");
        writeFileSync(file, JSON.stringify({ groups }));
        const result = runTool("promtool", ["check", "rules", file]);
        assert.equal(result.status, 0, result.output);
    });

    const settings: [string, AlertmanagerSettings][] = [
        ["every receiver", { receivers: ["slack", "discord", "pagerduty", "email"], email }],
        ["PagerDuty only", { receivers: ["pagerduty"] }],
        ["e-mail only", { receivers: ["email"], email }],
        ["no receiver", { receivers: [] }],
    ];
    for (const [title, one] of settings) {
        it(`alertmanager.yml with ${title} passes amtool check-config, redacted too`, function () {
            for (const [variant, text] of [
                ["full", renderAlertmanagerConfig(one, fakeSecrets)],
                ["redacted", renderRedactedAlertmanagerConfig(one)],
            ]) {
                const file = join(dir, `alertmanager-${variant}.yml`);
                writeFileSync(file, text);
                const result = runTool("amtool", ["check-config", file]);
                assert.equal(result.status, 0, `${variant}: ${result.output}`);
                assert.match(result.output, /SUCCESS/);
            }
        });
    }

    it("routes critical alerts to the pager and chat, warnings to chat only (amtool config routes test)", function () {
        const file = join(dir, "alertmanager-routes.yml");
        writeFileSync(file, renderAlertmanagerConfig({ receivers: ["slack", "pagerduty"] }, fakeSecrets));
        const critical = runTool("amtool", ["config", "routes", "test", `--config.file=${file}`, "severity=critical", "deployment=orders", "alertname=RedisDown"]);
        assert.equal(critical.status, 0, critical.output);
        assert.equal(critical.output.split("\n")[0].trim(), "pager,notify");
        const warning = runTool("amtool", ["config", "routes", "test", `--config.file=${file}`, "severity=warning", "deployment=orders", "alertname=RedisMemoryHigh"]);
        assert.equal(warning.output.split("\n")[0].trim(), "notify");
    });
});

interface Received {
    path: string;
    body: string;
}

function readBody(request: IncomingMessage): Promise<string> {
    return new Promise((resolve) => {
        let body = "";
        request.on("data", (chunk) => (body += chunk));
        request.on("end", () => resolve(body));
    });
}

describe("a real Alertmanager with the rendered config", function () {
    let dir: string;
    let supervisor: ProcessSupervisor;
    let hooks: Server;
    const received: Received[] = [];
    let api: string;

    before(async function () {
        requireTool("prometheus-alertmanager");
        dir = mkdtempSync(join(tmpdir(), "redis-alertmanager-"));
        const [hookPort, apiPort] = await freePorts(2);
        hooks = createServer(async (request, response) => {
            received.push({ path: request.url ?? "", body: await readBody(request) });
            response.writeHead(200, { "content-type": "application/json" }).end("{}");
        });
        await new Promise<void>((resolve) => hooks.listen(hookPort, "127.0.0.1", resolve));
        const hook = `http://127.0.0.1:${hookPort}`;
        const config = join(dir, "alertmanager.yml");
        writeFileSync(
            config,
            renderAlertmanagerConfig(
                { receivers: ["slack", "discord", "pagerduty"], groupWaitSeconds: 1, groupIntervalSeconds: 1, pagerdutyUrl: `${hook}/pagerduty` },
                { slackWebhookUrl: `${hook}/slack`, discordWebhookUrl: `${hook}/discord`, pagerdutyRoutingKey: "test-routing-key" },
            ),
        );
        const script = join(dir, "alertmanager.sh");
        writeFileSync(
            script,
            // No cluster listener: the test Alertmanager must not gossip with anything.
            `exec prometheus-alertmanager --config.file=${config} --storage.path=${join(dir, "data")} --web.listen-address=127.0.0.1:${apiPort} --cluster.listen-address=\n`,
        );
        supervisor = new ProcessSupervisor();
        supervisor.start("alertmanager", script, {}, join(dir, "alertmanager.log"));
        api = `http://127.0.0.1:${apiPort}/api/v2`;
        const deadline = Date.now() + 20000;
        for (;;) {
            try {
                if ((await fetch(`${api}/status`)).ok) {
                    break;
                }
            } catch {
                // Not listening yet.
            }
            if (Date.now() > deadline) {
                throw new Error("prometheus-alertmanager did not answer within 20 s (Debian package prometheus-alertmanager)");
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    });

    after(async function () {
        await supervisor?.dispose();
        await new Promise<void>((resolve) => (hooks ? hooks.close(() => resolve()) : resolve()));
        if (dir !== undefined) {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("holds back replica alerts of a deployment whose primary is missing, and only those", async function () {
        const alert = (labels: Record<string, string>) => ({
            labels,
            annotations: { summary: labels.alertname, description: "test", runbook_url: `docs/runbooks/alerts.md#${labels.alertname.toLowerCase()}` },
            startsAt: new Date().toISOString(),
        });
        const posted = await fetch(`${api}/alerts`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify([
                alert({ alertname: "RedisPrimaryMissing", deployment: "orders", severity: "critical" }),
                alert({ alertname: "RedisReplicaLinkDown", deployment: "orders", node: "redis-1", severity: "warning", scope: "replica" }),
                alert({ alertname: "RedisReplicaLinkDown", deployment: "sessions", node: "redis-1", severity: "warning", scope: "replica" }),
                alert({ alertname: "RedisMemoryHigh", deployment: "orders", node: "redis-0", severity: "warning" }),
            ]),
        });
        assert.equal(posted.status, 200);

        const deadline = Date.now() + 20000;
        let state: Record<string, string[]> = {};
        for (;;) {
            const alerts = (await (await fetch(`${api}/alerts`)).json()) as { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[];
            state = Object.fromEntries(alerts.map((one) => [`${one.labels.alertname}/${one.labels.deployment}`, [one.status.state, ...one.status.inhibitedBy.map(() => "inhibited")]]));
            const paths = new Set(received.map((one) => one.path));
            if (Object.keys(state).length === 4 && paths.has("/slack") && paths.has("/discord") && paths.has("/pagerduty")) {
                break;
            }
            if (Date.now() > deadline) {
                throw new Error(`alerts or notifications missing: ${JSON.stringify(state)}, received ${[...paths].join(", ")}`);
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
        assert.deepEqual(state, {
            "RedisPrimaryMissing/orders": ["active"],
            "RedisReplicaLinkDown/orders": ["suppressed", "inhibited"],
            "RedisReplicaLinkDown/sessions": ["active"],
            "RedisMemoryHigh/orders": ["active"],
        });
        // Let the group interval pass so every group has been sent once.
        await new Promise((resolve) => setTimeout(resolve, 2500));
        const text = (path: string) => received.filter((one) => one.path === path).map((one) => one.body).join("\n");
        assert.match(text("/pagerduty"), /RedisPrimaryMissing/);
        // On-call gets the runbook with the page and with every chat message.
        assert.match(text("/pagerduty"), /"href":"docs\/runbooks\/alerts.md#redisprimarymissing"/);
        assert.doesNotMatch(text("/pagerduty"), /RedisMemoryHigh|RedisReplicaLinkDown/, "warnings never page");
        for (const chat of ["/slack", "/discord"]) {
            assert.match(text(chat), /RedisPrimaryMissing/);
            assert.match(text(chat), /Runbook: docs\/runbooks\/alerts.md#redismemoryhigh/);
            assert.match(text(chat), /RedisMemoryHigh/);
            assert.match(text(chat), /RedisReplicaLinkDown \(sessions\)/);
            assert.doesNotMatch(text(chat), /RedisReplicaLinkDown \(orders\)/, "the inhibited replica alert is never sent");
        }
    });
});
