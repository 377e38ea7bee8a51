import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { alertmanagerConfig, AlertmanagerSettings, renderAlertmanagerConfig, renderRedactedAlertmanagerConfig } from "../../components/monitoring/alertmanagerConfig";
import { dashboardExpressions, redisDashboard } from "../../components/monitoring/dashboard";
import { PROMETHEUS_DATASOURCE_UID, renderGrafanaDashboardProvider, renderGrafanaDatasources } from "../../components/monitoring/grafana";
import { PrometheusConfigInput, prometheusConfig, renderPrometheusConfig } from "../../components/monitoring/prometheusConfig";

const secrets = {
    slackWebhookUrl: "https://hooks.example.test/slack/T000/B000/XXXX",
    discordWebhookUrl: "https://discord.example.test/api/webhooks/1/abc",
    pagerdutyRoutingKey: "0123456789abcdef0123456789abcdef",
    smtpPassword: "smtp-secret",
};
const email = { to: "oncall@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587" };

describe("Prometheus config", () => {
    const input: PrometheusConfigInput = {
        deployments: [
            {
                name: "orders",
                targets: [
                    { address: "redis-0-exporter:9121", node: "redis-0", kind: "redis" },
                    { address: "redis-1-exporter:9121", node: "redis-1", kind: "redis" },
                    { address: "sentinel-0-exporter:9121", node: "sentinel-0", kind: "sentinel" },
                ],
            },
        ],
        ruleFiles: ["/etc/prometheus/rules/redis.rules.yml"],
        alertmanagers: ["alertmanager:9093"],
        pushgateway: "pushgateway:9091",
    };

    it("renders one job per deployment and exporter kind with the rule labels, the rules and the alertmanager", () => {
        assert.deepEqual(prometheusConfig(input), {
            global: { scrape_interval: "15s", evaluation_interval: "15s" },
            rule_files: ["/etc/prometheus/rules/redis.rules.yml"],
            alerting: { alertmanagers: [{ static_configs: [{ targets: ["alertmanager:9093"] }] }] },
            scrape_configs: [
                {
                    job_name: "redis-orders",
                    static_configs: [
                        { targets: ["redis-0-exporter:9121"], labels: { deployment: "orders", node: "redis-0", kind: "redis" } },
                        { targets: ["redis-1-exporter:9121"], labels: { deployment: "orders", node: "redis-1", kind: "redis" } },
                    ],
                },
                { job_name: "sentinel-orders", static_configs: [{ targets: ["sentinel-0-exporter:9121"], labels: { deployment: "orders", node: "sentinel-0", kind: "sentinel" } }] },
                { job_name: "redis-backup", honor_labels: true, static_configs: [{ targets: ["pushgateway:9091"] }] },
            ],
        });
        assert.deepEqual(parse(renderPrometheusConfig(input)), prometheusConfig(input));
    });

    const invalid: [string, PrometheusConfigInput, RegExp][] = [
        ["a target without a port", { ...input, deployments: [{ name: "a", targets: [{ address: "redis-0", node: "redis-0", kind: "redis" }] }] }, /exporter of a\/redis-0 "redis-0": must be host:port/],
        ["a deployment twice", { ...input, deployments: [input.deployments[0], input.deployments[0]] }, /scraped deployment "orders" appears twice/],
        ["only sentinel targets", { ...input, deployments: [{ name: "a", targets: [{ address: "s:9121", node: "s", kind: "sentinel" }] }] }, /has no Redis exporter target/],
        ["a node twice", { ...input, deployments: [{ name: "a", targets: [{ address: "a:1", node: "n", kind: "redis" }, { address: "b:1", node: "n", kind: "redis" }] }] }, /lists node "n" twice/],
        ["a zero scrape interval", { ...input, scrapeIntervalSeconds: 0 }, /scrapeIntervalSeconds = 0: must be a whole number of seconds from 1 to 300/],
    ];
    for (const [title, bad, message] of invalid) {
        it(`refuses ${title}`, () => {
            assert.throws(() => renderPrometheusConfig(bad), message);
        });
    }
});

