import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { Topology } from "../../redisconf/topology";
import { KubernetesNames, labelsFor } from "./names";

/**
 * Growing the data volumes of a running deployment. Pure.
 *
 * A StatefulSet's `volumeClaimTemplates` are immutable: the Kubernetes provider replaces the StatefulSet when
 * they change (`.spec.volumeClaimTemplates` is one of its replace-on-change fields for StatefulSets). So the
 * data StatefulSet ignores changes of its template's storage request (the template keeps the size the
 * StatefulSet was created with), and every data node's claim (`data-<statefulset>-<ordinal>`) is patched to the
 * configured size with server-side apply instead: Kubernetes expands the volume online when its StorageClass
 * allows it (`allowVolumeExpansion`).
 */

/** The storage-request path the data StatefulSet ignores changes of (Pulumi `ignoreChanges` syntax). */
export const TEMPLATE_STORAGE_PATH = "spec.volumeClaimTemplates[0].spec.resources.requests.storage";

/** The config key and library argument a storage error names. */
export const STORAGE_SIZE_KEY = "redis:selfhosted.storage.size (storage.sizeMiB)";

const UNITS: Record<string, number> = {
    "": 1,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
    Pi: 1024 ** 5,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
};

/**
 * A Kubernetes storage quantity in MiB. The API server returns quantities in canonical form (a template
 * created with `10240Mi` reads back as `10Gi`).
 *
 * @throws Error naming the quantity when it is not a plain or binary/decimal-suffixed number
 */
export function quantityMiB(quantity: string): number {
    const match = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(quantity.trim());
    if (!match) {
        throw new Error(`cannot read the storage quantity "${quantity}"`);
    }
    return (Number(match[1]) * UNITS[match[2] ?? ""]) / 1024 ** 2;
}

/** What decides the size the data claims are patched to. */
export interface ClaimSizeInput {
    /** The configured size (`storage.sizeMiB`). */
    requestedMiB: number;
    /** The live StatefulSet's template request: the size the claims were created with. */
    templateStorage: string | undefined;
    /** The configured StorageClass, when there is one. */
    className: string | undefined;
    /** That class's `allowVolumeExpansion`, read from the cluster (undefined when no class is configured). */
    allowVolumeExpansion: boolean | undefined;
}

/**
 * The storage request every data claim is patched to, `<requestedMiB>Mi`, after checking the change is one
 * Kubernetes can make: claims never shrink, and they grow only when their StorageClass allows expansion.
 * Without a configured class the cluster's default class provisioned the claims; the API server's resize
 * admission then refuses growth on a class that does not allow it (the program cannot name that class).
 *
 * @throws Error naming the key, the value and what is allowed, when the size is below the template's or
 * above it on a class without `allowVolumeExpansion`
 */
export function claimStorageRequest(input: ClaimSizeInput): string {
    const requested = `${input.requestedMiB}Mi`;
    if (input.templateStorage === undefined) {
        return requested;
    }
    const templateMiB = quantityMiB(input.templateStorage);
    if (input.requestedMiB < templateMiB) {
        throw new Error(
            `${STORAGE_SIZE_KEY} is ${input.requestedMiB} MiB, but the data volumes were created with ${input.templateStorage}: a PersistentVolumeClaim cannot shrink. Set it to at least ${templateMiB} MiB (a smaller disk needs a new deployment restored from a backup).`,
        );
    }
    if (input.requestedMiB > templateMiB && input.className !== undefined && input.allowVolumeExpansion !== true) {
        throw new Error(
            `${STORAGE_SIZE_KEY} is ${input.requestedMiB} MiB, above the ${input.templateStorage} the data volumes were created with, but StorageClass "${input.className}" does not allow volume expansion (allowVolumeExpansion is ${String(input.allowVolumeExpansion ?? false)}). Set allowVolumeExpansion: true on the class (if its provisioner supports it) or keep the size at ${templateMiB} MiB.`,
        );
    }
    return requested;
}

/** The name of a data node's claim: the StatefulSet controller names it `<template>-<statefulset>-<ordinal>`. */
export function dataClaimName(names: KubernetesNames, ordinal: number): string {
    return `data-${names.dataStatefulSet}-${ordinal}`;
}

/**
 * The server-side-apply patch of each data node's claim. It carries everything a claim needs (access mode,
 * class, labels) so that a preview's dry run of a claim the StatefulSet has not created yet validates;
 * `pulumi.com/patchForce` takes the storage request over from the controller that created the claim.
 */
export function dataClaimPatches(names: KubernetesNames, topology: Topology, className: string | undefined, storage: string): IPersistentVolumeClaim[] {
    return topology.dataNodes.map((node) => ({
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: {
            name: dataClaimName(names, node.index),
            namespace: names.namespace,
            labels: labelsFor(names, "redis"),
            annotations: { "pulumi.com/patchForce": "true" },
        },
        spec: {
            accessModes: ["ReadWriteOnce"],
            ...(className === undefined ? {} : { storageClassName: className }),
            resources: { requests: { storage } },
        },
    }));
}
