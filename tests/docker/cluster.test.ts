import { strict as assert } from "node:assert";
import type { Cluster } from "ioredis";
import { parseClusterNodes } from "../../client/clusterNodes";
import { slotRanges } from "../../components/redisconf/topology";
import { DEV_CLUSTER_VARIANT } from "../../tools/docker/plan";
import { WriteLoad } from "../../tools/harness/load";
import { sleep } from "../../tools/harness/localDeployment";
import { hashTagsFor } from "../../tools/harness/slots";
import { clusterWriter } from "../../tools/harness/writers";
import { assertAllUp, assertLoopbackTlsOnly, assertNoAcknowledgedWriteLost, assertTeardownLeavesNothing } from "./checks";
import { onEngine } from "./engine";

/**
 * The dev stack's cluster variant (`topology: cluster`, 3 shards x 1 replica, monitoring and backups off; see
 * `DEV_CLUSTER_VARIANT`), as the program registers it, applied to a real Docker engine.
 */
describe("Docker engine: the dev stack's cluster variant", function () {
    const up = onEngine(DEV_CLUSTER_VARIANT);

    /** Each node's view of the cluster, through CLUSTER NODES on the node itself. */
    const clusterNodes = async (port: number) => parseClusterNodes(String(await up.get().command(port, ["CLUSTER", "NODES"])));

    it("forms the cluster: the one-shot job exits 0, every node healthy, cluster_state ok on every node", async () => {
        await assertAllUp(up.get(), []);
        const nodes = up.get().nodes("redis");
        assert.equal(nodes.length, 6);
        for (const node of nodes) {
            assert.match(String(await up.get().command(node.port, ["CLUSTER", "INFO"])), /cluster_state:ok/, `${node.container}`);
        }
        const view = await clusterNodes(nodes[0].port);
        assert.equal(view.filter((line) => line.flags.includes("master")).length, 3);
        assert.equal(view.filter((line) => line.flags.includes("slave")).length, 3);
    });

    it("publishes only the client ports (no bus port), on 127.0.0.1 only, TLS only", async () => {
        await assertLoopbackTlsOnly(up.get(), [7500, 7501, 7502, 7503, 7504, 7505]);
    });

    it("fails over a shard whose primary's container is killed, losing no WAIT-acknowledged write; the restarted container rejoins as a replica", async () => {
        const deployment = up.get();
        const shards = slotRanges(3);
        const tags = hashTagsFor(shards);
        const client = deployment.client("app", { commandTimeoutMs: 1000, maxRetriesPerRequest: 1 }) as Cluster;
        const load = new WriteLoad(clusterWriter(client), (n) => `app:{${tags[n % tags.length]}}:failover:${n}`);
        const victim = await deployment.clusterPrimaryOf(shards[0][0]);
        load.start();
        try {
            assert.ok(await load.waitForSuccesses(0, 50, 20000), "writes flow before the kill");
            await sleep(1000);
            await deployment.kill(victim.container);
            const killedAt = load.now();
            assert.ok(await load.waitForSuccesses(killedAt, 30, 60000, (event) => event.key.includes(`{${tags[0]}}`)), "writes to the shard recover");
        } finally {
            await load.stop();
        }
        await assertNoAcknowledgedWriteLost(deployment, load);

        await deployment.start(victim.container);
        await deployment.applied.waitHealthy(victim.container, deployment.applied.containerId(victim.container), 120000);
        const view = await clusterNodes(victim.port);
        const self = view.find((line) => line.flags.includes("myself"));
        assert.ok(self?.flags.includes("slave"), `the restarted node is a replica (${self?.flags.join(",")})`);
        assert.equal(view.filter((line) => line.flags.includes("master") && !line.flags.includes("fail")).length, 3, "three primaries, no second primary for the shard");
    });

    it("tears down leaving no container, network or volume", async () => {
        await assertTeardownLeavesNothing(up.get());
    });
});
