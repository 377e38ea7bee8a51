import { strict as assert } from "node:assert";
import { renderDeployment, DeploymentConfig } from "../../components/redisconf/deployment";
import { CONTAINER_PATHS } from "../../components/redisconf/layout";
import { renderRedisConf } from "../../components/redisconf/redisConf";
import { engineStartEnvFor } from "../../components/redisconf/engineUpgrade";
import { buildTopology, slotRanges, NodeIdentity } from "../../components/redisconf/topology";
import { FAILOVER_TIMING } from "../../components/redisconf/timing";
import { cpuCores, ioThreadsFor, minReplicasToWriteFor } from "../../components/redisconf/tuning";
import { aclEntriesFor, systemUserNames } from "../../components/redisconf/users";
import { localStackConfig, asDeploymentConfig } from "../../tools/harness/config";

const place = (node: NodeIdentity) => ({ announceHost: `${node.name}.test`, port: node.kind === "sentinel" ? 26379 : 6379, busPort: 16379 });
const PASSWORD = "unit-test-password";

function deploymentFor(options: Parameters<typeof localStackConfig>[0], engine = { name: "redis" as const, version: "7.2" }) {
    const config: DeploymentConfig = asDeploymentConfig(localStackConfig(options));
    const passwordsByUser = Object.fromEntries(
        [...systemUserNames(config.selfhosted), ...config.acl.users.map((u) => u.name)].map((user) => [user, [PASSWORD]]),
    );
    return renderDeployment({ config, place, pathsFor: () => CONTAINER_PATHS, passwordsByUser, engine });
}

function lines(text: string): string[] {
    return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
}

describe("redisconf: topology", function () {
    it("names sentinel nodes, designates redis-0 and takes a majority quorum", function () {
        const topology = buildTopology(asDeploymentConfig(localStackConfig({ topology: "sentinel", sentinels: 5 })).selfhosted, place);
        assert.deepEqual(topology.dataNodes.map((n) => [n.name, n.initialRole]), [["redis-0", "primary"], ["redis-1", "replica"], ["redis-2", "replica"]]);
        assert.deepEqual(topology.sentinels.map((n) => n.name), ["sentinel-0", "sentinel-1", "sentinel-2", "sentinel-3", "sentinel-4"]);
        assert.equal(topology.quorum, 3);
    });

    it("numbers cluster primaries first and pairs replicas by shard", function () {
        const topology = buildTopology(asDeploymentConfig(localStackConfig({ topology: "cluster", shards: 3, replicasPerShard: 1 })).selfhosted, place);
        assert.deepEqual(topology.shards, [
            { primary: "redis-0", replicas: ["redis-3"] },
            { primary: "redis-1", replicas: ["redis-4"] },
            { primary: "redis-2", replicas: ["redis-5"] },
        ]);
    });

    it("splits 16384 slots without gaps", function () {
        assert.deepEqual(slotRanges(3), [[0, 5461], [5462, 10922], [10923, 16383]]);
        assert.equal(slotRanges(7).reduce((sum, [a, b]) => sum + b - a + 1, 0), 16384);
    });
});

describe("redisconf: tuning", function () {
    it("parses CPU quantities and sizes io-threads", function () {
        assert.deepEqual(["500m", "1", "1.5", "8"].map(cpuCores), [0.5, 1, 1.5, 8]);
        assert.deepEqual([0.5, 2, 4, 8, 16].map(ioThreadsFor), [1, 1, 3, 7, 8]);
        assert.throws(() => cpuCores("two"), /not a CPU quantity/);
    });

    it("asks one replica acknowledgement only of primaries with two replicas or more", function () {
        assert.deepEqual([0, 1, 2, 3].map(minReplicasToWriteFor), [0, 0, 1, 1]);
    });
});

describe("redisconf: users", function () {
    it("creates the system users each topology needs, then the stack's users", function () {
        const sentinel = asDeploymentConfig(localStackConfig({ topology: "sentinel" }));
        assert.deepEqual(systemUserNames(sentinel.selfhosted), ["admin", "monitor", "backup", "replication", "sentinel"]);
        assert.deepEqual(systemUserNames(asDeploymentConfig(localStackConfig({ topology: "cluster" })).selfhosted), ["admin", "monitor", "backup", "replication"]);
        assert.deepEqual(systemUserNames(asDeploymentConfig(localStackConfig({ topology: "standalone" })).selfhosted), ["admin", "monitor", "backup"]);
        const entries = aclEntriesFor(sentinel, Object.fromEntries(["admin", "monitor", "backup", "replication", "sentinel", "app", "reporting"].map((u) => [u, ["p1", "p0"]])));
        assert.deepEqual(entries.map((e) => [e.name, e.role, e.passwords.length]), [
            ["admin", "admin", 2], ["monitor", "monitor", 2], ["backup", "backup", 2], ["replication", "replication", 2],
            ["sentinel", "sentinel", 2], ["app", "app", 2], ["reporting", "readonly", 2],
        ]);
    });

    it("names the user whose password is missing", function () {
        assert.throws(() => aclEntriesFor(asDeploymentConfig(localStackConfig({ topology: "standalone" })), { admin: ["x"] }), /no password for ACL user "monitor"/);
    });
});

