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
        redis: ["7.0", "7.2", "7.4"],
        valkey: ["7.2", "8.0", "8.1"],
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
 * Whether an engine has a feature that Redis introduced in `redisVersion`. Valkey forked from Redis 7.2.4, so
 * every Valkey release has what Redis 7.2 and older have, and none of what came to Redis later.
 */
export function engineAtLeast(engine: { name: EngineName; version: string }, redisVersion: string): boolean {
    if (engine.name === "redis") {
        return compareVersions(engine.version, redisVersion) >= 0;
    }
    return compareVersions(redisVersion, "7.2") <= 0;
}
