import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { PinnedImage } from "../images";
import { containerHardening, dockerUploads, UploadFile } from "./containerSpec";
import { LiveDir, STAGE_ROOT, writerEntrypoint, writerExitProblem, writerUploads, writerUser } from "./liveFiles";

/** Memory (MiB) and CPU limits of a writer: `cp` and `mv` of a few small files. */
export const WRITER_LIMITS = { memoryMiB: 16, cpus: "0.1" } as const;

/** Arguments of {@link DockerLiveFiles}. */
export interface DockerLiveFilesArgs {
    /** The Docker name of the node's container; the volumes and the writer are named after it. */
    containerName: string;
    /** The directories whose files change on a rotation, one volume each (`liveDirs`). */
    dirs: readonly LiveDir[];
    /** The live files at their final paths (secret: passwords, password hashes, private keys). */
    files: pulumi.Input<UploadFile[]>;
    /** The pinned engine image, and the ID of the pulled image the writer runs. */
    image: PinnedImage;
    imageId: pulumi.Input<string>;
    /** Docker labels. */
    labels: Record<string, string>;
}

/**
 * The files of a data node that change on a rotation: a named volume per live directory, filled by a one-shot
 * writer container that copies its own (secret) uploads into them and exits.
 *
 * A changed file changes only the writer's uploads, so `pulumi up` replaces and re-runs the writer alone; the
 * node and its reload sidecar mount the volumes read-only and see the new files in place.
 */
export class DockerLiveFiles extends pulumi.ComponentResource {
    /** The volumes by directory key (`acl`, `passwords`, `tls`). */
    public readonly volumes: Record<LiveDir["key"], docker.Volume | undefined>;
    /** The one-shot writer. `pulumi up` waits for it to exit. */
    public readonly writer: docker.Container;
    /** The writer's exit code once it ran; resolving it fails when the writer failed. */
    public readonly writerExitCode: pulumi.Output<number | undefined>;
    /** The volumes as the node and its sidecar mount them: read-only, at the same paths. */
    public readonly readOnlyMounts: docker.types.input.ContainerVolume[];

    constructor(name: string, args: DockerLiveFilesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redisplatform:docker:LiveFiles", name, {}, opts);
        const labels = Object.entries(args.labels).map(([label, value]) => ({ label, value }));
        // Fixed Docker names: the old object must go before its replacement is created.
        const fixedName: pulumi.CustomResourceOptions = { parent: this, deleteBeforeReplace: true };

        const volumes = args.dirs.map((entry) => ({ entry, volume: new docker.Volume(`${name}-${entry.key}`, { name: `${args.containerName}-${entry.key}`, labels }, fixedName) }));
        this.volumes = { acl: undefined, passwords: undefined, tls: undefined };
        for (const { entry, volume } of volumes) {
            this.volumes[entry.key] = volume;
        }

        this.writer = new docker.Container(
            name,
            {
                name: `${args.containerName}-files`,
                image: args.imageId,
                entrypoints: writerEntrypoint(args.dirs),
                user: writerUser(args.image.gid),
                // Copies files between volumes: no network at all.
                networkMode: "none",
                volumes: [{ containerPath: STAGE_ROOT }, ...volumes.map(({ entry, volume }) => ({ volumeName: volume.name, containerPath: entry.dir }))],
                uploads: pulumi.secret(pulumi.output(args.files).apply((files) => dockerUploads(writerUploads(files), args.image.gid))),
                ...containerHardening(),
                memory: WRITER_LIMITS.memoryMiB,
                cpus: WRITER_LIMITS.cpus,
                // Runs once and exits: `pulumi up` waits for the exit (attach) before anything that depends on it,
                // and leaves the exited container alone (mustRun false) instead of restarting it on the next run.
                attach: true,
                logs: true,
                mustRun: false,
                restart: "no",
                labels,
            },
            fixedName,
        );

        this.readOnlyMounts = volumes.map(({ entry, volume }) => ({ volumeName: volume.name, containerPath: entry.dir, readOnly: true }));

        // Fails `pulumi up` on a failed writer, here rather than 180 s later when the node never turns healthy.
        this.writerExitCode = this.writer.exitCode.apply((code: number | undefined) => {
            const problem = writerExitProblem(args.containerName, code);
            if (problem !== undefined) {
                throw new Error(problem);
            }
            return code;
        });

        this.registerOutputs({ volumes: this.volumes, writer: this.writer, writerExitCode: this.writerExitCode });
    }
}
