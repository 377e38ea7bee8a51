import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket } from "../../../backup/backupBucket";
import type { Topology } from "../../../redisconf/topology";
import { AWS_CLI_IMAGE, imageFor } from "../../images";
import type { SelfHostedConfig } from "../../platform";
import { backupCronJobManifests, backupNames } from "./cronJob";

/** Arguments of {@link KubernetesBackup}. */
export interface KubernetesBackupArgs {
    /** The deployment name; the backups' folder and the metric's `deployment` label. */
    deploymentName: string;
    config: SelfHostedConfig;
    topology: Topology;
    /** The deployment's namespace. */
    namespace: string;
    /** The Secret holding one password file per system user (the platform's `passwordsSecret`). */
    passwordsSecret: string;
    /** The Secret holding the CA and the client certificate (the platform's `tlsClientSecret`). */
    tlsClientSecret: string;
    /** Where the job pushes its last-success metric (`KubernetesMonitoring.pushgatewayUrl`). @default none */
    pushgatewayUrl?: string;
}

/**
 * Scheduled backups of a deployment on Kubernetes (`redis:backup`): the bucket and the CronJob of
 * `cronJob.ts`.
 *
 * The bucket: with `backup.s3Endpoint` (MinIO, Ceph, another cloud's S3 API) the existing bucket
 * `backup.bucketName` is used and nothing is created; otherwise the stack is on AWS S3 and a
 * {@link BackupBucket} is created (KMS, versioning, TLS-only policy, lifecycle; named `bucketName` or
 * generated), and the job encrypts with its key. Credentials come from `backup.serviceAccount` (IRSA or EKS
 * Pod Identity): grant that role `s3:PutObject` on the bucket and `kms:GenerateDataKey` on the key.
 *
 * The job uploads with the AWS CLI image pinned in `images.ts` ({@link AWS_CLI_IMAGE}), or with
 * `backup.uploadImage` (an image pinned by tag and digest that has `sh` and `aws`, such as a mirror in the
 * cluster's own registry).
 */
export class KubernetesBackup extends pulumi.ComponentResource {
    /** The backup bucket's name, or `undefined` when backups are off. */
    public readonly bucketName: pulumi.Output<string> | undefined;
    /** The bucket created for the backups (AWS S3 without `s3Endpoint`). */
    public readonly bucket: BackupBucket | undefined;
    /** The CronJob, when backups are on. */
    public readonly cronJob: k8s.batch.v1.CronJob | undefined;

    constructor(name: string, args: KubernetesBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redisplatform:kubernetes:Backup", name, {}, opts);
        const { config } = args;
        const backup = config.backup;
        this.bucketName = undefined;
        this.bucket = undefined;
        this.cronJob = undefined;
        if (!backup.enabled) {
            this.registerOutputs({});
            return;
        }
        if (config.engine === undefined) {
            throw new Error("KubernetesBackup: the stack config has no engine");
        }
        let kmsKeyId: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (backup.s3Endpoint !== undefined) {
            if (backup.bucketName === undefined) {
                throw new Error("KubernetesBackup: backup.s3Endpoint needs backup.bucketName (an existing bucket)");
            }
            this.bucketName = pulumi.output(backup.bucketName);
        } else {
            this.bucket = new BackupBucket(
                `${name}-bucket`,
                {
                    project: pulumi.getProject(),
                    stack: pulumi.getStack(),
                    ...(backup.bucketName === undefined ? {} : { bucketName: backup.bucketName }),
                    retentionDays: backup.retentionDays,
                    ...(backup.archiveAfterDays === undefined ? {} : { archiveAfterDays: backup.archiveAfterDays }),
                    ...(backup.kmsKeyArn === undefined ? {} : { kmsKeyArn: backup.kmsKeyArn }),
                    protect: config.protect,
                },
                { parent: this },
            );
            this.bucketName = this.bucket.bucketName;
            kmsKeyId = this.bucket.kmsKeyArn;
        }
        const uploadImage = backup.uploadImage ?? AWS_CLI_IMAGE.ref;
        const labels = { "app.kubernetes.io/name": "redis-backup", "app.kubernetes.io/instance": args.deploymentName, "app.kubernetes.io/managed-by": "pulumi" };
        const manifests = pulumi.all([this.bucketName, kmsKeyId]).apply(([bucket, keyId]) =>
            backupCronJobManifests({
                deployment: args.deploymentName,
                namespace: args.namespace,
                schedule: backup.schedule,
                topology: args.topology,
                target: {
                    kind: "s3",
                    bucket,
                    ...(backup.prefix === undefined ? {} : { prefix: backup.prefix }),
                    ...(keyId === undefined ? {} : { kmsKeyId: keyId }),
                    ...(backup.s3Endpoint === undefined ? {} : { endpoint: backup.s3Endpoint, sse: "none" as const }),
                },
                engineImage: imageFor(config.engine!),
                uploadImage,
                tls: config.tls.enabled,
                passwordsSecret: args.passwordsSecret,
                tlsClientSecret: args.tlsClientSecret,
                clientPodLabels: config.selfhosted.kubernetes.clientPodLabels,
                labels,
                ...(backup.serviceAccount === undefined ? {} : { serviceAccountName: backup.serviceAccount }),
                ...(args.pushgatewayUrl === undefined ? {} : { pushgatewayUrl: args.pushgatewayUrl }),
            }),
        );
        const names = backupNames(args.deploymentName);
        const scripts = new k8s.core.v1.ConfigMap(
            `${name}-scripts`,
            { metadata: { name: names.scripts, namespace: args.namespace, labels }, data: manifests.apply((m) => m.scripts.data ?? {}) },
            { parent: this },
        );
        new k8s.networking.v1.NetworkPolicy(
            `${name}-network-policy`,
            { metadata: { name: names.networkPolicy, namespace: args.namespace, labels }, spec: manifests.apply((m) => m.networkPolicy.spec as k8s.types.input.networking.v1.NetworkPolicySpec) },
            { parent: this },
        );
        this.cronJob = new k8s.batch.v1.CronJob(
            `${name}-cronjob`,
            { metadata: { name: names.cronJob, namespace: args.namespace, labels }, spec: manifests.apply((m) => m.cronJob.spec as k8s.types.input.batch.v1.CronJobSpec) },
            { parent: this, dependsOn: [scripts] },
        );
        this.registerOutputs({ bucketName: this.bucketName, cronJob: this.cronJob });
    }
}
