import { strict as assert } from "node:assert";
import { LocalDeployment, waitFor } from "../../tools/harness/localDeployment";
import { startDeployment } from "./helpers";
import { failures, verifyRun } from "./verify-support";

describe("verify: sentinel on real Redis, across a failover", function () {
    let deployment: LocalDeployment;

    before(async function () {
        deployment = await startDeployment({ topology: "sentinel", failover: "fast" }, this);
    });

    it("passes on a healthy deployment: 3 sentinels agree, 2 replicas linked, app discovers the primary", async function () {
        const results = await verifyRun(deployment);
        assert.deepEqual(failures(results), []);
        assert.equal(results.filter((row) => row.check === "sentinel" && row.status === "pass").length, 3);
        assert.equal(results.filter((row) => row.check === "replication" && row.status === "pass").length, 3);
        assert.equal(results.filter((row) => row.check === "client-discovery" && row.status === "pass").length, 6);
        assert.equal(results.filter((row) => row.check === "tls").length, 6);
    });

    it("after kill -9 of the primary: names the dead node, then passes once it rejoined as a replica", async function () {
        const oldPrimary = await deployment.sentinelPrimary();
        const oldPort = deployment.node(oldPrimary).node.port;
        await deployment.killNode(oldPrimary);
        await waitFor("the sentinels promote a replica", async () => (await deployment.sentinelPrimary()) !== oldPrimary, 60000, 250);
        // Mid-failover verify rightly flags more (sentinels disagreeing, replicas disconnected); once the sentinels
        // settle, the dead node must be the only thing it names.
        const during = await waitFor("verify names only the dead node", async () => {
            const lines = failures(await verifyRun(deployment));
            // The sentinels first see the dead replica as disconnected, and as s_down only after down-after.
            return lines.length === 1 && lines[0].startsWith(`replication 127.0.0.1:${oldPort}:`) && /s_down/.test(lines[0]) ? lines : undefined;
        }, 60000, 500);
        assert.match(during[0], /the sentinels see this replica as .*s_down/);

        deployment.startNode(oldPrimary);
        await deployment.waitHealthy();
        const after = await waitFor("verify passes again", async () => {
            const results = await verifyRun(deployment);
            return failures(results).length === 0 ? results : undefined;
        }, 30000, 500);
        const primaryRow = after.find((row) => row.check === "replication" && row.detail.startsWith("primary"));
        assert.notEqual(primaryRow?.target, `127.0.0.1:${oldPort}`);
    });
});
