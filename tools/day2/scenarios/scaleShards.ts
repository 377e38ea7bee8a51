import type { DataNode, Topology } from "../../../components/redisconf/topology";
import { asDeploymentConfig, localStackConfig } from "../../harness/config";
import { lostWrites } from "../../harness/load";
import { LocalDeployment, parseInfo, waitFor } from "../../harness/localDeployment";
import { Address, commandAs } from "../admin";
import { CheckList } from "../checks";
import { redisCliCluster } from "../clusterCli";
import { ExtraNode, renderExtraNode, startExtraNode } from "../extraNodes";
import { clusterOps } from "../ops";
import { day2BaseDir } from "../runDir";
import type { Day2Options, Day2Outcome } from "../scenario";
import { Traffic } from "../traffic";
import { parseClusterNodes, slotCount } from "../../../client/clusterNodes";

/**
 * Scaling shards on Cluster (3 primaries x 1 replica) with writes running through the cluster client: a
 * fourth shard (a primary and its replica, rendered like their peers) joins with `redis-cli --cluster
 * add-node`, takes its share of the slots with `rebalance --cluster-use-empty-masters`, then hands every
 * slot back with `reshard`, the three old shards even out with `rebalance`, and both nodes leave with
 * `del-node`. Everything over TLS as `admin`.
 */
