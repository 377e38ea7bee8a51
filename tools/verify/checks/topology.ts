import type { Credential, Endpoint, RedisConnection } from "../../../components/connection";
import { parseInfo } from "../../../client/info";
import { judgeClusterInfo, judgeReplicaLink, judgeSentinels, SentinelView } from "../judge";
import { addressOf, messageOf, NodeAccess, pairs, parseClusterNodes, withNode } from "../nodes";
import type { CheckResult } from "../report";

/** The data nodes `verify` found, and the topology rows. */
export interface Discovered {
    /** The node writes go to (the first primary in a cluster). */
    primary?: Endpoint;
    /** Every data node, primaries first. */
    dataNodes: { endpoint: Endpoint; role: "primary" | "replica" }[];
    results: CheckResult[];
}

async function infoReplication(endpoint: Endpoint, observer: Credential, access: NodeAccess): Promise<Record<string, string>> {
    return parseInfo(String(await withNode(endpoint, observer, access, (client) => client.info("replication"))));
}

async function replicaRows(replicas: readonly Endpoint[], observer: Credential, access: NodeAccess): Promise<CheckResult[]> {
    const rows: CheckResult[] = [];
    for (const replica of replicas) {
        try {
            rows.push({ check: "replication", target: addressOf(replica), ...judgeReplicaLink(await infoReplication(replica, observer, access)) });
        } catch (error) {
            rows.push({ check: "replication", target: addressOf(replica), status: "fail", detail: messageOf(error) });
        }
    }
    return rows;
}

async function primaryRow(primary: Endpoint, observer: Credential, access: NodeAccess, expectedReplicas: number): Promise<CheckResult> {
    try {
        const fields = await infoReplication(primary, observer, access);
        const connected = Number(fields.connected_slaves ?? 0);
        if (fields.role !== "master") {
            return { check: "replication", target: addressOf(primary), status: "fail", detail: `role ${fields.role}, expected the primary` };
        }
        const ok = connected >= expectedReplicas;
        return { check: "replication", target: addressOf(primary), status: ok ? "pass" : "fail", detail: `primary, ${connected} replicas connected${ok ? "" : `, expected ${expectedReplicas}`}` };
    } catch (error) {
        return { check: "replication", target: addressOf(primary), status: "fail", detail: messageOf(error) };
    }
}

async function discoverStandalone(connection: RedisConnection, observer: Credential, access: NodeAccess): Promise<Discovered> {
    const primary = connection.endpoints[0];
    const readers = connection.readerEndpoints ?? [];
    const results = [await primaryRow(primary, observer, access, 0)];
    return { primary, dataNodes: [{ endpoint: primary, role: "primary" }, ...readers.map((endpoint) => ({ endpoint, role: "replica" as const }))], results };
}

async function discoverSentinel(connection: RedisConnection, sentinelObserver: Credential, observer: Credential, access: NodeAccess): Promise<Discovered> {
    const name = connection.sentinelMasterName ?? "";
    const views: SentinelView[] = [];
    const results: CheckResult[] = [];
    let replicas: Endpoint[] = [];
    let primary: Endpoint | undefined;
    for (const sentinel of connection.endpoints) {
        try {
            await withNode(sentinel, sentinelObserver, access, async (client) => {
                const master = pairs(await client.call("SENTINEL", "MASTER", name));
                const quorum = String(await client.call("SENTINEL", "CKQUORUM", name));
                views.push({
                    sentinel: addressOf(sentinel),
                    primary: `${master.ip}:${master.port}`,
                    flags: master.flags ?? "?",
                    otherSentinels: Number(master["num-other-sentinels"]),
                    replicas: Number(master["num-slaves"]),
                    quorum: Number(master.quorum),
                });
                if (!/^OK/.test(quorum)) {
                    results.push({ check: "sentinel-quorum", target: addressOf(sentinel), status: "fail", detail: quorum });
                }
                if (primary === undefined) {
                    primary = { host: master.ip, port: Number(master.port) };
                    const list = ((await client.call("SENTINEL", "REPLICAS", name)) as unknown[]).map(pairs);
                    const down = (replica: Record<string, string>) => /s_down|o_down|disconnected/.test(replica.flags ?? "");
                    for (const replica of list.filter(down)) {
                        results.push({ check: "replication", target: `${replica.ip}:${replica.port}`, status: "fail", detail: `the sentinels see this replica as ${replica.flags}` });
                    }
                    replicas = list.filter((replica) => !down(replica)).map((replica) => ({ host: replica.ip, port: Number(replica.port) }));
                }
            });
        } catch (error) {
            results.push({ check: "sentinel", target: addressOf(sentinel), status: "fail", detail: messageOf(error) });
        }
    }
    results.unshift(...judgeSentinels(views, connection.endpoints.length));
    if (primary === undefined) {
        return { dataNodes: [], results };
    }
    results.push(await primaryRow(primary, observer, access, replicas.length));
    results.push(...(await replicaRows(replicas, observer, access)));
    return { primary, dataNodes: [{ endpoint: primary, role: "primary" }, ...replicas.map((endpoint) => ({ endpoint, role: "replica" as const }))], results };
}

