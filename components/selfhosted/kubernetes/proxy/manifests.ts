import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IService } from "kubernetes-models/v1/Service";
import type { Endpoint } from "../../../connection";
import type { ProxyScrapeTarget } from "../../../monitoring/prometheusConfig";
import type { Topology } from "../../../redisconf/topology";
import type { ProxySettings } from "../../proxy/settings";
import { EnvoyFiles, EnvoyProxyInput } from "../../proxy/envoyConfig";
import { ENVOY_ARGS, PROXY_PATHS } from "../../proxy/files";
import { ENVOY_IMAGE } from "../../images";
import { instanceSelectorLabels, KubernetesNames, REDIS_PORT, serviceDnsNames, serviceFqdn } from "../names";
import { proxyMetricsServiceLabels } from "../../../monitoring/operator";
import { NAMESPACE_NAME_LABEL } from "../network";

/**
 * The Envoy proxy of a Kubernetes cluster deployment as plain manifests (docs/proxy.md). Pure; the
 * `KubernetesProxy` component registers them.
 *
 * - A Deployment of `proxy.replicas` Envoy pods, spread over nodes, non-root, read-only root filesystem, its
 *   `envoy.yaml` from a ConfigMap (no secret in it) and its certificates and passwords from a Secret.
 * - A Service clients connect to (port 6379, TLS), and a headless metrics Service Prometheus discovers the pods
 *   through.
 * - A PodDisruptionBudget (one pod evicted at a time) and a NetworkPolicy letting the monitoring namespace
 *   reach the stats port. The pods carry the deployment's instance labels, so the deployment's own
 *   NetworkPolicy already admits labelled client pods on 6379 and lets the proxy reach the nodes.
 */

/** The port of the listener serving only `/stats/prometheus` and `/ready`. */
export const PROXY_STATS_PORT = 9902;

/** The admin port, on 127.0.0.1 inside the pod only. */
export const PROXY_ADMIN_PORT = 9901;

/** The names of the proxy's objects. */
export function proxyNames(names: KubernetesNames) {
    return {
        deployment: `${names.base}-proxy`,
        service: `${names.base}-proxy`,
        metricsService: `${names.base}-proxy-metrics`,
        configMap: `${names.base}-proxy`,
        secret: `${names.base}-proxy`,
        networkPolicy: `${names.base}-proxy`,
    };
}

/** The proxy pods' labels: the deployment's instance labels (see above) plus their own name and component. */
export function proxyLabels(names: KubernetesNames): Record<string, string> {
    return { ...instanceSelectorLabels(names), "app.kubernetes.io/name": "redis-proxy", "app.kubernetes.io/component": "proxy", "app.kubernetes.io/managed-by": "pulumi" };
}

/** The labels that select the proxy pods. */
export function proxySelector(names: KubernetesNames): Record<string, string> {
    return { "app.kubernetes.io/name": "redis-proxy", "app.kubernetes.io/instance": names.base, "app.kubernetes.io/component": "proxy" };
}

/** What clients connect to: the proxy Service. */
export function kubernetesProxyEndpoint(names: KubernetesNames): Endpoint {
    return { host: serviceFqdn(names, proxyNames(names).service), port: REDIS_PORT };
}

/** The names the proxy's certificate covers: its Service's names. */
export function kubernetesProxyCertificateNames(names: KubernetesNames): { dnsNames: string[]; ipAddresses: string[] } {
    return { dnsNames: serviceDnsNames(names, proxyNames(names).service), ipAddresses: [] };
}

/** What the bundled Prometheus scrapes: every proxy pod, found through the metrics Service's DNS records. */
export function kubernetesProxyScrapeTarget(names: KubernetesNames): ProxyScrapeTarget {
    return { dns: { name: serviceFqdn(names, proxyNames(names).metricsService), port: PROXY_STATS_PORT } };
}

/** The Envoy bootstrap input of a Kubernetes deployment: every data node as a seed, verified by its pod name. */
export function kubernetesEnvoyInput(names: KubernetesNames, topology: Topology, username: string, mtls: boolean, files: EnvoyFiles): EnvoyProxyInput {
    return {
        listen: { host: "0.0.0.0", port: REDIS_PORT },
        adminPort: PROXY_ADMIN_PORT,
        statsPort: PROXY_STATS_PORT,
        seeds: topology.dataNodes.map((node) => ({ host: node.announceHost, port: node.port })),
        nodeNames: { suffix: `.${names.headlessService}.${names.namespace}.svc.${names.clusterDomain}` },
        username,
        mtls,
        files,
    };
}

