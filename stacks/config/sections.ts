import { z } from "zod";
import { APPLICATION_ROLES } from "../../components/redisconf/acl";
import { CA_ROLLOVER_PHASES } from "../../components/redisconf/caBundle";
import { MEMORY_SIZE_HELP, MEMORY_SIZE_PATTERN } from "../../components/redisconf/memory";
import { EVICTION_POLICIES } from "../../components/redisconf/profiles";
import { MAX_CA_GENERATION } from "../../components/security/certificateNames";
import { DEFAULT_RUNBOOK_BASE_URL } from "../../components/monitoring/runbooks";
import { proxySchema } from "./proxy";

/**
 * The zod schemas of each stack config key under the `redis` namespace. Every object is strict, so a
 * misspelled key is an error (with a did-you-mean) instead of a silently ignored setting.
 */

/** A memory size such as `512mb` or `2gb`. */
export const memorySize = z.string().regex(MEMORY_SIZE_PATTERN, { error: `must be ${MEMORY_SIZE_HELP}` });

const dnsName = z
    .string()
    .regex(/^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, {
        error: "must be a lower-case DNS name such as redis.example.com",
    });

/** An IPv4 or IPv6 address. */
export const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: "must be an IPv4 or IPv6 address" });

/** An IPv4 or IPv6 CIDR block. */
export const cidr = z.union([z.cidrv4(), z.cidrv6()], { error: "must be a CIDR block such as 10.0.0.0/16" });

const kubernetesName = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: "must be a Kubernetes name: lower-case letters, digits and '-', at most 63" });

/** `redis:engine`: which engine and `major.minor` version. Allowed versions depend on the backend. */
export const engineSchema = z.strictObject({
    name: z.enum(["redis", "valkey"]).optional(),
    version: z
        .string()
        .regex(/^[0-9]+\.[0-9]+$/, { error: "must be major.minor such as 7.2 (no patch level, no '.x')" })
        .optional(),
});

/** `redis:memory`: how much data a node holds and what happens when it is full. */
export const memorySchema = z.strictObject({
    maxmemory: memorySize.optional(),
    evictionPolicy: z.enum(EVICTION_POLICIES).optional(),
});

/** `redis:persistence`: overrides of the profile's persistence. */
export const persistenceSchema = z.strictObject({
    mode: z.enum(["none", "rdb", "aof"]).optional(),
    appendfsync: z.enum(["everysec", "always"]).optional(),
});

/**
 * `redis:tls.caRotation`: a CA rollover. `generation` counts CAs; raising it by one starts a rollover that
 * goes through `phase` `trust-both`, `serve-new` and `retire-old`, one `pulumi up` each. Unset is generation 1.
 */
export const caRotationSchema = z.strictObject({
    generation: z.number().int().min(1).max(MAX_CA_GENERATION).default(1),
    phase: z.enum(CA_ROLLOVER_PHASES).optional(),
});

/** `redis:tls`: transport security. On unless a non-prod stack turns it off. */
export const tlsSchema = z.strictObject({
    enabled: z.boolean().default(true),
    mtls: z.boolean().default(false),
    validityDays: z.number().int().min(30).max(3650).default(365),
    earlyRenewalDays: z.number().int().min(1).max(365).default(30),
    dnsNames: z.array(dnsName).max(50).default([]),
    ipAddresses: z.array(ipAddress).max(50).default([]),
    includeLocalhost: z.boolean().default(false),
    caRotation: caRotationSchema.optional(),
});

const aclPattern = z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\s~&%#><]+$/, { error: "must be a glob pattern with no spaces and none of ~ & % # < >" });

/** One application user in `redis:acl.users`. */
export const aclUserSchema = z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, {
        error: "must start with a lower-case letter and hold at most 32 of a-z, 0-9, '_' and '-'",
    }),
    role: z.enum(APPLICATION_ROLES),
    keys: z.array(aclPattern).min(1).max(50).default(["*"]),
    channels: z.array(aclPattern).max(50).default([]),
});

/** The password rotation state of one user: `generation` counts rotations; the previous one may stay valid. */
export const rotationSchema = z.strictObject({
    generation: z.number().int().min(1).max(1000).default(1),
    keepPrevious: z.boolean().default(false),
});

/** `redis:acl`: application users and password rotation. */
export const aclSchema = z.strictObject({
    users: z
        .array(aclUserSchema)
        .min(1)
        .max(50)
        .default([{ name: "app", role: "app", keys: ["*"], channels: ["*"] }]),
    passwordLength: z.number().int().min(24).max(128).default(40),
    rotation: z.record(z.string(), rotationSchema).default({}),
});

const resourcesSchema = z.strictObject({
    cpu: z
        .string()
        .regex(/^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/, { error: "must be CPU cores such as 500m, 1 or 1.5" })
        .default("1"),
    memory: memorySize.default("1gb"),
});

