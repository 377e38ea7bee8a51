import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { longestCronGapSeconds } from "../../../backup/schedule";
import { renderBackupScript } from "../../../redisconf/scripts/backup";
import { backupScriptEnv, backupShards } from "../../../redisconf/scripts/backupEnv";
import { renderRestoreScript } from "../../../redisconf/scripts/restore";
import { CONTAINER_PATHS } from "../../../redisconf/layout";
import type { Topology } from "../../../redisconf/topology";
import type { PinnedImage } from "../../images";
import type { SelfHostedConfig } from "../../platform";
import { containerHardening, dockerUploads, envList, FILES_ROOT, holderNamespaces, NodeTlsFiles, SCRIPTS_DIR, UploadFile } from "../containerSpec";
import { backupLoopCommand, DOCKER_BACKUP_DIR, monitoringContainerNames } from "./spec";

/** Arguments of {@link DockerBackup}. */
export interface DockerBackupArgs {
    deploymentName: string;
    prefix: string;
    config: SelfHostedConfig;
    topology: Topology;
    /** The engine image (it has redis-cli, redis-check-rdb, gzip and busybox wget). */
    image: PinnedImage;
    imageId: pulumi.Input<string>;
    /** `container:<holder id>`: the backup reaches the nodes on the shared loopback, like their own scripts. */
    networkMode: pulumi.Input<string>;
    /** The backup user's password (secret). */
    backupPassword: pulumi.Input<string>;
    tls: pulumi.Input<NodeTlsFiles | undefined>;
    /** Where to push the last-success metric. @default none */
    pushgatewayUrl?: string;
    labels: Record<string, string>;
}

/**
 * Scheduled backups on Docker: a long-running container of the engine image, in the deployment's network
 * namespace, that runs the rendered `redis-backup.sh` once per interval (the longest gap of
 * `redis:backup.schedule`) into the named volume `<prefix>-backups`, pruning what is older than
 * `backup.retentionDays`. Docker has no scheduler; docs/backup.md also shows host cron with `docker exec`.
 */
export class DockerBackup extends pulumi.ComponentResource {
    /** The named volume holding the backups. */
    public readonly volume: docker.Volume;
    /** The backup container. */
    public readonly container: docker.Container;

    constructor(name: string, args: DockerBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redisplatform:docker:Backup", name, {}, opts);
        const { config } = args;
        const labels = Object.entries(args.labels).map(([label, value]) => ({ label, value }));
        // Fixed names: the old object must go before its replacement; and the loop starts once the nodes do.
        const fixedName = { parent: this, deleteBeforeReplace: true, dependsOn: opts?.dependsOn };
        const env = backupScriptEnv({
            deployment: args.deploymentName,
            shards: backupShards(args.topology),
            target: { kind: "dir", path: config.backup.prefix === undefined ? DOCKER_BACKUP_DIR : `${DOCKER_BACKUP_DIR}/${config.backup.prefix}` },
            tls: { enabled: config.tls.enabled },
            passwordDir: CONTAINER_PATHS.passwordDir,
            tlsPaths: CONTAINER_PATHS.tls,
            retentionDays: config.backup.retentionDays,
            ...(args.pushgatewayUrl === undefined ? {} : { pushgatewayUrl: args.pushgatewayUrl }),
        });
        this.volume = new docker.Volume(`${name}-volume`, { name: `${args.prefix}-backups`, labels }, { ...fixedName, protect: config.protect });
        const uploads = pulumi.all([args.backupPassword, args.tls]).apply(([password, tls]): UploadFile[] => [
            { file: `${SCRIPTS_DIR}/redis-backup.sh`, content: renderBackupScript(), secret: false },
            { file: `${SCRIPTS_DIR}/redis-restore.sh`, content: renderRestoreScript(), secret: false },
            { file: `${CONTAINER_PATHS.passwordDir}/backup`, content: password, secret: true },
            ...(tls === undefined
                ? []
                : [
                      { file: CONTAINER_PATHS.tls.caFile, content: tls.caCertPem, secret: false },
                      { file: CONTAINER_PATHS.tls.clientCertFile, content: tls.client.certPem, secret: false },
                      { file: CONTAINER_PATHS.tls.clientKeyFile, content: tls.client.privateKeyPem, secret: true },
                  ]),
        ]);
        this.container = new docker.Container(
            `${name}-container`,
            {
                name: monitoringContainerNames(args.prefix).backup,
                image: args.imageId,
                entrypoints: backupLoopCommand(longestCronGapSeconds(config.backup.schedule)),
                envs: envList({ ...env, REDIS_NODE_NAME: "backup" }),
                user: `${args.image.uid}:${args.image.gid}`,
                ...holderNamespaces(args.networkMode),
                volumes: [{ volumeName: this.volume.name, containerPath: DOCKER_BACKUP_DIR }, { containerPath: FILES_ROOT }],
                uploads: pulumi.secret(uploads.apply((files) => dockerUploads(files, args.image.gid))),
                ...containerHardening(),
                memory: 256,
                cpus: "0.5",
                restart: "unless-stopped",
                labels,
            },
            fixedName,
        );
        this.registerOutputs({ volume: this.volume, container: this.container });
    }
}
