import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IService } from "kubernetes-models/v1/Service";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { PinnedImage } from "../../images";
import { hardenedContainerSecurity } from "../pods";

/**
 * The hardened single-container Deployment and ClusterIP Service every component of the monitoring stack
 * runs as. Pure: plain `kubernetes-models` objects the component registers and the tests validate.
 */

/** Where a monitoring object lives and what it carries. */
export interface MonitoringMeta {
    namespace: string;
    /** Labels every object carries (the platform's instance labels plus the component's). */
    labels: Record<string, string>;
}

/** One monitoring workload. */
export interface WorkloadSpec {
    /** Object name, such as `redis-alertmanager`. */
    name: string;
    image: PinnedImage;
    args: string[];
    port: { name: string; number: number };
    /** HTTP path answering 200 when ready. */
    readyPath: string;
    volumes: IVolume[];
    mounts: NonNullable<IContainer["volumeMounts"]>;
    env?: IContainer["env"];
    resources: { cpu: string; memory: string };
}

/** The labels that select one workload's pods. */
export function workloadSelector(meta: MonitoringMeta, name: string): Record<string, string> {
    return { ...meta.labels, "app.kubernetes.io/component": name };
}

/** The container of a workload. */
export function workloadContainer(spec: WorkloadSpec): IContainer {
    return {
        name: spec.port.name,
        image: spec.image.ref,
        args: spec.args,
        ports: [{ name: spec.port.name, containerPort: spec.port.number, protocol: "TCP" }],
        ...(spec.env === undefined ? {} : { env: spec.env }),
        readinessProbe: { httpGet: { path: spec.readyPath, port: spec.port.name }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: spec.readyPath, port: spec.port.name }, periodSeconds: 30, failureThreshold: 5 },
        resources: { requests: spec.resources, limits: spec.resources },
        securityContext: hardenedContainerSecurity(spec.image),
        volumeMounts: spec.mounts,
    };
}

/** A one-replica Deployment running {@link WorkloadSpec}. `Recreate`, since each holds state on a single volume. */
export function workloadDeployment(meta: MonitoringMeta, spec: WorkloadSpec, podAnnotations: Record<string, string> = {}): IDeployment {
    const selector = workloadSelector(meta, spec.name);
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: spec.name, namespace: meta.namespace, labels: selector },
        spec: {
            replicas: 1,
            strategy: { type: "Recreate" },
            selector: { matchLabels: selector },
            template: {
                metadata: { labels: selector, ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}) },
                spec: {
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: { runAsNonRoot: true, fsGroup: spec.image.gid === 0 ? spec.image.uid : spec.image.gid, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [workloadContainer(spec)],
                    volumes: spec.volumes,
                },
            },
        },
    };
}

/** The ClusterIP Service in front of a workload. */
export function workloadService(meta: MonitoringMeta, spec: Pick<WorkloadSpec, "name" | "port">): IService {
    const selector = workloadSelector(meta, spec.name);
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: spec.name, namespace: meta.namespace, labels: selector },
        spec: { type: "ClusterIP", selector, ports: [{ name: spec.port.name, port: spec.port.number, targetPort: spec.port.name, protocol: "TCP" }] },
    };
}
