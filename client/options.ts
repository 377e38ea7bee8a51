import type { ClusterOptions, NatMap, RedisOptions } from "ioredis";
import type { Credential, Endpoint, RedisConnection } from "../components/connection";
import { BackoffPolicy, reconnectDelay, validateBackoff } from "./backoff";
import { CLIENT_DEFAULTS } from "./defaults";
import { ClientCertificate, tlsConnectionOptions } from "./tlsOptions";

/**
 * Where reads go.
 *
 * - `primary`: every command goes to the primary (read-your-writes).
 * - `replica`: reads go to replicas. In cluster mode writes still go to primaries; in standalone and sentinel
 *   mode the client talks to one replica (or reader endpoint) only, so it is a read-only client: create a second
 *   client for writes.
 * - `any`: cluster mode only: reads go to primaries and replicas alike. Elsewhere it means `primary`.
 */
export type ReadFrom = "primary" | "replica" | "any";

/** Options of {@link createRedisClient}. Every one has a documented default. */
export interface ClientOptions {
    /** How long connecting (TCP, TLS and AUTH) may take, in ms. @default 10000 */
    connectTimeoutMs?: number;
    /** How long one command may wait for its reply, in ms, before it fails with "Command timed out". @default 5000 */
    commandTimeoutMs?: number;
    /** Reconnections a queued command survives before it fails with MaxRetriesPerRequestError. @default 3 */
    maxRetriesPerRequest?: number;
    /**
     * Reconnect backoff: `baseDelayMs` doubled per attempt up to `maxDelayMs`, and at most `maxAttempts`
     * attempts in a row before the client ends.
     * @default { baseDelayMs: 100, maxDelayMs: 2000, maxAttempts: 60 }
     */
    reconnect?: Partial<BackoffPolicy>;
    /** Where reads go. @default "primary" */
    readFrom?: ReadFrom;
    /** The certificate to present when the deployment requires mTLS. */
    clientCertificate?: ClientCertificate;
    /**
     * The user to authenticate to the sentinels with (sentinel mode). Our sentinels know every application,
     * read-only and monitor user with the same password, so by default the data credential is used.
     * @default the `credential` argument
     */
    sentinelCredential?: Credential;
    /**
     * Maps the addresses nodes announce to the ones this client can reach (cluster and sentinel mode), e.g.
     * `{ "redis-0.redis:6380": { host: "127.0.0.1", port: 16380 } }` through a port-forward.
     */
    natMap?: NatMap;
    /** The name the client shows in CLIENT LIST. */
    connectionName?: string;
    /** Do not connect until the first command or `connect()`. @default false */
    lazyConnect?: boolean;
    /** ioredis options applied last (e.g. `keyPrefix`, `enableAutoPipelining`); they override the ones above. */
    ioredis?: RedisOptions;
}

/** Every option with its default applied. */
export interface ResolvedClientOptions {
    connectTimeoutMs: number;
    commandTimeoutMs: number;
    maxRetriesPerRequest: number;
    reconnect: BackoffPolicy;
    readFrom: ReadFrom;
}

/**
 * Applies the defaults and checks the values.
 *
 * @throws Error naming the option, the value and what is allowed
 */
export function resolveClientOptions(options: ClientOptions = {}): ResolvedClientOptions {
    const resolved: ResolvedClientOptions = {
        connectTimeoutMs: options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs,
        commandTimeoutMs: options.commandTimeoutMs ?? CLIENT_DEFAULTS.commandTimeoutMs,
        maxRetriesPerRequest: options.maxRetriesPerRequest ?? CLIENT_DEFAULTS.maxRetriesPerRequest,
        reconnect: {
            baseDelayMs: options.reconnect?.baseDelayMs ?? CLIENT_DEFAULTS.reconnectBaseDelayMs,
            maxDelayMs: options.reconnect?.maxDelayMs ?? CLIENT_DEFAULTS.reconnectMaxDelayMs,
            maxAttempts: options.reconnect?.maxAttempts ?? CLIENT_DEFAULTS.maxReconnectAttempts,
        },
        readFrom: options.readFrom ?? CLIENT_DEFAULTS.readFrom,
    };
    for (const key of ["connectTimeoutMs", "commandTimeoutMs"] as const) {
        if (!Number.isInteger(resolved[key]) || resolved[key] <= 0) {
            throw new Error(`${key} = ${resolved[key]}: must be a whole number of milliseconds > 0`);
        }
    }
    if (!Number.isInteger(resolved.maxRetriesPerRequest) || resolved.maxRetriesPerRequest < 0) {
        throw new Error(`maxRetriesPerRequest = ${resolved.maxRetriesPerRequest}: must be a whole number >= 0`);
    }
    if (!["primary", "replica", "any"].includes(resolved.readFrom)) {
        throw new Error(`readFrom = "${resolved.readFrom}": must be "primary", "replica" or "any"`);
    }
    validateBackoff(resolved.reconnect);
    return resolved;
}

