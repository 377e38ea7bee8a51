import { strict as assert } from "node:assert";
import type { RecordedResource } from "../../tools/offline/mockRuntime";
import { changedInputs, forcesReplacement, planUpdate } from "../../tools/docker/updatePlan";

const CONTAINER = "docker:index/container:Container";
const VOLUME = "docker:index/volume:Volume";

/** A recorded custom resource with the given inputs and options. */
function recorded(name: string, type: string, inputs: Record<string, any>, options: Partial<RecordedResource> = {}): RecordedResource {
    return { type, name, urn: `urn:pulumi:s::p::${type}::${name}`, parent: undefined, custom: true, inputs, secretInputs: [], protect: false, additionalSecretOutputs: [], dependencies: [], ...options };
}
const urn = (name: string, type = CONTAINER) => `urn:pulumi:s::p::${type}::${name}`;

/** What `pulumi up` does per resource between two runs (tools/docker/updatePlan.ts): the model the Docker engine applier follows. */
describe("Docker applier update plan (what pulumi up does between two program runs)", () => {
    it("lists the inputs that changed, deep", () => {
        assert.deepEqual(changedInputs({ a: [1, { b: 2 }], c: "x" }, { a: [1, { b: 3 }], c: "x", d: 1 }), ["a", "d"]);
    });

    it("updates a container in place only for inputs the provider does not force new; any network or volume change replaces", () => {
        assert.equal(forcesReplacement(CONTAINER, ["restart", "memory", "healthcheck"]), false);
        assert.equal(forcesReplacement(CONTAINER, ["memory", "envs"]), true);
        assert.equal(forcesReplacement(VOLUME, ["labels"]), true);
        assert.equal(forcesReplacement("docker:index/remoteImage:RemoteImage", ["name"]), false);
    });

    it("keeps, updates, replaces, creates and removes; a deleteBeforeReplace replacement deletes first the dependents its outputs reach through inputs, removed ones included", () => {
        const holder = (ports: number[]) => recorded("holder", CONTAINER, { name: "h", ports }, { deleteBeforeReplace: true });
        const node = (name: string, memory = 256) =>
            recorded(name, CONTAINER, { name, networkMode: "container:holder-id", memory }, { deleteBeforeReplace: true, propertyDependencies: { networkMode: [urn("holder")] }, dependencies: [urn("holder")] });
        const volume = (name: string) => recorded(name, VOLUME, { name });
        // Waits for the holder through dependsOn only: no input of it changes, so it stays.
        const watcher = recorded("watcher", CONTAINER, { name: "w" }, { dependencies: [urn("holder")] });
        const before = [volume("v0"), volume("v1"), holder([1, 2]), node("n0"), node("n1"), watcher];
        const after = [volume("v0"), holder([1]), node("n0", 512), watcher];
        const plan = planUpdate(before, after);
        assert.deepEqual(Object.fromEntries([...plan.ops].map(([key, op]) => [key.split("::").pop(), op])), { v0: "same", holder: "replace", n0: "replace", watcher: "same" });
        assert.deepEqual(plan.deletedFirst.get(urn("holder")), [urn("n1"), urn("n0")], "dependents first, the removed one too");
        assert.deepEqual(plan.removed, [urn("v1", VOLUME), urn("n1")]);
        assert.deepEqual(plan.changed.get(urn("n0")), ["memory"]);
        assert.deepEqual(plan.protectedDeletes, []);
    });

    it("names the protected resources the update would delete or replace (the step reaching one fails, as in Pulumi)", () => {
        const kept = recorded("kept", VOLUME, { name: "kept" }, { protect: true });
        const gone = recorded("gone", VOLUME, { name: "gone" }, { protect: true });
        const changed = recorded("changed", VOLUME, { name: "changed" }, { protect: true });
        const plan = planUpdate([kept, gone, changed], [kept, { ...changed, inputs: { name: "changed-2" } }]);
        assert.deepEqual(plan.protectedDeletes, [urn("gone", VOLUME), urn("changed", VOLUME)]);
    });

    it("updates in place what changed only in updatable inputs, and replaces without deleting first when deleteBeforeReplace is not set", () => {
        const before = [recorded("a", CONTAINER, { name: "a", restart: "no" }), recorded("b", CONTAINER, { name: "b", envs: ["X=1"] }), recorded("c", CONTAINER, { name: "c", image: "b-id" }, { propertyDependencies: { image: [urn("b")] } })];
        const after = [recorded("a", CONTAINER, { name: "a", restart: "unless-stopped" }), recorded("b", CONTAINER, { name: "b", envs: ["X=2"] }), before[2]];
        const plan = planUpdate(before, after);
        assert.deepEqual([...plan.ops.values()], ["update", "replace", "replace"], "the dependent gets a new id, which replaces it too");
        assert.equal(plan.deletedFirst.size, 0);
    });
});
