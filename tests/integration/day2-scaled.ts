import { strict as assert } from "node:assert";
import type { Day2Outcome } from "../../tools/day2/scenario";

/** Asserts what every cluster scaling scenario proves: writes acknowledged, none lost or failed, every check passed, and each expected check ran. */
export function assertScaled(outcome: Day2Outcome, expectedChecks: string[]): void {
    assert.ok(outcome.result.acked_writes.sent > 300, `only ${outcome.result.acked_writes.sent} acknowledged writes`);
    assert.equal(outcome.result.acked_writes.lost, 0, "no acknowledged write lost");
    assert.equal(outcome.result.failed_commands, 0, "the writing client saw no failed command (redirections followed, as the client does)");
    assert.deepEqual(outcome.checks.filter((check) => !check.ok), []);
    for (const expected of expectedChecks) {
        assert.ok(outcome.checks.some((check) => check.name === expected), `no check "${expected}"`);
    }
}
