import { strict as assert } from "node:assert";
import { Redis } from "../../components/redis";
import { switchoverProblems } from "../../components/selfhosted/validate";
import { engineGuardFailures, engineGuardProvider } from "../../components/selfhosted/engineGuard";
import { redisProgram } from "../../stacks/program";
import { parseStackConfig } from "../../stacks/config/parse";
import { redisArgsFor } from "../../stacks/config/redisArgs";
import type { SelfHostedConfig } from "../../components/selfhosted/platform";
import { ofType, RecordedResource, runWithMocks } from "../../tools/offline/mockRuntime";
import { kubernetesConfigMap } from "./kubernetesFixtures";

const JOB = "kubernetes:batch/v1:Job";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const CONTAINER = "docker:index/container:Container";

function envOf(container: { env?: { name: string; value: string }[]; envs?: string[] }): Record<string, string> {
    if (container.env) {
        return Object.fromEntries(container.env.map((entry) => [entry.name, entry.value]));
    }
    return Object.fromEntries((container.envs ?? []).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

async function kubernetesRun(selfhosted: Record<string, unknown>) {
    const config = kubernetesConfigMap(selfhosted, { monitoring: { enabled: false }, backup: { enabled: false } });
    const run = await runWithMocks(() => redisProgram("test", config), { config });
    assert.equal(run.error, undefined, String(run.error));
    return run;
}

function switchoverJobOf(resources: RecordedResource[]): RecordedResource | undefined {
    return ofType(resources, JOB).find((job) => job.inputs.metadata.name.endsWith("-switchover"));
}

describe("redis:selfhosted.switchoverTo: the config way to a switchover", function () {
    this.timeout(20000);

    it("is refused when it names no data node, on standalone, or malformed, naming the key and what exists", function () {
        assert.deepEqual(switchoverProblems({ topology: "sentinel", replicas: 2, switchoverTo: "redis-2" }), []);
        assert.deepEqual(switchoverProblems({ topology: "sentinel", replicas: 2, switchoverTo: "redis-3" }), [
            { path: ["switchoverTo"], message: '"redis-3" names no data node of this deployment: it has redis-0 .. redis-2' },
        ]);
        assert.deepEqual(switchoverProblems({ topology: "cluster", switchoverTo: "redis-5" }), []);
        assert.deepEqual(switchoverProblems({ topology: "cluster", shards: 3, replicasPerShard: 1, switchoverTo: "redis-6" })[0].message, '"redis-6" names no data node of this deployment: it has redis-0 .. redis-5');
        assert.deepEqual(switchoverProblems({ topology: "standalone", switchoverTo: "redis-0" })[0].message, 'does not apply to topology "standalone": it has one node');
        const refused = (selfhosted: Record<string, unknown>) => {
            try {
                parseStackConfig("t", kubernetesConfigMap(selfhosted));
                return "accepted";
            } catch (error) {
                return (error as Error).message;
            }
        };
        assert.match(refused({ topology: "sentinel", replicas: 1, switchoverTo: "redis-2" }), /redis:selfhosted\.switchoverTo.*"redis-2" names no data node of this deployment: it has redis-0 \.\. redis-1/);
        assert.match(refused({ topology: "sentinel", switchoverTo: "node-1" }), /redis:selfhosted\.switchoverTo.*must be a data node name such as redis-1/);
    });

    it("Kubernetes: a Job runs redis-switchover.sh for the named node after the pods, and a new target changes the Job", async function () {
        const without = await kubernetesRun({ topology: "sentinel" });
        assert.equal(switchoverJobOf(without.resources), undefined, "no target, no Job");
        const run = await kubernetesRun({ topology: "sentinel", switchoverTo: "redis-2" });
        const job = switchoverJobOf(run.resources);
        assert.ok(job);
        const env = envOf(job.inputs.spec.template.spec.containers[0]);
        assert.equal(env.REDIS_SWITCHOVER_TO, "redis-2.redis-headless.redis.svc.cluster.local:6379");
        assert.equal(env.REDIS_TOPOLOGY, "sentinel");
        assert.equal(env.REDIS_SENTINELS.split(" ").length, 3);
        for (const set of ofType(run.resources, STATEFUL_SET)) {
            assert.ok(job.dependencies.includes(set.urn), `the Job waits for ${set.inputs.metadata.name}`);
        }
        const other = switchoverJobOf((await kubernetesRun({ topology: "sentinel", switchoverTo: "redis-1" })).resources);
        assert.notDeepEqual(other?.inputs.spec.template.metadata.annotations, job.inputs.spec.template.metadata.annotations, "the digest in the template changes, so the Job is replaced and runs again");

        const cluster = switchoverJobOf((await kubernetesRun({ topology: "cluster", switchoverTo: "redis-4" })).resources);
        const clusterEnv = envOf(cluster!.inputs.spec.template.spec.containers[0]);
        assert.equal(clusterEnv.REDIS_SWITCHOVER_TO, "redis-4.redis-headless.redis.svc.cluster.local:6379");
        assert.equal(clusterEnv.REDIS_CLUSTER_SEEDS.split(" ").length, 6);
    });

    it("Docker: a one-shot container runs it after every node, with the passwords as secret uploads", async function () {
        const config = parseStackConfig("t", {
            "redis:backend": "selfhosted",
            "redis:environment": "dev",
            "redis:selfhosted": JSON.stringify({ platform: "docker", topology: "sentinel", switchoverTo: "redis-1", resources: { cpu: "500m", memory: "256mb" } }),
            "redis:monitoring": JSON.stringify({ enabled: false }),
            "redis:backup": JSON.stringify({ enabled: false }),
        }) as SelfHostedConfig;
        const run = await runWithMocks(() => new Redis("redis", redisArgsFor(config)), { outputs: { "docker:index/remoteImage:RemoteImage": () => ({ imageId: "sha256:1" }) } });
        assert.equal(run.error, undefined, String(run.error));
        const containers = ofType(run.resources, CONTAINER);
        const switchover = containers.find((container) => container.name.endsWith("-switchover"));
        assert.ok(switchover);
        const env = envOf(switchover.inputs);
        assert.equal(env.REDIS_SWITCHOVER_TO, "127.0.0.1:7001");
        assert.deepEqual(switchover.inputs.entrypoints.slice(-1), ["/etc/redis/scripts/redis-switchover.sh"]);
        assert.deepEqual(switchover.secretInputs, ["uploads"], "the passwords travel as a Pulumi secret");
        const nodes = containers.filter((container) => /^redis-(redis|sentinel)-[0-9]$/.test(container.name));
        assert.equal(nodes.length, 6);
        assert.deepEqual(nodes.filter((node) => !switchover.dependencies.includes(node.urn)).map((node) => node.name), [], "it waits for every node's container");
    });
});

describe("EngineVersionGuard: the deployed engine, remembered so a preview can refuse a downgrade", function () {
    it("accepts the first deployment and any rolling upgrade, refuses a downgrade with the reason", async function () {
        assert.deepEqual(engineGuardFailures(undefined, { name: "redis", version: "7.2" }), []);
        assert.deepEqual(engineGuardFailures({}, { name: "redis", version: "7.2" }), []);
        assert.deepEqual(engineGuardFailures({ name: "redis", version: "7.0" }, { name: "redis", version: "7.2" }), []);
        const [failure] = engineGuardFailures({ name: "redis", version: "7.4" }, { name: "redis", version: "7.2" });
        assert.equal(failure.property, "version");
        assert.match(failure.reason, /^redis:engine redis 7.4 -> redis 7.2: redis 7.2 is older than the deployed redis 7.4: downgrades are refused/);
        assert.match(engineGuardFailures({ name: "redis", version: "7.4" }, { name: "valkey", version: "8.1" })[0].reason, /cannot load the RDB 12 files/);
    });

    it("its provider checks against the previous state, diffs on the engine and keeps its inputs", async function () {
        const check = engineGuardProvider.check!;
        assert.deepEqual(await check({ name: "valkey", version: "8.0" }, { name: "valkey", version: "8.1" }), { inputs: { name: "valkey", version: "8.1" }, failures: [] });
        assert.equal((await check({ name: "valkey", version: "8.1" }, { name: "valkey", version: "8.0" })).failures?.length, 1);
        assert.deepEqual(await engineGuardProvider.diff!("engine", { name: "redis", version: "7.2" }, { name: "redis", version: "7.2" }), { changes: false });
        assert.deepEqual(await engineGuardProvider.diff!("engine", { name: "redis", version: "7.2" }, { name: "redis", version: "7.4" }), { changes: true });
        assert.deepEqual(await engineGuardProvider.create({ name: "redis", version: "7.2" }), { id: "engine", outs: { name: "redis", version: "7.2" } });
        assert.deepEqual(await engineGuardProvider.update!("engine", { name: "redis", version: "7.2" }, { name: "redis", version: "7.4" }), { outs: { name: "redis", version: "7.4" } });
    });
});