describe("Alertmanager config", () => {
    const all: AlertmanagerSettings = { receivers: ["slack", "discord", "pagerduty", "email"], email };

    it("pages critical alerts, sends every alert to chat and e-mail, and inhibits replica alerts while the primary is missing", () => {
        const config = alertmanagerConfig(all, secrets);
        assert.deepEqual(config.route, {
            receiver: "null",
            group_by: ["alertname", "deployment"],
            group_wait: "30s",
            group_interval: "300s",
            repeat_interval: "4h",
            routes: [
                { receiver: "pager", matchers: ['severity="critical"'], continue: true },
                { receiver: "notify" },
            ],
        });
        const receivers = config.receivers as Record<string, any>[];
        assert.deepEqual(
            receivers.map((receiver) => [receiver.name, Object.keys(receiver).filter((key) => key !== "name").sort()]),
            [
                ["null", []],
                ["notify", ["discord_configs", "email_configs", "slack_configs"]],
                ["pager", ["pagerduty_configs"]],
            ],
        );
        assert.equal(receivers[1].slack_configs[0].api_url, secrets.slackWebhookUrl);
        assert.equal(receivers[1].discord_configs[0].webhook_url, secrets.discordWebhookUrl);
        assert.equal(receivers[2].pagerduty_configs[0].routing_key, secrets.pagerdutyRoutingKey);
        assert.deepEqual(receivers[1].email_configs, [{ to: "oncall@example.com", send_resolved: true }]);
        assert.deepEqual((config.global as Record<string, unknown>).smtp_auth_password, "smtp-secret");
        assert.deepEqual((config.inhibit_rules as unknown[])[0], { source_matchers: ['alertname="RedisPrimaryMissing"'], target_matchers: ['scope="replica"'], equal: ["deployment"] });
    });

    it("routes everything to the null receiver when no receiver is configured", () => {
        const config = alertmanagerConfig({ receivers: [] }, {});
        assert.deepEqual((config.route as Record<string, unknown>).routes, []);
        assert.deepEqual(config.receivers, [{ name: "null" }]);
    });

    it("pages without continuing when PagerDuty is the only receiver", () => {
        const config = alertmanagerConfig({ receivers: ["pagerduty"] }, secrets);
        assert.deepEqual((config.route as Record<string, unknown>).routes, [{ receiver: "pager", matchers: ['severity="critical"'], continue: false }]);
    });

    it("redacts every secret in the review rendering", () => {
        const redacted = renderRedactedAlertmanagerConfig(all);
        for (const value of Object.values(secrets)) {
            assert.ok(!redacted.includes(value), "no secret in the redacted rendering");
        }
        assert.match(redacted, /<redacted>/);
        assert.ok(renderAlertmanagerConfig(all, secrets).includes(secrets.pagerdutyRoutingKey));
    });

    const invalid: [string, AlertmanagerSettings, Record<string, string>, RegExp][] = [
        ["a receiver without its secret", { receivers: ["slack"] }, {}, /receiver "slack" needs the secret redis:slackWebhookUrl, which is not set/],
        ["a webhook that is no URL", { receivers: ["discord"] }, { discordWebhookUrl: "not a url" }, /redis:discordWebhookUrl must be an http\(s\) URL \(value not shown\)/],
        ["e-mail without settings", { receivers: ["email"] }, { smtpPassword: "x" }, /receiver "email" needs the e-mail settings/],
        ["a smarthost without port", { receivers: ["email"], email: { ...email, smarthost: "smtp.example.com" } }, { smtpPassword: "x" }, /smarthost "smtp.example.com": must be host:port/],
        ["a receiver twice", { receivers: ["slack", "slack"] }, secrets, /a receiver is listed twice/],
    ];
    for (const [title, settings, given, message] of invalid) {
        it(`refuses ${title} without showing a secret`, () => {
            assert.throws(
                () => alertmanagerConfig(settings, given),
                (error: Error) => message.test(error.message) && !Object.values(given).some((value) => value.length > 3 && error.message.includes(value)),
            );
        });
    }
});

