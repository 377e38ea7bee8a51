import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackSecrets } from "../../../backend";
import { alertDeploymentFor } from "../../../monitoring/alertDeployment";
import { alertmanagerConfigSecret } from "../../../monitoring/alertmanagerSecret";
import { alertmanagerSettingsFor } from "../../../monitoring/alertmanagerSettings";
import type { ExporterKind } from "../../../monitoring/metrics";
import type { Topology } from "../../../redisconf/topology";
import type { SelfHostedConfig } from "../../platform";
import { ALERTMANAGER_CONFIG_KEY, bundledMonitoringManifests, bundledNames, GRAFANA_PASSWORD_KEY } from "./bundled";
import { monitoringLabels, monitoringNamespaceManifest } from "./labels";
import { operatorMonitoringManifests } from "./operatorMode";
import { pushgatewayManifests, pushgatewayUrl } from "./pushgateway";
import { namesFor } from "../layout";
import { kubernetesProxyScrapeTarget } from "../proxy/manifests";

/** Arguments of {@link KubernetesMonitoring}. */
export interface KubernetesMonitoringArgs {
    /** The deployment name (the Redis component's name); object names and the `deployment` label derive from it. */
    deploymentName: string;
    config: SelfHostedConfig;
    /** The nodes, placed by the Kubernetes layout (announce hosts are pod DNS names). */
    topology: Topology;
    /** The deployment's namespace. */
    namespace: string;
    /** The labels selecting each kind's pods; `sentinel` only in the Sentinel topology. */
    podSelectors: Partial<Record<ExporterKind, Record<string, string>>>;
    /** The stack's secret config values (receiver webhooks, SMTP password). */
    secrets: StackSecrets;
}

/**
 * The monitoring of a self-hosted deployment on Kubernetes, by `redis:monitoring.mode`:
 *
 * - `bundled`: Prometheus, Alertmanager, Grafana and a Pushgateway in `kubernetes.monitoringNamespace`
 *   (created when `kubernetes.createNamespace`), the Alertmanager config and Grafana's admin password as
 *   Secrets (Pulumi secrets end to end);
 * - `operator`: metrics Services, ServiceMonitors and a PrometheusRule for an existing Prometheus Operator
 *   (matched by `monitoring.operatorLabels`), the dashboard ConfigMap for its Grafana's sidecar, and a
 *   Pushgateway, in the deployment's namespace.
 *
 * Either way {@link KubernetesMonitoring.pushgatewayUrl} is where the backup CronJob pushes its metric.
 * Nothing is created when `monitoring.enabled` is false.
 */
export class KubernetesMonitoring extends pulumi.ComponentResource {
    /** The in-cluster URL of the Pushgateway, or `undefined` when monitoring is off. */
    public readonly pushgatewayUrl: string | undefined;
    /** Grafana's admin password (`bundled` mode only), a secret. */
    public readonly grafanaAdminPassword: pulumi.Output<string> | undefined;

