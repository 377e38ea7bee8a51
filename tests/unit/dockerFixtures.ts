import { strict as assert } from "node:assert";
import type { RecordedResource } from "../../tools/offline/mockRuntime";

/** The hardening every Docker container of a deployment must carry, spelled out so a change shows in a diff. */
export const HARDENING = {
    readOnly: false,
    capabilities: { drops: ["ALL"] },
    securityOpts: ["no-new-privileges:true"],
    tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=16m,mode=1777" },
};

/** The one recorded resource of a type and name; fails the test when it is missing. */
export function named(resources: RecordedResource[], type: string, name: string): RecordedResource {
    const found = resources.find((resource) => resource.type === type && resource.name === name);
    assert.ok(found, `${type} ${name} is registered`);
    return found;
}
