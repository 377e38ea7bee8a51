import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";

const ROOT = path.join(__dirname, "..", "..");
const SETUP = "tests/support/cheapPulumiPromises.ts";

describe("unit-suite speed: Pulumi's debug promise traces", () => {
    for (const config of [".mocharc.unit.json", ".mocharc.policies.json"]) {
        it(`${config} loads ${SETUP}`, () => {
            assert.deepEqual(JSON.parse(readFileSync(path.join(ROOT, config), "utf8")).require, [SETUP]);
        });
    }

    it("Pulumi's promises carry an empty trace, while the test's own errors keep their stacks and limit", async () => {
        const limit = Error.stackTraceLimit;
        // The module object the rest of @pulumi/pulumi calls through; it stores the trace on the promise it is given.
        const debuggable = createRequire(__filename)("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise(promise: Promise<unknown>, context: string): Promise<unknown> };
        const promise = Promise.resolve("value") as Promise<string> & { _debugStackTrace?: string };
        assert.equal(await debuggable.debuggablePromise(promise, "test"), "value");
        assert.equal(promise._debugStackTrace, "Error");
        assert.equal(Error.stackTraceLimit, limit);
        assert.match(String(new Error("here").stack), /\n\s+at /);
    });
});
