import { DEFAULT_ACL, DEFAULT_TLS } from "../defaults";
import type { ArgProblem } from "../problems";
import type { SelfHostedRedisArgs } from "./args";
import { DEFAULT_RESOURCES, DEFAULT_STORAGE_MIB } from "./settings";
import { proxyArgsProblems } from "./proxy/settings";

/** The share of a node's memory limit that `maxmemory` may take at most: forks and buffers need the rest. */
export const MAX_MEMORY_SHARE = 0.8;

/** Which topologies each size argument applies to. */
const ONLY_FOR: Record<"replicas" | "sentinels" | "shards" | "replicasPerShard", readonly string[]> = {
    replicas: ["standalone", "sentinel"],
    sentinels: ["sentinel"],
    shards: ["cluster"],
    replicasPerShard: ["cluster"],
};

/**
 * The problems of {@link SelfHostedRedisArgs} that involve more than one argument: sizes that do not fit
 * the topology, settings of the other platform, `maxmemory` above its share of the memory limit.
 * `SelfHostedRedis` and the `Redis` facade run them before `super()`; the stack files run the same checks on
 * `redis:selfhosted` (paths then start with `selfhosted`). Pure.
 */
export function selfHostedArgsProblems(args: SelfHostedRedisArgs): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const add = (path: (string | number)[], message: string) => problems.push({ path, message });
    const { topology } = args;
    for (const [key, topologies] of Object.entries(ONLY_FOR) as [keyof typeof ONLY_FOR, readonly string[]][]) {
        if (args[key] !== undefined && !topologies.includes(topology)) {
            add([key], `does not apply to topology "${topology}" (only to ${topologies.join(" or ")})`);
        }
    }
    if (topology === "standalone" && (args.replicas ?? 0) !== 0) {
        add(["replicas"], 'must be 0 with topology "standalone": use topology "sentinel" for replicas with failover');
    }
    if (topology === "sentinel" && args.replicas === 0) {
        add(["replicas"], 'must be at least 1 with topology "sentinel": failover needs a replica to promote');
    }
    if (args.sentinels !== undefined && args.sentinels % 2 === 0) {
        add(["sentinels"], "must be odd (3, 5 or 7): an even count needs the same majority as one more sentinel and tolerates no extra failure");
    }
    if (args.platform === "docker" && args.kubernetes !== undefined) {
        add(["kubernetes"], 'is set but platform is "docker": remove it or set platform to "kubernetes"');
    }
    // The default size passes: resolved settings always carry one (the stack schema refuses the same on Docker).
    if (args.platform === "docker" && ((args.storage?.sizeMiB ?? DEFAULT_STORAGE_MIB) !== DEFAULT_STORAGE_MIB || args.storage?.className !== undefined)) {
        add(["storage"], `is ${JSON.stringify(args.storage)} but platform is "docker": Docker named volumes take no size or storage class; remove it`);
    }
    if (args.platform === "kubernetes" && args.docker !== undefined) {
        add(["docker"], 'is set but platform is "kubernetes": remove it or set platform to "docker"');
    }
    problems.push(...switchoverProblems(args));
    const limitMiB = args.resources?.memoryMiB ?? DEFAULT_RESOURCES.memoryMiB;
    if (args.maxmemoryMiB !== undefined && args.maxmemoryMiB > limitMiB * MAX_MEMORY_SHARE) {
        add(["maxmemoryMiB"], `must be at most ${Math.floor(limitMiB * MAX_MEMORY_SHARE)} (MiB), ${MAX_MEMORY_SHARE * 100}% of resources.memoryMiB (${limitMiB}): forks and client buffers need the rest`);
    }
    problems.push(...proxyArgsProblems(args.proxy, { topology, platform: args.platform, tls: args.tls?.enabled ?? DEFAULT_TLS.enabled, firstUserRole: (args.acl?.users ?? DEFAULT_ACL.users)[0]?.role }));
    return problems;
}

/**
 * `switchoverTo` must name a data node the topology has (`redis-0` .. `redis-<n-1>`), and only where there is a
 * primary to move (sentinel, cluster). Pure.
 */
export function switchoverProblems(args: Pick<SelfHostedRedisArgs, "topology" | "replicas" | "shards" | "replicasPerShard" | "switchoverTo">): ArgProblem[] {
    const target = args.switchoverTo;
    if (target === undefined) {
        return [];
    }
    if (args.topology === "standalone") {
        return [{ path: ["switchoverTo"], message: 'does not apply to topology "standalone": it has one node' }];
    }
    const dataNodes = args.topology === "sentinel" ? 1 + (args.replicas ?? 2) : (args.shards ?? 3) * (1 + (args.replicasPerShard ?? 1));
    const index = /^redis-([0-9]+)$/.exec(target)?.[1];
    if (index === undefined || Number(index) >= dataNodes) {
        return [{ path: ["switchoverTo"], message: `"${target}" names no data node of this deployment: it has redis-0 .. redis-${dataNodes - 1}` }];
    }
    return [];
}
