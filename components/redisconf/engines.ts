/**
 * Which engine versions each backend accepts. Versions are always `major.minor`: ElastiCache answers
 * `7.1` when asked for `7.x`, and a `6.x`-style version in config makes every preview show a diff.
 */

/** The Redis-compatible engines this project deploys. */
export type EngineName = "redis" | "valkey";

/** Backends whose engine version is chosen by this project (Upstash runs its own). */
export type VersionedBackend = "selfhosted" | "elasticache";

/** Supported `major.minor` versions, oldest first, per backend and engine. */
export const SUPPORTED_ENGINE_VERSIONS: Readonly<Record<VersionedBackend, Readonly<Record<EngineName, readonly string[]>>>> = {
    selfhosted: {
        redis: ["7.0", "7.2", "7.4", "8.0", "8.2", "8.4"],
        valkey: ["7.2", "8.0", "8.1", "9.0"],
    },
    elasticache: {
        redis: ["6.2", "7.0", "7.1"],
        valkey: ["7.2", "8.0", "8.1"],
    },
};

/** The engine a backend runs when the stack does not say. */
export const DEFAULT_ENGINE: Readonly<Record<VersionedBackend, { name: EngineName; version: string }>> = {
    selfhosted: { name: "redis", version: "7.2" },
    elasticache: { name: "valkey", version: "8.0" },
};

/**
 * The version a backend runs for an engine named without a version: the backend's default version when that
 * engine offers it, else the newest version the backend accepts for that engine (ElastiCache has no Redis 8.0).
 */
export function defaultEngineVersion(backend: VersionedBackend, engine: EngineName): string {
    const versions = supportedVersions(backend, engine);
    const preferred = DEFAULT_ENGINE[backend].version;
    return versions.includes(preferred) ? preferred : versions[versions.length - 1];
}

/** The engine a backend runs: the named engine (default the backend's) at the given or its default version. */
export function resolveEngine(backend: VersionedBackend, engine: { name?: EngineName; version?: string } | undefined): { name: EngineName; version: string } {
    const name = engine?.name ?? DEFAULT_ENGINE[backend].name;
    return { name, version: engine?.version ?? defaultEngineVersion(backend, name) };
}

/** The versions a backend accepts for an engine, newest last. */
export function supportedVersions(backend: VersionedBackend, engine: EngineName): readonly string[] {
    return SUPPORTED_ENGINE_VERSIONS[backend][engine];
}

/** Compares two `major.minor` versions numerically: negative when `a` is older than `b`. */
export function compareVersions(a: string, b: string): number {
    const [aMajor, aMinor] = a.split(".").map(Number);
    const [bMajor, bMinor] = b.split(".").map(Number);
    return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

/**
 * The first `major.minor` of each engine that has a feature the renderers decide on, or no entry when that
 * engine never has it. Each engine keeps its own line: Valkey forked from Redis 7.2.4 and has since added
 * features on its own schedule (some Redis added later too, under other versions; some only Valkey has), so a
 * Redis version says nothing about Valkey. Checked against each engine's `src/config.c`, `src/commands.def`
 * and `src/sentinel.c`, and against the binaries that could be built (README, "Engines").
 */
export const ENGINE_FEATURES = {
    /** `cluster-announce-human-nodename`: the node name in `CLUSTER NODES` and logs. */
    clusterHumanNodename: { redis: "7.2", valkey: "7.2" },
    /** `ACL LOAD` keeps the connections of users whose rules did not change (the reload sidecar relies on it). */
    aclLoadKeepsClients: { redis: "7.2", valkey: "7.2" },
    /** `hide-user-data-from-log`: keys and values never reach the log (crash reports, slow scripts, asserts). */
    hideUserDataFromLog: { redis: "7.4", valkey: "8.0" },
    /**
     * I/O threads always read and parse too, so `io-threads-do-reads` is gone as a setting: Redis 8.0's
     * asynchronous I/O threads, Valkey 8.0's I/O threads (a debug setting there, a no-op from 8.1 on).
     */
    ioThreadsAlwaysRead: { redis: "8.0", valkey: "8.0" },
    /** Valkey's own names of the replication settings (`primaryuser`, `primaryauth`); the Redis names stay aliases. */
    primaryNames: { valkey: "8.0" },
    /** Sentinel's `primary` subcommands (`GET-PRIMARY-ADDR-BY-NAME`, `PRIMARY`, `PRIMARIES`) beside the `master` ones. */
    sentinelPrimarySubcommands: { valkey: "8.0" },
    /** The command log (`commandlog-execution-slower-than`, `commandlog-slow-execution-max-len`); `slowlog-*` stay aliases. */
    commandLog: { valkey: "8.1" },
} as const satisfies Record<string, Partial<Record<EngineName, string>>>;

/** A feature the renderers decide on (see {@link ENGINE_FEATURES}). */
export type EngineFeature = keyof typeof ENGINE_FEATURES;

/** Whether an engine version has a feature: its engine has it, from that engine's first version on. */
export function engineHas(engine: { name: EngineName; version: string }, feature: EngineFeature): boolean {
    const since: string | undefined = (ENGINE_FEATURES[feature] as Partial<Record<EngineName, string>>)[engine.name];
    return since !== undefined && compareVersions(engine.version, since) >= 0;
}
