import { strict as assert } from "node:assert";
import { assertRedisBinaries } from "../../tools/harness/binaries";
import { rotateCert } from "../../tools/day2/scenarios/rotateCert";
import { day2TestOptions } from "../../tools/day2/runDir";
import type { Day2Outcome } from "../../tools/day2/scenario";

describe("Day 2: certificate renewal and CA rollover through the reload sidecars (Sentinel with mTLS, real processes)", function () {
    let outcome: Day2Outcome;

    before(async function () {
        assertRedisBinaries();
        outcome = await rotateCert(day2TestOptions());
    });

    it("a connected client, forced to reconnect after every step, saw 0 failed commands", function () {
        assert.equal(outcome.result.failed_commands, 0);
    });

    it("lost no acknowledged write", function () {
        assert.ok(outcome.result.acked_writes.sent > 300, `only ${outcome.result.acked_writes.sent} acknowledged writes`);
        assert.equal(outcome.result.acked_writes.lost, 0);
    });

    it("served the renewed and then the new CA's certificates without restarting a data node, trusting both CAs during the overlap", function () {
        assert.deepEqual(outcome.checks.filter((check) => !check.ok), []);
        for (const expected of ["renewal: every data node", "trust-both: the nodes accept a client certificate of the new CA", "serve-new: every data node", "retire-old: a client certificate of the old CA is refused", "no data node was restarted"]) {
            assert.ok(outcome.checks.some((check) => check.name.startsWith(expected)), `no check "${expected}"`);
        }
    });
});
