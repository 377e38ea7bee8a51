import type { SelfHostedSettings } from "../settings";

/**
 * Which nodes a self-hosted topology has, with names, roles and addresses. Where a node lives (its announce
 * host and ports) is the only thing that differs between platforms, so it comes from a placement function:
 * Docker and Kubernetes pass DNS names and container ports, the local harness passes 127.0.0.1 and free ports.
 */

/** The kind of process a node runs. */
export type NodeKind = "redis" | "sentinel";

/** What a placement function is asked about. */
export interface NodeIdentity {
    /** Stable node name, such as `redis-0` or `sentinel-2`. */
    name: string;
    kind: NodeKind;
    /** The node's index among nodes of its kind, from 0. */
    index: number;
}

/** Where a node listens and how others reach it. */
export interface NodePlacement {
    /** The host name or IP address other nodes and clients reach this node at (announced to peers). */
    announceHost: string;
    /** The client port: the TLS port when TLS is on, else the plain port. */
    port: number;
    /** The cluster bus port (cluster topology only). */
    busPort?: number;
}

/** Decides where each node lives. */
export type PlacementFn = (node: NodeIdentity) => NodePlacement;

/** A Redis data node. */
export interface DataNode extends NodeIdentity, NodePlacement {
    kind: "redis";
    /** The role the node has when the deployment is first created. */
    initialRole: "primary" | "replica";
    /** The cluster shard the node is created in (cluster topology only). */
    shard?: number;
}

/** A sentinel process. */
export interface SentinelNode extends NodeIdentity, NodePlacement {
    kind: "sentinel";
}

/** Every node of a deployment. */
export interface Topology {
    kind: SelfHostedSettings["topology"];
    /** Data nodes; in sentinel and standalone topologies `redis-0` is the designated initial primary. */
    dataNodes: DataNode[];
    /** Sentinels (sentinel topology only). */
    sentinels: SentinelNode[];
    /** The name sentinels monitor the primary under (sentinel topology only). */
    masterName?: string;
    /** Sentinel quorum: a majority of the sentinels (sentinel topology only). */
    quorum?: number;
    /** Replicas per primary, which decides `min-replicas-to-write`. */
    replicasPerPrimary: number;
    /** Cluster shards (cluster topology only), each with its initial primary and replicas by node name. */
    shards: { primary: string; replicas: string[] }[];
}

/** The name sentinels monitor the primary under unless told otherwise. */
export const DEFAULT_MASTER_NAME = "redis-primary";

/**
 * The nodes of a topology. Cluster nodes are numbered primaries first (`redis-0` .. `redis-<shards-1>`), then
 * the replicas of shard 0, 1, ... in turn.
 *
 * @param selfhosted the resolved `selfhosted` section of the stack config
 * @param place where each node lives on the platform
 * @param masterName the sentinel master name
 */
export function buildTopology(selfhosted: SelfHostedSettings, place: PlacementFn, masterName: string = DEFAULT_MASTER_NAME): Topology {
    const dataNode = (index: number, initialRole: DataNode["initialRole"], shard?: number): DataNode => {
        const identity: NodeIdentity = { name: `redis-${index}`, kind: "redis", index };
        const placement = place(identity);
        return { ...identity, kind: "redis", ...placement, initialRole, ...(shard === undefined ? {} : { shard }) };
    };
    switch (selfhosted.topology) {
        case "standalone":
            return { kind: "standalone", dataNodes: [dataNode(0, "primary")], sentinels: [], replicasPerPrimary: 0, shards: [] };
        case "sentinel": {
            const dataNodes = Array.from({ length: 1 + selfhosted.replicas }, (_, i) => dataNode(i, i === 0 ? "primary" : "replica"));
            const sentinels = Array.from({ length: selfhosted.sentinels }, (_, index): SentinelNode => {
                const identity: NodeIdentity = { name: `sentinel-${index}`, kind: "sentinel", index };
                return { ...identity, kind: "sentinel", ...place(identity) };
            });
            return {
                kind: "sentinel",
                dataNodes,
                sentinels,
                masterName,
                quorum: Math.floor(selfhosted.sentinels / 2) + 1,
                replicasPerPrimary: selfhosted.replicas,
                shards: [],
            };
        }
        case "cluster": {
            const { shards, replicasPerShard } = selfhosted;
            const dataNodes: DataNode[] = [];
            for (let shard = 0; shard < shards; shard++) {
                dataNodes.push(dataNode(shard, "primary", shard));
            }
            let next = shards;
            const shardList = Array.from({ length: shards }, (_, shard) => ({ primary: `redis-${shard}`, replicas: [] as string[] }));
            for (let round = 0; round < replicasPerShard; round++) {
                for (let shard = 0; shard < shards; shard++) {
                    const node = dataNode(next++, "replica", shard);
                    dataNodes.push(node);
                    shardList[shard].replicas.push(node.name);
                }
            }
            for (const node of dataNodes) {
                if (node.busPort === undefined) {
                    throw new Error(`cluster node ${node.name} has no bus port: the placement must give every cluster node a busPort`);
                }
            }
            return { kind: "cluster", dataNodes, sentinels: [], replicasPerPrimary: replicasPerShard, shards: shardList };
        }
    }
}

/** The data node with this name. @throws Error when there is none. */
export function dataNodeNamed(topology: Topology, name: string): DataNode {
    const node = topology.dataNodes.find((candidate) => candidate.name === name);
    if (!node) {
        throw new Error(`the topology has no data node "${name}": it has ${topology.dataNodes.map((n) => n.name).join(", ")}`);
    }
    return node;
}

/**
 * The cluster slot ranges each shard is created with: 16384 slots split as evenly as possible, the first
 * shards taking one extra slot when the split is uneven.
 */
export function slotRanges(shards: number): [number, number][] {
    const ranges: [number, number][] = [];
    const base = Math.floor(16384 / shards);
    const extra = 16384 % shards;
    let start = 0;
    for (let shard = 0; shard < shards; shard++) {
        const size = base + (shard < extra ? 1 : 0);
        ranges.push([start, start + size - 1]);
        start += size;
    }
    return ranges;
}
