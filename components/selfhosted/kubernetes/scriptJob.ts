import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IVolume } from "kubernetes-models/v1/Volume";
import { CONTAINER_PATHS } from "../../redisconf/layout";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import { SWITCHOVER_SCRIPT } from "../../redisconf/scripts/switchover";
import { CLUSTER_CREATE_ENV_KEY, POD_ENV_FILE, runScriptCommand, SCRIPTS_DIR, SENTINEL_RESET_ENV_KEY } from "./files";
import { podTlsDir } from "./layout";
import { labelsFor, PodComponent, podName } from "./names";
import { CONTAINER_SECURITY_CONTEXT, CONTENT_HASH_ANNOTATION, JOB_RESOURCES, PodPlan, podSecurityContext } from "./pods";

/** What a Job running one rendered script is made of (see {@link scriptJob}). */
export interface ScriptJobSpec {
    name: string;
    component: PodComponent;
    container: string;
    command: string[];
    /** Environment variables set on the container, when the script's environment is not in a file. */
    env?: Record<string, string>;
    /** A ConfigMap volume and the key of the environment file in it, mounted at `POD_ENV_FILE`. */
    envFile?: { volume: IVolume; key: string };
    /** The users whose password files the script reads. */
    users: readonly string[];
    backoffLimit: number;
    activeDeadlineSeconds: number;
    /** The digest of what the Job does, in its pod template, so a change replaces the Job. */
    contentHash: string;
}

/**
 * A Job that runs one rendered script with the scripts ConfigMap, the named users' password files, and the
 * shared client certificate where the first data node's environment expects its TLS files (the scripts run
 * with that environment). Never restarted in place; retried by the Job up to `backoffLimit` times.
 *
 * @throws Error when the topology has no data node
 */
export function scriptJob(plan: PodPlan, spec: ScriptJobSpec): IJob {
    const { names } = plan;
    // The job runs with the first data node's environment, whose TLS paths name that node's pod directory.
    const first = plan.topology.dataNodes[0];
    if (first === undefined) {
        throw new Error(`the ${spec.component} job needs a data node: the topology has none`);
    }
    const container: IContainer = {
        name: spec.container,
        image: plan.image.ref,
        imagePullPolicy: "IfNotPresent",
        command: spec.command,
        ...(spec.env === undefined ? {} : { env: Object.entries(spec.env).map(([name, value]) => ({ name, value })) }),
        resources: { requests: { ...JOB_RESOURCES }, limits: { ...JOB_RESOURCES } },
        securityContext: CONTAINER_SECURITY_CONTEXT,
        volumeMounts: [
            ...(spec.envFile ? [{ name: spec.envFile.volume.name, mountPath: POD_ENV_FILE, subPath: spec.envFile.key, readOnly: true }] : []),
            { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
            { name: "passwords", mountPath: CONTAINER_PATHS.passwordDir, readOnly: true },
            ...(plan.tls ? [{ name: "tls", mountPath: podTlsDir(podName(names, first)), readOnly: true }] : []),
            { name: "tmp", mountPath: "/tmp" },
        ],
    };
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: spec.name, namespace: names.namespace, labels: labelsFor(names, spec.component) },
        spec: {
            backoffLimit: spec.backoffLimit,
            activeDeadlineSeconds: spec.activeDeadlineSeconds,
            template: {
                metadata: { labels: labelsFor(names, spec.component), annotations: { [CONTENT_HASH_ANNOTATION]: spec.contentHash } },
                spec: {
                    restartPolicy: "Never",
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: podSecurityContext(plan.image, undefined),
                    ...(plan.priorityClassName === undefined ? {} : { priorityClassName: plan.priorityClassName }),
                    containers: [container],
                    volumes: [
                        ...(spec.envFile ? [spec.envFile.volume] : []),
                        { name: "scripts", configMap: { name: names.scriptsConfigMap, defaultMode: 0o555 } },
                        { name: "passwords", secret: { secretName: names.passwordsSecret, defaultMode: 0o440, items: spec.users.map((user) => ({ key: user, path: user })) } },
                        ...(plan.tls ? [{ name: "tls", secret: { secretName: names.tlsClientSecret, defaultMode: 0o440 } }] : []),
                        { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                    ],
                },
            },
        },
    };
}

