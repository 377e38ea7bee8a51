import type * as pulumi from "@pulumi/pulumi";
import type { EngineName } from "../redisconf/engines";
import type { EvictionPolicy, WorkloadProfile } from "../redisconf/profiles";
import type { RotationState } from "../security/passwordRotation";
import type { Environment } from "../settings";
import type { AlarmThresholds } from "./alarmThresholds";
import type { RbacUserSpec } from "./rbacUsers";

/**
 * Arguments of `ElastiCacheRedis`. Everything that decides which or how many resources exist is plain
 * (mode, cluster mode, shard and replica counts, the number of allowed sources and notification e-mails);
 * ids, ARNs, CIDR blocks and the node type are `pulumi.Input`, so they can come from other resources (an
 * awsx VPC's `privateSubnetIds`, a KMS key's `arn`) or a StackReference.
 */
export interface ElastiCacheRedisArgs {
    /** A node-based replication group or a Serverless cache. @default "replicationGroup" */
    mode?: "replicationGroup" | "serverless";
    /**
     * The replication group id or Serverless cache name; user ids start with it. Plain: alarm and dashboard
     * names derive from it. @default the component name and the stack name, as a valid ElastiCache identifier
     */
    identifier?: string;
    /** The engine and `major.minor` version. @default { name: "valkey", version: "8.0" } */
    engine?: { name?: EngineName; version?: string };
    /** Decides the protection, snapshot, apply and prod-only defaults. @default "dev" */
    environment?: Environment;
    /** The workload profile: eviction policy and alarm thresholds follow it. @default "cache" */
    profile?: WorkloadProfile;
    /** `maxmemory-policy` of the parameter group. @default the profile's policy */
    evictionPolicy?: EvictionPolicy;

    /** The VPC the security group is created in; required with `subnetIds`. */
    vpcId?: pulumi.Input<string>;
    /** The subnets of the cache's endpoints, e.g. an awsx VPC's `privateSubnetIds`. Required unless `exampleVpc` is set. */
    subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Creates a private example VPC across 3 zones instead of `subnetIds`; never in prod. */
    exampleVpc?: { cidrBlock?: string };
    /** Security groups whose members may connect; one ingress rule each. @default [] */
    allowedSecurityGroupIds?: pulumi.Input<string>[];
    /** CIDR blocks that may connect, never `/0`; one ingress rule each. @default [] */
    allowedCidrs?: pulumi.Input<string>[];

    /** A customer-managed KMS key for encryption at rest. @default a key created for the cache */
    kmsKeyArn?: pulumi.Input<string>;
    /** Encrypt at rest with the AWS-managed key instead of creating one. @default false */
    awsManagedKey?: boolean;

    /** The node type. @default "cache.t4g.small" */
    nodeType?: pulumi.Input<string>;
    /** Shards the key space over node groups. @default false */
    clusterMode?: boolean;
    /** Node groups with cluster mode. @default 1 */
    shards?: number;
    /** Replicas per shard. @default 1 */
    replicas?: number;
    /** @default true when there is a replica */
    multiAz?: boolean;
    /** @default 6379 */
    port?: number;
    /** `preferred` only while migrating to TLS. @default "required" */
    transitEncryptionMode?: "required" | "preferred";
    /** RBAC users, or one AUTH token for a single user. @default "rbac" */
    authentication?: "rbac" | "token";
    /** @default 64 */
    authTokenLength?: number;
    /** @default { generation: 1, keepPrevious: false } */
    authTokenRotation?: RotationState;
    /** Deletes a previous AUTH token while the user group is added. @default false */
    migratingFromAuthToken?: boolean;
    /** Extra parameter group parameters. @default {} */
    parameters?: Record<string, string>;
    /** Slow-log and engine-log delivery. @default { slowLog: true, engineLog: true, retentionDays: 30 } */
    logs?: { slowLog?: boolean; engineLog?: boolean; retentionDays?: number };
    /** @default 7 in prod, 1 elsewhere */
    snapshotRetentionDays?: number;
    /** @default "03:00-04:00" */
    snapshotWindow?: string;
    /** @default true outside dev */
    finalSnapshot?: boolean;
    /** @default "sun:05:00-sun:06:00" */
    maintenanceWindow?: string;
    /** @default true */
    autoMinorVersionUpgrade?: boolean;
    /** @default true outside prod */
    applyImmediately?: boolean;
    /** @default true exactly for r6gd node types */
    dataTiering?: boolean;
    /** Serverless usage limits; required with mode `serverless`. */
    serverless?: { maxDataStorageGb: number; minDataStorageGb?: number; maxEcpuPerSecond: number; minEcpuPerSecond?: number; dailySnapshotTime?: string };

    /** E-mail addresses subscribed to the SNS topic; one subscription each. @default [] */
    notificationEmails?: string[];
    /**
     * The integration key of a PagerDuty "Amazon CloudWatch" integration (a secret): the alarm topic is then
     * subscribed to PagerDuty over HTTPS, the URL holding the key kept secret. @default no PagerDuty subscription
     */
    pagerdutyIntegrationKey?: pulumi.Input<string>;
    /** Where each alarm's description links its runbook: `<base>/<file>`. @default "docs/runbooks" */
    runbookBaseUrl?: string;
    /** CloudWatch alarms, and threshold overrides of the profile's values. @default { enabled: true } */
    alarms?: { enabled?: boolean } & Partial<AlarmThresholds>;

    /** The application users. @default `DEFAULT_ACL.users`: [{ name: "app", role: "app", keys: ["*"], channels: ["*"] }] */
    users?: RbacUserSpec[];
    /** Length of every RBAC password. @default 40 */
    passwordLength?: number;
    /** RBAC password rotation state per username. @default {} */
    rotation?: Record<string, RotationState>;
    /** Protects data-bearing resources from deletion. @default true in prod */
    protect?: boolean;
}
