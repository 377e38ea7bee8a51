import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Endpoint } from "../connection";
import type { EngineName } from "../redisconf/engines";

/** Arguments of {@link ServerlessCache}. */
export interface ServerlessCacheArgs {
    /** The cache's name, unique per region. */
    identifier: string;
    engine: EngineName;
    /** The engine's major version (`8`, `7`). */
    majorEngineVersion: string;
    /** Ceilings (and optional floors) of data storage and ElastiCache Processing Units. */
    limits: { maxDataStorageGb: number; minDataStorageGb?: number; maxEcpuPerSecond: number; minEcpuPerSecond?: number };
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    securityGroupIds: pulumi.Input<string>[];
    /** A customer-managed key for encryption at rest; `undefined` uses the AWS-managed key. */
    kmsKeyArn?: pulumi.Input<string>;
    /** The RBAC user group; Serverless caches authenticate only RBAC users. */
    userGroupId: pulumi.Input<string>;
    /** Daily snapshots kept. */
    snapshotRetentionDays: number;
    /** The daily snapshot time, `HH:MM` UTC. */
    dailySnapshotTime: string;
    /** Protects the cache from deletion. @default false */
    protect?: boolean;
}

/**
 * An ElastiCache Serverless cache (Valkey or Redis OSS): it scales itself within the usage limits given,
 * always encrypts in transit and at rest, and serves writes on its endpoint and reads on its reader endpoint.
 */
export class ServerlessCache extends pulumi.ComponentResource {
    /** The cache's name, the `clusterId` of its metrics. */
    public readonly cacheName: pulumi.Output<string>;
    /** The endpoint for reads and writes. */
    public readonly endpoint: pulumi.Output<Endpoint>;
    /** The endpoint for reads only. */
    public readonly readerEndpoint: pulumi.Output<Endpoint>;

    /**
     * @param name the logical name; children are named after it
     * @param args the cache's settings
     * @param opts resource options
     * @throws Error before registering anything on limits ElastiCache refuses
     */
    constructor(name: string, args: ServerlessCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        validateServerlessCacheArgs(args);
        super("redisplatform:elasticache:ServerlessCache", name, {}, opts);

        const { limits } = args;
        const cache = new aws.elasticache.ServerlessCache(
            `${name}-cache`,
            {
                name: args.identifier,
                description: `Redis platform: ${args.identifier}`,
                engine: args.engine,
                majorEngineVersion: args.majorEngineVersion,
                cacheUsageLimits: {
                    dataStorage: { maximum: limits.maxDataStorageGb, minimum: limits.minDataStorageGb, unit: "GB" },
                    ecpuPerSeconds: [{ maximum: limits.maxEcpuPerSecond, minimum: limits.minEcpuPerSecond }],
                },
                subnetIds: args.subnetIds,
                securityGroupIds: args.securityGroupIds,
                kmsKeyId: args.kmsKeyArn,
                userGroupId: args.userGroupId,
                snapshotRetentionLimit: args.snapshotRetentionDays,
                dailySnapshotTime: args.dailySnapshotTime,
            },
            { parent: this, protect: args.protect ?? false },
        );
        this.cacheName = cache.name;
        this.endpoint = cache.endpoints.apply((endpoints) => firstEndpoint(endpoints, "endpoints"));
        this.readerEndpoint = cache.readerEndpoints.apply((endpoints) => firstEndpoint(endpoints, "readerEndpoints"));
        this.registerOutputs({ cacheName: this.cacheName, endpoint: this.endpoint, readerEndpoint: this.readerEndpoint });
    }
}

function firstEndpoint(endpoints: readonly { address: string; port: number }[] | undefined, what: string): Endpoint {
    const [first] = endpoints ?? [];
    if (first === undefined) {
        throw new Error(`ServerlessCache: the cache reported no ${what}`);
    }
    return { host: first.address, port: first.port };
}

/**
 * Checks the usage limits of {@link ServerlessCache}.
 *
 * @throws Error naming the argument, the value and what is allowed
 */
export function validateServerlessCacheArgs(args: Pick<ServerlessCacheArgs, "limits" | "snapshotRetentionDays">): void {
    const { maxDataStorageGb, minDataStorageGb, maxEcpuPerSecond, minEcpuPerSecond } = args.limits;
    const whole = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;
    if (!whole(maxDataStorageGb, 1, 5000) || (minDataStorageGb !== undefined && !whole(minDataStorageGb, 1, maxDataStorageGb))) {
        throw new Error(`ServerlessCache: limits.dataStorage = ${minDataStorageGb ?? "-"}..${maxDataStorageGb} GB: must be whole GB from 1 to 5000, minimum <= maximum`);
    }
    if (!whole(maxEcpuPerSecond, 1000, 15_000_000) || (minEcpuPerSecond !== undefined && !whole(minEcpuPerSecond, 1000, maxEcpuPerSecond))) {
        throw new Error(`ServerlessCache: limits.ecpuPerSecond = ${minEcpuPerSecond ?? "-"}..${maxEcpuPerSecond}: must be from 1000 to 15000000, minimum <= maximum`);
    }
    if (!whole(args.snapshotRetentionDays, 0, 35)) {
        throw new Error(`ServerlessCache: snapshotRetentionDays = ${args.snapshotRetentionDays}: must be a whole number from 0 to 35`);
    }
}
