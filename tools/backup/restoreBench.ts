import * as path from "node:path";
import { backupScriptEnv, backupShards, restoreScriptEnv } from "../../components/redisconf/scripts/backupEnv";
import { asDeploymentConfig, localStackConfig } from "../harness/config";
import { LocalDeployment } from "../harness/localDeployment";
import { datasetDigest, DatasetDigest, writeDataset } from "./dataset";
import { BackupScripts } from "./scripts";

/**
 * The restore benchmark: N keys of varied types on a local TLS standalone node, backed up with the rendered
 * `redis-backup.sh` to a directory, restored with `redis-restore.sh` into a fresh stopped node, which is
 * started and compared key by key.
 */

/** What the benchmark measured. */
export interface RestoreBenchResult {
    bench: "restore";
    keys: number;
    /** Wall-clock seconds of `redis-backup.sh` (dump, check, compress, checksum, store). */
    backup_s: number;
    /** Wall-clock seconds from running `redis-restore.sh` on the stopped node until the node is healthy with the data loaded. */
    restore_s: number;
    /** Seconds of `redis-restore.sh` alone (fetch, checksum, decompress, check, install). */
    restore_script_s: number;
    /** Size of the stored (compressed) backup. */
    bytes: number;
    digest_match: boolean;
}

/** Options of {@link runRestoreBench}. */
export interface RestoreBenchOptions {
    /** @default 1000000 */
    keys?: number;
    progress?: (message: string) => void;
}

/** The memory limit the bench's nodes get, so a million keys fit with room for the fork. */
const BENCH_MAXMEMORY_MIB = 4096;

async function startNode(): Promise<LocalDeployment> {
    const config = { ...asDeploymentConfig(localStackConfig({ topology: "standalone", profile: "session", persistence: "rdb" })), maxmemoryMiB: BENCH_MAXMEMORY_MIB };
    return LocalDeployment.start({ config });
}

async function digestOf(deployment: LocalDeployment): Promise<DatasetDigest> {
    const client = deployment.client("redis-0", "admin");
    await client.connect();
    try {
        return await datasetDigest(client);
    } finally {
        client.disconnect();
    }
}

/** Runs the benchmark; every process it starts is stopped before it returns or throws. */
export async function runRestoreBench(options: RestoreBenchOptions = {}): Promise<RestoreBenchResult> {
    const keys = options.keys ?? 1_000_000;
    const progress = options.progress ?? (() => undefined);
    const started: LocalDeployment[] = [];
    let scripts: BackupScripts | undefined;
    try {
        progress("starting the source node (TLS, standalone)");
        const source = await startNode();
        started.push(source);
        const client = source.client("redis-0", "admin");
        await client.connect();
        let shown = 0;
        await writeDataset(client, keys, 1000, (written) => {
            if (written - shown >= keys / 10 || written === keys) {
                shown = written;
                progress(`wrote ${written} of ${keys} keys`);
            }
        });
        client.disconnect();
        progress("reading the source's digest");
        const expected = await digestOf(source);
        scripts = new BackupScripts(source.root);
        const target = { kind: "dir" as const, path: path.join(source.root, "backups") };
        progress("running redis-backup.sh");
        const backup = await scripts.backup(
            backupScriptEnv({ deployment: "bench", shards: backupShards(source.rendered.topology), target, tls: { enabled: true }, passwordDir: source.passwordDir, tlsPaths: source.certs }),
        );
        if (backup.code !== 0) {
            throw new Error(`redis-backup.sh exited with ${backup.code}:\n${backup.log}`);
        }
        const bytes = Number(/\((\d+) bytes\)/.exec(backup.log)?.[1] ?? NaN);
        progress(`backup: ${backup.seconds.toFixed(2)} s, ${bytes} bytes; starting the fresh node`);
        const fresh = await startNode();
        started.push(fresh);
        const node = fresh.node("redis-0");
        await fresh.stopNode("redis-0");
        progress("running redis-restore.sh into the stopped fresh node, then starting it");
        const restoreStarted = process.hrtime.bigint();
        const restore = await scripts.restore(
            restoreScriptEnv({ deployment: "bench", target, dataDir: node.paths.dataDir, configFile: node.paths.configFile, port: node.node.port, tls: { enabled: true } }),
        );
        if (restore.code !== 0) {
            throw new Error(`redis-restore.sh exited with ${restore.code}:\n${restore.log}`);
        }
        fresh.startNode("redis-0");
        await fresh.waitHealthy(600_000);
        const restoreSeconds = Number(process.hrtime.bigint() - restoreStarted) / 1e9;
        progress(`restore: ${restoreSeconds.toFixed(2)} s; comparing every key`);
        const actual = await digestOf(fresh);
        return {
            bench: "restore",
            keys,
            backup_s: Number(backup.seconds.toFixed(3)),
            restore_s: Number(restoreSeconds.toFixed(3)),
            restore_script_s: Number(restore.seconds.toFixed(3)),
            bytes,
            digest_match: actual.keys === expected.keys && actual.digest === expected.digest,
        };
    } finally {
        await scripts?.dispose();
        for (const deployment of started) {
            await deployment.destroy();
        }
    }
}
