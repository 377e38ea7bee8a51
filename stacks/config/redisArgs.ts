import type { ElastiCacheRedisArgs } from "../../components/elasticache/args";
import type { RedisArgs } from "../../components/redis";
import type { RedisSecrets } from "../../components/secrets";
import type { SelfHostedRedisArgs } from "../../components/selfhosted/args";
import type { UpstashRedisArgs } from "../../components/upstash/args";
import type { ResolvedStackConfig } from "./resolve";
import { StackOutputs } from "./stackOutput";

/**
 * The stack files' adapter: a validated, resolved `Pulumi.<stack>.yaml` turned into the library's typed
 * args, so the program builds exactly what a user's own program would build with the same args. Pure.
 */

/** A resolved config's settings and backend sections; the secret key names are not needed here. */
type StackSettings = Omit<ResolvedStackConfig, "secretKeys" | "elasticache" | "upstash" | "selfhosted"> & Partial<Pick<ResolvedStackConfig, "elasticache" | "upstash" | "selfhosted">>;

type WithSection<K extends "selfhosted" | "elasticache" | "upstash"> = StackSettings & { [key in K]: NonNullable<ResolvedStackConfig[key]> };

/** The `SelfHostedRedis` args of a self-hosted stack: its resolved settings, only its own platform's block. */
export function selfHostedArgsFor(config: WithSection<"selfhosted">, secrets: RedisSecrets = {}): SelfHostedRedisArgs {
    const { docker, kubernetes, replicas, sentinels, shards, replicasPerShard, ...rest } = config.selfhosted;
    // Only the sizes of the chosen topology, and only the chosen platform's block: the others do not apply.
    const sizes = rest.topology === "sentinel" ? { replicas, sentinels } : rest.topology === "cluster" ? { shards, replicasPerShard } : {};
    return {
        ...rest,
        ...sizes,
        ...(rest.platform === "docker" ? { docker } : { kubernetes }),
        environment: config.environment,
        profile: config.profile,
        engine: config.engine,
        evictionPolicy: config.evictionPolicy,
        persistence: config.persistence,
        maxmemoryMiB: config.maxmemoryMiB,
        tls: config.tls,
        acl: config.acl,
        monitoring: config.monitoring,
        backup: config.backup,
        protect: config.protect,
        secrets,
        stack: config.stack,
    };
}

/**
 * The `ElastiCacheRedis` args of an ElastiCache stack: the `redis:elasticache` section plus the shared
 * settings. Values written `{ stackOutput: "<org>/<project>/<stack>:<output>" }` become StackReference
 * outputs through `stackOutputs`.
 */
export function elastiCacheArgsFor(config: WithSection<"elasticache">, stackOutputs: StackOutputs = new StackOutputs(), secrets: RedisSecrets = {}): ElastiCacheRedisArgs {
    const section = config.elasticache;
    const { receivers, emailTo, enabled: monitoringOn, runbookBaseUrl } = config.monitoring;
    return {
        ...section,
        // redis:monitoring routes the alarm topic: e-mail to emailTo, PagerDuty by its CloudWatch integration.
        notificationEmails: [...section.notificationEmails, ...(receivers.includes("email") && emailTo !== undefined ? [emailTo] : [])],
        ...(receivers.includes("pagerduty") && secrets.pagerdutyRoutingKey !== undefined ? { pagerdutyIntegrationKey: secrets.pagerdutyRoutingKey } : {}),
        runbookBaseUrl,
        alarms: { ...section.alarms, enabled: section.alarms.enabled && monitoringOn },
        vpcId: section.vpcId === undefined ? undefined : stackOutputs.resolve(section.vpcId),
        subnetIds: section.subnetIds === undefined ? undefined : stackOutputs.resolve(section.subnetIds),
        allowedSecurityGroupIds: section.allowedSecurityGroupIds.map((id) => stackOutputs.resolve(id)),
        kmsKeyArn: section.kmsKeyArn === undefined ? undefined : stackOutputs.resolve(section.kmsKeyArn),
        engine: config.engine,
        environment: config.environment,
        profile: config.profile,
        evictionPolicy: config.evictionPolicy,
        users: config.acl.users,
        passwordLength: config.acl.passwordLength,
        rotation: config.acl.rotation,
        protect: config.protect,
    };
}

/**
 * The `UpstashRedis` args of an Upstash stack, with the API key from the secret `redis:upstashApiKey`.
 *
 * @throws Error when the secret is not set (the config check refuses that earlier; this guards direct callers)
 */
export function upstashArgsFor(config: WithSection<"upstash">, secrets: RedisSecrets): UpstashRedisArgs {
    const apiKey = secrets.upstashApiKey;
    if (apiKey === undefined) {
        throw new Error("secret redis:upstashApiKey is not set: run pulumi config set --secret redis:upstashApiKey ...");
    }
    const section = config.upstash;
    return {
        primaryRegion: section.primaryRegion,
        readRegions: section.readRegions,
        email: section.email,
        apiKey,
        databaseName: section.databaseName,
        budgetUsd: section.budgetUsd,
        autoScale: section.autoScale,
        eviction: section.eviction,
        evictionPolicy: config.evictionPolicy,
        prodPack: section.prodPack,
        allowedIps: section.allowedIps,
        environment: config.environment,
        userName: config.acl.users[0].name,
        protect: config.protect,
    };
}

/**
 * The {@link RedisArgs} of a stack: its backend and that backend's args.
 *
 * @param config the stack's validated, resolved config (`parseStackConfig`)
 * @param secrets the stack's secret values (`readStackSecrets`) @default {}
 */
export function redisArgsFor(config: StackSettings, secrets: RedisSecrets = {}): RedisArgs {
    if (config.backend === "selfhosted" && config.selfhosted !== undefined) {
        return { backend: "selfhosted", ...selfHostedArgsFor({ ...config, selfhosted: config.selfhosted }, secrets) };
    }
    if (config.backend === "elasticache" && config.elasticache !== undefined) {
        return { backend: "elasticache", ...elastiCacheArgsFor({ ...config, elasticache: config.elasticache }, new StackOutputs(), secrets) };
    }
    if (config.backend === "upstash" && config.upstash !== undefined) {
        return { backend: "upstash", ...upstashArgsFor({ ...config, upstash: config.upstash }, secrets) };
    }
    throw new Error(`redisArgsFor: the config has no redis:${config.backend} section; it needs one for backend "${config.backend}"`);
}
