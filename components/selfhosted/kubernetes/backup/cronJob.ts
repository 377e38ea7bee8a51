import type { ICronJob } from "kubernetes-models/batch/v1/CronJob";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import { CONTAINER_PATHS } from "../../../redisconf/layout";
import { renderBackupScript } from "../../../redisconf/scripts/backup";
import { backupScriptEnv, backupShards, BackupTarget } from "../../../redisconf/scripts/backupEnv";
import { renderRestoreScript } from "../../../redisconf/scripts/restore";
import type { Topology } from "../../../redisconf/topology";
import type { PinnedImage } from "../../images";
import { hardenedContainerSecurity } from "../pods";

/**
 * The scheduled backup of a deployment on Kubernetes: a CronJob whose pod runs the rendered
 * `redis-backup.sh` in two halves, `take` in an init container of the engine image (redis-cli,
 * redis-check-rdb, gzip) and `upload` in a container of the AWS CLI image, sharing an `emptyDir`. The pod
 * carries the client labels the deployment's NetworkPolicy admits, mounts only the `backup` user's password
 * and the CA and client certificate, and gets its S3 credentials from its ServiceAccount (IRSA or EKS Pod
 * Identity) — never from a key in the pod. Pure.
 */

/** What {@link backupCronJobManifests} needs. */
export interface BackupCronJobInput {
    deployment: string;
    namespace: string;
    /** Five-field cron expression (`redis:backup.schedule`), evaluated in UTC. */
    schedule: string;
    topology: Topology;
    /** Must be an S3 target: backups leave the cluster. */
    target: Extract<BackupTarget, { kind: "s3" }>;
    /** The engine image (dump, check, compress). */
    engineImage: PinnedImage;
    /** An image with `sh` and the AWS CLI, pinned by tag and digest (upload), such as `AWS_CLI_IMAGE.ref`. */
    uploadImage: string;
    tls: boolean;
    /** The Secret with one file per system user (only `backup` is mounted). */
    passwordsSecret: string;
    /** The Secret with `ca.crt`, `client.crt`, `client.key`. */
    tlsClientSecret: string;
    /** Labels the NetworkPolicy admits as a client (`kubernetes.clientPodLabels`). */
    clientPodLabels: Record<string, string>;
    /** Labels every object carries. */
    labels: Record<string, string>;
    /** The ServiceAccount with write access to the bucket. @default the namespace's default account */
    serviceAccountName?: string;
    pushgatewayUrl?: string;
    /** Longest a dump may take. @default 3600 */
    timeoutSeconds?: number;
}

/** The CronJob, the ConfigMap holding the rendered scripts, and the NetworkPolicy of the job's pods. */
export interface BackupCronJobManifests {
    scripts: IConfigMap;
    cronJob: ICronJob;
    /** Denies every ingress to the job's pods: they run the engine image and listen on nothing. */
    networkPolicy: INetworkPolicy;
}

const SCRIPTS_DIR = "/etc/redis-backup/scripts";
const WORK_DIR = "/work";

/** The names of the backup objects. */
export function backupNames(deployment: string): { scripts: string; cronJob: string; networkPolicy: string } {
    return { scripts: `${deployment}-backup-scripts`, cronJob: `${deployment}-backup`, networkPolicy: `${deployment}-backup` };
}

