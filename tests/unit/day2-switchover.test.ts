import { strict as assert } from "node:assert";
import { switchoverArgsFrom } from "../../tools/day2/args";
import { parseDay2Args, DAY2_SPEC } from "../../tools/day2/cli";
import { flagsOf } from "../../tools/cli";
import { parseSwitchoverOutput, switchoverEnv } from "../../tools/day2/switchover";

const sentinelOutputs = {
    backend: "selfhosted",
    connection: { mode: "sentinel" as const, endpoints: [{ host: "s0.example", port: 26379 }, { host: "s1.example", port: 26379 }], sentinelMasterName: "redis-primary", tls: { enabled: true, caCertPem: "CA" } },
};

describe("day2 switchover: arguments, script environment and output", function () {
    it("parses switchover --to --outputs and its options", function () {
        assert.deepEqual(switchoverArgsFrom(flagsOf(DAY2_SPEC, ["--to", "redis-1", "--outputs", "-", "--json", "--timeout", "20"])), { to: "redis-1", outputs: "-", json: true, timeoutSeconds: 20 });
        assert.deepEqual(switchoverArgsFrom(flagsOf(DAY2_SPEC, ["--to", "10.0.0.5:6379", "--outputs", "o.json", "--client-cert", "c", "--client-key", "k"])), {
            to: "10.0.0.5:6379",
            outputs: "o.json",
            json: false,
            clientCertFile: "c",
            clientKeyFile: "k",
        });
    });

    it("refuses a missing or malformed --to, a missing --outputs and flags of the scenarios", function () {
        assert.throws(() => switchoverArgsFrom(flagsOf(DAY2_SPEC, ["--outputs", "-"])), /switchover needs --to <node>/);
        assert.throws(() => switchoverArgsFrom(flagsOf(DAY2_SPEC, ["--to", "redis-1; rm", "--outputs", "-"])), /--to redis-1; rm: must be one node's pod name, host or host:port/);
        assert.throws(() => switchoverArgsFrom(flagsOf(DAY2_SPEC, ["--to", "redis-1"])), /switchover needs --outputs/);
        assert.throws(() => switchoverArgsFrom(flagsOf(DAY2_SPEC, ["--to", "redis-1", "--outputs", "-", "--keep"])), /--keep belongs to the scenarios/);
        assert.throws(() => switchoverArgsFrom(flagsOf(DAY2_SPEC, ["--to", "redis-1", "--outputs", "-", "--timeout", "0"])), /--timeout 0: must be a whole number >= 1/);
        assert.throws(() => parseDay2Args(["--scenario", "switchover", "--to", "redis-1"]), /--to belongs to the switchover operation/);
        assert.throws(() => parseDay2Args(["--scenario", "switchover", "--to-server", "/x"]), /--to-server belongs to the upgrade-engine scenario, not switchover/);
        assert.deepEqual(parseDay2Args(["--scenario", "upgrade-engine", "--to-server", "/opt/valkey-server"]), { scenario: "upgrade-engine", json: false, keep: false, engineBinaries: { to: "/opt/valkey-server" } });
    });

    it("gives the script the sentinels, master name, TLS files and target", function () {
        assert.deepEqual(switchoverEnv(sentinelOutputs, "redis-1", { passwordDir: "/p", caFile: "/ca" }, 20), {
            REDIS_TOPOLOGY: "sentinel",
            REDIS_NODE_NAME: "switchover",
            REDIS_PASSWORD_DIR: "/p",
            REDIS_SWITCHOVER_TO: "redis-1",
            REDIS_TLS: "yes",
            REDIS_TLS_CA_FILE: "/ca",
            REDIS_SENTINELS: "s0.example:26379 s1.example:26379",
            REDIS_MASTER_NAME: "redis-primary",
            REDIS_SWITCHOVER_TIMEOUT: "20",
        });
        const cluster = { connection: { mode: "cluster" as const, endpoints: [{ host: "seed", port: 6379 }], tls: { enabled: false } } };
        assert.deepEqual(switchoverEnv(cluster, "redis-4", { passwordDir: "/p", clientCertFile: "/c", clientKeyFile: "/k" }), {
            REDIS_TOPOLOGY: "cluster",
            REDIS_NODE_NAME: "switchover",
            REDIS_PASSWORD_DIR: "/p",
            REDIS_SWITCHOVER_TO: "redis-4",
            REDIS_TLS: "no",
            REDIS_TLS_CLIENT_CERT_FILE: "/c",
            REDIS_TLS_CLIENT_KEY_FILE: "/k",
            REDIS_CLUSTER_SEEDS: "seed:6379",
        });
    });

    it("refuses managed backends, standalone deployments and TLS without a CA", function () {
        assert.throws(() => switchoverEnv({ ...sentinelOutputs, backend: "elasticache" }, "x", { passwordDir: "/p", caFile: "/ca" }), /backend "elasticache" manages its own failovers/);
        assert.throws(() => switchoverEnv({ connection: { mode: "standalone", endpoints: [{ host: "h", port: 1 }], tls: { enabled: false } } }, "x", { passwordDir: "/p" }), /a standalone deployment has one node/);
        assert.throws(() => switchoverEnv(sentinelOutputs, "x", { passwordDir: "/p" }), /connection.tls.caCertPem is missing/);
    });

    it("reads the moves the script prints and nothing else", function () {
        assert.deepEqual(parseSwitchoverOutput("noise\nswitched a:1 b:2\nunchanged c:3\n"), [
            { from: "a:1", to: "b:2", changed: true },
            { from: "c:3", to: "c:3", changed: false },
        ]);
    });
});
