import { strict as assert } from "node:assert";
import { aclApplyMethodFor } from "../../components/redisconf/scripts/reload";
import { assertRedisBinaries } from "../../tools/harness/binaries";
import { LocalDeployment, sleep } from "../../tools/harness/localDeployment";
import { rotatePassword } from "../../tools/day2/scenarios/rotatePassword";
import { day2TestOptions } from "../../tools/day2/runDir";
import type { Day2Outcome } from "../../tools/day2/scenario";
import { startDeployment } from "./helpers";

describe("Day 2: password rotation through the reload sidecars (Sentinel, real processes)", function () {
    let outcome: Day2Outcome;

    before(async function () {
        assertRedisBinaries();
        outcome = await rotatePassword(day2TestOptions());
    });

    it("a client ran on the old password through step one and on the new one through step two with 0 failed commands", function () {
        assert.equal(outcome.result.failed_commands, 0);
        assert.ok(outcome.checks.some((check) => check.name.includes("old password was disconnected and came back") && check.ok));
        assert.ok(outcome.checks.some((check) => check.name.includes("new password was disconnected and came back") && check.ok));
    });

    it("lost no acknowledged write", function () {
        assert.ok(outcome.result.acked_writes.sent > 300, `only ${outcome.result.acked_writes.sent} acknowledged writes`);
        assert.equal(outcome.result.acked_writes.lost, 0);
    });

    it("refuses the retired passwords, re-authenticates replication and sentinels with the new ones, and logs no secret", function () {
        assert.deepEqual(outcome.checks.filter((check) => !check.ok), []);
        assert.ok(outcome.checks.length >= 15);
    });
});

describe("Day 2: how the reload sidecar applies an ACL file on the installed engine", function () {
    let deployment: LocalDeployment;

    before(async function () {
        deployment = await startDeployment({ topology: "standalone" }, this);
    });

    it("uses ACL LOAD only where it keeps authenticated clients connected", async function () {
        const client = deployment.client("redis-0", "app");
        await client.connect();
        await client.ping();
        const before = String(await client.call("CLIENT", "ID"));
        await deployment.command("redis-0", "admin", ["ACL", "LOAD"]);
        await sleep(200);
        let after: string | undefined;
        try {
            after = String(await client.call("CLIENT", "ID"));
        } catch {
            after = undefined;
        }
        const kept = after === before;
        const method = aclApplyMethodFor(deployment.rendered.engine);
        assert.equal(method, kept ? "load" : "setuser", `ACL LOAD ${kept ? "kept" : "dropped"} the client on ${deployment.rendered.engine.name} ${deployment.rendered.engine.version}`);
        client.disconnect();
    });
});