/** The backup CronJob's manifests. */
export function backupCronJobManifests(input: BackupCronJobInput): BackupCronJobManifests {
    const names = backupNames(input.deployment);
    const env = backupScriptEnv({
        deployment: input.deployment,
        shards: backupShards(input.topology),
        target: input.target,
        tls: { enabled: input.tls },
        passwordDir: CONTAINER_PATHS.passwordDir,
        tlsPaths: CONTAINER_PATHS.tls,
        pushgatewayUrl: input.pushgatewayUrl,
        workDir: WORK_DIR,
        timeoutSeconds: input.timeoutSeconds,
    });
    const envList = Object.entries(env).map(([name, value]) => ({ name, value }));
    // Both containers run as the engine image's account: the upload reads the files the take wrote (mode 0600).
    const mounts = [
        { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
        { name: "work", mountPath: WORK_DIR },
        { name: "tmp", mountPath: "/tmp" },
    ];
    const take: IContainer = {
        name: "take",
        image: input.engineImage.ref,
        command: ["sh", `${SCRIPTS_DIR}/redis-backup.sh`, "take"],
        env: envList,
        securityContext: hardenedContainerSecurity(input.engineImage),
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
        volumeMounts: [
            ...mounts,
            { name: "passwords", mountPath: CONTAINER_PATHS.passwordDir, readOnly: true },
            ...(input.tls ? [{ name: "tls", mountPath: "/etc/redis/tls", readOnly: true }] : []),
        ],
    };
    const upload: IContainer = {
        name: "upload",
        image: input.uploadImage,
        command: ["sh", `${SCRIPTS_DIR}/redis-backup.sh`, "upload"],
        // The AWS CLI writes its cache under HOME; the root filesystem is read-only.
        env: [...envList, { name: "HOME", value: "/tmp" }],
        securityContext: hardenedContainerSecurity(input.engineImage),
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        volumeMounts: mounts,
    };
    const podLabels = { ...input.labels, ...input.clientPodLabels, "app.kubernetes.io/component": "backup" };
    // The deployment's NetworkPolicy does not select these pods (they are its clients, not its nodes): this one does.
    const networkPolicy: INetworkPolicy = {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: names.networkPolicy, namespace: input.namespace, labels: input.labels },
        spec: { podSelector: { matchLabels: { ...input.labels, "app.kubernetes.io/component": "backup" } }, policyTypes: ["Ingress"], ingress: [] },
    };
    return {
        networkPolicy,
        scripts: {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: names.scripts, namespace: input.namespace, labels: input.labels },
            data: { "redis-backup.sh": renderBackupScript(), "redis-restore.sh": renderRestoreScript() },
        },
        cronJob: {
            apiVersion: "batch/v1",
            kind: "CronJob",
            metadata: { name: names.cronJob, namespace: input.namespace, labels: input.labels },
            spec: {
                schedule: input.schedule,
                timeZone: "Etc/UTC",
                // Two dumps at once would double the fork's memory on the source node.
                concurrencyPolicy: "Forbid",
                startingDeadlineSeconds: 600,
                successfulJobsHistoryLimit: 3,
                failedJobsHistoryLimit: 3,
                jobTemplate: {
                    metadata: { labels: podLabels },
                    spec: {
                        backoffLimit: 2,
                        activeDeadlineSeconds: 2 * (input.timeoutSeconds ?? 3600) + 600,
                        template: {
                            metadata: { labels: podLabels },
                            spec: {
                                restartPolicy: "Never",
                                ...(input.serviceAccountName === undefined ? { automountServiceAccountToken: false } : { serviceAccountName: input.serviceAccountName }),
                                enableServiceLinks: false,
                                securityContext: { runAsNonRoot: true, fsGroup: input.engineImage.gid, seccompProfile: { type: "RuntimeDefault" } },
                                initContainers: [take],
                                containers: [upload],
                                volumes: [
                                    { name: "scripts", configMap: { name: names.scripts, defaultMode: 0o555 } },
                                    { name: "work", emptyDir: {} },
                                    { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                                    { name: "passwords", secret: { secretName: input.passwordsSecret, defaultMode: 0o440, items: [{ key: "backup", path: "backup" }] } },
                                    ...(input.tls
                                        ? [
                                              {
                                                  name: "tls",
                                                  secret: {
                                                      secretName: input.tlsClientSecret,
                                                      defaultMode: 0o440,
                                                      items: [
                                                          { key: "ca.crt", path: "ca.crt" },
                                                          { key: "client.crt", path: "client.crt" },
                                                          { key: "client.key", path: "client.key" },
                                                      ],
                                                  },
                                              },
                                          ]
                                        : []),
                                ],
                            },
                        },
                    },
                },
            },
        },
    };
}
