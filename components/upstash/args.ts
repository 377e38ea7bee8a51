import type * as pulumi from "@pulumi/pulumi";
import type { EvictionPolicy } from "../redisconf/profiles";
import type { Environment } from "../settings";
import type { UpstashRegion } from "./regions";

/**
 * Arguments of `UpstashRedis`. Regions, budget and switches are plain (they are validated before anything
 * exists and decide the database's shape); the account e-mail, the API key, the database name and each
 * allowed address are `pulumi.Input`.
 */
export interface UpstashRedisArgs {
    /** The region of the primary. */
    primaryRegion: UpstashRegion;
    /** Regions that hold read replicas, other than the primary's. @default [] */
    readRegions?: UpstashRegion[];
    /** The Upstash account the provider acts as. */
    email: pulumi.Input<string>;
    /** The Upstash management API key; wrapped as a secret. */
    apiKey: pulumi.Input<string>;
    /** @default the component name and the stack name */
    databaseName?: pulumi.Input<string>;
    /** Monthly budget in whole US dollars. @default 20 */
    budgetUsd?: number;
    /** @default false */
    autoScale?: boolean;
    /** Evict keys when full. @default off only when `evictionPolicy` is `noeviction` */
    eviction?: boolean;
    /** The eviction policy the workload needs; only `noeviction` versus the rest matters here. @default "allkeys-lru" */
    evictionPolicy?: EvictionPolicy;
    /** @default true in prod */
    prodPack?: boolean;
    /** Addresses and CIDR blocks allowed in, never `/0`; empty admits every address. @default [] */
    allowedIps?: pulumi.Input<string>[];
    /** @default "dev" */
    environment?: Environment;
    /** The name the database password is handed out under in `credentials`. @default "app" */
    userName?: string;
    /** Protects the database from deletion. @default true in prod */
    protect?: boolean;
}
