import { strict as assert } from "node:assert";
import { cloudWatchDashboardBody } from "../../components/monitoring/cloudwatchDashboard";
import { ElastiCacheRedis } from "../../components/elasticache/elastiCacheRedis";
import { EncryptionKey } from "../../components/elasticache/encryptionKey";
import { Network } from "../../components/elasticache/network";
import { RbacUsers } from "../../components/elasticache/rbacUsers";
import { ReplicationGroup, ReplicationGroupArgs } from "../../components/elasticache/replicationGroup";
import { ServerlessCache } from "../../components/elasticache/serverlessCache";
import { planElastiCache } from "../../components/elasticache/plan";
import { parseStackConfig } from "../../stacks/config/parse";
import { redisProgram } from "../../stacks/program";
import { leakedSecrets, MockRun, ofType, RecordedResource, resolveOutputs, runStack, runWithMocks } from "../../tools/offline/mockRuntime";

const T = {
    rg: "aws:elasticache/replicationGroup:ReplicationGroup",
    user: "aws:elasticache/user:User",
    userGroup: "aws:elasticache/userGroup:UserGroup",
    params: "aws:elasticache/parameterGroup:ParameterGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    password: "random:index/randomPassword:RandomPassword",
    serverless: "aws:elasticache/serverlessCache:ServerlessCache",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
};

/** Provider outputs the mocks cannot guess: ARNs and auto-generated names. */
const outputs = {
    "aws:sns/topic:Topic": (name: string) => ({ arn: `arn:aws:sns:us-east-1:123456789012:${name}` }),
    "aws:kms/key:Key": (name: string) => ({ arn: `arn:aws:kms:us-east-1:123456789012:key/${name}`, keyId: `${name}-id` }),
    "aws:elasticache/parameterGroup:ParameterGroup": (name: string) => ({ name: `${name}-1a2b3c` }),
    "aws:elasticache/subnetGroup:SubnetGroup": (name: string) => ({ name: `${name}-4d5e6f` }),
};

const AZ_INVOKE = "aws:index/getAvailabilityZones:getAvailabilityZones";
/** The dashboard takes the region of the provider in effect. */
const REGION_INVOKE = "aws:index/getRegion:getRegion";

const network = { vpcId: "vpc-0abc", subnetIds: ["subnet-0a", "subnet-0b"], allowedSecurityGroupIds: ["sg-0a"] };

function configMap(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [`redis:${key}`, typeof value === "string" ? value : JSON.stringify(value)]));
}

/** Runs the real program on an ElastiCache stack built from `values`. */
async function runProgram(stack: string, values: Record<string, unknown>, invokes: Record<string, (args: Record<string, any>) => Record<string, any>> = {}) {
    const config = configMap({ backend: "elasticache", ...values });
    const run = await runWithMocks(() => redisProgram(stack, config), { stack, config, invokes: { [REGION_INVOKE]: () => ({ region: "us-east-1" }), ...invokes }, outputs });
    return { ...run, outputs: run.result ? await resolveOutputs(run.result as unknown as Record<string, unknown>) : {} };
}

function countByType(resources: readonly RecordedResource[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const resource of resources) {
        counts[resource.type] = (counts[resource.type] ?? 0) + 1;
    }
    return counts;
}

function only(resources: readonly RecordedResource[], type: string): RecordedResource {
    const found = ofType(resources, type);
    assert.equal(found.length, 1, `exactly one ${type}`);
    return found[0];
}

/** Every input that was not sent as a secret holds no mock secret. */
function assertNoPlainSecrets(run: MockRun<unknown>): void {
    for (const resource of run.resources) {
        for (const [key, value] of Object.entries(resource.inputs)) {
            if (!resource.secretInputs.includes(key)) {
                assert.deepEqual(leakedSecrets(value), [], `${resource.name}.${key} carries a secret in plain text`);
            }
        }
    }
}

/** Every resource but the facade sits inside the facade's tree, and each component's children point at it. */
function assertParented(resources: readonly RecordedResource[]): void {
    const urns = new Set(resources.map((resource) => resource.urn));
    const [root, ...children] = resources;
    assert.equal(root.parent, undefined);
    for (const child of children) {
        assert.ok(child.parent !== undefined && urns.has(child.parent), `${child.name} is parented inside the Redis component`);
    }
}

/** The keys whose values differ between two input objects. */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).sort();
}

/**
 * Replication group inputs whose change makes the provider replace the group (ForceNew in the AWS provider's
 * schema): a rotation must touch none of them.
 */
const REPLACING_INPUTS = ["replicationGroupId", "port", "subnetGroupName", "atRestEncryptionEnabled", "kmsKeyId", "dataTieringEnabled", "snapshotArns", "snapshotName", "networkType", "preferredCacheClusterAzs", "transitEncryptionEnabled"];

