import type { NodeTlsPaths } from "../layout";
import type { Topology } from "../topology";
import type { ScriptEnv } from "./env";

/**
 * The environment of `redis-backup.sh` and `redis-restore.sh` (see `backup.ts` and `restore.ts`). Pure: the
 * platforms and the integration tests build it the same way, with no secret in it (the backup user's
 * password is a file under `passwordDir`).
 */

/** Where backups are stored: an S3 (or S3-compatible) bucket, or a directory. */
export type BackupTarget =
    | {
          kind: "s3";
          bucket: string;
          /** A key prefix without leading or trailing `/`, such as `redis`. @default none */
          prefix?: string;
          /** The KMS key the objects are encrypted with. @default the bucket's default key */
          kmsKeyId?: string;
          /** An S3-compatible endpoint URL (MinIO, Ceph). @default AWS S3 */
          endpoint?: string;
          /** Server-side encryption to request. Many S3-compatible stores have no KMS. @default "aws:kms" */
          sse?: "aws:kms" | "none";
      }
    | {
          kind: "dir";
          /** An absolute directory, such as a mounted volume. */
          path: string;
      };

/** What {@link backupScriptEnv} needs. */
export interface BackupEnvInput {
    /** The deployment name: the folder of its backups and the `deployment` label of the metric. */
    deployment: string;
    /** The nodes to dump, one group per shard (see {@link backupShards}). */
    shards: readonly (readonly { host: string; port: number }[])[];
    target: BackupTarget;
    tls: { enabled: boolean };
    /** A directory holding a file named `backup` with the backup user's password. */
    passwordDir: string;
    /** The CA and client certificate files, when TLS is on. */
    tlsPaths?: Pick<NodeTlsPaths, "caFile" | "clientCertFile" | "clientKeyFile">;
    /** The Pushgateway base URL, such as `http://pushgateway:9091`. @default none (nothing pushed) */
    pushgatewayUrl?: string;
    /** Directory backups older than this are pruned (directory targets; S3 uses the bucket lifecycle). */
    retentionDays?: number;
    /** A scratch directory for S3 uploads and the take/upload split. @default /tmp */
    workDir?: string;
    /** The longest a dump may take, in seconds. @default 3600 */
    timeoutSeconds?: number;
}

const DEPLOYMENT = /^[A-Za-z0-9._-]+$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * The data nodes a backup dumps from, grouped by shard: every data node as one group (standalone and
 * Sentinel), or each cluster shard's primary and replicas. The script picks an in-sync replica of each
 * group at run time, so a failover since deployment does not matter.
 */
export function backupShards(topology: Topology): { host: string; port: number }[][] {
    const address = (name: string) => {
        const node = topology.dataNodes.find((candidate) => candidate.name === name);
        if (node === undefined) {
            throw new Error(`backup: the topology names node "${name}" but has no such data node`);
        }
        return { host: node.announceHost, port: node.port };
    };
    if (topology.kind === "cluster") {
        return topology.shards.map((shard) => [shard.primary, ...shard.replicas].map(address));
    }
    return [topology.dataNodes.map((node) => ({ host: node.announceHost, port: node.port }))];
}

/** The `BACKUP_TARGET` value of a target: `s3://bucket/prefix` or the directory. */
export function backupTargetUrl(target: BackupTarget): string {
    if (target.kind === "dir") {
        if (!target.path.startsWith("/") || /\s/.test(target.path)) {
            throw new Error(`backup directory "${target.path}": must be an absolute path without spaces`);
        }
        return target.path;
    }
    if (!BUCKET.test(target.bucket)) {
        throw new Error(`backup bucket "${target.bucket}": must be an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-')`);
    }
    if (target.prefix !== undefined && !PREFIX.test(target.prefix)) {
        throw new Error(`backup prefix "${target.prefix}": must be path segments of A-Z a-z 0-9 . _ - joined by '/', no leading or trailing '/'`);
    }
    return target.prefix === undefined ? `s3://${target.bucket}` : `s3://${target.bucket}/${target.prefix}`;
}

/**
 * The environment of `redis-backup.sh`.
 *
 * @throws Error naming the value when the deployment name, a node address, the target, the Pushgateway URL
 *   or a number is not one the script accepts
 */
