import { strict as assert } from "node:assert";
import type { ClusterOptions, RedisOptions } from "ioredis";
import type { RedisConnection } from "../../components/connection";
import { CLIENT_DEFAULTS, planClient, reconnectOnReadOnly, resolveClientOptions } from "../../client";

const credential = { username: "app", password: "not-a-real-password" };
const ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function redisOptions(connection: RedisConnection, options = {}): RedisOptions {
    const plan = planClient(connection, credential, options);
    assert.equal(plan.kind, "redis");
    return plan.options;
}

function clusterPlan(connection: RedisConnection, options = {}): { startupNodes: unknown; options: ClusterOptions } {
    const plan = planClient(connection, credential, options);
    assert.equal(plan.kind, "cluster");
    return plan;
}

describe("client options", () => {
    it("resolves the documented defaults", () => {
        assert.deepEqual(resolveClientOptions(), {
            connectTimeoutMs: 10000,
            commandTimeoutMs: 5000,
            maxRetriesPerRequest: 3,
            reconnect: { baseDelayMs: 100, maxDelayMs: 2000, maxAttempts: 60 },
            readFrom: "primary",
        });
        assert.equal(CLIENT_DEFAULTS.connectTimeoutMs, 10000);
    });

    it("refuses bad values, naming the option and the value", () => {
        assert.throws(() => resolveClientOptions({ connectTimeoutMs: 0 }), /connectTimeoutMs = 0: must be a whole number of milliseconds > 0/);
        assert.throws(() => resolveClientOptions({ commandTimeoutMs: 1.5 }), /commandTimeoutMs = 1.5/);
        assert.throws(() => resolveClientOptions({ maxRetriesPerRequest: -1 }), /maxRetriesPerRequest = -1/);
        assert.throws(() => resolveClientOptions({ readFrom: "nearest" as never }), /readFrom = "nearest": must be "primary", "replica" or "any"/);
        assert.throws(() => resolveClientOptions({ reconnect: { maxDelayMs: 50 } }), /reconnect.maxDelayMs = 50: must be a number of milliseconds at least baseDelayMs \(100\)/);
        assert.throws(() => resolveClientOptions({ reconnect: { maxAttempts: 2.5 } }), /reconnect.maxAttempts = 2.5/);
    });

    it("builds a standalone client with TLS, timeouts, bounded retries and backoff", () => {
        const options = redisOptions({ mode: "standalone", endpoints: [{ host: "redis.example", port: 6380 }], tls: { enabled: true, caCertPem: ca } });
        const { retryStrategy, reconnectOnError, tls, ...rest } = options;
        assert.deepEqual(rest, {
            username: "app",
            password: "not-a-real-password",
            connectTimeout: 10000,
            commandTimeout: 5000,
            maxRetriesPerRequest: 3,
            host: "redis.example",
            port: 6380,
        });
        assert.deepEqual(tls, { rejectUnauthorized: true, ca });
        assert.deepEqual([1, 2, 3, 4, 5, 6, 60, 61].map((attempt) => retryStrategy?.(attempt)), [100, 200, 400, 800, 1600, 2000, 2000, null]);
        assert.equal(reconnectOnError, reconnectOnReadOnly);
    });

    it("sends a command again after READONLY only", () => {
        assert.equal(reconnectOnReadOnly(new Error("READONLY You can't write against a read only replica.")), 2);
        assert.equal(reconnectOnReadOnly(new Error("NOPERM this user has no permissions")), false);
    });

    it("reads from the reader endpoint in standalone mode, and refuses without one", () => {
        const connection: RedisConnection = {
            mode: "standalone",
            endpoints: [{ host: "primary", port: 6379 }],
            readerEndpoints: [{ host: "reader", port: 6379 }],
            tls: { enabled: false },
        };
        const options = redisOptions(connection, { readFrom: "replica" });
        assert.equal(options.host, "reader");
        assert.equal(options.tls, undefined);
        assert.throws(() => planClient({ ...connection, readerEndpoints: undefined }, credential, { readFrom: "replica" }), /no readerEndpoints/);
    });

    it("builds a sentinel client: TLS to the sentinels, the sentinel user, the master name, the failover detector", () => {
        const connection: RedisConnection = {
            mode: "sentinel",
            endpoints: [
                { host: "s0", port: 26380 },
                { host: "s1", port: 26380 },
            ],
            sentinelMasterName: "main",
            tls: { enabled: true, caCertPem: ca, serverName: "redis.internal" },
        };
        const options = redisOptions(connection, { natMap: { "10.0.0.1:6380": { host: "127.0.0.1", port: 16380 } } });
        assert.deepEqual(options.sentinels, [
            { host: "s0", port: 26380 },
            { host: "s1", port: 26380 },
        ]);
        assert.equal(options.name, "main");
        assert.equal(options.role, "master");
        assert.equal(options.sentinelUsername, "app");
        assert.equal(options.sentinelPassword, "not-a-real-password");
        assert.equal(options.enableTLSForSentinelMode, true);
        assert.equal(options.sentinelTLS, options.tls);
        assert.equal(options.tls?.servername, "redis.internal");
        assert.equal(options.failoverDetector, false);
        assert.equal(options.sentinelCommandTimeout, 5000);
        assert.deepEqual(options.natMap, { "10.0.0.1:6380": { host: "127.0.0.1", port: 16380 } });
        assert.equal(options.sentinelRetryStrategy?.(100), null);

        const replica = redisOptions(connection, { readFrom: "replica", sentinelCredential: { username: "monitor", password: "other" } });
        assert.equal(replica.role, "slave");
        assert.equal(replica.sentinelUsername, "monitor");
        assert.equal(replica.username, "app");
        assert.throws(() => planClient({ ...connection, sentinelMasterName: undefined }, credential), /no sentinelMasterName/);
    });

    it("leaves TLS off for sentinels when the deployment has no TLS", () => {
        const options = redisOptions({ mode: "sentinel", endpoints: [{ host: "s0", port: 26379 }], sentinelMasterName: "m", tls: { enabled: false } });
        assert.equal(options.tls, undefined);
        assert.equal(options.sentinelTLS, undefined);
        assert.equal(options.enableTLSForSentinelMode, undefined);
    });

    it("builds a cluster client: seeds, TLS with host names kept, redirections, read routing and NAT", () => {
        const connection: RedisConnection = {
            mode: "cluster",
            endpoints: [
                { host: "n0", port: 7000 },
                { host: "n1", port: 7001 },
            ],
            tls: { enabled: true, caCertPem: ca },
        };
        const plan = clusterPlan(connection, { readFrom: "replica", natMap: { "n0:7000": { host: "127.0.0.1", port: 17000 } } });
        assert.deepEqual(plan.startupNodes, [
            { host: "n0", port: 7000 },
            { host: "n1", port: 7001 },
        ]);
        const { redisOptions: nodeOptions, clusterRetryStrategy, dnsLookup, ...rest } = plan.options;
        assert.deepEqual(rest, {
            scaleReads: "slave",
            maxRedirections: 16,
            slotsRefreshTimeout: 2000,
            enableReadyCheck: true,
            natMap: { "n0:7000": { host: "127.0.0.1", port: 17000 } },
        });
        assert.deepEqual(nodeOptions, {
            username: "app",
            password: "not-a-real-password",
            connectTimeout: 10000,
            commandTimeout: 5000,
            maxRetriesPerRequest: 3,
            tls: { rejectUnauthorized: true, ca },
        });
        assert.equal(clusterRetryStrategy?.(1), 100);
        let resolved: string | undefined;
        dnsLookup?.("n0.example", (_error, address) => {
            resolved = address;
        });
        assert.equal(resolved, "n0.example");
        assert.equal(clusterPlan(connection, { readFrom: "any" }).options.scaleReads, "all");
        assert.equal(clusterPlan({ ...connection, tls: { enabled: false } }).options.dnsLookup, undefined);
    });

    it("applies ioredis overrides last and honours lazyConnect", () => {
        const options = redisOptions({ mode: "standalone", endpoints: [{ host: "h", port: 1 }], tls: { enabled: false } }, { lazyConnect: true, connectionName: "orders", ioredis: { keyPrefix: "app:", commandTimeout: 100 } });
        assert.equal(options.lazyConnect, true);
        assert.equal(options.connectionName, "orders");
        assert.equal(options.keyPrefix, "app:");
        assert.equal(options.commandTimeout, 100);
        const cluster = clusterPlan({ mode: "cluster", endpoints: [{ host: "h", port: 1 }], tls: { enabled: false } }, { lazyConnect: true });
        assert.equal(cluster.options.lazyConnect, true);
        assert.equal(cluster.options.redisOptions?.lazyConnect, undefined);
    });

    it("refuses a connection without endpoints", () => {
        assert.throws(() => planClient({ mode: "cluster", endpoints: [], tls: { enabled: false } }, credential), /the cluster connection has no endpoints/);
    });
});
