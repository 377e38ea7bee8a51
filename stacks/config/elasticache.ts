import { z } from "zod";
import { supportedServerlessMajor } from "../../components/elasticache/engineFamily";
import { CLOUDWATCH_RETENTION_DAYS } from "../../components/elasticache/logRetention";
import { MANAGED_PARAMETERS } from "../../components/elasticache/parameters";
import { supportsDataTiering } from "../../components/elasticache/nodeTypes";
import { dailyWindow, weeklyWindow, windowMinutes, windowsOverlap } from "../../components/elasticache/windows";
import type { CrossFieldProblem, ParsedStackConfig } from "./schema";
import { cidr, rotationSchema } from "./sections";

const HH_MM = "([01][0-9]|2[0-3]):[0-5][0-9]";
const DAY = "(mon|tue|wed|thu|fri|sat|sun)";

/** Alarm threshold overrides; each one replaces the workload profile's value. */
const alarmsSchema = z.strictObject({
    enabled: z.boolean().default(true),
    cpuPercent: z.number().min(1).max(100).optional(),
    engineCpuPercent: z.number().min(1).max(100).optional(),
    memoryPercent: z.number().min(1).max(100).optional(),
    evictions: z.number().int().min(0).optional(),
    connections: z.number().int().min(1).max(65000).optional(),
    replicationLagSeconds: z.number().min(0.1).max(3600).optional(),
    swapMiB: z.number().int().min(1).max(65536).optional(),
    throttledCommands: z.number().int().min(0).optional(),
});

/** ElastiCache Serverless usage limits: the ceiling protects the bill, the floor pre-warms capacity. */
const serverlessSchema = z.strictObject({
    maxDataStorageGb: z.number().int().min(1).max(5000),
    minDataStorageGb: z.number().int().min(1).max(5000).optional(),
    maxEcpuPerSecond: z.number().int().min(1000).max(15_000_000),
    minEcpuPerSecond: z.number().int().min(1000).max(15_000_000).optional(),
    dailySnapshotTime: z
        .string()
        .regex(new RegExp(`^${HH_MM}$`), { error: "must be a UTC time HH:MM such as 03:00" })
        .default("03:00"),
});

/** Slow-log and engine-log delivery to CloudWatch Logs. */
const logsSchema = z.strictObject({
    slowLog: z.boolean().default(true),
    engineLog: z.boolean().default(true),
    retentionDays: z.number().int().default(30),
});

/** `redis:elasticache`: AWS ElastiCache, node-based (replication group) or Serverless. */
export const elastiCacheSchema = z.strictObject({
    mode: z.enum(["replicationGroup", "serverless"]).default("replicationGroup"),
    clusterMode: z.boolean().optional(),
    nodeType: z
        .string()
        .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an ElastiCache node type such as cache.r7g.large" })
        .optional(),
    replicas: z.number().int().min(0).max(5).optional(),
    shards: z.number().int().min(0).max(500).optional(),
    multiAz: z.boolean().optional(),
    port: z.number().int().min(1024).max(65535).optional(),
    vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, { error: "must be a VPC id such as vpc-0abc123" }).optional(),
    subnetIds: z
        .array(z.string().regex(/^subnet-[0-9a-f]+$/, { error: "must be a subnet id such as subnet-0abc123" }))
        .min(1)
        .max(20)
        .optional(),
    exampleVpc: z.strictObject({ cidrBlock: z.cidrv4({ error: "must be an IPv4 CIDR block such as 10.42.0.0/16" }).default("10.42.0.0/16") }).optional(),
    allowedSecurityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]+$/, { error: "must be a security group id such as sg-0abc123" })).default([]),
    allowedCidrs: z.array(cidr).default([]),
    authentication: z.enum(["rbac", "token"]).default("rbac"),
    authTokenLength: z.number().int().optional(),
    authTokenRotation: rotationSchema.optional(),
    migratingFromAuthToken: z.boolean().optional(),
    transitEncryptionMode: z.enum(["required", "preferred"]).default("required"),
    kmsKeyArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[0-9a-f-]+$/, { error: "must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/..." })
        .optional(),
    awsManagedKey: z.boolean().default(false),
    parameters: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, { error: "must be a parameter name such as notify-keyspace-events" }), z.string()).default({}),
    logs: logsSchema.optional(),
    snapshotRetentionDays: z.number().int().min(0).max(35).optional(),
    snapshotWindow: z
        .string()
        .regex(new RegExp(`^${HH_MM}-${HH_MM}$`), { error: "must be a daily UTC range HH:MM-HH:MM such as 03:00-04:00" })
        .optional(),
    finalSnapshot: z.boolean().optional(),
    maintenanceWindow: z
        .string()
        .regex(new RegExp(`^${DAY}:${HH_MM}-${DAY}:${HH_MM}$`), { error: "must be a weekly UTC range ddd:HH:MM-ddd:HH:MM such as sun:05:00-sun:06:00" })
        .optional(),
    autoMinorVersionUpgrade: z.boolean().optional(),
    applyImmediately: z.boolean().optional(),
    dataTiering: z.boolean().optional(),
    notificationEmails: z.array(z.email({ error: "must be an e-mail address" })).max(10).default([]),
    alarms: alarmsSchema.prefault({}),
    serverless: serverlessSchema.optional(),
});

