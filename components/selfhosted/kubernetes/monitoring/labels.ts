import type { INamespace } from "kubernetes-models/v1/Namespace";

/**
 * Labels and the namespace of the monitoring objects. Pure. They deliberately differ from the deployment's
 * pod labels (`part-of: redis-platform`), so the deployment's NetworkPolicy never selects a monitoring pod
 * and the Prometheus Operator's scrape of the Pushgateway is not dropped.
 */

/** The labels every monitoring object of a deployment carries. */
export function monitoringLabels(deployment: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": "redis-monitoring",
        "app.kubernetes.io/instance": deployment,
        "app.kubernetes.io/part-of": "redis-monitoring",
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** The monitoring namespace, with Pod Security `restricted` enforced (every monitoring pod satisfies it). */
export function monitoringNamespaceManifest(name: string): INamespace {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
            name,
            labels: {
                "app.kubernetes.io/part-of": "redis-monitoring",
                "app.kubernetes.io/managed-by": "pulumi",
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
            },
        },
    };
}
