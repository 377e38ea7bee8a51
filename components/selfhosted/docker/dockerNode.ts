import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { NodePaths } from "../../redisconf/layout";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import type { DataNode, SentinelNode } from "../../redisconf/topology";
import type { PinnedImage } from "../images";
import {
    containerHardening,
    DATA_NODE_STOP_TIMEOUT_SECONDS,
    dockerUploads,
    entrypointFor,
    envList,
    healthCheckCommand,
    HEALTHY_WAIT_SECONDS,
    holderNamespaces,
    NOFILE_LIMIT,
    FILES_ROOT,
    UploadFile,
} from "./containerSpec";
import { DockerLiveFiles } from "./dockerLiveFiles";
import type { LiveDir } from "./liveFiles";
import { RELOAD_ENTRYPOINT, RELOAD_LIMITS, reloadSidecarUploads } from "./reloadSidecar";

/** What a data node needs for rotations without a restart: its live files and its reload sidecar. */
export interface DockerNodeLiveArgs {
    /** The directories whose files change on a rotation, one volume each (`liveDirs`). */
    dirs: readonly LiveDir[];
    /** The files in those directories at their final paths (secret). */
    files: pulumi.Input<UploadFile[]>;
    /** The reload sidecar's environment (`reloadSidecarEnv`: the node's plus `reloadEnvFor`). */
    reloadEnv: pulumi.Input<ScriptEnv>;
    /** Docker labels of the writer and of the sidecar. */
    labels: { files: Record<string, string>; reload: Record<string, string> };
}

/** Arguments of {@link DockerNode}. */
export interface DockerNodeArgs {
    /** The node, placed by the Docker layout. */
    node: DataNode | SentinelNode;
    /** The Docker name of the container; the data volume is named after it. */
    containerName: string;
    /** The files the node uses inside its container. */
    paths: NodePaths;
    /** The pinned engine image, and the ID of the pulled image the container runs. */
    image: PinnedImage;
    imageId: pulumi.Input<string>;
    /** `container:<id>` of the holder whose network namespace the node joins. */
    networkMode: pulumi.Input<string>;
    /** The node's rendered script environment (addresses and paths, no secret). */
    env: pulumi.Input<ScriptEnv>;
    /** The files uploaded into the node's container (secret: a sentinel's carry keys and passwords). */
    uploads: pulumi.Input<UploadFile[]>;
    /**
     * Live files and reload sidecar (data nodes). Without it every file is an upload, and a changed file
     * replaces the container (sentinels).
     */
    live?: DockerNodeLiveArgs;
    /** Whether the node talks TLS (decides the health check). */
    tlsEnabled: boolean;
    /** Memory limit in MiB. */
    memoryMiB: number;
    /** CPU limit, as Docker's `cpus` takes it. */
    cpus: string;
    /** Docker labels. */
    labels: Record<string, string>;
    /**
     * Protects the data volume from deletion (`pulumi destroy` fails until unprotected).
     * @default false
     */
    protect?: boolean;
}

/**
 * One Redis data node or sentinel on Docker: a named data volume and a hardened container running the
 * rendered start script with the rendered environment. The container joins the deployment's shared network
 * namespace, runs as the image's unprivileged user with a read-only root filesystem and no capabilities, and
 * reports healthy over TLS as the `monitor` user.
 *
 * With `live` (data nodes), the ACL, password and TLS files come from {@link DockerLiveFiles} volumes mounted
 * read-only instead of uploads, and a reload sidecar beside the node applies their changes: a rotation
 * re-runs the writer and leaves the node's container as it is.
 */
export class DockerNode extends pulumi.ComponentResource {
    /** The data volume (`/data`): RDB, AOF, `nodes.conf`, the runtime config. */
    public readonly volume: docker.Volume;
    /** The container. */
    public readonly container: docker.Container;
    /** The live files' volumes and writer (data nodes). */
    public readonly liveFiles: DockerLiveFiles | undefined;
    /** The reload sidecar (data nodes). */
    public readonly reload: docker.Container | undefined;

