import { asDeploymentConfig, localStackConfig } from "../harness/config";
import { lostWrites } from "../harness/load";
import { LocalDeployment, parseInfo, waitFor } from "../harness/localDeployment";
import { localStackOutputs } from "../harness/stackOutputs";
import { parseStackOutputs } from "../verify/outputs";
import { parseClusterNodes, slotCount } from "../../client/clusterNodes";
import { CheckList } from "./checks";
import { clusterOps, primaryOps } from "./ops";
import { day2BaseDir } from "./runDir";
import type { Day2Options } from "./scenario";
import { runSwitchover, SwitchoverMove } from "./switchover";
import { Traffic } from "./traffic";

/**
 * What the primary-moving scenarios (switchover, engine upgrade) share: a Sentinel (1 primary, 2 replicas,
 * 3 sentinels) or Cluster (3 x 1) run with a client writing through the sentinels or the cluster client
 * the whole time, the switchover run as an operator runs it, and the figures at the end.
 */

/** The figures of one run under load. */
export interface LoadFigures {
    failed: number;
    sent: number;
    lost: number;
    errors: string[];
}

/** What a scenario body gets. */
export interface LoadedRun {
    deployment: LocalDeployment;
    traffic: Traffic;
    checks: CheckList;
    progress: (line: string) => void;
}

/**
 * Starts `kind` locally, runs `body` while a client writes, then stops the load, reads every acknowledged
 * write back and tears the run down.
 *
 * @param extraEnv added to every node's environment (the server binary to start with, for instance)
 */
export async function underLoad(kind: "sentinel" | "cluster", options: Day2Options, checks: CheckList, body: (run: LoadedRun) => Promise<void>, extraEnv: Record<string, string> = {}): Promise<LoadFigures> {
    const progress = options.progress ?? (() => undefined);
    const config = asDeploymentConfig(localStackConfig(kind === "sentinel" ? { topology: "sentinel", replicas: 2, sentinels: 3 } : { topology: "cluster", shards: 3, replicasPerShard: 1 }));
    const deployment = await LocalDeployment.start({ config, progress, keepDir: options.keepDir, baseDir: day2BaseDir(), extraEnv });
    let traffic: Traffic | undefined;
    try {
        const cluster = kind === "cluster" ? deployment.clusterClient("app") : undefined;
        const sentinel = kind === "sentinel" ? deployment.sentinelClient("app") : undefined;
        traffic = new Traffic(`app:day2:${kind}:`, cluster ? clusterOps(cluster) : primaryOps(sentinel!));
        traffic.start();
        checks.record(`${kind}: the client is writing`, await traffic.waitForSuccesses(100));
        await body({ deployment, traffic, checks, progress });
        checks.record(`${kind}: writes kept being acknowledged to the end`, await traffic.waitForSuccesses(200));
        await traffic.stop();
        const lost = await lostWrites(traffic.acked, (keys) => (cluster ? Promise.all(keys.map((key) => cluster.get(key))) : sentinel!.mget(...keys)));
        if (traffic.errors.length > 0) {
            progress(`${kind}: client errors: ${traffic.errors.join(" | ")}`);
        }
        return { failed: traffic.failed, sent: traffic.acked.length, lost: lost.length, errors: traffic.errors };
    } finally {
        await traffic?.stop();
        await deployment.destroy();
    }
}

/** A data node's announced `host:port` (what `--to` takes for a local run, whose hosts are all 127.0.0.1). */
export function nodeAddress(deployment: LocalDeployment, name: string): string {
    const { node } = deployment.node(name);
    return `${node.announceHost}:${node.port}`;
}

/** The data node at `host:port`, by name. */
export function nodeNamed(deployment: LocalDeployment, address: string): string {
    return deployment.dataNodeNames.find((name) => nodeAddress(deployment, name) === address) ?? address;
}

/**
 * Runs the switchover the way `npm run day2 -- switchover` does, from the run's stack outputs.
 *
 * @param to one or more (cluster) node addresses or names
 * @param env more of the script's environment (an engine upgrade's pre-flight)
 */
