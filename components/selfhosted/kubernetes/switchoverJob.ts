import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IContainer } from "kubernetes-models/v1/Container";
import { CONTAINER_PATHS } from "../../redisconf/layout";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import { SWITCHOVER_SCRIPT } from "../../redisconf/scripts/switchover";
import { SCRIPTS_DIR } from "./files";
import { podTlsDir } from "./layout";
import { labelsFor, podName } from "./names";
import { CONTAINER_SECURITY_CONTEXT, CONTENT_HASH_ANNOTATION, JOB_RESOURCES, PodPlan, podSecurityContext } from "./pods";

/**
 * The Jobs that run `redis-switchover.sh` in the cluster: the `redis:selfhosted.switchoverTo` switchover, and
 * the engine upgrade's pre-flight, which moves every primary to the lowest ordinal of its group before the
 * data StatefulSet rolls. Pure.
 */

/** Which of the two a Job is. */
export type SwitchoverJobKind = "switchover" | "engine-upgrade";

/**
 * A Job running `redis-switchover.sh` once with `env`. It logs in as `admin` (data nodes) and `sentinel`
 * (sentinels) from the passwords Secret and reaches the nodes with the shared client certificate; a rerun is
 * harmless (a target that is primary already is left alone), so it retries twice.
 *
 * @param contentHash the digest of what the Job does, in its pod template, so a change replaces the Job
 */
export function switchoverJob(plan: PodPlan, kind: SwitchoverJobKind, env: ScriptEnv, contentHash: string): IJob {
    const { names } = plan;
    const first = plan.topology.dataNodes[0];
    if (first === undefined) {
        throw new Error("a switchover Job needs a data node: the topology has none");
    }
    const users = plan.topology.kind === "sentinel" ? ["admin", "sentinel"] : ["admin"];
    const container: IContainer = {
        name: kind,
        image: plan.image.ref,
        imagePullPolicy: "IfNotPresent",
        command: ["/bin/sh", `${SCRIPTS_DIR}/${SWITCHOVER_SCRIPT}`],
        env: Object.entries(env).map(([name, value]) => ({ name, value })),
        resources: { requests: { ...JOB_RESOURCES }, limits: { ...JOB_RESOURCES } },
        securityContext: CONTAINER_SECURITY_CONTEXT,
        volumeMounts: [
            { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
            { name: "passwords", mountPath: CONTAINER_PATHS.passwordDir, readOnly: true },
            ...(plan.tls ? [{ name: "tls", mountPath: podTlsDir(podName(names, first)), readOnly: true }] : []),
            { name: "tmp", mountPath: "/tmp" },
        ],
    };
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: `${names.base}-${kind}`, namespace: names.namespace, labels: labelsFor(names, kind) },
        spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 900,
            template: {
                metadata: { labels: labelsFor(names, kind), annotations: { [CONTENT_HASH_ANNOTATION]: contentHash } },
                spec: {
                    restartPolicy: "Never",
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: podSecurityContext(plan.image, undefined),
                    ...(plan.priorityClassName === undefined ? {} : { priorityClassName: plan.priorityClassName }),
                    containers: [container],
                    volumes: [
                        { name: "scripts", configMap: { name: names.scriptsConfigMap, defaultMode: 0o555 } },
                        { name: "passwords", secret: { secretName: names.passwordsSecret, defaultMode: 0o440, items: users.map((user) => ({ key: user, path: user })) } },
                        ...(plan.tls ? [{ name: "tls", secret: { secretName: names.tlsClientSecret, defaultMode: 0o440 } }] : []),
                        { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                    ],
                },
            },
        },
    };
}
