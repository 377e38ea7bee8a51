import { compareVersions, EngineName, SUPPORTED_ENGINE_VERSIONS } from "./engines";
import type { ScriptEnv } from "./scripts/env";
import { switchoverEnvFor } from "./scripts/switchover";
import type { Topology } from "./topology";

/**
 * Which engine changes a running self-hosted deployment can take by a rolling upgrade, as a pure function of
 * the deployed and the wanted engine. The rule underneath is the one every engine documents: a node can load
 * an RDB file (from disk, or streamed by a primary in a full sync) only in a format it knows, and no release
 * writes an older format than its own. So a rolling upgrade works when the new engine reads what the old one
 * writes (new replicas first, then a switchover, then the old primary), and a rollback after the new engine
 * wrote data is a restore from a backup.
 *
 * Sources (2024-2026):
 * - RDB formats: Redis 7.0 writes RDB 10, 7.2 RDB 11 (a 7.0 replica of 7.2 fails with "Can't handle RDB format
 *   version 11", apecloud/ape-dts#67), 7.4 and 8.x RDB 12 (redis/redis#14064: 7.2 cannot load 7.4's files).
 * - Valkey 7.2 is Redis 7.2.4; Valkey 8.0 and 8.1 moved back to RDB 11 to stay loadable by Redis 7.2.4
 *   (valkey-io/valkey#665); Valkey 9 writes RDB 80 (valkey-io/valkey#2917).
 * - Valkey reads Redis 7.2 and older; Redis CE 7.4 and later write files Valkey cannot load
 *   (valkey.io/topics/migration, valkey-io/valkey#845, valkey-io/valkey-doc#419).
 * - Loading Valkey files into Redis is guaranteed by neither project (valkey-io/valkey#645), and downgrading
 *   RDB "is never supported in the Redis world" (same thread).
 */

/** An engine and its `major.minor` version. */
export interface EngineVersion {
    name: EngineName;
    version: string;
}

/** What a change of `redis:engine` means for a running deployment. */
export type EngineUpgradePlan =
    | { kind: "unchanged" }
    /** Replicas first, then a switchover to an upgraded replica, then the old primary. */
    | { kind: "rolling"; from: EngineVersion; to: EngineVersion }
    | { kind: "refused"; from: EngineVersion; to: EngineVersion; reason: string };

/** `redis 7.2`, `valkey 8.1`. */
export function engineLabel(engine: EngineVersion): string {
    return `${engine.name} ${engine.version}`;
}

/**
 * The RDB format version an engine writes. Redis releases after 8.x are assumed to keep writing RDB 12 or a
 * newer one, which is all the rules below need to know.
 */
export function rdbFormatWritten(engine: EngineVersion): number {
    if (engine.name === "valkey") {
        return compareVersions(engine.version, "9.0") >= 0 ? 80 : 11;
    }
    if (compareVersions(engine.version, "7.0") < 0) {
        return 9;
    }
    if (compareVersions(engine.version, "7.2") < 0) {
        return 10;
    }
    return compareVersions(engine.version, "7.4") < 0 ? 11 : 12;
}

/**
 * Whether `reader` can load the RDB files `writer` writes: an engine reads its own family's formats up to its
 * own; Valkey also reads Redis's up to RDB 11 (Redis 7.2); Redis reads no Valkey files.
 */
export function readsDataOf(reader: EngineVersion, writer: EngineVersion): boolean {
    if (reader.name === writer.name) {
        return rdbFormatWritten(writer) <= rdbFormatWritten(reader);
    }
    return reader.name === "valkey" && rdbFormatWritten(writer) <= 11;
}

/**
 * Decides what changing the engine from `from` (what the nodes run) to `to` (the stack config) does. Pure.
 *
 * - The same engine and version: nothing to do.
 * - An older version of the same engine: refused (a downgrade; the older engine may not read the files the
 *   newer one wrote, and neither project supports it).
 * - Valkey to Redis: refused (no project supports loading Valkey files into Redis).
 * - Otherwise a rolling upgrade when `to` reads what `from` writes (Redis 7.0/7.2 to Valkey, any newer
 *   release of the same engine), refused when it does not (Redis 7.4 or 8.x to Valkey).
 */
