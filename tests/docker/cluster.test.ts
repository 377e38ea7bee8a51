import { strict as assert } from "node:assert";
import type { Cluster } from "ioredis";
import { parseClusterNodes } from "../../client/clusterNodes";
import { slotRanges } from "../../components/redisconf/topology";
import type { JournalEntry } from "../../tools/docker/applier";
import { DEV_CLUSTER_VARIANT, StackVariant } from "../../tools/docker/plan";
import { WriteLoad } from "../../tools/harness/load";
import { sleep } from "../../tools/harness/localDeployment";
import { hashTagsFor } from "../../tools/harness/slots";
import { clusterWriter } from "../../tools/harness/writers";
import { assertAllUp, assertLoopbackTlsOnly, assertNoAcknowledgedWriteLost, assertTeardownLeavesNothing } from "./checks";
import { onEngine } from "./engine";

/**
 * The dev stack's cluster variant (`topology: cluster`, 3 shards x 1 replica, monitoring and backups off; see
 * `DEV_CLUSTER_VARIANT`), as the program registers it, applied to a real Docker engine.
 */
describe("Docker engine: the dev stack's cluster variant", function () {
    const up = onEngine(DEV_CLUSTER_VARIANT);

    /** Each node's view of the cluster, through CLUSTER NODES on the node itself. */
    const clusterNodes = async (port: number) => parseClusterNodes(String(await up.get().command(port, ["CLUSTER", "NODES"])));

    it("forms the cluster: the one-shot job exits 0, every node healthy, cluster_state ok on every node", async () => {
        await assertAllUp(up.get(), []);
        const nodes = up.get().nodes("redis");
        assert.equal(nodes.length, 6);
        for (const node of nodes) {
            assert.match(String(await up.get().command(node.port, ["CLUSTER", "INFO"])), /cluster_state:ok/, `${node.container}`);
        }
        const view = await clusterNodes(nodes[0].port);
        assert.equal(view.filter((line) => line.flags.includes("master")).length, 3);
        assert.equal(view.filter((line) => line.flags.includes("slave")).length, 3);
    });

    it("publishes only the client ports (no bus port), on 127.0.0.1 only, TLS only", async () => {
        await assertLoopbackTlsOnly(up.get(), [7500, 7501, 7502, 7503, 7504, 7505]);
    });

    it("fails over a shard whose primary's container is killed, losing no WAIT-acknowledged write; the restarted container rejoins as a replica", async () => {
        const deployment = up.get();
        const shards = slotRanges(3);
        const tags = hashTagsFor(shards);
        const client = deployment.client("app", { commandTimeoutMs: 1000, maxRetriesPerRequest: 1 }) as Cluster;
        const load = new WriteLoad(clusterWriter(client), (n) => `app:{${tags[n % tags.length]}}:failover:${n}`);
        const victim = await deployment.clusterPrimaryOf(shards[0][0]);
        load.start();
        try {
            assert.ok(await load.waitForSuccesses(0, 50, 20000), "writes flow before the kill");
            await sleep(1000);
            await deployment.kill(victim.container);
            const killedAt = load.now();
            assert.ok(await load.waitForSuccesses(killedAt, 30, 60000, (event) => event.key.includes(`{${tags[0]}}`)), "writes to the shard recover");
        } finally {
            await load.stop();
        }
        await assertNoAcknowledgedWriteLost(deployment, load);

        await deployment.start(victim.container);
        await deployment.applied.waitHealthy(victim.container, deployment.applied.containerId(victim.container), 120000);
        const view = await clusterNodes(victim.port);
        const self = view.find((line) => line.flags.includes("myself"));
        assert.ok(self?.flags.includes("slave"), `the restarted node is a replica (${self?.flags.join(",")})`);
        assert.equal(view.filter((line) => line.flags.includes("master") && !line.flags.includes("fail")).length, 3, "three primaries, no second primary for the shard");
    });

    /** The dev cluster variant with `shards` shards: what `pulumi config set --path redis:selfhosted.shards` makes of it. */
    const withShards = (shards: number): StackVariant => ({ ...DEV_CLUSTER_VARIANT, selfhosted: { ...DEV_CLUSTER_VARIANT.selfhosted, shards } });

    /**
     * `pulumi up` to `shards` under a write load on every shard's slots: returns what the update did, the
     * load, and when (load time) the update started and ended.
     */
    const scaleUnderLoad = async (shards: number) => {
        const deployment = up.get();
        const tags = hashTagsFor(slotRanges(4));
        const client = deployment.client("app", { commandTimeoutMs: 1000, maxRetriesPerRequest: 1 }) as Cluster;
        const load = new WriteLoad(clusterWriter(client), (n) => `app:{${tags[n % tags.length]}}:scale${shards}:${n}`);
        load.start();
        try {
            assert.ok(await load.waitForSuccesses(0, 50, 20000), "writes flow before the scale");
            const startMs = load.now();
            const update = await deployment.update(withShards(shards));
            const endMs = load.now();
            assert.ok(await load.waitForSuccesses(endMs, 100, 60000), "writes flow after the scale");
            return { ...update, load, startMs, endMs, deployment };
        } finally {
            await load.stop();
        }
    };

    /** Every node agrees: cluster_state ok, every slot assigned, `primaries` primaries serving slots and `replicas` replicas; returns the first node's view. */
    const assertServesEverySlot = async (primaries: number, replicas: number) => {
        const nodes = up.get().nodes("redis");
        assert.equal(nodes.length, primaries + replicas, "data node containers");
        for (const node of nodes) {
            const info = String(await up.get().command(node.port, ["CLUSTER", "INFO"]));
            assert.match(info, /cluster_state:ok/, `${node.container}: ${info}`);
            assert.match(info, /cluster_slots_assigned:16384/, `${node.container}`);
            assert.match(info, new RegExp(`cluster_known_nodes:${primaries + replicas}\\b`), `${node.container} knows exactly the desired nodes`);
        }
        const view = await clusterNodes(nodes[0].port);
        assert.equal(view.filter((line) => line.flags.includes("master") && line.slots.length > 0).length, primaries, "primaries serving slots");
        assert.equal(view.filter((line) => line.flags.includes("slave")).length, replicas, "replicas");
        return view;
    };

    /** Writes failed during the scale, and the longest stretch without a successful write (ms). */
    const failureWindow = (load: WriteLoad) => {
        const done = load.events.filter((event) => event.ok).map((event) => event.startMs + event.latencyMs).sort((a, b) => a - b);
        const longestMs = done.slice(1).reduce((longest, at, i) => Math.max(longest, at - done[i]), 0);
        return { failed: load.events.filter((event) => !event.ok).length, total: load.events.length, longestMs };
    };

    /** The position of the first journal entry starting with `what` (-1 if none). */
    const step = (journal: JournalEntry[], what: string) => journal.findIndex((entry) => entry.what.startsWith(what));

    /** What the scale cost, to stderr: how long `pulumi up` took, its milestones, the writes that failed. */
    const report = (label: string, journal: JournalEntry[], load: WriteLoad, startMs: number, endMs: number) => {
        const secondsAt = (what: string) => ((journal[step(journal, what)]?.atMs ?? NaN) / 1000).toFixed(1);
        const window = failureWindow(load);
        const nodesUpMs = Math.max(...journal.filter((entry) => /^created redis-dev-cluster-redis-\d+$/.test(entry.what)).map((entry) => entry.atMs));
        process.stderr.write(
            `      ${label}: pulumi up ${((endMs - startMs) / 1000).toFixed(1)} s (drain done at ${secondsAt("created redis-dev-cluster-cluster-drain")} s, holder deleted at ` +
                `${secondsAt("deleted redis-dev-cluster-netns")} s, every node healthy at ${(nodesUpMs / 1000).toFixed(1)} s, cluster-create done at ${secondsAt("created redis-dev-cluster-cluster-create")} s); ` +
                `${window.failed} of ${window.total} writes failed, longest stretch without a successful write ${(window.longestMs / 1000).toFixed(1)} s\n`,
        );
    };

    it("scales 3 -> 4 shards under writes (pulumi up: every node container replaced once): the new shard takes slots, no acknowledged write lost", async () => {
        const { plan, journal, load, startMs, endMs, deployment } = await scaleUnderLoad(4);
        const opOf = (name: string) => [...plan.ops].find(([urn]) => urn.endsWith(`::${name}`))?.[1];
        assert.deepEqual(
            ["redis-netns", "redis-redis-0", "redis-redis-0-data", "redis-redis-6", "redis-cluster-drain", "redis-cluster-create"].map(opOf),
            ["replace", "replace", "same", "create", "replace", "replace"],
            "the holder and with it every node container replaced, data volumes kept, the jobs run again",
        );
        const jobs = deployment.applied.containers();
        for (const job of ["cluster-drain", "cluster-create"]) {
            const entry = jobs.get(`redis-dev-cluster-${job}`);
            assert.equal(entry?.exitCode, 0, `${job} exited ${entry?.exitCode}: ${entry?.logs ?? ""}`);
        }
        assert.ok(step(journal, "deleted redis-dev-cluster-netns") > step(journal, "created redis-dev-cluster-cluster-drain (exited 0)"), "the drain runs before the holder goes");
        assert.deepEqual(await deployment.strays(), [], "every node container in the new holder's namespace");
        await assertAllUp(deployment, []);
        const view = await assertServesEverySlot(4, 4);
        const newcomers = view.filter((line) => line.endpoint.port >= 7506);
        assert.ok(newcomers.some((line) => line.flags.includes("master") && line.slots.length > 0), `a new node is a primary serving slots: ${newcomers.map((line) => `${line.endpoint.port} ${line.flags.join(",")} ${line.slots.join(" ")}`).join("; ")}`);
        await assertNoAcknowledgedWriteLost(deployment, load);
        report("3 -> 4 shards", journal, load, startMs, endMs);
    });

    it("scales 4 -> 3 shards under writes: the drain (host network) empties and removes the departing nodes before the holder is replaced; they are forgotten, no acknowledged write lost", async () => {
        const deployment = up.get();
        const departing = deployment.nodes("redis").filter((node) => node.port >= 7506);
        assert.equal(departing.length, 2);
        const departingIds = await Promise.all(departing.map(async (node) => String(await deployment.command(node.port, ["CLUSTER", "MYID"]))));
        const servedBefore = (await clusterNodes(7500)).filter((line) => departingIds.includes(line.id) && line.slots.length > 0);
        assert.ok(servedBefore.length > 0, "a departing node serves slots before the scale");

        const { journal, load, startMs, endMs } = await scaleUnderLoad(3);
        const drain = deployment.applied.containers().get("redis-dev-cluster-cluster-drain");
        assert.equal(drain?.plan?.body.HostConfig.NetworkMode, "host", "the drain runs in the host's network namespace");
        assert.equal(drain?.exitCode, 0, `the drain exited ${drain?.exitCode}: ${drain?.logs ?? ""}`);
        assert.match(drain?.logs ?? "", /moving every slot off/, "the drain moved slots");
        assert.match(drain?.logs ?? "", /removing .* from the cluster/, "the drain removed the departing nodes");
        const drainRan = step(journal, "created redis-dev-cluster-cluster-drain (exited 0)");
        for (const gone of ["netns", "redis-6", "redis-7"]) {
            assert.ok(step(journal, `deleted redis-dev-cluster-${gone}`) > drainRan, `${gone} goes after the drain ran: ${journal.map((entry) => entry.what).join("; ")}`);
        }
        const create = deployment.applied.containers().get("redis-dev-cluster-cluster-create");
        assert.equal(create?.exitCode, 0, `cluster-create exited ${create?.exitCode}: ${create?.logs ?? ""}`);
        assert.deepEqual(await deployment.strays(), [], "every node container in the new holder's namespace");
        await assertAllUp(deployment, []);
        await assertServesEverySlot(3, 3);
        for (const node of deployment.nodes("redis")) {
            const ids = (await clusterNodes(node.port)).map((line) => line.id);
            assert.deepEqual(departingIds.filter((id) => ids.includes(id)), [], `${node.container} forgot the departing nodes`);
        }
        const label = "redisplatform.deployment=redis-dev-cluster";
        const names = (await deployment.engine.listContainers(label)).map((container) => container.Names[0]);
        assert.deepEqual(names.filter((name) => /redis-[67]/.test(name)), [], "the departing nodes' containers are gone");
        assert.deepEqual((await deployment.engine.listVolumes(label)).map((volume) => volume.Name).filter((name) => /redis-[67]/.test(name)), [], "and their volumes");
        await assertNoAcknowledgedWriteLost(deployment, load);
        report("4 -> 3 shards", journal, load, startMs, endMs);
    });

    it("tears down leaving no container, network or volume", async () => {
        await assertTeardownLeavesNothing(up.get());
    });
});