    constructor(name: string, args: KubernetesMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redisplatform:kubernetes:Monitoring", name, {}, opts);
        const { config, deploymentName } = args;
        const kubernetes = config.selfhosted.kubernetes;
        const monitoring = config.monitoring;
        this.pushgatewayUrl = undefined;
        this.grafanaAdminPassword = undefined;
        if (!monitoring.enabled) {
            this.registerOutputs({});
            return;
        }
        const alert = alertDeploymentFor(deploymentName, config);
        const child = { parent: this };

        if (monitoring.mode === "operator") {
            const meta = { namespace: args.namespace, labels: monitoringLabels(deploymentName) };
            // Sentinel exporters exist only in the Sentinel topology, whatever selectors the caller passes.
            const podSelectors = args.topology.sentinels.length > 0 ? args.podSelectors : { redis: args.podSelectors.redis };
            const objects = operatorMonitoringManifests({ deployment: deploymentName, meta, podSelectors, alert, operatorLabels: monitoring.operatorLabels });
            for (const service of objects.services) {
                new k8s.core.v1.Service(`${name}-${service.metadata?.name}`, service as k8s.core.v1.ServiceArgs, child);
            }
            for (const resource of objects.customResources) {
                const metadata = resource.metadata as { name: string };
                new k8s.apiextensions.CustomResource(`${name}-${String(resource.kind).toLowerCase()}-${metadata.name}`, resource as k8s.apiextensions.CustomResourceArgs, child);
            }
            new k8s.core.v1.ConfigMap(`${name}-grafana-dashboard`, objects.dashboard as k8s.core.v1.ConfigMapArgs, child);
            const push = pushgatewayManifests(deploymentName, meta);
            new k8s.apps.v1.Deployment(`${name}-pushgateway`, push.deployment as k8s.apps.v1.DeploymentArgs, child);
            new k8s.core.v1.Service(`${name}-pushgateway`, push.service as k8s.core.v1.ServiceArgs, child);
            this.pushgatewayUrl = pushgatewayUrl(deploymentName, args.namespace, kubernetes.clusterDomain);
            this.registerOutputs({ pushgatewayUrl: this.pushgatewayUrl });
            return;
        }

        const namespace = kubernetes.monitoringNamespace;
        const dependsOn: pulumi.Resource[] = [];
        if (kubernetes.createNamespace && namespace !== args.namespace) {
            dependsOn.push(new k8s.core.v1.Namespace(`${name}-namespace`, monitoringNamespaceManifest(namespace), child));
        }
        const inNamespace = { parent: this, dependsOn };
        const meta = { namespace, labels: monitoringLabels(deploymentName) };
        const names = bundledNames(deploymentName);
        const objects = bundledMonitoringManifests({
            deployment: deploymentName,
            meta,
            topology: args.topology,
            alert,
            retentionDays: monitoring.retentionDays,
            storage: { size: "10gb", ...(config.selfhosted.storage.className === undefined ? {} : { className: config.selfhosted.storage.className }) },
            clusterDomain: kubernetes.clusterDomain,
            ...(config.selfhosted.proxy === undefined ? {} : { proxy: kubernetesProxyScrapeTarget(namesFor(deploymentName, config)) }),
        });

        const alertmanagerYaml = alertmanagerConfigSecret(alertmanagerSettingsFor(monitoring), args.secrets);
        new k8s.core.v1.Secret(
            `${name}-alertmanager-config`,
            { metadata: { name: names.alertmanagerSecret, namespace, labels: meta.labels }, type: "Opaque", stringData: { [ALERTMANAGER_CONFIG_KEY]: alertmanagerYaml } },
            inNamespace,
        );
        const adminPassword = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, child);
        this.grafanaAdminPassword = pulumi.secret(adminPassword.result);
        new k8s.core.v1.Secret(
            `${name}-grafana-admin`,
            { metadata: { name: names.grafanaSecret, namespace, labels: meta.labels }, type: "Opaque", stringData: { [GRAFANA_PASSWORD_KEY]: this.grafanaAdminPassword } },
            inNamespace,
        );
        for (const configMap of objects.configMaps) {
            new k8s.core.v1.ConfigMap(`${name}-${configMap.metadata?.name}`, configMap as k8s.core.v1.ConfigMapArgs, inNamespace);
        }
        // Its volume holds the metrics history: protected with the deployment's data.
        new k8s.apps.v1.StatefulSet(`${name}-prometheus`, objects.prometheus as k8s.apps.v1.StatefulSetArgs, { ...inNamespace, protect: config.protect });
        new k8s.policy.v1.PodDisruptionBudget(`${name}-prometheus`, objects.prometheusBudget as k8s.policy.v1.PodDisruptionBudgetArgs, inNamespace);
        // Alertmanager does not reread its file: a digest of the secret config rolls its pod when the config changes.
        const alertmanagerHash = pulumi.unsecret(alertmanagerYaml.apply((text) => createHash("sha256").update(text).digest("hex").slice(0, 16)));
        for (const deployment of objects.deployments) {
            const isAlertmanager = deployment.metadata?.name === names.alertmanager;
            const body = isAlertmanager ? withTemplateAnnotation(deployment as k8s.apps.v1.DeploymentArgs, alertmanagerHash) : (deployment as k8s.apps.v1.DeploymentArgs);
            new k8s.apps.v1.Deployment(`${name}-${deployment.metadata?.name}`, body, inNamespace);
        }
        for (const service of objects.services) {
            new k8s.core.v1.Service(`${name}-${service.metadata?.name}-service`, service as k8s.core.v1.ServiceArgs, inNamespace);
        }
        this.pushgatewayUrl = pushgatewayUrl(deploymentName, namespace, kubernetes.clusterDomain);
        this.registerOutputs({ pushgatewayUrl: this.pushgatewayUrl, grafanaAdminPassword: this.grafanaAdminPassword });
    }
}

function withTemplateAnnotation(deployment: k8s.apps.v1.DeploymentArgs, hash: pulumi.Output<string>): k8s.apps.v1.DeploymentArgs {
    const spec = deployment.spec as k8s.types.input.apps.v1.DeploymentSpec;
    const template = spec.template as k8s.types.input.core.v1.PodTemplateSpec;
    const metadata = template.metadata as k8s.types.input.meta.v1.ObjectMeta;
    return { ...deployment, spec: { ...spec, template: { ...template, metadata: { ...metadata, annotations: { "redisplatform.io/config-hash": hash } } } } };
}
