import type { ResolvedStackConfig } from "../../stacks/config/resolve";
import type { UpstashRegion } from "./regions";

/**
 * Every default of the `redis:upstash` section decided. Pure: no Pulumi.
 */

/** An Upstash database with every option decided. */
export interface UpstashPlan {
    databaseName: string;
    primaryRegion: UpstashRegion;
    readRegions: UpstashRegion[];
    /** Evicts keys when full: on unless the profile's policy is `noeviction`, or as `upstash.eviction` says. */
    eviction: boolean;
    budgetUsd: number;
    autoScale: boolean;
    prodPack: boolean;
    /** The IP allowlist; empty admits every address. */
    ipAllowlist: string[];
    /** The Upstash account the provider acts as. */
    email: string;
    protect: boolean;
    /** The application user the database password is handed out under. */
    userName: string;
}

/**
 * Resolves the stack's `redis:upstash` section. Call only on config that passed validation.
 *
 * @param name the component's logical name, the first part of the database name
 * @param config the resolved stack config, with backend `upstash`
 */
export function planUpstash(name: string, config: ResolvedStackConfig): UpstashPlan {
    const section = config.upstash;
    if (section === undefined) {
        throw new Error('planUpstash: the stack has no redis:upstash section; it needs backend "upstash"');
    }
    return {
        databaseName: section.databaseName ?? `${name}-${config.stack}`,
        primaryRegion: section.primaryRegion,
        readRegions: section.readRegions,
        eviction: section.eviction ?? config.evictionPolicy !== "noeviction",
        budgetUsd: section.budgetUsd,
        autoScale: section.autoScale,
        prodPack: section.prodPack ?? config.environment === "prod",
        ipAllowlist: section.allowedIps,
        email: section.email,
        protect: config.protect,
        userName: config.acl.users[0].name,
    };
}
