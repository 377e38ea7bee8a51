import { strict as assert } from "node:assert";
import { claimStorageRequest, quantityMiB, TEMPLATE_STORAGE_PATH } from "../../components/selfhosted/kubernetes/storageGrowth";
import { redisProgram } from "../../stacks/program";
import { MockOptions, MockRun, ofType, RecordedResource, runWithMocks } from "../../tools/offline/mockRuntime";
import { kubernetesConfigMap } from "./kubernetesFixtures";

/**
 * Day-2 changes as config changes, under the mock runtime: changing the Sentinel replica count (the
 * sentinel-reset Job, its ordering and re-run, the StatefulSet updated in place) and growing the data volumes
 * (claim patches, the StatefulSet's template left alone, the StorageClass check, no shrinking).
 */

const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const JOB = "kubernetes:batch/v1:Job";
const CLAIM_PATCH = "kubernetes:core/v1:PersistentVolumeClaimPatch";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";

/** The fields the Kubernetes provider replaces a StatefulSet for (pulumi-kubernetes provider/pkg/provider/diff.go). */
const STATEFUL_SET_REPLACE_FIELDS = ["podManagementPolicy", "revisionHistoryLimit", "selector", "serviceName", "volumeClaimTemplates"] as const;

async function run(selfhosted: Record<string, unknown>, outputs: MockOptions["outputs"] = {}): Promise<MockRun<unknown>> {
    const config = kubernetesConfigMap({ topology: "sentinel", ...selfhosted });
    return runWithMocks(() => redisProgram("test", config), { config, outputs });
}

function named(result: MockRun<unknown>, type: string, name: string): RecordedResource {
    const found = ofType(result.resources, type).find((resource) => resource.inputs.metadata?.name === name);
    assert.ok(found, `no ${type} named ${name}`);
    return found;
}

/** The live StatefulSet the mocks return: created earlier with `template` as its claims' size. */
function createdWith(template: string): MockOptions["outputs"] {
    return {
        [STATEFUL_SET]: (_name, inputs) => ({
            spec: { ...inputs.spec, volumeClaimTemplates: inputs.spec.volumeClaimTemplates.map((claim: any) => ({ ...claim, spec: { ...claim.spec, resources: { requests: { storage: template } } } })) },
        }),
    };
}

describe("Sentinel replicas under mocks: the sentinel-reset Job", function () {
    this.timeout(20000);

    it("runs after both StatefulSets, replaced by name, with the sentinel password only", async () => {
        const result = await run({ replicas: 2 });
        assert.equal(result.error, undefined, String(result.error));
        const job = named(result, JOB, "redis-sentinel-reset");
        for (const set of ["redis", "redis-sentinel"]) {
            assert.ok(job.dependencies.includes(named(result, STATEFUL_SET, set).urn), `the Job waits for StatefulSet ${set} to roll out`);
        }
        assert.equal(job.deleteBeforeReplace, true, "a fixed name: the old Job goes before the new one");
        const pod = job.inputs.spec.template;
        assert.equal(pod.metadata.labels["app.kubernetes.io/name"], "redis-sentinel-reset", "the data nodes' and sentinels' selectors never pick the Job's pod");
        assert.equal(pod.metadata.labels["app.kubernetes.io/part-of"], "redis-platform", "admitted by the deployment's NetworkPolicy");
        assert.deepEqual(pod.spec.volumes.find((volume: any) => volume.name === "passwords").secret.items, [{ key: "sentinel", path: "sentinel" }]);
    });

    it("runs again when the replica count changes, while the data StatefulSet is updated in place", async () => {
        const [two, three] = [await run({ replicas: 2 }), await run({ replicas: 3 })];
        const hash = (result: MockRun<unknown>) => named(result, JOB, "redis-sentinel-reset").inputs.spec.template.metadata.annotations["redisplatform.io/content-hash"];
        assert.notEqual(hash(two), hash(three), "a new pod template: the provider replaces the Job, which runs again");
        assert.equal(hash(two), hash(await run({ replicas: 2 })), "the same count, the same Job: nothing re-runs");
        const [before, after] = [named(two, STATEFUL_SET, "redis"), named(three, STATEFUL_SET, "redis")];
        assert.deepEqual([before.inputs.spec.replicas, after.inputs.spec.replicas], [3, 4]);
        assert.deepEqual(after.inputs.metadata, before.inputs.metadata, "same name and namespace");
        for (const field of STATEFUL_SET_REPLACE_FIELDS) {
            assert.deepEqual(after.inputs.spec[field], before.inputs.spec[field], `spec.${field} unchanged: no replacement`);
        }
        assert.equal(after.protect, before.protect);
    });

    it("does not exist outside the sentinel topology", async () => {
        const config = kubernetesConfigMap({ topology: "cluster" });
        const result = await runWithMocks(() => redisProgram("test", config), { config });
        assert.equal(result.error, undefined, String(result.error));
        assert.deepEqual(ofType(result.resources, JOB).map((job) => job.inputs.metadata.name).filter((name) => name.startsWith("redis-")).sort(), ["redis-cluster-drain", "redis-cluster-init", "redis-engine-upgrade"]);
    });
});

