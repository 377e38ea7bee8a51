import type { AlertDeployment } from "../../../components/monitoring/alertRules";
import type { WorkloadProfile } from "../../../components/redisconf/profiles";

/** The profiles the rule tests cover: all of them. */
export const PROFILES: readonly WorkloadProfile[] = ["cache", "session", "queue", "durable"];

/**
 * One alert deployment per profile and topology: standalone with hourly backups, sentinel (2 replicas, 3
 * sentinels) with backups every 6 hours, cluster (3 shards of 1 replica) without backups.
 */
export function testDeployments(): AlertDeployment[] {
    return PROFILES.flatMap((profile): AlertDeployment[] => [
        { name: `${profile}-standalone`, profile, topology: "standalone", primaries: 1, replicasPerPrimary: 0, sentinels: 0, replicationMaxLagSeconds: 10, backupIntervalSeconds: 3600 },
        { name: `${profile}-sentinel`, profile, topology: "sentinel", primaries: 1, replicasPerPrimary: 2, sentinels: 3, replicationMaxLagSeconds: 10, backupIntervalSeconds: 6 * 3600 },
        { name: `${profile}-cluster`, profile, topology: "cluster", primaries: 3, replicasPerPrimary: 1, sentinels: 0, replicationMaxLagSeconds: 5 },
        // The same cluster behind the Envoy proxy: its two alerts, and RedisExporterDown stays about scrapes.
        { name: `${profile}-cluster-proxy`, profile, topology: "cluster", primaries: 3, replicasPerPrimary: 1, sentinels: 0, replicationMaxLagSeconds: 5, proxy: true },
    ]);
}
