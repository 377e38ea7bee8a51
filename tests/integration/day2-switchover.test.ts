import { strict as assert } from "node:assert";
import { assertRedisBinaries } from "../../tools/harness/binaries";
import { switchover } from "../../tools/day2/scenarios/switchover";
import { day2TestOptions } from "../../tools/day2/runDir";
import type { Day2Outcome } from "../../tools/day2/scenario";

describe("Day 2: targeted switchover under writes (Sentinel and Cluster, real processes)", function () {
    let outcome: Day2Outcome;

    before(async function () {
        assertRedisBinaries();
        outcome = await switchover(day2TestOptions());
    });

    it("lost no acknowledged write and no command failed", function () {
        assert.ok(outcome.result.acked_writes.sent > 300, `only ${outcome.result.acked_writes.sent} acknowledged writes`);
        assert.equal(outcome.result.acked_writes.lost, 0);
        assert.equal(outcome.result.failed_commands, 0);
    });

    it("the named node became primary by every account, and back, on both topologies", function () {
        assert.deepEqual(outcome.checks.filter((check) => !check.ok), []);
        for (const kind of ["sentinel", "cluster"]) {
            assert.equal(outcome.checks.filter((check) => check.name.startsWith(`${kind}: the switchover`)).length, 2, `${kind}: there and back`);
            assert.equal(outcome.checks.filter((check) => check.name.startsWith(`${kind}: every replica-priority is back`)).length, 2);
        }
        assert.equal(outcome.checks.filter((check) => / names redis-/.test(check.name)).length, 6, "every sentinel named the target, twice");
    });
});
