import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IContainer } from "kubernetes-models/v1/Container";
import { CONTAINER_PATHS } from "../../redisconf/layout";
import { CLUSTER_CREATE_ENV_KEY, POD_ENV_FILE, PodScript, runScriptCommand, SCRIPTS_DIR, SENTINEL_RESET_ENV_KEY } from "./files";
import { podTlsDir } from "./layout";
import { labelsFor, PodComponent, podName } from "./names";
import { CONTAINER_SECURITY_CONTEXT, CONTENT_HASH_ANNOTATION, JOB_RESOURCES, PodPlan, podSecurityContext } from "./pods";

/** What one script Job runs: a rendered script, its environment file, and the one user it logs in as. */
export interface ScriptJobSpec {
    /** The Job's name. */
    name: string;
    /** Its `app.kubernetes.io/component` label (never `redis` or `sentinel`: those select the nodes). */
    component: Exclude<PodComponent, "redis" | "sentinel">;
    /** The container's name. */
    containerName: string;
    /** The rendered script it runs. */
    script: PodScript;
    /** The key of its environment file in the data nodes' ConfigMap. */
    envKey: string;
    /** The user whose password file it mounts. */
    user: string;
    /** The digest of the script and its environment, so a change replaces the Job. */
    contentHash: string;
}

/**
 * A Job running one rendered script once with the first data node's environment plus its own (from the
 * data nodes' ConfigMap), one user's password and the node client certificate. The scripts it runs are
 * idempotent, so the Job may run again whenever its spec changes. Pure.
 */
export function scriptJob(plan: PodPlan, spec: ScriptJobSpec): IJob {
    const { names } = plan;
    // The job runs with the first data node's environment, whose TLS paths name that node's pod directory.
    const first = plan.topology.dataNodes[0];
    if (first === undefined) {
        throw new Error(`the ${spec.name} job needs a data node: the topology has none`);
    }
    const container: IContainer = {
        name: spec.containerName,
        image: plan.image.ref,
        imagePullPolicy: "IfNotPresent",
        command: runScriptCommand(spec.script),
        resources: { requests: { ...JOB_RESOURCES }, limits: { ...JOB_RESOURCES } },
        securityContext: CONTAINER_SECURITY_CONTEXT,
        volumeMounts: [
            { name: "node-files", mountPath: POD_ENV_FILE, subPath: spec.envKey, readOnly: true },
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
            backoffLimit: 10,
            activeDeadlineSeconds: 1800,
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
                        { name: "node-files", configMap: { name: names.nodesConfigMap, defaultMode: 0o444 } },
                        { name: "scripts", configMap: { name: names.scriptsConfigMap, defaultMode: 0o555 } },
                        { name: "passwords", secret: { secretName: names.passwordsSecret, defaultMode: 0o440, items: [{ key: spec.user, path: spec.user }] } },
                        ...(plan.tls ? [{ name: "tls", secret: { secretName: names.tlsClientSecret, defaultMode: 0o440 } }] : []),
                        { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                    ],
                },
            },
        },
    };
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
    return scriptJob(plan, {
        name: plan.names.clusterInitJob,
        component: "cluster-init",
        containerName: "cluster-create",
        script: "cluster-create.sh",
        envKey: CLUSTER_CREATE_ENV_KEY,
        user: "admin",
        contentHash,
    });
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
    return scriptJob(plan, {
        name: plan.names.clusterDrainJob,
        component: "cluster-drain",
        containerName: "cluster-drain",
        script: "cluster-drain.sh",
        envKey: CLUSTER_CREATE_ENV_KEY,
        user: "admin",
        contentHash,
    });
}

/**
 * The Job that runs `sentinel-reset.sh` after the data nodes changed: every sentinel, one at a time, forgets
 * the data nodes the deployment no longer has (see `renderSentinelResetScript`). It logs in as `sentinel`.
 *
 * @param contentHash the digest of the script and its environment (the data nodes' addresses), so a change
 * of the replica count replaces the Job and runs it again
 */
export function sentinelResetJob(plan: PodPlan, contentHash: string): IJob {
    return scriptJob(plan, {
        name: plan.names.sentinelResetJob,
        component: "sentinel-reset",
        containerName: "sentinel-reset",
        script: "sentinel-reset.sh",
        envKey: SENTINEL_RESET_ENV_KEY,
        user: "sentinel",
        contentHash,
    });
}
