import { definedOnly, resolveSharedSettings } from "../resolveSettings";
import type { SelfHostedConfig, SelfHostedSettings } from "../settings";
import type { SelfHostedRedisArgs } from "./args";
import { resolveProxy } from "./proxy/settings";

/** The share of the memory limit `maxmemory` gets when the args do not set it. */
export const DEFAULT_MAX_MEMORY_SHARE = 0.75;

/** Each data node's limits when the args do not say. */
export const DEFAULT_RESOURCES = { cpu: "1", memoryMiB: 1024 } as const;

/** Each data node's volume when the args do not say. */
export const DEFAULT_STORAGE_MIB = 10240;

/**
 * Resolves {@link SelfHostedRedisArgs} into the settings the platforms and renderers take: sizes per
 * topology, `maxmemory` from the memory limit, and every shared default. Pure.
 *
 * @param args the component's args
 * @param stack the stack name (used when `args.stack` is not set)
 */
export function selfHostedConfig(args: SelfHostedRedisArgs, stack: string): SelfHostedConfig {
    const { topology } = args;
    const memoryMiB = args.resources?.memoryMiB ?? DEFAULT_RESOURCES.memoryMiB;
    const kubernetes = definedOnly(args.kubernetes);
    const selfhosted: SelfHostedSettings = {
        topology,
        platform: args.platform,
        replicas: topology === "sentinel" ? (args.replicas ?? 2) : 0,
        sentinels: topology === "sentinel" ? (args.sentinels ?? 3) : 0,
        shards: topology === "cluster" ? (args.shards ?? 3) : 0,
        replicasPerShard: topology === "cluster" ? (args.replicasPerShard ?? 1) : 0,
        failover: args.failover ?? "standard",
        ...(args.switchoverTo === undefined ? {} : { switchoverTo: args.switchoverTo }),
        resources: { cpu: args.resources?.cpu ?? DEFAULT_RESOURCES.cpu, memoryMiB },
        storage: { sizeMiB: args.storage?.sizeMiB ?? DEFAULT_STORAGE_MIB, className: args.storage?.className },
        docker: { publishAddress: args.docker?.publishAddress ?? "127.0.0.1", basePort: args.docker?.basePort ?? 7000 },
        kubernetes: {
            namespace: kubernetes.namespace ?? "redis",
            createNamespace: kubernetes.createNamespace ?? true,
            priorityClassName: kubernetes.priorityClassName,
            clientNamespaces: kubernetes.clientNamespaces ?? [],
            clientPodLabels: kubernetes.clientPodLabels ?? { "redis-client": "true" },
            monitoringNamespace: kubernetes.monitoringNamespace ?? "monitoring",
            clusterDomain: kubernetes.clusterDomain ?? "cluster.local",
            somaxconn: kubernetes.somaxconn,
        },
    };
    const proxy = resolveProxy(args.proxy, args.platform);
    if (proxy !== undefined) {
        selfhosted.proxy = proxy;
    }
    return {
        ...resolveSharedSettings("selfhosted", args.stack ?? stack, args),
        maxmemoryMiB: args.maxmemoryMiB ?? Math.floor(memoryMiB * DEFAULT_MAX_MEMORY_SHARE),
        selfhosted,
    };
}
