import type { RenderedDeployment } from "../../redisconf/deployment";
import { configKey, envKey, scriptsConfigMapData } from "./files";
import type { KubernetesNames } from "./names";
import { dataNodeFilesDigestInputs } from "./nodeFilesDigest";
import { SENTINEL_PASSWORD_USERS } from "./pods";

/**
 * What each role's content digest (`contentHash`, the pod template's `redisplatform.io/content-hash`) covers.
 * Pure. A change of a digest input rolls that role's pods one at a time; anything left out reaches the running
 * pods through a directory mount that kubelet updates in place.
 */

/** Each node's config and environment file of one role, by ConfigMap key, as digest inputs. Pure. */
export function nodeDigestInputs(names: KubernetesNames, d: RenderedDeployment, kind: "redis" | "sentinel"): string[] {
    return d.nodes.filter((n) => n.node.kind === kind).flatMap((n) => [configKey(names, n.node), n.config, envKey(names, n.node), JSON.stringify(n.env)]);
}

/**
 * What the data nodes' content digest covers: the scripts (the reload sidecar's included) and each node's
 * config and environment, less the node's own name (see `dataNodeFilesDigestInputs`: a scale changes
 * nothing the running pods read, so they keep running). Not the ACL file, the password files or the certificates: they are directory mounts
 * that kubelet updates in place, and the reload sidecar applies them without a restart. Pure.
 */
export function dataNodeDigestInputs(names: KubernetesNames, d: RenderedDeployment): string[] {
    return [JSON.stringify(scriptsConfigMapData(d)), ...dataNodeFilesDigestInputs(names, d)];
}

/**
 * What the sentinels' content digest covers: everything they mount. Sentinels have no reload sidecar, so a
 * change of their config (which carries password hashes), passwords or certificates rolls them, one at a time.
 * Pure.
 */
export function sentinelDigestInputs(names: KubernetesNames, d: RenderedDeployment, passwords: Record<string, string>, pems: readonly string[]): string[] {
    return [JSON.stringify(d.scripts), ...nodeDigestInputs(names, d, "sentinel"), ...pick(passwords, SENTINEL_PASSWORD_USERS), ...pems];
}

/** `key=value` lines of the chosen keys, an absent key as empty. */
function pick(record: Record<string, string>, keys: readonly string[]): string[] {
    return keys.map((key) => `${key}=${record[key] ?? ""}`);
}
