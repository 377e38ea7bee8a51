import { memorySizeToMiB } from "../../components/redisconf/memory";
import { resolveSharedSettings, SharedSettingsArgs } from "../../components/resolveSettings";
import type { SelfHostedRedisArgs } from "../../components/selfhosted/args";
import { selfHostedConfig } from "../../components/selfhosted/settings";
import type { RedisSettings, SelfHostedSettings } from "../../components/settings";
import { proxyArgsOf } from "./proxy";
import type { ParsedStackConfig } from "./schema";
import type { SecretConfigKey } from "./secretKeys";

export { DEFAULT_MAX_MEMORY_SHARE } from "../../components/selfhosted/settings";

/** The self-hosted section with every size decided. */
export type ResolvedSelfHosted = SelfHostedSettings;

/**
 * Stack config with every default decided, by the library's own resolvers: what the tools consume, and
 * what `redisArgsFor` turns into the library's args.
 */
export interface ResolvedStackConfig extends RedisSettings {
    backend: ParsedStackConfig["backend"];
    selfhosted: ResolvedSelfHosted | undefined;
    elasticache: ParsedStackConfig["elasticache"];
    upstash: ParsedStackConfig["upstash"];
    /** The secret keys this stack has set. Their values are read only as Pulumi secrets. */
    secretKeys: SecretConfigKey[];
}

/** The shared settings args a parsed config states. */
function sharedArgs(parsed: ParsedStackConfig): SharedSettingsArgs {
    return {
        environment: parsed.environment,
        profile: parsed.profile,
        engine: parsed.engine,
        evictionPolicy: parsed.memory.evictionPolicy,
        persistence: parsed.persistence,
        tls: parsed.tls,
        acl: parsed.acl,
        monitoring: parsed.monitoring,
        backup: parsed.backup,
        protect: parsed.protect,
    };
}

/** The `SelfHostedRedis` args of a parsed `redis:selfhosted` section (sizes in MiB). */
export function selfHostedArgsOf(parsed: ParsedStackConfig & { selfhosted: NonNullable<ParsedStackConfig["selfhosted"]> }): SelfHostedRedisArgs {
    const section = parsed.selfhosted;
    return {
        ...sharedArgs(parsed),
        ...section,
        resources: { cpu: section.resources.cpu, memoryMiB: memorySizeToMiB(section.resources.memory) },
        storage: { sizeMiB: memorySizeToMiB(section.storage.size), className: section.storage.className },
        ...(section.proxy === undefined ? {} : { proxy: proxyArgsOf(section.proxy) }),
        maxmemoryMiB: parsed.memory.maxmemory ? memorySizeToMiB(parsed.memory.maxmemory) : undefined,
    };
}

/**
 * Applies the defaults that depend on other keys, through the library's resolvers (`selfHostedConfig`,
 * `resolveSharedSettings`): the engine per backend, eviction and persistence per workload profile,
 * `maxmemory` from the memory limit, sizes per topology, protection per environment. Call only on config
 * that passed validation.
 */
export function resolveStackConfig(stack: string, parsed: ParsedStackConfig, secretKeys: SecretConfigKey[]): ResolvedStackConfig {
    const sections = { elasticache: parsed.elasticache, upstash: parsed.upstash, secretKeys };
    if (parsed.selfhosted !== undefined) {
        return { ...selfHostedConfig(selfHostedArgsOf({ ...parsed, selfhosted: parsed.selfhosted }), stack), ...sections };
    }
    return { ...resolveSharedSettings(parsed.backend, stack, sharedArgs(parsed)), maxmemoryMiB: undefined, selfhosted: undefined, ...sections };
}
