import type { NodePaths } from "../layout";
import type { DataNode, SentinelNode, Topology } from "../topology";

/**
 * The environment the rendered scripts read. Scripts are the same text everywhere; everything that differs
 * between nodes and platforms (addresses, paths) travels in these variables, so a container and the local
 * harness run byte-for-byte the same script.
 */
export type ScriptEnv = Record<string, string>;

/** What the environment of one node's scripts is built from. */
export interface ScriptEnvInput {
    topology: Topology;
    node: DataNode | SentinelNode;
    paths: NodePaths;
    tls: { enabled: boolean };
    /** The port the process listens on when it differs from the announced one (scripts talk to it locally). */
    listenPort?: number;
    /** Seconds a data node waits for a sentinel to answer before giving up. @default 60 */
    startTimeoutSeconds?: number;
}

function address(node: { announceHost: string; port: number }): string {
    return `${node.announceHost}:${node.port}`;
}

/** The environment of a node's start and preStop scripts. */
export function scriptEnvFor(input: ScriptEnvInput): ScriptEnv {
    const { topology, node, paths } = input;
    const env: ScriptEnv = {
        REDIS_TOPOLOGY: topology.kind,
        REDIS_NODE_NAME: node.name,
        REDIS_ANNOUNCE_HOST: node.announceHost,
        REDIS_PORT: String(node.port),
        REDIS_LOCAL_PORT: String(input.listenPort ?? node.port),
        REDIS_CONF_FILE: paths.configFile,
        REDIS_DATA_DIR: paths.dataDir,
        REDIS_PASSWORD_DIR: paths.passwordDir,
        REDIS_TLS: input.tls.enabled ? "yes" : "no",
        REDIS_START_TIMEOUT: String(input.startTimeoutSeconds ?? 60),
    };
    if (input.tls.enabled) {
        env.REDIS_TLS_CA_FILE = paths.tls.caFile;
        env.REDIS_TLS_CLIENT_CERT_FILE = paths.tls.clientCertFile;
        env.REDIS_TLS_CLIENT_KEY_FILE = paths.tls.clientKeyFile;
    }
    if (topology.kind === "sentinel") {
        const initialPrimary = topology.dataNodes.find((candidate) => candidate.initialRole === "primary");
        env.REDIS_SENTINELS = topology.sentinels.map(address).join(" ");
        env.REDIS_MASTER_NAME = topology.masterName ?? "";
        env.REDIS_INITIAL_PRIMARY = initialPrimary ? address(initialPrimary) : "";
    }
    return env;
}

/**
 * The extra environment of the cluster-creation job: each primary with its slot range, each replica with the
 * primary it follows. Runs with the paths and credentials of any node (it only uses `admin`).
 */
export function clusterCreateEnvFor(topology: Topology, slotRangesByShard: readonly [number, number][]): ScriptEnv {
    if (topology.kind !== "cluster") {
        throw new Error(`clusterCreateEnvFor needs a cluster topology, got "${topology.kind}"`);
    }
    const byName = new Map(topology.dataNodes.map((node) => [node.name, node]));
    const primaries = topology.shards.map((shard, index) => {
        const node = byName.get(shard.primary) as DataNode;
        const [first, last] = slotRangesByShard[index];
        return `${address(node)}:${node.busPort}:${first}-${last}`;
    });
    const replicas = topology.shards.flatMap((shard) => {
        const primary = byName.get(shard.primary) as DataNode;
        return shard.replicas.map((name) => {
            const node = byName.get(name) as DataNode;
            return `${address(node)}:${node.busPort}:${address(primary)}`;
        });
    });
    return { REDIS_CLUSTER_PRIMARIES: primaries.join(" "), REDIS_CLUSTER_REPLICAS: replicas.join(" ") };
}

/**
 * The extra environment of the sentinel-reset job (`sentinel-reset.sh`): every data node's `host:port`, the
 * nodes the sentinels must list (all but the primary as replicas). Runs with a data node's environment, which
 * names the sentinels and the master; it only uses the `sentinel` user.
 */
export function sentinelResetEnvFor(topology: Topology): ScriptEnv {
    if (topology.kind !== "sentinel") {
        throw new Error(`sentinelResetEnvFor needs a sentinel topology, got "${topology.kind}"`);
    }
    return { REDIS_NODE_NAME: "sentinel-reset", REDIS_DATA_NODES: topology.dataNodes.map(address).join(" ") };
}
