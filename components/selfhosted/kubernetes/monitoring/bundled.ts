import { createHash } from "node:crypto";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { AlertDeployment } from "../../../monitoring/alertRules";
import { renderAlertRules } from "../../../monitoring/alertRules";
import { DashboardTopology, renderRedisDashboard } from "../../../monitoring/dashboard";
import { renderGrafanaDashboardProvider, renderGrafanaDatasources } from "../../../monitoring/grafana";
import { ProxyScrapeTarget, renderPrometheusConfig } from "../../../monitoring/prometheusConfig";
import type { Topology } from "../../../redisconf/topology";
import { MONITORING_IMAGES } from "../../images";
import { pushgatewayManifests, PUSHGATEWAY_PORT } from "./pushgateway";
import { scrapedDeployment } from "./targets";
import { hardenedContainerSecurity } from "../pods";
import { MonitoringMeta, WorkloadSpec, workloadDeployment, workloadSelector, workloadService } from "./workload";

/**
 * `bundled` monitoring on Kubernetes: Prometheus (a StatefulSet with a volume), Alertmanager, Grafana and a
 * Pushgateway, with their ConfigMaps and Services, in the monitoring namespace (the one the deployment's
 * NetworkPolicy lets reach the exporters). Pure: the Alertmanager config is a secret, so the component
 * creates its Secret (named {@link bundledNames}`.alertmanagerSecret`) and Grafana's admin password; every
 * other object is here. Prometheus scrapes the exporters by pod DNS name, so it needs no RBAC.
 */

/** What {@link bundledMonitoringManifests} needs. */
export interface BundledMonitoringInput {
    /** The deployment name; object names start with it. */
    deployment: string;
    meta: MonitoringMeta;
    topology: Topology;
    /** The alert rules' input (see `alertDeploymentFor`). */
    alert: AlertDeployment;
    /** Prometheus retention. */
    retentionDays: number;
    /** Prometheus's volume. */
    storage: { size: string; className?: string };
    /** The cluster's DNS domain. */
    clusterDomain: string;
    /** The Envoy proxy's pods to scrape (`selfhosted.proxy`). */
    proxy?: ProxyScrapeTarget;
}

/** The names of the bundled objects. */
export function bundledNames(deployment: string) {
    return {
        prometheus: `${deployment}-prometheus`,
        alertmanager: `${deployment}-alertmanager`,
        alertmanagerSecret: `${deployment}-alertmanager`,
        grafana: `${deployment}-grafana`,
        grafanaSecret: `${deployment}-grafana`,
        grafanaProvisioning: `${deployment}-grafana-provisioning`,
        grafanaDashboards: `${deployment}-grafana-dashboards`,
    } as const;
}

/** The key of the Alertmanager Secret holding `alertmanager.yml`. */
export const ALERTMANAGER_CONFIG_KEY = "alertmanager.yml";
/** The key of the Grafana Secret holding the admin password. */
export const GRAFANA_PASSWORD_KEY = "admin-password";

/** Every object of the bundled stack but the two Secrets. */
export interface BundledManifests {
    configMaps: IConfigMap[];
    prometheus: IStatefulSet;
    /** Prometheus's budget: its one pod may always be evicted, one at a time. */
    prometheusBudget: IPodDisruptionBudget;
    deployments: IDeployment[];
    services: IService[];
}

function hashOf(data: Record<string, string>): string {
    return createHash("sha256").update(JSON.stringify(data)).digest("hex").slice(0, 16);
}

function dashboardTopology(topology: Topology): DashboardTopology {
    return topology.kind;
}

/** Converts a size such as `10gb` or `512mb` from the stack config into a Kubernetes quantity. */
export function storageQuantity(size: string): string {
    const match = /^([0-9]+)(mb|gb)$/i.exec(size);
    if (!match) {
        throw new Error(`monitoring storage size "${size}": must be a whole number of mb or gb, such as 10gb`);
    }
    return `${match[1]}${match[2].toLowerCase() === "gb" ? "Gi" : "Mi"}`;
}

