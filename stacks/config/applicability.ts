import type { CrossFieldProblem, ParsedStackConfig } from "./schema";
import { aclSchema, backupSchema, monitoringSchema, tlsSchema } from "./sections";

/**
 * Which shared sections a managed backend (ElastiCache, Upstash) can honour, key by key. A key it cannot
 * honour, set to anything but its default, is refused here rather than accepted and ignored. Pure.
 */

/** The keys of `value` whose value differs from the one `defaults` holds. */
function keysAwayFromDefault(value: Record<string, unknown>, defaults: Record<string, unknown>): string[] {
    return Object.keys(value).filter((key) => JSON.stringify(value[key]) !== JSON.stringify(defaults[key]));
}

const DEFAULTS = {
    tls: tlsSchema.parse({}),
    acl: aclSchema.parse({}),
    monitoring: monitoringSchema.parse({}),
    backup: backupSchema.parse({}),
};

/** Why each shared key does not apply to a managed backend; keys not listed apply (or are checked elsewhere). */
const NOT_APPLICABLE: Record<"elasticache" | "upstash", Partial<Record<keyof typeof DEFAULTS, Record<string, string>>>> = {
    elasticache: {
        tls: {
            validityDays: "ElastiCache issues and renews its own server certificates",
            earlyRenewalDays: "ElastiCache issues and renews its own server certificates",
            dnsNames: "ElastiCache names its own endpoints and certificates",
            ipAddresses: "ElastiCache names its own endpoints and certificates",
            includeLocalhost: "ElastiCache names its own endpoints and certificates",
        },
        monitoring: {
            mode: "ElastiCache is watched by CloudWatch alarms (elasticache.alarms), not Prometheus",
            operatorLabels: "ElastiCache is watched by CloudWatch alarms (elasticache.alarms), not Prometheus",
            retentionDays: "CloudWatch keeps ElastiCache metrics itself",
            smtp: "SNS sends the alarm e-mails itself (to monitoring.emailTo)",
        },
        backup: Object.fromEntries(
            Object.keys(backupSchema.shape).map((key) => [
                key,
                key === "exportSnapshots"
                    ? "exporting ElastiCache snapshots to a bucket is not available yet: ElastiCache keeps daily snapshots itself (elasticache.snapshotRetentionDays, elasticache.snapshotWindow)"
                    : "ElastiCache backs up by its own daily snapshots (elasticache.snapshotRetentionDays, elasticache.snapshotWindow); redis:backup configures the self-hosted backup job and its bucket",
            ]),
        ),
    },
    upstash: {
        tls: {
            validityDays: "Upstash issues and renews its own certificates",
            earlyRenewalDays: "Upstash issues and renews its own certificates",
            dnsNames: "Upstash names its own endpoints and certificates",
            ipAddresses: "Upstash names its own endpoints and certificates",
            includeLocalhost: "Upstash names its own endpoints and certificates",
        },
        acl: {
            passwordLength: "Upstash generates the database password itself",
            rotation: "Upstash rotates the database password itself (reset it in the Upstash console)",
        },
        monitoring: Object.fromEntries(
            Object.keys(monitoringSchema.shape).map((key) => [key, "this program deploys no monitoring for Upstash: watch the database in the Upstash console, which alerts by e-mail"]),
        ),
        backup: Object.fromEntries(Object.keys(backupSchema.shape).map((key) => [key, "Upstash persists and backs up every database itself (daily backups in the Upstash console)"])),
    },
};

/**
 * The shared keys (`redis:tls`, `redis:acl`, `redis:monitoring`, `redis:backup`) set away from their
 * defaults on a backend that cannot honour them, each refused with the reason.
 */
export function managedBackendProblems(config: ParsedStackConfig): CrossFieldProblem[] {
    if (config.backend === "selfhosted") {
        return [];
    }
    const problems: CrossFieldProblem[] = [];
    for (const [section, reasons] of Object.entries(NOT_APPLICABLE[config.backend]) as [keyof typeof DEFAULTS, Record<string, string>][]) {
        for (const key of keysAwayFromDefault(config[section] as Record<string, unknown>, DEFAULTS[section] as Record<string, unknown>)) {
            const reason = reasons[key];
            if (reason !== undefined) {
                problems.push({ path: [section, key], message: `does not apply to backend "${config.backend}": ${reason}` });
            }
        }
    }
    return problems;
}