const storageSchema = z.strictObject({
    size: memorySize.default("10gb"),
    className: kubernetesName.optional(),
});

const dockerSchema = z.strictObject({
    publishAddress: ipAddress.default("127.0.0.1"),
    basePort: z.number().int().min(1024).max(60000).default(7000),
});

const kubernetesSchema = z.strictObject({
    namespace: kubernetesName.default("redis"),
    createNamespace: z.boolean().default(true),
    priorityClassName: kubernetesName.optional(),
    clientNamespaces: z.array(kubernetesName).max(50).default([]),
    clientPodLabels: z.record(z.string(), z.string()).default({ "redis-client": "true" }),
    monitoringNamespace: kubernetesName.default("monitoring"),
    clusterDomain: dnsName.default("cluster.local"),
    somaxconn: z.number().int().min(128).max(65535).optional(),
});

/** `redis:selfhosted`: the nodes this project runs itself. */
export const selfHostedSchema = z.strictObject({
    topology: z.enum(["standalone", "sentinel", "cluster"]),
    platform: z.enum(["docker", "kubernetes"]),
    replicas: z.number().int().min(0).max(5).optional(),
    sentinels: z.number().int().min(3).max(7).optional(),
    shards: z.number().int().min(3).max(100).optional(),
    replicasPerShard: z.number().int().min(1).max(5).optional(),
    failover: z.enum(["standard", "fast"]).default("standard"),
    switchoverTo: z.string().regex(/^redis-[0-9]{1,3}$/, { error: "must be a data node name such as redis-1" }).optional(),
    resources: resourcesSchema.default({ cpu: "1", memory: "1gb" }),
    storage: storageSchema.default({ size: "10gb" }),
    docker: dockerSchema.optional(),
    kubernetes: kubernetesSchema.optional(),
    proxy: proxySchema.optional(),
});

/** `redis:monitoring.smtp`: the SMTP server alert e-mails go through. Its password is the secret `redis:smtpPassword`. */
export const smtpSchema = z.strictObject({
    smarthost: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:[0-9]{1,5}$/, { error: "must be host:port such as smtp.example.com:587" }),
    from: z.email({ error: "must be an e-mail address" }),
    username: z.string().min(1).max(200).optional(),
});

/** `redis:monitoring`: exporters, alert rules and where alerts go. Receivers' secrets have their own keys. */
export const monitoringSchema = z.strictObject({
    enabled: z.boolean().default(true),
    mode: z.enum(["bundled", "operator"]).default("bundled"),
    receivers: z.array(z.enum(["slack", "discord", "pagerduty", "email"])).max(4).default([]),
    emailTo: z.email({ error: "must be an e-mail address" }).optional(),
    smtp: smtpSchema.optional(),
    operatorLabels: z.record(z.string(), z.string()).default({}),
    retentionDays: z.number().int().min(1).max(365).default(15),
    runbookBaseUrl: z
        .string()
        .regex(/^(https?:\/\/[^\s"'<>]+|[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*)$/, { error: "must be an http(s) URL such as https://github.com/acme/redis-platform/blob/main/docs/runbooks, or a relative path" })
        .default(DEFAULT_RUNBOOK_BASE_URL),
});

/** `redis:backup`: scheduled backups to a bucket. */
export const backupSchema = z.strictObject({
    enabled: z.boolean().default(true),
    schedule: z
        .string()
        .regex(/^(\S+\s+){4}\S+$/, { error: "must be a five-field cron expression such as '0 */6 * * *'" })
        .default("0 */6 * * *"),
    retentionDays: z.number().int().min(1).max(3650).default(14),
    archiveAfterDays: z.number().int().min(1).max(3650).optional(),
    bucketName: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, { error: "must be a DNS-compliant bucket name: 3 to 63 of a-z, 0-9 and '-'" })
        .optional(),
    exportSnapshots: z.boolean().default(false),
    kmsKeyArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)\/[A-Za-z0-9\/_-]+$/, { error: "must be a KMS key or alias ARN such as arn:aws:kms:eu-west-1:111122223333:key/<id>" })
        .optional(),
    target: z.enum(["auto", "s3", "volume"]).default("auto"),
    s3Endpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://minio.example.com" }).optional(),
    uploadImage: z
        .string()
        .regex(/^[a-z0-9]+(?:[._\/-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[0-9a-f]{64}$/, { error: "must be an image pinned by tag and digest, such as amazon/aws-cli:<tag>@sha256:<64 hex>" })
        .optional(),
    serviceAccount: kubernetesName.optional(),
    prefix: z
        .string()
        .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { error: "must be path segments of A-Z a-z 0-9 . _ - joined by '/', no leading or trailing '/'" })
        .optional(),
});