/** The bundled stack's manifests. */
export function bundledMonitoringManifests(input: BundledMonitoringInput): BundledManifests {
    const { meta, deployment } = input;
    const names = bundledNames(deployment);
    const svc = (name: string, port: number) => `${name}.${meta.namespace}.svc.${input.clusterDomain}:${port}`;
    const prometheusData = {
        "prometheus.yml": renderPrometheusConfig({
            deployments: [{ ...scrapedDeployment(deployment, input.topology), ...(input.proxy === undefined ? {} : { proxy: input.proxy }) }],
            ruleFiles: ["/etc/prometheus/config/redis-rules.yml"],
            alertmanagers: [svc(names.alertmanager, 9093)],
            pushgateway: svc(`${deployment}-pushgateway`, PUSHGATEWAY_PORT),
        }),
        "redis-rules.yml": renderAlertRules([input.alert]),
    };
    const provisioning = {
        "datasources.yaml": renderGrafanaDatasources(`http://${svc(names.prometheus, 9090)}`),
        "dashboards.yaml": renderGrafanaDashboardProvider("/var/lib/grafana-dashboards"),
    };
    const dashboards = { "redis.json": renderRedisDashboard(dashboardTopology(input.topology), `${deployment}-redis`, { proxy: input.alert.proxy }) };
    const configMap = (name: string, data: Record<string, string>): IConfigMap => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: meta.namespace, labels: meta.labels },
        data,
    });

    const prometheusSelector = workloadSelector(meta, names.prometheus);
    const prometheusImage = MONITORING_IMAGES.prometheus;
    const prometheus: IStatefulSet = {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: names.prometheus, namespace: meta.namespace, labels: prometheusSelector },
        spec: {
            serviceName: names.prometheus,
            replicas: 1,
            selector: { matchLabels: prometheusSelector },
            template: {
                // A changed config or rule file rolls the pod.
                metadata: { labels: prometheusSelector, annotations: { "redisplatform.io/config-hash": hashOf(prometheusData) } },
                spec: {
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: { runAsNonRoot: true, fsGroup: prometheusImage.gid, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                        {
                            name: "prometheus",
                            image: prometheusImage.ref,
                            args: [
                                "--config.file=/etc/prometheus/config/prometheus.yml",
                                "--storage.tsdb.path=/prometheus",
                                `--storage.tsdb.retention.time=${input.retentionDays}d`,
                                "--web.listen-address=:9090",
                            ],
                            ports: [{ name: "prometheus", containerPort: 9090, protocol: "TCP" }],
                            readinessProbe: { httpGet: { path: "/-/ready", port: "prometheus" }, periodSeconds: 10 },
                            livenessProbe: { httpGet: { path: "/-/healthy", port: "prometheus" }, periodSeconds: 30, failureThreshold: 5 },
                            resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } },
                            securityContext: hardenedContainerSecurity(prometheusImage),
                            volumeMounts: [
                                { name: "config", mountPath: "/etc/prometheus/config", readOnly: true },
                                { name: "data", mountPath: "/prometheus" },
                            ],
                        },
                    ],
                    volumes: [{ name: "config", configMap: { name: names.prometheus } }],
                },
            },
            volumeClaimTemplates: [
                {
                    metadata: { name: "data", labels: prometheusSelector },
                    spec: {
                        accessModes: ["ReadWriteOnce"],
                        resources: { requests: { storage: storageQuantity(input.storage.size) } },
                        ...(input.storage.className === undefined ? {} : { storageClassName: input.storage.className }),
                    },
                },
            ],
        },
    };

    const alertmanager: WorkloadSpec = {
        name: names.alertmanager,
        image: MONITORING_IMAGES.alertmanager,
        // An empty cluster address turns gossip off: one Alertmanager, nothing listening beyond its API.
        args: [`--config.file=/etc/alertmanager/${ALERTMANAGER_CONFIG_KEY}`, "--storage.path=/alertmanager", "--cluster.listen-address=", "--web.listen-address=:9093"],
        port: { name: "alertmanager", number: 9093 },
        readyPath: "/-/ready",
        volumes: [
            { name: "config", secret: { secretName: names.alertmanagerSecret, defaultMode: 0o440 } },
            { name: "data", emptyDir: { sizeLimit: "256Mi" } },
        ],
        mounts: [
            { name: "config", mountPath: "/etc/alertmanager", readOnly: true },
            { name: "data", mountPath: "/alertmanager" },
        ],
        resources: { cpu: "100m", memory: "128Mi" },
    };
    const grafana: WorkloadSpec = {
        name: names.grafana,
        image: MONITORING_IMAGES.grafana,
        args: [],
        port: { name: "grafana", number: 3000 },
        readyPath: "/api/health",
        env: [
            { name: "GF_SECURITY_ADMIN_USER", value: "admin" },
            { name: "GF_SECURITY_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: names.grafanaSecret, key: GRAFANA_PASSWORD_KEY } } },
            { name: "GF_USERS_ALLOW_SIGN_UP", value: "false" },
            { name: "GF_ANALYTICS_REPORTING_ENABLED", value: "false" },
            { name: "GF_ANALYTICS_CHECK_FOR_UPDATES", value: "false" },
        ],
        volumes: [
            {
                name: "provisioning",
                configMap: {
                    name: names.grafanaProvisioning,
                    items: [
                        { key: "datasources.yaml", path: "datasources/prometheus.yaml" },
                        { key: "dashboards.yaml", path: "dashboards/redis.yaml" },
                    ],
                },
            },
            { name: "dashboards", configMap: { name: names.grafanaDashboards } },
            { name: "data", emptyDir: { sizeLimit: "512Mi" } },
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
        ],
        mounts: [
            { name: "provisioning", mountPath: "/etc/grafana/provisioning", readOnly: true },
            { name: "dashboards", mountPath: "/var/lib/grafana-dashboards", readOnly: true },
            { name: "data", mountPath: "/var/lib/grafana" },
            { name: "tmp", mountPath: "/tmp" },
        ],
        resources: { cpu: "200m", memory: "256Mi" },
    };
    const push = pushgatewayManifests(deployment, meta);
    // A budget that never blocks a drain (one replica, maxUnavailable 1): it states that Prometheus may be evicted.
    const prometheusBudget: IPodDisruptionBudget = {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: names.prometheus, namespace: meta.namespace, labels: prometheusSelector },
        spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: prometheusSelector } },
    };
    return {
        configMaps: [configMap(names.prometheus, prometheusData), configMap(names.grafanaProvisioning, provisioning), configMap(names.grafanaDashboards, dashboards)],
        prometheus,
        prometheusBudget,
        deployments: [
            workloadDeployment(meta, alertmanager),
            workloadDeployment(meta, grafana, { "redisplatform.io/config-hash": hashOf({ ...provisioning, ...dashboards }) }),
            push.deployment,
        ],
        services: [
            workloadService(meta, { name: names.prometheus, port: { name: "prometheus", number: 9090 } }),
            workloadService(meta, alertmanager),
            workloadService(meta, grafana),
            push.service,
        ],
    };
}
