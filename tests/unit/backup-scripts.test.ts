import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { BACKUP_LAST_SUCCESS_METRIC } from "../../components/monitoring/metrics";
import { renderBackupScript } from "../../components/redisconf/scripts/backup";
import { backupScriptEnv, backupShards, backupTargetUrl, restoreScriptEnv } from "../../components/redisconf/scripts/backupEnv";
import { renderRestoreScript } from "../../components/redisconf/scripts/restore";
import { buildTopology } from "../../components/redisconf/topology";
import { kubernetesLayout } from "../../components/selfhosted/kubernetes/layout";
import { kubernetesConfig } from "./kubernetesFixtures";

/** The backup and restore scripts' pure parts: their environment, the shards, the targets, and the text. */

const tlsPaths = { caFile: "/tls/ca.crt", clientCertFile: "/tls/client.crt", clientKeyFile: "/tls/client.key" };

describe("backup and restore scripts (pure)", () => {
    it("groups a cluster's nodes by shard and every other topology's nodes as one group", () => {
        const cluster = kubernetesConfig({ topology: "cluster", shards: 3, replicasPerShard: 1 });
        const topology = buildTopology(cluster.selfhosted, kubernetesLayout("redis", cluster).place);
        const host = (pod: string) => ({ host: `${pod}.redis-headless.redis.svc.cluster.local`, port: 6379 });
        assert.deepEqual(backupShards(topology), [
            [host("redis-0"), host("redis-3")],
            [host("redis-1"), host("redis-4")],
            [host("redis-2"), host("redis-5")],
        ]);
        const sentinel = kubernetesConfig({ topology: "sentinel", replicas: 1, sentinels: 3 });
        assert.deepEqual(backupShards(buildTopology(sentinel.selfhosted, kubernetesLayout("redis", sentinel).place)), [[host("redis-0"), host("redis-1")]]);
    });

    it("renders the backup environment exactly: S3 with a KMS key, and a directory with pruning", () => {
        const shards = [[{ host: "a", port: 1 }, { host: "b", port: 2 }], [{ host: "c", port: 3 }]];
        assert.deepEqual(
            backupScriptEnv({ deployment: "orders", shards, target: { kind: "s3", bucket: "acme-backups", prefix: "prod/redis", kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k" }, tls: { enabled: true }, passwordDir: "/pw", tlsPaths, pushgatewayUrl: "http://pg:9091", workDir: "/work" }),
            {
                BACKUP_DEPLOYMENT: "orders",
                BACKUP_SHARDS: "a:1,b:2 c:3",
                BACKUP_TARGET: "s3://acme-backups/prod/redis",
                REDIS_PASSWORD_DIR: "/pw",
                REDIS_TLS: "yes",
                BACKUP_TIMEOUT: "3600",
                REDIS_TLS_CA_FILE: "/tls/ca.crt",
                REDIS_TLS_CLIENT_CERT_FILE: "/tls/client.crt",
                REDIS_TLS_CLIENT_KEY_FILE: "/tls/client.key",
                BACKUP_S3_SSE: "aws:kms",
                BACKUP_KMS_KEY_ID: "arn:aws:kms:eu-west-1:111122223333:key/k",
                BACKUP_PUSHGATEWAY_URL: "http://pg:9091",
                BACKUP_WORK_DIR: "/work",
            },
        );
        assert.deepEqual(backupScriptEnv({ deployment: "orders", shards, target: { kind: "dir", path: "/data" }, tls: { enabled: false }, passwordDir: "/pw", retentionDays: 7, timeoutSeconds: 60 }), {
            BACKUP_DEPLOYMENT: "orders",
            BACKUP_SHARDS: "a:1,b:2 c:3",
            BACKUP_TARGET: "/data",
            REDIS_PASSWORD_DIR: "/pw",
            REDIS_TLS: "no",
            BACKUP_TIMEOUT: "60",
            BACKUP_RETENTION_DAYS: "7",
        });
        assert.equal(backupTargetUrl({ kind: "s3", bucket: "minio-bucket", endpoint: "https://minio:9000", sse: "none" }), "s3://minio-bucket");
    });

    it("refuses what the scripts could not use, naming the value", () => {
        const base = { deployment: "orders", shards: [[{ host: "a", port: 1 }]], tls: { enabled: false }, passwordDir: "/pw" } as const;
        assert.throws(() => backupScriptEnv({ ...base, deployment: "my orders", target: { kind: "dir", path: "/d" } }), /backup deployment "my orders": must hold only/);
        assert.throws(() => backupScriptEnv({ ...base, target: { kind: "dir", path: "backups" } }), /backup directory "backups": must be an absolute path/);
        assert.throws(() => backupScriptEnv({ ...base, target: { kind: "s3", bucket: "Bad_Bucket" } }), /backup bucket "Bad_Bucket"/);
        assert.throws(() => backupScriptEnv({ ...base, target: { kind: "s3", bucket: "ok-bucket", prefix: "/x/" } }), /backup prefix "\/x\/"/);
        assert.throws(() => backupScriptEnv({ ...base, shards: [[]], target: { kind: "dir", path: "/d" } }), /every shard needs at least one node/);
        assert.throws(() => backupScriptEnv({ ...base, tls: { enabled: true }, target: { kind: "dir", path: "/d" } }), /tlsPaths .* are required/);
        assert.throws(() => backupScriptEnv({ ...base, pushgatewayUrl: "pg:9091", target: { kind: "dir", path: "/d" } }), /Pushgateway URL "pg:9091"/);
        assert.throws(() => restoreScriptEnv({ deployment: "orders", target: { kind: "dir", path: "/d" }, dataDir: "/data", tls: { enabled: false }, backupId: "yesterday" }), /backup id "yesterday"/);
    });

    it("renders the restore environment exactly", () => {
        assert.deepEqual(restoreScriptEnv({ deployment: "orders", target: { kind: "s3", bucket: "b-b-b", endpoint: "https://minio:9000" }, backupId: "20260102T030405Z", shard: 2, dataDir: "/data", configFile: "/etc/redis/conf/node.conf", port: 6379, tls: { enabled: true } }), {
            BACKUP_DEPLOYMENT: "orders",
            BACKUP_TARGET: "s3://b-b-b",
            BACKUP_ID: "20260102T030405Z",
            BACKUP_SHARD: "2",
            REDIS_DATA_DIR: "/data",
            REDIS_TLS: "yes",
            REDIS_CONF_FILE: "/etc/redis/conf/node.conf",
            REDIS_PORT: "6379",
            BACKUP_S3_ENDPOINT: "https://minio:9000",
        });
    });

    it("pushes the metric the backup alerts read, and both scripts parse as POSIX sh", () => {
        assert.ok(renderBackupScript().includes(`${BACKUP_LAST_SUCCESS_METRIC} %s`));
        for (const [name, text] of [["redis-backup.sh", renderBackupScript()], ["redis-restore.sh", renderRestoreScript()]]) {
            const parsed = spawnSync("sh", ["-n"], { input: text, encoding: "utf8" });
            assert.equal(parsed.status, 0, `${name}: ${parsed.stderr}`);
        }
    });
});