export function engineUpgradePlan(from: EngineVersion, to: EngineVersion): EngineUpgradePlan {
    if (from.name === to.name && compareVersions(from.version, to.version) === 0) {
        return { kind: "unchanged" };
    }
    const refuse = (reason: string): EngineUpgradePlan => ({ kind: "refused", from, to, reason });
    if (from.name === to.name && compareVersions(to.version, from.version) < 0) {
        return refuse(`${engineLabel(to)} is older than the deployed ${engineLabel(from)}: downgrades are refused, since an older engine may not load what a newer one wrote; restore a backup taken before the upgrade instead (docs/runbooks/engine-upgrade.md)`);
    }
    if (from.name === "valkey" && to.name === "redis") {
        return refuse(`Valkey to Redis is supported by neither project (Redis does not load Valkey's files): migrate the data with a logical copy into a new deployment instead`);
    }
    if (!readsDataOf(to, from)) {
        return refuse(
            `${engineLabel(to)} cannot load the RDB ${rdbFormatWritten(from)} files ${engineLabel(from)} writes (Valkey reads Redis data up to 7.2): a rolling upgrade would leave every upgraded replica unable to sync; migrate with a logical copy into a new deployment instead`,
        );
    }
    return { kind: "rolling", from, to };
}

/**
 * The engines, among `candidates`, that a deployment may run when its config asks for `to`: those a rolling
 * upgrade to `to` accepts, and `to` itself. The pre-flight check in the cluster compares what each live node
 * runs against this list. Pure.
 */
export function enginesAllowedBefore(to: EngineVersion, candidates: readonly EngineVersion[]): EngineVersion[] {
    return candidates.filter((from) => engineUpgradePlan(from, to).kind !== "refused");
}

/** Every engine and version the self-hosted backend deploys. */
function selfHostedEngines(): EngineVersion[] {
    return (Object.entries(SUPPORTED_ENGINE_VERSIONS.selfhosted) as [EngineName, readonly string[]][]).flatMap(([name, versions]) => versions.map((version) => ({ name, version })));
}

/** `name:major.minor`, the way `redis-switchover.sh` names what a node runs. */
function engineWord(engine: EngineVersion): string {
    return `${engine.name}:${engine.version}`;
}

/**
 * The nodes that must be primaries before the data nodes roll onto a new engine: the lowest ordinal of each
 * group (`redis-0` in Sentinel, each shard's first node in a cluster). A StatefulSet replaces pods from the
 * highest ordinal down, so every replica then runs the new engine before its primary hands over to one of
 * them in its preStop; no replica on the old engine ever has to load a newer primary's data. Pure.
 */
export function upgradePrimaries(topology: Topology): string[] {
    return topology.kind === "cluster" ? topology.shards.map((shard) => shard.primary) : topology.dataNodes.slice(0, 1).map((node) => node.name);
}

/**
 * The environment of the engine upgrade's pre-flight run of `redis-switchover.sh`: the nodes that must be
 * primaries ({@link upgradePrimaries}), the engines the live nodes may run (every self-hosted engine a
 * rolling upgrade to `target` accepts), the target itself (nothing moves when every node runs it), and no
 * error before the first deployment. Pure.
 */
export function engineUpgradeEnvFor(topology: Topology, target: EngineVersion): ScriptEnv {
    const candidates = selfHostedEngines();
    const allowed = enginesAllowedBefore(target, candidates.some((engine) => engineWord(engine) === engineWord(target)) ? candidates : [...candidates, target]);
    return {
        ...switchoverEnvFor(topology, upgradePrimaries(topology)),
        REDIS_ENGINES_ALLOWED: allowed.map(engineWord).join(" "),
        REDIS_ENGINE_TARGET: engineWord(target),
        REDIS_SWITCHOVER_IF_DEPLOYED: "yes",
    };
}

/**
 * What a data node's start script needs to refuse data an engine must not take over: the configured engine
 * (`REDIS_ENGINE`, which the script records beside the data) and every engine whose data the configured one
 * refuses (`REDIS_ENGINE_REFUSES`: newer releases of the same engine, Valkey for Redis, Redis 7.4 and later
 * for Valkey), among the self-hosted engines. Pure.
 */
export function engineStartEnvFor(engine: EngineVersion): ScriptEnv {
    const refused = selfHostedEngines().filter((from) => engineUpgradePlan(from, engine).kind === "refused");
    return { REDIS_ENGINE: engineWord(engine), REDIS_ENGINE_REFUSES: refused.map(engineWord).join(" ") };
}