/** The proxy's Deployment. `configHash` rolls the pods when their config or secret files change. */
export function proxyDeployment(names: KubernetesNames, proxy: ProxySettings, configHash: string, priorityClassName?: string): IDeployment {
    const objectNames = proxyNames(names);
    const selector = proxySelector(names);
    const memory = `${proxy.resources.memoryMiB}Mi`;
    const probe = (periodSeconds: number, failureThreshold: number) => ({ httpGet: { path: "/ready", port: "metrics" }, periodSeconds, failureThreshold, timeoutSeconds: 2 });
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: objectNames.deployment, namespace: names.namespace, labels: proxyLabels(names) },
        spec: {
            replicas: proxy.replicas,
            selector: { matchLabels: selector },
            // A new pod is ready before an old one goes: the endpoint never has fewer pods than asked for.
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
            template: {
                metadata: { labels: proxyLabels(names), annotations: { "redisplatform.io/config-hash": configHash } },
                spec: {
                    automountServiceAccountToken: false,
                    ...(priorityClassName === undefined ? {} : { priorityClassName }),
                    securityContext: { runAsNonRoot: true, runAsUser: ENVOY_IMAGE.uid, runAsGroup: ENVOY_IMAGE.gid, fsGroup: ENVOY_IMAGE.gid, seccompProfile: { type: "RuntimeDefault" } },
                    topologySpreadConstraints: [
                        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
                        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
                    ],
                    terminationGracePeriodSeconds: 30,
                    containers: [
                        {
                            name: "envoy",
                            image: proxy.image,
                            command: ["envoy"],
                            args: [...ENVOY_ARGS],
                            ports: [
                                { name: "redis", containerPort: REDIS_PORT, protocol: "TCP" },
                                { name: "metrics", containerPort: PROXY_STATS_PORT, protocol: "TCP" },
                            ],
                            readinessProbe: probe(5, 2),
                            livenessProbe: { ...probe(10, 6), initialDelaySeconds: 10 },
                            resources: { requests: { cpu: proxy.resources.cpu, memory }, limits: { cpu: proxy.resources.cpu, memory } },
                            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                            volumeMounts: [
                                { name: "config", mountPath: PROXY_PATHS.configDir, readOnly: true },
                                { name: "secrets", mountPath: PROXY_PATHS.secretsDir, readOnly: true },
                                { name: "tmp", mountPath: "/tmp" },
                            ],
                        },
                    ],
                    volumes: [
                        { name: "config", configMap: { name: objectNames.configMap } },
                        { name: "secrets", secret: { secretName: objectNames.secret, defaultMode: 0o440 } },
                        { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
                    ],
                },
            },
        },
    };
}

/** The Service clients connect to, and the headless metrics Service. */
export function proxyServices(names: KubernetesNames): IService[] {
    const objectNames = proxyNames(names);
    return [
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: objectNames.service, namespace: names.namespace, labels: proxyLabels(names) },
            spec: { type: "ClusterIP", selector: proxySelector(names), ports: [{ name: "redis", port: REDIS_PORT, targetPort: "redis", protocol: "TCP" }] },
        },
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: objectNames.metricsService, namespace: names.namespace, labels: { ...proxyLabels(names), ...proxyMetricsServiceLabels(names.base) } },
            spec: { clusterIP: "None", selector: proxySelector(names), ports: [{ name: "metrics", port: PROXY_STATS_PORT, targetPort: "metrics", protocol: "TCP" }] },
        },
    ];
}

/** At most one proxy pod evicted at a time; a pod that is not ready may always go. */
export function proxyDisruptionBudget(names: KubernetesNames): IPodDisruptionBudget {
    return {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: proxyNames(names).deployment, namespace: names.namespace, labels: proxyLabels(names) },
        spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: proxySelector(names) } },
    };
}

/** The monitoring namespace may reach the stats port (the deployment's policy admits clients on 6379). */
export function proxyNetworkPolicy(names: KubernetesNames, monitoringNamespace: string): INetworkPolicy {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: proxyNames(names).networkPolicy, namespace: names.namespace, labels: proxyLabels(names) },
        spec: {
            podSelector: { matchLabels: proxySelector(names) },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: monitoringNamespace } } }], ports: [{ protocol: "TCP", port: PROXY_STATS_PORT }] }],
        },
    };
}
