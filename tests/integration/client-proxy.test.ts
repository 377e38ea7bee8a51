import { strict as assert } from "node:assert";
import type { Redis } from "ioredis";
import { createRedisClient, Credential, proxyCommandProblem, RedisConnection } from "../../client";
import { localStackOutputs, LocalStackOutputs } from "../../tools/harness/stackOutputs";
import { startDeployment } from "./helpers";

/**
 * The client's side of the Envoy proxy's limits (docs/proxy.md). No Envoy binary exists here, so a real TLS
 * redis-server stands at the proxy's endpoint: what this proves is that a `proxy: "envoy"` connection sends
 * the commands Envoy supports and refuses the others before they reach the wire, not what Envoy itself does.
 */
describe("client: through the Envoy proxy, its documented command limits", function () {
    let outputs: LocalStackOutputs;
    const opened = new Set<Redis>();
    /** A client of the deployment, disconnected after the suite; errors are asserted on its commands. */
    const open = (connection: RedisConnection, credential: Credential): Redis => {
        const client = createRedisClient(connection, credential) as Redis;
        client.on("error", () => undefined);
        opened.add(client);
        return client;
    };
    const commandCalls = async (command: string): Promise<number> => {
        const admin = open(outputs.connection, outputs.credentials.admin);
        const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(String(await admin.info("commandstats")));
        return match === null ? 0 : Number(match[1]);
    };

    before(async function () {
        outputs = localStackOutputs(await startDeployment({ topology: "standalone" }, this));
    });
    after(() => opened.forEach((client) => client.disconnect()));

    it("sends what Envoy supports: AUTH, the INFO ready check, GET/SET, MULTI/EXEC, PUBLISH", async function () {
        const client = open({ ...outputs.connection, proxy: "envoy" as const }, outputs.credentials.app);
        assert.equal(await client.set("app:proxy:k", "v"), "OK");
        assert.equal(await client.get("app:proxy:k"), "v");
        assert.deepEqual(await client.multi().incr("app:proxy:n").incr("app:proxy:n").exec(), [[null, 1], [null, 2]]);
        assert.equal(typeof (await client.publish("app:proxy:channel", "m")), "number");
    });

    it("refuses pub/sub subscriptions, blocking commands, CLIENT and unsupported CLUSTER subcommands, and sends none of them", async function () {
        const client = open({ ...outputs.connection, proxy: "envoy" as const }, outputs.credentials.app);
        await client.ping();
        const before = { subscribe: await commandCalls("subscribe"), blpop: await commandCalls("blpop"), client: await commandCalls("client") };
        await assert.rejects(client.subscribe("app:proxy:channel"), /SUBSCRIBE is not supported through the Envoy proxy: pub\/sub subscriptions/);
        await assert.rejects(client.blpop("app:proxy:list", 1), /BLPOP is not supported through the Envoy proxy: blocking commands/);
        await assert.rejects(client.xread("BLOCK", 100, "STREAMS", "app:proxy:s", "$"), /XREAD is not supported/);
        await assert.rejects(client.client("LIST"), /CLIENT is not supported/);
        await assert.rejects(client.call("CLUSTER", "FAILOVER"), /CLUSTER FAILOVER is not supported through the Envoy proxy/);
        assert.deepEqual({ subscribe: await commandCalls("subscribe"), blpop: await commandCalls("blpop"), client: await commandCalls("client") }, before, "nothing reached the server");
        assert.equal(await client.get("app:proxy:k"), "v", "the client still works after a refusal");
    });

    it("leaves a direct connection alone, and refuses connectionName through the proxy", async function () {
        const direct = open(outputs.connection, outputs.credentials.app);
        assert.equal(await direct.subscribe("app:proxy:channel"), 1, "a direct connection subscribes");
        assert.throws(() => createRedisClient({ ...outputs.connection, proxy: "envoy" }, outputs.credentials.app, { connectionName: "x" }), /CLIENT SETNAME/);
        assert.equal(proxyCommandProblem("cluster", ["slots"]), undefined);
    });
});
