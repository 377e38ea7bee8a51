import { strict as assert } from "node:assert";
import { connectionUrl, parseConnectionUrl, RedisConnection } from "../../components/connection";
import { connectionFromUrl } from "../../client/url";
import { planClient } from "../../client/options";

const sentinel: RedisConnection = {
    mode: "sentinel",
    endpoints: [
        { host: "redis-sentinel-0.redis", port: 26379 },
        { host: "redis-sentinel-1.redis", port: 26379 },
        { host: "::1", port: 26380 },
    ],
    sentinelMasterName: "redis-primary",
    tls: { enabled: true, caCertPem: "CA" },
};

describe("connection URL per mode", () => {
    it("sentinel: every sentinel and the master name behind +sentinel, never a sentinel as a data node", () => {
        const url = connectionUrl(sentinel, { username: "a@b", password: "p/w:x" });
        assert.equal(url, "rediss+sentinel://a%40b:p%2Fw%3Ax@redis-sentinel-0.redis:26379,redis-sentinel-1.redis:26379,[::1]:26380/redis-primary");
        assert.equal(connectionUrl({ ...sentinel, tls: { enabled: false } }, { username: "u", password: "p" }).startsWith("redis+sentinel://u:p@"), true);
        assert.throws(() => connectionUrl({ ...sentinel, sentinelMasterName: undefined }, { username: "u", password: "p" }), /no sentinelMasterName/);
    });

    it("reads back what it writes, for sentinel and standalone", () => {
        const credential = { username: "a@b", password: "p/w:x@y" };
        const parsed = parseConnectionUrl(connectionUrl(sentinel, credential));
        assert.deepEqual(parsed, { connection: { mode: "sentinel", endpoints: sentinel.endpoints, sentinelMasterName: "redis-primary", tls: { enabled: true } }, credential });
        const standalone: RedisConnection = { mode: "standalone", endpoints: [{ host: "h.example", port: 6380 }], tls: { enabled: false } };
        assert.deepEqual(parseConnectionUrl(connectionUrl(standalone, credential)), { connection: standalone, credential });
    });

    it("refuses malformed URLs without printing the password", () => {
        for (const [url, pattern] of [
            ["http://u:secret1@h:1", /must be redis\[s\]:\/\//],
            ["redis+sentinel://u:secret1@h:1", /must end with \/<masterName>/],
            ["redis://u:secret1@a:1,b:2", /exactly one host:port/],
            ["redis://u:secret1@h:70000", /port from 1 to 65535/],
        ] as const) {
            assert.throws(() => parseConnectionUrl(url), (error: Error) => pattern.test(error.message) && !error.message.includes("secret1"));
        }
    });

    it("the client plans a Sentinel client from the URL: sentinels, master name, TLS with the CA given", () => {
        const { connection, credential } = connectionFromUrl(connectionUrl(sentinel, { username: "app", password: "pw" }), { caCertPem: "CA" });
        const plan = planClient(connection, credential);
        assert.equal(plan.kind, "redis");
        const options = plan.options as Record<string, unknown>;
        assert.deepEqual(options.sentinels, sentinel.endpoints);
        assert.equal(options.name, "redis-primary");
        assert.equal(options.sentinelUsername, "app");
        assert.equal((options.tls as { ca: string }).ca, "CA");
        assert.throws(() => connectionFromUrl("redis://u:p@h:1", { caCertPem: "CA" }), /redis:\/\/ \(no TLS\)/);
    });
});
