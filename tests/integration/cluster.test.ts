import { strict as assert } from "node:assert";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Cluster } from "ioredis";
import { slotRanges } from "../../components/redisconf/topology";
import { lostWrites, WriteLoad } from "../../tools/harness/load";
import { LocalDeployment, parseInfo, waitFor } from "../../tools/harness/localDeployment";
import { hashTagsFor } from "../../tools/harness/slots";
import { clusterWriter } from "../../tools/harness/writers";
import { plaintextProbe, startDeployment } from "./helpers";

/** Reads keys one slot at a time (a cluster MGET must stay within one slot). */
async function readAll(client: Cluster, keys: string[]): Promise<(string | null)[]> {
    return Promise.all(keys.map((key) => client.get(key)));
}

describe("Cluster on real Redis (3 primaries x 1 replica, fast timing)", function () {
    let deployment: LocalDeployment;
    const tags = hashTagsFor(slotRanges(3));

    before(async function () {
        deployment = await startDeployment({ topology: "cluster", failover: "fast" }, this);
    });

    it("refuses plaintext on every data port and every cluster bus port", async function () {
        for (const node of deployment.rendered.topology.dataNodes) {
            for (const port of [node.port, node.busPort as number]) {
                const probe = await plaintextProbe(port, "PING\r\nRCmb");
                assert.equal(probe.closed, true, `${node.name}:${port} kept a plaintext connection open`);
                assert.doesNotMatch(probe.reply, /PONG|NOAUTH|ERR|RCmb/, `${node.name}:${port}`);
            }
        }
    });

    it("is created over TLS with every slot served and every replica in sync", async function () {
        const expected = [
            [0, 5461, "redis-0", ["redis-3"]],
            [5462, 10922, "redis-1", ["redis-4"]],
            [10923, 16383, "redis-2", ["redis-5"]],
        ];
        // Gossip may take a moment to tell redis-0 about every replica.
        const slots = await waitFor("redis-0 sees every replica", async () => {
            const current = (await deployment.clusterSlots()).map((s) => [s.first, s.last, s.primary, s.replicas]);
            return JSON.stringify(current) === JSON.stringify(expected) ? current : undefined;
        }, 10000).catch(async () => (await deployment.clusterSlots()).map((s) => [s.first, s.last, s.primary, s.replicas]));
        assert.deepEqual(slots, expected);
        const info = parseInfo(String(await deployment.command("redis-0", "admin", ["CLUSTER", "INFO"])));
        assert.equal(info.cluster_slots_ok, "16384");
        assert.deepEqual(await deployment.command("redis-0", "admin", ["CONFIG", "GET", "tls-cluster"]), ["tls-cluster", "yes"]);
    });

    it("kill -9 of a primary under load: its replica takes over, all 16384 slots are served, no acknowledged write is lost", async function () {
        const client = deployment.clusterClient("app");
        const load = new WriteLoad(clusterWriter(client), (n) => `app:{${tags[n % 3]}}:${n}`);
        load.start();
        assert.ok(await load.waitForSuccesses(0, 60, 10000), "the load never got going");
        const victim = (await deployment.clusterSlots())[1];
        const killedAt = load.now();
        await deployment.killNode(victim.primary);
        const onVictimShard = (event: { key: string }) => event.key.includes(`{${tags[1]}}`);
        const resumed = await load.waitForSuccesses(killedAt, 20, 30000, onVictimShard);
        await load.stop();
        assert.ok(resumed, "writes to the killed primary's slots did not resume");

        const survivors = deployment.dataNodeNames.filter((name) => name !== victim.primary);
        for (const name of survivors) {
            await waitFor(`${name} serves all 16384 slots`, async () => {
                const info = parseInfo(String(await deployment.command(name, "admin", ["CLUSTER", "INFO"])));
                return info.cluster_state === "ok" && info.cluster_slots_ok === "16384";
            }, 30000);
        }
        const slots = await deployment.clusterSlots();
        assert.equal(slots[1].primary, victim.replicas[0]);

        const acked = load.acknowledged();
        assert.ok(acked.length > 50);
        assert.deepEqual(await lostWrites(acked, (keys) => readAll(client, keys)), []);
        client.disconnect();
    });

    it("the killed primary, restarted with its start script and nodes.conf, rejoins as a replica", async function () {
        const down = deployment.dataNodeNames.find((name) => !deployment.supervisor.isRunning(name));
        assert.ok(down, "no node is down");
        deployment.startNode(down);
        await waitFor(`${down} is a replica in sync`, async () => {
            const info = await deployment.info(down, "replication");
            return info.role === "slave" && info.master_link_status === "up";
        }, 30000);
        await deployment.waitHealthy();
    });

    it("a full restart with every peer IP changed comes back to cluster_state:ok with no manual reset and the data intact", async function () {
        const client = deployment.clusterClient("app");
        const write = clusterWriter(client, 1000);
        for (let i = 0; i < 60; i++) {
            // Right after a rejoin the slot map may still move: retry until a replica acknowledged the write.
            const key = `app:{${tags[i % 3]}}:restart:${i}`;
            await waitFor(`${key} is acknowledged`, async () => (await write(key, String(i))).acked, 20000);
        }
        client.disconnect();

        await deployment.stopAll(true);
        // As if every pod came back with a new IP: nodes.conf names peers nobody listens on. redis-start.sh
        // must rewrite them from the announced host names (127.0.0.1 resolves here) or the cluster stays down.
        for (const name of deployment.dataNodeNames) {
            const file = path.join(deployment.node(name).paths.dataDir, "nodes.conf");
            const text = readFileSync(file, "utf8");
            const bogus = text.replace(/^(\S+ )127\.0\.0\.1:/gm, (_, id: string) => `${id}192.0.2.1:`);
            assert.notEqual(bogus, text, `${name}'s nodes.conf has no 127.0.0.1 address to rewrite`);
            writeFileSync(file, bogus);
        }
        await deployment.startAll();
        for (const name of deployment.dataNodeNames) {
            const info = parseInfo(String(await deployment.command(name, "admin", ["CLUSTER", "INFO"])));
            assert.equal(info.cluster_state, "ok", name);
            assert.equal(info.cluster_known_nodes, "6", name);
        }
        assert.equal((await deployment.primaries()).length, 3);
        const reader = deployment.clusterClient("app");
        for (let i = 0; i < 60; i++) {
            assert.equal(await reader.get(`app:{${tags[i % 3]}}:restart:${i}`), String(i));
        }
        reader.disconnect();
    });

    it("preStop on a primary hands its slots to its replica before it stops", async function () {
        const shard = (await deployment.clusterSlots())[0];
        await deployment.stopNode(shard.primary, true);
        const after = (await deployment.clusterSlots())[0];
        assert.equal(after.primary, shard.replicas[0]);
        deployment.startNode(shard.primary);
        await deployment.waitHealthy();
    });
});
