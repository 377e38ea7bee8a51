import { Redis } from "ioredis";
import type { ConnectionOptions } from "node:tls";
import type { Credential, Endpoint } from "../../components/connection";

export { parseClusterNodes } from "../../client/clusterNodes";
export type { ClusterNodeLine } from "../../client/clusterNodes";

/** How `verify` reaches nodes: the TLS options (or none) and its timeouts. */
export interface NodeAccess {
    tls?: ConnectionOptions;
    connectTimeoutMs: number;
    commandTimeoutMs: number;
}

/** `host:port`, with IPv6 hosts in brackets. */
export function addressOf(endpoint: Endpoint): string {
    return endpoint.host.includes(":") ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

/**
 * Opens a fail-fast connection to one node (no retries, no offline queue, no ready check) logged in as
 * `credential`, or unauthenticated when it is `undefined`.
 *
 * @throws the connection or AUTH error
 */
export async function openNode(endpoint: Endpoint, credential: Credential | undefined, access: NodeAccess): Promise<Redis> {
    const client = new Redis({
        host: endpoint.host,
        port: endpoint.port,
        ...(credential ? { username: credential.username, password: credential.password } : {}),
        ...(access.tls ? { tls: access.tls } : {}),
        lazyConnect: true,
        connectTimeout: access.connectTimeoutMs,
        commandTimeout: access.commandTimeoutMs,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
        enableReadyCheck: false,
        disableClientInfo: true,
    });
    client.on("error", () => undefined);
    try {
        await client.connect();
    } catch (error) {
        client.disconnect();
        throw error;
    }
    return client;
}

/** Runs `use` with a node connection and always closes it. */
export async function withNode<T>(endpoint: Endpoint, credential: Credential | undefined, access: NodeAccess, use: (client: Redis) => Promise<T>): Promise<T> {
    const client = await openNode(endpoint, credential, access);
    try {
        return await use(client);
    } finally {
        client.disconnect();
    }
}

/** The message of an error, or the value as text. */
export function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** Pairs a flat `[k1, v1, k2, v2, ...]` reply (SENTINEL MASTER, ACL GETUSER) into an object of strings. */
export function pairs(reply: unknown): Record<string, string> {
    const result: Record<string, string> = {};
    if (Array.isArray(reply)) {
        for (let i = 0; i + 1 < reply.length; i += 2) {
            const value = reply[i + 1];
            result[String(reply[i])] = Array.isArray(value) ? value.join(" ") : String(value);
        }
    }
    return result;
}

