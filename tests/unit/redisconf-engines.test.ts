import { strict as assert } from "node:assert";
import { renderDeployment } from "../../components/redisconf/deployment";
import { compareVersions, defaultEngineVersion, EngineName, engineHas, SUPPORTED_ENGINE_VERSIONS } from "../../components/redisconf/engines";
import { CONTAINER_PATHS } from "../../components/redisconf/layout";
import type { NodeIdentity } from "../../components/redisconf/topology";
import { systemUserNames } from "../../components/redisconf/users";
import { parseStackConfig } from "../../stacks/config/parse";
import { directiveNames } from "../../tools/harness/engineCheck";
import { parseServerVersion } from "../../tools/harness/engineBinaries";
import { asDeploymentConfig, localStackConfig } from "../../tools/harness/config";
import { imageFor } from "../../components/selfhosted/images";
import { redisProgram } from "../../stacks/program";
import { ofType, runWithMocks } from "../../tools/offline/mockRuntime";
import { kubernetesConfigMap } from "./kubernetesFixtures";

const place = (node: NodeIdentity) => ({ announceHost: `${node.name}.test`, port: node.kind === "sentinel" ? 26379 : 6379, busPort: 16379 });

/** The rendered data-node config and the sentinel's user lines of a sentinel deployment with 4 CPUs. */
function render(engine: { name: EngineName; version: string }, topology: "sentinel" | "cluster" = "sentinel") {
    const config = asDeploymentConfig(localStackConfig({ topology, cpu: "4" }));
    const passwordsByUser = Object.fromEntries([...systemUserNames(config.selfhosted), ...config.acl.users.map((u) => u.name)].map((user) => [user, ["pw"]]));
    const d = renderDeployment({ config, place, pathsFor: () => CONTAINER_PATHS, passwordsByUser, engine });
    const redisConf = d.nodes.find((n) => n.node.kind === "redis")?.config ?? "";
    const sentinelConf = d.nodes.find((n) => n.node.kind === "sentinel")?.config ?? "";
    return { directives: directiveNames(redisConf), sentinelAppRules: sentinelConf.split("\n").find((line) => line.startsWith("user app ")) ?? "" };
}

/** The directives that differ between engines and versions, as each version renders them. */
const VERSIONED = ["hide-user-data-from-log", "io-threads-do-reads", "slowlog-log-slower-than", "slowlog-max-len", "commandlog-execution-slower-than", "commandlog-slow-execution-max-len", "masteruser", "primaryuser"];

describe("engines: versions and features", function () {
    it("supports Redis 8.0/8.2/8.4 and Valkey 9.0 self-hosted beside today's versions; ElastiCache's lists are unchanged", function () {
        assert.deepEqual(SUPPORTED_ENGINE_VERSIONS.selfhosted, { redis: ["7.0", "7.2", "7.4", "8.0", "8.2", "8.4"], valkey: ["7.2", "8.0", "8.1", "9.0"] });
        assert.deepEqual(SUPPORTED_ENGINE_VERSIONS.elasticache, { redis: ["6.2", "7.0", "7.1"], valkey: ["7.2", "8.0", "8.1"] });
        assert.equal(defaultEngineVersion("selfhosted", "redis"), "7.2");
        assert.equal(defaultEngineVersion("selfhosted", "valkey"), "7.2", "a stack naming only valkey keeps the self-hosted default version");
        assert.ok(compareVersions("8.10", "8.4") > 0 && compareVersions("9.0", "8.1") > 0);
    });

    it("knows each engine's own first version of a feature, where a Redis version says nothing about Valkey", function () {
        assert.equal(engineHas({ name: "redis", version: "7.2" }, "hideUserDataFromLog"), false);
        assert.equal(engineHas({ name: "redis", version: "7.4" }, "hideUserDataFromLog"), true);
        assert.equal(engineHas({ name: "valkey", version: "7.2" }, "hideUserDataFromLog"), false);
        assert.equal(engineHas({ name: "valkey", version: "8.0" }, "hideUserDataFromLog"), true);
        assert.equal(engineHas({ name: "redis", version: "8.4" }, "primaryNames"), false, "a Valkey-only feature");
        assert.equal(engineHas({ name: "valkey", version: "8.1" }, "commandLog"), true);
        assert.equal(engineHas({ name: "valkey", version: "8.0" }, "commandLog"), false);
    });
});

