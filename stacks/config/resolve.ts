import { DEFAULT_ENGINE, EngineName } from "../../components/redisconf/engines";
import { memorySizeToMiB } from "../../components/redisconf/memory";
import { AppendFsync, EvictionPolicy, PersistenceMode, PROFILE_DEFAULTS } from "../../components/redisconf/profiles";
import type { ParsedStackConfig } from "./schema";
import type { SecretConfigKey } from "./secretKeys";

/** The share of the memory limit `maxmemory` gets when the stack does not set it. */
export const DEFAULT_MAX_MEMORY_SHARE = 0.75;

/** The self-hosted section with every size decided. */
export interface ResolvedSelfHosted {
    topology: "standalone" | "sentinel" | "cluster";
    platform: "docker" | "kubernetes";
    /** Replicas of the primary (standalone: 0; sentinel: at least 1). Cluster mode uses `replicasPerShard`. */
    replicas: number;
    /** Sentinel processes (sentinel topology only, else 0). */
    sentinels: number;
    /** Primaries in cluster mode (else 0). */
    shards: number;
    /** Replicas of each cluster primary (else 0). */
    replicasPerShard: number;
    /** Failure-detection timing: `standard` avoids false failovers, `fast` recovers sooner. */
    failover: "standard" | "fast";
    resources: { cpu: string; memoryMiB: number };
    storage: { sizeMiB: number; className?: string };
    docker: { publishAddress: string; basePort: number };
    kubernetes: {
        namespace: string;
        createNamespace: boolean;
        priorityClassName?: string;
        clientNamespaces: string[];
        clientPodLabels: Record<string, string>;
        monitoringNamespace: string;
        /** The cluster's DNS domain, which pod and Service names end with. */
        clusterDomain: string;
        /** `net.core.somaxconn` set through pod sysctls; unset leaves the node's value (the sysctl is unsafe by default). */
        somaxconn?: number;
    };
}

/** Stack config with every default decided: what the program and components consume. */
export interface ResolvedStackConfig {
    /** The Pulumi stack name. */
    stack: string;
    backend: ParsedStackConfig["backend"];
    environment: ParsedStackConfig["environment"];
    profile: ParsedStackConfig["profile"];
    /** The engine and version, or `undefined` for Upstash, which runs its own. */
    engine: { name: EngineName; version: string } | undefined;
    evictionPolicy: EvictionPolicy;
    persistence: { mode: PersistenceMode; appendfsync: AppendFsync };
    /** `maxmemory` in MiB for self-hosted nodes; managed backends size memory by node type. */
    maxmemoryMiB: number | undefined;
    tls: ParsedStackConfig["tls"];
    acl: ParsedStackConfig["acl"];
    selfhosted: ResolvedSelfHosted | undefined;
    elasticache: ParsedStackConfig["elasticache"];
    upstash: ParsedStackConfig["upstash"];
    monitoring: ParsedStackConfig["monitoring"];
    backup: ParsedStackConfig["backup"];
    /** Whether data-bearing resources are protected from deletion (default: prod stacks only). */
    protect: boolean;
    /** The secret keys this stack has set. Their values are read only as Pulumi secrets. */
    secretKeys: SecretConfigKey[];
}

function resolveSelfHosted(section: NonNullable<ParsedStackConfig["selfhosted"]>): ResolvedSelfHosted {
    const { topology } = section;
    return {
        topology,
        platform: section.platform,
        replicas: topology === "sentinel" ? (section.replicas ?? 2) : 0,
        sentinels: topology === "sentinel" ? (section.sentinels ?? 3) : 0,
        shards: topology === "cluster" ? (section.shards ?? 3) : 0,
        replicasPerShard: topology === "cluster" ? (section.replicasPerShard ?? 1) : 0,
        failover: section.failover,
        resources: { cpu: section.resources.cpu, memoryMiB: memorySizeToMiB(section.resources.memory) },
        storage: { sizeMiB: memorySizeToMiB(section.storage.size), className: section.storage.className },
        docker: { publishAddress: section.docker?.publishAddress ?? "127.0.0.1", basePort: section.docker?.basePort ?? 7000 },
        kubernetes: {
            namespace: section.kubernetes?.namespace ?? "redis",
            createNamespace: section.kubernetes?.createNamespace ?? true,
            priorityClassName: section.kubernetes?.priorityClassName,
            clientNamespaces: section.kubernetes?.clientNamespaces ?? [],
            clientPodLabels: section.kubernetes?.clientPodLabels ?? { "redis-client": "true" },
            monitoringNamespace: section.kubernetes?.monitoringNamespace ?? "monitoring",
            clusterDomain: section.kubernetes?.clusterDomain ?? "cluster.local",
            somaxconn: section.kubernetes?.somaxconn,
        },
    };
}

/**
 * Applies the defaults that depend on other keys: the engine per backend, eviction and persistence per
 * workload profile, `maxmemory` from the memory limit, sizes per topology, protection per environment.
 * Call only on config that passed validation.
 */
export function resolveStackConfig(stack: string, parsed: ParsedStackConfig, secretKeys: SecretConfigKey[]): ResolvedStackConfig {
    const profile = PROFILE_DEFAULTS[parsed.profile];
    const persistenceMode = parsed.persistence.mode ?? profile.persistence;
    const selfhosted = parsed.selfhosted ? resolveSelfHosted(parsed.selfhosted) : undefined;
    const engine =
        parsed.backend === "upstash"
            ? undefined
            : {
                  name: parsed.engine.name ?? DEFAULT_ENGINE[parsed.backend].name,
                  version: parsed.engine.version ?? DEFAULT_ENGINE[parsed.backend].version,
              };
    return {
        stack,
        backend: parsed.backend,
        environment: parsed.environment,
        profile: parsed.profile,
        engine,
        evictionPolicy: parsed.memory.evictionPolicy ?? profile.evictionPolicy,
        persistence: { mode: persistenceMode, appendfsync: parsed.persistence.appendfsync ?? profile.appendfsync },
        maxmemoryMiB: selfhosted
            ? parsed.memory.maxmemory
                ? memorySizeToMiB(parsed.memory.maxmemory)
                : Math.floor(selfhosted.resources.memoryMiB * DEFAULT_MAX_MEMORY_SHARE)
            : undefined,
        tls: parsed.tls,
        acl: parsed.acl,
        selfhosted,
        elasticache: parsed.elasticache,
        upstash: parsed.upstash,
        monitoring: parsed.monitoring,
        backup: parsed.backup,
        protect: parsed.protect ?? parsed.environment === "prod",
        secretKeys,
    };
}
