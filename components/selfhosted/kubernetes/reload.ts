import type { IContainer } from "kubernetes-models/v1/Container";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { EngineName } from "../../redisconf/engines";
import { reloadEnvFor } from "../../redisconf/scripts/reload";
import { RELOAD_SCRIPT, runScriptCommand } from "./files";
import { podPaths } from "./layout";

/**
 * The live-reload sidecar of a data node (`redis-reload.sh`) as a container manifest. Pure.
 *
 * It runs beside the `redis` container with the node's own script environment and the same files at the same
 * paths, and applies a changed ACL file, replication password or certificate to the running process (see
 * `components/redisconf/scripts/reload.ts`), so a rotation never restarts the pod.
 */

/** The sidecar's container name (`kubectl logs <pod> -c reload`). */
export const RELOAD_CONTAINER = "reload";

/**
 * Resources of the reload sidecar: a shell loop that runs `redis-cli` every few seconds. Requests equal
 * limits, like every other container of the pod, so the pod keeps the Guaranteed QoS class.
 */
export const RELOAD_RESOURCES = { cpu: "50m", memory: "32Mi" } as const;

// Kubernetes expands $(POD_NAME) in env values from the downward-API variable defined before them.
const THIS_POD = "$(POD_NAME)";

/**
 * The sidecar's own variables (`reloadEnvFor`), on top of the node's environment file that its command
 * sources. The certificate and key paths name the pod through `$(POD_NAME)`, which the container resolves to
 * the paths the node's `redis.conf` names (`podPaths`).
 */
export function reloadContainerEnv(engine: { name: EngineName; version: string }, tls: boolean): IEnvVar[] {
    const env = reloadEnvFor({ node: { kind: "redis" }, paths: podPaths(THIS_POD), engine, tls: { enabled: tls } });
    return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/**
 * The reload sidecar of a data node's pod, derived from its `redis` container: the same pinned image,
 * security context and environment (the pod name first), every mount but the data volume, and the rendered
 * script run like the others, after sourcing the pod's environment file.
 */
export function reloadContainer(redis: IContainer, engine: { name: EngineName; version: string }, tls: boolean): IContainer {
    return {
        name: RELOAD_CONTAINER,
        image: redis.image,
        imagePullPolicy: redis.imagePullPolicy,
        command: runScriptCommand(RELOAD_SCRIPT),
        env: [...(redis.env ?? []), ...reloadContainerEnv(engine, tls)],
        resources: { requests: { ...RELOAD_RESOURCES }, limits: { ...RELOAD_RESOURCES } },
        securityContext: redis.securityContext,
        volumeMounts: (redis.volumeMounts ?? []).filter((mount) => mount.name !== "data"),
    };
}
