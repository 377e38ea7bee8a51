import { strict as assert } from "node:assert";
import { alertRuleGroups } from "../../components/monitoring/alertRules";
import { prometheusRule, serviceMonitor } from "../../components/monitoring/operator";
import { testDeployments } from "../support/monitoring/deployments";

/** The models of the monitoring.coreos.com/v1 CRDs, generated from prometheus-operator's API types. */
const CRD_MODELS_PACKAGE = "@kubernetes-models/prometheus-operator";

interface CrdModel {
    validate(): void;
}
type CrdModelClass = new (data: Record<string, unknown>) => CrdModel;

async function crdModel(kind: "ServiceMonitor" | "PrometheusRule"): Promise<CrdModelClass> {
    // A computed specifier keeps the type check independent of the package; the package is ESM-only.
    const specifier = `${CRD_MODELS_PACKAGE}/monitoring.coreos.com/v1/${kind}`;
    try {
        const module = (await import(specifier)) as Record<string, CrdModelClass>;
        return module[kind];
    } catch (error) {
        throw new Error(`validating ${kind} needs the npm package ${CRD_MODELS_PACKAGE} (a devDependency): ${String(error)}`);
    }
}

describe("Prometheus Operator objects", () => {
    const monitor = serviceMonitor({
        name: "orders-redis",
        namespace: "redis",
        labels: { release: "kube-prometheus-stack" },
        deployment: "orders",
        kind: "redis",
        serviceSelector: { "app.kubernetes.io/name": "redis", "app.kubernetes.io/component": "exporter" },
    });

    it("builds a ServiceMonitor that labels series like the bundled Prometheus", () => {
        assert.deepEqual(monitor, {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "ServiceMonitor",
            metadata: { name: "orders-redis", namespace: "redis", labels: { release: "kube-prometheus-stack" } },
            spec: {
                selector: { matchLabels: { "app.kubernetes.io/name": "redis", "app.kubernetes.io/component": "exporter" } },
                namespaceSelector: { matchNames: ["redis"] },
                endpoints: [
                    {
                        port: "metrics",
                        path: "/metrics",
                        interval: "15s",
                        relabelings: [
                            { action: "replace", targetLabel: "deployment", replacement: "orders" },
                            { action: "replace", targetLabel: "kind", replacement: "redis" },
                            { action: "replace", sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "node" },
                        ],
                    },
                ],
            },
        });
    });

    it("passes the ServiceMonitor CRD schema", async () => {
        const ServiceMonitor = await crdModel("ServiceMonitor");
        new ServiceMonitor(monitor).validate();
        new ServiceMonitor(serviceMonitor({ name: "s", namespace: "n", deployment: "d", kind: "sentinel", serviceSelector: { a: "b" }, port: "exporter", intervalSeconds: 30 })).validate();
    });

    it("passes the PrometheusRule CRD schema with the same groups as the rule file", async () => {
        const PrometheusRule = await crdModel("PrometheusRule");
        const deployments = testDeployments();
        const rule = prometheusRule({ name: "redis-alerts", namespace: "monitoring", labels: { release: "kube-prometheus-stack" } }, deployments);
        new PrometheusRule(rule).validate();
        assert.deepEqual((rule.spec as { groups: unknown }).groups, alertRuleGroups(deployments));
    });

    it("is caught by the schema when a field is wrong, so the check has teeth", async () => {
        const PrometheusRule = await crdModel("PrometheusRule");
        assert.throws(() => new PrometheusRule({ metadata: { name: "x" }, spec: { groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", for: "5 minutes" }] }] } }).validate(), /for must match pattern/);
        const ServiceMonitor = await crdModel("ServiceMonitor");
        assert.throws(() => new ServiceMonitor({ metadata: { name: "x" }, spec: { endpoints: [] } }).validate(), /must have required property 'selector'|required property selector/);
    });

    it("refuses an empty service selector and a bad name", () => {
        assert.throws(() => serviceMonitor({ name: "a", namespace: "n", deployment: "d", kind: "redis", serviceSelector: {} }), /serviceSelector must not be empty/);
        assert.throws(() => prometheusRule({ name: "Bad_Name", namespace: "n" }, []), /PrometheusRule name "Bad_Name": must be a Kubernetes name/);
    });
});