export function backupScriptEnv(input: BackupEnvInput): ScriptEnv {
    if (!DEPLOYMENT.test(input.deployment)) {
        throw new Error(`backup deployment "${input.deployment}": must hold only A-Z a-z 0-9 . _ -`);
    }
    if (input.shards.length === 0 || input.shards.some((group) => group.length === 0)) {
        throw new Error(`backup of ${input.deployment}: every shard needs at least one node`);
    }
    for (const node of input.shards.flat()) {
        if (!/^[A-Za-z0-9.-]+$/.test(node.host) || !Number.isInteger(node.port) || node.port < 1 || node.port > 65535) {
            throw new Error(`backup of ${input.deployment}: node address "${node.host}:${node.port}" is not host:port`);
        }
    }
    if (input.pushgatewayUrl !== undefined && !/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?\/?$/.test(input.pushgatewayUrl)) {
        throw new Error(`Pushgateway URL "${input.pushgatewayUrl}": must be http(s)://host[:port]`);
    }
    for (const [key, value] of [
        ["retentionDays", input.retentionDays],
        ["timeoutSeconds", input.timeoutSeconds],
    ] as const) {
        if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
            throw new Error(`backup ${key} = ${value}: must be a positive whole number`);
        }
    }
    const env: ScriptEnv = {
        BACKUP_DEPLOYMENT: input.deployment,
        BACKUP_SHARDS: input.shards.map((group) => group.map((node) => `${node.host}:${node.port}`).join(",")).join(" "),
        BACKUP_TARGET: backupTargetUrl(input.target),
        REDIS_PASSWORD_DIR: input.passwordDir,
        REDIS_TLS: input.tls.enabled ? "yes" : "no",
        BACKUP_TIMEOUT: String(input.timeoutSeconds ?? 3600),
    };
    if (input.tls.enabled) {
        if (input.tlsPaths === undefined) {
            throw new Error(`backup of ${input.deployment}: TLS is on, so tlsPaths (CA and client certificate) are required`);
        }
        env.REDIS_TLS_CA_FILE = input.tlsPaths.caFile;
        env.REDIS_TLS_CLIENT_CERT_FILE = input.tlsPaths.clientCertFile;
        env.REDIS_TLS_CLIENT_KEY_FILE = input.tlsPaths.clientKeyFile;
    }
    if (input.target.kind === "s3") {
        env.BACKUP_S3_SSE = input.target.sse ?? "aws:kms";
        if (input.target.kmsKeyId !== undefined) {
            env.BACKUP_KMS_KEY_ID = input.target.kmsKeyId;
        }
        if (input.target.endpoint !== undefined) {
            env.BACKUP_S3_ENDPOINT = input.target.endpoint;
        }
    }
    if (input.pushgatewayUrl !== undefined) {
        env.BACKUP_PUSHGATEWAY_URL = input.pushgatewayUrl;
    }
    if (input.retentionDays !== undefined && input.target.kind === "dir") {
        env.BACKUP_RETENTION_DAYS = String(input.retentionDays);
    }
    if (input.workDir !== undefined) {
        env.BACKUP_WORK_DIR = input.workDir;
    }
    return env;
}

/** What {@link restoreScriptEnv} needs beyond the backup's location. */
export interface RestoreEnvInput {
    deployment: string;
    target: BackupTarget;
    /** The backup to restore, such as `20260102T030405Z`. @default "latest" */
    backupId?: string;
    /** The shard to restore (cluster: the shard index). @default 0 */
    shard?: number;
    /** The stopped node's data directory. */
    dataDir: string;
    /** The node's rendered config, read for `appendonly`, `dbfilename` and the AOF names. */
    configFile?: string;
    /** The node's port, checked to be closed before anything is touched. */
    port?: number;
    tls: { enabled: boolean };
}

/**
 * The environment of `redis-restore.sh`.
 *
 * @throws Error when the backup id or shard is not one the backup script writes
 */
export function restoreScriptEnv(input: RestoreEnvInput): ScriptEnv {
    if (input.backupId !== undefined && input.backupId !== "latest" && !/^[0-9]{8}T[0-9]{6}Z$/.test(input.backupId)) {
        throw new Error(`backup id "${input.backupId}": must be "latest" or an id such as 20260102T030405Z`);
    }
    if (input.shard !== undefined && (!Number.isInteger(input.shard) || input.shard < 0)) {
        throw new Error(`restore shard ${input.shard}: must be a shard index from 0`);
    }
    const env: ScriptEnv = {
        BACKUP_DEPLOYMENT: input.deployment,
        BACKUP_TARGET: backupTargetUrl(input.target),
        BACKUP_ID: input.backupId ?? "latest",
        BACKUP_SHARD: String(input.shard ?? 0),
        REDIS_DATA_DIR: input.dataDir,
        REDIS_TLS: input.tls.enabled ? "yes" : "no",
    };
    if (input.configFile !== undefined) {
        env.REDIS_CONF_FILE = input.configFile;
    }
    if (input.port !== undefined) {
        env.REDIS_PORT = String(input.port);
    }
    if (input.target.kind === "s3" && input.target.endpoint !== undefined) {
        env.BACKUP_S3_ENDPOINT = input.target.endpoint;
    }
    return env;
}