/** The `redis:elasticache` section after parsing. */
export type ElastiCacheSection = z.output<typeof elastiCacheSchema>;

/** Keys that only a node-based replication group has. */
const NODE_BASED_KEYS = [
    "clusterMode",
    "nodeType",
    "replicas",
    "shards",
    "multiAz",
    "port",
    "logs",
    "snapshotWindow",
    "finalSnapshot",
    "maintenanceWindow",
    "autoMinorVersionUpgrade",
    "applyImmediately",
    "dataTiering",
    "authTokenLength",
    "authTokenRotation",
    "migratingFromAuthToken",
] as const;

/**
 * The problems of the `redis:elasticache` section that involve more than one key, or other sections the
 * backend cannot honour. Paths start at the namespace root.
 */
export function elastiCacheProblems(elasticache: ElastiCacheSection, config: ParsedStackConfig): CrossFieldProblem[] {
    const problems: CrossFieldProblem[] = [];
    const add = (path: (string | number)[], message: string) => problems.push({ path: ["elasticache", ...path], message });
    const prod = config.environment === "prod";
    const serverless = elasticache.mode === "serverless";

    if (serverless) {
        for (const key of NODE_BASED_KEYS) {
            if (elasticache[key] !== undefined) {
                add([key], 'does not apply to mode "serverless": ElastiCache Serverless sizes, replicates, patches and logs itself');
            }
        }
        if (Object.keys(elasticache.parameters).length > 0) {
            add(["parameters"], 'does not apply to mode "serverless": Serverless caches take no parameter group');
        }
        if (elasticache.authentication === "token") {
            add(["authentication"], 'must be "rbac" with mode "serverless": Serverless caches authenticate only RBAC users');
        }
        if (elasticache.transitEncryptionMode === "preferred") {
            add(["transitEncryptionMode"], 'must be "required" with mode "serverless": Serverless caches accept TLS connections only');
        }
        if (elasticache.serverless === undefined) {
            add(["serverless"], 'is required with mode "serverless": set serverless.maxDataStorageGb and serverless.maxEcpuPerSecond so a runaway client cannot run up the bill');
        } else {
            const limits = elasticache.serverless;
            if (limits.minDataStorageGb !== undefined && limits.minDataStorageGb > limits.maxDataStorageGb) {
                add(["serverless", "minDataStorageGb"], `must be at most serverless.maxDataStorageGb (${limits.maxDataStorageGb})`);
            }
            if (limits.minEcpuPerSecond !== undefined && limits.minEcpuPerSecond > limits.maxEcpuPerSecond) {
                add(["serverless", "minEcpuPerSecond"], `must be at most serverless.maxEcpuPerSecond (${limits.maxEcpuPerSecond})`);
            }
        }
        if (config.memory.evictionPolicy !== undefined) {
            problems.push({ path: ["memory", "evictionPolicy"], message: 'does not apply to elasticache.mode "serverless": Serverless caches take no parameter group, so their eviction policy cannot be set' });
        }
        for (const key of ["cpuPercent", "replicationLagSeconds", "swapMiB"] as const) {
            if (elasticache.alarms[key] !== undefined) {
                add(["alarms", key], 'does not apply to mode "serverless": a Serverless cache reports no host CPU, swap or replication lag');
            }
        }
        const engine = { name: config.engine.name ?? "valkey", version: config.engine.version };
        if (engine.version !== undefined && supportedServerlessMajor(engine.name, engine.version) === undefined) {
            problems.push({
                path: ["engine", "version"],
                message: `is not available for ElastiCache Serverless ${engine.name}: use ${engine.name === "redis" ? "7.1" : "7.2, 8.0 or 8.1"}`,
            });
        }
    } else {
        replicationGroupProblems(elasticache, config, add);
        if (elasticache.alarms.throttledCommands !== undefined) {
            add(["alarms", "throttledCommands"], 'only applies to mode "serverless": only Serverless caches throttle commands');
        }
    }

    if (elasticache.serverless !== undefined && !serverless) {
        add(["serverless"], 'only applies to mode "serverless"');
    }
    if (elasticache.kmsKeyArn !== undefined && elasticache.awsManagedKey) {
        add(["awsManagedKey"], "cannot be true while elasticache.kmsKeyArn names a key: choose one");
    }

    networkProblems(elasticache, prod, add);

    if (elasticache.authentication === "token") {
        // Without RBAC there is one password for everybody, so a second user or a read-only one would be a lie.
        tokenUserProblems(config, problems);
    }
    if (config.memory.maxmemory !== undefined) {
        problems.push({ path: ["memory", "maxmemory"], message: 'does not apply to backend "elasticache": the node type (or Serverless limits) decides the memory' });
    }
    if (config.persistence.mode !== undefined || config.persistence.appendfsync !== undefined) {
        problems.push({
            path: ["persistence", config.persistence.mode !== undefined ? "mode" : "appendfsync"],
            message: 'does not apply to backend "elasticache": it persists by daily snapshots (elasticache.snapshotRetentionDays) and replicas, never AOF',
        });
    }
    if (config.tls.mtls) {
        problems.push({ path: ["tls", "mtls"], message: 'cannot be true with backend "elasticache": ElastiCache does not verify client certificates' });
    }
    return problems;
}

