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
 * Scaling replicas on Sentinel (1 primary, 1 replica, 3 sentinels) with writes running through the
 * sentinels: a second replica is added (rendered like its peers, started with the start script, which asks
 * the sentinels whom to follow), then removed again as a StatefulSet scale-down would (the highest ordinal
 * stops), and every sentinel is told to forget it with `SENTINEL RESET`, one sentinel at a time.
 */
export async function scaleReplicas(options: Day2Options = {}): Promise<Day2Outcome> {
    const progress = options.progress ?? (() => undefined);
    const checks = new CheckList(progress);
    const config = asDeploymentConfig(localStackConfig({ topology: "sentinel", replicas: 1, sentinels: 3 }));
    const deployment = await LocalDeployment.start({ config, progress, keepDir: options.keepDir, baseDir: day2BaseDir() });
    let traffic: Traffic | undefined;
    try {
        const { topology } = deployment.rendered;
        const primary = await deployment.sentinelPrimary();
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
        const synced = await waitFor(`${name} is in sync`, async () => {
            const info = parseInfo(String(await commandAs(deployment, address, "admin", deployment.password("admin"), ["INFO", "replication"])));
            return info.role === "slave" && info.master_link_status === "up";
        }, 60000, 250).then(() => true, () => false);
        checks.record(`${name} started as a replica of the primary the sentinels name, and finished its first sync`, synced);
        for (const sentinel of deployment.sentinelNames) {
            const known = await waitFor(`${sentinel} knows ${name}`, async () => (await sentinelReplicas(deployment, sentinel)).some((replica) => replica.address === `${address.host}:${address.port}` && replica.flags === "slave"), 60000, 250).then(() => true, () => false);
            checks.record(`${sentinel} discovered ${name}`, known);
        }
        const connected = Number((await deployment.info(primary, "replication")).connected_slaves);
        checks.record(`the primary has ${topology.dataNodes.length} replicas`, connected === topology.dataNodes.length, `connected_slaves:${connected}`);
        checks.record("writes kept being acknowledged after the scale-up", await traffic.waitForSuccesses(200));

        progress(`scale down: stopping ${name} (the highest ordinal, as a StatefulSet does)`);
        await deployment.supervisor.stop(name, "SIGTERM", 15000);
        for (const sentinel of deployment.sentinelNames) {
            progress(`SENTINEL RESET on ${sentinel}`);
            await deployment.command(sentinel, "admin", ["SENTINEL", "RESET", topology.masterName ?? ""]);
            const forgot = await waitFor(`${sentinel} lists only the remaining replicas`, async () => {
                const view = await sentinelView(deployment, sentinel);
                const replicas = await sentinelReplicas(deployment, sentinel);
                return view.flags === "master" && replicas.length === topology.dataNodes.length - 1 && replicas.every((replica) => replica.flags === "slave");
            }, 60000, 250).then(() => true, () => false);
            checks.record(`${sentinel} forgot ${name} and still sees the primary and its replicas`, forgot);
        }
        checks.record("writes kept being acknowledged after the scale-down", await traffic.waitForSuccesses(200));
        checks.record("the primary never changed", (await deployment.sentinelPrimary()) === primary);

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
