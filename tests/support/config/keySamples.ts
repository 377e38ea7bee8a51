/**
 * For the config-key walk (tests/unit/config-keys.test.ts): one valid, non-default value per config key,
 * and the bases each backend is walked from. Pure data.
 */

/** The config and secrets a backend is walked from: the smallest stack that builds. */
export interface WalkBase {
    config: Record<string, unknown>;
    /** Secret keys set, each to a mock value. */
    secrets: string[];
}

/** The backends (and platforms) every key is walked on. */
export const WALK_BASES: Record<string, WalkBase> = {
    "selfhosted/docker": { config: { backend: "selfhosted", selfhosted: { topology: "sentinel", platform: "docker" } }, secrets: [] },
    "selfhosted/kubernetes": { config: { backend: "selfhosted", selfhosted: { topology: "sentinel", platform: "kubernetes" } }, secrets: [] },
    "elasticache/replicationGroup": { config: { backend: "elasticache", elasticache: { exampleVpc: {}, allowedCidrs: ["10.0.0.0/16"] } }, secrets: [] },
    "elasticache/serverless": {
        config: { backend: "elasticache", elasticache: { mode: "serverless", exampleVpc: {}, allowedCidrs: ["10.0.0.0/16"], serverless: { maxDataStorageGb: 10, maxEcpuPerSecond: 5000 } } },
        secrets: [],
    },
    upstash: { config: { backend: "upstash", upstash: { primaryRegion: "us-east-1", email: "ops@example.com" } }, secrets: ["upstashApiKey"] },
};

/**
 * How one key is tried: `set` holds dotted paths (from the namespace root) and the values written there,
 * over `context`, which both the baseline and the try carry (a key that only applies beside another).
 * `secrets` are secret keys set for the try only.
 */
export interface KeySample {
    set: Record<string, unknown>;
    context?: Record<string, unknown>;
    secrets?: string[];
}

const one = (path: string, value: unknown): KeySample => ({ set: { [path]: value } });
const inContext = (context: Record<string, unknown>, path: string, value: unknown): KeySample => ({ context, set: { [path]: value } });
const cluster = { "selfhosted.topology": "cluster" };
const withProxy = { ...cluster, "selfhosted.proxy.enabled": true };
const SERVERLESS = { maxDataStorageGb: 10, maxEcpuPerSecond: 5000 };

/**
 * A valid value other than the default for every leaf key the schema accepts (objects are walked through
 * their keys), by key path as `schemaKeyPaths` spells it. A function picks per backend where one value
 * cannot fit all.
 */
