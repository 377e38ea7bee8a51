import * as rules from "../../../policies/rules/elasticache";
import { ELASTICACHE } from "../../../policies/rules/lib/types";
import { one, RuleCase } from "../helpers";

/** A replication group that satisfies every ElastiCache rule. */
export const GOOD_GROUP = {
    atRestEncryptionEnabled: true,
    kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/abc",
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    userGroupIds: ["redis-prod-users"],
    snapshotRetentionLimit: 7,
    finalSnapshotIdentifier: "redis-prod-final",
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    subnetGroupName: "redis-prod-subnets",
    securityGroupIds: ["sg-1"],
    autoMinorVersionUpgrade: true,
    logDeliveryConfigurations: [
        { logType: "slow-log", destinationType: "cloudwatch-logs", destination: "/slow", logFormat: "json" },
        { logType: "engine-log", destinationType: "cloudwatch-logs", destination: "/engine", logFormat: "json" },
    ],
    parameterGroupName: "redis-prod-params",
    engineVersion: "8.0",
};

const group = (overrides: Record<string, unknown>) => one(ELASTICACHE.replicationGroup, { ...GOOD_GROUP, ...overrides });
const good = { title: "a fully configured replication group", fixture: group({}) };

/** A serverless cache that satisfies every ElastiCache rule. */
const GOOD_SERVERLESS = { kmsKeyId: "key", snapshotRetentionLimit: 7, userGroupId: "users", subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] };
const serverless = (overrides: Record<string, unknown>) => one(ELASTICACHE.serverlessCache, { ...GOOD_SERVERLESS, ...overrides });

