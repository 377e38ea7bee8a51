import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Redis } from "../../components/redis";
import { redisArgsFor } from "../../stacks/config/redisArgs";
import { renderBackupScript } from "../../components/redisconf/scripts/backup";
import { renderRestoreScript } from "../../components/redisconf/scripts/restore";
import { EXPORTER_IMAGE, MONITORING_IMAGES, PINNED_IMAGE_PATTERN } from "../../components/selfhosted/images";
import type { SelfHostedConfig } from "../../components/selfhosted/platform";
import { parseStackConfig } from "../../stacks/config/parse";
import { leakedSecrets, MOCK_SECRET_MARKER, ofType, RecordedResource, runWithMocks } from "../../tools/offline/mockRuntime";
import { HARDENING, named } from "./dockerFixtures";

/**
 * The Docker monitoring stack and backup container under mocks: exact inputs of every kind of container,
 * UIs on 127.0.0.1 only, pinned images, and secrets (passwords, the Alertmanager config with its webhook)
 * only ever in secret inputs.
 */

const CONTAINER = "docker:index/container:Container";
const VOLUME = "docker:index/volume:Volume";
const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
const IMAGE_ID = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const WEBHOOK = `https://hooks.slack.com/services/${MOCK_SECRET_MARKER}-webhook`;

function config(extra: Record<string, string> = {}): SelfHostedConfig {
    return parseStackConfig("t", {
        "redis:backend": "selfhosted",
        "redis:environment": "dev",
        "redis:profile": "session",
        "redis:selfhosted": JSON.stringify({ platform: "docker", topology: "sentinel", replicas: 1, sentinels: 3, resources: { cpu: "500m", memory: "256mb" } }),
        "redis:monitoring": JSON.stringify({ receivers: ["slack"] }),
        "redis:backup": JSON.stringify({ schedule: "0 */6 * * *", retentionDays: 7 }),
        // Only its presence counts here; the value is read as a secret (the Redis component's `secrets`).
        "redis:slackWebhookUrl": "set",
        ...extra,
    }) as SelfHostedConfig;
}

async function build(stackConfig: SelfHostedConfig) {
    return runWithMocks(() => new Redis("redis", redisArgsFor(stackConfig, { slackWebhookUrl: pulumi.secret(WEBHOOK) })), { outputs: { [REMOTE_IMAGE]: () => ({ imageId: IMAGE_ID }) } });
}

const labels = (role: string) => [
    { label: "redisplatform.deployment", value: "redis-t" },
    { label: "redisplatform.role", value: role },
];
const files = (container: RecordedResource) => new Map<string, string>((container.inputs.uploads ?? []).map((upload: { file: string; content: string }) => [upload.file, upload.content]));