describe("redisconf: redis.conf", function () {
    it("is TLS-only, with replication over TLS and client certificates per mTLS", function () {
        const conf = deploymentFor({ topology: "sentinel" }).nodes[0].config;
        const body = lines(conf);
        for (const line of ["port 0", "tls-port 6379", "tls-replication yes", "tls-auth-clients no", `tls-ca-cert-file ${CONTAINER_PATHS.tls.caFile}`, `aclfile ${CONTAINER_PATHS.aclFile}`, "masteruser replication", "min-replicas-to-write 1", "replica-announce-ip redis-0.test"]) {
            assert.ok(body.includes(line), `missing: ${line}`);
        }
        assert.ok(!body.some((line) => line.startsWith("tls-cluster")));
        assert.ok(lines(deploymentFor({ topology: "sentinel", mtls: true }).nodes[0].config).includes("tls-auth-clients yes"));
    });

    it("holds no password", function () {
        for (const node of deploymentFor({ topology: "sentinel" }).nodes) {
            assert.ok(!node.config.includes(PASSWORD), node.node.name);
        }
    });

    it("renders the cluster section, with the 7.2-only directive only from 7.2 on", function () {
        const on72 = lines(deploymentFor({ topology: "cluster" }).nodes[0].config);
        for (const line of ["cluster-enabled yes", "tls-cluster yes", `cluster-config-file ${CONTAINER_PATHS.dataDir}/nodes.conf`, "cluster-port 16379", "cluster-announce-hostname redis-0.test", "cluster-require-full-coverage no", "cluster-node-timeout 2500", "min-replicas-to-write 0", "cluster-announce-human-nodename redis-0"]) {
            assert.ok(on72.includes(line), `missing: ${line}`);
        }
        const on70 = lines(deploymentFor({ topology: "cluster" }, { name: "redis", version: "7.0" }).nodes[0].config);
        assert.ok(!on70.some((line) => line.startsWith("cluster-announce-human-nodename")));
        assert.ok(lines(deploymentFor({ topology: "cluster", failover: "fast" }).nodes[0].config).includes(`cluster-node-timeout ${FAILOVER_TIMING.fast.clusterNodeTimeoutMs}`));
    });

    it("persists per profile", function () {
        const persistence = (options: Parameters<typeof localStackConfig>[0]) =>
            lines(deploymentFor(options).nodes[0].config).filter((line) => /^(save|appendonly|appendfsync|aof-use-rdb-preamble) /.test(line));
        assert.deepEqual(persistence({ topology: "standalone", profile: "durable" }), ['save ""', "appendonly yes", "appendfsync always", "aof-use-rdb-preamble yes"]);
        assert.deepEqual(persistence({ topology: "standalone", profile: "session" }), ['save ""', "appendonly yes", "appendfsync everysec", "aof-use-rdb-preamble yes"]);
        assert.deepEqual(persistence({ topology: "standalone", profile: "cache" }), ["save 3600 1 300 100 60 10000", "appendonly no"]);
        assert.deepEqual(persistence({ topology: "standalone", profile: "cache", persistence: "none" }), ['save ""', "appendonly no"]);
    });

    it("listens on plain ports when TLS is off", function () {
        const body = lines(deploymentFor({ topology: "standalone", tls: false }).nodes[0].config);
        assert.ok(body.includes("port 6379"));
        assert.ok(!body.some((line) => line.startsWith("tls-")));
    });

    it("announces published ports that differ from the listening ones", function () {
        const config = asDeploymentConfig(localStackConfig({ topology: "cluster" }));
        const topology = buildTopology(config.selfhosted, (node) => ({ announceHost: "127.0.0.1", port: 7000 + node.index, busPort: 17000 + node.index }));
        const conf = renderRedisConf({
            engine: { name: "redis", version: "7.2" }, topology, node: topology.dataNodes[1], paths: CONTAINER_PATHS, tls: { enabled: true, mtls: false },
            listenPort: 6379, listenBusPort: 16379, maxmemoryMiB: 100, evictionPolicy: "noeviction", persistence: { mode: "aof", appendfsync: "everysec" }, cpuCores: 1, timing: FAILOVER_TIMING.standard,
        });
        const body = lines(conf);
        for (const line of ["tls-port 6379", "cluster-port 16379", "cluster-announce-tls-port 7001", "cluster-announce-bus-port 17001"]) {
            assert.ok(body.includes(line), `missing: ${line}`);
        }
    });
});

