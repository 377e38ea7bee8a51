import * as path from "node:path";
import { CONTAINER_PATHS, type NodePaths } from "../../redisconf/layout";
import type { NodeIdentity, NodePlacement, Topology } from "../../redisconf/topology";
import type { PlatformLayout, SelfHostedConfig } from "../platform";
import { kubernetesProxyCertificateNames, kubernetesProxyEndpoint } from "./proxy/manifests";
import {
    CLUSTER_BUS_PORT,
    KubernetesNames,
    kubernetesNames,
    podFqdn,
    podName,
    REDIS_PORT,
    SENTINEL_PORT,
    serviceDnsNames,
    serviceFqdn,
} from "./names";

/**
 * Where nodes live on Kubernetes. Pure.
 *
 * Every node announces its pod's DNS name through the headless Service
 * (`<pod>.<base>-headless.<namespace>.svc.<domain>`), which stays the same when the pod is rescheduled with a
 * new IP: replication, sentinels and the cluster bus all follow names, never addresses.
 */

/** The names of a stack's deployment. */
export function namesFor(name: string, config: SelfHostedConfig): KubernetesNames {
    return kubernetesNames(name, config.selfhosted.kubernetes);
}

/** Where a node lives: its pod's DNS name and the fixed container ports. */
export function kubernetesPlacement(names: KubernetesNames, topologyKind: Topology["kind"], node: NodeIdentity): NodePlacement {
    if (node.kind === "sentinel") {
        return { announceHost: podFqdn(names, node), port: SENTINEL_PORT };
    }
    return { announceHost: podFqdn(names, node), port: REDIS_PORT, ...(topologyKind === "cluster" ? { busPort: CLUSTER_BUS_PORT } : {}) };
}

/**
 * The names a node's server certificate covers: the pod's names through the headless Service, and the client
 * Services that may route to it (any data node can become the primary, so every data node carries them).
 */
export function kubernetesCertificateNames(names: KubernetesNames, topologyKind: Topology["kind"], node: NodeIdentity): string[] {
    const pod = podName(names, node);
    const own = [podFqdn(names, node), `${pod}.${names.headlessService}.${names.namespace}.svc`, `${pod}.${names.headlessService}.${names.namespace}`];
    if (node.kind === "sentinel") {
        return [...own, ...serviceDnsNames(names, names.sentinelService)];
    }
    return topologyKind === "sentinel" ? own : [...own, ...serviceDnsNames(names, names.clientService)];
}

/**
 * What clients connect to. Standalone: the client Service. Sentinel: every sentinel by its pod name, and
 * clients ask them for the primary (there is no primary-only Service; see docs/kubernetes.md). Cluster: the
 * client Service as the seed; nodes redirect clients to each other's pod names.
 */
export function kubernetesClientEndpoints(names: KubernetesNames, topology: Topology): ReturnType<PlatformLayout["clientEndpoints"]> {
    switch (topology.kind) {
        case "standalone":
        case "cluster":
            return { endpoints: [{ host: serviceFqdn(names, names.clientService), port: REDIS_PORT }] };
        case "sentinel":
            return { endpoints: topology.sentinels.map((sentinel) => ({ host: sentinel.announceHost, port: sentinel.port })) };
    }
}

/** The directory every pod's TLS directories live in (the file names are those of `CONTAINER_PATHS.tls`). */
export const TLS_ROOT = path.posix.dirname(CONTAINER_PATHS.tls.certFile);

/**
 * The TLS directory of one pod: `<TLS_ROOT>/<pod>`. `pod` may be a pod name or a reference to one that the
 * container resolves (`$(POD_NAME)` in a container's env, `$POD_NAME` in its shell).
 */
export function podTlsDir(pod: string): string {
    return path.posix.join(TLS_ROOT, pod);
}

/**
 * The files of one pod: `CONTAINER_PATHS`, but its TLS files in its own directory, {@link podTlsDir}.
 *
 * Every pod mounts the projected TLS volume (each node's certificate under its pod name) as a whole
 * directory, because kubelet updates directory mounts when a Secret changes and never updates a `subPath`
 * mount: a renewed certificate then reaches the running pod, and its reload sidecar applies it.
 */
export function podPaths(pod: string): NodePaths {
    const inPodDir = (file: string) => path.posix.join(podTlsDir(pod), path.posix.basename(file));
    const { tls } = CONTAINER_PATHS;
    return {
        ...CONTAINER_PATHS,
        tls: {
            certFile: inPodDir(tls.certFile),
            keyFile: inPodDir(tls.keyFile),
            caFile: inPodDir(tls.caFile),
            clientCertFile: inPodDir(tls.clientCertFile),
            clientKeyFile: inPodDir(tls.clientKeyFile),
        },
    };
}

/** The files a node uses in its pod (see {@link podPaths}). */
export function kubernetesNodePaths(names: KubernetesNames, node: NodeIdentity): NodePaths {
    return podPaths(podName(names, node));
}

/** The Kubernetes platform's layout of a deployment. */
export function kubernetesLayout(name: string, config: SelfHostedConfig): PlatformLayout {
    const names = namesFor(name, config);
    const kind = config.selfhosted.topology;
    return {
        place: (node) => kubernetesPlacement(names, kind, node),
        pathsFor: (node) => kubernetesNodePaths(names, node),
        certificateNames: (node) => ({ dnsNames: kubernetesCertificateNames(names, kind, node), ipAddresses: [] }),
        clientEndpoints: (topology) => kubernetesClientEndpoints(names, topology),
        ...(config.selfhosted.proxy === undefined ? {} : { proxy: { endpoint: kubernetesProxyEndpoint(names), certificateNames: kubernetesProxyCertificateNames(names) } }),
    };
}
