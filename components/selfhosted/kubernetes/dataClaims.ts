import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Topology } from "../../redisconf/topology";
import type { KubernetesNames } from "./names";
import { claimStorageRequest, dataClaimPatches } from "./storageGrowth";

/** What {@link patchDataClaims} needs. */
export interface DataClaimsArgs {
    names: KubernetesNames;
    topology: Topology;
    /** The configured size and class (`storage`). */
    storage: { sizeMiB: number; className?: string };
    /** The data StatefulSet, whose live template says what size the claims were created with. */
    statefulSet: k8s.apps.v1.StatefulSet;
    parent: pulumi.Resource;
}

/**
 * Registers the storage growth of the data volumes (see `storageGrowth.ts`): the configured StorageClass is
 * read (`StorageClass.get`) for its `allowVolumeExpansion`, and each data node's claim gets a
 * `PersistentVolumeClaimPatch` to the configured size once the StatefulSet rolled out. The size is checked
 * against the template's (never smaller; larger only on an expandable class) before any patch is sent.
 * Patches are `retainOnDelete`: removing one (scale-down, destroy) leaves the claim and its size alone, where
 * relinquishing its fields would leave the claim without its required storage request.
 */
export function patchDataClaims(name: string, args: DataClaimsArgs): k8s.core.v1.PersistentVolumeClaimPatch[] {
    const { names, topology, storage } = args;
    const storageClass = storage.className === undefined ? undefined : k8s.storage.v1.StorageClass.get(`${name}-storage-class`, storage.className, { parent: args.parent });
    const templateStorage = args.statefulSet.spec.apply((spec) => spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage);
    const request = pulumi
        .all([templateStorage, storageClass ? storageClass.allowVolumeExpansion : pulumi.output(undefined)])
        .apply(([template, allowVolumeExpansion]) => claimStorageRequest({ requestedMiB: storage.sizeMiB, templateStorage: template, className: storage.className, allowVolumeExpansion }));
    const manifests = dataClaimPatches(names, topology, storage.className, `${storage.sizeMiB}Mi`);
    return manifests.map((manifest, ordinal) => {
        const spec = { ...manifest.spec, resources: { requests: { storage: request } } };
        return new k8s.core.v1.PersistentVolumeClaimPatch(
            `${name}-data-${ordinal}`,
            { metadata: manifest.metadata as k8s.types.input.meta.v1.ObjectMetaPatch, spec: spec as k8s.types.input.core.v1.PersistentVolumeClaimSpecPatch },
            { parent: args.parent, dependsOn: [args.statefulSet], retainOnDelete: true },
        );
    });
}
