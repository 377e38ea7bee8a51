import type { MonitoringSettings, RedisSettings, SelfHostedSettings } from "../settings";
import { longestCronGapSeconds } from "../backup/schedule";
import { FAILOVER_TIMING } from "../redisconf/timing";
import type { AlertDeployment } from "./alertRules";

/**
 * The {@link AlertDeployment} of a self-hosted stack: topology sizes, the failover profile's
 * `min-replicas-max-lag`, and the backup interval read from the backup schedule.
 *
 * @param name the deployment name the scrape configs put in the `deployment` label
 * @param config the resolved stack config
 * @throws Error when the stack is not self-hosted (managed backends alert through their own service)
 */
export function alertDeploymentFor(
    name: string,
    config: Pick<RedisSettings, "backend" | "profile" | "backup"> & { selfhosted?: SelfHostedSettings; monitoring?: Pick<MonitoringSettings, "runbookBaseUrl"> },
): AlertDeployment {
    const selfhosted = config.selfhosted;
    if (selfhosted === undefined) {
        throw new Error(`alert rules are for self-hosted deployments; backend "${config.backend}" has no Prometheus exporters`);
    }
    const cluster = selfhosted.topology === "cluster";
    return {
        name,
        profile: config.profile,
        topology: selfhosted.topology,
        primaries: cluster ? selfhosted.shards : 1,
        replicasPerPrimary: cluster ? selfhosted.replicasPerShard : selfhosted.replicas,
        sentinels: selfhosted.sentinels,
        replicationMaxLagSeconds: FAILOVER_TIMING[selfhosted.failover].minReplicasMaxLagSeconds,
        backupIntervalSeconds: config.backup.enabled ? longestCronGapSeconds(config.backup.schedule) : undefined,
        ...(config.monitoring?.runbookBaseUrl === undefined ? {} : { runbookBaseUrl: config.monitoring.runbookBaseUrl }),
        ...(selfhosted.proxy === undefined ? {} : { proxy: true }),
    };
}
