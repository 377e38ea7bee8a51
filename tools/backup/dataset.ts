import { createHash } from "node:crypto";
import type Redis from "ioredis";

/**
 * A known dataset for backup and restore checks, and a digest of everything a node holds. The digest covers
 * every key of database 0: its name, type, whole value (read in a canonical order) and whether it carries a
 * TTL, so two nodes with equal digests hold the same data, whatever their encodings.
 */

/** The key types {@link writeDataset} writes, in turn. */
export const DATASET_TYPES = ["string", "hash", "list", "set", "zset", "stream", "binary", "ttl"] as const;

/** Writes `count` keys of varied types (a type per key, round robin) through pipelines of `batch` commands. */
export async function writeDataset(client: Redis, count: number, batch = 1000, onProgress?: (written: number) => void): Promise<void> {
    for (let start = 0; start < count; start += batch) {
        const pipeline = client.pipeline();
        for (let n = start; n < Math.min(count, start + batch); n += 1) {
            const type = DATASET_TYPES[n % DATASET_TYPES.length];
            const key = `bk:${type}:${n}`;
            switch (type) {
                case "string":
                    pipeline.set(key, `value-${n}-${"x".repeat(n % 50)}`);
                    break;
                case "hash":
                    pipeline.hset(key, { field1: String(n), field2: `v${n * 7}`, nested: JSON.stringify({ n, even: n % 2 === 0 }) });
                    break;
                case "list":
                    pipeline.rpush(key, ...Array.from({ length: 1 + (n % 20) }, (_, i) => `item-${i}`));
                    break;
                case "set":
                    pipeline.sadd(key, ...Array.from({ length: 1 + (n % 15) }, (_, i) => `member-${(n + i) % 97}`));
                    break;
                case "zset":
                    pipeline.zadd(key, ...Array.from({ length: 1 + (n % 10) }, (_, i) => [String(i * 1.5 + n), `m${i}`]).flat());
                    break;
                case "stream":
                    pipeline.xadd(key, "*", "event", `e${n}`, "seq", String(n));
                    pipeline.xadd(key, "*", "event", `f${n}`);
                    break;
                case "binary":
                    pipeline.set(key, Buffer.from(Array.from({ length: 64 }, (_, i) => (n * 31 + i * 17) % 256)));
                    break;
                case "ttl":
                    // Long enough never to expire during a run, so the digest does not depend on timing.
                    pipeline.set(key, `expiring-${n}`, "EX", 86400);
                    break;
            }
        }
        const results = await pipeline.exec();
        const failed = results?.find(([error]) => error !== null);
        if (failed) {
            throw failed[0] as Error;
        }
        onProgress?.(Math.min(count, start + batch));
    }
}

/** The digest of a node's data and the number of keys it covers. */
export interface DatasetDigest {
    keys: number;
    /** sha256 over the sorted per-key lines. */
    digest: string;
    /** Per-key sha256 of `DUMP` (and the TTL flag), for naming the keys that differ. */
    perKey: Map<string, string>;
}

/** Serializes a reply (strings, buffers, numbers, nested arrays) unambiguously, for hashing. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonical).join(",")}]`;
    }
    if (Buffer.isBuffer(value)) {
        return `b:${value.toString("base64")}`;
    }
    return `${typeof value}:${String(value)}`;
}

/** Pairs a flat `[k1, v1, k2, v2, ...]` reply and sorts the pairs, for types whose order is not part of the value. */
function sortedPairs(flat: unknown[]): string[] {
    const pairs: string[] = [];
    for (let index = 0; index + 1 < flat.length; index += 2) {
        pairs.push(canonical([flat[index], flat[index + 1]]));
    }
    return pairs.sort();
}

/** Adds the command that reads a key's whole value, in a canonical order, to a pipeline. */
function readValue(pipeline: ReturnType<Redis["pipeline"]>, type: string, key: Buffer): void {
    switch (type) {
        case "string":
            pipeline.getBuffer(key);
            break;
        case "hash":
            pipeline.hgetallBuffer(key);
            break;
        case "list":
            pipeline.lrangeBuffer(key, 0, -1);
            break;
        case "set":
            pipeline.smembersBuffer(key);
            break;
        case "zset":
            pipeline.zrangeBuffer(key, 0, -1, "WITHSCORES");
            break;
        case "stream":
            pipeline.xrangeBuffer(key, "-", "+");
            break;
        default:
            pipeline.dumpBuffer(key);
    }
}

/** The canonical text of a value as {@link readValue} read it. */
function valueText(type: string, value: unknown): string {
    if (type === "hash" && value !== null && typeof value === "object" && !Array.isArray(value) && !Buffer.isBuffer(value)) {
        // ioredis turns HGETALL into an object of Buffers keyed by strings.
        return canonical(Object.entries(value as Record<string, Buffer>).map(([field, v]) => canonical([field, v])).sort());
    }
    if (type === "set" && Array.isArray(value)) {
        return canonical(value.map(canonical).sort());
    }
    if (type === "zset" && Array.isArray(value)) {
        // Sorted by score already; pairs keep members with equal scores comparable.
        return canonical(sortedPairs(value));
    }
    return canonical(value);
}

/**
 * Reads every key of database 0 with SCAN, TYPE, PTTL and the type's read command (run as a user allowed
 * them, such as admin). Values are compared in a canonical order (sets and hash fields sorted), because
 * `DUMP` bytes depend on the hash table's iteration order, which a reload changes.
 */
export async function datasetDigest(client: Redis): Promise<DatasetDigest> {
    const perKey = new Map<string, string>();
    let cursor = "0";
    do {
        const [next, keys] = await client.scanBuffer(cursor, "COUNT", 1000);
        cursor = String(next);
        if (keys.length === 0) {
            continue;
        }
        const meta = client.pipeline();
        for (const key of keys) {
            meta.type(key);
            meta.pttl(key);
        }
        const metaResults = (await meta.exec()) ?? [];
        const types = keys.map((_, index) => String(metaResults[index * 2][1]));
        const values = client.pipeline();
        keys.forEach((key, index) => readValue(values, types[index], key));
        const valueResults = (await values.exec()) ?? [];
        keys.forEach((key, index) => {
            const type = types[index];
            const [error, value] = valueResults[index];
            if (type === "none" || error !== null) {
                return; // Expired or deleted between SCAN and the read.
            }
            const ttl = Number(metaResults[index * 2 + 1][1]) > 0 ? "ttl" : "persistent";
            perKey.set(key.toString("base64"), createHash("sha256").update(`${type}\n${ttl}\n${valueText(type, value)}`).digest("hex"));
        });
    } while (cursor !== "0");
    const lines = [...perKey.entries()].map(([key, hash]) => `${key} ${hash}`).sort();
    return { keys: perKey.size, digest: createHash("sha256").update(lines.join("\n")).digest("hex"), perKey };
}

/** The keys whose content differs between two digests (missing on either side included), at most `limit`. */
export function digestDifferences(expected: DatasetDigest, actual: DatasetDigest, limit = 10): string[] {
    const differences: string[] = [];
    for (const [key, hash] of expected.perKey) {
        if (actual.perKey.get(key) !== hash) {
            differences.push(`${Buffer.from(key, "base64").toString()} ${actual.perKey.has(key) ? "differs" : "is missing"}`);
        }
    }
    for (const key of actual.perKey.keys()) {
        if (!expected.perKey.has(key)) {
            differences.push(`${Buffer.from(key, "base64").toString()} is unexpected`);
        }
    }
    return differences.slice(0, limit);
}
