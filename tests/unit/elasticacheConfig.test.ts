import { strict as assert } from "node:assert";
import { CLUSTER_DISCOVERY_RULES, DISABLED_DEFAULT_ACCESS_STRING, elastiCacheAccessString } from "../../components/elasticache/accessStrings";
import { alarmThresholds, PROFILE_ALARM_THRESHOLDS } from "../../components/elasticache/alarmThresholds";
import { nodeAlarmSpecs, serverlessAlarmSpecs } from "../../components/elasticache/alarmSpecs";
import { authTokenProblem, authTokenUpdateStrategy } from "../../components/elasticache/authToken";
import { parameterGroupFamily, supportedServerlessMajor } from "../../components/elasticache/engineFamily";
import { elastiCacheIdentifier, memberClusterIds } from "../../components/elasticache/identifiers";
import { parameterGroupParameters } from "../../components/elasticache/parameters";
import { planElastiCache } from "../../components/elasticache/plan";
import { elastiCacheArgsFor } from "../../stacks/config/redisArgs";
import { subnetCidrs } from "../../components/elasticache/subnets";
import { windowsOverlap } from "../../components/elasticache/windows";
import { ConfigError } from "../../stacks/config/errors";
import { parseStackConfig } from "../../stacks/config/parse";

/** A stack's config map from plain values, the way Pulumi hands it to the program. */
function configMap(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [`redis:${key}`, typeof value === "string" ? value : JSON.stringify(value)]));
}

const network = { vpcId: "vpc-0abc", subnetIds: ["subnet-0a", "subnet-0b"], allowedSecurityGroupIds: ["sg-0a"] };
const limits = { maxDataStorageGb: 10, maxEcpuPerSecond: 10000 };

/** The problem lines of the ConfigError that parsing `values` raises. */
function problems(values: Record<string, unknown>): string[] {
    try {
        parseStackConfig("t", configMap({ backend: "elasticache", ...values }));
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.problems.map((problem) => `${problem.key} = ${problem.value}: ${problem.message}`);
    }
    assert.fail("the config was accepted");
}