export const KEY_SAMPLES: Record<string, KeySample | ((backend: string) => KeySample)> = {
    // Another backend with its own section, the base's section taken out (else that section is what is refused).
    backend: (backend) =>
        backend === "upstash"
            ? { set: { backend: "selfhosted", upstash: undefined, selfhosted: { topology: "standalone", platform: "docker" } } }
            : { set: { backend: "upstash", selfhosted: undefined, elasticache: undefined, upstash: { primaryRegion: "us-east-1", email: "ops@example.com" } }, secrets: ["upstashApiKey"] },
    environment: one("environment", "staging"),
    // Upstash only turns eviction on or off: "session" evicts like the default "cache".
    profile: (backend) => one("profile", backend === "upstash" ? "queue" : "session"),
    // ElastiCache's default version (8.0) is Valkey's only: Redis needs its own version beside it.
    "engine.name": (backend) => (backend.startsWith("elasticache") ? { set: { "engine.name": "redis", "engine.version": "7.1" } } : one("engine.name", "valkey")),
    // Serverless takes the major version only: 8.1 would be the default 8.0's major.
    "engine.version": (backend) => one("engine.version", backend === "elasticache/serverless" ? "7.2" : backend.startsWith("elasticache") ? "8.1" : "7.4"),
    "memory.maxmemory": one("memory.maxmemory", "300mb"),
    // Upstash only turns eviction on or off: the default profile already evicts.
    "memory.evictionPolicy": (backend) => one("memory.evictionPolicy", backend === "upstash" ? "noeviction" : "allkeys-lfu"),
    "persistence.mode": one("persistence.mode", "aof"),
    "persistence.appendfsync": (backend) => (backend.startsWith("selfhosted") ? inContext({ "persistence.mode": "aof" }, "persistence.appendfsync", "always") : one("persistence.appendfsync", "always")),
    "tls.enabled": one("tls.enabled", false),
    "tls.mtls": one("tls.mtls", true),
    "tls.validityDays": one("tls.validityDays", 400),
    "tls.earlyRenewalDays": one("tls.earlyRenewalDays", 60),
    "tls.dnsNames": one("tls.dnsNames", ["redis.example.com"]),
    "tls.ipAddresses": one("tls.ipAddresses", ["10.0.0.5"]),
    "tls.includeLocalhost": one("tls.includeLocalhost", true),
    "tls.caRotation.generation": one("tls.caRotation", { generation: 2, phase: "trust-both" }),
    "tls.caRotation.phase": inContext({ "tls.caRotation": { generation: 2, phase: "trust-both" } }, "tls.caRotation.phase", "serve-new"),
    "acl.users[].name": one("acl.users", [{ name: "orders", role: "app" }]),
    "acl.users[].role": one("acl.users", [{ name: "app", role: "readonly" }]),
    "acl.users[].keys": one("acl.users", [{ name: "app", role: "app", keys: ["app:*"], channels: ["*"] }]),
    "acl.users[].channels": one("acl.users", [{ name: "app", role: "app", keys: ["*"], channels: ["news:*"] }]),
    "acl.passwordLength": one("acl.passwordLength", 48),
    "acl.rotation.<name>.generation": one("acl.rotation", { app: { generation: 2 } }),
    "acl.rotation.<name>.keepPrevious": inContext({ "acl.rotation": { app: { generation: 2 } } }, "acl.rotation", { app: { generation: 2, keepPrevious: true } }),
    "selfhosted.topology": one("selfhosted.topology", "standalone"),
    "selfhosted.platform": (backend) => one("selfhosted.platform", backend.endsWith("docker") ? "kubernetes" : "docker"),
    "selfhosted.replicas": one("selfhosted.replicas", 1),
    "selfhosted.sentinels": one("selfhosted.sentinels", 5),
    "selfhosted.shards": inContext(cluster, "selfhosted.shards", 4),
    "selfhosted.replicasPerShard": inContext(cluster, "selfhosted.replicasPerShard", 2),
    "selfhosted.failover": one("selfhosted.failover", "fast"),
    "selfhosted.switchoverTo": one("selfhosted.switchoverTo", "redis-1"),
    "selfhosted.resources.cpu": one("selfhosted.resources.cpu", "2"),
    "selfhosted.resources.memory": one("selfhosted.resources.memory", "2gb"),
    "selfhosted.proxy.enabled": inContext(cluster, "selfhosted.proxy.enabled", true),
    "selfhosted.proxy.replicas": inContext(withProxy, "selfhosted.proxy.replicas", 3),
    "selfhosted.proxy.image": inContext(withProxy, "selfhosted.proxy.image", `envoyproxy/envoy:v1.37.0@sha256:${"a".repeat(64)}`),
    "selfhosted.proxy.resources.cpu": inContext(withProxy, "selfhosted.proxy.resources.cpu", "1"),
    "selfhosted.proxy.resources.memory": inContext(withProxy, "selfhosted.proxy.resources.memory", "512mb"),
    "selfhosted.storage.size": one("selfhosted.storage.size", "20gb"),
    "selfhosted.storage.className": one("selfhosted.storage.className", "fast"),
    "selfhosted.docker.publishAddress": one("selfhosted.docker.publishAddress", "127.0.0.2"),
    "selfhosted.docker.basePort": one("selfhosted.docker.basePort", 8000),
    "selfhosted.kubernetes.namespace": one("selfhosted.kubernetes.namespace", "cache"),
    "selfhosted.kubernetes.createNamespace": one("selfhosted.kubernetes.createNamespace", false),
    "selfhosted.kubernetes.priorityClassName": one("selfhosted.kubernetes.priorityClassName", "redis-critical"),
    "selfhosted.kubernetes.clientNamespaces": one("selfhosted.kubernetes.clientNamespaces", ["apps"]),
    "selfhosted.kubernetes.clientPodLabels": one("selfhosted.kubernetes.clientPodLabels", { "redis-access": "yes" }),
    "selfhosted.kubernetes.monitoringNamespace": one("selfhosted.kubernetes.monitoringNamespace", "observability"),
    "selfhosted.kubernetes.clusterDomain": one("selfhosted.kubernetes.clusterDomain", "k8s.example"),
    "selfhosted.kubernetes.somaxconn": one("selfhosted.kubernetes.somaxconn", 4096),
    "elasticache.mode": (backend) =>
        backend === "elasticache/serverless"
            ? { set: { "elasticache.mode": "replicationGroup", "elasticache.serverless": undefined } }
            : { set: { "elasticache.mode": "serverless", "elasticache.serverless": { maxDataStorageGb: 10, maxEcpuPerSecond: 5000 } } },
    "elasticache.clusterMode": one("elasticache.clusterMode", true),
    "elasticache.nodeType": one("elasticache.nodeType", "cache.r7g.large"),
    "elasticache.replicas": one("elasticache.replicas", 2),
    "elasticache.shards": inContext({ "elasticache.clusterMode": true }, "elasticache.shards", 3),
    "elasticache.multiAz": one("elasticache.multiAz", false),
    "elasticache.port": one("elasticache.port", 6380),
    "elasticache.vpcId": { set: { "elasticache.exampleVpc": undefined, "elasticache.vpcId": "vpc-0abc123", "elasticache.subnetIds": ["subnet-0abc1", "subnet-0abc2"] } },
    "elasticache.subnetIds": { set: { "elasticache.exampleVpc": undefined, "elasticache.vpcId": "vpc-0abc123", "elasticache.subnetIds": ["subnet-0abc1", "subnet-0abc2"] } },
    "elasticache.exampleVpc.cidrBlock": one("elasticache.exampleVpc.cidrBlock", "10.50.0.0/16"),
    "elasticache.allowedSecurityGroupIds": one("elasticache.allowedSecurityGroupIds", ["sg-0abc123"]),
    "elasticache.allowedCidrs": one("elasticache.allowedCidrs", ["10.1.0.0/16"]),
    "elasticache.authentication": one("elasticache.authentication", "token"),
    "elasticache.authTokenLength": inContext({ "elasticache.authentication": "token" }, "elasticache.authTokenLength", 32),
    "elasticache.authTokenRotation.generation": inContext({ "elasticache.authentication": "token" }, "elasticache.authTokenRotation", { generation: 2 }),
    "elasticache.authTokenRotation.keepPrevious": inContext({ "elasticache.authentication": "token", "elasticache.authTokenRotation": { generation: 2 } }, "elasticache.authTokenRotation", { generation: 2, keepPrevious: true }),
    "elasticache.migratingFromAuthToken": one("elasticache.migratingFromAuthToken", true),
    "elasticache.transitEncryptionMode": one("elasticache.transitEncryptionMode", "preferred"),
    "elasticache.kmsKeyArn": one("elasticache.kmsKeyArn", "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"),
    "elasticache.awsManagedKey": one("elasticache.awsManagedKey", true),
    "elasticache.parameters": one("elasticache.parameters", { "notify-keyspace-events": "Ex" }),
    "elasticache.logs.slowLog": one("elasticache.logs", { slowLog: false }),
    "elasticache.logs.engineLog": one("elasticache.logs", { engineLog: false }),
    "elasticache.logs.retentionDays": one("elasticache.logs", { retentionDays: 90 }),
    "elasticache.snapshotRetentionDays": one("elasticache.snapshotRetentionDays", 9),
    "elasticache.snapshotWindow": one("elasticache.snapshotWindow", "01:00-02:00"),
    "elasticache.finalSnapshot": one("elasticache.finalSnapshot", true),
    "elasticache.maintenanceWindow": one("elasticache.maintenanceWindow", "sat:05:00-sat:06:00"),
    "elasticache.autoMinorVersionUpgrade": one("elasticache.autoMinorVersionUpgrade", false),
    // A non-prod group applies changes immediately by default.
    "elasticache.applyImmediately": one("elasticache.applyImmediately", false),
    "elasticache.dataTiering": { set: { "elasticache.nodeType": "cache.r6gd.xlarge", "elasticache.dataTiering": true } },
    "elasticache.notificationEmails": one("elasticache.notificationEmails", ["oncall@example.com"]),
    "elasticache.alarms.enabled": one("elasticache.alarms.enabled", false),
    "elasticache.alarms.cpuPercent": one("elasticache.alarms.cpuPercent", 55),
    "elasticache.alarms.engineCpuPercent": one("elasticache.alarms.engineCpuPercent", 55),
    "elasticache.alarms.memoryPercent": one("elasticache.alarms.memoryPercent", 55),
    "elasticache.alarms.evictions": one("elasticache.alarms.evictions", 55),
    "elasticache.alarms.connections": one("elasticache.alarms.connections", 555),
    "elasticache.alarms.replicationLagSeconds": one("elasticache.alarms.replicationLagSeconds", 55),
    "elasticache.alarms.swapMiB": one("elasticache.alarms.swapMiB", 555),
    "elasticache.alarms.throttledCommands": one("elasticache.alarms.throttledCommands", 55),
    // The whole object, so the required limits are there on a replication group too (where it is refused).
    "elasticache.serverless.maxDataStorageGb": one("elasticache.serverless", { ...SERVERLESS, maxDataStorageGb: 20 }),
    "elasticache.serverless.minDataStorageGb": one("elasticache.serverless", { ...SERVERLESS, minDataStorageGb: 2 }),
    "elasticache.serverless.maxEcpuPerSecond": one("elasticache.serverless", { ...SERVERLESS, maxEcpuPerSecond: 6000 }),
    "elasticache.serverless.minEcpuPerSecond": one("elasticache.serverless", { ...SERVERLESS, minEcpuPerSecond: 2000 }),
    "elasticache.serverless.dailySnapshotTime": one("elasticache.serverless", { ...SERVERLESS, dailySnapshotTime: "05:00" }),
    "upstash.region": one("upstash.region", "us-east-1"),
    "upstash.primaryRegion": one("upstash.primaryRegion", "eu-west-1"),
    "upstash.readRegions": one("upstash.readRegions", ["eu-west-1"]),
    "upstash.databaseName": one("upstash.databaseName", "orders"),
    "upstash.budgetUsd": one("upstash.budgetUsd", 50),
    "upstash.autoScale": one("upstash.autoScale", true),
    "upstash.eviction": one("upstash.eviction", false),
    "upstash.allowedIps": one("upstash.allowedIps", ["10.0.0.0/16"]),
    "upstash.allowAllIps": one("upstash.allowAllIps", true),
    "upstash.prodPack": one("upstash.prodPack", true),
    "upstash.email": one("upstash.email", "other@example.com"),
    "monitoring.enabled": one("monitoring.enabled", false),
    "monitoring.mode": one("monitoring.mode", "operator"),
    "monitoring.receivers": { set: { "monitoring.receivers": ["pagerduty"] }, secrets: ["pagerdutyRoutingKey"] },
    // Only with the email receiver; self-hosted also needs the SMTP server and its password.
    "monitoring.emailTo": (backend) =>
        backend.startsWith("selfhosted")
            ? { set: { "monitoring.receivers": ["email"], "monitoring.emailTo": "oncall@example.com", "monitoring.smtp": { smarthost: "smtp.example.com:587", from: "redis@example.com" } }, secrets: ["smtpPassword"] }
            : { set: { "monitoring.receivers": ["email"], "monitoring.emailTo": "oncall@example.com" } },
    "monitoring.smtp.smarthost": one("monitoring.smtp", { smarthost: "smtp.example.com:587", from: "redis@example.com" }),
    "monitoring.smtp.from": inContext({ "monitoring.smtp": { smarthost: "smtp.example.com:587", from: "redis@example.com" } }, "monitoring.smtp.from", "alerts@example.com"),
    "monitoring.smtp.username": inContext({ "monitoring.smtp": { smarthost: "smtp.example.com:587", from: "redis@example.com" } }, "monitoring.smtp.username", "alerts"),
    "monitoring.operatorLabels": inContext({ "monitoring.mode": "operator" }, "monitoring.operatorLabels", { release: "kube-prometheus" }),
    "monitoring.retentionDays": one("monitoring.retentionDays", 30),
    "monitoring.runbookBaseUrl": one("monitoring.runbookBaseUrl", "https://github.com/acme/redis-platform/blob/main/docs/runbooks"),
    "backup.enabled": one("backup.enabled", false),
    "backup.schedule": one("backup.schedule", "0 3 * * *"),
    "backup.retentionDays": one("backup.retentionDays", 30),
    "backup.archiveAfterDays": one("backup.archiveAfterDays", 7),
    "backup.bucketName": one("backup.bucketName", "acme-redis-backups"),
    "backup.exportSnapshots": one("backup.exportSnapshots", true),
    "backup.kmsKeyArn": one("backup.kmsKeyArn", "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d"),
    // Every value but the platform's own is refused (auto is already volume on Docker, s3 on Kubernetes).
    "backup.target": (backend) => one("backup.target", backend.endsWith("kubernetes") ? "volume" : "s3"),
    "backup.s3Endpoint": { set: { "backup.s3Endpoint": "https://minio.example.com", "backup.bucketName": "acme-redis-backups" } },
    "backup.uploadImage": one("backup.uploadImage", `mirror.example.com/aws-cli:2.17.0@sha256:${"d".repeat(64)}`),
    "backup.serviceAccount": one("backup.serviceAccount", "redis-backup"),
    "backup.prefix": one("backup.prefix", "prod"),
    protect: one("protect", true),
};
