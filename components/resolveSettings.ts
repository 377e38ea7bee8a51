import { DEFAULT_ACL, DEFAULT_BACKUP, DEFAULT_MONITORING, DEFAULT_TLS } from "./defaults";
import { EngineName, resolveEngine } from "./redisconf/engines";
import { AppendFsync, EvictionPolicy, PersistenceMode, PROFILE_DEFAULTS, WorkloadProfile } from "./redisconf/profiles";
import type { AclUserSettings, AclSettings, Backend, BackupSettings, Environment, MonitoringSettings, RedisSettings, TlsSettings } from "./settings";

/** The settings args every backend shares, each optional. Pure: no Pulumi. */
export interface SharedSettingsArgs {
    /** Decides protection and the prod-only checks. @default "dev" */
    environment?: Environment;
    /** The workload profile: eviction and persistence follow it. @default "cache" */
    profile?: WorkloadProfile;
    /** @default the backend's engine (`DEFAULT_ENGINE`): Redis 7.2 self-hosted, Valkey 8.0 on ElastiCache */
    engine?: { name?: EngineName; version?: string };
    /** @default the profile's policy */
    evictionPolicy?: EvictionPolicy;
    /** @default the profile's persistence */
    persistence?: { mode?: PersistenceMode; appendfsync?: AppendFsync };
    /** @default TLS on, certificates valid 365 days (`DEFAULT_TLS`) */
    tls?: Partial<TlsSettings>;
    /** @default one user `app` with every key and channel (`DEFAULT_ACL`) */
    acl?: { users?: (Pick<AclUserSettings, "name" | "role"> & Partial<AclUserSettings>)[]; passwordLength?: number; rotation?: AclSettings["rotation"] };
    /** @default bundled Prometheus and Alertmanager, no receiver (`DEFAULT_MONITORING`) */
    monitoring?: Partial<MonitoringSettings>;
    /** @default every 6 hours, kept 14 days (`DEFAULT_BACKUP`) */
    backup?: Partial<BackupSettings>;
    /** Protects data-bearing resources from deletion. @default true in prod */
    protect?: boolean;
}

/** `value` without its `undefined` properties, so spreading it over defaults keeps the defaults. */
export function definedOnly<T extends object>(value: T | undefined): Partial<T> {
    return Object.fromEntries(Object.entries(value ?? {}).filter(([, item]) => item !== undefined)) as Partial<T>;
}

/**
 * Applies the defaults that depend on other settings: the engine per backend, eviction and persistence per
 * workload profile, protection per environment, and the library defaults of each group.
 *
 * @param backend decides the default engine (Upstash runs its own: `engine` is `undefined`)
 * @param stack the stack name, for names unique per stack
 */
export function resolveSharedSettings(backend: Backend, stack: string, args: SharedSettingsArgs): Omit<RedisSettings, "maxmemoryMiB"> {
    const environment = args.environment ?? "dev";
    const profile = args.profile ?? "cache";
    const defaults = PROFILE_DEFAULTS[profile];
    const acl = definedOnly(args.acl);
    return {
        stack,
        backend,
        environment,
        profile,
        engine: backend === "upstash" ? undefined : resolveEngine(backend, args.engine),
        evictionPolicy: args.evictionPolicy ?? defaults.evictionPolicy,
        persistence: { mode: args.persistence?.mode ?? defaults.persistence, appendfsync: args.persistence?.appendfsync ?? defaults.appendfsync },
        tls: { ...DEFAULT_TLS, ...definedOnly(args.tls) },
        acl: {
            ...DEFAULT_ACL,
            ...acl,
            users: acl.users ? acl.users.map((user) => ({ keys: ["*"], channels: [], ...definedOnly(user) }) as AclUserSettings) : DEFAULT_ACL.users,
        },
        monitoring: { ...DEFAULT_MONITORING, ...definedOnly(args.monitoring) },
        backup: { ...DEFAULT_BACKUP, ...definedOnly(args.backup) },
        protect: args.protect ?? environment === "prod",
    };
}
