import type { ScrapedDeployment } from "../../../monitoring/prometheusConfig";
import type { Topology } from "../../../redisconf/topology";

/**
 * What the monitoring of a Kubernetes deployment scrapes. Pure. The `node` label is the pod name (the first
 * label of the node's announced DNS name), the same value the ServiceMonitors' relabelings give in
 * `operator` mode, so rules and dashboard read the same series in both modes.
 */

/** The port the exporter sidecars serve `/metrics` on (`EXPORTER_PORT` of the platform). */
export const EXPORTER_METRICS_PORT = 9121;

/** The pod name of a node placed by the Kubernetes layout (`redis-0.redis-headless.<ns>.svc.<domain>`). */
export function podNameOf(announceHost: string): string {
    return announceHost.split(".")[0];
}

/** The exporter of every data node and sentinel, as the bundled Prometheus scrapes them (pod DNS names). */
export function scrapedDeployment(deployment: string, topology: Topology): ScrapedDeployment {
    return {
        name: deployment,
        targets: [
            ...topology.dataNodes.map((node) => ({ address: `${node.announceHost}:${EXPORTER_METRICS_PORT}`, node: podNameOf(node.announceHost), kind: "redis" as const })),
            ...topology.sentinels.map((node) => ({ address: `${node.announceHost}:${EXPORTER_METRICS_PORT}`, node: podNameOf(node.announceHost), kind: "sentinel" as const })),
        ],
    };
}
