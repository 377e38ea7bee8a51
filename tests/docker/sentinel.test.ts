import { strict as assert } from "node:assert";
import type Redis from "ioredis";
import { datasetDigest, writeDataset } from "../../tools/backup/dataset";
import { envValue } from "../../tools/docker/engineDeployment";
import { WriteLoad } from "../../tools/harness/load";
import { sleep } from "../../tools/harness/localDeployment";
import { sentinelWriter } from "../../tools/harness/writers";
import { assertAllUp, assertLoopbackTlsOnly, assertNoAcknowledgedWriteLost, assertTeardownLeavesNothing } from "./checks";
import { onEngine } from "./engine";

/**
 * The dev stack (`Pulumi.dev.yaml`) exactly as the program registers it, with real TLS material and passwords
 * made for the run, applied to a real Docker engine the way @pulumi/docker does (tools/docker/applier.ts),
 * on the local stand-in images. Everything is asserted through the stack's own outputs and the engine.
 */
describe("Docker engine: the dev stack (Sentinel)", function () {
    const up = onEngine("dev");
    const containerOf = (port: number) => up.get().nodeAt(port).container;

    it("brings every container up: one-shot writers exit 0, nodes and sentinels healthy, the rest running; only Grafana has no stand-in", async () => {
        await assertAllUp(up.get(), ["redis-dev-grafana"]);
        assert.equal(up.get().nodes("redis").length, 3);
        assert.equal(up.get().nodes("sentinel").length, 3);
    });

    it("publishes only the node, sentinel and UI ports, on 127.0.0.1 only, and every Redis port speaks TLS only", async () => {
        await assertLoopbackTlsOnly(up.get(), [7000, 7001, 7002, 7100, 7101, 7102, 7200, 7201]);
    });

    it("holds the ACL matrix for the app and reporting users, through the stack's connection output", async () => {
        const app = up.get().client("app") as Redis;
        const reporting = up.get().client("reporting") as Redis;
        assert.equal(await app.set("app:acl:key", "v"), "OK");
        await assert.rejects(app.set("other:key", "v"), /NOPERM/);
        await assert.rejects(app.call("CONFIG", "GET", "maxmemory"), /NOPERM/);
        assert.equal(await reporting.get("app:acl:key"), "v");
        await assert.rejects(reporting.set("app:acl:key", "w"), /NOPERM/);
        await assert.rejects(up.get().nodeClient(7000, "app", { reconnect: { maxAttempts: 1 } }).call("FLUSHALL"), /NOPERM/);
    });

    it("has every sentinel agree on one primary, with two replicas linked to it", async () => {
        const answers = await up.get().sentinelAnswers();
        assert.equal(new Set(answers).size, 1, `sentinels answer ${answers.join(", ")}`);
        const roles = await up.get().roles();
        assert.deepEqual(Object.values(roles).sort(), ["master", "slave", "slave"]);
        assert.equal(roles[containerOf(Number(answers[0].split(":")[1]))], "master");
    });

    it("has Prometheus scrape every exporter target up", async () => {
        const prometheus = [...up.get().applied.containers().values()].find((entry) => entry.resource.inputs.name === "redis-dev-prometheus");
        const url = `http://127.0.0.1:${prometheus?.resource.inputs.ports[0].external}/api/v1/targets`;
        let targets: { scrapeUrl: string; health: string; labels: { job: string } }[] = [];
        for (let attempt = 0; attempt < 60; attempt++) {
            targets = ((await (await fetch(url)).json()) as { data: { activeTargets: typeof targets } }).data.activeTargets;
            if (targets.length > 0 && targets.every((target) => target.health === "up")) {
                break;
            }
            await sleep(1000);
        }
        const exporters = targets.filter((target) => target.scrapeUrl.includes(":73") || target.scrapeUrl.includes(":74"));
        assert.equal(exporters.length, 6, `exporter targets: ${targets.map((target) => target.scrapeUrl).join(", ")}`);
        assert.deepEqual(targets.filter((target) => target.health !== "up").map((target) => `${target.scrapeUrl} ${target.health}`), []);
    });

    it("writes a backup in the backup container that restores, by the docs/backup.md runbook, to the same digest", async () => {
        const deployment = up.get();
        const primary = await deployment.sentinelPrimary();
        const port = primary.port;
        const admin = deployment.nodeClient(port);
        await writeDataset(admin, 2000);
        assert.equal(await admin.call("WAIT", "2", "5000"), 2);
        const before = await datasetDigest(admin);
        admin.disconnect();

        const backup = deployment.applied.containers().get("redis-dev-backup");
        const run = await deployment.engine.exec(deployment.applied.containerId("redis-dev-backup"), ["sh", "/etc/redis/scripts/redis-backup.sh"]);
        assert.equal(run.exitCode, 0, run.output);

        // The runbook: stop the data nodes, restore into the primary's volume, empty the replicas, start the primary, then the replicas.
        const replicas = deployment.nodes("redis").filter((node) => node.port !== port);
        for (const node of [...replicas, primary]) {
            await deployment.engine.stop(deployment.applied.containerId(node.container), 60);
        }
        const nodeInputs = deployment.applied.containers().get(primary.container)!;
        const image = nodeInputs.plan!.body.Image as string;
        const user = String(nodeInputs.resource.inputs.user);
        const restoreScript = backup!.resource.inputs.uploads.find((upload: { file: string }) => upload.file.endsWith("/redis-restore.sh")).content as string;
        const restored = await deployment.runOnce({
            image,
            user,
            cmd: ["sh", "/restore/redis-restore.sh"],
            env: ["BACKUP_TARGET=/backups", `BACKUP_DEPLOYMENT=${envValue(backup!.resource.inputs.envs, "BACKUP_DEPLOYMENT")}`, "BACKUP_ID=latest", "REDIS_DATA_DIR=/data", "REDIS_CONF_FILE=/etc/redis/conf/node.conf"],
            volumesFrom: [primary.container],
            binds: ["redis-dev-backups:/backups:ro"],
            files: [{ file: "/restore/redis-restore.sh", content: restoreScript }],
        });
        assert.equal(restored.exitCode, 0, restored.output);
        for (const replica of replicas) {
            const emptied = await deployment.runOnce({ image, user, cmd: ["sh", "-c", "rm -rf /data/dump.rdb /data/appendonlydir"], volumesFrom: [replica.container] });
            assert.equal(emptied.exitCode, 0, emptied.output);
        }
        await deployment.start(primary.container);
        await deployment.applied.waitHealthy(primary.container, deployment.applied.containerId(primary.container), 120000);
        const restoredClient = deployment.nodeClient(port);
        const after = await datasetDigest(restoredClient);
        restoredClient.disconnect();
        assert.equal(after.keys, before.keys);
        assert.equal(after.digest, before.digest, "the restored primary holds exactly the data backed up");
        for (const replica of replicas) {
            await deployment.start(replica.container);
        }
        await deployment.waitHealthy(180000);
        const replicaClient = deployment.nodeClient(replicas[0].port);
        assert.equal((await datasetDigest(replicaClient)).digest, before.digest, "a replica took a full copy of the restored data");
        replicaClient.disconnect();
    });

    it("fails over when the primary's container is killed, losing no WAIT-acknowledged write; the restarted container rejoins as a replica", async () => {
        const deployment = up.get();
        const client = deployment.client("app", { commandTimeoutMs: 1000, maxRetriesPerRequest: 1 }) as Redis;
        const load = new WriteLoad(sentinelWriter(client), (n) => `app:failover:${n}`);
        load.start();
        try {
            assert.ok(await load.waitForSuccesses(0, 50, 20000), "writes flow before the kill");
            const oldPrimary = await deployment.sentinelPrimary();
            await sleep(1000);
            await deployment.kill(oldPrimary.container);
            const killedAt = load.now();
            assert.ok(await load.waitForSuccesses(killedAt, 50, 60000), "writes recover after the kill");
        } finally {
            await load.stop();
        }
        await assertNoAcknowledgedWriteLost(deployment, load);

        const answers = await deployment.sentinelAnswers();
        assert.equal(new Set(answers).size, 1);
        const newPrimary = containerOf(Number(answers[0].split(":")[1]));
        const killed = Object.entries(await deployment.roles()).find(([, role]) => role === "down")?.[0];
        assert.ok(killed !== undefined && killed !== newPrimary, "the killed node is down and another node took over");
        await deployment.start(killed);
        await deployment.applied.waitHealthy(killed, deployment.applied.containerId(killed), 120000);
        for (let check = 0; check < 5; check++) {
            const roles = await deployment.roles();
            assert.equal(roles[killed], "slave", "the restarted node is a replica");
            assert.deepEqual(Object.entries(roles).filter(([, role]) => role === "master").map(([name]) => name), [newPrimary], "one primary only");
            await sleep(1000);
        }
    });

    it("recovers from a restart of all its containers at once: none is left outside the holder's network namespace", async () => {
        const deployment = up.get();
        const app = deployment.client("app") as Redis;
        await app.set("app:restart:marker", "kept");
        await deployment.restartAll();
        await sleep(3000);
        // A container that kept running while the holder restarted would sit in the old namespace, healthy and unreachable.
        assert.deepEqual(await deployment.strays(), [], "containers outside the holder's current network namespace");
        await deployment.startStopped();
        await deployment.waitHealthy(180000);
        assert.deepEqual(await deployment.strays(), []);
        const answers = await deployment.sentinelAnswers();
        assert.equal(new Set(answers).size, 1, `sentinels answer ${answers.join(", ")}`);
        assert.deepEqual(Object.values(await deployment.roles()).sort(), ["master", "slave", "slave"]);
        const reader = deployment.client("app") as Redis;
        assert.equal(await reader.get("app:restart:marker"), "kept");
    });

    it("tears down like `docker compose down -v`: no container, network or volume is left", async () => {
        await assertTeardownLeavesNothing(up.get());
    });
});