describe("engines: what each version renders", function () {
    const expected: Record<string, string[]> = {
        "redis 7.0": ["io-threads-do-reads", "slowlog-log-slower-than", "slowlog-max-len", "masteruser"],
        "redis 7.2": ["io-threads-do-reads", "slowlog-log-slower-than", "slowlog-max-len", "masteruser"],
        "redis 7.4": ["hide-user-data-from-log", "io-threads-do-reads", "slowlog-log-slower-than", "slowlog-max-len", "masteruser"],
        "redis 8.0": ["hide-user-data-from-log", "slowlog-log-slower-than", "slowlog-max-len", "masteruser"],
        "redis 8.2": ["hide-user-data-from-log", "slowlog-log-slower-than", "slowlog-max-len", "masteruser"],
        "redis 8.4": ["hide-user-data-from-log", "slowlog-log-slower-than", "slowlog-max-len", "masteruser"],
        "valkey 7.2": ["io-threads-do-reads", "slowlog-log-slower-than", "slowlog-max-len", "masteruser"],
        "valkey 8.0": ["hide-user-data-from-log", "slowlog-log-slower-than", "slowlog-max-len", "primaryuser"],
        "valkey 8.1": ["hide-user-data-from-log", "commandlog-execution-slower-than", "commandlog-slow-execution-max-len", "primaryuser"],
        "valkey 9.0": ["hide-user-data-from-log", "commandlog-execution-slower-than", "commandlog-slow-execution-max-len", "primaryuser"],
    };

    it("covers every supported self-hosted version", function () {
        const all = (["redis", "valkey"] as const).flatMap((name) => SUPPORTED_ENGINE_VERSIONS.selfhosted[name].map((version) => `${name} ${version}`));
        assert.deepEqual(Object.keys(expected), all);
    });

    for (const [key, versioned] of Object.entries(expected)) {
        it(`${key}: the versioned directives of redis.conf (4 CPUs, so io-threads is above 1)`, function () {
            const [name, version] = key.split(" ") as [EngineName, string];
            const { directives } = render({ name, version });
            assert.deepEqual(directives.filter((directive) => VERSIONED.includes(directive)), versioned);
            assert.ok(directives.includes("io-threads"));
        });
    }

    it("renders the same directive set for versions that differ in nothing the renderers use (8.0 = 8.2 = 8.4; Valkey 8.1 = 9.0)", function () {
        assert.deepEqual(render({ name: "redis", version: "8.4" }).directives, render({ name: "redis", version: "8.0" }).directives);
        assert.deepEqual(render({ name: "valkey", version: "9.0" }).directives, render({ name: "valkey", version: "8.1" }).directives);
        assert.deepEqual(render({ name: "valkey", version: "9.0", }, "cluster").directives, render({ name: "valkey", version: "8.1" }, "cluster").directives);
    });

    it("lets sentinel clients discover the primary by Valkey's own subcommand names from Valkey 8.0 on, and only there", function () {
        const primaryNames = ["+sentinel|get-primary-addr-by-name", "+sentinel|primary", "+sentinel|primaries"];
        for (const engine of [{ name: "valkey", version: "8.0" }, { name: "valkey", version: "9.0" }] as const) {
            const rules = render(engine).sentinelAppRules.split(" ");
            assert.deepEqual(primaryNames.filter((rule) => rules.includes(rule)), primaryNames, `${engine.name} ${engine.version}`);
        }
        for (const engine of [{ name: "valkey", version: "7.2" }, { name: "redis", version: "8.4" }] as const) {
            const rules = render(engine).sentinelAppRules;
            assert.ok(rules.includes("+sentinel|get-master-addr-by-name"));
            assert.ok(!rules.includes("primar"), `${engine.name} ${engine.version} has no primary subcommands: ${rules}`);
        }
    });
});

