import { createHash } from "node:crypto";

/**
 * ElastiCache identifiers (replication group, Serverless cache, user and user group ids): they begin with a
 * letter, hold only lower-case letters, digits and single hyphens, and do not end with a hyphen. User ids
 * are unique per account and region, so they carry the stack's name. Pure: no Pulumi.
 */

/** The longest identifier this project derives (the replication group id limit). */
export const MAX_IDENTIFIER_LENGTH = 40;

function sanitize(text: string): string {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-{2,}/g, "-")
        .replace(/^[^a-z]+/, "")
        .replace(/-+$/, "");
}

/**
 * Joins `parts` into a valid identifier of at most `maxLength` characters. A longer one is cut and ends in a
 * short hash of the whole, so two long names never collapse into the same identifier.
 *
 * @throws Error when the parts hold no letter to start the identifier with
 */
export function elastiCacheIdentifier(parts: readonly string[], maxLength: number = MAX_IDENTIFIER_LENGTH): string {
    const joined = sanitize(parts.join("-"));
    if (joined === "") {
        throw new Error(`ElastiCache identifier from ${JSON.stringify(parts)}: needs at least one letter`);
    }
    if (joined.length <= maxLength) {
        return joined;
    }
    const hash = createHash("sha256").update(joined).digest("hex").slice(0, 6);
    return `${joined.slice(0, maxLength - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/**
 * The cache cluster (node) ids ElastiCache gives a replication group's members, which CloudWatch metrics are
 * reported under: `<group>-001`... without cluster mode, `<group>-0001-001`... with it.
 */
export function memberClusterIds(replicationGroupId: string, clusterMode: boolean, shards: number, replicas: number): string[] {
    const pad = (value: number, width: number) => String(value).padStart(width, "0");
    const ids: string[] = [];
    for (let shard = 1; shard <= (clusterMode ? shards : 1); shard++) {
        for (let node = 1; node <= 1 + replicas; node++) {
            ids.push(clusterMode ? `${replicationGroupId}-${pad(shard, 4)}-${pad(node, 3)}` : `${replicationGroupId}-${pad(node, 3)}`);
        }
    }
    return ids;
}
