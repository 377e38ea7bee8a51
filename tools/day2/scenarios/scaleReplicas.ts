import { readFileSync } from "node:fs";
import * as path from "node:path";
import { jobEnvFor } from "../../../components/redisconf/deployment";
import { sentinelResetEnvFor } from "../../../components/redisconf/scripts/env";
import type { DataNode, Topology } from "../../../components/redisconf/topology";
import { asDeploymentConfig, localStackConfig } from "../../harness/config";
import { lostWrites } from "../../harness/load";
import { LocalDeployment, parseInfo, waitFor } from "../../harness/localDeployment";
import { commandAs } from "../admin";
import { CheckList } from "../checks";
import { renderExtraNode, startExtraNode } from "../extraNodes";
import { primaryOps } from "../ops";
import { day2BaseDir } from "../runDir";
import type { Day2Options, Day2Outcome } from "../scenario";
import { Traffic } from "../traffic";
import { runSwitchover } from "../switchover";
import { localStackOutputs } from "../../harness/stackOutputs";
import { parseStackOutputs } from "../../verify/outputs";

/** A sentinel's view of the primary, as fields. */
async function sentinelView(deployment: LocalDeployment, sentinel: string): Promise<Record<string, string>> {
    const masterName = deployment.rendered.topology.masterName ?? "";
    const fields = (await deployment.command(sentinel, "admin", ["SENTINEL", "master", masterName])) as string[];
    return Object.fromEntries(fields.flatMap((field, index) => (index % 2 === 0 ? [[field, fields[index + 1]]] : [])));
}

/** The replicas a sentinel lists, as `host:port` with their flags. */
async function sentinelReplicas(deployment: LocalDeployment, sentinel: string): Promise<{ address: string; flags: string }[]> {
    const masterName = deployment.rendered.topology.masterName ?? "";
    const replicas = (await deployment.command(sentinel, "admin", ["SENTINEL", "replicas", masterName])) as string[][];
    return replicas.map((fields) => {
        const state = Object.fromEntries(fields.flatMap((field, index) => (index % 2 === 0 ? [[field, fields[index + 1]]] : [])));
        return { address: `${state.ip}:${state.port}`, flags: state.flags };
    });
}

/**
 * Runs the rendered `sentinel-reset.sh` (the Kubernetes Job's and the Docker one-shot container's script) for
 * a topology, as the platforms do after the data nodes changed, and returns its log.
 */
async function runSentinelReset(deployment: LocalDeployment, topology: Topology, run: string): Promise<string> {
    const env = { ...jobEnvFor(deployment.rendered, sentinelResetEnvFor(topology), "sentinel-reset"), REDIS_SENTINEL_RESET_TIMEOUT: "60" };
    await deployment.runScript("sentinel-reset.sh", env, run);
    return readFileSync(path.join(deployment.root, `${run}.log`), "utf8");
}

/** The number of sentinels a `sentinel-reset.sh` log says it reset. */
function resetCount(log: string): number {
    const match = /done: (\d+) sentinel\(s\) reset/.exec(log);
    return match ? Number(match[1]) : -1;
}

/**
 * Scaling replicas on Sentinel (1 primary, 1 replica, 3 sentinels) with writes running through the
 * sentinels, the way `pulumi up` does it on the platforms:
 *
 * 1. Up: a second replica is added (rendered like its peers, started with the start script, which asks the
 *    sentinels whom to follow), then the rendered `sentinel-reset.sh` runs for the new topology: it must
 *    reset nothing, only wait until every sentinel discovered the new replica.
 * 2. The new node is made the primary (the others refuse promotion for a moment), so that the scale-down
 *    removes the current primary, the case the preStop handover exists for.
 * 3. Down: the highest ordinal goes as a StatefulSet scale-down removes it: its preStop (`redis-prestop.sh`)
 *    hands over, it stops, and `sentinel-reset.sh` runs for the original topology: one sentinel at a time, each
 *    resets and lists exactly the remaining replicas before the next.
 */
