import type { EngineName } from "../../redisconf/engines";
import type { NodePaths } from "../../redisconf/layout";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import { reloadEnvFor, renderReloadScript } from "../../redisconf/scripts/reload";
import { SCRIPTS_DIR, UploadFile } from "./containerSpec";

/**
 * The live-reload sidecar of a Docker data node: what it runs and carries. Pure: no Pulumi import.
 *
 * It shares the node's network namespace (the holder's), mounts the node's live files read-only at the same
 * paths, and applies a changed ACL file, replication password or certificate to the running node
 * (`components/redisconf/scripts/reload.ts`).
 */

/** The sidecar's script file name, as the Kubernetes platform names it too. */
export const RELOAD_SCRIPT = "redis-reload.sh";

/** Where the sidecar's script is uploaded. */
export const RELOAD_SCRIPT_PATH = `${SCRIPTS_DIR}/${RELOAD_SCRIPT}`;

/** The sidecar's entrypoint: `sh <script>`, like every other container of the deployment. */
export const RELOAD_ENTRYPOINT = ["sh", RELOAD_SCRIPT_PATH];

/** Memory (MiB) and CPU limits of a sidecar: a shell loop that runs `redis-cli` only when a file changed. */
export const RELOAD_LIMITS = { memoryMiB: 32, cpus: "0.1" } as const;

/**
 * The sidecar's environment: the node's own script environment (port, password directory, TLS client
 * files), then `reloadEnvFor` for a data node with the engine's ACL apply method.
 */
export function reloadSidecarEnv(nodeEnv: ScriptEnv, paths: NodePaths, engine: { name: EngineName; version: string }, tlsEnabled: boolean): ScriptEnv {
    return { ...nodeEnv, ...reloadEnvFor({ node: { kind: "redis" }, paths, engine, tls: { enabled: tlsEnabled } }) };
}

/** The sidecar's only upload: `redis-reload.sh`, byte for byte `renderReloadScript()`. Not a secret. */
export function reloadSidecarUploads(): UploadFile[] {
    return [{ file: RELOAD_SCRIPT_PATH, content: renderReloadScript(), secret: false }];
}
