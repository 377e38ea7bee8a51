import { strict as assert } from "node:assert";
import type { Redis } from "ioredis";
import { checkHealth, createRedisClient } from "../../client";
import type { LocalDeployment } from "../../tools/harness/localDeployment";
import { localStackOutputs, LocalStackOutputs } from "../../tools/harness/stackOutputs";
import { startDeployment } from "./helpers";

describe("client: standalone over TLS on real Redis", function () {
    let deployment: LocalDeployment;
    let outputs: LocalStackOutputs;
    const clients: Redis[] = [];
    const track = <T extends Redis>(client: T): T => {
        client.on("error", () => undefined);
        clients.push(client);
        return client;
    };

    before(async function () {
        deployment = await startDeployment({ topology: "standalone" }, this);
        outputs = localStackOutputs(deployment);
    });
    after(() => clients.forEach((client) => client.disconnect()));

    it("connects as the app user with the CA from the outputs, writes and reads its keys", async function () {
        const client = track(createRedisClient(outputs.connection, outputs.credentials.app) as Redis);
        assert.equal(await client.set("app:client:greeting", "hello"), "OK");
        assert.equal(await client.get("app:client:greeting"), "hello");
        await assert.rejects(client.set("other:key", "x"), /NOPERM/);
    });

    it("reports health: ok, the primary role, a PING latency", async function () {
        const client = track(createRedisClient(outputs.connection, outputs.credentials.app) as Redis);
        const health = await checkHealth(client);
        assert.equal(health.status, "ok");
        assert.equal(health.mode, "standalone");
        assert.equal(health.clientStatus, "ready");
        assert.equal(health.nodes.length, 1);
        assert.equal(health.nodes[0].replication?.role, "primary");
        assert.equal(typeof health.latencyMs, "number");
    });

    it("refuses a server whose certificate the CA did not sign, and a server name the certificate does not hold", async function () {
        const otherCa = deployment.rendered.nodes[0].paths.tls.certFile; // a leaf, not the CA: verification must fail
        const { readFileSync } = await import("node:fs");
        for (const tls of [
            { ...outputs.connection.tls, caCertPem: readFileSync(otherCa, "utf8") },
            { ...outputs.connection.tls, serverName: "not-in-the-certificate.example" },
        ]) {
            const client = track(createRedisClient({ ...outputs.connection, tls }, outputs.credentials.app, { lazyConnect: true, reconnect: { maxAttempts: 0 } }) as Redis);
            let firstError: Error | undefined;
            client.once("error", (error: Error) => (firstError ??= error));
            await assert.rejects(client.connect());
            assert.match(String(firstError?.message), /certificate|altnames|self.signed|unable to verify/i);
        }
    });

    it("accepts a server name the certificate holds", async function () {
        const client = track(createRedisClient({ ...outputs.connection, tls: { ...outputs.connection.tls, serverName: "localhost" } }, outputs.credentials.app) as Redis);
        assert.equal(await client.ping(), "PONG");
    });

    it("fails commands after the bounded retries once the node is gone, and health says down without throwing", async function () {
        const client = track(createRedisClient(outputs.connection, outputs.credentials.reporting, { maxRetriesPerRequest: 1, reconnect: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 3 } }) as Redis);
        assert.equal(await client.get("app:client:greeting"), "hello");
        await assert.rejects(client.set("app:client:greeting", "bye"), /NOPERM/);
        await deployment.stopNode("redis-0");
        try {
            await assert.rejects(client.get("app:client:greeting"));
            const health = await checkHealth(client, { timeoutMs: 1000 });
            assert.equal(health.status, "down");
            assert.equal(health.nodes[0].reachable, false);
        } finally {
            deployment.startNode("redis-0");
            await deployment.waitHealthy();
        }
    });
});
