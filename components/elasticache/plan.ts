import type { ElastiCacheSection } from "../../stacks/config/elasticache";
import type { ResolvedStackConfig } from "../../stacks/config/resolve";
import type { EngineName } from "../redisconf/engines";
import { INITIAL_ROTATION, RotationState } from "../security/passwordRotation";
import { AlarmThresholds, alarmThresholds } from "./alarmThresholds";
import { parameterGroupFamily, supportedServerlessMajor } from "./engineFamily";
import { elastiCacheIdentifier } from "./identifiers";
import { supportsDataTiering } from "./nodeTypes";
import { CacheParameter, parameterGroupParameters } from "./parameters";

/**
 * Every default of the `redis:elasticache` section decided, in one plain object the components consume.
 * Pure: no Pulumi.
 */

/** The node type a replication group gets when the stack does not say. */
export const DEFAULT_NODE_TYPE = "cache.t4g.small";
/** The port of every node. */
export const DEFAULT_PORT = 6379;
/** Daily snapshot window (UTC). */
export const DEFAULT_SNAPSHOT_WINDOW = "03:00-04:00";
/** Weekly maintenance window (UTC); after the snapshot window, so a patch never meets a fork. */
export const DEFAULT_MAINTENANCE_WINDOW = "sun:05:00-sun:06:00";
/** AUTH token length when the stack does not say. */
export const DEFAULT_AUTH_TOKEN_LENGTH = 64;

/** Where the cache's network endpoints live. */
export type NetworkPlan = { kind: "existing"; vpcId: string; subnetIds: string[] } | { kind: "example"; cidrBlock: string };

/** Which key encrypts data at rest. */
export type EncryptionPlan = { kind: "create" } | { kind: "existing"; keyArn: string } | { kind: "aws-managed" };

/** What both modes share. */
export interface CommonPlan {
    /** The replication group id or Serverless cache name; user ids start with it. */
    identifier: string;
    engine: { name: EngineName; version: string };
    network: NetworkPlan;
    allowedSecurityGroupIds: string[];
    allowedCidrs: string[];
    encryption: EncryptionPlan;
    /** Who the alarm topic e-mails: `elasticache.notificationEmails`, and `monitoring.emailTo` with the `email` receiver. */
    notificationEmails: string[];
    /** Whether the alarm topic notifies PagerDuty (the `pagerduty` receiver). */
    pagerduty: boolean;
    /** Where alarm descriptions link the runbooks (`monitoring.runbookBaseUrl`). */
    runbookBaseUrl: string;
    /** `undefined` when alarms are off (`elasticache.alarms.enabled` or `monitoring.enabled` false). */
    alarms: AlarmThresholds | undefined;
    /** Whether data-bearing resources are protected from deletion. */
    protect: boolean;
}

/** A node-based replication group with every option decided. */
export interface ReplicationGroupPlan extends CommonPlan {
    kind: "replicationGroup";
    family: string;
    nodeType: string;
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
    dataTiering: boolean;
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
export function defaultSnapshotRetentionDays(environment: ResolvedStackConfig["environment"]): number {
    return environment === "prod" ? 7 : 1;
}

/**
 * Resolves the stack's `redis:elasticache` section. Call only on config that passed validation.
 *
 * @param name the component's logical name, the first part of every identifier
 * @param config the resolved stack config, with backend `elasticache`
 */
export function planElastiCache(name: string, config: ResolvedStackConfig): ElastiCachePlan {
    const section: ElastiCacheSection | undefined = config.elasticache;
    if (section === undefined || config.engine === undefined) {
        throw new Error('planElastiCache: the stack has no redis:elasticache section; it needs backend "elasticache"');
    }
    const { enabled: alarmsEnabled, ...alarmOverrides } = section.alarms;
    const common: CommonPlan = {
        identifier: elastiCacheIdentifier([name, config.stack]),
        engine: config.engine,
        network: section.subnetIds
            ? { kind: "existing", vpcId: section.vpcId!, subnetIds: section.subnetIds }
            : { kind: "example", cidrBlock: section.exampleVpc?.cidrBlock ?? "10.42.0.0/16" },
        allowedSecurityGroupIds: section.allowedSecurityGroupIds,
        allowedCidrs: section.allowedCidrs,
        encryption: section.kmsKeyArn ? { kind: "existing", keyArn: section.kmsKeyArn } : section.awsManagedKey ? { kind: "aws-managed" } : { kind: "create" },
        notificationEmails: [...section.notificationEmails, ...(config.monitoring.receivers.includes("email") && config.monitoring.emailTo !== undefined ? [config.monitoring.emailTo] : [])],
        pagerduty: config.monitoring.receivers.includes("pagerduty"),
        runbookBaseUrl: config.monitoring.runbookBaseUrl,
        alarms: alarmsEnabled && config.monitoring.enabled ? alarmThresholds(config.profile, alarmOverrides) : undefined,
        protect: config.protect,
    };
    const snapshotRetentionDays = section.snapshotRetentionDays ?? defaultSnapshotRetentionDays(config.environment);

    if (section.mode === "serverless") {
        const limits = section.serverless!;
        return {
            ...common,
            kind: "serverless",
            majorEngineVersion: supportedServerlessMajor(config.engine.name, config.engine.version) ?? config.engine.version.split(".")[0],
            limits: {
                maxDataStorageGb: limits.maxDataStorageGb,
                minDataStorageGb: limits.minDataStorageGb,
                maxEcpuPerSecond: limits.maxEcpuPerSecond,
                minEcpuPerSecond: limits.minEcpuPerSecond,
            },
            dailySnapshotTime: limits.dailySnapshotTime,
            snapshotRetentionDays,
        };
    }

    const clusterMode = section.clusterMode ?? false;
    const replicas = section.replicas ?? 1;
    const nodeType = section.nodeType ?? DEFAULT_NODE_TYPE;
    const multiAz = section.multiAz ?? replicas > 0;
    const finalSnapshot = section.finalSnapshot ?? config.environment !== "dev";
    return {
        ...common,
        kind: "replicationGroup",
        family: parameterGroupFamily(config.engine),
        nodeType,
        clusterMode,
        shards: clusterMode ? (section.shards ?? 1) : 1,
        replicas,
        multiAz,
        // Cluster mode requires automatic failover; without replicas there is nothing to fail over to.
        automaticFailover: clusterMode || replicas > 0,
        port: section.port ?? DEFAULT_PORT,
        transitEncryptionMode: section.transitEncryptionMode,
        authentication:
            section.authentication === "token"
                ? { kind: "token", length: section.authTokenLength ?? DEFAULT_AUTH_TOKEN_LENGTH, rotation: section.authTokenRotation ?? INITIAL_ROTATION }
                : { kind: "rbac", deleteAuthToken: section.migratingFromAuthToken ?? false },
        parameters: parameterGroupParameters(clusterMode, config.evictionPolicy, section.parameters),
        logs: { slowLog: section.logs?.slowLog ?? true, engineLog: section.logs?.engineLog ?? true, retentionDays: section.logs?.retentionDays ?? 30 },
        snapshotRetentionDays,
        snapshotWindow: section.snapshotWindow ?? DEFAULT_SNAPSHOT_WINDOW,
        finalSnapshotIdentifier: finalSnapshot ? `${common.identifier}-final` : undefined,
        maintenanceWindow: section.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW,
        autoMinorVersionUpgrade: section.autoMinorVersionUpgrade ?? true,
        applyImmediately: section.applyImmediately ?? config.environment !== "prod",
        dataTiering: section.dataTiering ?? supportsDataTiering(nodeType),
    };
}
