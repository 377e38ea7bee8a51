import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { BACKUP_LAST_SUCCESS_METRIC } from "../../components/monitoring/metrics";
import { BackupTarget, backupScriptEnv, backupShards, restoreScriptEnv } from "../../components/redisconf/scripts/backupEnv";
import { datasetDigest, DatasetDigest, digestDifferences, writeDataset } from "../../tools/backup/dataset";
import { LocalPushgateway, seriesValue, startPushgateway } from "../../tools/backup/pushgateway";
import { BackupScripts } from "../../tools/backup/scripts";
import { asDeploymentConfig, LocalConfigOptions, localStackConfig } from "../../tools/harness/config";
import { LocalDeployment } from "../../tools/harness/localDeployment";
import { ProcessSupervisor } from "../../tools/harness/processes";
import { startLocalS3 } from "../support/backup/s3Server";
import { requireTool } from "../support/monitoring/tools";
import { startDeployment } from "./helpers";

/**
 * The rendered backup and restore scripts on real processes: a Sentinel deployment holding a few thousand
 * keys of every type is backed up (from its replica, as the backup ACL user, over TLS), the last-success
 * metric reaches a real Pushgateway, and the backup is restored into fresh nodes (RDB and AOF persistence)
 * whose every key matches. Also: the take/upload split uploading with the AWS CLI to a real S3-compatible
 * server on loopback (s3rver) and restored from it, and the refusals (running node, bad checksum, unfinished backup).
 */

const KEYS = 4000;

function backupEnv(source: LocalDeployment, target: BackupTarget, pushgatewayUrl?: string, workDir?: string): Record<string, string> {
    return backupScriptEnv({
        deployment: "orders",
        shards: backupShards(source.rendered.topology),
        target,
        tls: { enabled: true },
        passwordDir: source.passwordDir,
        tlsPaths: source.certs,
        pushgatewayUrl,
        workDir,
        retentionDays: 7,
    });
}

/** Stops a fresh standalone node, restores a backup into it with the rendered script, starts it again. */
async function restoreInto(scripts: BackupScripts, fresh: LocalDeployment, target: BackupTarget, extraEnv: Record<string, string> = {}, backupId?: string) {
    const rendered = fresh.node("redis-0");
    await fresh.stopNode("redis-0");
    const run = await scripts.restore({
        ...restoreScriptEnv({
            deployment: "orders",
            target,
            backupId,
            dataDir: rendered.paths.dataDir,
            configFile: rendered.paths.configFile,
            port: rendered.node.port,
            tls: { enabled: true },
        }),
        ...extraEnv,
    });
    assert.equal(run.code, 0, run.log);
    fresh.startNode("redis-0");
    await fresh.waitHealthy();
    return run;
}

/** Runs `test` against a fresh local deployment, destroyed afterwards whatever happens. */
async function withFresh(options: LocalConfigOptions, test: (fresh: LocalDeployment) => Promise<void>): Promise<void> {
    const fresh = await LocalDeployment.start({ config: asDeploymentConfig(localStackConfig(options)) });
    try {
        await test(fresh);
    } finally {
        await fresh.destroy();
    }
}

async function digestOf(deployment: LocalDeployment, node = "redis-0"): Promise<DatasetDigest> {
    const client = deployment.client(node, "admin");
    await client.connect();
    try {
        return await datasetDigest(client);
    } finally {
        client.disconnect();
    }
}

