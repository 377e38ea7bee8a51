import { strict as assert } from "node:assert";
import { credentialFor, overallStatus, parseConnection, parseCredentials, parseInfo, reconnectDelay, replicationState } from "../../client";

describe("client parsing and decisions", () => {
    it("reads a connection output and refuses malformed ones, naming the field", () => {
        const connection = {
            mode: "sentinel",
            endpoints: [{ host: "s0", port: 26379 }],
            sentinelMasterName: "main",
            tls: { enabled: true, caCertPem: "CA", serverName: "redis", clientCertRequired: false },
        };
        assert.deepEqual(parseConnection(connection), connection);
        assert.throws(() => parseConnection({ ...connection, mode: "ring" }), /connection.mode = "ring": must be "standalone", "sentinel" or "cluster"/);
        assert.throws(() => parseConnection({ ...connection, endpoints: [] }), /connection.endpoints must be a non-empty array/);
        assert.throws(() => parseConnection({ ...connection, endpoints: [{ host: "s0", port: 70000 }] }), /connection.endpoints\[0\].port = 70000/);
        assert.throws(() => parseConnection({ ...connection, sentinelMasterName: undefined }), /sentinelMasterName is required in sentinel mode/);
        assert.throws(() => parseConnection({ ...connection, tls: {} }), /connection.tls must be an object with a boolean "enabled"/);
    });

    it("reads credentials without ever echoing a password", () => {
        assert.deepEqual(parseCredentials({ app: { username: "app", password: "pw-123" } }), { app: { username: "app", password: "pw-123" } });
        assert.throws(() => parseCredentials("[secret]"), /--show-secrets/);
        try {
            parseCredentials({ app: { username: "app", password: 12345678 } });
            assert.fail("expected an error");
        } catch (error) {
            assert.match((error as Error).message, /credentials.app must be/);
            assert.doesNotMatch((error as Error).message, /12345678/);
        }
        assert.throws(() => credentialFor({ app: { username: "app", password: "pw" } }, "admin"), /no credential for user "admin"; the outputs have "app"$/);
    });

    it("parses INFO replication of a primary and a replica", () => {
        const primary = replicationState(
            parseInfo("# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=127.0.0.1,port=1,state=online,offset=90,lag=0\r\nslave1:ip=127.0.0.1,port=2,state=online,offset=100,lag=1\r\nmaster_repl_offset:100\r\n"),
        );
        assert.deepEqual(primary, { role: "primary", connectedReplicas: 2, maxReplicaLagBytes: 10 });
        const replica = replicationState(parseInfo("role:slave\nmaster_link_status:up\nmaster_last_io_seconds_ago:1\n"));
        assert.deepEqual(replica, { role: "replica", masterLinkStatus: "up", masterLastIoSecondsAgo: 1 });
        assert.deepEqual(replicationState({}), { role: "unknown" });
    });

    it("decides the overall health from primaries and replicas", () => {
        const up = { address: "a", reachable: true };
        assert.equal(overallStatus([up], []), "ok");
        assert.equal(overallStatus([], []), "down");
        assert.equal(overallStatus([up, { address: "b", reachable: false }], []), "down");
        assert.equal(overallStatus([up], [{ address: "r", reachable: false }]), "degraded");
        assert.equal(overallStatus([up], [{ address: "r", reachable: true, replication: { role: "replica", masterLinkStatus: "down" } }]), "degraded");
    });

    it("backs off exponentially to a cap and gives up after maxAttempts", () => {
        const policy = { baseDelayMs: 50, maxDelayMs: 300, maxAttempts: 5 };
        assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((attempt) => reconnectDelay(attempt, policy)), [null, 50, 100, 200, 300, 300, null]);
        assert.equal(reconnectDelay(1e9, { ...policy, maxAttempts: Infinity }), 300);
    });
});