export async function scaleReplicas(options: Day2Options = {}): Promise<Day2Outcome> {
    const progress = options.progress ?? (() => undefined);
    const checks = new CheckList(progress);
    const config = asDeploymentConfig(localStackConfig({ topology: "sentinel", replicas: 1, sentinels: 3 }));
    const deployment = await LocalDeployment.start({ config, progress, keepDir: options.keepDir, baseDir: day2BaseDir() });
    let traffic: Traffic | undefined;
    try {
        const { topology } = deployment.rendered;
        const masterName = topology.masterName ?? "";
        const client = deployment.sentinelClient("app");
        traffic = new Traffic("app:day2:replicas:", primaryOps(client));
        traffic.start();
        checks.record("the client is writing through the sentinels", await traffic.waitForSuccesses(100));

        const name = `redis-${topology.dataNodes.length}`;
        progress(`scale up: adding ${name}`);
        const planned: DataNode = { name, kind: "redis", index: topology.dataNodes.length, initialRole: "replica", announceHost: "", port: 0 };
        const scaled: Topology = { ...topology, dataNodes: [...topology.dataNodes, planned], replicasPerPrimary: topology.replicasPerPrimary + 1 };
        const extra = await renderExtraNode(deployment, config, scaled, planned);
        startExtraNode(deployment, extra);
        const address = { host: extra.node.announceHost, port: extra.node.port };
        const extraCommand = (args: (string | number)[]) => commandAs(deployment, address, "admin", deployment.password("admin"), args);
        const synced = await waitFor(`${name} is in sync`, async () => {
            const info = parseInfo(String(await extraCommand(["INFO", "replication"])));
            return info.role === "slave" && info.master_link_status === "up";
        }, 60000, 250).then(() => true, () => false);
        checks.record(`${name} started as a replica of the primary the sentinels name, and finished its first sync`, synced);
        const placedTopology: Topology = { ...scaled, dataNodes: [...topology.dataNodes, extra.node] };
        progress("scale up: sentinel-reset.sh for the new topology");
        const upLog = await runSentinelReset(deployment, placedTopology, "sentinel-reset-up");
        checks.record("after the scale-up sentinel-reset.sh reset no sentinel (it waited for them to discover the new replica)", resetCount(upLog) === 0, upLog.trim().split("\n").pop());
        for (const sentinel of deployment.sentinelNames) {
            const known = (await sentinelReplicas(deployment, sentinel)).some((replica) => replica.address === `${address.host}:${address.port}` && replica.flags === "slave");
            checks.record(`${sentinel} discovered ${name}`, known);
        }
        const primary = await deployment.sentinelPrimary();
        const connected = Number((await deployment.info(primary, "replication")).connected_slaves);
        checks.record(`the primary has ${topology.dataNodes.length} replicas`, connected === topology.dataNodes.length, `connected_slaves:${connected}`);
        checks.record("writes kept being acknowledged after the scale-up", await traffic.waitForSuccesses(200));

        progress(`making ${name} the primary, so that the scale-down removes the primary`);
        // Setup, not scaling: Redis 7.0 may send its replicas a PING during the switchover's pause that the promoted
        // node lacks, so the others resynchronise in full; the new primary (rendered for two replicas, so
        // min-replicas-to-write 1) would refuse writes meanwhile. Lifted here, restored once both are back.
        await extraCommand(["CONFIG", "SET", "min-replicas-to-write", "0"]);
        // The shipped redis-switchover.sh, as `npm run day2 -- switchover --to` runs it from the stack outputs.
        const outputs = parseStackOutputs(JSON.stringify(localStackOutputs(deployment)));
        const moves = await runSwitchover(outputs, `${address.host}:${address.port}`, { progress: (line) => progress(`  ${line}`) }).catch((error: Error) => {
            progress(`switchover failed: ${error.message}`);
            return [];
        });
        const views = await Promise.all(deployment.sentinelNames.map((sentinel) => deployment.command(sentinel, "admin", ["SENTINEL", "get-master-addr-by-name", masterName]) as Promise<string[]>));
        const promoted = moves.some((move) => move.changed) && views.every(([host, port]) => `${host}:${port}` === `${address.host}:${address.port}`);
        checks.record(`${name} became the primary`, promoted);
        const relinked = await waitFor(`${name} has its replicas back`, async () => (String(await extraCommand(["INFO", "replication"])).match(/state=online/g) ?? []).length === topology.dataNodes.length, 60000, 100).then(() => true, () => false);
        await extraCommand(["CONFIG", "SET", "min-replicas-to-write", "1"]);
        checks.record(`${name} has both replicas linked again`, relinked);
        checks.record("writes kept being acknowledged after the failover", await traffic.waitForSuccesses(200));

        progress(`scale down: ${name} (the highest ordinal, as a StatefulSet removes it) runs its preStop, then stops`);
        await deployment.runScript("redis-prestop.sh", extra.env, `${name}-prestop`);
        const handedOver = await deployment.sentinelPrimary().catch((error: Error) => error.message);
        checks.record(`${name} handed over to a remaining node before it stopped`, topology.dataNodes.some((node) => node.name === handedOver), `primary: ${handedOver}`);
        await deployment.supervisor.stop(name, "SIGTERM", 15000);
        progress("scale down: sentinel-reset.sh for the remaining topology");
        const downLog = await runSentinelReset(deployment, topology, "sentinel-reset-down");
        checks.record(`sentinel-reset.sh reset all ${deployment.sentinelNames.length} sentinels, one at a time`, resetCount(downLog) === deployment.sentinelNames.length, downLog.trim().split("\n").pop());
        for (const sentinel of deployment.sentinelNames) {
            const view = await sentinelView(deployment, sentinel);
            const replicas = await sentinelReplicas(deployment, sentinel);
            const forgot = view.flags === "master" && Number(view["num-other-sentinels"]) === deployment.sentinelNames.length - 1 && replicas.length === topology.dataNodes.length - 1 && replicas.every((replica) => replica.flags === "slave");
            checks.record(`${sentinel} forgot ${name} and still sees the primary, its replicas and the other sentinels`, forgot, JSON.stringify({ flags: view.flags, replicas }));
        }
        const again = await runSentinelReset(deployment, topology, "sentinel-reset-again");
        checks.record("a second run of sentinel-reset.sh resets nothing (idempotent)", resetCount(again) === 0);
        checks.record("writes kept being acknowledged after the scale-down", await traffic.waitForSuccesses(200));

        await traffic.stop();
        const lost = await lostWrites(traffic.acked, (keys) => client.mget(...keys));
        if (traffic.errors.length > 0) {
            progress(`client errors: ${traffic.errors.join(" | ")}`);
        }
        return {
            result: { scenario: "scale-replicas", failed_commands: traffic.failed, acked_writes: { sent: traffic.acked.length, lost: lost.length } },
            checks: checks.checks,
        };
    } finally {
        await traffic?.stop();
        await deployment.destroy();
    }
}
