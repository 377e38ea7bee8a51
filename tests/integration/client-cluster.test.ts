import { strict as assert } from "node:assert";
import type { Cluster } from "ioredis";
import { checkHealth, createRedisClient } from "../../client";
import { LocalDeployment, waitFor } from "../../tools/harness/localDeployment";
import { localStackOutputs, LocalStackOutputs } from "../../tools/harness/stackOutputs";
import { startDeployment } from "./helpers";

/** Keys with hash tags spread over the three shards. */
const KEYS = Array.from({ length: 30 }, (_, i) => `app:cluster-client:{${i}}`);

describe("client: cluster over TLS on real Redis (3 primaries x 1 replica, fast timing)", function () {
    let deployment: LocalDeployment;
    let outputs: LocalStackOutputs;
    const clients: Cluster[] = [];
    const track = (client: unknown): Cluster => {
        const cluster = client as Cluster;
        cluster.on("error", () => undefined);
        clients.push(cluster);
        return cluster;
    };

    before(async function () {
        deployment = await startDeployment({ topology: "cluster", failover: "fast" }, this);
        outputs = localStackOutputs(deployment);
    });
    after(() => clients.forEach((client) => client.disconnect()));

    it("lets the app user discover the cluster (CLUSTER SLOTS and INFO, what ioredis sends)", async function () {
        for (const user of ["app", "reporting"]) {
            const slots = await deployment.command("redis-0", user, ["CLUSTER", "SLOTS"]).catch((error: Error) => error);
            assert.ok(Array.isArray(slots), `${user} cannot run CLUSTER SLOTS (${String(slots)}): the cluster ACL of application users must allow cluster|slots, cluster|info, readonly (components/redisconf/acl.ts)`);
        }
    });

    it("writes and reads across every shard as the app user, following redirections", async function () {
        const client = track(createRedisClient(outputs.connection, outputs.credentials.app));
        for (const key of KEYS) {
            assert.equal(await client.set(key, key), "OK");
        }
        assert.deepEqual(await Promise.all(KEYS.map((key) => client.get(key))), KEYS);
        assert.equal(client.nodes("master").length, 3);
    });

    it("reports health for every node: 3 primaries and 3 linked replicas", async function () {
        const client = track(createRedisClient(outputs.connection, outputs.credentials.app));
        await waitFor("the client is ready", async () => client.status === "ready", 10000);
        const health = await checkHealth(client);
        assert.equal(health.status, "ok");
        assert.equal(health.mode, "cluster");
        assert.deepEqual(health.nodes.map((node) => node.replication?.role).sort(), ["primary", "primary", "primary", "replica", "replica", "replica"]);
        assert.ok(health.nodes.every((node) => node.replication?.role !== "replica" || node.replication.masterLinkStatus === "up"));
    });

    it("reads from replicas with readFrom: replica and still writes to primaries", async function () {
        const client = track(createRedisClient(outputs.connection, outputs.credentials.app, { readFrom: "replica" }));
        await waitFor("replicas serve the keys", async () => (await Promise.all(KEYS.map((key) => client.get(key)))).every((value, i) => value === KEYS[i]), 10000);
        assert.equal(await client.set(KEYS[0], "again"), "OK");
    });

    it("maps announced addresses with natMap", async function () {
        const node0 = deployment.rendered.topology.dataNodes[0];
        const client = track(
            createRedisClient({ ...outputs.connection, endpoints: [{ host: "127.0.0.1", port: node0.port }] }, outputs.credentials.app, {
                natMap: (key: string) => {
                    const [host, port] = key.split(":");
                    return { host, port: Number(port) };
                },
            }),
        );
        assert.equal(await client.get(KEYS[1]), KEYS[1]);
    });

    it("follows a cluster failover after kill -9 of a primary", async function () {
        const client = track(createRedisClient(outputs.connection, outputs.credentials.app, { commandTimeoutMs: 2000, reconnect: { baseDelayMs: 50, maxDelayMs: 500 } }));
        assert.equal(await client.set(KEYS[2], "before"), "OK");
        const slot = Number(await deployment.command("redis-0", "admin", ["CLUSTER", "KEYSLOT", KEYS[2]]));
        const slots = (await deployment.command("redis-0", "admin", ["CLUSTER", "SLOTS"])) as [number, number, [string, number]][];
        const range = slots.find(([first, last]) => slot >= first && slot <= last);
        const primaryName = deployment.dataNodeNames.find((name) => deployment.node(name).node.port === Number(range?.[2][1]));
        assert.ok(primaryName, `no node owns slot ${slot}`);
        await deployment.killNode(primaryName);
        await waitFor("the client writes the key again", async () => (await client.set(KEYS[2], "after")) === "OK", 60000, 250);
        assert.equal(await client.get(KEYS[2]), "after");
        const health = await checkHealth(client, { timeoutMs: 1000 });
        assert.notEqual(health.status, "down");
    });
});