export async function switchoverTo(run: LoadedRun, to: string, env: Record<string, string> = {}): Promise<SwitchoverMove[]> {
    run.progress(`switchover --to ${to}${Object.keys(env).length > 0 ? ` (${Object.entries(env).map(([name, value]) => `${name}=${value}`).join(" ")})` : ""}`);
    // Through JSON, as `pulumi stack output --json --show-secrets` hands the outputs to the CLI.
    const outputs = parseStackOutputs(JSON.stringify(localStackOutputs(run.deployment)));
    return runSwitchover(outputs, to, { progress: (line) => run.progress(`  ${line}`), env });
}

/** The node that is primary now: the one the sentinels name, or the one serving slot 0 by its own account. */
export async function primaryNow(deployment: LocalDeployment): Promise<string> {
    return deployment.kind === "sentinel" ? deployment.sentinelPrimary() : deployment.clusterPrimaryServing(0);
}

/** The replica a switchover can move the primary of slot 0 to: one that is in sync. */
export async function syncedReplicaOf(deployment: LocalDeployment, primary: string): Promise<string> {
    for (const name of deployment.dataNodeNames.filter((candidate) => candidate !== primary)) {
        const info = await deployment.info(name, "replication");
        if (info.role === "slave" && info.master_link_status === "up" && `${info.master_host}:${info.master_port}` === nodeAddress(deployment, primary)) {
            return name;
        }
    }
    throw new Error(`no replica of ${primary} is in sync`);
}

/**
 * Checks, after a switchover to `target`, that it is the primary by every account (its own role, every
 * sentinel or the slot map), that the old primary follows it (in sync, unless `oldInSync` is false: an old
 * primary on an older engine cannot load a newer one's data), and that every data node's `replica-priority`
 * is what it was before.
 */
export async function checkSwitched(run: LoadedRun, target: string, old: string, priorities: Map<string, string>, oldInSync = true): Promise<void> {
    const { deployment, checks } = run;
    const kind = deployment.kind;
    const role = parseInfo(String(await deployment.command(target, "admin", ["INFO", "replication"]))).role;
    checks.record(`${kind}: ${target} reports role:master`, role === "master", `role:${role}`);
    if (kind === "sentinel") {
        for (const sentinel of deployment.sentinelNames) {
            const named = await deployment.sentinelPrimary(sentinel).catch((error: Error) => error.message);
            checks.record(`${kind}: ${sentinel} names ${target}`, named === target, named);
        }
    } else {
        const myself = parseClusterNodes(String(await deployment.command(target, "admin", ["CLUSTER", "NODES"]))).find((node) => node.flags.includes("myself"));
        const slots = slotCount(myself?.slots ?? []);
        checks.record(`${kind}: ${target} serves its shard's slots as a primary`, myself?.flags.includes("master") === true && slots > 0, `${myself?.flags.join(",")}, ${slots} slots`);
    }
    const following = await waitFor(`${old} follows ${target}`, async () => {
        const info = await deployment.info(old, "replication");
        return info.role === "slave" && (!oldInSync || info.master_link_status === "up") && `${info.master_host}:${info.master_port}` === nodeAddress(deployment, target);
    }, 30000, 250).then(() => true, () => false);
    checks.record(`${kind}: the old primary ${old} is a replica of ${target}${oldInSync ? ", in sync" : ""}`, following);
    const now = await replicaPriorities(deployment);
    const changed = [...priorities].filter(([name, value]) => now.get(name) !== value).map(([name, value]) => `${name}: ${value} -> ${now.get(name)}`);
    checks.record(`${kind}: every replica-priority is back to what it was`, changed.length === 0, changed.join(", "));
}

/** Every data node's `replica-priority`. */
export async function replicaPriorities(deployment: LocalDeployment): Promise<Map<string, string>> {
    const entries = await Promise.all(
        deployment.dataNodeNames.map(async (name) => [name, String(((await deployment.command(name, "admin", ["CONFIG", "GET", "replica-priority"])) as string[])[1])] as const),
    );
    return new Map(entries);
}
