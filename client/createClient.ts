import { Cluster, Command, Redis } from "ioredis";
import type { Credential, RedisConnection } from "../components/connection";
import { ClientOptions, planClient } from "./options";
import { proxyCommandProblem } from "./proxyCommands";
import { connectionFromUrl, UrlClientOptions } from "./url";

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
 *
 * // or from the stack's `url` output (`rediss+sentinel://user:pass@s1:26379,s2:26379/mymaster` for Sentinel)
 * const fromUrl = createRedisClient(outputs.url, { tls: { caCertPem: outputs.connection.tls.caCertPem } });
 * ```
 */
export function createRedisClient(connection: RedisConnection, credential: Credential, options?: ClientOptions): Redis | Cluster;
/**
 * Creates an ioredis client from the stack's `url` output: `redis[s]://` for one node, `redis[s]+sentinel://`
 * for a Sentinel deployment (every sentinel and the master name). A cluster needs the `connection` output.
 *
 * @param url the stack's `url` output
 * @param options as for the connection form, plus the TLS settings a URL cannot carry
 */
export function createRedisClient(url: string, options?: UrlClientOptions): Redis | Cluster;
export function createRedisClient(target: RedisConnection | string, second?: Credential | UrlClientOptions, third: ClientOptions = {}): Redis | Cluster {
    let connection: RedisConnection;
    let credential: Credential;
    let options: ClientOptions;
    if (typeof target === "string") {
        const { tls, ...rest } = (second ?? {}) as UrlClientOptions;
        ({ connection, credential } = connectionFromUrl(target, tls));
        options = rest;
    } else {
        connection = target;
        credential = second as Credential;
        options = third;
    }
    if (connection.proxy === "envoy" && options.connectionName !== undefined) {
        throw new Error("options.connectionName: ioredis names the connection with CLIENT SETNAME, which the Envoy proxy does not support (docs/proxy.md); drop it");
    }
    const plan = planClient(connection, credential, options);
    if (plan.kind === "cluster") {
        return new Cluster(plan.startupNodes, plan.options);
    }
    const client = new Redis(plan.options);
    return connection.proxy === "envoy" ? refuseUnproxiedCommands(client) : client;
}

/**
 * Makes a client of the Envoy proxy refuse, before sending, every command Envoy does not support (see
 * {@link proxyCommandProblem}): the command's promise rejects with the reason instead of Envoy's bare
 * `ERR unknown command`, and nothing reaches the wire.
 */
export function refuseUnproxiedCommands(client: Redis): Redis {
    const send = client.sendCommand.bind(client);
    client.sendCommand = ((command: Command, stream?: Parameters<Redis["sendCommand"]>[1]) => {
        const problem = proxyCommandProblem(command.name, command.args);
        if (problem !== undefined) {
            command.reject(new Error(problem));
            return command.promise;
        }
        return send(command, stream);
    }) as Redis["sendCommand"];
    return client;
}
