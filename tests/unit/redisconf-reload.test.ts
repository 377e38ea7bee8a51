import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { CONTAINER_PATHS } from "../../components/redisconf/layout";
import { aclApplyMethodFor, reloadEnvFor, renderReloadScript } from "../../components/redisconf/scripts/reload";
import { SHELL_PRELUDE } from "../../components/redisconf/scripts/common";

describe("redisconf: the reload sidecar script", function () {
    it("applies ACL files with ACL LOAD from Redis 7.2 and in every Valkey, with ACL SETUSER before", function () {
        assert.equal(aclApplyMethodFor({ name: "redis", version: "7.0" }), "setuser");
        assert.equal(aclApplyMethodFor({ name: "redis", version: "7.2" }), "load");
        assert.equal(aclApplyMethodFor({ name: "redis", version: "7.4" }), "load");
        assert.equal(aclApplyMethodFor({ name: "valkey", version: "7.2" }), "load");
        assert.equal(aclApplyMethodFor({ name: "valkey", version: "8.1" }), "load");
    });

    it("gives a data node's sidecar the ACL file, the apply method and the server certificate paths", function () {
        assert.deepEqual(reloadEnvFor({ node: { kind: "redis" }, paths: CONTAINER_PATHS, engine: { name: "redis", version: "7.2" }, tls: { enabled: true } }), {
            REDIS_RELOAD_KIND: "redis",
            REDIS_RELOAD_USER: "admin",
            REDIS_RELOAD_INTERVAL: "5",
            REDIS_ACL_FILE: "/etc/redis/acl/users.acl",
            REDIS_ACL_APPLY: "load",
            REDIS_TLS_CERT_FILE: "/etc/redis/tls/tls.crt",
            REDIS_TLS_KEY_FILE: "/etc/redis/tls/tls.key",
        });
    });

    it("gives a sentinel's sidecar its TLS action and no ACL file", function () {
        assert.deepEqual(reloadEnvFor({ node: { kind: "sentinel" }, paths: CONTAINER_PATHS, engine: { name: "redis", version: "7.0" }, tls: { enabled: false }, intervalSeconds: 2, sentinelTls: "restart" }), {
            REDIS_RELOAD_KIND: "sentinel",
            REDIS_RELOAD_USER: "sentinel",
            REDIS_RELOAD_INTERVAL: "2",
            REDIS_RELOAD_SENTINEL_TLS: "restart",
            REDIS_RELOAD_SENTINEL_STAGGER: "30",
        });
    });

    it("refuses an interval that is not a whole number of seconds from 1", function () {
        for (const intervalSeconds of [0, 1.5, -1]) {
            assert.throws(() => reloadEnvFor({ node: { kind: "redis" }, paths: CONTAINER_PATHS, engine: { name: "redis", version: "7.2" }, tls: { enabled: true }, intervalSeconds }), /intervalSeconds = .*whole number of seconds from 1/);
        }
    });

    it("is POSIX sh built on the shared prelude, reloading TLS with one CONFIG SET and never putting a password on a command line", function () {
        const script = renderReloadScript();
        assert.ok(script.startsWith("#!/bin/sh\n"));
        assert.ok(script.includes(SHELL_PRELUDE));
        execFileSync("sh", ["-n"], { input: script });
        assert.match(script, /CONFIG SET tls-cert-file \$REDIS_TLS_CERT_FILE tls-key-file \$REDIS_TLS_KEY_FILE tls-ca-cert-file \$REDIS_TLS_CA_FILE/);
        assert.match(script, /ACL LOAD/);
        assert.match(script, /ACL SETUSER/);
        // Every command that carries a password goes through node_run, which feeds redis-cli on stdin.
        assert.doesNotMatch(script, /redis-cli[^\n]*(-a |--pass)/);
        assert.match(script, /node_run "CONFIG SET masterauth \$_pw"/);
    });
});
