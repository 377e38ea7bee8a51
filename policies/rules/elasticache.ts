import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "./lib/define";
import { ELASTICACHE } from "./lib/types";
import { numeric, records, show, strings, text } from "./lib/values";

const RG = [ELASTICACHE.replicationGroup];
const SERVERLESS = [ELASTICACHE.serverlessCache];

/** Data at rest (nodes, swap, snapshots) must be encrypted. */
export const encryptionAtRest = resourceRule({
    name: "elasticache-encryption-at-rest",
    description: "ElastiCache replication groups encrypt data at rest.",
    enforcementLevel: "mandatory",
    types: RG,
    check: (props, report) => {
        if (props.atRestEncryptionEnabled !== true) {
            report(`atRestEncryptionEnabled is ${show(props.atRestEncryptionEnabled)}: set it to true (it can only be chosen at creation)`);
        }
    },
});

/** The at-rest key must be ours, so access to data and snapshots is governed by our key policy. */
export const customerManagedKey = resourceRule({
    name: "elasticache-customer-managed-key",
    description: "ElastiCache replication groups encrypt at rest with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    types: RG,
    check: (props, report) => {
        if (text(props.kmsKeyId) === undefined) {
            report("kmsKeyId is unset: encrypt with a customer-managed KMS key, not the AWS-owned default");
        }
    },
});

/** Clients and replicas talk TLS, and the cluster refuses plain-text connections. */
export const transitEncryptionRequired = resourceRule({
    name: "elasticache-transit-encryption-required",
    description: "ElastiCache replication groups enable in-transit encryption in required mode.",
    enforcementLevel: "mandatory",
    types: RG,
    check: (props, report) => {
        if (props.transitEncryptionEnabled !== true) {
            report(`transitEncryptionEnabled is ${show(props.transitEncryptionEnabled)}: set it to true`);
        } else if (props.transitEncryptionMode === "preferred") {
            report('transitEncryptionMode is "preferred": plain-text clients are still accepted; finish the migration with "required"');
        }
    },
});

/** Without AUTH or RBAC anyone who can reach the port has full access. */
export const authRequired = resourceRule({
    name: "elasticache-auth-required",
    description: "ElastiCache replication groups and serverless caches require an AUTH token or RBAC user group.",
    enforcementLevel: "mandatory",
    types: [...RG, ...SERVERLESS],
    check: (props, report, _config, args) => {
        if (args.type === ELASTICACHE.serverlessCache) {
            if (text(props.userGroupId) === undefined) {
                report("userGroupId is unset: attach an RBAC user group so every client authenticates");
            }
        } else if (text(props.authToken) === undefined && strings(props.userGroupIds).length === 0) {
            report("neither authToken nor userGroupIds is set: every client must authenticate (RBAC user group or AUTH token)");
        }
    },
});

/** Changing an AUTH token under the default strategy replaces the whole cluster. */
export const authTokenRotate = resourceRule({
    name: "elasticache-auth-token-rotate",
    description: "ElastiCache replication groups that use an AUTH token change it with the ROTATE strategy.",
    enforcementLevel: "mandatory",
    types: RG,
    check: (props, report) => {
        if (text(props.authToken) !== undefined && props.authTokenUpdateStrategy !== "ROTATE") {
            report(`authTokenUpdateStrategy is ${show(props.authTokenUpdateStrategy)}: use "ROTATE" so a new token is added beside the old one instead of replacing the cluster`);
        }
    },
});

/** The RBAC `default` user must exist (ElastiCache requires it) and must not let anyone in. */
export const rbacDefaultUserDisabled = resourceRule({
    name: "elasticache-rbac-default-user-disabled",
    description: 'The ElastiCache RBAC "default" user is disabled (access string starts with "off").',
    enforcementLevel: "mandatory",
    types: [ELASTICACHE.user],
    check: (props, report) => {
        if (props.userName !== "default") {
            return;
        }
        const tokens = String(props.accessString ?? "").trim().split(/\s+/);
        if (!tokens.includes("off") || tokens.includes("on")) {
            report(`the "default" user has accessString ${show(props.accessString)}: it must be "off" so unauthenticated clients get nothing`);
        }
    },
});

