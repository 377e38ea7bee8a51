import type { RenderedDeployment } from "../../redisconf/deployment";
import { configKey, contentHash, envKey } from "./files";
import { KubernetesNames, podName } from "./names";

/**
 * What the data nodes' files contribute to their pod template's digest and to their ConfigMap's name: each
 * node's config and environment file with the node's own name and pod name replaced by placeholders, each
 * distinct result once, sorted. Pure.
 *
 * Every node's files are rendered from one template and differ only by the node's own name, so adding or
 * removing nodes (a shard or replica count change) leaves this unchanged: the StatefulSet scales without
 * restarting the pods that stay, which is what lets the cluster scaling jobs move slots between running
 * nodes. Any other change of any node's files (a new setting, a new replica count in `redis.conf`, another
 * cluster domain in the announced host names) changes it, and rolls the pods.
 */
export function dataNodeFilesDigestInputs(names: KubernetesNames, d: RenderedDeployment): string[] {
    const normalized = new Set<string>();
    for (const rendered of d.nodes.filter((candidate) => candidate.node.kind === "redis")) {
        const pod = podName(names, rendered.node);
        const own = (text: string) => withPlaceholder(withPlaceholder(text, pod, "<pod>"), rendered.node.name, "<node>");
        normalized.add(JSON.stringify([own(configKey(names, rendered.node)), own(rendered.config), own(envKey(names, rendered.node)), own(JSON.stringify(rendered.env))]));
    }
    return [...normalized].sort();
}

/**
 * The name of the data nodes' ConfigMap: its base name and the digest of {@link dataNodeFilesDigestInputs}.
 * Unlike a digest of the whole ConfigMap (see `contentAddressedName`), it stays the same when nodes are added
 * or removed; the ConfigMap is then replaced under the same name, which running pods do not notice (they read
 * their files once, at start) and new pods wait for.
 */
export function nodesConfigMapName(names: KubernetesNames, d: RenderedDeployment): string {
    return `${names.nodesConfigMap}-${contentHash(dataNodeFilesDigestInputs(names, d)).slice(0, 10)}`;
}

/** `text` with every whole occurrence of `token` (not part of a longer number, as `redis-1` in `redis-10`) replaced. */
function withPlaceholder(text: string, token: string, placeholder: string): string {
    const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return text.replace(new RegExp(`(?<![0-9])${escaped}(?![0-9])`, "g"), placeholder);
}
