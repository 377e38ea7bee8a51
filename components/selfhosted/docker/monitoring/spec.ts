import { renderAlertRules, AlertDeployment } from "../../../monitoring/alertRules";
import { DashboardOptions, renderRedisDashboard } from "../../../monitoring/dashboard";
import { dockerProxyScrapeTarget } from "../proxy/spec";
import { renderGrafanaDashboardProvider, renderGrafanaDatasources } from "../../../monitoring/grafana";
import { renderPrometheusConfig, ScrapedDeployment } from "../../../monitoring/prometheusConfig";
import { CONTAINER_PATHS } from "../../../redisconf/layout";
import type { DataNode, SentinelNode, Topology } from "../../../redisconf/topology";
import { NodeTlsFiles, PortBinding, SCRIPTS_DIR, UploadFile } from "../containerSpec";
import { containerName } from "../layout";

/**
 * What the Docker monitoring stack runs, decided from plain values. Pure; `dockerMonitoring.ts` registers it.
 *
 * - One exporter container per data node and sentinel, in the deployment's shared network namespace (it
 *   reaches its node on 127.0.0.1 over TLS as the `monitor` user, the password in a JSON file), listening
 *   on its own port there: `basePort + 300 + i` for `redis-<i>`, `basePort + 400 + i` for `sentinel-<i>`.
 * - Prometheus, Alertmanager, Grafana and a Pushgateway on the deployment's bridge network; Prometheus
 *   scrapes the exporters through the node containers' names (aliases of the namespace holder).
 * - The UIs are published on 127.0.0.1 only: Prometheus `basePort + 200`, Alertmanager `basePort + 201`,
 *   Grafana `basePort + 202` (7200, 7201, 7202 by default).
 */

/** Host ports of the UIs, as offsets from `selfhosted.docker.basePort`. */
export const UI_PORT_OFFSETS = { prometheus: 200, alertmanager: 201, grafana: 202 } as const;

/** The ports the UIs listen on inside their containers. */
export const UI_CONTAINER_PORTS = { prometheus: 9090, alertmanager: 9093, grafana: 3000, pushgateway: 9091 } as const;

/** Where the exporter's files are uploaded (an anonymous volume, like the nodes' `/etc/redis`). */
export const EXPORTER_FILES_ROOT = "/etc/redis-exporter";

/** The port one node's exporter listens on inside the shared network namespace. */
export function exporterPort(basePort: number, node: Pick<DataNode | SentinelNode, "kind" | "index">): number {
    return basePort + (node.kind === "redis" ? 300 : 400) + node.index;
}

/** The container names of the monitoring stack. */
export function monitoringContainerNames(prefix: string) {
    return {
        prometheus: `${prefix}-prometheus`,
        alertmanager: `${prefix}-alertmanager`,
        grafana: `${prefix}-grafana`,
        pushgateway: `${prefix}-pushgateway`,
        backup: `${prefix}-backup`,
        exporter: (node: Pick<DataNode | SentinelNode, "name">) => `${prefix}-exporter-${node.name}`,
    };
}

/** What Prometheus scrapes: each exporter through its node container's name. */
export function dockerScrapedDeployment(deployment: string, prefix: string, basePort: number, topology: Topology): ScrapedDeployment {
    return {
        name: deployment,
        targets: [...topology.dataNodes, ...topology.sentinels].map((node) => ({
            address: `${containerName(prefix, node)}:${exporterPort(basePort, node)}`,
            node: node.name,
            kind: node.kind,
        })),
    };
}

/** The Redis address an exporter watches: the node's own port on the shared loopback. */
export function exporterRedisAddress(node: DataNode | SentinelNode, tls: boolean): string {
    return `${tls ? "rediss" : "redis"}://127.0.0.1:${node.port}`;
}

/** An exporter's environment: addresses, user name and file paths only, never the password. */
export function exporterEnv(node: DataNode | SentinelNode, basePort: number, tls: boolean): Record<string, string> {
    return {
        REDIS_ADDR: exporterRedisAddress(node, tls),
        REDIS_USER: "monitor",
        REDIS_PASSWORD_FILE: `${EXPORTER_FILES_ROOT}/passwords.json`,
        ...(tls
            ? {
                  REDIS_EXPORTER_TLS_CA_CERT_FILE: `${EXPORTER_FILES_ROOT}/tls/ca.crt`,
                  REDIS_EXPORTER_TLS_CLIENT_CERT_FILE: `${EXPORTER_FILES_ROOT}/tls/client.crt`,
                  REDIS_EXPORTER_TLS_CLIENT_KEY_FILE: `${EXPORTER_FILES_ROOT}/tls/client.key`,
              }
            : {}),
        REDIS_EXPORTER_WEB_LISTEN_ADDRESS: `:${exporterPort(basePort, node)}`,
        // Sentinels have no CONFIG command; skipping it keeps every scrape free of errors.
        ...(node.kind === "sentinel" ? { REDIS_EXPORTER_CONFIG_COMMAND: "-" } : {}),
    };
}

