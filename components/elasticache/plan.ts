import * as pulumi from "@pulumi/pulumi";
import { EngineName, resolveEngine } from "../redisconf/engines";
import { PROFILE_DEFAULTS } from "../redisconf/profiles";
import type { Environment } from "../settings";
import type { ElastiCacheRedisArgs } from "./args";
import { INITIAL_ROTATION, RotationState } from "../security/passwordRotation";
import { AlarmThresholds, alarmThresholds } from "./alarmThresholds";
import { DEFAULT_RUNBOOK_BASE_URL } from "../monitoring/runbooks";
import { parameterGroupFamily, supportedServerlessMajor } from "./engineFamily";
import { supportsDataTiering } from "./nodeTypes";
import { CacheParameter, parameterGroupParameters } from "./parameters";
import { DEFAULT_EXAMPLE_VPC_CIDR } from "./validate";

/**
 * Every default of {@link ElastiCacheRedisArgs} decided, in one object the child components consume. Ids,
 * ARNs, CIDR blocks and the node type stay `pulumi.Input`; everything else is plain.
 */

/** The node type a replication group gets when the stack does not say. */
export const DEFAULT_NODE_TYPE = "cache.t4g.small";
/** The port of every node. */
export const DEFAULT_PORT = 6379;
/** Daily snapshot window (UTC). */
export const DEFAULT_SNAPSHOT_WINDOW = "03:00-04:00";
/** Weekly maintenance window (UTC); after the snapshot window, so a patch never meets a fork. */
export const DEFAULT_MAINTENANCE_WINDOW = "sun:05:00-sun:06:00";
/** The Serverless daily snapshot time (UTC) when the args do not say. */
export const DEFAULT_DAILY_SNAPSHOT_TIME = "03:00";
/** AUTH token length when the stack does not say. */
export const DEFAULT_AUTH_TOKEN_LENGTH = 64;

/** Where the cache's network endpoints live. */
export type NetworkPlan =
    | { kind: "existing"; vpcId: pulumi.Input<string>; subnetIds: pulumi.Input<pulumi.Input<string>[]> }
    | { kind: "example"; cidrBlock: string };

/** Which key encrypts data at rest. */
export type EncryptionPlan = { kind: "create" } | { kind: "existing"; keyArn: pulumi.Input<string> } | { kind: "aws-managed" };

/** What both modes share. */
export interface CommonPlan {
    /** The replication group id or Serverless cache name; user ids start with it. */
    identifier: string;
    engine: { name: EngineName; version: string };
    network: NetworkPlan;
    allowedSecurityGroupIds: pulumi.Input<string>[];
    allowedCidrs: pulumi.Input<string>[];
    encryption: EncryptionPlan;
    notificationEmails: string[];
    /** Where alarm descriptions link the runbooks (`monitoring.runbookBaseUrl`). */
    runbookBaseUrl: string;
    /** `undefined` when alarms are off. */
    alarms: AlarmThresholds | undefined;
    /** Whether data-bearing resources are protected from deletion. */
    protect: boolean;
}

/** A node-based replication group with every option decided. */
export interface ReplicationGroupPlan extends CommonPlan {
    kind: "replicationGroup";
    family: string;
    nodeType: pulumi.Input<string>;
    clusterMode: boolean;
    /** Shards (1 without cluster mode). */
    shards: number;
    /** Replicas per shard. */
    replicas: number;
    multiAz: boolean;
    automaticFailover: boolean;
    port: number;
    transitEncryptionMode: "required" | "preferred";
    /** RBAC (deleting a previous AUTH token in the same change when migrating), or an AUTH token. */
    authentication: { kind: "rbac"; deleteAuthToken: boolean } | { kind: "token"; length: number; rotation: RotationState };
    parameters: CacheParameter[];
    logs: { slowLog: boolean; engineLog: boolean; retentionDays: number };
    snapshotRetentionDays: number;
    snapshotWindow: string;
    /** The final snapshot's name, or `undefined` for none. */
    finalSnapshotIdentifier: string | undefined;
    maintenanceWindow: string;
    autoMinorVersionUpgrade: boolean;
    applyImmediately: boolean;
    /** Plain when the node type is; follows the node type when that is an Output. */
    dataTiering: pulumi.Input<boolean>;
}

/** A Serverless cache with every option decided. */
export interface ServerlessPlan extends CommonPlan {
    kind: "serverless";
    majorEngineVersion: string;
    limits: { maxDataStorageGb: number; minDataStorageGb?: number; maxEcpuPerSecond: number; minEcpuPerSecond?: number };
    dailySnapshotTime: string;
    snapshotRetentionDays: number;
}

/** Either plan. */
export type ElastiCachePlan = ReplicationGroupPlan | ServerlessPlan;

