import type { NodeIdentity } from "../../redisconf/topology";

/**
 * Names, labels, ports and DNS names of a self-hosted deployment on Kubernetes. Pure: the layout (announce
 * hosts, certificate names, client endpoints) and every manifest derive their names from here, so a name
 * baked into a rendered config always matches the object that answers to it.
 */

/** The port data nodes listen on (TLS when TLS is on, plain otherwise). */
export const REDIS_PORT = 6379;
/** The cluster bus port of data nodes (cluster topology only). */
export const CLUSTER_BUS_PORT = 16379;
/** The port sentinels listen on. */
export const SENTINEL_PORT = 26379;
/** The port the exporter sidecar serves metrics on. */
export const EXPORTER_PORT = 9121;

/** The named container and Service ports. */
export const PORT_NAMES = { redis: "redis", clusterBus: "cluster-bus", sentinel: "sentinel", metrics: "metrics" } as const;

/** What a pod does in the deployment; the `app.kubernetes.io/component` label. */
export type PodComponent = "redis" | "sentinel" | "cluster-init" | "cluster-drain" | "sentinel-reset" | "switchover" | "engine-upgrade";

/** The longest deployment name: StatefulSet names feed the `controller-revision-hash` label (at most 63). */
export const MAX_NAME_LENGTH = 40;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The part of the Kubernetes config names depend on. */
export interface KubernetesNamesConfig {
    namespace: string;
    clusterDomain: string;
}

/** Every name of one deployment's Kubernetes objects. */
export interface KubernetesNames {
    /** The deployment name every object name starts with. */
    base: string;
    namespace: string;
    clusterDomain: string;
    /** The data nodes' StatefulSet (and PodDisruptionBudget); its pods are `<base>-0`, `<base>-1`, ... */
    dataStatefulSet: string;
    /** The sentinels' StatefulSet (and PodDisruptionBudget); its pods are `<base>-sentinel-0`, ... */
    sentinelStatefulSet: string;
    /** The headless Service that gives every data node and sentinel a stable DNS name. */
    headlessService: string;
    /** The client Service of standalone and cluster deployments (every data node). */
    clientService: string;
    /** The client Service of the sentinels (sentinel topology). */
    sentinelService: string;
    /** The ConfigMap of rendered scripts, by file name. */
    scriptsConfigMap: string;
    /** The ConfigMap of the data nodes' files: each `redis.conf` and script environment (and the cluster-init job's). */
    nodesConfigMap: string;
    /** The ConfigMap of the sentinels' script environments (their configs are in a Secret). */
    sentinelNodesConfigMap: string;
    /** The Secret holding `users.acl`. */
    aclSecret: string;
    /** The Secret holding one password file per system user. */
    passwordsSecret: string;
    /** The Secret holding each sentinel's `sentinel.conf` template (it carries password hashes). */
    sentinelConfigSecret: string;
    /** The Secret holding the CA and the node client certificate, for the exporter and the cluster-init job. */
    tlsClientSecret: string;
    /** The Secret holding the exporter's password map. */
    exporterSecret: string;
    /** The Job that forms the cluster (cluster topology). */
    clusterInitJob: string;
    /** The Job that drains the shards and nodes a scale-down removes (cluster only). */
    clusterDrainJob: string;
    /** The Job that makes the sentinels forget removed data nodes (sentinel topology). */
    sentinelResetJob: string;
    /** The NetworkPolicy of the deployment's pods. */
    networkPolicy: string;
}

/**
 * The names of a deployment's objects.
 *
 * @param base the deployment name (the Redis component's name)
 * @param config the namespace and cluster DNS domain
 * @throws Error naming the value when `base` is not a DNS label of at most {@link MAX_NAME_LENGTH} characters
 */