/** Snapshots are the only way back after a bad write or a lost cluster. */
export const snapshotRetention = resourceRule<{ minimumDays: number }>({
    name: "elasticache-snapshot-retention",
    description: "ElastiCache replication groups keep automatic snapshots for at least `minimumDays` days (prod).",
    enforcementLevel: "mandatory",
    config: { minimumDays: { type: "integer", default: 1, description: "The fewest days of automatic snapshots to keep." } },
    types: RG,
    check: (props, report, config) => {
        const days = numeric(props.snapshotRetentionLimit) ?? 0;
        if (days < config.minimumDays) {
            report(`snapshotRetentionLimit is ${days}: keep at least ${config.minimumDays} day(s) of automatic snapshots`);
        }
    },
});

/** Deleting a cluster without a final snapshot loses its data for good. */
export const finalSnapshot = resourceRule({
    name: "elasticache-final-snapshot",
    description: "ElastiCache replication groups take a final snapshot when deleted.",
    enforcementLevel: "mandatory",
    types: RG,
    check: (props, report) => {
        if (text(props.finalSnapshotIdentifier) === undefined) {
            report("finalSnapshotIdentifier is unset: a deleted cluster would leave no snapshot behind");
        }
    },
});

/** A single node or a single zone is one failure away from an outage. */
export const multiAzFailover = resourceRule({
    name: "elasticache-multi-az-failover",
    description: "ElastiCache replication groups run Multi-AZ with automatic failover (prod).",
    enforcementLevel: "mandatory",
    types: RG,
    check: (props, report) => {
        if (props.automaticFailoverEnabled !== true) {
            report(`automaticFailoverEnabled is ${show(props.automaticFailoverEnabled)}: set it to true so a replica takes over when the primary fails`);
        }
        if (props.multiAzEnabled !== true) {
            report(`multiAzEnabled is ${show(props.multiAzEnabled)}: set it to true so replicas live in other availability zones`);
        }
    },
});

/** The default subnet group puts the cluster in the default VPC. */
export const customSubnetGroup = resourceRule({
    name: "elasticache-custom-subnet-group",
    description: "ElastiCache replication groups and serverless caches run in our own subnets, not the default subnet group.",
    enforcementLevel: "mandatory",
    types: [...RG, ...SERVERLESS],
    check: (props, report, _config, args) => {
        if (args.type === ELASTICACHE.serverlessCache) {
            if (strings(props.subnetIds).length === 0) {
                report("subnetIds is unset: place the cache in the application's private subnets");
            }
            return;
        }
        const group = text(props.subnetGroupName);
        if (group === undefined || group === "default") {
            report(`subnetGroupName is ${show(props.subnetGroupName)}: use a subnet group of the application's private subnets`);
        }
    },
});

/** EC2-Classic security groups do not exist in a VPC and cannot express who may connect. */
export const noClassicSecurityGroups = resourceRule({
    name: "elasticache-vpc-security-groups",
    description: "ElastiCache replication groups and serverless caches use VPC security groups, never classic security group names.",
    enforcementLevel: "mandatory",
    types: [...RG, ...SERVERLESS],
    check: (props, report) => {
        if (strings(props.securityGroupNames).length > 0) {
            report(`securityGroupNames is ${show(props.securityGroupNames)}: classic security groups are not allowed; use securityGroupIds`);
        }
        if (strings(props.securityGroupIds).length === 0) {
            report("securityGroupIds is empty: attach a VPC security group that names who may connect");
        }
    },
});

/** Minor versions carry security fixes. */
export const autoMinorVersionUpgrade = resourceRule({
    name: "elasticache-auto-minor-version-upgrade",
    description: "ElastiCache replication groups take minor engine upgrades automatically in the maintenance window.",
    enforcementLevel: "advisory",
    types: RG,
    check: (props, report) => {
        if (props.autoMinorVersionUpgrade === false || props.autoMinorVersionUpgrade === "false") {
            report("autoMinorVersionUpgrade is false: let the maintenance window apply minor (security) releases");
        }
    },
});