async function discoverCluster(connection: RedisConnection, observer: Credential, access: NodeAccess): Promise<Discovered> {
    const results: CheckResult[] = [];
    for (const seed of connection.endpoints) {
        try {
            const { info, nodes } = await withNode(seed, observer, access, async (client) => ({
                info: parseInfo(String(await client.call("CLUSTER", "INFO"))),
                nodes: parseClusterNodes(String(await client.call("CLUSTER", "NODES"))),
            }));
            results.push({ check: "cluster", target: addressOf(seed), ...judgeClusterInfo(info) });
            const live = nodes.filter((node) => !node.flags.some((flag) => flag === "fail" || flag === "noaddr" || flag === "handshake"));
            const primaries = live.filter((node) => node.flags.includes("master"));
            const replicas = live.filter((node) => node.flags.includes("slave"));
            for (const failed of nodes.filter((node) => !live.includes(node))) {
                results.push({ check: "cluster-node", target: addressOf(failed.endpoint), status: "fail", detail: `flags ${failed.flags.join(",")}` });
            }
            for (const shard of primaries.filter((node) => node.slots.length > 0)) {
                const count = replicas.filter((replica) => replica.primaryId === shard.id).length;
                const anyReplicas = replicas.length > 0;
                results.push({
                    check: "cluster-shard",
                    target: addressOf(shard.endpoint),
                    status: anyReplicas && count === 0 ? "fail" : "pass",
                    detail: `slots ${shard.slots.join(" ")}, ${count} replicas${anyReplicas && count === 0 ? ": a failure of this primary loses its slots" : ""}`,
                });
            }
            results.push(...(await replicaRows(replicas.map((node) => node.endpoint), observer, access)));
            const ordered = [...primaries, ...replicas];
            return {
                primary: primaries.find((node) => node.slots.length > 0)?.endpoint,
                dataNodes: ordered.map((node) => ({ endpoint: node.endpoint, role: node.flags.includes("master") ? ("primary" as const) : ("replica" as const) })),
                results,
            };
        } catch (error) {
            results.push({ check: "cluster", target: addressOf(seed), status: "fail", detail: messageOf(error) });
        }
    }
    return { dataNodes: [], results };
}

/**
 * Finds the data nodes and checks the topology's health: the primary's role and replicas (standalone), the
 * sentinels' view, quorum and agreement and every replica's link (sentinel), or cluster state, slot coverage,
 * a replica per shard and every replica's link (cluster).
 *
 * @param observer a user that may run INFO (and CLUSTER INFO/NODES in a cluster): admin or monitor
 * @param sentinelObserver a user the sentinels know
 */
export function discover(connection: RedisConnection, observer: Credential, sentinelObserver: Credential, access: NodeAccess): Promise<Discovered> {
    switch (connection.mode) {
        case "standalone":
            return discoverStandalone(connection, observer, access);
        case "sentinel":
            return discoverSentinel(connection, sentinelObserver, observer, access);
        case "cluster":
            return discoverCluster(connection, observer, access);
    }
}
