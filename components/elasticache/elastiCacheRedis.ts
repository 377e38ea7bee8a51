import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RedisConnection, RoleCredentials } from "../connection";
import { throwOnProblems } from "../problems";
import { DEFAULT_ACL } from "../defaults";
import type { ElastiCacheRedisArgs } from "./args";
import { AlarmSpec, nodeAlarmSpecs, serverlessAlarmSpecs } from "./alarmSpecs";
import { Alarms } from "./alarms";
import { EncryptionKey } from "./encryptionKey";
import { cloudWatchDashboardBody } from "../monitoring/cloudwatchDashboard";
import { elastiCacheIdentifier, memberClusterIds } from "./identifiers";
import { Network } from "./network";
import { planElastiCache } from "./plan";
import { RbacUsers } from "./rbacUsers";
import { ReplicationGroup } from "./replicationGroup";
import { ServerlessCache } from "./serverlessCache";
import { elastiCacheArgsProblems } from "./validate";

/** The type token of {@link ElastiCacheRedis}. */
export const ELASTICACHE_REDIS_TYPE = "redisplatform:elasticache:ElastiCacheRedis";
/** The token the component had before 0.2.0, kept as an alias so existing stacks are not replaced. */
export const ELASTICACHE_REDIS_OLD_TYPE = "redisplatform:elasticache:ElastiCache";

/**
 * A whole ElastiCache deployment: encryption key, network and security group, RBAC users (or an AUTH token),
 * SNS topic and CloudWatch alarms, and a replication group or a Serverless cache, exposed through the one
 * connection shape every backend shares.
 */
export class ElastiCacheRedis extends pulumi.ComponentResource {
    /** The replication group id or Serverless cache name. */
    public readonly identifier: string;
    /** How clients connect. Holds no secret. */
    public readonly connection: pulumi.Output<RedisConnection>;
    /** Username and password per application user, as a secret. */
    public readonly credentials: pulumi.Output<RoleCredentials>;
    /** The SNS topic events and alarms go to. */
    public readonly topicArn: pulumi.Output<string>;
    /** The security group the cache's endpoints are in: add ingress rules to it, or reference it elsewhere. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The VPC the cache lives in. */
    public readonly vpcId: pulumi.Output<string>;
    /** The subnets of the cache's endpoints. */
    public readonly subnetIds: pulumi.Output<string[]>;
    /** The KMS key ARN data is encrypted with, unless the AWS-managed key is used. */
    public readonly kmsKeyArn: pulumi.Output<string> | undefined;
    /** The replication group (mode `replicationGroup`). */
    public readonly replicationGroup: ReplicationGroup | undefined;
    /** The Serverless cache (mode `serverless`). */
    public readonly serverlessCache: ServerlessCache | undefined;
    /** The SNS topic and CloudWatch alarms. */
    public readonly alarms: Alarms;
    /** The CloudWatch dashboard (replication groups). */
    public readonly dashboard: aws.cloudwatch.Dashboard | undefined;

    /**
     * @param name the logical name; children are named after it
     * @param args the cache's settings; ids, ARNs, CIDR blocks and the node type may be Outputs
     * @param opts resource options; an `aws` provider here decides the region of every child
     * @throws ComponentArgsError before registering anything, listing every argument that does not fit
     */
    constructor(name: string, args: ElastiCacheRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        validateElastiCacheRedisArgs(name, args);
        super(ELASTICACHE_REDIS_TYPE, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: ELASTICACHE_REDIS_OLD_TYPE }] });
        this.identifier = args.identifier ?? elastiCacheIdentifier([name, pulumi.getStack()]);
        const plan = planElastiCache(this.identifier, args);
        const users = args.users ?? [...DEFAULT_ACL.users];
        const userNames = new Set(users.map((user) => user.name));
        // System users do not exist here: rotation state is kept for application users only.
        const rotation = Object.fromEntries(Object.entries(args.rotation ?? {}).filter(([user]) => userNames.has(user)));

        const kmsKeyArn: pulumi.Output<string> | undefined =
            plan.encryption.kind === "create"
                ? new EncryptionKey(`${name}-kms`, { identifier: plan.identifier, protect: plan.protect }, { parent: this }).arn
                : plan.encryption.kind === "existing"
                  ? pulumi.output(plan.encryption.keyArn)
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
                          users,
                          clusterMode: plan.kind === "serverless" || plan.clusterMode,
                          passwordLength: args.passwordLength,
                          rotation,
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
        const alarms = (this.alarms = new Alarms(
            `${name}-alarms`,
            {
                identifier: plan.identifier,
                specs,
                receivers: { emails: plan.notificationEmails, ...(args.pagerdutyIntegrationKey === undefined ? {} : { pagerdutyIntegrationKey: args.pagerdutyIntegrationKey }) },
                runbookBaseUrl: plan.runbookBaseUrl,
            },
            { parent: this },
        ));
        if (plan.kind !== "serverless") {
            // The region of the provider in effect (an explicit aws provider in opts, or the stack's aws:region).
            const region = aws.getRegionOutput({}, { parent: this }).region;
            const nodeIds = memberClusterIds(plan.identifier, plan.clusterMode, plan.shards, plan.replicas);
            this.dashboard = new aws.cloudwatch.Dashboard(
                `${name}-dashboard`,
                {
                    dashboardName: `${plan.identifier}-redis`,
                    dashboardBody: region.apply((name) => cloudWatchDashboardBody({ replicationGroupId: plan.identifier, nodeIds, region: name })),
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
            this.serverlessCache = cache;
            this.replicationGroup = undefined;
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
            this.replicationGroup = group;
            this.serverlessCache = undefined;
            this.connection = replicationGroupConnection(group, plan.clusterMode, plan.replicas, plan.port);
            this.credentials = rbac
                ? rbac.credentials
                : pulumi.secret(group.authToken!.apply((token) => Object.fromEntries(users.map((user) => [user.name, { username: "default", password: token }]))));
        }
        this.topicArn = alarms.topicArn;
        this.securityGroupId = network.securityGroupId;
        this.vpcId = network.vpcId;
        this.subnetIds = network.subnetIds;
        this.kmsKeyArn = kmsKeyArn;
        this.registerOutputs({
            connection: this.connection,
            credentials: this.credentials,
            topicArn: this.topicArn,
            securityGroupId: this.securityGroupId,
            vpcId: this.vpcId,
            subnetIds: this.subnetIds,
            kmsKeyArn: this.kmsKeyArn,
        });
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
 * Checks the plain parts of {@link ElastiCacheRedisArgs} (see `elastiCacheArgsProblems`), and that the
 * users fit the authentication: an AUTH token is one password for everybody, so it serves exactly one user,
 * who must not be read-only. Run by the constructor before `super()`; exported so programs can check early.
 *
 * @param name the component's name, for the message
 * @throws ComponentArgsError listing every argument that does not fit, with its value and what is allowed
 */
export function validateElastiCacheRedisArgs(name: string, args: ElastiCacheRedisArgs): void {
    const problems = elastiCacheArgsProblems(args);
    const users = args.users ?? DEFAULT_ACL.users;
    if (args.mode !== "serverless" && args.authentication === "token") {
        if (users.length !== 1) {
            problems.push({ path: ["users"], message: `has ${users.length} entries with an AUTH token: must have exactly 1; use RBAC for several users` });
        } else if (users[0].role === "readonly") {
            problems.push({ path: ["users", 0, "role"], message: `of user "${users[0].name}" is "readonly" with an AUTH token: the token grants every command; use RBAC` });
        }
    }
    throwOnProblems("ElastiCacheRedis", name, args, problems);
}