/** Without the slow log and engine log, latency and failover incidents cannot be explained afterwards. */
export const logDelivery = resourceRule({
    name: "elasticache-log-delivery",
    description: "ElastiCache replication groups deliver both the slow log and the engine log.",
    enforcementLevel: "advisory",
    types: RG,
    check: (props, report) => {
        const delivered = new Set(records(props.logDeliveryConfigurations).map((entry) => entry.logType));
        const missing = ["slow-log", "engine-log"].filter((logType) => !delivered.has(logType));
        if (missing.length > 0) {
            report(`logDeliveryConfigurations lacks ${missing.join(" and ")}: deliver both to CloudWatch Logs or Firehose`);
        }
    },
});

/** A default parameter group cannot be tuned and blocks settings such as the eviction policy. */
export const customParameterGroup = resourceRule({
    name: "elasticache-custom-parameter-group",
    description: "ElastiCache replication groups use our own parameter group, not a default.* one.",
    enforcementLevel: "advisory",
    types: RG,
    check: (props, report) => {
        const group = text(props.parameterGroupName);
        if (group === undefined || group.startsWith("default.")) {
            report(`parameterGroupName is ${show(props.parameterGroupName)}: use a parameter group of our own (eviction policy, notify-keyspace-events, ...)`);
        }
    },
});

/** `7.x`-style versions make the provider report a diff on every preview. */
export const exactEngineVersion = resourceRule({
    name: "elasticache-exact-engine-version",
    description: "ElastiCache engine versions are major.minor (for example 7.1 or 8.0), never x-style wildcards.",
    enforcementLevel: "advisory",
    types: RG,
    check: (props, report) => {
        const version = text(props.engineVersion);
        if (version !== undefined && /x/i.test(version)) {
            report(`engineVersion is ${show(version)}: pin major.minor such as "7.1"; wildcards cause a permanent diff`);
        }
    },
});

/** Serverless caches keep snapshots only when told to. */
export const serverlessSnapshotRetention = resourceRule<{ minimumDays: number }>({
    name: "elasticache-serverless-snapshot-retention",
    description: "ElastiCache serverless caches keep daily snapshots for at least `minimumDays` days (prod).",
    enforcementLevel: "mandatory",
    config: { minimumDays: { type: "integer", default: 1, description: "The fewest days of daily snapshots to keep." } },
    types: SERVERLESS,
    check: (props, report, config) => {
        const days = numeric(props.snapshotRetentionLimit) ?? 0;
        if (days < config.minimumDays) {
            report(`snapshotRetentionLimit is ${days}: keep at least ${config.minimumDays} day(s) of daily snapshots`);
        }
    },
});

/** As for replication groups: our key, our key policy. */
export const serverlessCustomerManagedKey = resourceRule({
    name: "elasticache-serverless-customer-managed-key",
    description: "ElastiCache serverless caches encrypt with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    types: SERVERLESS,
    check: (props, report) => {
        if (text(props.kmsKeyId) === undefined) {
            report("kmsKeyId is unset: encrypt with a customer-managed KMS key, not the AWS-owned default");
        }
    },
});

/** A standalone cache cluster has none of the protections the replication-group rules demand. */
export const clusterInReplicationGroup = resourceRule({
    name: "elasticache-cluster-in-replication-group",
    description: "ElastiCache cache clusters (aws.elasticache.Cluster) are members of a replication group; a standalone Redis, Valkey or Memcached cluster is refused.",
    enforcementLevel: "mandatory",
    types: [ELASTICACHE.cluster],
    check: (props, report) => {
        if (text(props.replicationGroupId) !== undefined) {
            return;
        }
        const engine = text(props.engine) ?? "unset";
        report(
            engine === "memcached"
                ? 'engine "memcached" has no authentication and no replication: use a Valkey or Redis replication group'
                : `a standalone ${engine} cache cluster has no at-rest encryption, no AUTH or RBAC and no failover: create a ReplicationGroup instead`,
        );
    },
});

/** Every ElastiCache rule. */
export const ELASTICACHE_RULES: ResourceValidationPolicy[] = [
    encryptionAtRest,
    customerManagedKey,
    transitEncryptionRequired,
    authRequired,
    authTokenRotate,
    rbacDefaultUserDisabled,
    snapshotRetention,
    finalSnapshot,
    multiAzFailover,
    customSubnetGroup,
    noClassicSecurityGroups,
    autoMinorVersionUpgrade,
    logDelivery,
    customParameterGroup,
    exactEngineVersion,
    serverlessSnapshotRetention,
    serverlessCustomerManagedKey,
    clusterInReplicationGroup,
];
