import { Cluster, Redis } from "ioredis";
import { parseInfo, replicationState, ReplicationState } from "./info";

/** The health of one node as seen by a client. */
export interface NodeHealth {
    /** `host:port` of the node. */
    address: string;
    /** Whether the node answered PING in time. */
    reachable: boolean;
    /** The PING round trip, in milliseconds. */
    latencyMs?: number;
    /** Replication state from INFO replication. */
    replication?: ReplicationState;
    /** Why the node is not healthy. Never holds a secret. */
    error?: string;
}

/**
 * What an application health endpoint can return.
 *
 * - `ok`: every node answered and every replica is linked to its primary.
 * - `degraded`: writes and reads work, but a replica is unreachable or not in sync.
 * - `down`: the primary (or, in a cluster, some primary) does not answer.
 */
export interface RedisHealth {
    status: "ok" | "degraded" | "down";
    /** `standalone` (a single-node client), `sentinel` or `cluster`. */
    mode: "standalone" | "sentinel" | "cluster";
    /** The ioredis connection status (`ready`, `reconnecting`, `end`, ...). */
    clientStatus: string;
    /** The PING round trip to the primary (the slowest primary in a cluster), in milliseconds. */
    latencyMs?: number;
    /** The node the client talks to (standalone, sentinel) or every node it knows (cluster). */
    nodes: NodeHealth[];
    /** When the check ran, ISO 8601. */
    checkedAt: string;
}

/** Options of {@link checkHealth}. */
export interface HealthOptions {
    /** How long each node may take to answer, in ms, so a health endpoint never hangs. @default 2000 */
    timeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function errorMessage(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

async function probeNode(node: Redis, address: string, timeoutMs: number): Promise<NodeHealth> {
    const started = process.hrtime.bigint();
    try {
        await withTimeout(node.ping(), timeoutMs);
    } catch (error) {
        return { address, reachable: false, error: errorMessage(error) };
    }
    const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    try {
        const replication = replicationState(parseInfo(await withTimeout(node.info("replication"), timeoutMs)));
        return { address, reachable: true, latencyMs, replication };
    } catch (error) {
        // A user without INFO still proves the node answers; the role stays unknown.
        return { address, reachable: true, latencyMs, error: `INFO replication: ${errorMessage(error)}` };
    }
}

function nodeAddress(node: Redis): string {
    const stream = (node as unknown as { stream?: { remoteAddress?: string; remotePort?: number } }).stream;
    if (stream?.remoteAddress !== undefined && stream.remotePort !== undefined) {
        return `${stream.remoteAddress}:${stream.remotePort}`;
    }
    return `${node.options.host ?? "?"}:${node.options.port ?? "?"}`;
}

/**
 * Decides the overall status from the nodes: pure, so the rules are unit-tested.
 *
 * @param primaries nodes that must answer for the deployment to serve
 * @param replicas nodes whose trouble only degrades it
 */
export function overallStatus(primaries: readonly NodeHealth[], replicas: readonly NodeHealth[]): RedisHealth["status"] {
    if (primaries.length === 0 || primaries.some((node) => !node.reachable)) {
        return "down";
    }
    const replicaTrouble = replicas.some((node) => !node.reachable || node.replication?.masterLinkStatus === "down");
    return replicaTrouble ? "degraded" : "ok";
}

/**
 * Checks a client's deployment: PING latency, role and replication state of the node(s) it uses. Never
 * throws: failures become `status: "down"` with the error on the node, so it can back an HTTP health endpoint
 * directly (answer 503 on `down`).
 *
 * @param client a client from {@link createRedisClient}
 * @param options the per-node timeout
 */
export async function checkHealth(client: Redis | Cluster, options: HealthOptions = {}): Promise<RedisHealth> {
    const timeoutMs = options.timeoutMs ?? 2000;
    const checkedAt = new Date().toISOString();
    if (client instanceof Cluster) {
        const masters = await Promise.all(client.nodes("master").map((node) => probeNode(node, nodeAddress(node), timeoutMs)));
        const replicas = await Promise.all(client.nodes("slave").map((node) => probeNode(node, nodeAddress(node), timeoutMs)));
        const latencies = masters.flatMap((node) => (node.latencyMs === undefined ? [] : [node.latencyMs]));
        return {
            status: overallStatus(masters, replicas),
            mode: "cluster",
            clientStatus: client.status,
            ...(latencies.length > 0 ? { latencyMs: Math.max(...latencies) } : {}),
            nodes: [...masters, ...replicas],
            checkedAt,
        };
    }
    const mode = client.options.sentinels !== undefined && client.options.sentinels !== null ? "sentinel" : "standalone";
    const node = await probeNode(client, nodeAddress(client), timeoutMs);
    // A replica-reading client counts as up while its replica serves and is linked.
    const isReplica = node.replication?.role === "replica";
    return {
        status: isReplica ? (node.reachable ? (node.replication?.masterLinkStatus === "up" ? "ok" : "degraded") : "down") : overallStatus([node], []),
        mode,
        clientStatus: client.status,
        ...(node.latencyMs !== undefined ? { latencyMs: node.latencyMs } : {}),
        nodes: [node],
        checkedAt,
    };
}
