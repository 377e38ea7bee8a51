import { stringify } from "yaml";

/**
 * Grafana provisioning files: the Prometheus datasource and the file provider that loads the Redis
 * dashboard. Pure; the platform mounts them under `/etc/grafana/provisioning/`.
 */

/** The uid of the provisioned Prometheus datasource; the dashboard's panels refer to it. */
export const PROMETHEUS_DATASOURCE_UID = "redis-prometheus";

/** `provisioning/datasources/prometheus.yaml`: Prometheus as the default, read-only datasource. */
export function renderGrafanaDatasources(prometheusUrl: string): string {
    if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(prometheusUrl)) {
        throw new Error(`Grafana datasource URL "${prometheusUrl}": must be an http(s) URL such as http://prometheus:9090`);
    }
    return stringify(
        {
            apiVersion: 1,
            datasources: [
                {
                    name: "Prometheus",
                    uid: PROMETHEUS_DATASOURCE_UID,
                    type: "prometheus",
                    access: "proxy",
                    url: prometheusUrl,
                    isDefault: true,
                    editable: false,
                    jsonData: { timeInterval: "15s" },
                },
            ],
        },
        { lineWidth: 0 },
    );
}

/**
 * `provisioning/dashboards/redis.yaml`: loads every dashboard JSON file in `path` into the "Redis" folder,
 * and keeps UI edits from being saved over the provisioned files.
 */
export function renderGrafanaDashboardProvider(path: string): string {
    if (!path.startsWith("/")) {
        throw new Error(`Grafana dashboard path "${path}": must be absolute, such as /var/lib/grafana/dashboards`);
    }
    return stringify(
        {
            apiVersion: 1,
            providers: [{ name: "redis", folder: "Redis", type: "file", disableDeletion: true, allowUiUpdates: false, updateIntervalSeconds: 60, options: { path } }],
        },
        { lineWidth: 0 },
    );
}