describe("backup and restore on real processes", function () {
    this.timeout(240_000);
    let source: LocalDeployment;
    let scripts: BackupScripts;
    let supervisor: ProcessSupervisor;
    let pushgateway: LocalPushgateway;
    let expected: DatasetDigest;
    let backupDir: string;
    let firstBackupLog: string;
    let startedAt: number;

    before(async function () {
        requireTool("prometheus-pushgateway");
        source = await startDeployment({ topology: "sentinel", replicas: 1, profile: "session", persistence: "rdb" }, this);
        scripts = new BackupScripts(source.root);
        supervisor = new ProcessSupervisor();
        pushgateway = await startPushgateway(supervisor, source.root);
        const primary = source.client("redis-0", "admin");
        await primary.connect();
        await writeDataset(primary, KEYS);
        // The backup comes from the replica, so wait until it has every write.
        assert.equal(await primary.call("WAIT", "1", "10000"), 1);
        primary.disconnect();
        expected = await digestOf(source);
        backupDir = path.join(source.root, "backups");
        startedAt = Math.floor(Date.now() / 1000);
        const run = await scripts.backup(backupEnv(source, { kind: "dir", path: backupDir }, pushgateway.url));
        assert.equal(run.code, 0, run.log);
        firstBackupLog = run.log;
    });

    after(async function () {
        await scripts?.dispose();
        await supervisor?.dispose();
    });

    it("holds the whole dataset before the backup (the test writes what it expects)", function () {
        // Every written key, plus none other: the stream type writes one key with two entries.
        assert.equal(expected.keys, KEYS);
    });

    it("dumps from the in-sync replica, checks the snapshot and stores it with a checksum", function () {
        const replica = source.node("redis-1").node;
        assert.match(firstBackupLog, new RegExp(`shard 0: dumping an RDB snapshot from 127\\.0\\.0\\.1:${replica.port}\\b`));
        const latest = readFileSync(path.join(backupDir, "orders", "LATEST"), "utf8").trim();
        assert.match(latest, /^\d{8}T\d{6}Z$/);
        const folder = path.join(backupDir, "orders", latest);
        assert.deepEqual(readdirSync(folder).sort(), ["COMPLETE", "shard-0.rdb.gz", "shard-0.rdb.gz.sha256"]);
        execFileSync("sha256sum", ["-c", "shard-0.rdb.gz.sha256"], { cwd: folder, stdio: "pipe" });
        assert.match(readFileSync(path.join(folder, "COMPLETE"), "utf8"), /^deployment=orders\nid=\d{8}T\d{6}Z\nshards=1\nfinished=\d+\n$/);
        assert.deepEqual(readdirSync(path.join(backupDir, "orders")).filter((name) => name.startsWith(".")), [], "no partial backup is left behind");
    });

    it("needs nothing beyond the backup user's ACL: no node logged a refused command", async function () {
        for (const node of source.dataNodeNames) {
            const entries = (await source.command(node, "admin", ["ACL", "LOG"])) as unknown[][];
            const refusedToBackup = entries.filter((entry) => entry.some((field, index) => entry[index - 1] === "username" && field === "backup"));
            assert.deepEqual(refusedToBackup, [], `${node} ACL LOG`);
        }
    });

    it("pushes the last-success timestamp the backup alerts read to a real Pushgateway", async function () {
        const value = seriesValue(await pushgateway.metrics(), BACKUP_LAST_SUCCESS_METRIC, { deployment: "orders", job: "redis-backup" });
        assert.ok(value !== undefined, "the metric is on the Pushgateway");
        assert.ok(value >= startedAt && value <= Math.floor(Date.now() / 1000), `timestamp ${value} is from this run`);
        const size = seriesValue(await pushgateway.metrics(), "redisplatform_backup_last_size_bytes", { deployment: "orders" });
        assert.ok(size !== undefined && size > 0);
    });

    it("restores into a fresh RDB node: every key matches", async function () {
        await withFresh({ topology: "standalone", persistence: "rdb" }, async (fresh) => {
            assert.equal((await digestOf(fresh)).keys, 0);
            const run = await restoreInto(scripts, fresh, { kind: "dir", path: backupDir });
            assert.match(run.log, /restored \d{8}T\d{6}Z shard 0 into .*dump\.rdb/);
            const actual = await digestOf(fresh);
            assert.deepEqual(digestDifferences(expected, actual), []);
            assert.equal(actual.digest, expected.digest);
        });
    });

    it("restores into a fresh AOF node through a new AOF base: every key matches, and survives a restart", async function () {
        await withFresh({ topology: "standalone", profile: "durable", persistence: "aof" }, async (fresh) => {
            const run = await restoreInto(scripts, fresh, { kind: "dir", path: backupDir });
            assert.match(run.log, /as the AOF base of/);
            assert.equal((await digestOf(fresh)).digest, expected.digest);
            await fresh.stopNode("redis-0");
            fresh.startNode("redis-0");
            await fresh.waitHealthy();
            assert.equal((await digestOf(fresh)).digest, expected.digest);
        });
    });

    it("refuses to restore while the node runs, and touches nothing", async function () {
        await withFresh({ topology: "standalone", persistence: "rdb" }, async (fresh) => {
            const rendered = fresh.node("redis-0");
            const run = await scripts.restore(
                restoreScriptEnv({ deployment: "orders", target: { kind: "dir", path: backupDir }, dataDir: rendered.paths.dataDir, port: rendered.node.port, tls: { enabled: true } }),
            );
            assert.notEqual(run.code, 0);
            assert.match(run.log, /a Redis server answers on port \d+: stop the node/);
            assert.deepEqual(readdirSync(rendered.paths.dataDir).filter((name) => name.startsWith("pre-restore") || name.startsWith(".restore")), []);
        });
    });

    it("refuses a backup whose checksum does not match, and one without its COMPLETE marker", async function () {
        const latest = readFileSync(path.join(backupDir, "orders", "LATEST"), "utf8").trim();
        const tampered = path.join(source.root, "tampered");
        cpSync(backupDir, tampered, { recursive: true });
        const file = path.join(tampered, "orders", latest, "shard-0.rdb.gz");
        const bytes = readFileSync(file);
        bytes[bytes.length - 20] ^= 0xff;
        writeFileSync(file, bytes);
        const dataDir = path.join(source.root, "scratch-data");
        mkdirSync(dataDir);
        const bad = await scripts.restore(restoreScriptEnv({ deployment: "orders", target: { kind: "dir", path: tampered }, dataDir, tls: { enabled: true } }));
        assert.notEqual(bad.code, 0);
        assert.match(bad.log, /does not match its checksum/);
        execFileSync("rm", [path.join(tampered, "orders", latest, "COMPLETE")]);
        const unfinished = await scripts.restore(restoreScriptEnv({ deployment: "orders", target: { kind: "dir", path: tampered }, backupId: latest, dataDir, tls: { enabled: true } }));
        assert.notEqual(unfinished.code, 0);
        assert.match(unfinished.log, /has no COMPLETE marker/);
        assert.deepEqual(readdirSync(dataDir), []);
    });

    it("take and upload as the Kubernetes CronJob runs them: the AWS CLI puts every object on a real S3 endpoint, and it restores from there", async function () {
        const s3 = await startLocalS3(source.root, "acme-redis-backups");
        try {
            // As KubernetesBackup builds it with `backup.s3Endpoint`: no SSE-KMS on an S3-compatible store.
            const target: BackupTarget = { kind: "s3", bucket: "acme-redis-backups", prefix: "prod", endpoint: s3.endpoint, sse: "none" };
            const workDir = path.join(source.root, "work");
            const env = { ...backupEnv(source, target, pushgateway.url, workDir), ...s3.env };
            const take = await scripts.backup(env, "take");
            assert.equal(take.code, 0, take.log);
            assert.deepEqual(await s3.keys("prod/"), [], "the take phase uploads nothing");
            const upload = await scripts.backup(env, "upload");
            assert.equal(upload.code, 0, upload.log);
            const id = readFileSync(path.join(workDir, "COMPLETE"), "utf8").match(/^id=(\S+)$/m)?.[1];
            assert.ok(id !== undefined);
            // Each read is an AWS CLI process (a second or more of Python start-up): all four at once.
            const [keys, latest, stored, sumFile] = await Promise.all([
                s3.keys("prod/"),
                s3.object("prod/orders/LATEST"),
                s3.object(`prod/orders/${id}/shard-0.rdb.gz`),
                s3.object(`prod/orders/${id}/shard-0.rdb.gz.sha256`),
            ]);
            assert.deepEqual(keys, [`prod/orders/${id}/COMPLETE`, `prod/orders/${id}/shard-0.rdb.gz`, `prod/orders/${id}/shard-0.rdb.gz.sha256`, "prod/orders/LATEST"]);
            assert.equal(latest.toString("utf8").trim(), id);
            const sum = sumFile.toString("utf8").split(" ")[0];
            assert.equal(createHash("sha256").update(stored).digest("hex"), sum, "the object the server stored is the checked dump");
            await withFresh({ topology: "standalone", persistence: "rdb" }, async (fresh) => {
                const run = await restoreInto(scripts, fresh, target, s3.env);
                assert.match(run.log, new RegExp(`restored ${id} shard 0 into`));
                assert.equal((await digestOf(fresh)).digest, expected.digest);
            });
        } finally {
            await s3.close();
        }
    });
    it("wipes the source and restores it primary first: the primary and its replica hold every key again", async function () {
        await source.command("redis-0", "admin", ["FLUSHALL"]);
        await source.command("redis-0", "admin", ["WAIT", "1", "10000"]);
        assert.equal((await digestOf(source, "redis-1")).keys, 0);
        // The documented procedure: stop the data nodes (replicas first), restore into the primary, empty
        // the replicas' data, start the primary, then the replicas.
        await source.stopNode("redis-1");
        await source.stopNode("redis-0");
        const primary = source.node("redis-0");
        const run = await scripts.restore(
            restoreScriptEnv({ deployment: "orders", target: { kind: "dir", path: backupDir }, dataDir: primary.paths.dataDir, configFile: primary.paths.configFile, port: primary.node.port, tls: { enabled: true } }),
        );
        assert.equal(run.code, 0, run.log);
        const replicaDir = source.node("redis-1").paths.dataDir;
        for (const name of readdirSync(replicaDir).filter((file) => file.endsWith(".rdb") || file.startsWith("appendonly"))) {
            execFileSync("rm", ["-rf", path.join(replicaDir, name)]);
        }
        source.startNode("redis-0");
        await source.waitHealthy();
        source.startNode("redis-1");
        await source.waitHealthy();
        assert.equal((await digestOf(source, "redis-0")).digest, expected.digest);
        assert.equal((await digestOf(source, "redis-1")).digest, expected.digest);
    });
});