describe("One-shot Jobs under mocks: replaced by name", function () {
    this.timeout(20000);

    for (const [topology, target, expected] of [
        ["sentinel", "redis-1", ["redis-engine-upgrade", "redis-sentinel-reset", "redis-switchover"]],
        ["cluster", "redis-3", ["redis-cluster-drain", "redis-cluster-init", "redis-engine-upgrade", "redis-switchover"]],
    ] as const) {
        it(`${topology}: every Job is deleted before its replacement is created (its name is fixed, its pod template immutable)`, async () => {
            const result = await run({ topology, switchoverTo: target });
            assert.equal(result.error, undefined, String(result.error));
            const jobs = ofType(result.resources, JOB).filter((job) => job.inputs.metadata.name.startsWith("redis-"));
            assert.deepEqual(jobs.map((job) => job.inputs.metadata.name).sort(), expected);
            for (const job of jobs) {
                assert.equal(job.deleteBeforeReplace, true, `${job.inputs.metadata.name} is registered with deleteBeforeReplace`);
                assert.match(job.inputs.spec.template.metadata.annotations["redisplatform.io/content-hash"], /^[0-9a-f]{8,}$/, `${job.inputs.metadata.name} carries the digest that replaces it on a change`);
            }
        });
    }
});

describe("Storage growth under mocks: claim patches", function () {
    this.timeout(20000);

    it("patches every data node's claim to storage.size after the StatefulSet, which ignores its template's size", async () => {
        const result = await run({ replicas: 2, storage: { size: "20gb" } }, createdWith("10Gi"));
        assert.equal(result.error, undefined, String(result.error));
        const set = named(result, STATEFUL_SET, "redis");
        assert.deepEqual(set.ignoreChanges, [TEMPLATE_STORAGE_PATH]);
        assert.deepEqual(named(result, STATEFUL_SET, "redis-sentinel").ignoreChanges, [], "the sentinels' volumes do not grow");
        const patches = ofType(result.resources, CLAIM_PATCH);
        assert.deepEqual(patches.map((patch) => patch.inputs.metadata.name), ["data-redis-0", "data-redis-1", "data-redis-2"]);
        for (const patch of patches) {
            assert.deepEqual(patch.inputs.spec, { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20480Mi" } } });
            assert.equal(patch.inputs.metadata.namespace, "redis");
            assert.equal(patch.inputs.metadata.annotations["pulumi.com/patchForce"], "true", "takes the request over from the controller that created the claim");
            assert.ok(patch.dependencies.includes(set.urn), `${patch.inputs.metadata.name} waits for the StatefulSet`);
            assert.equal(patch.retainOnDelete, true, "removing a patch leaves the claim as it is");
        }
    });

    it("changes nothing but the ignored template path between two sizes: the StatefulSet is not replaced", async () => {
        const [small, large] = [await run({ storage: { size: "10gb" } }), await run({ storage: { size: "20gb" } }, createdWith("10Gi"))];
        const [before, after] = [named(small, STATEFUL_SET, "redis").inputs, named(large, STATEFUL_SET, "redis").inputs];
        const withoutSize = (inputs: any) => {
            const copy = JSON.parse(JSON.stringify(inputs));
            delete copy.spec.volumeClaimTemplates[0].spec.resources.requests.storage;
            return copy;
        };
        assert.deepEqual(withoutSize(after), withoutSize(before));
        assert.notEqual(after.spec.volumeClaimTemplates[0].spec.resources.requests.storage, before.spec.volumeClaimTemplates[0].spec.resources.requests.storage);
    });

    it("reads the configured StorageClass and grows only when it allows expansion", async () => {
        const classes: string[] = [];
        const storageClass = (allowVolumeExpansion: boolean): MockOptions["outputs"] => ({
            ...createdWith("10Gi"),
            [STORAGE_CLASS]: (name) => {
                classes.push(name);
                return { allowVolumeExpansion };
            },
        });
        const allowed = await run({ storage: { size: "20gb", className: "gp3" } }, storageClass(true));
        assert.equal(allowed.error, undefined, String(allowed.error));
        assert.deepEqual(classes, ["redis-kubernetes-claims-storage-class"], "StorageClass.get, once");
        assert.deepEqual(
            ofType(allowed.resources, CLAIM_PATCH).map((patch) => [patch.inputs.spec.storageClassName, patch.inputs.spec.resources.requests.storage]),
            [0, 1, 2].map(() => ["gp3", "20480Mi"]),
        );

        // The check fails the claims' size (see the pure tests for the message): no claim is patched, none half-grown.
        const refused = await run({ storage: { size: "20gb", className: "standard" } }, storageClass(false));
        assert.deepEqual(ofType(refused.resources, CLAIM_PATCH), []);
        assert.equal(named(refused, STATEFUL_SET, "redis").inputs.spec.replicas, 3, "the rest of the deployment is registered as before");
        const kept = await run({ storage: { size: "10gb", className: "standard" } }, storageClass(false));
        assert.equal(ofType(kept.resources, CLAIM_PATCH).length, 3, "an unchanged size needs no expansion");
    });

    it("refuses to shrink: no claim is patched", async () => {
        const shrunk = await run({ storage: { size: "5gb" } }, createdWith("10Gi"));
        assert.deepEqual(ofType(shrunk.resources, CLAIM_PATCH), []);
    });
});

describe("Storage growth: the size check (pure)", () => {
    it("reads Kubernetes quantities in canonical form", () => {
        assert.equal(quantityMiB("10Gi"), 10240);
        assert.equal(quantityMiB("10240Mi"), 10240);
        assert.equal(quantityMiB("1Ti"), 1048576);
        assert.equal(quantityMiB("1048576Ki"), 1024);
        assert.equal(quantityMiB(String(1024 ** 3)), 1024);
        assert.throws(() => quantityMiB("ten gigs"), /cannot read the storage quantity "ten gigs"/);
    });

    it("grows, keeps or refuses", () => {
        const base = { templateStorage: "10Gi", className: "gp3", allowVolumeExpansion: true };
        assert.equal(claimStorageRequest({ ...base, requestedMiB: 20480 }), "20480Mi");
        assert.equal(claimStorageRequest({ ...base, requestedMiB: 10240, allowVolumeExpansion: false }), "10240Mi", "the same size needs no expansion");
        assert.equal(claimStorageRequest({ ...base, requestedMiB: 5120, templateStorage: undefined }), "5120Mi", "a new deployment: nothing to compare with");
        assert.throws(
            () => claimStorageRequest({ ...base, requestedMiB: 20480, className: "standard", allowVolumeExpansion: false }),
            /^Error: redis:selfhosted\.storage\.size \(storage\.sizeMiB\) is 20480 MiB, above the 10Gi .* StorageClass "standard" does not allow volume expansion \(allowVolumeExpansion is false\)/,
        );
        assert.throws(() => claimStorageRequest({ ...base, requestedMiB: 20480, allowVolumeExpansion: undefined }), /allowVolumeExpansion is false/);
        assert.throws(
            () => claimStorageRequest({ ...base, requestedMiB: 5120 }),
            /^Error: redis:selfhosted\.storage\.size \(storage\.sizeMiB\) is 5120 MiB, but the data volumes were created with 10Gi: a PersistentVolumeClaim cannot shrink\. Set it to at least 10240 MiB/,
        );
        assert.equal(claimStorageRequest({ ...base, requestedMiB: 20480, className: undefined, allowVolumeExpansion: undefined }), "20480Mi", "the default class: the API server's resize admission decides");
    });
});

describe("Storage on Docker", () => {
    it("is refused by the library, not ignored: Docker volumes have no size", async () => {
        const { selfHostedArgsProblems } = await import("../../components/selfhosted/validate");
        assert.deepEqual(selfHostedArgsProblems({ topology: "sentinel", platform: "docker", storage: { sizeMiB: 20480 } }), [
            { path: ["storage"], message: 'is {"sizeMiB":20480} but platform is "docker": Docker named volumes take no size or storage class; remove it' },
        ]);
        assert.equal(selfHostedArgsProblems({ topology: "sentinel", platform: "docker", storage: { className: "gp3" } }).length, 1);
        assert.deepEqual(selfHostedArgsProblems({ topology: "sentinel", platform: "docker", storage: { sizeMiB: 10240 } }), [], "the default size, as resolved settings carry it");
        assert.deepEqual(selfHostedArgsProblems({ topology: "sentinel", platform: "kubernetes", storage: { sizeMiB: 20480 } }), []);
    });
});
