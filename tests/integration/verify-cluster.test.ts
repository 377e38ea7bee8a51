import { strict as assert } from "node:assert";
import { LocalDeployment, waitFor } from "../../tools/harness/localDeployment";
import { startDeployment } from "./helpers";
import { failures, verifyRun } from "./verify-support";

describe("verify: cluster on real Redis, across a failover", function () {
    let deployment: LocalDeployment;

    before(async function () {
        deployment = await startDeployment({ topology: "cluster", failover: "fast" }, this);
    });

    it("passes on a healthy cluster: all slots, a replica per shard, app and reporting discover it", async function () {
        const results = await verifyRun(deployment);
        assert.deepEqual(failures(results), []);
        assert.equal(results.filter((row) => row.check === "cluster-shard" && row.status === "pass").length, 3);
        assert.equal(results.filter((row) => row.check === "replication" && row.status === "pass").length, 3);
        assert.equal(results.filter((row) => row.check === "client-discovery" && row.status === "pass").length, 2);
    });

    it("after kill -9 of a primary: names the failed node, then passes once it rejoined", async function () {
        const victim = "redis-1";
        const port = deployment.node(victim).node.port;
        await deployment.killNode(victim);
        const during = await waitFor("verify names the failed node", async () => {
            const results = await verifyRun(deployment);
            return results.some((row) => row.check === "cluster-node" && row.target === `127.0.0.1:${port}` && row.status === "fail") ? results : undefined;
        }, 60000, 500);
        assert.ok(failures(during).length > 0);

        deployment.startNode(victim);
        await deployment.waitHealthy();
        await waitFor("verify passes again", async () => failures(await verifyRun(deployment)).length === 0, 60000, 500);
    });
});
