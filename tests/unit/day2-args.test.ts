import { strict as assert } from "node:assert";
import { parseDay2Args } from "../../tools/day2/cli";
import { isDay2Scenario, runDay2Scenario } from "../../tools/day2/run";
import { day2Passed } from "../../tools/day2/scenario";

describe("day2: the drill's scenario arguments and dispatch", function () {
    it("parses --scenario, --json and --keep", function () {
        assert.deepEqual(parseDay2Args(["--scenario", "rotate-cert", "--json"]), { scenario: "rotate-cert", json: true, keep: false });
        assert.deepEqual(parseDay2Args(["--scenario=scale-shards", "--keep"]), { scenario: "scale-shards", json: false, keep: true });
    });

    it("refuses a missing or unknown scenario and unknown flags, naming what is allowed", function () {
        assert.throws(() => parseDay2Args([]), /--scenario must be one of rotate-password, rotate-cert, scale-replicas, scale-shards, scale-cluster-replicas, switchover, upgrade-engine, or run the switchover operation \(switchover --to <node> --outputs <file>\)$/);
        assert.throws(() => parseDay2Args(["--scenario", "failover"]), /got "failover"/);
        assert.throws(() => parseDay2Args(["--scenario", "rotate-cert", "--rounds", "3"]), /unknown flag --rounds/);
    });

    it("dispatches only the day-2 scenarios", async function () {
        assert.equal(isDay2Scenario("scale-replicas"), true);
        assert.equal(isDay2Scenario("failover"), false);
        await assert.rejects(runDay2Scenario("failover"), /unknown day-2 scenario "failover": use one of rotate-password, rotate-cert, scale-replicas, scale-shards, scale-cluster-replicas, switchover, upgrade-engine/);
    });

    it("passes only with no failed command, no lost acknowledged write and every check ok", function () {
        const result = { scenario: "rotate-password" as const, failed_commands: 0, acked_writes: { sent: 10, lost: 0 } };
        assert.equal(day2Passed({ result, checks: [{ name: "a", ok: true }] }), true);
        assert.equal(day2Passed({ result: { ...result, failed_commands: 1 }, checks: [] }), false);
        assert.equal(day2Passed({ result: { ...result, acked_writes: { sent: 10, lost: 1 } }, checks: [] }), false);
        assert.equal(day2Passed({ result, checks: [{ name: "a", ok: false }] }), false);
    });
});