/** Days of automatic snapshots when the stack does not say: a week in prod, a day elsewhere. */
export function defaultSnapshotRetentionDays(environment: Environment): number {
    return environment === "prod" ? 7 : 1;
}

/**
 * Decides every default of the args. Call only on args that passed `elastiCacheArgsProblems`.
 *
 * @param identifier the replication group id or Serverless cache name, the first part of every identifier
 * @param args the component's args
 */
export function planElastiCache(identifier: string, args: ElastiCacheRedisArgs): ElastiCachePlan {
    const environment = args.environment ?? "dev";
    const engine = resolveEngine("elasticache", args.engine);
    const { enabled: alarmsEnabled = true, ...alarmOverrides } = args.alarms ?? {};
    const profile = args.profile ?? "cache";
    const common: CommonPlan = {
        identifier,
        engine,
        network:
            args.subnetIds !== undefined
                ? { kind: "existing", vpcId: args.vpcId!, subnetIds: args.subnetIds }
                : { kind: "example", cidrBlock: args.exampleVpc?.cidrBlock ?? DEFAULT_EXAMPLE_VPC_CIDR },
        allowedSecurityGroupIds: args.allowedSecurityGroupIds ?? [],
        allowedCidrs: args.allowedCidrs ?? [],
        encryption: args.kmsKeyArn !== undefined ? { kind: "existing", keyArn: args.kmsKeyArn } : args.awsManagedKey ? { kind: "aws-managed" } : { kind: "create" },
        notificationEmails: args.notificationEmails ?? [],
        runbookBaseUrl: args.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL,
        alarms: alarmsEnabled ? alarmThresholds(profile, alarmOverrides) : undefined,
        protect: args.protect ?? environment === "prod",
    };
    const snapshotRetentionDays = args.snapshotRetentionDays ?? defaultSnapshotRetentionDays(environment);

    if (args.mode === "serverless") {
        const limits = args.serverless!;
        return {
            ...common,
            kind: "serverless",
            majorEngineVersion: supportedServerlessMajor(engine.name, engine.version) ?? engine.version.split(".")[0],
            limits: {
                maxDataStorageGb: limits.maxDataStorageGb,
                minDataStorageGb: limits.minDataStorageGb,
                maxEcpuPerSecond: limits.maxEcpuPerSecond,
                minEcpuPerSecond: limits.minEcpuPerSecond,
            },
            dailySnapshotTime: limits.dailySnapshotTime ?? DEFAULT_DAILY_SNAPSHOT_TIME,
            snapshotRetentionDays,
        };
    }

    const clusterMode = args.clusterMode ?? false;
    const replicas = args.replicas ?? 1;
    const nodeType = args.nodeType ?? DEFAULT_NODE_TYPE;
    const multiAz = args.multiAz ?? replicas > 0;
    const finalSnapshot = args.finalSnapshot ?? environment !== "dev";
    return {
        ...common,
        kind: "replicationGroup",
        family: parameterGroupFamily(engine),
        nodeType,
        clusterMode,
        shards: clusterMode ? (args.shards ?? 1) : 1,
        replicas,
        multiAz,
        // Cluster mode requires automatic failover; without replicas there is nothing to fail over to.
        automaticFailover: clusterMode || replicas > 0,
        port: args.port ?? DEFAULT_PORT,
        transitEncryptionMode: args.transitEncryptionMode ?? "required",
        authentication:
            args.authentication === "token"
                ? { kind: "token", length: args.authTokenLength ?? DEFAULT_AUTH_TOKEN_LENGTH, rotation: args.authTokenRotation ?? INITIAL_ROTATION }
                : { kind: "rbac", deleteAuthToken: args.migratingFromAuthToken ?? false },
        parameters: parameterGroupParameters(clusterMode, args.evictionPolicy ?? PROFILE_DEFAULTS[profile].evictionPolicy, args.parameters ?? {}),
        logs: { slowLog: args.logs?.slowLog ?? true, engineLog: args.logs?.engineLog ?? true, retentionDays: args.logs?.retentionDays ?? 30 },
        snapshotRetentionDays,
        snapshotWindow: args.snapshotWindow ?? DEFAULT_SNAPSHOT_WINDOW,
        finalSnapshotIdentifier: finalSnapshot ? `${identifier}-final` : undefined,
        maintenanceWindow: args.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW,
        autoMinorVersionUpgrade: args.autoMinorVersionUpgrade ?? true,
        applyImmediately: args.applyImmediately ?? environment !== "prod",
        dataTiering: args.dataTiering ?? (typeof nodeType === "string" ? supportsDataTiering(nodeType) : pulumi.output(nodeType).apply(supportsDataTiering)),
    };
}
