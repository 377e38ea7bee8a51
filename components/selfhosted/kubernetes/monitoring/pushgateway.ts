import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IService } from "kubernetes-models/v1/Service";
import { MONITORING_IMAGES } from "../../images";
import { MonitoringMeta, WorkloadSpec, workloadDeployment, workloadService } from "./workload";

/**
 * The Pushgateway the backup CronJob pushes its last-success metric to, in both monitoring modes. Pure. It
 * keeps the metric in memory only: after a restart the backup alerts wait for the next backup, and
 * `RedisBackupMissing` fires only after one interval and an hour, which covers a restart.
 */

/** The Pushgateway's port. */
export const PUSHGATEWAY_PORT = 9091;

/** The workload of a deployment's Pushgateway. */
export function pushgatewaySpec(deployment: string): WorkloadSpec {
    return {
        name: `${deployment}-pushgateway`,
        image: MONITORING_IMAGES.pushgateway,
        args: [`--web.listen-address=:${PUSHGATEWAY_PORT}`],
        port: { name: "pushgateway", number: PUSHGATEWAY_PORT },
        readyPath: "/-/ready",
        volumes: [],
        mounts: [],
        resources: { cpu: "50m", memory: "64Mi" },
    };
}

/** The Pushgateway's Deployment and Service. */
export function pushgatewayManifests(deployment: string, meta: MonitoringMeta): { deployment: IDeployment; service: IService } {
    const spec = pushgatewaySpec(deployment);
    return { deployment: workloadDeployment(meta, spec), service: workloadService(meta, spec) };
}

/** The in-cluster URL the backup job pushes to. */
export function pushgatewayUrl(deployment: string, namespace: string, clusterDomain: string): string {
    return `http://${deployment}-pushgateway.${namespace}.svc.${clusterDomain}:${PUSHGATEWAY_PORT}`;
}
