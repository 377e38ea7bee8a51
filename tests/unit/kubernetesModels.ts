import { strict as assert } from "node:assert";
import type { RecordedResource } from "../../tools/offline/mockRuntime";

/**
 * Validates recorded Kubernetes objects against the schemas of a recent Kubernetes (kubernetes-models) and,
 * for the Prometheus Operator's custom resources, `@kubernetes-models/prometheus-operator`. A type with no
 * model fails the test: every object the program creates must be checked.
 */

// The models' base class resolves only through package exports, which this repo's node10 resolution ignores: typed here.
type ModelClass = new (data?: unknown) => { validate(): void };

const CORE_MODELS: Record<string, () => Promise<unknown>> = {
    "kubernetes:core/v1:Namespace": async () => (await import("kubernetes-models/v1/Namespace")).Namespace,
    "kubernetes:core/v1:ConfigMap": async () => (await import("kubernetes-models/v1/ConfigMap")).ConfigMap,
    "kubernetes:core/v1:Secret": async () => (await import("kubernetes-models/v1/Secret")).Secret,
    "kubernetes:core/v1:Service": async () => (await import("kubernetes-models/v1/Service")).Service,
    "kubernetes:apps/v1:StatefulSet": async () => (await import("kubernetes-models/apps/v1/StatefulSet")).StatefulSet,
    "kubernetes:apps/v1:Deployment": async () => (await import("kubernetes-models/apps/v1/Deployment")).Deployment,
    "kubernetes:batch/v1:Job": async () => (await import("kubernetes-models/batch/v1/Job")).Job,
    "kubernetes:batch/v1:CronJob": async () => (await import("kubernetes-models/batch/v1/CronJob")).CronJob,
    "kubernetes:policy/v1:PodDisruptionBudget": async () => (await import("kubernetes-models/policy/v1/PodDisruptionBudget")).PodDisruptionBudget,
    // The claim patches carry a whole claim (see dataClaimPatches): valid as one.
    "kubernetes:core/v1:PersistentVolumeClaimPatch": async () => (await import("kubernetes-models/v1/PersistentVolumeClaim")).PersistentVolumeClaim,
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": async () => (await import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy")).NetworkPolicy,
};

/** The custom resources the program creates (Kubernetes `operator` monitoring), by recorded type. */
const CUSTOM_RESOURCE_KINDS: Record<string, string> = {
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": "ServiceMonitor",
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": "PrometheusRule",
};

async function modelFor(type: string): Promise<ModelClass> {
    const customKind = CUSTOM_RESOURCE_KINDS[type];
    if (customKind !== undefined) {
        // A computed specifier keeps the type check independent of the (ESM-only) package.
        const specifier = `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${customKind}`;
        return ((await import(specifier)) as Record<string, ModelClass>)[customKind];
    }
    const load = CORE_MODELS[type];
    assert.ok(load, `no kubernetes-models class mapped for ${type}: add it`);
    return (await load()) as ModelClass;
}

/** Fails the test unless the recorded object is valid against its model. */
export async function assertValidKubernetesObject(resource: RecordedResource): Promise<void> {
    const Model = await modelFor(resource.type);
    try {
        new Model(resource.inputs).validate();
    } catch (error) {
        assert.fail(`${resource.type} ${resource.name} is not a valid Kubernetes object: ${String(error).slice(0, 2000)}`);
    }
}