/** What {@link createRedisClient} will construct: an ioredis `Redis` or `Cluster` and its options. */
export type ClientPlan =
    | { kind: "redis"; options: RedisOptions }
    | { kind: "cluster"; startupNodes: Endpoint[]; options: ClusterOptions };

/**
 * Sends a command again on a fresh connection when a node answers READONLY: after a failover the old primary
 * is a replica, and a client still connected to it must find the new one.
 */
export function reconnectOnReadOnly(error: Error): boolean | 2 {
    return /^READONLY/.test(error.message) ? 2 : false;
}

/**
 * Decides everything {@link createRedisClient} constructs, without connecting: pure, so each mode's options
 * are unit-tested.
 *
 * @throws Error when the connection and options do not fit (no endpoint, no master name, mTLS without a
 *   client certificate, `readFrom: "replica"` without replicas to read from)
 */
export function planClient(connection: RedisConnection, credential: Credential, options: ClientOptions = {}): ClientPlan {
    const resolved = resolveClientOptions(options);
    if (connection.endpoints.length === 0) {
        throw new Error(`the ${connection.mode} connection has no endpoints`);
    }
    const tls = tlsConnectionOptions(connection.tls, options.clientCertificate);
    const retry = (attempt: number): number | null => reconnectDelay(attempt, resolved.reconnect);
    const common: RedisOptions = {
        username: credential.username,
        password: credential.password,
        connectTimeout: resolved.connectTimeoutMs,
        commandTimeout: resolved.commandTimeoutMs,
        maxRetriesPerRequest: resolved.maxRetriesPerRequest,
        ...(tls ? { tls } : {}),
        ...(options.connectionName !== undefined ? { connectionName: options.connectionName } : {}),
    };
    const lazy: RedisOptions = options.lazyConnect ? { lazyConnect: true } : {};

    switch (connection.mode) {
        case "standalone": {
            let target = connection.endpoints[0];
            if (resolved.readFrom === "replica") {
                const reader = connection.readerEndpoints?.[0];
                if (reader === undefined) {
                    throw new Error('readFrom = "replica": this standalone connection has no readerEndpoints; use readFrom "primary"');
                }
                target = reader;
            }
            return {
                kind: "redis",
                options: { ...common, ...lazy, host: target.host, port: target.port, retryStrategy: retry, reconnectOnError: reconnectOnReadOnly, ...options.ioredis },
            };
        }
        case "sentinel": {
            const name = connection.sentinelMasterName;
            if (name === undefined || name === "") {
                throw new Error("the sentinel connection has no sentinelMasterName");
            }
            const sentinelCredential = options.sentinelCredential ?? credential;
            return {
                kind: "redis",
                options: {
                    ...common,
                    ...lazy,
                    sentinels: connection.endpoints.map(({ host, port }) => ({ host, port })),
                    name,
                    role: resolved.readFrom === "replica" ? "slave" : "master",
                    sentinelUsername: sentinelCredential.username,
                    sentinelPassword: sentinelCredential.password,
                    ...(tls ? { sentinelTLS: tls, enableTLSForSentinelMode: true } : {}),
                    sentinelCommandTimeout: resolved.commandTimeoutMs,
                    retryStrategy: retry,
                    sentinelRetryStrategy: retry,
                    // No failoverDetector: in ioredis 5 a +switch-master that arrives while the client is asking the
                    // sentinels (after a kill -9 of the primary) aborts that attempt and ends the client for good
                    // (status "end", "Connection is closed."). The sentinels CLIENT KILL every client of a demoted
                    // primary and a dead one refuses connections, so the client re-asks them without it.
                    failoverDetector: false,
                    reconnectOnError: reconnectOnReadOnly,
                    ...(options.natMap !== undefined ? { natMap: options.natMap } : {}),
                    ...options.ioredis,
                },
            };
        }
        case "cluster": {
            const scaleReads = resolved.readFrom === "replica" ? "slave" : resolved.readFrom === "any" ? "all" : "master";
            return {
                kind: "cluster",
                startupNodes: connection.endpoints.map(({ host, port }) => ({ host, port })),
                options: {
                    redisOptions: { ...common, ...options.ioredis },
                    clusterRetryStrategy: retry,
                    scaleReads,
                    maxRedirections: CLIENT_DEFAULTS.maxRedirections,
                    slotsRefreshTimeout: CLIENT_DEFAULTS.slotsRefreshTimeoutMs,
                    enableReadyCheck: true,
                    ...(options.lazyConnect ? { lazyConnect: true } : {}),
                    ...(options.natMap !== undefined ? { natMap: options.natMap } : {}),
                    // ioredis resolves host names to IPs before connecting, and TLS would then verify the certificate
                    // against the IP; keeping the name lets the certificate's DNS names match.
                    ...(tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
                },
            };
        }
        default: {
            const mode: never = connection.mode;
            throw new Error(`connection.mode = "${String(mode)}": must be "standalone", "sentinel" or "cluster"`);
        }
    }
}
