import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RenderedDeployment } from "../../redisconf/deployment";
import { engineUpgradeEnvFor } from "../../redisconf/engineUpgrade";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import { switchoverEnvFor, switchoverJobEnv } from "../../redisconf/scripts/switchover";
import { contentHash } from "./files";
import type { KubernetesNames } from "./names";
import type { PodPlan } from "./pods";
import { SwitchoverJobKind, switchoverJob } from "./switchoverJob";

/**
 * Registers the Jobs that run `redis-switchover.sh` (see `switchoverJob.ts` for the manifests). Each Job's
 * pod template carries a digest of its image and environment, so a new engine or a new target replaces the
 * Job (deleted first: a Job's template cannot change) and `pulumi up` waits for it to complete.
 */

/** The content-addressed ConfigMap names the pods mount. */
type ConfigMapNames = pulumi.Output<Pick<KubernetesNames, "scriptsConfigMap" | "nodesConfigMap" | "sentinelNodesConfigMap">>;

function registerJob(parent: pulumi.Resource, resourceName: string, kind: SwitchoverJobKind, plan: PodPlan, deployment: pulumi.Output<RenderedDeployment>, configMapNames: ConfigMapNames, extra: ScriptEnv, dependsOn: pulumi.Resource[]): k8s.batch.v1.Job {
    const env = pulumi.unsecret(deployment.apply((d) => switchoverJobEnv(d.nodes.find((node) => node.node.kind === "redis")?.env, extra)));
    const spec = pulumi.all([env, configMapNames]).apply(([jobEnv, configMaps]) => {
        const hash = contentHash([kind, plan.image.ref, JSON.stringify(jobEnv)]);
        return switchoverJob({ ...plan, names: { ...plan.names, ...configMaps } }, kind, jobEnv, hash).spec as k8s.types.input.batch.v1.JobSpec;
    });
    return new k8s.batch.v1.Job(resourceName, { metadata: switchoverJob(plan, kind, {}, "").metadata, spec }, { parent, dependsOn, deleteBeforeReplace: true });
}

/**
 * The engine upgrade's pre-flight Job (sentinel and cluster): the data StatefulSet depends on it, so on an
 * engine change it runs before any data pod is replaced. It refuses when a live node runs an engine the
 * configured one cannot be rolled onto, and otherwise moves every primary to the lowest ordinal of its group
 * (`upgradePrimaries`), so the StatefulSet's highest-ordinal-first rollout upgrades every replica before its
 * primary hands over in its preStop. Nothing moves when every node runs the configured engine already, and
 * nothing happens before the first deployment.
 *
 * @returns the Job, or `undefined` for a standalone topology (one node: nothing to order)
 */
export function engineUpgradeJobFor(parent: pulumi.Resource, name: string, plan: PodPlan, deployment: pulumi.Output<RenderedDeployment>, configMapNames: ConfigMapNames, dependsOn: pulumi.Resource[]): k8s.batch.v1.Job | undefined {
    if (plan.topology.kind === "standalone") {
        return undefined;
    }
    return registerJob(parent, `${name}-engine-upgrade`, "engine-upgrade", plan, deployment, configMapNames, engineUpgradeEnvFor(plan.topology, plan.engine), dependsOn);
}

/**
 * The `redis:selfhosted.switchoverTo` Job: after the data (and sentinel) pods, it moves the primary to the
 * named node; it runs again only when the target (or the image, or the scripts) changes.
 *
 * @returns the Job, or `undefined` when no target is set
 */
export function switchoverJobFor(parent: pulumi.Resource, name: string, plan: PodPlan, deployment: pulumi.Output<RenderedDeployment>, configMapNames: ConfigMapNames, target: string | undefined, dependsOn: pulumi.Resource[]): k8s.batch.v1.Job | undefined {
    if (target === undefined) {
        return undefined;
    }
    return registerJob(parent, `${name}-switchover`, "switchover", plan, deployment, configMapNames, switchoverEnvFor(plan.topology, [target]), dependsOn);
}