    constructor(name: string, args: DockerNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redisplatform:docker:DockerNode", name, {}, opts);
        const { node, image } = args;
        const labels = Object.entries(args.labels).map(([label, value]) => ({ label, value }));

        this.volume = new docker.Volume(`${name}-data`, { name: `${args.containerName}-data`, labels }, {
            parent: this,
            protect: args.protect ?? false,
            deleteBeforeReplace: true,
        });

        const live = args.live;
        this.liveFiles =
            live === undefined
                ? undefined
                : new DockerLiveFiles(`${name}-files`, { containerName: args.containerName, dirs: live.dirs, files: live.files, image, imageId: args.imageId, labels: live.labels.files }, { parent: this });
        const liveMounts = this.liveFiles?.readOnlyMounts ?? [];

        this.container = new docker.Container(
            name,
            {
                name: args.containerName,
                image: args.imageId,
                entrypoints: entrypointFor(node.kind === "redis" ? "redis-start.sh" : "sentinel-start.sh"),
                envs: pulumi.output(args.env).apply(envList),
                user: `${image.uid}:${image.gid}`,
                ...holderNamespaces(args.networkMode),
                volumes: [{ volumeName: this.volume.name, containerPath: args.paths.dataDir }, { containerPath: FILES_ROOT }, ...liveMounts],
                uploads: pulumi.secret(pulumi.output(args.uploads).apply((files) => dockerUploads(files, image.gid))),
                ...containerHardening(),
                memory: args.memoryMiB,
                cpus: args.cpus,
                ulimits: [{ name: "nofile", soft: NOFILE_LIMIT, hard: NOFILE_LIMIT }],
                restart: "unless-stopped",
                stopTimeout: DATA_NODE_STOP_TIMEOUT_SECONDS,
                destroyGraceSeconds: DATA_NODE_STOP_TIMEOUT_SECONDS,
                // Durations as Docker reports them back (Go's format), so a refresh shows no difference.
                healthcheck: {
                    tests: healthCheckCommand(node, args.paths, args.tlsEnabled),
                    interval: "5s",
                    timeout: "3s",
                    retries: 3,
                    startPeriod: "2m0s",
                },
                wait: true,
                waitTimeout: HEALTHY_WAIT_SECONDS,
                labels,
            },
            // Fixed container name: the old container must go before its replacement starts. The writer goes first so
            // the node finds its files on first boot; dependsOn alone (no input taken from the writer) lets a
            // replaced writer leave the node running (pulumi/pulumi#838).
            { parent: this, deleteBeforeReplace: true, ...(this.liveFiles ? { dependsOn: [this.liveFiles.writer] } : {}) },
        );

        this.reload =
            live === undefined
                ? undefined
                : new docker.Container(
                      `${name}-reload`,
                      {
                          name: `${args.containerName}-reload`,
                          image: args.imageId,
                          entrypoints: RELOAD_ENTRYPOINT,
                          envs: pulumi.output(live.reloadEnv).apply(envList),
                          user: `${image.uid}:${image.gid}`,
                          ...holderNamespaces(args.networkMode),
                          volumes: [{ containerPath: FILES_ROOT }, ...liveMounts],
                          uploads: dockerUploads(reloadSidecarUploads(), image.gid),
                          ...containerHardening(),
                          memory: RELOAD_LIMITS.memoryMiB,
                          cpus: RELOAD_LIMITS.cpus,
                          restart: "unless-stopped",
                          labels: Object.entries(live.labels.reload).map(([label, value]) => ({ label, value })),
                      },
                      { parent: this, deleteBeforeReplace: true, dependsOn: [this.container] },
                  );

        this.registerOutputs({ volume: this.volume, container: this.container, liveFiles: this.liveFiles, reload: this.reload });
    }
}