describe("Docker monitoring and backups under mocks", () => {
    let resources: RecordedResource[];
    before(async () => {
        const run = await build(config());
        assert.equal(run.error, undefined, String(run.error));
        resources = run.resources;
    });

    it("pulls every monitoring image pinned by tag and digest", () => {
        const refs = ofType(resources, REMOTE_IMAGE).map((image) => image.inputs.name);
        for (const image of [EXPORTER_IMAGE, ...Object.values(MONITORING_IMAGES)]) {
            assert.ok(refs.includes(image.ref), `${image.ref} is pulled`);
            assert.match(image.ref, PINNED_IMAGE_PATTERN);
        }
    });

    it("runs an exporter per node in the shared namespace, as the monitor user, the password in a file", () => {
        const exporters = ofType(resources, CONTAINER).filter((container) => container.name.startsWith("redis-monitoring-exporter-"));
        assert.deepEqual(exporters.map((container) => container.inputs.name).sort(), ["redis-t-exporter-redis-0", "redis-t-exporter-redis-1", "redis-t-exporter-sentinel-0", "redis-t-exporter-sentinel-1", "redis-t-exporter-sentinel-2"]);
        const exporter = named(resources, CONTAINER, "redis-monitoring-exporter-redis-1");
        const { uploads, ...inputs } = exporter.inputs;
        assert.deepEqual(inputs, {
            name: "redis-t-exporter-redis-1",
            image: IMAGE_ID,
            user: "59000:59000",
            envs: [
                "REDIS_ADDR=rediss://127.0.0.1:7001",
                "REDIS_USER=monitor",
                "REDIS_PASSWORD_FILE=/etc/redis-exporter/passwords.json",
                "REDIS_EXPORTER_TLS_CA_CERT_FILE=/etc/redis-exporter/tls/ca.crt",
                "REDIS_EXPORTER_TLS_CLIENT_CERT_FILE=/etc/redis-exporter/tls/client.crt",
                "REDIS_EXPORTER_TLS_CLIENT_KEY_FILE=/etc/redis-exporter/tls/client.key",
                "REDIS_EXPORTER_WEB_LISTEN_ADDRESS=:7301",
            ],
            networkMode: "container:redis-netns-id",
            pidMode: "container:redis-netns-id",
            volumes: [{ containerPath: "/etc/redis-exporter" }],
            memory: 64,
            cpus: "0.2",
            ...HARDENING,
            restart: "unless-stopped",
            labels: labels("monitoring"),
        });
        assert.deepEqual(exporter.secretInputs, ["uploads"]);
        assert.deepEqual(
            uploads.map((upload: { file: string; group: string; permissions: string }) => [upload.file, upload.group, upload.permissions]),
            [
                ["/etc/redis-exporter/passwords.json", "59000", "0440"],
                ["/etc/redis-exporter/tls/ca.crt", "59000", "0440"],
                ["/etc/redis-exporter/tls/client.crt", "59000", "0440"],
                ["/etc/redis-exporter/tls/client.key", "59000", "0440"],
            ],
        );
        assert.deepEqual(JSON.parse(files(exporter).get("/etc/redis-exporter/passwords.json")!), { "rediss://127.0.0.1:7001": `${MOCK_SECRET_MARKER}-password-redis-users-monitor-password-g1` });
        assert.ok(named(resources, CONTAINER, "redis-monitoring-exporter-sentinel-0").inputs.envs.includes("REDIS_EXPORTER_CONFIG_COMMAND=-"));
    });

    it("publishes the UIs on 127.0.0.1 only, 200, 201 and 202 above basePort", () => {
        const published = ofType(resources, CONTAINER)
            .filter((container) => container.name.startsWith("redis-monitoring-"))
            .flatMap((container) => (container.inputs.ports ?? []).map((port: Record<string, unknown>) => [container.inputs.name, port]))
            .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        assert.deepEqual(published, [
            ["redis-t-alertmanager", { internal: 9093, external: 7201, ip: "127.0.0.1", protocol: "tcp" }],
            ["redis-t-grafana", { internal: 3000, external: 7202, ip: "127.0.0.1", protocol: "tcp" }],
            ["redis-t-prometheus", { internal: 9090, external: 7200, ip: "127.0.0.1", protocol: "tcp" }],
        ]);
    });

    it("gives Prometheus the scrape config (exporters by node container name), the rules and the Pushgateway", () => {
        const prometheus = named(resources, CONTAINER, "redis-monitoring-prometheus");
        assert.deepEqual(prometheus.inputs.command, ["--config.file=/etc/prometheus/config/prometheus.yml", "--storage.tsdb.path=/prometheus", "--storage.tsdb.retention.time=15d", "--web.listen-address=:9090"]);
        assert.deepEqual(prometheus.inputs.volumes, [{ volumeName: "redis-t-prometheus-data", containerPath: "/prometheus" }, { containerPath: "/etc/prometheus/config" }]);
        assert.deepEqual(prometheus.inputs.networksAdvanced, [{ name: "redis-t" }]);
        const yml = files(prometheus).get("/etc/prometheus/config/prometheus.yml")!;
        for (const target of ["redis-t-redis-0:7300", "redis-t-redis-1:7301", "redis-t-sentinel-2:7402", "redis-t-alertmanager:9093", "redis-t-pushgateway:9091"]) {
            assert.ok(yml.includes(target), `prometheus.yml scrapes or sends to ${target}`);
        }
        assert.match(files(prometheus).get("/etc/prometheus/config/redis-rules.yml")!, /name: redis-redis\n/);
    });

    it("hands Alertmanager its config with the webhook as a secret upload only", () => {
        const alertmanager = named(resources, CONTAINER, "redis-monitoring-alertmanager");
        assert.deepEqual(alertmanager.secretInputs, ["uploads"]);
        assert.ok(files(alertmanager).get("/etc/alertmanager/config/alertmanager.yml")!.includes(WEBHOOK));
        assert.deepEqual(alertmanager.inputs.command, ["--config.file=/etc/alertmanager/config/alertmanager.yml", "--storage.path=/alertmanager", "--cluster.listen-address=", "--web.listen-address=:9093"]);
    });

    it("provisions Grafana's datasource and dashboard; its admin password is a file, not an environment variable", () => {
        const grafana = named(resources, CONTAINER, "redis-monitoring-grafana");
        assert.ok(grafana.inputs.envs.includes("GF_SECURITY_ADMIN_PASSWORD__FILE=/etc/grafana-secrets/admin-password"));
        assert.deepEqual(grafana.inputs.envs.filter((env: string) => env.includes(MOCK_SECRET_MARKER)), []);
        const uploaded = files(grafana);
        assert.equal(uploaded.get("/etc/grafana-secrets/admin-password"), `${MOCK_SECRET_MARKER}-password-redis-monitoring-grafana-admin`);
        assert.match(uploaded.get("/etc/grafana/provisioning/datasources/prometheus.yaml")!, /url: http:\/\/redis-t-prometheus:9090/);
        assert.equal(JSON.parse(uploaded.get("/etc/grafana/dashboards/redis.json")!).uid, "redis-redis");
        assert.equal(grafana.inputs.user, "472:0");
    });

    it("runs the rendered backup script in a loop, to its own volume, as the backup user, pushing to the Pushgateway", () => {
        const backup = named(resources, CONTAINER, "redis-backup-container");
        const { uploads, ...inputs } = backup.inputs;
        assert.deepEqual(inputs, {
            name: "redis-t-backup",
            image: IMAGE_ID,
            entrypoints: ["sh", "-c", `trap 'exit 0' TERM INT; while :; do sh /etc/redis/scripts/redis-backup.sh || echo "backup failed; next attempt in 21600s" >&2; sleep 21600 & wait $!; done`],
            envs: [
                "BACKUP_DEPLOYMENT=redis",
                "BACKUP_SHARDS=127.0.0.1:7000,127.0.0.1:7001",
                "BACKUP_TARGET=/data",
                "REDIS_PASSWORD_DIR=/etc/redis/passwords",
                "REDIS_TLS=yes",
                "BACKUP_TIMEOUT=3600",
                "REDIS_TLS_CA_FILE=/etc/redis/tls/ca.crt",
                "REDIS_TLS_CLIENT_CERT_FILE=/etc/redis/tls/client.crt",
                "REDIS_TLS_CLIENT_KEY_FILE=/etc/redis/tls/client.key",
                "BACKUP_PUSHGATEWAY_URL=http://redis-t-pushgateway:9091",
                "BACKUP_RETENTION_DAYS=7",
                "REDIS_NODE_NAME=backup",
            ],
            user: "999:1000",
            networkMode: "container:redis-netns-id",
            pidMode: "container:redis-netns-id",
            volumes: [{ volumeName: "redis-t-backups", containerPath: "/data" }, { containerPath: "/etc/redis" }],
            ...HARDENING,
            memory: 256,
            cpus: "0.5",
            restart: "unless-stopped",
            labels: labels("backup"),
        });
        const uploaded = files(backup);
        assert.deepEqual([...uploaded.keys()], ["/etc/redis/scripts/redis-backup.sh", "/etc/redis/scripts/redis-restore.sh", "/etc/redis/passwords/backup", "/etc/redis/tls/ca.crt", "/etc/redis/tls/client.crt", "/etc/redis/tls/client.key"]);
        assert.equal(uploaded.get("/etc/redis/scripts/redis-backup.sh"), renderBackupScript());
        assert.equal(uploaded.get("/etc/redis/scripts/redis-restore.sh"), renderRestoreScript());
        assert.equal(uploaded.get("/etc/redis/passwords/backup"), `${MOCK_SECRET_MARKER}-password-redis-users-backup-password-g1`);
        assert.deepEqual(ofType(resources, VOLUME).map((volume) => volume.inputs.name).filter((name) => !/-(redis|sentinel)-\d-(data|acl|passwords|tls)$/.test(name)).sort(), [
            "redis-t-alertmanager-data",
            "redis-t-backups",
            "redis-t-grafana-data",
            "redis-t-prometheus-data",
        ]);
    });

    it("starts monitoring and backups after the nodes, parents everything, and leaks no secret", () => {
        const urns = new Set(resources.map((resource) => resource.urn));
        for (const resource of resources.filter((candidate) => candidate.type !== "redisplatform:index:Redis")) {
            assert.ok(resource.parent !== undefined && urns.has(resource.parent), `${resource.type} ${resource.name} is parented`);
            for (const [key, value] of Object.entries(resource.inputs)) {
                if (!resource.secretInputs.includes(key)) {
                    assert.deepEqual(leakedSecrets(value), [], `${resource.type} ${resource.name}.${key}`);
                    assert.ok(!JSON.stringify(value).includes(WEBHOOK), `${resource.name}.${key} carries the webhook`);
                }
            }
        }
        const nodeContainers = ofType(resources, CONTAINER).filter((container) => /^redis-(redis|sentinel)-\d$/.test(container.name)).map((container) => container.urn);
        assert.equal(nodeContainers.length, 5);
        for (const name of ["redis-monitoring-prometheus", "redis-monitoring-exporter-redis-0", "redis-backup-container"]) {
            const container = named(resources, CONTAINER, name);
            assert.deepEqual(nodeContainers.filter((urn) => !container.dependencies.includes(urn)), [], `${name} waits for every node's container`);
        }
    });

    it("creates neither when monitoring and backups are off", async () => {
        const run = await build(config({ "redis:monitoring": JSON.stringify({ enabled: false }), "redis:backup": JSON.stringify({ enabled: false }) }));
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(ofType(run.resources, "redisplatform:docker:Monitoring").length + ofType(run.resources, "redisplatform:docker:Backup").length, 0);
    });
});
