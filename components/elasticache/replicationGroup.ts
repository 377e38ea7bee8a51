import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { supportsDataTiering } from "./nodeTypes";
import * as random from "@pulumi/random";
import type { EngineName } from "../redisconf/engines";
import { PASSWORD_CHARSET } from "../security/aclUsers";
import { passwordResourceName, RotationState } from "../security/passwordRotation";
import { AUTH_TOKEN_LENGTH, authTokenProblem, authTokenUpdateStrategy } from "./authToken";
import type { CacheParameter } from "./parameters";

/** How clients authenticate to a {@link ReplicationGroup}. */
export type ReplicationGroupAuth =
    /** RBAC users in a user group; `deleteAuthToken` removes an AUTH token the group had (AUTH to RBAC migration). */
    | { kind: "rbac"; userGroupId: pulumi.Input<string>; deleteAuthToken?: boolean }
    /** A generated AUTH token of `length` characters, rotated by `rotation`; or the caller's own `token`. */
    | { kind: "token"; length: number; rotation: RotationState; token?: pulumi.Input<string> };

/** Arguments of {@link ReplicationGroup}. */
export interface ReplicationGroupArgs {
    /** The replication group id; log groups and the final snapshot are named after it. */
    identifier: string;
    engine: { name: EngineName; version: string };
    /** The parameter group family, matching the engine (`valkey8`, `redis7`, ...). */
    family: string;
    /** The node type; may come from another resource. */
    nodeType: pulumi.Input<string>;
    /** Shards the keyspace (cluster mode enabled) when true. */
    clusterMode: boolean;
    /** Shards; must be 1 without cluster mode. */
    shards: number;
    /** Replicas per shard, 0 to 5. */
    replicas: number;
    /** Spreads nodes over zones with automatic failover; needs replicas. */
    multiAz: boolean;
    port: number;
    subnetGroupName: pulumi.Input<string>;
    securityGroupIds: pulumi.Input<string>[];
    /** A customer-managed key for encryption at rest; `undefined` uses the AWS-managed key. */
    kmsKeyArn?: pulumi.Input<string>;
    /** `required` (TLS only) or `preferred` (TLS and plain text, only while migrating clients). */
    transitEncryptionMode: "required" | "preferred";
    auth: ReplicationGroupAuth;
    /** The parameter group's parameters. */
    parameters: CacheParameter[];
    /** Log delivery to CloudWatch Logs. */
    logs: { slowLog: boolean; engineLog: boolean; retentionDays: number };
    snapshotRetentionDays: number;
    snapshotWindow: string;
    /** The final snapshot's name; `undefined` deletes without one. */
    finalSnapshotIdentifier?: string;
    maintenanceWindow: string;
    autoMinorVersionUpgrade: boolean;
    applyImmediately: boolean;
    /** On exactly for r6gd node types; checked when both are known. */
    dataTiering: pulumi.Input<boolean>;
    /** The SNS topic ElastiCache sends its events to. */
    notificationTopicArn: pulumi.Input<string>;
    /** Protects the replication group from deletion. @default false */
    protect?: boolean;
}

/**
 * An ElastiCache (Valkey or Redis OSS) replication group with its parameter group and log groups: cluster
 * mode on or off, Multi-AZ with automatic failover, encryption at rest and in transit, RBAC or an AUTH token
 * that rotates in place, slow and engine logs, daily snapshots and a final one.
 *
 * The parameter group is auto-named by Pulumi (a name prefix plus a random suffix), so a family change
 * (an engine major upgrade) creates the new group first, moves the cluster over, then deletes the old one.
 */
export class ReplicationGroup extends pulumi.ComponentResource {
    /** The replication group id. */
    public readonly replicationGroupId: pulumi.Output<string>;
    /** The primary endpoint (cluster mode off). */
    public readonly primaryEndpointAddress: pulumi.Output<string>;
    /** The reader endpoint (cluster mode off). */
    public readonly readerEndpointAddress: pulumi.Output<string>;
    /** The configuration endpoint (cluster mode on). */
    public readonly configurationEndpointAddress: pulumi.Output<string>;
    /** The current AUTH token (token mode), as a secret. */
    public readonly authToken: pulumi.Output<string> | undefined;