describe("engines: stack config", function () {
    const base = { "redis:backend": "selfhosted", "redis:selfhosted": JSON.stringify({ topology: "standalone", platform: "docker" }) };

    it("accepts the new versions", function () {
        for (const engine of [{ name: "redis", version: "8.4" }, { name: "valkey", version: "9.0" }]) {
            assert.deepEqual(parseStackConfig("t", { ...base, "redis:engine": JSON.stringify(engine) }).engine, engine);
        }
    });

    it("refuses an unknown version naming the key, the value and what is allowed", function () {
        assert.throws(
            () => parseStackConfig("t", { ...base, "redis:engine": JSON.stringify({ name: "valkey", version: "9.1" }) }),
            (error: Error) => /engine\.version/.test(error.message) && /9\.1|is not a valkey version/.test(error.message) && /7\.2, 8\.0, 8\.1, 9\.0/.test(error.message),
        );
        assert.throws(() => parseStackConfig("t", { ...base, "redis:engine": JSON.stringify({ name: "redis", version: "8.1" }) }), /7\.0, 7\.2, 7\.4, 8\.0, 8\.2, 8\.4/);
    });
});

describe("engines: binaries", function () {
    it("reads the engine and version a server's --version prints", function () {
        assert.deepEqual(parseServerVersion("Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1"), { name: "redis", reported: "7.0.15", majorMinor: "7.0" });
        assert.deepEqual(parseServerVersion("Valkey server v=9.0.1 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1"), { name: "valkey", reported: "9.0.1", majorMinor: "9.0" });
        assert.deepEqual(parseServerVersion("Server v=7.2.7 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=e1daee703280bc04"), { name: "valkey", reported: "7.2.7", majorMinor: "7.2" });
        assert.equal(parseServerVersion("KeyDB server v=6.3.4"), undefined);
    });

    it("lists a config's directives once each, comments and blank lines aside", function () {
        assert.deepEqual(directiveNames("# c\nport 0\n\nsave \"\"\nSAVE 1 1\n  tls-port 1\n"), ["port", "save", "tls-port"]);
    });
});

describe("engines: the new versions under the mock runtime", function () {
    this.timeout(20000);

    for (const engine of [{ name: "redis", version: "8.4" }, { name: "valkey", version: "9.0" }] as const) {
        it(`${engine.name} ${engine.version} on Kubernetes: every data node and sentinel runs the pinned ${engine.name} ${engine.version} image, with that version's config`, async function () {
            const config = kubernetesConfigMap({ topology: "sentinel", replicas: 2, sentinels: 3 }, { engine, monitoring: { enabled: false } });
            const run = await runWithMocks(() => redisProgram("test", config), { config });
            assert.equal(run.error, undefined, String(run.error));
            const sets = ofType(run.resources, "kubernetes:apps/v1:StatefulSet");
            assert.equal(sets.length, 2, "data nodes and sentinels");
            const images = sets.flatMap((set) => (set.inputs.spec.template.spec.containers as { name: string; image: string }[]).map((c) => c.image)).filter((image) => !image.includes("redis_exporter"));
            assert.deepEqual([...new Set(images)], [imageFor(engine).ref]);
            const configMaps = ofType(run.resources, "kubernetes:core/v1:ConfigMap").map((map) => JSON.stringify(map.inputs.data ?? {}));
            assert.ok(configMaps.some((data) => data.includes(`${engine.name} ${engine.version}).`) && data.includes("hide-user-data-from-log yes")), "the node configs are rendered for this version");
        });
    }

    it("valkey 9.0 on Docker: the containers run the pinned image", async function () {
        const config = { "redis:backend": "selfhosted", "redis:environment": "dev", "redis:selfhosted": JSON.stringify({ topology: "standalone", platform: "docker" }), "redis:engine": JSON.stringify({ name: "valkey", version: "9.0" }), "redis:monitoring": JSON.stringify({ enabled: false }) };
        const run = await runWithMocks(() => redisProgram("test", config), { config });
        assert.equal(run.error, undefined, String(run.error));
        const images = ofType(run.resources, "docker:index/remoteImage:RemoteImage").map((image) => String(image.inputs.name));
        assert.ok(images.includes(imageFor({ name: "valkey", version: "9.0" }).ref), images.join(", "));
    });
});
