import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import { RenderedDeployment, switchoverJobEnv } from "../../redisconf/deployment";
import { engineUpgradeEnvFor } from "../../redisconf/engineUpgrade";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import { switchoverEnvFor } from "../../redisconf/scripts/switchover";
import { contentHash } from "./files";
import type { KubernetesNames } from "./names";
import type { PodPlan } from "./pods";
import { SwitchoverJobKind, switchoverJob } from "./scriptJob";

/** The content-addressed ConfigMap names the pods mount. */
export type ConfigMapNames = Pick<KubernetesNames, "scriptsConfigMap" | "nodesConfigMap" | "sentinelNodesConfigMap">;

/** The plan with the ConfigMap names the pods mount (content-addressed, so known only once their data is). */
export function withConfigMapNames(plan: PodPlan, configMapNames: ConfigMapNames): PodPlan {
    return { ...plan, names: { ...plan.names, ...configMapNames } };
}

/** What a one-shot Job's manifest varies with: its environment (when set on the container) and its content digest. */
export interface ScriptJobInputs {
    env: ScriptEnv;
    contentHash: string;
}

/** What {@link registerScriptJob} registers. */
export interface ScriptJobRegistration {
    plan: PodPlan;
    configMapNames: pulumi.Output<ConfigMapNames>;
    inputs: pulumi.Output<ScriptJobInputs>;
    /** The Job's manifest for a plan and its inputs (one of the pure builders of `scriptJob.ts`). */
    manifest: (plan: PodPlan, inputs: ScriptJobInputs) => IJob;
    parent: pulumi.Resource;
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * Registers a one-shot Job. Its metadata is known at preview; its spec waits for the ConfigMap names and its
 * inputs. A Job's pod template cannot change, so a new content digest replaces the Job, deleted first because
 * its name is fixed; `pulumi up` then waits for the new Job to complete.
 */
export function registerScriptJob(resourceName: string, job: ScriptJobRegistration): k8s.batch.v1.Job {
    return new k8s.batch.v1.Job(
        resourceName,
        {
            metadata: job.manifest(job.plan, { env: {}, contentHash: "" }).metadata,
            spec: pulumi.all([job.inputs, job.configMapNames]).apply(([inputs, names]) => job.manifest(withConfigMapNames(job.plan, names), inputs).spec as k8s.types.input.batch.v1.JobSpec),
        },
        { parent: job.parent, dependsOn: job.dependsOn, deleteBeforeReplace: true },
    );
}

function registerSwitchoverJob(parent: pulumi.Resource, resourceName: string, kind: SwitchoverJobKind, plan: PodPlan, deployment: pulumi.Output<RenderedDeployment>, configMapNames: pulumi.Output<ConfigMapNames>, extra: ScriptEnv, dependsOn: pulumi.Resource[]): k8s.batch.v1.Job {
    const inputs = pulumi.unsecret(
        deployment.apply((d) => {
            const env = switchoverJobEnv(d, extra);
            return { env, contentHash: contentHash([kind, plan.image.ref, JSON.stringify(env)]) };
        }),
    );
    return registerScriptJob(resourceName, { plan, configMapNames, inputs, manifest: (p, i) => switchoverJob(p, kind, i.env, i.contentHash), parent, dependsOn });
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
export function engineUpgradeJobFor(parent: pulumi.Resource, name: string, plan: PodPlan, deployment: pulumi.Output<RenderedDeployment>, configMapNames: pulumi.Output<ConfigMapNames>, dependsOn: pulumi.Resource[]): k8s.batch.v1.Job | undefined {
    if (plan.topology.kind === "standalone") {
        return undefined;
    }
    return registerSwitchoverJob(parent, `${name}-engine-upgrade`, "engine-upgrade", plan, deployment, configMapNames, engineUpgradeEnvFor(plan.topology, plan.engine), dependsOn);
}

/**
 * The `redis:selfhosted.switchoverTo` Job: after the data (and sentinel) pods, it moves the primary to the
 * named node; it runs again only when the target (or the image, or the scripts) changes.
 *
 * @returns the Job, or `undefined` when no target is set
 */
export function switchoverJobFor(parent: pulumi.Resource, name: string, plan: PodPlan, deployment: pulumi.Output<RenderedDeployment>, configMapNames: pulumi.Output<ConfigMapNames>, target: string | undefined, dependsOn: pulumi.Resource[]): k8s.batch.v1.Job | undefined {
    if (target === undefined) {
        return undefined;
    }
    return registerSwitchoverJob(parent, `${name}-switchover`, "switchover", plan, deployment, configMapNames, switchoverEnvFor(plan.topology, [target]), dependsOn);
}
