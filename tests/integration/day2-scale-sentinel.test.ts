import { strict as assert } from "node:assert";
import { assertRedisBinaries } from "../../tools/harness/binaries";
import { scaleReplicas } from "../../tools/day2/scenarios/scaleReplicas";
import { day2TestOptions } from "../../tools/day2/runDir";
import type { Day2Outcome } from "../../tools/day2/scenario";

describe("Day 2: adding and removing a replica under writes (Sentinel, real processes)", function () {
    let outcome: Day2Outcome;

    before(async function () {
        assertRedisBinaries();
        outcome = await scaleReplicas(day2TestOptions());
    });

    it("lost no acknowledged write", function () {
        assert.ok(outcome.result.acked_writes.sent > 300, `only ${outcome.result.acked_writes.sent} acknowledged writes`);
        assert.equal(outcome.result.acked_writes.lost, 0);
    });

    it("the writing client saw no failed command", function () {
        assert.equal(outcome.result.failed_commands, 0);
    });

    it("the new replica synced and was discovered, then every sentinel forgot it after the scale-down", function () {
        assert.deepEqual(outcome.checks.filter((check) => !check.ok), []);
        assert.ok(outcome.checks.filter((check) => / forgot redis-2 /.test(check.name)).length === 3);
    });
});
