import { strict as assert } from "node:assert";
import { lostWrites, WriteLoad } from "../../tools/harness/load";
import { sentinelWriter } from "../../tools/harness/writers";
import { LocalDeployment, waitFor } from "../../tools/harness/localDeployment";
import { plaintextProbe, startDeployment } from "./helpers";

describe("Sentinel on real Redis (1 primary, 2 replicas, 3 sentinels, fast timing)", function () {
    let deployment: LocalDeployment;

    before(async function () {
        deployment = await startDeployment({ topology: "sentinel", failover: "fast" }, this);
    });

    it("refuses plaintext on every sentinel port and every data port", async function () {
        for (const name of [...deployment.sentinelNames, ...deployment.dataNodeNames]) {
            const probe = await plaintextProbe(deployment.node(name).node.port);
            assert.equal(probe.closed, true, `${name} kept a plaintext connection open`);
            assert.doesNotMatch(probe.reply, /PONG|NOAUTH|ERR/, name);
        }
    });

    it("starts with redis-0 as the one primary, replicating over TLS", async function () {
        assert.equal(await deployment.sentinelPrimary(), "redis-0");
        assert.deepEqual(await deployment.primaries(), ["redis-0"]);
        for (const name of ["redis-1", "redis-2"]) {
            assert.deepEqual(await deployment.command(name, "admin", ["CONFIG", "GET", "tls-replication"]), ["tls-replication", "yes"]);
            assert.equal((await deployment.info(name, "replication")).master_link_status, "up");
        }
    });

    it("kill -9 of the primary under load: a replica is promoted, the client resumes, no acknowledged write is lost", async function () {
        const oldPrimary = await deployment.sentinelPrimary();
        const client = deployment.sentinelClient("app", { maxRetriesPerRequest: 1, commandTimeout: 1000 });
        const load = new WriteLoad(sentinelWriter(client), (n) => `app:sentinel:${n}`);
        load.start();
        assert.ok(await load.waitForSuccesses(0, 50, 10000), "the load never got going");
        const killedAt = load.now();
        await deployment.killNode(oldPrimary);
        const resumed = await load.waitForSuccesses(killedAt, 50, 30000, (event) => event.acked);
        await load.stop();
        assert.ok(resumed, "writes did not resume after the failover");

        const newPrimary = await deployment.sentinelPrimary();
        assert.notEqual(newPrimary, oldPrimary);
        assert.deepEqual(await deployment.primaries(), [newPrimary]);

        const acked = load.acknowledged();
        assert.ok(acked.length > 100);
        const reader = deployment.sentinelClient("app");
        assert.deepEqual(await lostWrites(acked, (keys) => reader.mget(...keys)), []);
        reader.disconnect();
        client.disconnect();
    });

    it("the old primary, restarted with its start script, comes back as a replica", async function () {
        const primary = await deployment.sentinelPrimary();
        const old = deployment.dataNodeNames.find((name) => !deployment.supervisor.isRunning(name));
        assert.ok(old, "no node is down");
        deployment.startNode(old);
        await waitFor(`${old} replicates ${primary}`, async () => {
            const info = await deployment.info(old, "replication");
            return info.role === "slave" && info.master_link_status === "up";
        }, 30000);
        assert.deepEqual(await deployment.primaries(), [primary]);
        await deployment.waitHealthy();
    });

    it("a full restart of every node ends with exactly one primary and the data intact", async function () {
        const writer = deployment.sentinelClient("app");
        for (let i = 0; i < 100; i++) {
            await writer.set(`app:restart:${i}`, String(i));
        }
        assert.ok(((await writer.call("WAIT", "2", "2000")) as number) >= 1);
        writer.disconnect();

        await deployment.restartAll();
        const primaries = await deployment.primaries();
        assert.equal(primaries.length, 1);
        assert.equal(await deployment.sentinelPrimary(), primaries[0]);
        const reader = deployment.sentinelClient("app");
        const values = await reader.mget(...Array.from({ length: 100 }, (_, i) => `app:restart:${i}`));
        assert.deepEqual(values, Array.from({ length: 100 }, (_, i) => String(i)));
        reader.disconnect();
    });

    it("preStop on the primary hands over to a replica before it stops", async function () {
        const primary = await deployment.sentinelPrimary();
        await deployment.stopNode(primary, true);
        const next = await deployment.sentinelPrimary();
        assert.notEqual(next, primary);
        deployment.startNode(primary);
        await deployment.waitHealthy();
        assert.deepEqual(await deployment.primaries(), [next]);
    });
});
