import type { EvictionPolicy } from "../redisconf/profiles";

/** Parameters this project sets itself, and the config key that decides each. */
export const MANAGED_PARAMETERS: Readonly<Record<string, string>> = {
    "cluster-enabled": "redis:elasticache.clusterMode",
    "maxmemory-policy": "redis:memory.evictionPolicy (or the workload profile)",
};

/** One parameter of a parameter group. */
export interface CacheParameter {
    name: string;
    value: string;
}

/**
 * The parameters of the replication group's parameter group: cluster mode and eviction from the stack, then
 * the stack's own overrides, sorted by name so the list never reorders between previews.
 */
export function parameterGroupParameters(clusterMode: boolean, evictionPolicy: EvictionPolicy, overrides: Readonly<Record<string, string>>): CacheParameter[] {
    const values: Record<string, string> = { ...overrides, "cluster-enabled": clusterMode ? "yes" : "no", "maxmemory-policy": evictionPolicy };
    return Object.keys(values)
        .sort()
        .map((name) => ({ name, value: values[name] }));
}
