import { z } from "zod";
import { memorySizeToMiB } from "../../components/redisconf/memory";
import { SUPPORTED_ENGINE_VERSIONS } from "../../components/redisconf/engines";
import { profileConflicts } from "../../components/redisconf/profiles";
import { managedBackendProblems } from "./applicability";
import { receiverProblems } from "./receivers";
import {
    aclSchema,
    backupSchema,
    engineSchema,
    memorySchema,
    monitoringSchema,
    persistenceSchema,
    selfHostedSchema,
    tlsSchema,
} from "./sections";
import { elastiCacheProblems, elastiCacheSchema } from "./elasticache";
import { BACKENDS } from "../../components/settings";
import { MAX_MEMORY_SHARE, selfHostedArgsProblems } from "../../components/selfhosted/validate";
import { upstashProblems, upstashSchema } from "./upstash";
import { proxyArgsOf } from "./proxy";

export { BACKENDS, type Backend } from "../../components/settings";
export { MAX_MEMORY_SHARE } from "../../components/selfhosted/validate";

/** The schema of every non-secret key in the `redis` config namespace. */
export const stackConfigSchema = z.strictObject({
    backend: z.enum(BACKENDS),
    environment: z.enum(["dev", "staging", "prod"]).default("dev"),
    profile: z.enum(["cache", "session", "queue", "durable"]).default("cache"),
    engine: engineSchema.prefault({}),
    memory: memorySchema.prefault({}),
    persistence: persistenceSchema.prefault({}),
    tls: tlsSchema.prefault({}),
    acl: aclSchema.prefault({}),
    selfhosted: selfHostedSchema.optional(),
    elasticache: elastiCacheSchema.optional(),
    upstash: upstashSchema.optional(),
    monitoring: monitoringSchema.prefault({}),
    backup: backupSchema.prefault({}),
    protect: z.boolean().optional(),
});

/** Stack config as the schema returns it, before profile defaults are applied. */
export type ParsedStackConfig = z.output<typeof stackConfigSchema>;

/** A problem that involves more than one key, found after each key parsed on its own. */
export interface CrossFieldProblem {
    /** Path of the key to blame, from the namespace root. */
    path: (string | number)[];
    /** What is wrong and what is allowed. */
    message: string;
}

const SYSTEM_USER_NAMES = ["default", "admin", "monitor", "backup", "replication", "sentinel"];

/**
 * The problems of `tls.caRotation`: it needs a self-hosted backend with TLS (the only CA this program runs),
 * a phase from generation 2 on, and none at generation 1.
 */
export function caRotationProblems(config: Pick<ParsedStackConfig, "backend" | "tls">): CrossFieldProblem[] {
    const rotation = config.tls.caRotation;
    if (rotation === undefined) {
        return [];
    }
    const problems: CrossFieldProblem[] = [];
    if (config.backend !== "selfhosted") {
        problems.push({ path: ["tls", "caRotation"], message: `only applies to backend "selfhosted": backend "${config.backend}" manages its own CA` });
    } else if (!config.tls.enabled) {
        problems.push({ path: ["tls", "caRotation"], message: "only applies while tls.enabled is true: without TLS there is no CA to roll over" });
    }
    if (rotation.generation === 1 && rotation.phase !== undefined) {
        problems.push({
            path: ["tls", "caRotation", "phase"],
            message: "only applies when tls.caRotation.generation is above 1: generation 1 is the first CA, with nothing to roll over from; raise generation by one to start a rollover",
        });
    }
    if (rotation.generation > 1 && rotation.phase === undefined) {
        problems.push({
            path: ["tls", "caRotation", "phase"],
            message: `is required when tls.caRotation.generation is above 1 (${rotation.generation}): set "trust-both", then "serve-new", then "retire-old", one pulumi up each`,
        });
    }
    return problems;
}

/**
 * Finds the problems that no single key shows: a backend without its section, options that contradict each
 * other, sizes that do not fit the topology, secrets that a chosen option needs but the stack lacks.
 */
