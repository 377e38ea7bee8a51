import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RedisConnection, RoleCredentials } from "../connection";
import type { RotationState } from "../security/passwordRotation";
import { AlarmSpec, nodeAlarmSpecs, serverlessAlarmSpecs } from "./alarmSpecs";
import { Alarms } from "./alarms";
import { EncryptionKey } from "./encryptionKey";
import { cloudWatchDashboardBody } from "../monitoring/cloudwatchDashboard";
import { memberClusterIds } from "./identifiers";
import { Network } from "./network";
import type { ElastiCachePlan } from "./plan";
import { RbacUsers, RbacUserSpec } from "./rbacUsers";
import { ReplicationGroup } from "./replicationGroup";
import { ServerlessCache } from "./serverlessCache";

/** Arguments of {@link ElastiCache}. */
export interface ElastiCacheArgs {
    /** Every option decided (see `planElastiCache`). */
    plan: ElastiCachePlan;
    /** The application users. With an AUTH token there must be exactly one, and it logs in as `default`. */
    users: RbacUserSpec[];
    /** Length of every RBAC password. @default 40 */
    passwordLength?: number;
    /** RBAC password rotation state per username. @default {} */
    rotation?: Record<string, RotationState>;
    /** The PagerDuty CloudWatch integration key (secret), when `plan.pagerduty`. */
    pagerdutyIntegrationKey?: pulumi.Input<string>;
}

/**
 * A whole ElastiCache deployment: encryption key, network and security group, RBAC users (or an AUTH token),
 * SNS topic and CloudWatch alarms, and a replication group or a Serverless cache, exposed through the one
 * connection shape every backend shares.
 */
export class ElastiCache extends pulumi.ComponentResource {
    /** How clients connect. Holds no secret. */
    public readonly connection: pulumi.Output<RedisConnection>;
    /** Username and password per application user, as a secret. */
    public readonly credentials: pulumi.Output<RoleCredentials>;
    /** The SNS topic events and alarms go to. */
    public readonly topicArn: pulumi.Output<string>;

