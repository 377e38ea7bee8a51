import type * as pulumi from "@pulumi/pulumi";
import type { UpstashRedisArgs } from "./args";
import type { UpstashRegion } from "./regions";

/**
 * Every default of `UpstashRedisArgs` decided.
 */

/** An Upstash database with every option decided. */
export interface UpstashPlan {
    databaseName: pulumi.Input<string>;
    primaryRegion: UpstashRegion;
    readRegions: UpstashRegion[];
    /** Evicts keys when full: on unless the profile's policy is `noeviction`, or as `upstash.eviction` says. */
    eviction: boolean;
    budgetUsd: number;
    autoScale: boolean;
    prodPack: boolean;
    /** The IP allowlist; empty admits every address. */
    ipAllowlist: pulumi.Input<string>[];
    /** The Upstash account the provider acts as. */
    email: pulumi.Input<string>;
    protect: boolean;
    /** The application user the database password is handed out under. */
    userName: string;
}

/**
 * Decides every default of the args.
 *
 * @param databaseName the name when the args do not give one
 * @param args the component's args
 */
export function planUpstash(databaseName: string, args: UpstashRedisArgs): UpstashPlan {
    const environment = args.environment ?? "dev";
    return {
        databaseName: args.databaseName ?? databaseName,
        primaryRegion: args.primaryRegion,
        readRegions: args.readRegions ?? [],
        eviction: args.eviction ?? (args.evictionPolicy ?? "allkeys-lru") !== "noeviction",
        budgetUsd: args.budgetUsd ?? 20,
        autoScale: args.autoScale ?? false,
        prodPack: args.prodPack ?? environment === "prod",
        ipAllowlist: args.allowedIps ?? [],
        email: args.email,
        protect: args.protect ?? environment === "prod",
        userName: args.userName ?? "app",
    };
}
