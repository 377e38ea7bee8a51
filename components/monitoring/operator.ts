import { AlertDeployment, alertRuleGroups } from "./alertRules";
import { ExporterKind, SCRAPE_LABELS } from "./metrics";

/**
 * The objects Kubernetes `operator` mode hands to an existing Prometheus Operator instead of deploying
 * Prometheus: a ServiceMonitor per exporter kind and a PrometheusRule with the alert rules. Plain objects
 * (`monitoring.coreos.com/v1`), so the platform passes them to `kubernetes.apiextensions.CustomResource` and
 * the tests validate them against the CRD schemas.
 */

/** Object metadata both kinds share. */
export interface OperatorObjectMeta {
    name: string;
    namespace: string;
    /** Labels the operator's `serviceMonitorSelector` / `ruleSelector` match, such as `release: kube-prometheus-stack`. */
    labels?: Record<string, string>;
}

/** The label that tells the metrics Services apart from the platform's. */
export const METRICS_SERVICE_LABEL = "redisplatform.io/metrics";

/** The labels of the Envoy proxy's metrics Service (the proxy creates it; a ServiceMonitor selects it). */
export function proxyMetricsServiceLabels(deployment: string): Record<string, string> {
    return { "app.kubernetes.io/instance": deployment, [METRICS_SERVICE_LABEL]: "proxy" };
}

/** What {@link serviceMonitor} needs. */
export interface ServiceMonitorInput extends OperatorObjectMeta {
    /** The deployment name; becomes the `deployment` label of every scraped series. */
    deployment: string;
    kind: ExporterKind | "proxy";
    /** The path metrics are served at. @default "/metrics" */
    path?: string;
    /** Labels of the Service(s) in front of the exporters. */
    serviceSelector: Record<string, string>;
    /** The name of the Service port that serves `/metrics`. @default "metrics" */
    port?: string;
    /** How often to scrape, in seconds. @default 15 */
    intervalSeconds?: number;
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function checkMeta(what: string, meta: OperatorObjectMeta): void {
    for (const [field, value] of [
        ["name", meta.name],
        ["namespace", meta.namespace],
    ] as const) {
        if (!K8S_NAME.test(value)) {
            throw new Error(`${what} ${field} "${value}": must be a Kubernetes name (lower-case letters, digits and '-', at most 63)`);
        }
    }
}

function metadata(meta: OperatorObjectMeta): Record<string, unknown> {
    return { name: meta.name, namespace: meta.namespace, ...(meta.labels && Object.keys(meta.labels).length > 0 ? { labels: meta.labels } : {}) };
}

/**
 * A ServiceMonitor that scrapes one kind of exporter of one deployment and gives its series the same
 * `deployment`, `node` (the pod name) and `kind` labels as the bundled Prometheus does, so the same rules
 * and dashboard work in both modes.
 *
 * @throws Error when a name is not a Kubernetes name or the selector is empty
 */
export function serviceMonitor(input: ServiceMonitorInput): Record<string, unknown> {
    checkMeta("ServiceMonitor", input);
    if (Object.keys(input.serviceSelector).length === 0) {
        throw new Error(`ServiceMonitor "${input.name}": serviceSelector must not be empty, or it would scrape every Service`);
    }
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: metadata(input),
        spec: {
            selector: { matchLabels: input.serviceSelector },
            namespaceSelector: { matchNames: [input.namespace] },
            endpoints: [
                {
                    port: input.port ?? "metrics",
                    path: input.path ?? "/metrics",
                    interval: `${input.intervalSeconds ?? 15}s`,
                    relabelings: [
                        { action: "replace", targetLabel: SCRAPE_LABELS.deployment, replacement: input.deployment },
                        { action: "replace", targetLabel: SCRAPE_LABELS.kind, replacement: input.kind },
                        { action: "replace", sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: SCRAPE_LABELS.node },
                    ],
                },
            ],
        },
    };
}

/**
 * A PrometheusRule holding the alert rules of the given deployments, one group each: the same groups as the
 * bundled rule file.
 */
export function prometheusRule(meta: OperatorObjectMeta, deployments: readonly AlertDeployment[]): Record<string, unknown> {
    checkMeta("PrometheusRule", meta);
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: metadata(meta),
        spec: { groups: alertRuleGroups(deployments) },
    };
}