function replicationGroupProblems(
    elasticache: ElastiCacheSection,
    config: ParsedStackConfig,
    add: (path: (string | number)[], message: string) => void,
): void {
    const prod = config.environment === "prod";
    const replicas = elasticache.replicas ?? 1;
    if (elasticache.clusterMode === true && elasticache.shards === 0) {
        add(["shards"], "must be at least 1 with clusterMode: true: a cluster spreads its keys over one or more shards");
    } else if (elasticache.clusterMode !== true && elasticache.shards !== undefined) {
        add(["shards"], "needs clusterMode: true; without cluster mode there is exactly one shard");
    }
    if (elasticache.multiAz === true && replicas === 0) {
        add(["multiAz"], "needs at least 1 replica: Multi-AZ fails over to a replica in another zone");
    }
    if (prod && replicas === 0) {
        add(["replicas"], "must be at least 1 in a prod stack: with no replica a node failure loses the cache and its data");
    }
    if (prod && elasticache.multiAz === false) {
        add(["multiAz"], "cannot be false in a prod stack: a zone outage would take Redis down with it");
    }
    const nodeType = elasticache.nodeType;
    if (nodeType !== undefined) {
        if (elasticache.dataTiering === true && !supportsDataTiering(nodeType)) {
            add(["dataTiering"], `needs an r6gd node type (such as cache.r6gd.xlarge), not ${nodeType}: only those nodes have the SSD that data tiering spills to`);
        }
        if (elasticache.dataTiering === false && supportsDataTiering(nodeType)) {
            add(["dataTiering"], `cannot be false with node type ${nodeType}: ElastiCache requires data tiering on r6gd nodes`);
        }
    } else if (elasticache.dataTiering === true) {
        add(["dataTiering"], "needs an r6gd node type (such as cache.r6gd.xlarge) in elasticache.nodeType");
    }
    if (elasticache.authentication !== "token") {
        for (const key of ["authTokenLength", "authTokenRotation"] as const) {
            if (elasticache[key] !== undefined) {
                add([key], 'only applies to authentication "token"');
            }
        }
    }
    if (elasticache.migratingFromAuthToken !== undefined && elasticache.authentication !== "rbac") {
        add(["migratingFromAuthToken"], 'only applies to authentication "rbac": it deletes the old AUTH token while the user group is added');
    }
    if (elasticache.authTokenLength !== undefined && (elasticache.authTokenLength < 16 || elasticache.authTokenLength > 128)) {
        add(["authTokenLength"], "must be from 16 to 128: ElastiCache accepts AUTH tokens of 16 to 128 characters");
    }
    const engineName = config.engine.name ?? "valkey";
    if (elasticache.transitEncryptionMode === "preferred" && engineName === "redis" && config.engine.version === "6.2") {
        add(["transitEncryptionMode"], '"preferred" needs Redis 7.0 or later (or Valkey): earlier engines cannot change in-transit encryption without replacing the cluster');
    }
    if (prod && elasticache.transitEncryptionMode === "preferred") {
        add(["transitEncryptionMode"], '"preferred" is only a migration step and cannot stay in a prod stack: finish the migration with "required"');
    }
    if (elasticache.logs !== undefined && !CLOUDWATCH_RETENTION_DAYS.includes(elasticache.logs.retentionDays)) {
        add(["logs", "retentionDays"], `must be one of the retention periods CloudWatch Logs accepts: ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`);
    }
    if (prod && elasticache.snapshotRetentionDays === 0) {
        add(["snapshotRetentionDays"], "must be at least 1 in a prod stack: without snapshots a lost replication group cannot be restored");
    }
    if (prod && elasticache.finalSnapshot === false) {
        add(["finalSnapshot"], "cannot be false in a prod stack: deleting the replication group must leave a snapshot behind");
    }
    if (elasticache.snapshotWindow !== undefined && windowMinutes(dailyWindow(elasticache.snapshotWindow)) < 60) {
        add(["snapshotWindow"], "must be at least 60 minutes long");
    }
    if (elasticache.maintenanceWindow !== undefined && windowMinutes(weeklyWindow(elasticache.maintenanceWindow)) < 60) {
        add(["maintenanceWindow"], "must be at least 60 minutes long");
    }
    if (elasticache.snapshotWindow !== undefined && elasticache.maintenanceWindow !== undefined) {
        if (windowsOverlap(elasticache.snapshotWindow, elasticache.maintenanceWindow)) {
            add(["snapshotWindow"], `must not overlap elasticache.maintenanceWindow (${elasticache.maintenanceWindow}): ElastiCache refuses overlapping windows`);
        }
    }
    for (const name of Object.keys(elasticache.parameters)) {
        const managedBy = MANAGED_PARAMETERS[name];
        if (managedBy !== undefined) {
            add(["parameters", name], `is managed by ${managedBy}: set it there`);
        }
    }
}