/** An exporter's files: the password map (secret) and the CA and client certificate. */
export function exporterUploads(node: DataNode | SentinelNode, monitorPassword: string, tls: NodeTlsFiles | undefined): UploadFile[] {
    const passwords = `${JSON.stringify({ [exporterRedisAddress(node, tls !== undefined)]: monitorPassword }, undefined, 2)}\n`;
    return [
        { file: `${EXPORTER_FILES_ROOT}/passwords.json`, content: passwords, secret: true },
        ...(tls === undefined
            ? []
            : [
                  { file: `${EXPORTER_FILES_ROOT}/tls/ca.crt`, content: tls.caCertPem, secret: false },
                  { file: `${EXPORTER_FILES_ROOT}/tls/client.crt`, content: tls.client.certPem, secret: false },
                  { file: `${EXPORTER_FILES_ROOT}/tls/client.key`, content: tls.client.privateKeyPem, secret: true },
              ]),
    ];
}

/** Prometheus's files: `prometheus.yml` and the rule file, under `/etc/prometheus/config`. */
export function prometheusUploads(deployment: string, prefix: string, basePort: number, topology: Topology, alert: AlertDeployment): UploadFile[] {
    const names = monitoringContainerNames(prefix);
    return [
        {
            file: "/etc/prometheus/config/prometheus.yml",
            content: renderPrometheusConfig({
                deployments: [{ ...dockerScrapedDeployment(deployment, prefix, basePort, topology), ...(alert.proxy === true ? { proxy: dockerProxyScrapeTarget(prefix, basePort) } : {}) }],
                ruleFiles: ["/etc/prometheus/config/redis-rules.yml"],
                alertmanagers: [`${names.alertmanager}:${UI_CONTAINER_PORTS.alertmanager}`],
                pushgateway: `${names.pushgateway}:${UI_CONTAINER_PORTS.pushgateway}`,
            }),
            secret: false,
        },
        { file: "/etc/prometheus/config/redis-rules.yml", content: renderAlertRules([alert]), secret: false },
    ];
}

/** Where Grafana's admin password file is uploaded (read through `GF_SECURITY_ADMIN_PASSWORD__FILE`). */
export const GRAFANA_PASSWORD_FILE = "/etc/grafana-secrets/admin-password";

/** Grafana's files: the datasource and dashboard provisioning, the dashboard, and the admin password (secret). */
export function grafanaUploads(prefix: string, topology: Topology, deployment: string, adminPassword: string, dashboard: DashboardOptions = {}): UploadFile[] {
    const names = monitoringContainerNames(prefix);
    return [
        { file: "/etc/grafana/provisioning/datasources/prometheus.yaml", content: renderGrafanaDatasources(`http://${names.prometheus}:${UI_CONTAINER_PORTS.prometheus}`), secret: false },
        { file: "/etc/grafana/provisioning/dashboards/redis.yaml", content: renderGrafanaDashboardProvider("/etc/grafana/dashboards"), secret: false },
        { file: "/etc/grafana/dashboards/redis.json", content: renderRedisDashboard(topology.kind, `${deployment}-redis`, dashboard), secret: false },
        { file: GRAFANA_PASSWORD_FILE, content: adminPassword, secret: true },
    ];
}

/** A UI's published port: on 127.0.0.1 only, whatever `publishAddress` says. */
export function uiPort(basePort: number, ui: keyof typeof UI_PORT_OFFSETS): PortBinding {
    return { internal: UI_CONTAINER_PORTS[ui], external: basePort + UI_PORT_OFFSETS[ui], ip: "127.0.0.1", protocol: "tcp" };
}

/**
 * Where the Docker backup container writes: its own named volume, mounted on the image's `/data` (owned by
 * the image's account, so the fresh volume is writable by it).
 */
export const DOCKER_BACKUP_DIR = CONTAINER_PATHS.dataDir;

/**
 * The backup container's command: the rendered `redis-backup.sh` every `intervalSeconds` (the schedule's
 * longest gap), a failed run logged and retried at the next turn. Docker has no cron; see docs/backup.md for
 * host cron and `docker exec` instead.
 */
export function backupLoopCommand(intervalSeconds: number): string[] {
    if (!Number.isInteger(intervalSeconds) || intervalSeconds < 60) {
        throw new Error(`backup interval ${intervalSeconds}: must be a whole number of seconds, at least 60`);
    }
    return [
        "sh",
        "-c",
        `trap 'exit 0' TERM INT; while :; do sh ${SCRIPTS_DIR}/redis-backup.sh || echo "backup failed; next attempt in ${intervalSeconds}s" >&2; sleep ${intervalSeconds} & wait $!; done`,
    ];
}