describe("redis:elasticache config", () => {
    const refused: [string, Record<string, unknown>, string[]][] = [
        ["Multi-AZ without replicas", { elasticache: { ...network, replicas: 0, multiAz: true } }, [
            "redis:elasticache.multiAz = true: needs at least 1 replica: Multi-AZ fails over to a replica in another zone",
        ]],
        ["Serverless with a shard count", { elasticache: { ...network, mode: "serverless", shards: 2, serverless: limits } }, [
            'redis:elasticache.shards = 2: does not apply to mode "serverless": ElastiCache Serverless sizes, replicates, patches and logs itself',
        ]],
        ["Serverless with node options", { elasticache: { ...network, mode: "serverless", nodeType: "cache.r7g.large", replicas: 2, clusterMode: true, serverless: limits } }, [
            'redis:elasticache.clusterMode = true: does not apply to mode "serverless": ElastiCache Serverless sizes, replicates, patches and logs itself',
            'redis:elasticache.nodeType = "cache.r7g.large": does not apply to mode "serverless": ElastiCache Serverless sizes, replicates, patches and logs itself',
            'redis:elasticache.replicas = 2: does not apply to mode "serverless": ElastiCache Serverless sizes, replicates, patches and logs itself',
        ]],
        ["Serverless without usage limits", { elasticache: { ...network, mode: "serverless" } }, [
            'redis:elasticache.serverless = (not set): is required with mode "serverless": set serverless.maxDataStorageGb and serverless.maxEcpuPerSecond so a runaway client cannot run up the bill',
        ]],
        ["Serverless with an AUTH token and plain text", { elasticache: { ...network, mode: "serverless", authentication: "token", transitEncryptionMode: "preferred", serverless: limits } }, [
            'redis:elasticache.authentication = "token": must be "rbac" with mode "serverless": Serverless caches authenticate only RBAC users',
            'redis:elasticache.transitEncryptionMode = "preferred": must be "required" with mode "serverless": Serverless caches accept TLS connections only',
        ]],
        ["Serverless floors above ceilings", { elasticache: { ...network, mode: "serverless", serverless: { ...limits, minDataStorageGb: 20, minEcpuPerSecond: 20000 } } }, [
            "redis:elasticache.serverless.minDataStorageGb = 20: must be at most serverless.maxDataStorageGb (10)",
            "redis:elasticache.serverless.minEcpuPerSecond = 20000: must be at most serverless.maxEcpuPerSecond (10000)",
        ]],
        ["Serverless on an engine version it lacks", { engine: { name: "redis", version: "7.0" }, elasticache: { ...network, mode: "serverless", serverless: limits } }, [
            'redis:engine.version = "7.0": is not available for ElastiCache Serverless redis: use 7.1',
        ]],
        ["Serverless limits on a replication group", { elasticache: { ...network, serverless: limits } }, [
            'redis:elasticache.serverless = {"maxDataStorageGb":10,"maxEcpuPerSecond":10000}: only applies to mode "serverless"',
        ]],
        ["cluster mode with 0 shards", { elasticache: { ...network, clusterMode: true, shards: 0 } }, [
            "redis:elasticache.shards = 0: must be at least 1 with clusterMode: true: a cluster spreads its keys over one or more shards",
        ]],
        ["shards without cluster mode", { elasticache: { ...network, shards: 3 } }, [
            "redis:elasticache.shards = 3: needs clusterMode: true; without cluster mode there is exactly one shard",
        ]],
        ["more than 5 replicas", { elasticache: { ...network, replicas: 6 } }, ["redis:elasticache.replicas = 6: must be at most 5"]],
        ["data tiering on a node type without it", { elasticache: { ...network, nodeType: "cache.r7g.large", dataTiering: true } }, [
            "redis:elasticache.dataTiering = true: needs an r6gd node type (such as cache.r6gd.xlarge), not cache.r7g.large: only those nodes have the SSD that data tiering spills to",
        ]],
        ["data tiering turned off on r6gd", { elasticache: { ...network, nodeType: "cache.r6gd.xlarge", dataTiering: false } }, [
            "redis:elasticache.dataTiering = false: cannot be false with node type cache.r6gd.xlarge: ElastiCache requires data tiering on r6gd nodes",
        ]],
        ["an AUTH token shorter than 16", { elasticache: { ...network, authentication: "token", authTokenLength: 15 } }, [
            "redis:elasticache.authTokenLength = 15: must be from 16 to 128: ElastiCache accepts AUTH tokens of 16 to 128 characters",
        ]],
        ["an AUTH token longer than 128", { elasticache: { ...network, authentication: "token", authTokenLength: 129 } }, [
            "redis:elasticache.authTokenLength = 129: must be from 16 to 128: ElastiCache accepts AUTH tokens of 16 to 128 characters",
        ]],
        ["AUTH token options with RBAC", { elasticache: { ...network, authTokenLength: 32, authTokenRotation: { generation: 2 } } }, [
            'redis:elasticache.authTokenLength = 32: only applies to authentication "token"',
            'redis:elasticache.authTokenRotation = {"generation":2}: only applies to authentication "token"',
        ]],
        ["an AUTH token for two users", { elasticache: { ...network, authentication: "token" }, acl: { users: [{ name: "a", role: "app" }, { name: "b", role: "app" }] } }, [
            'redis:acl.users = [{"name":"a","role":"app"},{"name":"b","role":"app"}]: must hold exactly one user with elasticache.authentication "token": an AUTH token is one password for everybody; use "rbac" for several users',
        ]],
        ["an AUTH token for a read-only user", { elasticache: { ...network, authentication: "token" }, acl: { users: [{ name: "r", role: "readonly" }] } }, [
            'redis:acl.users[0].role = "readonly": cannot be "readonly" with elasticache.authentication "token": the AUTH token grants every command; use "rbac" for read-only users',
        ]],
        ["preferred transit encryption on Redis 6.2", { engine: { name: "redis", version: "6.2" }, elasticache: { ...network, transitEncryptionMode: "preferred" } }, [
            'redis:elasticache.transitEncryptionMode = "preferred": "preferred" needs Redis 7.0 or later (or Valkey): earlier engines cannot change in-transit encryption without replacing the cluster',
        ]],
        ["a 6.x-style version", { engine: { version: "6.x" }, elasticache: network }, ["redis:engine.version = \"6.x\": must be major.minor such as 7.2 (no patch level, no '.x')"]],
        ["a version ElastiCache does not run", { engine: { name: "valkey", version: "7.0" }, elasticache: network }, [
            'redis:engine.version = "7.0": is not a valkey version backend "elasticache" supports: use one of 7.2, 8.0, 8.1',
        ]],
        ["no network", { elasticache: { allowedCidrs: ["10.0.0.0/16"] } }, [
            "redis:elasticache.subnetIds = (not set): is required (with elasticache.vpcId), or set elasticache.exampleVpc to create a private example VPC",
        ]],
        ["subnets without their VPC", { elasticache: { subnetIds: ["subnet-0a", "subnet-0b"], allowedCidrs: ["10.0.0.0/16"] } }, [
            "redis:elasticache.vpcId = (not set): is required with elasticache.subnetIds: the security group is created in that VPC",
        ]],
        ["both subnets and the example VPC", { elasticache: { ...network, exampleVpc: {} } }, [
            "redis:elasticache.exampleVpc = {}: cannot be set together with elasticache.subnetIds: use your own subnets or the example VPC, not both",
            'redis:elasticache.vpcId = "vpc-0abc": cannot be set with elasticache.exampleVpc, which creates its own VPC',
        ]],
        ["an example VPC too small to split", { elasticache: { exampleVpc: { cidrBlock: "10.0.0.0/26" }, allowedCidrs: ["10.0.0.0/26"] } }, [
            'redis:elasticache.exampleVpc.cidrBlock = "10.0.0.0/26": must be a /16 to /24 block: the example VPC splits it into 3 subnets 16 times smaller',
        ]],
        ["Multi-AZ in one subnet", { elasticache: { ...network, subnetIds: ["subnet-0a"] } }, [
            "redis:elasticache.subnetIds = [\"subnet-0a\"]: must name at least 2 subnets in different zones for Multi-AZ",
        ]],
        ["nobody allowed in", { elasticache: { vpcId: "vpc-0abc", subnetIds: ["subnet-0a", "subnet-0b"] } }, [
            "redis:elasticache.allowedSecurityGroupIds = (not set): or elasticache.allowedCidrs must name who may connect: nothing is open by default",
        ]],
        ["the whole internet allowed in", { elasticache: { ...network, allowedCidrs: ["0.0.0.0/0", "::/0"] } }, [
            'redis:elasticache.allowedCidrs[0] = "0.0.0.0/0": must not open Redis to the whole internet: name the application\'s network instead',
            'redis:elasticache.allowedCidrs[1] = "::/0": must not open Redis to the whole internet: name the application\'s network instead',
        ]],
        ["a KMS key ARN and the AWS-managed key", { elasticache: { ...network, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab", awsManagedKey: true } }, [
            "redis:elasticache.awsManagedKey = true: cannot be true while elasticache.kmsKeyArn names a key: choose one",
        ]],
        ["a log retention CloudWatch refuses", { elasticache: { ...network, logs: { retentionDays: 10 } } }, [
            "redis:elasticache.logs.retentionDays = 10: must be one of the retention periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
        ]],
        ["overlapping snapshot and maintenance windows", { elasticache: { ...network, snapshotWindow: "05:00-06:00", maintenanceWindow: "sun:05:30-sun:06:30" } }, [
            "redis:elasticache.snapshotWindow = \"05:00-06:00\": must not overlap elasticache.maintenanceWindow (sun:05:30-sun:06:30): ElastiCache refuses overlapping windows",
        ]],
        ["windows shorter than an hour", { elasticache: { ...network, snapshotWindow: "01:00-01:30", maintenanceWindow: "mon:03:00-mon:03:30" } }, [
            'redis:elasticache.snapshotWindow = "01:00-01:30": must be at least 60 minutes long',
            'redis:elasticache.maintenanceWindow = "mon:03:00-mon:03:30": must be at least 60 minutes long',
        ]],
        ["a parameter this project manages", { elasticache: { ...network, parameters: { "maxmemory-policy": "allkeys-lfu", "cluster-enabled": "yes" } } }, [
            'redis:elasticache.parameters.maxmemory-policy = "allkeys-lfu": is managed by redis:memory.evictionPolicy (or the workload profile): set it there',
            'redis:elasticache.parameters.cluster-enabled = "yes": is managed by redis:elasticache.clusterMode: set it there',
        ]],
        ["maxmemory, persistence and mTLS ElastiCache cannot honour", { elasticache: network, memory: { maxmemory: "1gb" }, persistence: { mode: "aof" }, tls: { mtls: true } }, [
            'redis:memory.maxmemory = "1gb": does not apply to backend "elasticache": the node type (or Serverless limits) decides the memory',
            'redis:persistence.mode = "aof": does not apply to backend "elasticache": it persists by daily snapshots (elasticache.snapshotRetentionDays) and replicas, never AOF',
            'redis:tls.mtls = true: cannot be true with backend "elasticache": ElastiCache does not verify client certificates',
        ]],
        ["a misspelled key", { elasticache: { ...network, replica: 2 } }, [
            "redis:elasticache.replica = 2: is not a known key (did you mean \"replicas\"?); allowed keys here: mode, clusterMode, nodeType, replicas, shards, multiAz, port, vpcId, subnetIds, exampleVpc, allowedSecurityGroupIds, allowedCidrs, authentication, authTokenLength, authTokenRotation, migratingFromAuthToken, transitEncryptionMode, kmsKeyArn, awsManagedKey, parameters, logs, snapshotRetentionDays, snapshotWindow, finalSnapshot, maintenanceWindow, autoMinorVersionUpgrade, applyImmediately, dataTiering, notificationEmails, alarms, serverless",
        ]],
    ];
    for (const [title, values, expected] of refused) {
        it(`refuses ${title}`, () => {
            assert.deepEqual(problems(values), expected);
        });
    }

    it("refuses what a prod stack must not do", () => {
        assert.deepEqual(
            problems({
                environment: "prod",
                elasticache: { exampleVpc: {}, allowedCidrs: ["10.42.0.0/16"], replicas: 0, multiAz: false, transitEncryptionMode: "preferred", snapshotRetentionDays: 0, finalSnapshot: false },
            }),
            [
                "redis:elasticache.replicas = 0: must be at least 1 in a prod stack: with no replica a node failure loses the cache and its data",
                "redis:elasticache.multiAz = false: cannot be false in a prod stack: a zone outage would take Redis down with it",
                'redis:elasticache.transitEncryptionMode = "preferred": "preferred" is only a migration step and cannot stay in a prod stack: finish the migration with "required"',
                "redis:elasticache.snapshotRetentionDays = 0: must be at least 1 in a prod stack: without snapshots a lost replication group cannot be restored",
                "redis:elasticache.finalSnapshot = false: cannot be false in a prod stack: deleting the replication group must leave a snapshot behind",
                "redis:elasticache.exampleVpc = {}: is for examples and cannot be used in a prod stack: name your own subnets in elasticache.subnetIds",
            ],
        );
    });

    it("runs the newest version ElastiCache offers of an engine named without a version", () => {
        const plan = (engine: { name?: "redis" | "valkey" }) => {
            const config = parseStackConfig("dev", configMap({ backend: "elasticache", engine, elasticache: network }));
            return planElastiCache("redis-dev", elastiCacheArgsFor({ ...config, elasticache: config.elasticache! }));
        };
        // Redis on ElastiCache stops at 7.1: the backend's default 8.0 exists only for Valkey.
        const redis = plan({ name: "redis" });
        assert.equal(redis.kind, "replicationGroup");
        assert.deepEqual([redis.engine, redis.kind === "replicationGroup" ? redis.family : undefined], [{ name: "redis", version: "7.1" }, "redis7"]);
        assert.deepEqual(plan({ name: "valkey" }).engine, { name: "valkey", version: "8.0" });
    });

    it("resolves every default of a minimal replication group", () => {
        const config = parseStackConfig("dev", configMap({ backend: "elasticache", elasticache: network }));
        assert.deepEqual(planElastiCache("redis-dev", elastiCacheArgsFor({ ...config, elasticache: config.elasticache! })), {
            identifier: "redis-dev",
            engine: { name: "valkey", version: "8.0" },
            network: { kind: "existing", vpcId: "vpc-0abc", subnetIds: ["subnet-0a", "subnet-0b"] },
            allowedSecurityGroupIds: ["sg-0a"],
            allowedCidrs: [],
            encryption: { kind: "create" },
            notificationEmails: [],
            runbookBaseUrl: "docs/runbooks",
            alarms: PROFILE_ALARM_THRESHOLDS.cache,
            protect: false,
            kind: "replicationGroup",
            family: "valkey8",
            nodeType: "cache.t4g.small",
            clusterMode: false,
            shards: 1,
            replicas: 1,
            multiAz: true,
            automaticFailover: true,
            port: 6379,
            transitEncryptionMode: "required",
            authentication: { kind: "rbac", deleteAuthToken: false },
            parameters: [
                { name: "cluster-enabled", value: "no" },
                { name: "maxmemory-policy", value: "allkeys-lru" },
            ],
            logs: { slowLog: true, engineLog: true, retentionDays: 30 },
            snapshotRetentionDays: 1,
            snapshotWindow: "03:00-04:00",
            finalSnapshotIdentifier: undefined,
            maintenanceWindow: "sun:05:00-sun:06:00",
            autoMinorVersionUpgrade: true,
            applyImmediately: true,
            dataTiering: false,
        });
    });

    it("plans a token-authenticated cluster on Redis with overrides", () => {
        const config = parseStackConfig(
            "staging",
            configMap({
                backend: "elasticache",
                environment: "staging",
                profile: "queue",
                engine: { name: "redis", version: "7.1" },
                elasticache: {
                    ...network,
                    clusterMode: true,
                    shards: 3,
                    replicas: 2,
                    nodeType: "cache.r6gd.xlarge",
                    authentication: "token",
                    authTokenLength: 32,
                    authTokenRotation: { generation: 2, keepPrevious: true },
                    awsManagedKey: true,
                    parameters: { "notify-keyspace-events": "Ex" },
                    alarms: { memoryPercent: 60 },
                },
            }),
        );
        const plan = planElastiCache(elastiCacheIdentifier(["cache", config.stack]), elastiCacheArgsFor({ ...config, elasticache: config.elasticache! }));
        assert.equal(plan.kind, "replicationGroup");
        if (plan.kind !== "replicationGroup") return;
        assert.deepEqual(
            { family: plan.family, shards: plan.shards, replicas: plan.replicas, multiAz: plan.multiAz, dataTiering: plan.dataTiering, encryption: plan.encryption, final: plan.finalSnapshotIdentifier },
            { family: "redis7", shards: 3, replicas: 2, multiAz: true, dataTiering: true, encryption: { kind: "aws-managed" }, final: "cache-staging-final" },
        );
        assert.deepEqual(plan.authentication, { kind: "token", length: 32, rotation: { generation: 2, keepPrevious: true } });
        assert.deepEqual(plan.parameters, [
            { name: "cluster-enabled", value: "yes" },
            { name: "maxmemory-policy", value: "noeviction" },
            { name: "notify-keyspace-events", value: "Ex" },
        ]);
        assert.deepEqual(plan.alarms, { ...PROFILE_ALARM_THRESHOLDS.queue, memoryPercent: 60 });
    });
});

describe("ElastiCache pure decisions", () => {
    it("maps roles to access strings, with cluster discovery only in cluster mode", () => {
        assert.equal(
            elastiCacheAccessString({ role: "readonly", keys: ["app:*"], channels: [] }, false),
            "on ~app:* -@all +@read +@connection -@dangerous -keys +info",
        );
        assert.equal(elastiCacheAccessString({ role: "admin", keys: ["ignored:*"], channels: [] }, true), "on ~* &* -@all +@all");
        assert.equal(
            elastiCacheAccessString({ role: "app", keys: ["a:*", "b:*"], channels: ["events"] }, true),
            [
                "on ~a:* ~b:* &events -@all +@all -@admin -@dangerous",
                "-flushall -flushdb -keys -debug -config -shutdown -monitor -replicaof -slaveof -save -bgsave -bgrewriteaof -migrate -cluster -failover -module -acl -sync -psync -swapdb +info",
                ...CLUSTER_DISCOVERY_RULES,
            ].join(" "),
        );
        assert.equal(DISABLED_DEFAULT_ACCESS_STRING, "off -@all");
    });

    it("accepts only AUTH tokens ElastiCache accepts, without echoing them", () => {
        assert.equal(authTokenProblem("a".repeat(16)), undefined);
        assert.equal(authTokenProblem(`Ab1!&#$^<>-${"x".repeat(117)}`), undefined);
        assert.equal(authTokenProblem("short-token"), "must be 16 to 128 characters long, not 11");
        assert.equal(authTokenProblem("x".repeat(129)), "must be 16 to 128 characters long, not 129");
        assert.equal(authTokenProblem("has@and/and\"quote"), "contains '@', '/', '\"': only letters, digits and ! & # $ ^ < > - are allowed");
        assert.equal(authTokenProblem("tab\tand space here"), "contains U+0009, U+0020: only letters, digits and ! & # $ ^ < > - are allowed");
    });

    it("rotates AUTH tokens with ROTATE, then finishes with SET", () => {
        assert.equal(authTokenUpdateStrategy({ generation: 1, keepPrevious: false }), "ROTATE");
        assert.equal(authTokenUpdateStrategy({ generation: 2, keepPrevious: true }), "ROTATE");
        assert.equal(authTokenUpdateStrategy({ generation: 2, keepPrevious: false }), "SET");
    });

    it("derives identifiers ElastiCache accepts", () => {
        assert.equal(elastiCacheIdentifier(["redis", "prod"]), "redis-prod");
        assert.equal(elastiCacheIdentifier(["Redis", "my_stack--2"]), "redis-my-stack-2");
        assert.equal(elastiCacheIdentifier(["9lives", "x"]), "lives-x");
        const long = elastiCacheIdentifier(["redis", "a-very-long-stack-name-for-the-platform-team", "reporting"]);
        assert.ok(long.length <= 40, long);
        assert.match(long, /^redis-a-very-long-stack-name-for-[0-9a-f]{6}$/);
        assert.notEqual(long, elastiCacheIdentifier(["redis", "a-very-long-stack-name-for-the-platform-team", "reportinh"]));
        assert.throws(() => elastiCacheIdentifier(["123"]), /needs at least one letter/);
    });

    it("names member clusters the way ElastiCache does", () => {
        assert.deepEqual(memberClusterIds("rg", false, 1, 2), ["rg-001", "rg-002", "rg-003"]);
        assert.deepEqual(memberClusterIds("rg", true, 2, 1), ["rg-0001-001", "rg-0001-002", "rg-0002-001", "rg-0002-002"]);
    });

    it("picks parameter group families and Serverless majors", () => {
        assert.deepEqual(
            [["valkey", "7.2"], ["valkey", "8.1"], ["redis", "6.2"], ["redis", "7.1"]].map(([name, version]) => parameterGroupFamily({ name: name as "redis", version })),
            ["valkey7", "valkey8", "redis6.x", "redis7"],
        );
        assert.equal(supportedServerlessMajor("valkey", "8.0"), "8");
        assert.equal(supportedServerlessMajor("redis", "7.1"), "7");
        assert.equal(supportedServerlessMajor("redis", "6.2"), undefined);
    });

    it("keeps managed parameters out of the overrides' reach and sorted", () => {
        assert.deepEqual(parameterGroupParameters(false, "volatile-lru", { "maxmemory-policy": "allkeys-lru", "activedefrag": "yes" }), [
            { name: "activedefrag", value: "yes" },
            { name: "cluster-enabled", value: "no" },
            { name: "maxmemory-policy", value: "volatile-lru" },
        ]);
    });

    it("finds overlapping windows across days and the week's end", () => {
        assert.equal(windowsOverlap("03:00-04:00", "sun:05:00-sun:06:00"), false);
        assert.equal(windowsOverlap("23:30-00:30", "mon:00:00-mon:01:00"), true);
        assert.equal(windowsOverlap("02:00-03:00", "sun:23:00-mon:02:30"), true);
        assert.equal(windowsOverlap("04:00-05:00", "sun:23:00-mon:02:30"), false);
    });

    it("splits the example VPC into one subnet per zone", () => {
        assert.deepEqual(subnetCidrs("10.42.0.0/16", 3, 4), ["10.42.0.0/20", "10.42.16.0/20", "10.42.32.0/20"]);
        assert.deepEqual(subnetCidrs("192.168.4.0/24", 3, 4), ["192.168.4.0/28", "192.168.4.16/28", "192.168.4.32/28"]);
        assert.throws(() => subnetCidrs("10.0.0.0/26", 3, 4), /cannot hold 3 subnets of \/30/);
    });

    it("alarms per node, with replication lag only where there are replicas", () => {
        const thresholds = alarmThresholds("durable", { connections: 100 });
        assert.deepEqual(thresholds, { ...PROFILE_ALARM_THRESHOLDS.durable, connections: 100 });
        const specs = nodeAlarmSpecs("rg", ["rg-001"], false, thresholds);
        assert.deepEqual(specs.map((spec) => [spec.key, spec.metricName, spec.statistic, spec.threshold]), [
            ["001-cpu", "CPUUtilization", "Average", 80],
            ["001-engine-cpu", "EngineCPUUtilization", "Average", 70],
            ["001-memory", "DatabaseMemoryUsagePercentage", "Maximum", 70],
            ["001-evictions", "Evictions", "Sum", 0],
            ["001-connections", "CurrConnections", "Maximum", 100],
            ["001-swap", "SwapUsage", "Maximum", 128 * 1024 * 1024],
        ]);
        assert.deepEqual(specs[0], {
            key: "001-cpu",
            metricName: "CPUUtilization",
            dimensions: { CacheClusterId: "rg-001" },
            statistic: "Average",
            period: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            threshold: 80,
            description: "rg-001: host CPU above 80%, or no data (node gone)",
            treatMissingData: "breaching",
            runbook: "scaling.md",
        });
        assert.equal(nodeAlarmSpecs("rg", ["rg-001", "rg-002"], true, thresholds).filter((spec) => spec.metricName === "ReplicationLag").length, 2);
    });

    it("alarms a Serverless cache against its own ceilings", () => {
        const specs = serverlessAlarmSpecs("sc", { maxDataStorageGb: 10, maxEcpuPerSecond: 1000 }, PROFILE_ALARM_THRESHOLDS.cache);
        assert.deepEqual(specs.map((spec) => [spec.key, spec.metricName, spec.dimensions, spec.threshold]), [
            ["storage", "BytesUsedForCache", { clusterId: "sc" }, Math.floor(10 * 1024 ** 3 * 0.95)],
            ["ecpu", "ElastiCacheProcessingUnits", { clusterId: "sc" }, 54000],
            ["throttled", "ThrottledCmds", { clusterId: "sc" }, 1000],
            ["evictions", "Evictions", { clusterId: "sc" }, 10000],
            ["connections", "CurrConnections", { clusterId: "sc" }, 10000],
        ]);
    });
});
