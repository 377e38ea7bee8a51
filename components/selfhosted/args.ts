import type { SharedSettingsArgs } from "../resolveSettings";
import type { RedisSecrets } from "../secrets";
import type { SelfHostedSettings } from "../settings";
import type { ProxyArgs } from "./proxy/settings";

/**
 * Arguments of `SelfHostedRedis`: the topology and platform, plus the settings every backend shares
 * ({@link SharedSettingsArgs}). Plain values: every one of them is rendered into `redis.conf`,
 * `sentinel.conf`, scripts, certificate names or manifests before any resource exists, and the topology
 * decides how many resources there are. Secrets are `pulumi.Input`. The Docker or Kubernetes provider comes
 * from the resource options (`providers` / `provider`), so a cluster created in the same program works.
 */
export interface SelfHostedRedisArgs extends SharedSettingsArgs {
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
    /**
     * The data node (`redis-1`) to move the primary to: setting or changing it makes `pulumi up` run
     * `redis-switchover.sh` once (a Kubernetes Job, a Docker one-shot container) after the nodes are up; it
     * does not run again until the value changes. Sentinel and cluster topologies. @default unset: no switchover
     */
    switchoverTo?: string;
    /** CPU and memory limit of each data node. @default { cpu: "1", memoryMiB: 1024 } */
    resources?: { cpu?: string; memoryMiB?: number };
    /** Volume of each data node. @default { sizeMiB: 10240 } */
    storage?: { sizeMiB?: number; className?: string };
    /** Docker platform settings. @default { publishAddress: "127.0.0.1", basePort: 7000 } */
    docker?: Partial<SelfHostedSettings["docker"]>;
    /** Kubernetes platform settings. @default namespace "redis" (created), monitoring namespace "monitoring", domain "cluster.local" */
    kubernetes?: Partial<SelfHostedSettings["kubernetes"]>;

    /**
     * One TLS endpoint in front of a cluster: an Envoy `redis_proxy` (docs/proxy.md). Cluster topology with TLS
     * only. @default off
     */
    proxy?: ProxyArgs;

    /** `maxmemory` in MiB. @default 75% of `resources.memoryMiB` */
    maxmemoryMiB?: number;
    /** Alert receivers' secrets (`slackWebhookUrl`, `smtpPassword`, ...). @default {} */
    secrets?: RedisSecrets;
    /** Makes Docker object names unique per stack. @default the Pulumi stack name */
    stack?: string;
}
