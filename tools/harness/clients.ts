import { readFileSync } from "node:fs";
import Redis, { Cluster, RedisOptions } from "ioredis";
import type { HarnessCerts } from "./certs";

/** How a harness client proves itself and verifies the server. */
export interface ClientTls {
    enabled: boolean;
    certs: HarnessCerts;
    /** Present the client certificate (needed with mTLS). @default true */
    presentClientCert?: boolean;
    /** Verify against this CA file instead of the run's CA. */
    caFile?: string;
}

/** The `tls` option of ioredis for a harness client, or `undefined` without TLS. */
export function tlsOptions(tls: ClientTls): RedisOptions["tls"] | undefined {
    if (!tls.enabled) {
        return undefined;
    }
    const present = tls.presentClientCert ?? true;
    return {
        ca: readFileSync(tls.caFile ?? tls.certs.caFile),
        ...(present ? { cert: readFileSync(tls.certs.clientCertFile), key: readFileSync(tls.certs.clientKeyFile) } : {}),
    };
}

/** A single-node client that fails fast instead of retrying: for probes, checks and the ACL matrix. */
export function directClient(host: string, port: number, username: string | undefined, password: string | undefined, tls: ClientTls, extra: RedisOptions = {}): Redis {
    return new Redis({
        host,
        port,
        username,
        password,
        tls: tlsOptions(tls),
        lazyConnect: true,
        connectTimeout: 3000,
        commandTimeout: 5000,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: true,
        enableReadyCheck: false,
        ...extra,
    });
}

/** A client that follows the primary through the sentinels, as an application would. */
export function sentinelClient(
    sentinels: { host: string; port: number }[],
    masterName: string,
    username: string,
    password: string,
    tls: ClientTls,
    extra: RedisOptions = {},
): Redis {
    const tlsOpts = tlsOptions(tls);
    return new Redis({
        sentinels,
        name: masterName,
        role: "master",
        username,
        password,
        sentinelUsername: username,
        sentinelPassword: password,
        tls: tlsOpts,
        sentinelTLS: tlsOpts,
        enableTLSForSentinelMode: tls.enabled,
        connectTimeout: 1000,
        sentinelRetryStrategy: () => 100,
        retryStrategy: () => 100,
        // Off, as in client/createClient.ts: the detector can end the client during a failover (docs/client.md).
        failoverDetector: false,
        // A client that reached a node just demoted to replica must ask the sentinels again.
        reconnectOnError: (error) => (/READONLY/.test(error.message) ? 2 : false),
        ...extra,
    });
}

/** A cluster client, as an application would use it. */
export function clusterClient(seeds: { host: string; port: number }[], username: string, password: string, tls: ClientTls, extra: RedisOptions = {}): Cluster {
    return new Cluster(seeds, {
        redisOptions: { username, password, tls: tlsOptions(tls), connectTimeout: 1000, maxRetriesPerRequest: 1, ...extra },
        clusterRetryStrategy: () => 100,
        slotsRefreshTimeout: 1000,
        retryDelayOnFailover: 100,
        retryDelayOnClusterDown: 100,
        retryDelayOnTryAgain: 100,
        dnsLookup: (address, callback) => callback(null, address),
    });
}