export function crossFieldProblems(config: ParsedStackConfig, secretKeysSet: ReadonlySet<string>): CrossFieldProblem[] {
    const problems: CrossFieldProblem[] = [];
    const add = (path: (string | number)[], message: string) => problems.push({ path, message });

    for (const backend of BACKENDS) {
        if (backend !== config.backend && config[backend] !== undefined) {
            add([backend], `is set but backend is "${config.backend}": remove it or set backend to "${backend}"`);
        }
    }
    if (config[config.backend] === undefined) {
        add([config.backend], `is required when backend is "${config.backend}"`);
    }

    if (config.backend === "upstash") {
        if (config.engine.name !== undefined || config.engine.version !== undefined) {
            add(["engine"], "cannot be chosen with backend \"upstash\": Upstash runs its own engine");
        }
    } else {
        const engineName = config.engine.name ?? (config.backend === "elasticache" ? "valkey" : "redis");
        const allowed = SUPPORTED_ENGINE_VERSIONS[config.backend][engineName];
        if (config.engine.version !== undefined && !allowed.includes(config.engine.version)) {
            add(["engine", "version"], `is not a ${engineName} version backend "${config.backend}" supports: use one of ${allowed.join(", ")}`);
        }
    }

    const conflict = profileConflicts(config.profile, { evictionPolicy: config.memory.evictionPolicy, persistence: config.persistence.mode });
    if (conflict !== undefined) {
        add(config.memory.evictionPolicy !== undefined && config.memory.evictionPolicy !== "noeviction" ? ["memory", "evictionPolicy"] : ["persistence", "mode"], conflict);
    }
    if (config.persistence.appendfsync !== undefined && config.persistence.mode !== undefined && config.persistence.mode !== "aof") {
        add(["persistence", "appendfsync"], `only applies when persistence.mode is "aof", not "${config.persistence.mode}"`);
    }

    if (!config.tls.enabled) {
        if (config.tls.mtls) {
            add(["tls", "mtls"], "cannot be true while tls.enabled is false: client certificates need TLS");
        }
        if (config.environment === "prod") {
            add(["tls", "enabled"], "cannot be false in a prod stack: production traffic and passwords must be encrypted");
        }
        if (config.backend !== "selfhosted") {
            add(["tls", "enabled"], `cannot be false with backend "${config.backend}": managed Redis is always reached over TLS here`);
        }
    }
    if (config.tls.earlyRenewalDays >= config.tls.validityDays) {
        add(["tls", "earlyRenewalDays"], `must be less than tls.validityDays (${config.tls.validityDays})`);
    }
    problems.push(...caRotationProblems(config));

    const userNames = new Set<string>();
    config.acl.users.forEach((user, index) => {
        if (SYSTEM_USER_NAMES.includes(user.name)) {
            add(["acl", "users", index, "name"], `is reserved for a system user: choose a name other than ${SYSTEM_USER_NAMES.join(", ")}`);
        }
        if (userNames.has(user.name)) {
            add(["acl", "users", index, "name"], "appears twice: user names must be unique");
        }
        userNames.add(user.name);
    });
    for (const rotated of Object.keys(config.acl.rotation)) {
        if (!userNames.has(rotated) && !SYSTEM_USER_NAMES.includes(rotated)) {
            add(["acl", "rotation", rotated], `names no user: rotate one of ${[...SYSTEM_USER_NAMES.slice(1), ...userNames].join(", ")}`);
        }
    }
    if (config.acl.rotation.default !== undefined) {
        add(["acl", "rotation", "default"], "cannot be rotated: the default user is always disabled");
    }

    if (config.selfhosted !== undefined) {
        problems.push(...selfHostedProblems(config.selfhosted, config.memory.maxmemory, config));
    }
    if (config.elasticache !== undefined) {
        problems.push(...elastiCacheProblems(config.elasticache, config));
    }
    if (config.upstash !== undefined) {
        problems.push(...upstashProblems(config.upstash, config));
    }

    problems.push(...receiverProblems(config, secretKeysSet), ...managedBackendProblems(config));
    if (config.backend === "upstash" && !secretKeysSet.has("upstashApiKey")) {
        add(["upstashApiKey"], `is required with backend "upstash": run pulumi config set --secret redis:upstashApiKey ...`);
    }
    if (config.backup.archiveAfterDays !== undefined && config.backup.archiveAfterDays >= config.backup.retentionDays) {
        add(["backup", "archiveAfterDays"], `must be less than backup.retentionDays (${config.backup.retentionDays}), or backups expire before they are archived`);
    }
    problems.push(...monitoringAndBackupProblems(config));
    if (config.environment === "prod" && config.protect === false) {
        add(["protect"], "cannot be false in a prod stack: data-bearing resources must be protected from deletion");
    }
    return problems;
}