    /**
     * @param name the logical name; children are named after it
     * @param args the plan and the users
     * @param opts resource options
     * @throws Error before registering anything on users an AUTH token cannot serve
     */
    constructor(name: string, args: ElastiCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        validateElastiCacheArgs(args);
        super("redisplatform:elasticache:ElastiCache", name, {}, opts);
        const { plan } = args;

        const kmsKeyArn: pulumi.Input<string> | undefined =
            plan.encryption.kind === "create"
                ? new EncryptionKey(`${name}-kms`, { identifier: plan.identifier, protect: plan.protect }, { parent: this }).arn
                : plan.encryption.kind === "existing"
                  ? plan.encryption.keyArn
                  : undefined;

        const port = plan.kind === "replicationGroup" ? plan.port : 6379;
        const network = new Network(
            `${name}-network`,
            {
                identifier: plan.identifier,
                network: plan.network,
                // A Serverless cache serves reads on the port after the write port.
                ports: { from: port, to: plan.kind === "serverless" ? port + 1 : port },
                allowedSecurityGroupIds: plan.allowedSecurityGroupIds,
                allowedCidrs: plan.allowedCidrs,
                subnetGroup: plan.kind === "replicationGroup",
            },
            { parent: this },
        );

        const rbac =
            plan.kind === "serverless" || plan.authentication.kind === "rbac"
                ? new RbacUsers(
                      `${name}-users`,
                      {
                          identifier: plan.identifier,
                          engine: plan.engine.name,
                          users: args.users,
                          clusterMode: plan.kind === "serverless" || plan.clusterMode,
                          passwordLength: args.passwordLength,
                          rotation: args.rotation,
                      },
                      { parent: this },
                  )
                : undefined;

        let specs: AlarmSpec[] = [];
        if (plan.alarms !== undefined) {
            specs =
                plan.kind === "serverless"
                    ? serverlessAlarmSpecs(plan.identifier, plan.limits, plan.alarms)
                    : nodeAlarmSpecs(plan.identifier, memberClusterIds(plan.identifier, plan.clusterMode, plan.shards, plan.replicas), plan.replicas > 0, plan.alarms);
        }
        const alarms = new Alarms(
            `${name}-alarms`,
            {
                identifier: plan.identifier,
                specs,
                receivers: { emails: plan.notificationEmails, ...(plan.pagerduty ? { pagerdutyIntegrationKey: args.pagerdutyIntegrationKey } : {}) },
                runbookBaseUrl: plan.runbookBaseUrl,
            },
            { parent: this },
        );
        const region = aws.config.region;
        if (plan.kind !== "serverless" && region !== undefined) {
            // The node ids are known before the group exists, so the dashboard is plain text, not an Output.
            new aws.cloudwatch.Dashboard(
                `${name}-dashboard`,
                {
                    dashboardName: `${plan.identifier}-redis`,
                    dashboardBody: cloudWatchDashboardBody({
                        replicationGroupId: plan.identifier,
                        nodeIds: memberClusterIds(plan.identifier, plan.clusterMode, plan.shards, plan.replicas),
                        region,
                    }),
                },
                { parent: this },
            );
        }

        if (plan.kind === "serverless") {
            const cache = new ServerlessCache(
                `${name}-serverless`,
                {
                    identifier: plan.identifier,
                    engine: plan.engine.name,
                    majorEngineVersion: plan.majorEngineVersion,
                    limits: plan.limits,
                    subnetIds: network.subnetIds,
                    securityGroupIds: [network.securityGroupId],
                    kmsKeyArn,
                    userGroupId: rbac!.userGroupId,
                    snapshotRetentionDays: plan.snapshotRetentionDays,
                    dailySnapshotTime: plan.dailySnapshotTime,
                    protect: plan.protect,
                },
                { parent: this },
            );
            this.connection = pulumi.all([cache.endpoint, cache.readerEndpoint]).apply(
                ([endpoint, reader]): RedisConnection => ({
                    mode: "cluster",
                    endpoints: [endpoint],
                    readerEndpoints: [reader],
                    configurationEndpoint: endpoint,
                    tls: { enabled: true, serverName: endpoint.host },
                }),
            );
            this.credentials = rbac!.credentials;
        } else {
            const group = new ReplicationGroup(
                `${name}-group`,
                {
                    identifier: plan.identifier,
                    engine: plan.engine,
                    family: plan.family,
                    nodeType: plan.nodeType,
                    clusterMode: plan.clusterMode,
                    shards: plan.shards,
                    replicas: plan.replicas,
                    multiAz: plan.multiAz,
                    port: plan.port,
                    subnetGroupName: network.subnetGroupName!,
                    securityGroupIds: [network.securityGroupId],
                    kmsKeyArn,
                    transitEncryptionMode: plan.transitEncryptionMode,
                    auth:
                        plan.authentication.kind === "rbac"
                            ? { kind: "rbac", userGroupId: rbac!.userGroupId, deleteAuthToken: plan.authentication.deleteAuthToken }
                            : { kind: "token", length: plan.authentication.length, rotation: plan.authentication.rotation },
                    parameters: plan.parameters,
                    logs: plan.logs,
                    snapshotRetentionDays: plan.snapshotRetentionDays,
                    snapshotWindow: plan.snapshotWindow,
                    finalSnapshotIdentifier: plan.finalSnapshotIdentifier,
                    maintenanceWindow: plan.maintenanceWindow,
                    autoMinorVersionUpgrade: plan.autoMinorVersionUpgrade,
                    applyImmediately: plan.applyImmediately,
                    dataTiering: plan.dataTiering,
                    notificationTopicArn: alarms.topicArn,
                    protect: plan.protect,
                },
                { parent: this },
            );
            this.connection = replicationGroupConnection(group, plan.clusterMode, plan.replicas, plan.port);
            this.credentials = rbac
                ? rbac.credentials
                : pulumi.secret(group.authToken!.apply((token) => Object.fromEntries(args.users.map((user) => [user.name, { username: "default", password: token }]))));
        }
        this.topicArn = alarms.topicArn;
        this.registerOutputs({ connection: this.connection, credentials: this.credentials, topicArn: this.topicArn });
    }
}

function replicationGroupConnection(group: ReplicationGroup, clusterMode: boolean, replicas: number, port: number): pulumi.Output<RedisConnection> {
    if (clusterMode) {
        return group.configurationEndpointAddress.apply((host): RedisConnection => ({
            mode: "cluster",
            endpoints: [{ host, port }],
            configurationEndpoint: { host, port },
            tls: { enabled: true, serverName: host },
        }));
    }
    return pulumi.all([group.primaryEndpointAddress, group.readerEndpointAddress]).apply(
        ([primary, reader]): RedisConnection => ({
            mode: "standalone",
            endpoints: [{ host: primary, port }],
            ...(replicas > 0 ? { readerEndpoints: [{ host: reader, port }] } : {}),
            tls: { enabled: true, serverName: primary },
        }),
    );
}

/**
 * Checks that the users fit the authentication (an AUTH token is one password for everybody, so it serves
 * exactly one user, who must not be read-only), and that PagerDuty routing has its key.
 *
 * @throws Error naming the argument, the value and what is allowed
 */
export function validateElastiCacheArgs(args: Pick<ElastiCacheArgs, "plan" | "users" | "pagerdutyIntegrationKey">): void {
    const { plan, users } = args;
    if (plan.pagerduty && args.pagerdutyIntegrationKey === undefined) {
        throw new Error("ElastiCache: plan.pagerduty is true but pagerdutyIntegrationKey is not set: pass the PagerDuty CloudWatch integration key (a secret)");
    }
    if (plan.kind === "replicationGroup" && plan.authentication.kind === "token") {
        if (users.length !== 1) {
            throw new Error(`ElastiCache: users has ${users.length} entries with an AUTH token: must have exactly 1; use RBAC for several users`);
        }
        if (users[0].role === "readonly") {
            throw new Error(`ElastiCache: user "${users[0].name}" has role "readonly" with an AUTH token: the token grants every command; use RBAC`);
        }
    }
}
