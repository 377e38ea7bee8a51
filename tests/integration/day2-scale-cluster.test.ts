import { strict as assert } from "node:assert";
import { assertRedisBinaries } from "../../tools/harness/binaries";
import { scaleShards } from "../../tools/day2/scenarios/scaleShards";
import type { Day2Outcome } from "../../tools/day2/scenario";

describe("Day 2: adding and removing a shard with slot rebalancing under writes (Cluster over TLS, real processes)", function () {
    let outcome: Day2Outcome;

    before(async function () {
        assertRedisBinaries();
        outcome = await scaleShards();
    });

    it("lost no acknowledged write", function () {
        assert.ok(outcome.result.acked_writes.sent > 300, `only ${outcome.result.acked_writes.sent} acknowledged writes`);
        assert.equal(outcome.result.acked_writes.lost, 0);
    });

    it("the writing client saw no failed command (redirections followed, as the client does)", function () {
        assert.equal(outcome.result.failed_commands, 0);
    });

    it("the new shard took its share of the slots, gave them back, and left with del-node", function () {
        assert.deepEqual(outcome.checks.filter((check) => !check.ok), []);
        for (const expected of ["redis-6 serves its share of the slots", "redis-6 serves no slot any more", "the three original shards serve all 16384 slots"]) {
            assert.ok(outcome.checks.some((check) => check.name === expected), `no check "${expected}"`);
        }
    });
});