export function kubernetesNames(base: string, config: KubernetesNamesConfig): KubernetesNames {
    if (!DNS_LABEL.test(base) || base.length > MAX_NAME_LENGTH) {
        throw new Error(`deployment name "${base}": must be a DNS label (a-z, 0-9 and '-') of at most ${MAX_NAME_LENGTH} characters`);
    }
    return {
        base,
        namespace: config.namespace,
        clusterDomain: config.clusterDomain,
        dataStatefulSet: base,
        sentinelStatefulSet: `${base}-sentinel`,
        headlessService: `${base}-headless`,
        clientService: base,
        sentinelService: `${base}-sentinel`,
        scriptsConfigMap: `${base}-scripts`,
        nodesConfigMap: `${base}-nodes`,
        sentinelNodesConfigMap: `${base}-sentinel-nodes`,
        aclSecret: `${base}-acl`,
        passwordsSecret: `${base}-passwords`,
        sentinelConfigSecret: `${base}-sentinel-config`,
        tlsClientSecret: `${base}-tls-client`,
        exporterSecret: `${base}-exporter`,
        clusterInitJob: `${base}-cluster-init`,
        clusterDrainJob: `${base}-cluster-drain`,
        sentinelResetJob: `${base}-sentinel-reset`,
        networkPolicy: base,
    };
}

/** The pod a node runs in: StatefulSet pods are named `<statefulset>-<ordinal>`, and a node's ordinal is its index. */
export function podName(names: KubernetesNames, node: Pick<NodeIdentity, "kind" | "index">): string {
    return `${node.kind === "redis" ? names.dataStatefulSet : names.sentinelStatefulSet}-${node.index}`;
}

/** The Secret holding one node's server certificate and key (plus the CA and client certificate). */
export function tlsSecretName(names: KubernetesNames, node: Pick<NodeIdentity, "kind" | "index">): string {
    return `${podName(names, node)}-tls`;
}

/** A pod's fully qualified DNS name through the headless Service: what the node announces. */
export function podFqdn(names: KubernetesNames, node: Pick<NodeIdentity, "kind" | "index">): string {
    return `${podName(names, node)}.${names.headlessService}.${names.namespace}.svc.${names.clusterDomain}`;
}

/** A Service's fully qualified DNS name. */
export function serviceFqdn(names: KubernetesNames, service: string): string {
    return `${service}.${names.namespace}.svc.${names.clusterDomain}`;
}

/** Every name a Service answers to inside the cluster, longest first (certificates cover them all). */
export function serviceDnsNames(names: KubernetesNames, service: string): string[] {
    return [serviceFqdn(names, service), `${service}.${names.namespace}.svc`, `${service}.${names.namespace}`];
}

/** The labels of the deployment's pods and objects of one component. */
export function labelsFor(names: KubernetesNames, component: PodComponent): Record<string, string> {
    return {
        // Jobs get a name of their own, so the data nodes' selectors never pick their pods.
        "app.kubernetes.io/name": component === "redis" || component === "sentinel" ? "redis" : `redis-${component}`,
        "app.kubernetes.io/instance": names.base,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": "redis-platform",
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** The labels that select one component's pods (stable forever: StatefulSet selectors are immutable). */
export function selectorFor(names: KubernetesNames, component: PodComponent): Record<string, string> {
    const labels = labelsFor(names, component);
    return {
        "app.kubernetes.io/name": labels["app.kubernetes.io/name"],
        "app.kubernetes.io/instance": names.base,
        "app.kubernetes.io/component": component,
    };
}

/** The labels that select every data node and sentinel of the deployment (not the cluster-init job). */
export function nodeSelectorLabels(names: KubernetesNames): Record<string, string> {
    return { "app.kubernetes.io/name": "redis", "app.kubernetes.io/instance": names.base };
}

/** The labels that select every pod of the deployment, the cluster-init job included. */
export function instanceSelectorLabels(names: KubernetesNames): Record<string, string> {
    return { "app.kubernetes.io/instance": names.base, "app.kubernetes.io/part-of": "redis-platform" };
}
