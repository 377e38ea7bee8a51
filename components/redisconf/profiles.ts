/**
 * Workload profiles: what a team stores in Redis decides how it must evict and persist. A profile only sets
 * defaults; `memory.evictionPolicy` and `persistence` in stack config override them, within the limits that
 * {@link profileConflicts} enforces.
 */

/** The workloads a stack can declare. */
export type WorkloadProfile = "cache" | "session" | "queue" | "durable";

/** Every eviction policy Redis and Valkey accept for `maxmemory-policy`. */
export const EVICTION_POLICIES = [
    "noeviction",
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
] as const;

/** A `maxmemory-policy` value. */
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];

/**
 * How a node persists data: `none` keeps nothing on disk, `rdb` takes periodic snapshots, `aof` writes an
 * append-only file (with an RDB preamble, so restarts load fast) fsynced as `appendfsync` says.
 */
export type PersistenceMode = "none" | "rdb" | "aof";

/** When the append-only file is fsynced: once a second (lose at most ~1 s on power loss) or on every write. */
export type AppendFsync = "everysec" | "always";

/** The settings a profile decides. */
export interface ProfileDefaults {
    /** `maxmemory-policy`. */
    evictionPolicy: EvictionPolicy;
    /** On-disk persistence. */
    persistence: PersistenceMode;
    /** AOF fsync policy when persistence is `aof`. */
    appendfsync: AppendFsync;
    /** One line for the README and error messages: why these defaults. */
    rationale: string;
}

/**
 * The defaults per profile.
 *
 * `cache` keeps RDB snapshots rather than nothing: with no persistence at all, a primary that restarts
 * empty would be followed by its replicas and wipe them, and a warm restart is worth an occasional fork.
 */
export const PROFILE_DEFAULTS: Readonly<Record<WorkloadProfile, ProfileDefaults>> = {
    cache: {
        evictionPolicy: "allkeys-lru",
        persistence: "rdb",
        appendfsync: "everysec",
        rationale: "data can be rebuilt: evict the least recently used key of all; RDB snapshots only, for warm restarts",
    },
    session: {
        evictionPolicy: "volatile-lru",
        persistence: "aof",
        appendfsync: "everysec",
        rationale: "sessions carry TTLs: evict only keys that expire; AOF everysec so a restart keeps users logged in",
    },
    queue: {
        evictionPolicy: "noeviction",
        persistence: "aof",
        appendfsync: "everysec",
        rationale: "a job must never vanish: refuse writes when full instead of evicting; AOF everysec",
    },
    durable: {
        evictionPolicy: "noeviction",
        persistence: "aof",
        appendfsync: "always",
        rationale: "Redis as a system of record: never evict; fsync the AOF on every write",
    },
};

/**
 * Why a profile may not be combined with the given overrides, or `undefined` when it may. Queues and
 * durable data must neither be evicted nor live only in memory.
 */
export function profileConflicts(
    profile: WorkloadProfile,
    overrides: { evictionPolicy?: EvictionPolicy; persistence?: PersistenceMode },
): string | undefined {
    if (profile !== "queue" && profile !== "durable") {
        return undefined;
    }
    if (overrides.evictionPolicy !== undefined && overrides.evictionPolicy !== "noeviction") {
        return `profile "${profile}" must not evict data: use evictionPolicy "noeviction" or profile "cache" or "session"`;
    }
    if (overrides.persistence === "none" || overrides.persistence === "rdb") {
        return `profile "${profile}" needs the append-only file: use persistence "aof" or profile "cache" or "session"`;
    }
    return undefined;
}