/** Fixtures of every ElastiCache rule. */
export const ELASTICACHE_CASES: RuleCase[] = [
    {
        policy: rules.encryptionAtRest,
        pass: [good],
        flag: [{ title: "encryption at rest off", fixture: group({ atRestEncryptionEnabled: false }), messages: ["atRestEncryptionEnabled is false: set it to true (it can only be chosen at creation)"] }],
    },
    {
        policy: rules.customerManagedKey,
        pass: [good],
        flag: [{ title: "no KMS key", fixture: group({ kmsKeyId: undefined }), messages: ["kmsKeyId is unset: encrypt with a customer-managed KMS key, not the AWS-owned default"] }],
    },
    {
        policy: rules.transitEncryptionRequired,
        pass: [good, { title: "transit encryption without an explicit mode (AWS defaults to required)", fixture: group({ transitEncryptionMode: undefined }) }],
        flag: [
            { title: "transit encryption off", fixture: group({ transitEncryptionEnabled: false }), messages: ["transitEncryptionEnabled is false: set it to true"] },
            {
                title: "preferred mode",
                fixture: group({ transitEncryptionMode: "preferred" }),
                messages: ['transitEncryptionMode is "preferred": plain-text clients are still accepted; finish the migration with "required"'],
            },
        ],
    },
    {
        policy: rules.authRequired,
        pass: [good, { title: "an AUTH token", fixture: group({ userGroupIds: undefined, authToken: "t0ken-value-long-enough", authTokenUpdateStrategy: "ROTATE" }) }, { title: "a serverless cache with a user group", fixture: serverless({}) }],
        flag: [
            { title: "neither", fixture: group({ userGroupIds: [] }), messages: ["neither authToken nor userGroupIds is set: every client must authenticate (RBAC user group or AUTH token)"] },
            { title: "a serverless cache without a user group", fixture: serverless({ userGroupId: undefined }), messages: ["userGroupId is unset: attach an RBAC user group so every client authenticates"] },
        ],
    },
    {
        policy: rules.authTokenRotate,
        pass: [good, { title: "ROTATE", fixture: group({ authToken: "secret-token", authTokenUpdateStrategy: "ROTATE" }) }],
        flag: [
            {
                title: "a token with the default strategy",
                fixture: group({ authToken: "secret-token" }),
                messages: ['authTokenUpdateStrategy is unset: use "ROTATE" so a new token is added beside the old one instead of replacing the cluster'],
            },
        ],
    },
    {
        policy: rules.rbacDefaultUserDisabled,
        pass: [
            { title: "a disabled default user", fixture: one(ELASTICACHE.user, { userName: "default", accessString: "off -@all", userId: "d" }) },
            { title: "an application user", fixture: one(ELASTICACHE.user, { userName: "app", accessString: "on ~app:* +@all", userId: "a" }) },
        ],
        flag: [
            {
                title: "an enabled default user",
                fixture: one(ELASTICACHE.user, { userName: "default", accessString: "on ~* +@all", userId: "d" }),
                messages: ['the "default" user has accessString "on ~* +@all": it must be "off" so unauthenticated clients get nothing'],
            },
        ],
    },
    {
        policy: rules.snapshotRetention,
        pass: [good, { title: "7 days with minimumDays 7", fixture: { ...group({}), config: { minimumDays: 7 } } }],
        flag: [
            { title: "no snapshots", fixture: group({ snapshotRetentionLimit: 0 }), messages: ["snapshotRetentionLimit is 0: keep at least 1 day(s) of automatic snapshots"] },
            { title: "3 days with minimumDays 7", fixture: { ...group({ snapshotRetentionLimit: 3 }), config: { minimumDays: 7 } }, messages: ["snapshotRetentionLimit is 3: keep at least 7 day(s) of automatic snapshots"] },
        ],
    },
    {
        policy: rules.finalSnapshot,
        pass: [good],
        flag: [{ title: "no final snapshot", fixture: group({ finalSnapshotIdentifier: "" }), messages: ["finalSnapshotIdentifier is unset: a deleted cluster would leave no snapshot behind"] }],
    },
    {
        policy: rules.multiAzFailover,
        pass: [good],
        flag: [
            {
                title: "single AZ without failover",
                fixture: group({ automaticFailoverEnabled: false, multiAzEnabled: undefined }),
                messages: [
                    "automaticFailoverEnabled is false: set it to true so a replica takes over when the primary fails",
                    "multiAzEnabled is unset: set it to true so replicas live in other availability zones",
                ],
            },
        ],
    },
    {
        policy: rules.customSubnetGroup,
        pass: [good, { title: "a serverless cache in our subnets", fixture: serverless({}) }],
        flag: [
            { title: "the default subnet group", fixture: group({ subnetGroupName: "default" }), messages: ['subnetGroupName is "default": use a subnet group of the application\'s private subnets'] },
            { title: "a serverless cache without subnets", fixture: serverless({ subnetIds: [] }), messages: ["subnetIds is unset: place the cache in the application's private subnets"] },
        ],
    },
    {
        policy: rules.noClassicSecurityGroups,
        pass: [good, { title: "a serverless cache", fixture: serverless({}) }],
        flag: [
            {
                title: "classic security group names only",
                fixture: group({ securityGroupNames: ["legacy"], securityGroupIds: undefined }),
                messages: [
                    "securityGroupIds is empty: attach a VPC security group that names who may connect",
                    'securityGroupNames is ["legacy"]: classic security groups are not allowed; use securityGroupIds',
                ],
            },
        ],
    },
    {
        policy: rules.autoMinorVersionUpgrade,
        pass: [good, { title: "unset (AWS defaults to true)", fixture: group({ autoMinorVersionUpgrade: undefined }) }],
        flag: [{ title: "turned off", fixture: group({ autoMinorVersionUpgrade: false }), messages: ["autoMinorVersionUpgrade is false: let the maintenance window apply minor (security) releases"] }],
    },
    {
        policy: rules.logDelivery,
        pass: [good],
        flag: [
            {
                title: "only the slow log",
                fixture: group({ logDeliveryConfigurations: [GOOD_GROUP.logDeliveryConfigurations[0]] }),
                messages: ["logDeliveryConfigurations lacks engine-log: deliver both to CloudWatch Logs or Firehose"],
            },
            { title: "no logs", fixture: group({ logDeliveryConfigurations: undefined }), messages: ["logDeliveryConfigurations lacks slow-log and engine-log: deliver both to CloudWatch Logs or Firehose"] },
        ],
    },
    {
        policy: rules.customParameterGroup,
        pass: [good],
        flag: [
            {
                title: "a default parameter group",
                fixture: group({ parameterGroupName: "default.valkey8" }),
                messages: ['parameterGroupName is "default.valkey8": use a parameter group of our own (eviction policy, notify-keyspace-events, ...)'],
            },
        ],
    },
    {
        policy: rules.exactEngineVersion,
        pass: [good],
        flag: [{ title: "6.x", fixture: group({ engineVersion: "6.x" }), messages: ['engineVersion is "6.x": pin major.minor such as "7.1"; wildcards cause a permanent diff'] }],
    },
    {
        policy: rules.serverlessSnapshotRetention,
        pass: [{ title: "7 days", fixture: serverless({}) }],
        flag: [{ title: "no snapshots", fixture: serverless({ snapshotRetentionLimit: undefined }), messages: ["snapshotRetentionLimit is 0: keep at least 1 day(s) of daily snapshots"] }],
    },
    {
        policy: rules.serverlessCustomerManagedKey,
        pass: [{ title: "a KMS key", fixture: serverless({}) }],
        flag: [{ title: "no KMS key", fixture: serverless({ kmsKeyId: undefined }), messages: ["kmsKeyId is unset: encrypt with a customer-managed KMS key, not the AWS-owned default"] }],
    },
];