describe("redisconf: sentinel.conf", function () {
    it("monitors the designated primary with a majority quorum and the profile's timing", function () {
        const rendered = deploymentFor({ topology: "sentinel", failover: "fast" });
        const sentinel = rendered.nodes.find((n) => n.node.name === "sentinel-1");
        assert.ok(sentinel);
        const body = lines(sentinel.config);
        for (const line of [
            "sentinel monitor redis-primary redis-0.test 6379 2",
            "sentinel auth-user redis-primary sentinel",
            `sentinel down-after-milliseconds redis-primary ${FAILOVER_TIMING.fast.downAfterMs}`,
            `sentinel failover-timeout redis-primary ${FAILOVER_TIMING.fast.failoverTimeoutMs}`,
            "sentinel parallel-syncs redis-primary 1",
            "sentinel resolve-hostnames yes",
            "sentinel announce-hostnames yes",
            "sentinel announce-ip sentinel-1.test",
            "sentinel sentinel-user sentinel",
            "port 0",
            "tls-port 26379",
            "tls-replication yes",
            "user default reset off resetkeys resetchannels -@all",
        ]) {
            assert.ok(body.includes(line), `missing: ${line}`);
        }
        const users = body.filter((line) => line.startsWith("user ")).map((line) => line.split(" ")[1]);
        assert.deepEqual(users, ["default", "admin", "monitor", "sentinel", "app", "reporting"]);
        assert.ok(!sentinel.config.includes(PASSWORD));
        assert.ok(!body.some((line) => line.includes("auth-pass")));
    });
});

describe("redisconf: scripts and their environment", function () {
    it("renders the same script text for every node; only the environment differs", function () {
        const a = deploymentFor({ topology: "sentinel" });
        const b = deploymentFor({ topology: "cluster" });
        assert.equal(a.scripts["redis-start.sh"], b.scripts["redis-start.sh"]);
        assert.equal(a.scripts["redis-prestop.sh"], b.scripts["redis-prestop.sh"]);
        for (const text of Object.values(a.scripts)) {
            assert.ok(text.startsWith("#!/bin/sh\n"));
            assert.ok(!text.includes(PASSWORD));
            assert.ok(!/ -a /.test(text) && !text.includes("--pass"), "passwords must not go on a command line");
        }
        assert.deepEqual(a.nodes[1].env, {
            REDIS_TOPOLOGY: "sentinel",
            REDIS_NODE_NAME: "redis-1",
            REDIS_ANNOUNCE_HOST: "redis-1.test",
            REDIS_PORT: "6379",
            REDIS_LOCAL_PORT: "6379",
            REDIS_CONF_FILE: CONTAINER_PATHS.configFile,
            REDIS_DATA_DIR: CONTAINER_PATHS.dataDir,
            REDIS_PASSWORD_DIR: CONTAINER_PATHS.passwordDir,
            REDIS_TLS: "yes",
            REDIS_START_TIMEOUT: "60",
            REDIS_TLS_CA_FILE: CONTAINER_PATHS.tls.caFile,
            REDIS_TLS_CLIENT_CERT_FILE: CONTAINER_PATHS.tls.clientCertFile,
            REDIS_TLS_CLIENT_KEY_FILE: CONTAINER_PATHS.tls.clientKeyFile,
            REDIS_SENTINELS: "sentinel-0.test:26379 sentinel-1.test:26379 sentinel-2.test:26379",
            REDIS_MASTER_NAME: "redis-primary",
            REDIS_INITIAL_PRIMARY: "redis-0.test:6379",
            ...engineStartEnvFor({ name: "redis", version: "7.2" }),
        });
    });

    it("tells the cluster job each primary's slots and each replica's primary", function () {
        assert.deepEqual(deploymentFor({ topology: "cluster" }).clusterCreateEnv, {
            REDIS_CLUSTER_PRIMARIES: "redis-0.test:6379:16379:0-5461 redis-1.test:6379:16379:5462-10922 redis-2.test:6379:16379:10923-16383",
            REDIS_CLUSTER_REPLICAS: "redis-3.test:6379:16379:redis-0.test:6379 redis-4.test:6379:16379:redis-1.test:6379 redis-5.test:6379:16379:redis-2.test:6379",
        });
    });
});

describe("redisconf: users.acl of a deployment", function () {
    it("lets app and readonly users read the cluster's slot map in the cluster topology only", function () {
        const cluster = deploymentFor({ topology: "cluster" }).usersAcl.split("\n");
        assert.ok(cluster.find((line) => line.startsWith("user app "))?.endsWith("+cluster|slots +cluster|shards +cluster|nodes +cluster|info +cluster|myid +readonly +readwrite"));
        assert.ok(cluster.find((line) => line.startsWith("user reporting "))?.endsWith("+readonly +readwrite"));
        assert.ok(!cluster.find((line) => line.startsWith("user admin "))?.includes("+cluster|slots"));
        assert.ok(!deploymentFor({ topology: "sentinel" }).usersAcl.includes("cluster|slots"));
    });
});