    /**
     * @param name the logical name; children are named after it
     * @param args the replication group's settings
     * @param opts resource options
     * @throws Error before registering anything on a combination ElastiCache refuses
     */
    constructor(name: string, args: ReplicationGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        validateReplicationGroupArgs(args);
        super("redisplatform:elasticache:ReplicationGroup", name, {}, opts);

        const parameterGroup = new aws.elasticache.ParameterGroup(
            `${name}-params`,
            { family: args.family, description: `Parameters of ElastiCache ${args.identifier}`, parameters: args.parameters },
            { parent: this },
        );

        const logDeliveryConfigurations = (["slow-log", "engine-log"] as const)
            .filter((logType) => (logType === "slow-log" ? args.logs.slowLog : args.logs.engineLog))
            .map((logType) => {
                const group = new aws.cloudwatch.LogGroup(
                    `${name}-${logType}`,
                    { name: `/elasticache/${args.identifier}/${logType}`, retentionInDays: args.logs.retentionDays },
                    { parent: this },
                );
                return { destination: group.name, destinationType: "cloudwatch-logs", logFormat: "json", logType };
            });

        const auth = args.auth;
        let authArgs: Pick<aws.elasticache.ReplicationGroupArgs, "authToken" | "authTokenUpdateStrategy" | "userGroupIds">;
        if (auth.kind === "token") {
            const token =
                auth.token !== undefined
                    ? pulumi.secret(pulumi.output(auth.token).apply(checkedAuthToken))
                    : new random.RandomPassword(
                          passwordResourceName(name, "auth-token", auth.rotation.generation),
                          { length: auth.length, ...PASSWORD_CHARSET },
                          { parent: this, additionalSecretOutputs: ["result", "bcryptHash"] },
                      ).result;
            authArgs = { authToken: token, authTokenUpdateStrategy: authTokenUpdateStrategy(auth.rotation) };
            this.authToken = pulumi.secret(token);
        } else {
            authArgs = { userGroupIds: [auth.userGroupId], ...(auth.deleteAuthToken ? { authTokenUpdateStrategy: "DELETE" } : {}) };
            this.authToken = undefined;
        }

        const topology = args.clusterMode
            ? { clusterMode: "enabled", numNodeGroups: args.shards, replicasPerNodeGroup: args.replicas }
            : { clusterMode: "disabled", numCacheClusters: 1 + args.replicas };
        const group = new aws.elasticache.ReplicationGroup(
            `${name}-rg`,
            {
                replicationGroupId: args.identifier,
                description: `Redis platform: ${args.identifier}`,
                engine: args.engine.name,
                engineVersion: args.engine.version,
                nodeType: pulumi.all([args.nodeType, args.dataTiering]).apply(([nodeType, dataTiering]) => {
                    const problem = dataTieringProblem(nodeType, dataTiering);
                    if (problem !== undefined) {
                        throw new Error(`ReplicationGroup: ${problem}`);
                    }
                    return nodeType;
                }),
                ...topology,
                automaticFailoverEnabled: args.clusterMode || args.replicas > 0,
                multiAzEnabled: args.multiAz,
                port: args.port,
                parameterGroupName: parameterGroup.name,
                subnetGroupName: args.subnetGroupName,
                securityGroupIds: args.securityGroupIds,
                atRestEncryptionEnabled: true,
                kmsKeyId: args.kmsKeyArn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: args.transitEncryptionMode,
                ...authArgs,
                logDeliveryConfigurations,
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: args.snapshotWindow,
                finalSnapshotIdentifier: args.finalSnapshotIdentifier,
                maintenanceWindow: args.maintenanceWindow,
                autoMinorVersionUpgrade: args.autoMinorVersionUpgrade,
                applyImmediately: args.applyImmediately,
                dataTieringEnabled: args.dataTiering,
                notificationTopicArn: args.notificationTopicArn,
            },
            { parent: this, protect: args.protect ?? false },
        );

        this.replicationGroupId = group.replicationGroupId;
        this.primaryEndpointAddress = group.primaryEndpointAddress;
        this.readerEndpointAddress = group.readerEndpointAddress;
        this.configurationEndpointAddress = group.configurationEndpointAddress;
        this.registerOutputs({
            replicationGroupId: this.replicationGroupId,
            primaryEndpointAddress: this.primaryEndpointAddress,
            readerEndpointAddress: this.readerEndpointAddress,
            configurationEndpointAddress: this.configurationEndpointAddress,
            authToken: this.authToken,
        });
    }
}

function checkedAuthToken(token: string): string {
    const problem = authTokenProblem(token);
    if (problem !== undefined) {
        throw new Error(`ReplicationGroup: auth.token ${problem}`);
    }
    return token;
}

/**
 * Checks the plain arguments of {@link ReplicationGroup}. An AUTH token given as a plain string is checked
 * here too; one that arrives as an Output is checked when it resolves.
 *
 * @throws Error naming the argument, the value and what is allowed (never the token itself)
 */
export function validateReplicationGroupArgs(args: ReplicationGroupArgs): void {
    const fail = (message: string): never => {
        throw new Error(`ReplicationGroup: ${message}`);
    };
    if (!Number.isInteger(args.replicas) || args.replicas < 0 || args.replicas > 5) {
        fail(`replicas = ${args.replicas}: must be a whole number from 0 to 5`);
    }
    if (args.clusterMode && (!Number.isInteger(args.shards) || args.shards < 1 || args.shards > 500)) {
        fail(`shards = ${args.shards}: must be a whole number from 1 to 500 with cluster mode`);
    }
    if (!args.clusterMode && args.shards !== 1) {
        fail(`shards = ${args.shards}: must be 1 without cluster mode`);
    }
    if (args.multiAz && args.replicas === 0) {
        fail("multiAz = true with replicas = 0: Multi-AZ needs at least 1 replica to fail over to");
    }
    const { nodeType, dataTiering } = args;
    if (typeof nodeType === "string" && typeof dataTiering === "boolean") {
        const problem = dataTieringProblem(nodeType, dataTiering);
        if (problem !== undefined) {
            fail(problem);
        }
    }
    if (args.auth.kind === "token") {
        const { length, token } = args.auth;
        if (!Number.isInteger(length) || length < AUTH_TOKEN_LENGTH.min || length > AUTH_TOKEN_LENGTH.max) {
            fail(`auth.length = ${length}: must be a whole number from ${AUTH_TOKEN_LENGTH.min} to ${AUTH_TOKEN_LENGTH.max}`);
        }
        if (typeof token === "string") {
            const problem = authTokenProblem(token);
            if (problem !== undefined) {
                fail(`auth.token ${problem}`);
            }
        }
    }
}

/** Why a node type and data tiering setting do not fit, or `undefined` when they do. */
export function dataTieringProblem(nodeType: string, dataTiering: boolean): string | undefined {
    return dataTiering !== supportsDataTiering(nodeType)
        ? `dataTiering = ${dataTiering} with nodeType = ${nodeType}: data tiering is on exactly for r6gd node types`
        : undefined;
}
