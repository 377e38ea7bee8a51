import type { ApplicationRole } from "./redisconf/acl";
import type { EngineName } from "./redisconf/engines";
import type { AppendFsync, EvictionPolicy, PersistenceMode, WorkloadProfile } from "./redisconf/profiles";
import type { CaRotation } from "./security/certificateNames";
import type { RotationState } from "./security/passwordRotation";

/**
 * The decided settings a Redis deployment is built and rendered from, every default applied. Plain values
 * only (no Pulumi): the renderers in `redisconf/` take them, so they stay runnable outside a Pulumi program.
 * The components resolve their args into these shapes; the stack files are one adapter that fills the args.
 */

/** The backends the {@link Redis} facade can build. */
export const BACKENDS = ["selfhosted", "elasticache", "upstash"] as const;

/** A backend name. */
export type Backend = (typeof BACKENDS)[number];

/** The environment a deployment serves: decides protection, snapshot and apply defaults. */
export type Environment = "dev" | "staging" | "prod";

/** Transport security of a self-hosted deployment. */
export interface TlsSettings {
    /** Whether clients and nodes talk TLS only. */
    enabled: boolean;
    /** Whether clients must present a certificate. */
    mtls: boolean;
    /** Days each certificate is valid. */
    validityDays: number;
    /** Days before expiry a certificate is renewed on the next `pulumi up`. */
    earlyRenewalDays: number;
    /** Extra DNS names every server certificate covers. */
    dnsNames: string[];
    /** Extra IP addresses every server certificate covers. */
    ipAddresses: string[];
    /** Whether server certificates also cover `localhost` and `127.0.0.1`. */
    includeLocalhost: boolean;
    /** A CA rollover in progress; unset is generation 1. */
    caRotation?: CaRotation;
}

/** One application user. */
export interface AclUserSettings {
    name: string;
    role: ApplicationRole;
    /** Key patterns the user may touch. */
    keys: string[];
    /** Pub/Sub channel patterns the user may use. */
    channels: string[];
}

/** Application users and password rotation. */
export interface AclSettings {
    /** The application users; the first one is the one the `url` output logs in as. */
    users: AclUserSettings[];
    /** Length of every generated password. */
    passwordLength: number;
    /** Rotation state per user name. */
    rotation: Record<string, RotationState>;
}

/** An alert receiver. Its secret is passed separately, see `ReceiverSecrets` in `secrets.ts`. */
export type AlertReceiver = "slack" | "discord" | "pagerduty" | "email";

/** Exporters, Prometheus, alert rules and where alerts go (self-hosted). */
export interface MonitoringSettings {
    enabled: boolean;
    /** `bundled` runs Prometheus, Alertmanager and Grafana; `operator` hands rules to a Prometheus Operator. */
    mode: "bundled" | "operator";
    receivers: AlertReceiver[];
    emailTo?: string;
    smtp?: { smarthost: string; from: string; username?: string };
    /** Labels the Prometheus Operator selects our ServiceMonitors and rules by. */
    operatorLabels: Record<string, string>;
    /** Days Prometheus keeps samples. */
    retentionDays: number;
    /** Where every alert's `runbook_url` points: `<base>/alerts.md#<alert>`. @default "docs/runbooks" */
    runbookBaseUrl?: string;
}

/** Scheduled backups to a bucket. */
export interface BackupSettings {
    enabled: boolean;
    /** Five-field cron expression. */
    schedule: string;
    retentionDays: number;
    archiveAfterDays?: number;
    bucketName?: string;
    /** ElastiCache only: export snapshots to the bucket. */
    exportSnapshots: boolean;
    kmsKeyArn?: string;
    /** Where self-hosted backups go: `auto` picks per platform. */
    target: "auto" | "s3" | "volume";
    s3Endpoint?: string;
    uploadImage?: string;
    serviceAccount?: string;
    prefix?: string;
}

/** The Envoy proxy in front of a cluster with every default decided; present only when it is enabled. */
export interface ProxySettings {
    enabled: true;
    /** Envoy pods (Kubernetes); 1 on Docker. */
    replicas: number;
    /** The Envoy image, pinned by tag and digest. */
    image: string;
    resources: { cpu: string; memoryMiB: number };
}

/** The self-hosted nodes with every size decided. */
export interface SelfHostedSettings {
    topology: "standalone" | "sentinel" | "cluster";
    platform: "docker" | "kubernetes";
    /** Replicas of the primary (standalone: 0; sentinel: at least 1). Cluster mode uses `replicasPerShard`. */
    replicas: number;
    /** Sentinel processes (sentinel topology only, else 0). */
    sentinels: number;
    /** Primaries in cluster mode (else 0). */
    shards: number;
    /** Replicas of each cluster primary (else 0). */
    replicasPerShard: number;
    /** Failure-detection timing: `standard` avoids false failovers, `fast` recovers sooner. */
    failover: "standard" | "fast";
    /** The data node a switchover moves the primary to when this value is set or changes (see `redis-switchover.sh`). */
    switchoverTo?: string;
    resources: { cpu: string; memoryMiB: number };
    storage: { sizeMiB: number; className?: string };
    docker: { publishAddress: string; basePort: number };
    kubernetes: {
        namespace: string;
        createNamespace: boolean;
        priorityClassName?: string;
        clientNamespaces: string[];
        clientPodLabels: Record<string, string>;
        monitoringNamespace: string;
        /** The cluster's DNS domain, which pod and Service names end with. */
        clusterDomain: string;
        /** `net.core.somaxconn` set through pod sysctls; unset leaves the node's value (the sysctl is unsafe by default). */
        somaxconn?: number;
    };
    /** The Envoy proxy in front of a cluster (docs/proxy.md); absent when it is off. */
    proxy?: ProxySettings;
}

/** What every backend's deployment is decided from, with every default applied. */
export interface RedisSettings {
    /** The Pulumi stack name; it makes names unique per stack (Docker objects, identifiers). */
    stack: string;
    backend: Backend;
    environment: Environment;
    profile: WorkloadProfile;
    /** The engine and version, or `undefined` for Upstash, which runs its own. */
    engine: { name: EngineName; version: string } | undefined;
    evictionPolicy: EvictionPolicy;
    persistence: { mode: PersistenceMode; appendfsync: AppendFsync };
    /** `maxmemory` in MiB for self-hosted nodes; managed backends size memory by node type. */
    maxmemoryMiB: number | undefined;
    tls: TlsSettings;
    acl: AclSettings;
    monitoring: MonitoringSettings;
    backup: BackupSettings;
    /** Whether data-bearing resources are protected from deletion. */
    protect: boolean;
}

/** The settings of a self-hosted deployment: what `SelfHostedRedis` resolves its args into. */
export type SelfHostedConfig = RedisSettings & { selfhosted: SelfHostedSettings };