/**
 * A Job running one rendered script with the first data node's environment file plus its own (`envKey` in
 * the data nodes' ConfigMap), as one user. The cluster and sentinel-reset Jobs are all of this shape.
 */
function nodeEnvJob(
    plan: PodPlan,
    job: { name: string; component: PodComponent; container: string; script: "cluster-create.sh" | "cluster-drain.sh" | "sentinel-reset.sh"; envKey: string; user: string },
    contentHash: string,
): IJob {
    return scriptJob(plan, {
        name: job.name,
        component: job.component,
        container: job.container,
        command: runScriptCommand(job.script),
        users: [job.user],
        envFile: { volume: { name: "node-files", configMap: { name: plan.names.nodesConfigMap, defaultMode: 0o444 } }, key: job.envKey },
        backoffLimit: 10,
        activeDeadlineSeconds: 1800,
        contentHash,
    });
}

/**
 * The Job that runs `cluster-create.sh`: it forms the cluster on a first deployment, and after a scale brings
 * the running cluster to the desired nodes (new nodes join, new shards take slots). It runs beside the
 * StatefulSet rather than after it (a cluster pod is ready only once it belongs to the cluster) and waits for
 * every desired node itself. The script is idempotent, so the Job may run again whenever its spec changes.
 *
 * @param contentHash the digest of the script and its environment, so a change replaces the Job
 */
export function clusterInitJob(plan: PodPlan, contentHash: string): IJob {
    return nodeEnvJob(plan, { name: plan.names.clusterInitJob, component: "cluster-init", container: "cluster-create", script: "cluster-create.sh", envKey: CLUSTER_CREATE_ENV_KEY, user: "admin" }, contentHash);
}

/**
 * The Job that runs `cluster-drain.sh` before the StatefulSet changes: with the desired nodes' environment,
 * it moves the slots off the primaries that go away (or exceed the shard count) and has the cluster forget the
 * nodes that go away, so that the StatefulSet shrinks only once no data lives on the pods it removes. A no-op
 * on a first deployment and on a scale-up.
 *
 * @param contentHash as for {@link clusterInitJob}
 */
export function clusterDrainJob(plan: PodPlan, contentHash: string): IJob {
    return nodeEnvJob(plan, { name: plan.names.clusterDrainJob, component: "cluster-drain", container: "cluster-drain", script: "cluster-drain.sh", envKey: CLUSTER_CREATE_ENV_KEY, user: "admin" }, contentHash);
}

/**
 * The Job that runs `sentinel-reset.sh` after the data nodes changed: every sentinel, one at a time, forgets
 * the data nodes the deployment no longer has (see `renderSentinelResetScript`). It logs in as `sentinel`.
 *
 * @param contentHash the digest of the script and its environment (the data nodes' addresses), so a change
 * of the replica count replaces the Job and runs it again
 */
export function sentinelResetJob(plan: PodPlan, contentHash: string): IJob {
    return nodeEnvJob(plan, { name: plan.names.sentinelResetJob, component: "sentinel-reset", container: "sentinel-reset", script: "sentinel-reset.sh", envKey: SENTINEL_RESET_ENV_KEY, user: "sentinel" }, contentHash);
}

/** Which `redis-switchover.sh` Job: the `redis:selfhosted.switchoverTo` switchover, or the engine upgrade's pre-flight. */
export type SwitchoverJobKind = "switchover" | "engine-upgrade";

/**
 * A Job running `redis-switchover.sh` once with `env`. It logs in as `admin` (data nodes) and `sentinel`
 * (sentinels) from the passwords Secret and reaches the nodes with the shared client certificate; a rerun is
 * harmless (a target that is primary already is left alone), so it retries twice.
 *
 * @param contentHash the digest of what the Job does, in its pod template, so a change replaces the Job
 */
export function switchoverJob(plan: PodPlan, kind: SwitchoverJobKind, env: ScriptEnv, contentHash: string): IJob {
    return scriptJob(plan, {
        name: `${plan.names.base}-${kind}`,
        component: kind,
        container: kind,
        command: ["/bin/sh", `${SCRIPTS_DIR}/${SWITCHOVER_SCRIPT}`],
        env,
        users: plan.topology.kind === "sentinel" ? ["admin", "sentinel"] : ["admin"],
        backoffLimit: 2,
        activeDeadlineSeconds: 900,
        contentHash,
    });
}
