import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IService } from "kubernetes-models/v1/Service";
import type { Topology } from "../../redisconf/topology";
import {
    CLUSTER_BUS_PORT,
    EXPORTER_PORT,
    instanceSelectorLabels,
    KubernetesNames,
    labelsFor,
    nodeSelectorLabels,
    PodComponent,
    PORT_NAMES,
    REDIS_PORT,
    selectorFor,
    SENTINEL_PORT,
} from "./names";

/**
 * The namespace, Services, PodDisruptionBudgets and NetworkPolicy of a deployment, as plain manifests. Pure.
 */

/** Who may connect, from the stack's `selfhosted.kubernetes` section. */
export interface AccessConfig {
    /** Namespaces (besides the deployment's own) whose labelled pods may connect. */
    clientNamespaces: readonly string[];
    /** The labels a client pod must carry. */
    clientPodLabels: Readonly<Record<string, string>>;
    /** The namespace Prometheus scrapes from. */
    monitoringNamespace: string;
}

/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/**
 * The namespace, with Pod Security admission enforcing the `restricted` profile unless the pods set
 * `net.core.somaxconn`, which that profile (and `baseline`) refuses as an unsafe sysctl: then it only warns.
 */
export function namespaceManifest(names: KubernetesNames, unsafeSysctls: boolean): INamespace {
    const mode = unsafeSysctls ? ["warn", "audit"] : ["enforce", "warn", "audit"];
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
            name: names.namespace,
            labels: {
                "app.kubernetes.io/part-of": "redis-platform",
                "app.kubernetes.io/managed-by": "pulumi",
                ...Object.fromEntries(mode.flatMap((m) => [[`pod-security.kubernetes.io/${m}`, "restricted"], [`pod-security.kubernetes.io/${m}-version`, "latest"]])),
            },
        },
    };
}

/**
 * The headless Service behind every pod's DNS name. It publishes pods before they are ready: nodes must
 * find each other while they start (a replica syncs before it is ready, a cluster forms before any node is).
 */
export function headlessServiceManifest(names: KubernetesNames, topology: Topology): IService {
    const ports = [
        { name: PORT_NAMES.redis, port: REDIS_PORT, targetPort: PORT_NAMES.redis, protocol: "TCP" as const },
        ...(topology.kind === "cluster" ? [{ name: PORT_NAMES.clusterBus, port: CLUSTER_BUS_PORT, targetPort: PORT_NAMES.clusterBus, protocol: "TCP" as const }] : []),
        ...(topology.kind === "sentinel" ? [{ name: PORT_NAMES.sentinel, port: SENTINEL_PORT, targetPort: PORT_NAMES.sentinel, protocol: "TCP" as const }] : []),
    ];
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: names.headlessService, namespace: names.namespace, labels: labelsFor(names, "redis") },
        spec: { clusterIP: "None", publishNotReadyAddresses: true, selector: nodeSelectorLabels(names), ports },
    };
}

/**
 * The client Services. Standalone and cluster: one Service over the ready data nodes (a cluster client uses
 * it as a seed only). Sentinel: one Service over the ready sentinels; clients ask them for the primary.
 */
export function clientServiceManifests(names: KubernetesNames, topology: Topology): IService[] {
    const service = (name: string, component: "redis" | "sentinel", port: number): IService => ({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: names.namespace, labels: labelsFor(names, component) },
        spec: {
            type: "ClusterIP",
            selector: selectorFor(names, component),
            ports: [{ name: PORT_NAMES[component], port, targetPort: PORT_NAMES[component], protocol: "TCP" as const }],
        },
    });
    return topology.kind === "sentinel" ? [service(names.sentinelService, "sentinel", SENTINEL_PORT)] : [service(names.clientService, "redis", REDIS_PORT)];
}

/**
 * One PodDisruptionBudget per role: at most one data node and one sentinel evicted at a time. Pods that are
 * not ready may always be evicted, so a crash-looping pod never blocks a node drain.
 */
export function disruptionBudgetManifests(names: KubernetesNames, topology: Topology): IPodDisruptionBudget[] {
    const components: { component: PodComponent; name: string }[] = [{ component: "redis", name: names.dataStatefulSet }];
    if (topology.kind === "sentinel") {
        components.push({ component: "sentinel", name: names.sentinelStatefulSet });
    }
    return components.map(({ component, name }) => ({
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name, namespace: names.namespace, labels: labelsFor(names, component) },
        spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: selectorFor(names, component) } },
    }));
}

/** The peers a client may connect from: labelled pods in the deployment's namespace and in each client namespace. */
export function clientPeers(access: AccessConfig): INetworkPolicyPeer[] {
    const podSelector = { matchLabels: { ...access.clientPodLabels } };
    return [
        { podSelector },
        ...(access.clientNamespaces.length === 0
            ? []
            : [{ namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: "In", values: [...access.clientNamespaces] }] }, podSelector }]),
    ];
}

/**
 * The NetworkPolicy of every pod of the deployment. Ingress only from: the deployment's own pods
 * (replication, sentinels, the cluster bus, the cluster-init job) on the node ports; labelled client pods on
 * the client ports; the monitoring namespace on the exporter port. Everything else is dropped.
 */
export function networkPolicyManifest(names: KubernetesNames, topology: Topology, access: AccessConfig, exporter: boolean): INetworkPolicy {
    const port = (value: number) => ({ protocol: "TCP" as const, port: value });
    const clientPorts = [port(REDIS_PORT), ...(topology.kind === "sentinel" ? [port(SENTINEL_PORT)] : [])];
    const nodePorts = [...clientPorts, ...(topology.kind === "cluster" ? [port(CLUSTER_BUS_PORT)] : [])];
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: names.networkPolicy, namespace: names.namespace, labels: labelsFor(names, "redis") },
        spec: {
            podSelector: { matchLabels: instanceSelectorLabels(names) },
            policyTypes: ["Ingress"],
            ingress: [
                { from: [{ podSelector: { matchLabels: instanceSelectorLabels(names) } }], ports: nodePorts },
                { from: clientPeers(access), ports: clientPorts },
                ...(exporter
                    ? [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: access.monitoringNamespace } } }], ports: [port(EXPORTER_PORT)] }]
                    : []),
            ],
        },
    };
}
