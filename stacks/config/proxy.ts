import { z } from "zod";
import { MEMORY_SIZE_HELP, MEMORY_SIZE_PATTERN, memorySizeToMiB } from "../../components/redisconf/memory";
import type { ProxyArgs } from "../../components/selfhosted/proxy/settings";
import { MAX_PROXY_REPLICAS } from "../../components/selfhosted/proxy/settings";

/**
 * `redis:selfhosted.proxy`: the optional Envoy `redis_proxy` in front of a cluster (docs/proxy.md). The keys'
 * own checks are here; what involves other keys (topology, TLS, the first user's role, the platform) is the
 * library's `proxyArgsProblems`, run on the converted args.
 */
export const proxySchema = z.strictObject({
    enabled: z.boolean(),
    replicas: z.number().int().min(1).max(MAX_PROXY_REPLICAS).optional(),
    image: z
        .string()
        .regex(/^[a-z0-9]+(?:[._\/-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[0-9a-f]{64}$/, { error: "must be an image pinned by tag and digest, such as envoyproxy/envoy:<tag>@sha256:<64 hex>" })
        .optional(),
    resources: z
        .strictObject({
            cpu: z
                .string()
                .regex(/^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/, { error: "must be CPU cores such as 500m, 1 or 1.5" })
                .optional(),
            memory: z.string().regex(MEMORY_SIZE_PATTERN, { error: `must be ${MEMORY_SIZE_HELP}` }).optional(),
        })
        .optional(),
});

/** The proxy section as the stack file writes it. */
export type ProxyConfig = z.output<typeof proxySchema>;

/** The library's {@link ProxyArgs} of a parsed section (memory in MiB). Pure. */
export function proxyArgsOf(proxy: ProxyConfig): ProxyArgs {
    const { resources, ...rest } = proxy;
    if (resources === undefined) {
        return rest;
    }
    return {
        ...rest,
        resources: {
            ...(resources.cpu === undefined ? {} : { cpu: resources.cpu }),
            ...(resources.memory === undefined ? {} : { memoryMiB: memorySizeToMiB(resources.memory) }),
        },
    };
}
