import type Redis from "ioredis";
import type { Cluster } from "ioredis";
import type { WriteFn } from "./load";
import { keySlot } from "./slots";

/** SET then `WAIT 1`: acknowledged means a replica has the write. Both go over the client's one connection. */
export function sentinelWriter(client: Redis, waitMs = 200): WriteFn {
    return async (key, value) => {
        await client.set(key, value);
        const replicas = (await client.call("WAIT", "1", String(waitMs))) as number;
        return { acked: replicas >= 1 };
    };
}

function ownerOf(client: Cluster, key: string): string | undefined {
    return client.slots[keySlot(key)]?.[0];
}

/**
 * SET through the cluster client (which follows MOVED), then `WAIT 1` on the connection of the node that owns
 * the key's slot, the one the SET used. ioredis keeps one connection per node, and WAIT counts the writes of
 * its own connection. If the slot changed owner during the write, the write is not counted as acknowledged.
 */
export function clusterWriter(client: Cluster, waitMs = 200): WriteFn {
    return async (key, value) => {
        const before = ownerOf(client, key);
        await client.set(key, value);
        const owner = ownerOf(client, key);
        if (owner === undefined || owner !== before) {
            return { acked: false };
        }
        const node = client.nodes("master").find((candidate) => `${candidate.options.host}:${candidate.options.port}` === owner);
        if (!node) {
            return { acked: false };
        }
        const replicas = (await node.call("WAIT", "1", String(waitMs))) as number;
        return { acked: replicas >= 1 };
    };
}
