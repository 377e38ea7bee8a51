import { strict as assert } from "node:assert";
import { readdirSync } from "node:fs";
import { BackendNotAvailableError } from "../../components/backend";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";
import { leakedSecrets, runStack } from "../../tools/offline/mockRuntime";

/** Every `Pulumi.<stack>.yaml` shipped in the repository. */
export const SHIPPED_STACKS = readdirSync(PROJECT_ROOT)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();

describe("every shipped stack under mocks", () => {
    it("finds the stack files", () => {
        assert.ok(SHIPPED_STACKS.includes("dev") && SHIPPED_STACKS.includes("prod"), SHIPPED_STACKS.join(", "));
    });

    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: builds, or refuses an unavailable backend with nothing registered`, async () => {
            const run = await runStack(stack, { secrets: stack === "example-upstash" ? { "redis:upstashApiKey": "offline-test-api-key" } : {} });
            if (run.error instanceof BackendNotAvailableError) {
                assert.deepEqual(run.resources, []);
                return;
            }
            assert.equal(run.error, undefined, String(run.error));
            const [root, ...children] = run.resources;
            assert.equal(root.type, "redisplatform:index:Redis");
            assert.equal(root.parent, undefined);
            const urns = new Set(run.resources.map((resource) => resource.urn));
            for (const child of children) {
                assert.ok(child.parent !== undefined && urns.has(child.parent), `${child.type} ${child.name} is parented inside the Redis component`);
            }
            for (const [key, output] of Object.entries(run.outputs)) {
                if (!output.secret) {
                    assert.deepEqual(leakedSecrets(output.value), [], `stack output "${key}" carries a secret in plain text`);
                }
            }
            assert.equal(run.outputs.credentials.secret, true);
            assert.equal(run.outputs.url.secret, true);
            if (run.outputs.clientCertificate) {
                assert.equal(run.outputs.clientCertificate.secret, true);
            }
        });
    }
});
