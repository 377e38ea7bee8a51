import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import { renderRedisDashboard } from "../../../monitoring/dashboard";
import type { AlertDeployment } from "../../../monitoring/alertRules";
import type { ExporterKind } from "../../../monitoring/metrics";
import { prometheusRule, serviceMonitor } from "../../../monitoring/operator";
import { pushgatewaySpec } from "./pushgateway";
import { EXPORTER_METRICS_PORT } from "./targets";
import { MonitoringMeta, workloadSelector } from "./workload";
import { ENVOY_METRICS_PATH } from "../../../monitoring/prometheusConfig";
import { METRICS_SERVICE_LABEL, proxyMetricsServiceLabels } from "../../../monitoring/operator";

/**
 * `operator` monitoring on Kubernetes: for an existing Prometheus Operator, a headless metrics Service per
 * exporter kind (the platform's Services carry no metrics port), a ServiceMonitor for each and one for the
 * backup Pushgateway, a PrometheusRule with the alert rules, and the Grafana dashboard as a ConfigMap
 * labelled `grafana_dashboard: "1"`, which the Grafana of kube-prometheus-stack loads through its dashboard
 * sidecar (its default label; the sidecar must watch this namespace). Pure: plain objects, the ServiceMonitors
 * and the PrometheusRule as `monitoring.coreos.com/v1` bodies for `kubernetes.apiextensions.CustomResource`.
 */

/** What {@link operatorMonitoringManifests} needs. */
export interface OperatorMonitoringInput {
    deployment: string;
    /** The deployment's namespace and instance labels. */
    meta: MonitoringMeta;
    /** The labels selecting each kind's pods (the platform's `selectorFor`); no sentinel entry without sentinels. */
    podSelectors: Partial<Record<ExporterKind, Record<string, string>>>;
    alert: AlertDeployment;
    /** Labels the operator's `serviceMonitorSelector` and `ruleSelector` match, such as `release: kube-prometheus-stack`. */
    operatorLabels: Record<string, string>;
}

/** The objects of `operator` mode. */
export interface OperatorManifests {
    services: IService[];
    /** ServiceMonitor and PrometheusRule bodies. */
    customResources: Record<string, unknown>[];
    /** The dashboard, for the operator stack's Grafana sidecar. */
    dashboard: IConfigMap;
}

/** The label (and value) the Grafana dashboard sidecar of kube-prometheus-stack looks for by default. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/** The label that tells the metrics Services apart from the platform's. */
export { METRICS_SERVICE_LABEL } from "../../../monitoring/operator";

/** The `operator` mode objects. */
export function operatorMonitoringManifests(input: OperatorMonitoringInput): OperatorManifests {
    const { meta, deployment } = input;
    const kinds = (["redis", "sentinel"] as const).filter((kind) => input.podSelectors[kind] !== undefined);
    const services: IService[] = kinds.map((kind) => ({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: `${deployment}-${kind === "redis" ? "" : "sentinel-"}metrics`, namespace: meta.namespace, labels: { ...meta.labels, [METRICS_SERVICE_LABEL]: kind } },
        spec: {
            clusterIP: "None",
            selector: input.podSelectors[kind],
            ports: [{ name: "metrics", port: EXPORTER_METRICS_PORT, targetPort: "metrics", protocol: "TCP" }],
        },
    }));
    const monitors = kinds.map((kind) =>
        serviceMonitor({
            name: `${deployment}-${kind}`,
            namespace: meta.namespace,
            labels: { ...meta.labels, ...input.operatorLabels },
            deployment,
            kind,
            serviceSelector: { ...meta.labels, [METRICS_SERVICE_LABEL]: kind },
        }),
    );
    const push = pushgatewaySpec(deployment);
    // The backup job sets the deployment label itself: honorLabels keeps it over the scrape's target labels.
    const pushMonitor = {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: push.name, namespace: meta.namespace, labels: { ...meta.labels, ...input.operatorLabels } },
        spec: {
            selector: { matchLabels: workloadSelector(meta, push.name) },
            namespaceSelector: { matchNames: [meta.namespace] },
            endpoints: [{ port: push.port.name, path: "/metrics", interval: "30s", honorLabels: true }],
        },
    };
    const rule = prometheusRule({ name: `${deployment}-rules`, namespace: meta.namespace, labels: { ...meta.labels, ...input.operatorLabels } }, [input.alert]);
    const dashboard: IConfigMap = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `${deployment}-grafana-dashboard`, namespace: meta.namespace, labels: { ...meta.labels, ...GRAFANA_DASHBOARD_LABEL } },
        data: { [`redis-${deployment}.json`]: renderRedisDashboard(input.alert.topology, `${deployment}-redis`, { proxy: input.alert.proxy }) },
    };
    // The proxy's metrics Service comes with the proxy: only the ServiceMonitor is made here.
    const proxyMonitor =
        input.alert.proxy === true
            ? [
                  serviceMonitor({
                      name: `${deployment}-proxy`,
                      namespace: meta.namespace,
                      labels: { ...meta.labels, ...input.operatorLabels },
                      deployment,
                      kind: "proxy",
                      serviceSelector: proxyMetricsServiceLabels(deployment),
                      path: ENVOY_METRICS_PATH,
                  }),
              ]
            : [];
    return { services, customResources: [...monitors, ...proxyMonitor, pushMonitor, rule], dashboard };
}
