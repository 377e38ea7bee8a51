import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { RenderedScripts } from "../../redisconf/deployment";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import type { PinnedImage } from "../images";
import { containerHardening, dockerUploads, entrypointFor, envList, FILES_ROOT, SMALL_CONTAINER_CPUS, SMALL_CONTAINER_MEMORY_MIB, UploadFile } from "./containerSpec";

/** What a one-shot job container runs and where. */
export interface JobContainerArgs {
    /** The container's name. */
    containerName: string;
    /** The rendered script it runs. */
    script: keyof RenderedScripts;
    /** Its environment (addresses and paths only: it is shown in previews). */
    env: pulumi.Input<ScriptEnv>;
    /** Its files (script, one password, the client certificate): a secret. */
    uploads: pulumi.Output<UploadFile[]>;
    image: PinnedImage;
    imageId: pulumi.Input<string>;
    /** Its namespaces: the holder's (`holderNamespaces`), or the host's network for a job that runs before the holder. */
    network: { networkMode: pulumi.Input<string>; pidMode?: pulumi.Input<string> };
    labels: Record<string, string>;
}

/**
 * A container that runs one rendered script once and exits (`cluster-create.sh`, `sentinel-reset.sh`):
 * `pulumi up` waits for it (attached) and fails when the script fails; it is never restarted. A change of its
 * environment or files replaces it, so it runs again.
 */
export function jobContainer(resourceName: string, args: JobContainerArgs, opts: pulumi.CustomResourceOptions): docker.Container {
    return new docker.Container(
        resourceName,
        {
            name: args.containerName,
            image: args.imageId,
            entrypoints: entrypointFor(args.script),
            envs: pulumi.output(args.env).apply(envList),
            user: `${args.image.uid}:${args.image.gid}`,
            ...args.network,
            volumes: [{ containerPath: FILES_ROOT }],
            uploads: pulumi.secret(args.uploads.apply((files) => dockerUploads(files, args.image.gid))),
            ...containerHardening(),
            memory: SMALL_CONTAINER_MEMORY_MIB.clusterCreate,
            cpus: SMALL_CONTAINER_CPUS.clusterCreate,
            // Runs once and exits: `pulumi up` waits for it (attach) and keeps its logs; a stopped job is not restarted.
            attach: true,
            logs: true,
            mustRun: false,
            restart: "no",
            labels: Object.entries(args.labels).map(([label, value]) => ({ label, value })),
        },
        opts,
    );
}
