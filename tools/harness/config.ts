import { parseStackConfig } from "../../stacks/config/parse";
import type { ResolvedStackConfig } from "../../stacks/config/resolve";
import { readStackFile } from "../../stacks/config/stackFile";
import type { DeploymentConfig } from "../../components/redisconf/deployment";

/** The knobs tests and the drill turn; everything else is the stack config's own default. */
export interface LocalConfigOptions {
    topology: "standalone" | "sentinel" | "cluster";
    failover?: "standard" | "fast";
    profile?: "cache" | "session" | "queue" | "durable";
    persistence?: "none" | "rdb" | "aof";
    mtls?: boolean;
    tls?: boolean;
    replicas?: number;
    sentinels?: number;
    shards?: number;
    replicasPerShard?: number;
    /** The nodes' CPU limit, which decides `io-threads`. @default "1" */
    cpu?: string;
}

/**
 * A stack config for a local run, built through the real config parser so a harness topology is one that a
 * stack could declare. Users: `app` (`app:*` keys and channels) and `reporting` (read-only on `app:*`).
 */
export function localStackConfig(options: LocalConfigOptions): ResolvedStackConfig {
    const selfhosted: Record<string, unknown> = {
        topology: options.topology,
        platform: "docker",
        failover: options.failover ?? "standard",
        resources: { cpu: options.cpu ?? "1", memory: "256mb" },
    };
    if (options.topology === "sentinel") {
        selfhosted.replicas = options.replicas ?? 2;
        selfhosted.sentinels = options.sentinels ?? 3;
    }
    if (options.topology === "cluster") {
        selfhosted.shards = options.shards ?? 3;
        selfhosted.replicasPerShard = options.replicasPerShard ?? 1;
    }
    const config: Record<string, string> = {
        "redis:backend": "selfhosted",
        "redis:environment": "dev",
        "redis:profile": options.profile ?? "session",
        "redis:selfhosted": JSON.stringify(selfhosted),
        "redis:tls": JSON.stringify({ enabled: options.tls ?? true, mtls: options.mtls ?? false, includeLocalhost: true }),
        "redis:acl": JSON.stringify({
            users: [
                { name: "app", role: "app", keys: ["app:*"], channels: ["app:*"] },
                { name: "reporting", role: "readonly", keys: ["app:*"] },
            ],
        }),
    };
    if (options.persistence) {
        config["redis:persistence"] = JSON.stringify({ mode: options.persistence });
    }
    return parseStackConfig("local", config);
}

/** The resolved config of a stack file (`Pulumi.<stack>.yaml`). */
export function stackConfig(stack: string): ResolvedStackConfig {
    return parseStackConfig(stack, readStackFile(stack).config);
}

/**
 * Narrows a resolved stack config to one a self-hosted deployment can be rendered from.
 *
 * @throws Error when the stack's backend is not `selfhosted`
 */
export function asDeploymentConfig(config: ResolvedStackConfig): DeploymentConfig {
    if (config.backend !== "selfhosted" || config.selfhosted === undefined) {
        throw new Error(`stack "${config.stack}" uses backend "${config.backend}": only selfhosted stacks run locally`);
    }
    return { ...config, selfhosted: config.selfhosted };
}
