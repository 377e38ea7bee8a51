import { z } from "zod";
import { elastiCacheArgsProblems } from "../../components/elasticache/validate";
import type { CrossFieldProblem, ParsedStackConfig } from "./schema";
import { cidr, rotationSchema } from "./sections";
import { knownOrPending, orStackOutput } from "./stackOutput";

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
    vpcId: orStackOutput(z.string().regex(/^vpc-[0-9a-f]+$/, { error: "must be a VPC id such as vpc-0abc123" }), "a VPC id such as vpc-0abc123").optional(),
    subnetIds: orStackOutput(
        z
            .array(z.string().regex(/^subnet-[0-9a-f]+$/, { error: "must be a subnet id such as subnet-0abc123" }))
            .min(1)
            .max(20),
        "a list of subnet ids",
    ).optional(),
    exampleVpc: z.strictObject({ cidrBlock: z.cidrv4({ error: "must be an IPv4 CIDR block such as 10.42.0.0/16" }).default("10.42.0.0/16") }).optional(),
    allowedSecurityGroupIds: z.array(orStackOutput(z.string().regex(/^sg-[0-9a-f]+$/, { error: "must be a security group id such as sg-0abc123" }), "a security group id such as sg-0abc123")).default([]),
    allowedCidrs: z.array(cidr).default([]),
    authentication: z.enum(["rbac", "token"]).default("rbac"),
    authTokenLength: z.number().int().optional(),
    authTokenRotation: rotationSchema.optional(),
    migratingFromAuthToken: z.boolean().optional(),
    transitEncryptionMode: z.enum(["required", "preferred"]).default("required"),
    kmsKeyArn: orStackOutput(
        z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[0-9a-f-]+$/, { error: "must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/..." }),
        "a KMS key ARN",
    ).optional(),
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

/**
 * The problems of the `redis:elasticache` section that involve more than one key, or other sections the
 * backend cannot honour. Paths start at the namespace root. The section's own checks are the component's
 * (`elastiCacheArgsProblems`), so the library and the stack files refuse the same things with the same words.
 */
export function elastiCacheProblems(elasticache: ElastiCacheSection, config: ParsedStackConfig): CrossFieldProblem[] {
    const problems: CrossFieldProblem[] = elastiCacheArgsProblems({
        ...elasticache,
        // Values from another stack are known at deployment only: checked then, by the component.
        vpcId: elasticache.vpcId === undefined ? undefined : knownOrPending(elasticache.vpcId),
        subnetIds: elasticache.subnetIds === undefined ? undefined : knownOrPending(elasticache.subnetIds),
        allowedSecurityGroupIds: elasticache.allowedSecurityGroupIds.map(knownOrPending),
        kmsKeyArn: elasticache.kmsKeyArn === undefined ? undefined : knownOrPending(elasticache.kmsKeyArn),
        environment: config.environment,
        engine: config.engine,
    }).map((problem) => ({
        path: problem.path[0] === "engine" ? problem.path : ["elasticache", ...problem.path],
        message: problem.message,
    }));
    // What the stack's other sections say that a mode's alarms or parameters cannot honour.
    if (elasticache.mode === "serverless") {
        if (config.memory.evictionPolicy !== undefined) {
            problems.push({ path: ["memory", "evictionPolicy"], message: 'does not apply to elasticache.mode "serverless": Serverless caches take no parameter group, so their eviction policy cannot be set' });
        }
        for (const key of ["cpuPercent", "replicationLagSeconds", "swapMiB"] as const) {
            if (elasticache.alarms[key] !== undefined) {
                problems.push({ path: ["elasticache", "alarms", key], message: 'does not apply to mode "serverless": a Serverless cache reports no host CPU, swap or replication lag' });
            }
        }
    } else if (elasticache.alarms.throttledCommands !== undefined) {
        problems.push({ path: ["elasticache", "alarms", "throttledCommands"], message: 'only applies to mode "serverless": only Serverless caches throttle commands' });
    }
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
