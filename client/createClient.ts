import { Cluster, Redis } from "ioredis";
import type { Credential, RedisConnection } from "../components/connection";
import { ClientOptions, planClient } from "./options";

/**
 * Creates an ioredis client for a deployment from the stack's `connection` output and one user's credential:
 * a `Redis` in standalone and sentinel mode (following the primary through the sentinels), a `Cluster` in
 * cluster mode. TLS certificates are always verified. See {@link ClientOptions} for timeouts, reconnect
 * backoff, reading from replicas and mTLS.
 *
 * The client connects at once unless `lazyConnect` is set. Attach an `error` listener: ioredis emits one for
 * every failed connection attempt and an unhandled `error` event ends a Node process.
 *
 * @param connection the stack's `connection` output
 * @param credential the user to log in as, e.g. `credentials.app` from the stack's `credentials` output
 * @param options timeouts, backoff, read routing and TLS client certificate; all optional
 * @throws Error when the connection and options do not fit (see {@link planClient})
 *
 * @example
 * ```ts
 * const redis = createRedisClient(outputs.connection, outputs.credentials.app);
 * redis.on("error", (error) => log.warn({ error: error.message }, "redis"));
 * await redis.set("app:greeting", "hello");
 * ```
 */
export function createRedisClient(connection: RedisConnection, credential: Credential, options: ClientOptions = {}): Redis | Cluster {
    const plan = planClient(connection, credential, options);
    return plan.kind === "cluster" ? new Cluster(plan.startupNodes, plan.options) : new Redis(plan.options);
}