function networkProblems(elasticache: ElastiCacheSection, prod: boolean, add: (path: (string | number)[], message: string) => void): void {
    if (elasticache.subnetIds === undefined && elasticache.exampleVpc === undefined) {
        add(["subnetIds"], "is required (with elasticache.vpcId), or set elasticache.exampleVpc to create a private example VPC");
    }
    if (elasticache.subnetIds !== undefined && elasticache.exampleVpc !== undefined) {
        add(["exampleVpc"], "cannot be set together with elasticache.subnetIds: use your own subnets or the example VPC, not both");
    }
    if (elasticache.subnetIds !== undefined && elasticache.vpcId === undefined) {
        add(["vpcId"], "is required with elasticache.subnetIds: the security group is created in that VPC");
    }
    if (elasticache.exampleVpc !== undefined && elasticache.vpcId !== undefined) {
        add(["vpcId"], "cannot be set with elasticache.exampleVpc, which creates its own VPC");
    }
    const examplePrefix = elasticache.exampleVpc ? Number(elasticache.exampleVpc.cidrBlock.split("/")[1]) : undefined;
    if (examplePrefix !== undefined && (examplePrefix < 16 || examplePrefix > 24)) {
        add(["exampleVpc", "cidrBlock"], "must be a /16 to /24 block: the example VPC splits it into 3 subnets 16 times smaller");
    }
    if (prod && elasticache.exampleVpc !== undefined) {
        add(["exampleVpc"], "is for examples and cannot be used in a prod stack: name your own subnets in elasticache.subnetIds");
    }
    if (elasticache.subnetIds !== undefined && new Set(elasticache.subnetIds).size !== elasticache.subnetIds.length) {
        add(["subnetIds"], "lists a subnet twice");
    }
    const multiAz = elasticache.mode === "serverless" || elasticache.multiAz === true || (elasticache.multiAz === undefined && (elasticache.replicas ?? 1) > 0);
    if (multiAz && elasticache.subnetIds !== undefined && elasticache.subnetIds.length < 2) {
        add(["subnetIds"], `must name at least 2 subnets in different zones ${elasticache.mode === "serverless" ? "for a Serverless cache" : "for Multi-AZ"}`);
    }
    if (elasticache.allowedSecurityGroupIds.length === 0 && elasticache.allowedCidrs.length === 0) {
        add(["allowedSecurityGroupIds"], "or elasticache.allowedCidrs must name who may connect: nothing is open by default");
    }
    elasticache.allowedCidrs.forEach((block, index) => {
        if (block.endsWith("/0")) {
            add(["allowedCidrs", index], "must not open Redis to the whole internet: name the application's network instead");
        }
    });
}

function tokenUserProblems(config: ParsedStackConfig, problems: CrossFieldProblem[]): void {
    if (config.acl.users.length !== 1) {
        problems.push({
            path: ["acl", "users"],
            message: 'must hold exactly one user with elasticache.authentication "token": an AUTH token is one password for everybody; use "rbac" for several users',
        });
    } else if (config.acl.users[0].role === "readonly") {
        problems.push({
            path: ["acl", "users", 0, "role"],
            message: 'cannot be "readonly" with elasticache.authentication "token": the AUTH token grants every command; use "rbac" for read-only users',
        });
    }
}