function selfHostedProblems(selfhosted: NonNullable<ParsedStackConfig["selfhosted"]>, maxmemory: string | undefined, shared: Pick<ParsedStackConfig, "tls" | "acl">): CrossFieldProblem[] {
    // The section's own checks are the library's; maxmemory is checked here, in the units the stack file uses.
    const { resources: _resources, storage: _storage, proxy, ...sizes } = selfhosted;
    const args = { ...sizes, ...(proxy === undefined ? {} : { proxy: proxyArgsOf(proxy), tls: shared.tls, acl: shared.acl }) };
    const problems: CrossFieldProblem[] = selfHostedArgsProblems(args).map((problem) => ({ path: ["selfhosted", ...problem.path], message: problem.message }));
    if (selfhosted.platform === "docker") {
        for (const key of ["size", "className"] as const) {
            if (selfhosted.storage[key] !== (key === "size" ? "10gb" : undefined)) {
                problems.push({ path: ["selfhosted", "storage", key], message: 'does not apply on platform "docker": Docker named volumes take no size or storage class' });
            }
        }
    }
    if (maxmemory !== undefined) {
        const limitMiB = memorySizeToMiB(selfhosted.resources.memory);
        if (memorySizeToMiB(maxmemory) > limitMiB * MAX_MEMORY_SHARE) {
            problems.push({
                path: ["memory", "maxmemory"],
                message: `must be at most ${Math.floor(limitMiB * MAX_MEMORY_SHARE)}mb, ${MAX_MEMORY_SHARE * 100}% of selfhosted.resources.memory (${selfhosted.resources.memory}): forks and client buffers need the rest`,
            });
        }
    }
    return problems;
}

/** Cross-key checks of `redis:monitoring` and `redis:backup` (see docs/monitoring.md and docs/backup.md). */
function monitoringAndBackupProblems(config: ParsedStackConfig): CrossFieldProblem[] {
    const problems: CrossFieldProblem[] = [];
    const add = (path: (string | number)[], message: string) => problems.push({ path, message });
    const { backup } = config;
    if (backup.exportSnapshots && config.backend !== "elasticache") {
        add(["backup", "exportSnapshots"], `only applies to backend "elasticache", not "${config.backend}": self-hosted backups are written to the bucket directly`);
    }
    const selfhosted = config.backend === "selfhosted" ? config.selfhosted : undefined;
    if (backup.target !== "auto" && selfhosted === undefined) {
        add(["backup", "target"], `only applies to backend "selfhosted"; leave it "auto"`);
    }
    if (selfhosted?.platform === "docker") {
        // The Docker backup container writes to a named volume: the bucket's settings would do nothing.
        for (const key of ["archiveAfterDays", "bucketName", "kmsKeyArn", "s3Endpoint", "uploadImage", "serviceAccount"] as const) {
            if (backup[key] !== undefined) {
                add(["backup", key], 'does not apply on platform "docker": backups go to the named volume <prefix>-backups (copy it to a bucket from the host, see docs/backup.md)');
            }
        }
        for (const key of ["mode", "operatorLabels"] as const) {
            if (JSON.stringify(config.monitoring[key]) !== JSON.stringify(key === "mode" ? "bundled" : {})) {
                add(["monitoring", key], 'does not apply on platform "docker": the Prometheus Operator runs on Kubernetes; Docker always gets the bundled monitoring containers');
            }
        }
    }
    if (selfhosted?.platform === "kubernetes" && config.monitoring.mode !== "operator" && Object.keys(config.monitoring.operatorLabels).length > 0) {
        add(["monitoring", "operatorLabels"], 'only applies with monitoring.mode "operator"');
    }
    if (selfhosted?.platform === "docker" && backup.target === "s3") {
        add(["backup", "target"], 'cannot be "s3" on platform "docker": the Docker backup container has no AWS CLI; use "volume" (copy the volume to a bucket from the host)');
    }
    if (selfhosted?.platform === "kubernetes" && backup.target === "volume") {
        add(["backup", "target"], 'cannot be "volume" on platform "kubernetes": backups must leave the cluster; use "s3" (AWS or an S3-compatible s3Endpoint)');
    }
    if (backup.s3Endpoint !== undefined) {
        if (backup.bucketName === undefined) {
            add(["backup", "bucketName"], "is required with backup.s3Endpoint: the program creates buckets only on AWS S3");
        }
        if (backup.kmsKeyArn !== undefined) {
            add(["backup", "kmsKeyArn"], "does not apply with backup.s3Endpoint: S3-compatible stores encrypt with their own keys");
        }
    }
    return problems;
}