describe("Grafana provisioning and dashboard", () => {
    it("provisions Prometheus as the default read-only datasource", () => {
        assert.deepEqual(parse(renderGrafanaDatasources("http://prometheus:9090")), {
            apiVersion: 1,
            datasources: [{ name: "Prometheus", uid: PROMETHEUS_DATASOURCE_UID, type: "prometheus", access: "proxy", url: "http://prometheus:9090", isDefault: true, editable: false, jsonData: { timeInterval: "15s" } }],
        });
        assert.throws(() => renderGrafanaDatasources("prometheus:9090"), /must be an http\(s\) URL/);
    });

    it("provisions the dashboards folder from an absolute path", () => {
        assert.equal((parse(renderGrafanaDashboardProvider("/var/lib/grafana/dashboards")) as any).providers[0].options.path, "/var/lib/grafana/dashboards");
        assert.throws(() => renderGrafanaDashboardProvider("dashboards"), /must be absolute/);
    });

    for (const topology of ["standalone", "sentinel", "cluster"] as const) {
        it(`lays out the ${topology} dashboard with every required topic, unique ids and no overlapping panels`, () => {
            const dashboard = redisDashboard(topology) as { panels: { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; targets?: { expr: string }[] }[] };
            const ids = dashboard.panels.map((panel) => panel.id);
            assert.equal(new Set(ids).size, ids.length);
            const rows = dashboard.panels.filter((panel) => panel.type === "row").map((panel) => panel.title);
            const expectedRows = ["Throughput and latency", "Memory and keys", "Hit ratio and evictions", "Connections", "Replication", "Persistence and backups"];
            assert.deepEqual(rows, topology === "standalone" ? expectedRows : [...expectedRows, topology === "sentinel" ? "Sentinel" : "Cluster"]);
            const cells = new Set<string>();
            for (const panel of dashboard.panels) {
                const { x, y, w, h } = panel.gridPos;
                assert.ok(x + w <= 24, `${panel.title} fits the grid`);
                for (let row = y; row < y + h; row += 1) {
                    for (let column = x; column < x + w; column += 1) {
                        const cell = `${column},${row}`;
                        assert.ok(!cells.has(cell), `${panel.title} overlaps another panel at ${cell}`);
                        cells.add(cell);
                    }
                }
            }
            for (const expr of dashboardExpressions(topology)) {
                assert.match(expr, /deployment="\$deployment"/, `every query selects the deployment: ${expr}`);
                // The backup age is per deployment; every node series follows the $node selection.
                assert.ok(/node=~"\$node"/.test(expr) || expr.includes("redisplatform_backup"), `every node query follows $node: ${expr}`);
            }
            // Importable into an existing Grafana: the datasource is a variable, never a fixed uid.
            const templating = (dashboard as unknown as { templating: { list: { name: string; type: string; query?: unknown; includeAll?: boolean; multi?: boolean }[] } }).templating.list;
            assert.deepEqual(templating.map((variable) => [variable.name, variable.type]), [["datasource", "datasource"], ["deployment", "query"], ["node", "query"]]);
            assert.equal(templating[0].query, "prometheus");
            assert.deepEqual([templating[2].includeAll, templating[2].multi], [true, true]);
            const queryPanels = (dashboard.panels as unknown as { type: string; datasource: unknown; targets: { datasource: unknown }[] }[]).filter((panel) => panel.type !== "row");
            const datasources = new Set(queryPanels.flatMap((panel) => [JSON.stringify(panel.datasource), ...panel.targets.map((target) => JSON.stringify(target.datasource))]));
            assert.deepEqual([...datasources], [JSON.stringify({ type: "prometheus", uid: "${datasource}" })]);
        });
    }
});