describe("ElastiCache under mocks: the prod stack", () => {
    let run: Awaited<ReturnType<typeof runStack>>;
    before(async () => {
        run = await runStack("prod", { outputs, invokes: { [REGION_INVOKE]: () => ({ region: "us-east-1" }) } });
    });

    it("builds exactly the resources of a Multi-AZ replication group with RBAC, KMS, logs and alarms", () => {
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(countByType(run.resources), {
            "redisplatform:index:Redis": 1,
            "redisplatform:elasticache:ElastiCacheRedis": 1,
            "redisplatform:elasticache:EncryptionKey": 1,
            "redisplatform:elasticache:Network": 1,
            "redisplatform:elasticache:RbacUsers": 1,
            "redisplatform:elasticache:Alarms": 1,
            "redisplatform:elasticache:ReplicationGroup": 1,
            "aws:sns/topic:Topic": 1,
            "aws:sns/topicSubscription:TopicSubscription": 1,
            "aws:elasticache/subnetGroup:SubnetGroup": 1,
            "aws:cloudwatch/logGroup:LogGroup": 2,
            "aws:kms/key:Key": 1,
            "aws:kms/alias:Alias": 1,
            "aws:ec2/securityGroup:SecurityGroup": 1,
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
            "aws:elasticache/parameterGroup:ParameterGroup": 1,
            "random:index/randomPassword:RandomPassword": 3,
            "aws:elasticache/user:User": 3,
            "aws:elasticache/userGroup:UserGroup": 1,
            // 3 nodes x 7 metrics (CPU, engine CPU, memory, evictions, connections, swap, replication lag).
            "aws:cloudwatch/metricAlarm:MetricAlarm": 21,
            "aws:cloudwatch/dashboard:Dashboard": 1,
            "aws:elasticache/replicationGroup:ReplicationGroup": 1,
        });
        assertParented(run.resources);
    });


    it("puts the CloudWatch dashboard of every node beside the alarms", () => {
        const [dashboard] = run.resources.filter((resource) => resource.type === "aws:cloudwatch/dashboard:Dashboard");
        const [group] = run.resources.filter((resource) => resource.type === "aws:elasticache/replicationGroup:ReplicationGroup");
        const groupId = group.inputs.replicationGroupId as string;
        assert.equal(dashboard.inputs.dashboardName, `${groupId}-redis`);
        assert.equal(
            dashboard.inputs.dashboardBody,
            cloudWatchDashboardBody({ replicationGroupId: groupId, nodeIds: [1, 2, 3].map((n) => `${groupId}-00${n}`), region: "us-east-1" }),
        );
    });
    it("gives the replication group exactly the inputs the stack asks for", () => {
        assert.deepEqual(only(run.resources, T.rg).inputs, {
            replicationGroupId: "redis-prod",
            description: "Redis platform: redis-prod",
            engine: "valkey",
            engineVersion: "8.0",
            nodeType: "cache.r7g.large",
            clusterMode: "disabled",
            numCacheClusters: 3,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            port: 6379,
            parameterGroupName: "redis-elasticache-group-params-1a2b3c",
            subnetGroupName: "redis-elasticache-network-subnets-4d5e6f",
            securityGroupIds: ["redis-elasticache-network-sg-id"],
            atRestEncryptionEnabled: true,
            kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/redis-elasticache-kms-key",
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            userGroupIds: ["redis-prod-users"],
            logDeliveryConfigurations: [
                { destination: "/elasticache/redis-prod/slow-log", destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
                { destination: "/elasticache/redis-prod/engine-log", destinationType: "cloudwatch-logs", logFormat: "json", logType: "engine-log" },
            ],
            snapshotRetentionLimit: 7,
            snapshotWindow: "03:00-04:00",
            finalSnapshotIdentifier: "redis-prod-final",
            maintenanceWindow: "sun:05:00-sun:06:00",
            autoMinorVersionUpgrade: true,
            applyImmediately: false,
            dataTieringEnabled: false,
            notificationTopicArn: "arn:aws:sns:us-east-1:123456789012:redis-elasticache-alarms-topic",
        });
    });

    it("maps the ACL users to ElastiCache users in a group with a disabled default user", () => {
        const users = ofType(run.resources, T.user).map((user) => ({ ...user.inputs, secret: user.secretInputs }));
        assert.deepEqual(users, [
            {
                userId: "redis-prod-default",
                userName: "default",
                engine: "valkey",
                accessString: "off -@all",
                passwords: ["MOCK-SECRET-password-redis-elasticache-users-default-password-g1"],
                secret: ["passwords"],
            },
            {
                userId: "redis-prod-app",
                userName: "app",
                engine: "valkey",
                accessString:
                    "on ~app:* &app:* -@all +@all -@admin -@dangerous -flushall -flushdb -keys -debug -config -shutdown -monitor -replicaof -slaveof -save -bgsave -bgrewriteaof -migrate -cluster -failover -module -acl -sync -psync -swapdb +info",
                passwords: ["MOCK-SECRET-password-redis-elasticache-users-app-password-g1"],
                secret: ["passwords"],
            },
            {
                userId: "redis-prod-reporting",
                userName: "reporting",
                engine: "valkey",
                accessString: "on ~app:* -@all +@read +@connection -@dangerous -keys +info",
                passwords: ["MOCK-SECRET-password-redis-elasticache-users-reporting-password-g1"],
                secret: ["passwords"],
            },
        ]);
        assert.deepEqual(only(run.resources, T.userGroup).inputs, {
            userGroupId: "redis-prod-users",
            engine: "valkey",
            userIds: ["redis-prod-default", "redis-prod-app", "redis-prod-reporting"],
        });
        for (const password of ofType(run.resources, T.password)) {
            assert.deepEqual([...new Set(password.additionalSecretOutputs)].sort(), ["bcryptHash", "result"]);
        }
    });

    it("creates a rotating KMS key, a parameter group for the family, log groups and a closed security group", () => {
        const key = only(run.resources, "aws:kms/key:Key");
        assert.deepEqual(key.inputs, { description: "Encryption at rest of ElastiCache redis-prod", enableKeyRotation: true, deletionWindowInDays: 30 });
        assert.deepEqual(only(run.resources, "aws:kms/alias:Alias").inputs, { name: "alias/redis-prod", targetKeyId: "redis-elasticache-kms-key-id" });
        assert.deepEqual(only(run.resources, T.params).inputs, {
            family: "valkey8",
            description: "Parameters of ElastiCache redis-prod",
            parameters: [
                { name: "cluster-enabled", value: "no" },
                { name: "maxmemory-policy", value: "volatile-lru" },
            ],
        });
        assert.deepEqual(ofType(run.resources, "aws:cloudwatch/logGroup:LogGroup").map((group) => group.inputs), [
            { name: "/elasticache/redis-prod/slow-log", retentionInDays: 90 },
            { name: "/elasticache/redis-prod/engine-log", retentionInDays: 90 },
        ]);
        assert.deepEqual(only(run.resources, "aws:ec2/securityGroup:SecurityGroup").inputs, {
            vpcId: "vpc-0a1b2c3d4e5f60001",
            description: "Clients of ElastiCache redis-prod",
            tags: { Name: "redis-prod" },
        });
        assert.deepEqual(only(run.resources, T.ingress).inputs, {
            ipProtocol: "tcp",
            fromPort: 6379,
            toPort: 6379,
            securityGroupId: "redis-elasticache-network-sg-id",
            referencedSecurityGroupId: "sg-0a1b2c3d4e5f60001",
            description: "Redis clients",
        });
        assert.deepEqual(only(run.resources, "aws:elasticache/subnetGroup:SubnetGroup").inputs, {
            description: "Subnets of ElastiCache redis-prod",
            subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
        });
        assert.deepEqual(only(run.resources, "aws:sns/topicSubscription:TopicSubscription").inputs, {
            topic: "arn:aws:sns:us-east-1:123456789012:redis-elasticache-alarms-topic",
            protocol: "email",
            endpoint: "redis-oncall@example.com",
        });
    });

    it("alarms every node with the session profile's thresholds, to the topic", () => {
        const alarms = ofType(run.resources, T.alarm);
        assert.deepEqual(alarms.slice(0, 7).map((alarm) => [alarm.name, alarm.inputs.metricName, alarm.inputs.threshold]), [
            ["redis-elasticache-alarms-001-cpu", "CPUUtilization", 90],
            ["redis-elasticache-alarms-001-engine-cpu", "EngineCPUUtilization", 80],
            ["redis-elasticache-alarms-001-memory", "DatabaseMemoryUsagePercentage", 85],
            ["redis-elasticache-alarms-001-evictions", "Evictions", 100],
            ["redis-elasticache-alarms-001-connections", "CurrConnections", 10000],
            ["redis-elasticache-alarms-001-swap", "SwapUsage", 256 * 1024 * 1024],
            ["redis-elasticache-alarms-001-replication-lag", "ReplicationLag", 10],
        ]);
        assert.deepEqual(alarms[0].inputs, {
            name: "redis-prod-001-cpu",
            alarmDescription: "redis-prod-001: host CPU above 90%, or no data (node gone). Runbook: docs/runbooks/scaling.md",
            namespace: "AWS/ElastiCache",
            metricName: "CPUUtilization",
            dimensions: { CacheClusterId: "redis-prod-001" },
            statistic: "Average",
            period: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 90,
            // A node that vanished stops reporting CPU: that must alarm, not read OK.
            treatMissingData: "breaching",
            alarmActions: ["arn:aws:sns:us-east-1:123456789012:redis-elasticache-alarms-topic"],
            okActions: ["arn:aws:sns:us-east-1:123456789012:redis-elasticache-alarms-topic"],
        });
        assert.deepEqual([...new Set(alarms.map((alarm) => alarm.inputs.dimensions.CacheClusterId))], ["redis-prod-001", "redis-prod-002", "redis-prod-003"]);
    });

    it("protects the data-bearing resources in prod, and nothing else", () => {
        assert.deepEqual(run.resources.filter((resource) => resource.protect).map((resource) => resource.type), ["aws:kms/key:Key", T.rg]);
    });

    it("exports the uniform connection in plain text and every credential only as a secret", () => {
        assert.deepEqual(run.outputs.connection, {
            value: {
                mode: "standalone",
                endpoints: [{ host: "master.redis-elasticache-group-rg.cache.amazonaws.com", port: 6379 }],
                readerEndpoints: [{ host: "replica.redis-elasticache-group-rg.cache.amazonaws.com", port: 6379 }],
                tls: { enabled: true, serverName: "master.redis-elasticache-group-rg.cache.amazonaws.com" },
            },
            secret: false,
        });
        assert.deepEqual(run.outputs.credentials, {
            value: {
                app: { username: "app", password: "MOCK-SECRET-password-redis-elasticache-users-app-password-g1" },
                reporting: { username: "reporting", password: "MOCK-SECRET-password-redis-elasticache-users-reporting-password-g1" },
            },
            secret: true,
        });
        assert.equal(run.outputs.url.secret, true);
        assertNoPlainSecrets(run);
    });
});

describe("ElastiCache under mocks: options", () => {
    it("shards with cluster mode: topology, cluster parameter, discovery rules, configuration endpoint and per-node alarms", async () => {
        const run = await runProgram("staging", { environment: "staging", elasticache: { ...network, clusterMode: true, shards: 2, replicas: 1, nodeType: "cache.r7g.xlarge" } });
        assert.equal(run.error, undefined, String(run.error));
        const rg = only(run.resources, T.rg).inputs;
        assert.deepEqual(
            { clusterMode: rg.clusterMode, numNodeGroups: rg.numNodeGroups, replicasPerNodeGroup: rg.replicasPerNodeGroup, numCacheClusters: rg.numCacheClusters, failover: rg.automaticFailoverEnabled, multiAz: rg.multiAzEnabled, final: rg.finalSnapshotIdentifier },
            { clusterMode: "enabled", numNodeGroups: 2, replicasPerNodeGroup: 1, numCacheClusters: undefined, failover: true, multiAz: true, final: "redis-staging-final" },
        );
        assert.deepEqual(only(run.resources, T.params).inputs.parameters, [
            { name: "cluster-enabled", value: "yes" },
            { name: "maxmemory-policy", value: "allkeys-lru" },
        ]);
        assert.match(ofType(run.resources, T.user)[1].inputs.accessString, / \+cluster\|slots \+cluster\|shards \+cluster\|nodes \+cluster\|info \+cluster\|myid \+readonly \+readwrite$/);
        const alarms = ofType(run.resources, T.alarm);
        assert.equal(alarms.length, 2 * 2 * 7);
        assert.deepEqual([...new Set(alarms.map((alarm) => alarm.inputs.dimensions.CacheClusterId))], [
            "redis-staging-0001-001",
            "redis-staging-0001-002",
            "redis-staging-0002-001",
            "redis-staging-0002-002",
        ]);
        const host = "clustercfg.redis-elasticache-group-rg.cache.amazonaws.com";
        assert.deepEqual(run.outputs.connection.value, {
            mode: "cluster",
            endpoints: [{ host, port: 6379 }],
            configurationEndpoint: { host, port: 6379 },
            tls: { enabled: true, serverName: host },
        });
        assert.deepEqual(run.resources.filter((resource) => resource.protect), []);
    });

    it("authenticates with a generated AUTH token instead of users, as a secret", async () => {
        const run = await runProgram("dev", { elasticache: { ...network, replicas: 0, authentication: "token", authTokenLength: 32, awsManagedKey: true, alarms: { enabled: false } } });
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(ofType(run.resources, T.user), []);
        assert.deepEqual(ofType(run.resources, T.userGroup), []);
        assert.deepEqual(ofType(run.resources, "aws:kms/key:Key"), []);
        assert.deepEqual(ofType(run.resources, T.alarm), []);
        const [token] = ofType(run.resources, T.password);
        assert.equal(token.name, "redis-elasticache-group-auth-token-password-g1");
        assert.deepEqual(token.inputs, { length: 32, upper: true, lower: true, numeric: true, special: false, minUpper: 2, minLower: 2, minNumeric: 2 });
        const rg = only(run.resources, T.rg);
        assert.equal(rg.inputs.authToken, "MOCK-SECRET-password-redis-elasticache-group-auth-token-password-g1");
        assert.equal(rg.inputs.authTokenUpdateStrategy, "ROTATE");
        assert.equal(rg.inputs.userGroupIds, undefined);
        assert.equal(rg.inputs.kmsKeyId, undefined);
        assert.deepEqual(rg.secretInputs, ["authToken"]);
        assert.deepEqual(
            { clusters: rg.inputs.numCacheClusters, failover: rg.inputs.automaticFailoverEnabled, multiAz: rg.inputs.multiAzEnabled, final: rg.inputs.finalSnapshotIdentifier, retention: rg.inputs.snapshotRetentionLimit },
            { clusters: 1, failover: false, multiAz: false, final: undefined, retention: 1 },
        );
        assert.deepEqual(run.outputs.credentials, { value: { app: { username: "default", password: "MOCK-SECRET-password-redis-elasticache-group-auth-token-password-g1" } }, secret: true });
        assert.equal(run.outputs.connection.value && (run.outputs.connection.value as { readerEndpoints?: unknown }).readerEndpoints, undefined);
        assertNoPlainSecrets(run);
    });

    it("creates a private example VPC across the first 3 available zones", async () => {
        const asked: Record<string, unknown>[] = [];
        const run = await runProgram(
            "dev",
            { elasticache: { exampleVpc: { cidrBlock: "10.42.0.0/16" }, allowedCidrs: ["10.42.0.0/16"] } },
            { [AZ_INVOKE]: (args) => (asked.push(args), { names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"], zoneIds: [] }) },
        );
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(asked, [{ state: "available" }]);
        assert.deepEqual(only(run.resources, "aws:ec2/vpc:Vpc").inputs, { cidrBlock: "10.42.0.0/16", enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: "redis-dev-example" } });
        assert.deepEqual(ofType(run.resources, "aws:ec2/subnet:Subnet").map((subnet) => subnet.inputs), [
            { vpcId: "redis-elasticache-network-vpc-id", cidrBlock: "10.42.0.0/20", availabilityZone: "us-east-1a", mapPublicIpOnLaunch: false, tags: { Name: "redis-dev-0" } },
            { vpcId: "redis-elasticache-network-vpc-id", cidrBlock: "10.42.16.0/20", availabilityZone: "us-east-1b", mapPublicIpOnLaunch: false, tags: { Name: "redis-dev-1" } },
            { vpcId: "redis-elasticache-network-vpc-id", cidrBlock: "10.42.32.0/20", availabilityZone: "us-east-1c", mapPublicIpOnLaunch: false, tags: { Name: "redis-dev-2" } },
        ]);
        assert.deepEqual(only(run.resources, "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds, [
            "redis-elasticache-network-subnet-0-id",
            "redis-elasticache-network-subnet-1-id",
            "redis-elasticache-network-subnet-2-id",
        ]);
        assert.deepEqual(only(run.resources, T.ingress).inputs, {
            ipProtocol: "tcp",
            fromPort: 6379,
            toPort: 6379,
            securityGroupId: "redis-elasticache-network-sg-id",
            cidrIpv4: "10.42.0.0/16",
            description: "Redis clients",
        });
    });

    it("uses the caller's KMS key, port and node type with data tiering, and protects on request", async () => {
        const keyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd";
        const run = await runProgram("staging", { environment: "staging", protect: true, elasticache: { ...network, kmsKeyArn: keyArn, port: 6390, nodeType: "cache.r6gd.xlarge", allowedCidrs: ["2001:db8::/32"], alarms: { enabled: false } } });
        assert.equal(run.error, undefined, String(run.error));
        const rg = only(run.resources, T.rg);
        assert.deepEqual({ kms: rg.inputs.kmsKeyId, port: rg.inputs.port, tiering: rg.inputs.dataTieringEnabled, protect: rg.protect }, { kms: keyArn, port: 6390, tiering: true, protect: true });
        assert.deepEqual(ofType(run.resources, "aws:kms/key:Key"), []);
        assert.deepEqual(ofType(run.resources, T.ingress).map((rule) => [rule.inputs.fromPort, rule.inputs.referencedSecurityGroupId ?? rule.inputs.cidrIpv6]), [
            [6390, "sg-0a"],
            [6390, "2001:db8::/32"],
        ]);
    });
});

describe("ElastiCache under mocks: rotation never replaces the cache", () => {
    const users = [{ name: "app", role: "app", keys: ["app:*"] }, { name: "ro", role: "readonly" }];
    // Alarms do not take part in a rotation; leaving them out keeps these runs fast.
    const quiet = { ...network, alarms: { enabled: false } };

    it("rotates an RBAC password in place: two valid passwords, the same cache", async () => {
        const before = await runProgram("prod", { environment: "prod", elasticache: quiet, acl: { users } });
        const during = await runProgram("prod", { environment: "prod", elasticache: quiet, acl: { users, rotation: { app: { generation: 2, keepPrevious: true } } } });
        const after = await runProgram("prod", { environment: "prod", elasticache: quiet, acl: { users, rotation: { app: { generation: 2 } } } });
        for (const run of [before, during, after]) {
            assert.equal(run.error, undefined, String(run.error));
        }
        assert.deepEqual(only(during.resources, T.rg).inputs, only(before.resources, T.rg).inputs);
        assert.deepEqual(only(after.resources, T.rg).inputs, only(before.resources, T.rg).inputs);
        assert.deepEqual(only(during.resources, T.userGroup).inputs, only(before.resources, T.userGroup).inputs);

        const app = (run: typeof before) => ofType(run.resources, T.user).find((user) => user.inputs.userName === "app")!;
        assert.deepEqual(changedKeys(app(before).inputs, app(during).inputs), ["passwords"]);
        assert.deepEqual(app(during).inputs.passwords, [
            "MOCK-SECRET-password-redis-elasticache-users-app-password-g2",
            "MOCK-SECRET-password-redis-elasticache-users-app-password-g1",
        ]);
        assert.deepEqual(app(after).inputs.passwords, ["MOCK-SECRET-password-redis-elasticache-users-app-password-g2"]);
        assert.deepEqual(app(during).secretInputs, ["passwords"]);
        assert.deepEqual((during.outputs.credentials.value as Record<string, { password: string }>).app.password, "MOCK-SECRET-password-redis-elasticache-users-app-password-g2");
        assert.equal(during.outputs.credentials.secret, true);
        assertNoPlainSecrets(during);
    });

    it("rotates an AUTH token with ROTATE then SET, changing only the token inputs", async () => {
        const values = (rotation?: object) => ({ environment: "prod", elasticache: { ...quiet, authentication: "token", ...(rotation ? { authTokenRotation: rotation } : {}) } });
        const before = only((await runProgram("prod", values())).resources, T.rg);
        const during = only((await runProgram("prod", values({ generation: 2, keepPrevious: true }))).resources, T.rg);
        const after = only((await runProgram("prod", values({ generation: 2 }))).resources, T.rg);
        assert.deepEqual(changedKeys(before.inputs, during.inputs), ["authToken"]);
        assert.deepEqual(changedKeys(during.inputs, after.inputs), ["authTokenUpdateStrategy"]);
        assert.deepEqual([before.inputs.authTokenUpdateStrategy, during.inputs.authTokenUpdateStrategy, after.inputs.authTokenUpdateStrategy], ["ROTATE", "ROTATE", "SET"]);
        for (const key of REPLACING_INPUTS) {
            assert.deepEqual([during.inputs[key], after.inputs[key]], [before.inputs[key], before.inputs[key]], `${key} is unchanged`);
        }
        assert.deepEqual(during.secretInputs, ["authToken"]);
    });
});

describe("ElastiCache under mocks: AUTH token to RBAC", () => {
    it("adds the user group and deletes the token in place, touching no input that replaces the group", async () => {
        const quiet = { ...network, alarms: { enabled: false } };
        const token = only((await runProgram("prod", { environment: "prod", elasticache: { ...quiet, authentication: "token" } })).resources, T.rg);
        const migrating = await runProgram("prod", { environment: "prod", elasticache: { ...quiet, migratingFromAuthToken: true } });
        const rbac = only(migrating.resources, T.rg);
        assert.deepEqual(changedKeys(token.inputs, rbac.inputs), ["authToken", "authTokenUpdateStrategy", "userGroupIds"]);
        assert.deepEqual([rbac.inputs.authToken, rbac.inputs.authTokenUpdateStrategy, rbac.inputs.userGroupIds], [undefined, "DELETE", ["redis-prod-users"]]);
        for (const key of REPLACING_INPUTS) {
            assert.deepEqual(rbac.inputs[key], token.inputs[key], `${key} is unchanged`);
        }
    });

    it("refuses the migration flag with token authentication", () => {
        assert.throws(
            () => parseStackConfig("t", configMap({ backend: "elasticache", elasticache: { ...network, authentication: "token", migratingFromAuthToken: true } })),
            /redis:elasticache\.migratingFromAuthToken = true: only applies to authentication "rbac": it deletes the old AUTH token while the user group is added/,
        );
    });
});

describe("ElastiCache under mocks: Serverless", () => {
    it("runs the example-serverless stack: a Serverless cache with limits, KMS, RBAC and alarms", async () => {
        const run = await runStack("example-serverless", { outputs });
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(countByType(run.resources), {
            "redisplatform:index:Redis": 1,
            "redisplatform:elasticache:ElastiCacheRedis": 1,
            "redisplatform:elasticache:EncryptionKey": 1,
            "redisplatform:elasticache:Network": 1,
            "redisplatform:elasticache:RbacUsers": 1,
            "redisplatform:elasticache:Alarms": 1,
            "redisplatform:elasticache:ServerlessCache": 1,
            "aws:sns/topic:Topic": 1,
            "aws:sns/topicSubscription:TopicSubscription": 1,
            "aws:kms/key:Key": 1,
            "aws:kms/alias:Alias": 1,
            "aws:ec2/securityGroup:SecurityGroup": 1,
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
            "random:index/randomPassword:RandomPassword": 3,
            "aws:elasticache/user:User": 3,
            "aws:elasticache/userGroup:UserGroup": 1,
            "aws:cloudwatch/metricAlarm:MetricAlarm": 5,
            "aws:elasticache/serverlessCache:ServerlessCache": 1,
        });
        assertParented(run.resources);
        assert.deepEqual(only(run.resources, T.serverless).inputs, {
            name: "redis-example-serverless",
            description: "Redis platform: redis-example-serverless",
            engine: "valkey",
            majorEngineVersion: "8",
            cacheUsageLimits: { dataStorage: { maximum: 10, unit: "GB" }, ecpuPerSeconds: [{ maximum: 100000 }] },
            subnetIds: ["subnet-0e1f2a3b4c5d60001", "subnet-0e1f2a3b4c5d60002"],
            securityGroupIds: ["redis-elasticache-network-sg-id"],
            kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/redis-elasticache-kms-key",
            userGroupId: "redis-example-serverless-users",
            snapshotRetentionLimit: 3,
            dailySnapshotTime: "04:00",
        });
        assert.deepEqual([only(run.resources, T.ingress).inputs.fromPort, only(run.resources, T.ingress).inputs.toPort], [6379, 6380]);
        assert.deepEqual(ofType(run.resources, T.alarm).map((alarm) => [alarm.inputs.name, alarm.inputs.dimensions]), [
            ["redis-example-serverless-storage", { clusterId: "redis-example-serverless" }],
            ["redis-example-serverless-ecpu", { clusterId: "redis-example-serverless" }],
            ["redis-example-serverless-throttled", { clusterId: "redis-example-serverless" }],
            ["redis-example-serverless-evictions", { clusterId: "redis-example-serverless" }],
            ["redis-example-serverless-connections", { clusterId: "redis-example-serverless" }],
        ]);
        const host = "redis-elasticache-serverless-cache.serverless.cache.amazonaws.com";
        assert.deepEqual(run.outputs.connection, {
            value: { mode: "cluster", endpoints: [{ host, port: 6379 }], readerEndpoints: [{ host, port: 6380 }], configurationEndpoint: { host, port: 6379 }, tls: { enabled: true, serverName: host } },
            secret: false,
        });
        assert.deepEqual(Object.keys(run.outputs.credentials.value as object), ["web", "analytics"]);
        assert.equal(run.outputs.credentials.secret, true);
        assert.deepEqual(run.resources.filter((resource) => resource.protect), []);
        assertNoPlainSecrets(run);
    });

    it("protects a Serverless cache and its key in prod", async () => {
        const run = await runProgram("prod", { environment: "prod", elasticache: { ...network, mode: "serverless", serverless: { maxDataStorageGb: 5, maxEcpuPerSecond: 5000 }, alarms: { enabled: false } } });
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(run.resources.filter((resource) => resource.protect).map((resource) => resource.type), ["aws:kms/key:Key", T.serverless]);
    });
});

describe("ElastiCache components refuse bad arguments before registering anything", () => {
    const plan = planElastiCache("redis-dev", network);
    const group: ReplicationGroupArgs = {
        identifier: "rg",
        engine: { name: "valkey", version: "8.0" },
        family: "valkey8",
        nodeType: "cache.t4g.small",
        clusterMode: false,
        shards: 1,
        replicas: 1,
        multiAz: true,
        port: 6379,
        subnetGroupName: "subnets",
        securityGroupIds: ["sg-1"],
        transitEncryptionMode: "required",
        auth: { kind: "token", length: 64, rotation: { generation: 1, keepPrevious: false } },
        parameters: [],
        logs: { slowLog: true, engineLog: true, retentionDays: 30 },
        snapshotRetentionDays: 1,
        snapshotWindow: "03:00-04:00",
        maintenanceWindow: "sun:05:00-sun:06:00",
        autoMinorVersionUpgrade: true,
        applyImmediately: true,
        dataTiering: false,
        notificationTopicArn: "arn:aws:sns:us-east-1:123456789012:t",
    };
    const cases: [string, () => unknown, string][] = [
        ["Multi-AZ without replicas", () => new ReplicationGroup("bad", { ...group, replicas: 0 }), "ReplicationGroup: multiAz = true with replicas = 0: Multi-AZ needs at least 1 replica to fail over to"],
        ["cluster mode with 0 shards", () => new ReplicationGroup("bad", { ...group, clusterMode: true, shards: 0 }), "ReplicationGroup: shards = 0: must be a whole number from 1 to 500 with cluster mode"],
        ["shards without cluster mode", () => new ReplicationGroup("bad", { ...group, shards: 2 }), "ReplicationGroup: shards = 2: must be 1 without cluster mode"],
        ["data tiering on r7g", () => new ReplicationGroup("bad", { ...group, dataTiering: true }), "ReplicationGroup: dataTiering = true with nodeType = cache.t4g.small: data tiering is on exactly for r6gd node types"],
        ["a 15-character token length", () => new ReplicationGroup("bad", { ...group, auth: { kind: "token", length: 15, rotation: { generation: 1, keepPrevious: false } } }), "ReplicationGroup: auth.length = 15: must be a whole number from 16 to 128"],
        [
            "a token with characters ElastiCache rejects",
            () => new ReplicationGroup("bad", { ...group, auth: { kind: "token", length: 64, rotation: { generation: 1, keepPrevious: false }, token: "correct/horse@battery-staple" } }),
            "ReplicationGroup: auth.token contains '/', '@': only letters, digits and ! & # $ ^ < > - are allowed",
        ],
        ["a token too short", () => new ReplicationGroup("bad", { ...group, auth: { kind: "token", length: 64, rotation: { generation: 1, keepPrevious: false }, token: "short" } }), "ReplicationGroup: auth.token must be 16 to 128 characters long, not 5"],
        ["a network open to the internet", () => new Network("bad", { identifier: "x", network: plan.network, ports: { from: 6379, to: 6379 }, allowedCidrs: ["0.0.0.0/0"], subnetGroup: true }), "Network: allowedCidrs includes 0.0.0.0/0: must not open Redis to the whole internet; name the application's network"],
        ["a network nobody may reach", () => new Network("bad", { identifier: "x", network: plan.network, ports: { from: 6379, to: 6379 }, subnetGroup: true }), "Network: allowedSecurityGroupIds and allowedCidrs are both empty: name who may connect; nothing is open by default"],
        ["a user named default", () => new RbacUsers("bad", { identifier: "x", engine: "valkey", users: [{ name: "default", role: "app" }] }), 'RbacUsers: user "default" is reserved: the user group\'s default user is always created disabled'],
        ["a duplicate user", () => new RbacUsers("bad", { identifier: "x", engine: "valkey", users: [{ name: "a", role: "app" }, { name: "a", role: "readonly" }] }), 'RbacUsers: user "a" appears twice: usernames must be unique'],
        ["a rotation of nobody", () => new RbacUsers("bad", { identifier: "x", engine: "valkey", users: [{ name: "a", role: "app" }], rotation: { b: { generation: 2, keepPrevious: false } } }), "RbacUsers: rotation.b: names no user; users are a"],
        [
            "Serverless limits out of range",
            () => new ServerlessCache("bad", { identifier: "x", engine: "valkey", majorEngineVersion: "8", limits: { maxDataStorageGb: 10, maxEcpuPerSecond: 500 }, subnetIds: [], securityGroupIds: [], userGroupId: "g", snapshotRetentionDays: 1, dailySnapshotTime: "03:00" }),
            "ServerlessCache: limits.ecpuPerSecond = -..500: must be from 1000 to 15000000, minimum <= maximum",
        ],
        ["a KMS deletion window of 3 days", () => new EncryptionKey("bad", { identifier: "x", deletionWindowInDays: 3 }), "EncryptionKey: deletionWindowInDays = 3: must be a whole number of days from 7 to 30"],
        [
            "an AUTH token for two users",
            () => new ElastiCacheRedis("bad", { ...network, authentication: "token", users: [{ name: "a", role: "app" }, { name: "b", role: "app" }] }),
            'ElastiCacheRedis "bad": 1 invalid argument; no resource was created:\n  users = [{"name":"a","role":"app"},{"name":"b","role":"app"}]: has 2 entries with an AUTH token: must have exactly 1; use RBAC for several users',
        ],
    ];
    for (const [title, build, message] of cases) {
        it(`refuses ${title}`, async () => {
            const run = await runWithMocks(build);
            assert.ok(run.error instanceof Error, `accepted ${title}`);
            assert.equal(run.error.message, message);
            assert.deepEqual(run.resources, []);
        });
    }

    it("refuses bad stack config before the program registers anything", async () => {
        const config = configMap({ backend: "elasticache", elasticache: { ...network, replicas: 0, multiAz: true } });
        const run = await runWithMocks(() => redisProgram("dev", config), { config });
        assert.match(String(run.error), /redis:elasticache\.multiAz = true: needs at least 1 replica/);
        assert.deepEqual(run.resources, []);
    });
});
