import type { RedisSecrets } from "../secrets";
import type { AclUserSettings, AclSettings, BackupSettings, Environment, MonitoringSettings, SelfHostedSettings, TlsSettings } from "../settings";
import type { EngineName } from "../redisconf/engines";
import type { AppendFsync, EvictionPolicy, PersistenceMode, WorkloadProfile } from "../redisconf/profiles";

/**
 * Arguments of `SelfHostedRedis`. Plain values: every one of them is rendered into `redis.conf`,
 * `sentinel.conf`, scripts, certificate names or manifests before any resource exists, and the topology
 * decides how many resources there are. Secrets are `pulumi.Input`. The Docker or Kubernetes provider comes
 * from the resource options (`providers` / `provider`), so a cluster created in the same program works.
 */
export interface SelfHostedRedisArgs {
    /** One node, a primary with replicas and sentinels, or a Redis Cluster. */
    topology: "standalone" | "sentinel" | "cluster";
    /** Where the nodes run: containers on a Docker engine (dev) or StatefulSets on Kubernetes (prod). */
    platform: "docker" | "kubernetes";
    /** Replicas of the primary (sentinel). @default 2 with sentinel, 0 otherwise */
    replicas?: number;
    /** Sentinel processes, odd. @default 3 with sentinel */
    sentinels?: number;
    /** Cluster primaries. @default 3 with cluster */
    shards?: number;
    /** Replicas per cluster primary. @default 1 with cluster */
    replicasPerShard?: number;
    /** `fast` detects failures sooner at the risk of false failovers. @default "standard" */
    failover?: "standard" | "fast";
    /** CPU and memory limit of each data node. @default { cpu: "1", memoryMiB: 1024 } */
    resources?: { cpu?: string; memoryMiB?: number };
    /** Volume of each data node. @default { sizeMiB: 10240 } */
    storage?: { sizeMiB?: number; className?: string };
    /** Docker platform settings. @default { publishAddress: "127.0.0.1", basePort: 7000 } */
    docker?: Partial<SelfHostedSettings["docker"]>;
    /** Kubernetes platform settings. @default namespace "redis" (created), monitoring namespace "monitoring", domain "cluster.local" */
    kubernetes?: Partial<SelfHostedSettings["kubernetes"]>;

    /** Decides protection and the prod-only checks. @default "dev" */
    environment?: Environment;
    /** The workload profile: eviction and persistence follow it. @default "cache" */
    profile?: WorkloadProfile;
    /** @default { name: "redis", version: "7.2" } */
    engine?: { name?: EngineName; version?: string };
    /** @default the profile's policy */
    evictionPolicy?: EvictionPolicy;
    /** @default the profile's persistence */
    persistence?: { mode?: PersistenceMode; appendfsync?: AppendFsync };
    /** `maxmemory` in MiB. @default 75% of `resources.memoryMiB` */
    maxmemoryMiB?: number;
    /** @default TLS on, certificates valid 365 days (see `DEFAULT_TLS`) */
    tls?: Partial<TlsSettings>;
    /** @default one user `app` (see `DEFAULT_ACL`) */
    acl?: { users?: (Pick<AclUserSettings, "name" | "role"> & Partial<AclUserSettings>)[]; passwordLength?: number; rotation?: AclSettings["rotation"] };
    /** @default bundled Prometheus and Alertmanager (see `DEFAULT_MONITORING`) */
    monitoring?: Partial<MonitoringSettings>;
    /** @default every 6 hours, kept 14 days (see `DEFAULT_BACKUP`) */
    backup?: Partial<BackupSettings>;
    /** Protects data-bearing resources from deletion. @default true in prod */
    protect?: boolean;
    /** Alert receivers' secrets (`slackWebhookUrl`, `smtpPassword`, ...). @default {} */
    secrets?: RedisSecrets;
    /** Makes Docker object names unique per stack. @default the Pulumi stack name */
    stack?: string;
}
