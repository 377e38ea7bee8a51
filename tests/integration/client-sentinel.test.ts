import { strict as assert } from "node:assert";
import type { Redis } from "ioredis";
import { checkHealth, createRedisClient } from "../../client";
import { LocalDeployment, waitFor } from "../../tools/harness/localDeployment";
import { localStackOutputs, LocalStackOutputs } from "../../tools/harness/stackOutputs";
import { startDeployment } from "./helpers";

describe("client: sentinel over TLS on real Redis (1 primary, 2 replicas, 3 sentinels, fast timing)", function () {
    let deployment: LocalDeployment;
    let outputs: LocalStackOutputs;
    const clients: Redis[] = [];
    const track = (client: unknown): Redis => {
        const redis = client as Redis;
        redis.on("error", () => undefined);
        clients.push(redis);
        return redis;
    };

    before(async function () {
        deployment = await startDeployment({ topology: "sentinel", failover: "fast" }, this);
        outputs = localStackOutputs(deployment);
    });
    after(() => clients.forEach((client) => client.disconnect()));

    it("finds the primary through the sentinels over TLS, logging in to them as the app user", async function () {
        const client = track(createRedisClient(outputs.connection, outputs.credentials.app));
        assert.equal(await client.set("app:sentinel-client:k", "v1"), "OK");
        assert.equal(client.options.sentinelUsername, "app");
        assert.equal(client.options.enableTLSForSentinelMode, true);
        const health = await checkHealth(client);
        assert.equal(health.status, "ok");
        assert.equal(health.mode, "sentinel");
        assert.equal(health.nodes[0].replication?.role, "primary");
        assert.equal(health.nodes[0].replication?.connectedReplicas, 2);
    });

    it("connects from the stack's url output alone (rediss+sentinel://, every sentinel and the master name)", async function () {
        assert.match(outputs.url, /^rediss\+sentinel:\/\/app:[^@]+@([^,/]+:[0-9]+,){2}[^,/]+:[0-9]+\/[a-z0-9-]+$/);
        const client = track(createRedisClient(outputs.url, { tls: { caCertPem: outputs.connection.tls.caCertPem } }));
        assert.equal(await client.set("app:sentinel-client:url", "v"), "OK");
        assert.equal(client.options.name, outputs.connection.sentinelMasterName);
        const health = await checkHealth(client);
        assert.equal(health.nodes[0].replication?.role, "primary");
    });

    it("refuses sentinels it cannot verify", async function () {
        const client = track(
            createRedisClient({ ...outputs.connection, tls: { ...outputs.connection.tls, serverName: "not-in-the-certificate.example" } }, outputs.credentials.app, {
                lazyConnect: true,
                reconnect: { maxAttempts: 0 },
            }),
        );
        const errors: string[] = [];
        client.on("error", (error: Error) => errors.push(error.message));
        await assert.rejects(client.connect());
        assert.ok(errors.some((message) => /All sentinels are unreachable|certificate|altnames/i.test(message)), errors.join(" | "));
    });

    it("reads from a linked replica with readFrom: replica", async function () {
        const reader = track(createRedisClient(outputs.connection, outputs.credentials.reporting, { readFrom: "replica" }));
        await waitFor("the replica has the key", async () => (await reader.get("app:sentinel-client:k")) === "v1", 10000);
        const health = await checkHealth(reader);
        assert.equal(health.nodes[0].replication?.role, "replica");
        assert.equal(health.nodes[0].replication?.masterLinkStatus, "up");
        assert.equal(health.status, "ok");
    });

    it("follows a failover after kill -9 of the primary: the same client writes to the new primary", async function () {
        const client = track(createRedisClient(outputs.connection, outputs.credentials.app, { commandTimeoutMs: 2000, reconnect: { baseDelayMs: 50, maxDelayMs: 500 } }));
        assert.equal(await client.set("app:sentinel-client:before", "1"), "OK");
        const oldPrimary = await deployment.sentinelPrimary();
        await deployment.killNode(oldPrimary);
        const newPrimary = await waitFor("the sentinels promote a replica", async () => {
            const name = await deployment.sentinelPrimary();
            return name !== oldPrimary ? name : undefined;
        }, 60000, 250);
        await waitFor("the client writes again", async () => (await client.set("app:sentinel-client:after", "2")) === "OK", 30000, 200);
        assert.equal(await client.get("app:sentinel-client:before"), "1");
        const health = await checkHealth(client);
        assert.equal(health.nodes[0].replication?.role, "primary");
        assert.equal(health.nodes[0].address.endsWith(`:${deployment.node(newPrimary).node.port}`), true, `health reports ${health.nodes[0].address}`);
    });
});