export async function scaleShards(options: Day2Options = {}): Promise<Day2Outcome> {
    const progress = options.progress ?? (() => undefined);
    const checks = new CheckList(progress);
    const config = asDeploymentConfig(localStackConfig({ topology: "cluster", shards: 3, replicasPerShard: 1 }));
    const deployment = await LocalDeployment.start({ config, progress, keepDir: options.keepDir, baseDir: day2BaseDir() });
    let traffic: Traffic | undefined;
    try {
        const { topology } = deployment.rendered;
        const admin = deployment.password("admin");
        const seed = topology.dataNodes[0];
        const seedAddress = `${seed.announceHost}:${seed.port}`;
        const client = deployment.clusterClient("app");
        traffic = new Traffic("app:day2:shards:", clusterOps(client));
        traffic.start();
        checks.record("the cluster client is writing", await traffic.waitForSuccesses(100));

        const shard = topology.shards.length;
        const primaryName = `redis-${topology.dataNodes.length}`;
        const replicaName = `redis-${topology.dataNodes.length + 1}`;
        const plannedPrimary: DataNode = { name: primaryName, kind: "redis", index: topology.dataNodes.length, initialRole: "primary", shard, announceHost: "", port: 0 };
        const plannedReplica: DataNode = { name: replicaName, kind: "redis", index: topology.dataNodes.length + 1, initialRole: "replica", shard, announceHost: "", port: 0 };
        const scaled: Topology = { ...topology, dataNodes: [...topology.dataNodes, plannedPrimary, plannedReplica], shards: [...topology.shards, { primary: primaryName, replicas: [replicaName] }] };
        const added: ExtraNode[] = [];
        for (const planned of [plannedPrimary, plannedReplica]) {
            const extra = await renderExtraNode(deployment, config, scaled, planned);
            startExtraNode(deployment, extra);
            added.push(extra);
        }
        const [newPrimary, newReplica] = added.map((extra): Address => ({ host: extra.node.announceHost, port: extra.node.port }));
        const as = (address: Address, args: (string | number)[]) => commandAs(deployment, address, "admin", admin, args);
        // Slot moves reach the other nodes by gossip: redis-cli refuses to rebalance until every node agrees.
        const agreed = (what: string) => waitFor(what, async () => redisCliCluster(deployment, admin, ["check", seedAddress]).then(() => true, () => false), 60000, 1000);
        for (const address of [newPrimary, newReplica]) {
            await waitFor(`${address.host}:${address.port} answers`, async () => (await as(address, ["PING"])) === "PONG", 30000, 250);
        }
        const newPrimaryId = String(await as(newPrimary, ["CLUSTER", "MYID"]));
        const newReplicaId = String(await as(newReplica, ["CLUSTER", "MYID"]));

        progress(`scale up: redis-cli --cluster add-node ${primaryName}, then ${replicaName} as its replica`);
        await redisCliCluster(deployment, admin, ["add-node", `${newPrimary.host}:${newPrimary.port}`, seedAddress]);
        await waitFor(`${primaryName} is known to every node`, async () => {
            for (const node of topology.dataNodes) {
                const known = parseClusterNodes(String(await as({ host: node.announceHost, port: node.port }, ["CLUSTER", "NODES"])));
                if (!known.some((entry) => entry.id === newPrimaryId)) {
                    return false;
                }
            }
            return true;
        }, 60000, 500);
        await redisCliCluster(deployment, admin, ["add-node", `${newReplica.host}:${newReplica.port}`, seedAddress, "--cluster-slave", "--cluster-master-id", newPrimaryId]);
        const synced = await waitFor(`${replicaName} is in sync`, async () => parseInfo(String(await as(newReplica, ["INFO", "replication"]))).master_link_status === "up", 60000, 250).then(() => true, () => false);
        checks.record(`${replicaName} joined as the replica of ${primaryName} and finished its first sync`, synced);

        await agreed("every node agrees on the new shard");
        progress("redis-cli --cluster rebalance --cluster-use-empty-masters");
        await redisCliCluster(deployment, admin, ["rebalance", seedAddress, "--cluster-use-empty-masters"]);
        const afterUp = parseClusterNodes(String(await as(newPrimary, ["CLUSTER", "NODES"])));
        const newShare = slotCount(afterUp.find((entry) => entry.id === newPrimaryId)?.slots ?? []);
        checks.record(`${primaryName} serves its share of the slots`, newShare >= 16384 / 4 - 200, `${newShare} slots`);
        await waitFor("cluster_state:ok on every node", async () => {
            for (const address of [...topology.dataNodes.map((node) => ({ host: node.announceHost, port: node.port })), newPrimary, newReplica]) {
                const info = parseInfo(String(await as(address, ["CLUSTER", "INFO"])));
                if (info.cluster_state !== "ok" || info.cluster_slots_ok !== "16384") {
                    return false;
                }
            }
            return true;
        }, 60000, 500);
        checks.record("writes kept being acknowledged after the scale-up", await traffic.waitForSuccesses(200));

        await agreed("every node agrees on the slots after the rebalance");
        progress(`scale down: redis-cli --cluster reshard every slot of ${primaryName} back to ${seed.name}`);
        await redisCliCluster(deployment, admin, ["reshard", seedAddress, "--cluster-from", newPrimaryId, "--cluster-to", String(await as({ host: seed.announceHost, port: seed.port }, ["CLUSTER", "MYID"])), "--cluster-slots", String(newShare), "--cluster-yes"]);
        await agreed("every node agrees on the slots after the reshard");
        progress("redis-cli --cluster rebalance (the three remaining shards even out)");
        await redisCliCluster(deployment, admin, ["rebalance", seedAddress]);
        const emptied = parseClusterNodes(String(await as({ host: seed.announceHost, port: seed.port }, ["CLUSTER", "NODES"])));
        checks.record(`${primaryName} serves no slot any more`, slotCount(emptied.find((entry) => entry.id === newPrimaryId)?.slots ?? []) === 0);
        await agreed("every node agrees on the slots before the nodes leave");
        progress(`redis-cli --cluster del-node ${replicaName}, then ${primaryName}`);
        await redisCliCluster(deployment, admin, ["del-node", seedAddress, newReplicaId]);
        await redisCliCluster(deployment, admin, ["del-node", seedAddress, newPrimaryId]);
        const reset = await Promise.all([newPrimary, newReplica].map(async (address) => parseInfo(String(await as(address, ["CLUSTER", "INFO"]))).cluster_known_nodes));
        checks.record("del-node reset both added nodes (each knows only itself)", reset.every((known) => known === "1"), `cluster_known_nodes: ${reset.join(", ")}`);
        progress(`stopping ${replicaName} and ${primaryName}, as the scale-down of the platform does`);
        await deployment.supervisor.stop(replicaName, "SIGTERM", 15000);
        await deployment.supervisor.stop(primaryName, "SIGTERM", 15000);
        const gone = await waitFor("every remaining node forgot the added ones", async () => {
            for (const node of topology.dataNodes) {
                const known = parseClusterNodes(String(await as({ host: node.announceHost, port: node.port }, ["CLUSTER", "NODES"])));
                if (known.length !== topology.dataNodes.length) {
                    return false;
                }
            }
            return true;
        }, 60000, 500).then(() => true, () => false);
        checks.record("every remaining node forgot both added nodes", gone);
        const slots = await deployment.clusterSlots();
        checks.record("the three original shards serve all 16384 slots", slots.reduce((sum, range) => sum + range.last - range.first + 1, 0) === 16384 && new Set(slots.map((range) => range.primary)).size === 3);
        checks.record("writes kept being acknowledged after the scale-down", await traffic.waitForSuccesses(200));

        await traffic.stop();
        const lost = await lostWrites(traffic.acked, (keys) => Promise.all(keys.map((key) => client.get(key))));
        if (traffic.errors.length > 0) {
            progress(`client errors: ${traffic.errors.join(" | ")}`);
        }
        return {
            result: { scenario: "scale-shards", failed_commands: traffic.failed, acked_writes: { sent: traffic.acked.length, lost: lost.length } },
            checks: checks.checks,
        };
    } finally {
        await traffic?.stop();
        await deployment.destroy();
    }
}
