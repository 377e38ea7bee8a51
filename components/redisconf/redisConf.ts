import { engineHas, EngineName } from "./engines";
import type { NodePaths } from "./layout";
import { listenerLines } from "./listener";
import { mibToRedisSize } from "./memory";
import type { AppendFsync, EvictionPolicy, PersistenceMode } from "./profiles";
import type { FailoverTiming } from "./timing";
import type { DataNode, Topology } from "./topology";
import { ioThreadsFor, minReplicasToWriteFor, replBacklogMiB } from "./tuning";

/** Everything that decides one data node's `redis.conf`. */
export interface RedisConfInput {
    engine: { name: EngineName; version: string };
    topology: Topology;
    node: DataNode;
    paths: NodePaths;
    tls: { enabled: boolean; mtls: boolean };
    /** Addresses to listen on. @default ["*", "-::*"] (every IPv4 and, where available, IPv6 address) */
    bind?: readonly string[];
    /** The port the process listens on when it differs from the announced one (published container ports). */
    listenPort?: number;
    /** The cluster bus port the process listens on when it differs from the announced one. */
    listenBusPort?: number;
    maxmemoryMiB: number;
    evictionPolicy: EvictionPolicy;
    persistence: { mode: PersistenceMode; appendfsync: AppendFsync };
    /** CPU cores the node may use, which decides `io-threads`. */
    cpuCores: number;
    timing: FailoverTiming;
}

/** The RDB snapshot points: after an hour with one change, 5 minutes with 100, a minute with 10000. */
export const RDB_SAVE_POINTS = "3600 1 300 100 60 10000";

/** Settings for commands slower than this many microseconds go to the slow log. */
export const SLOWLOG_THRESHOLD_US = 10000;

/** Events slower than this many milliseconds are recorded by the latency monitor. */
export const LATENCY_MONITOR_THRESHOLD_MS = 100;

/** A block of directives with an optional comment explaining why. */
type Section = { comment?: string; lines: string[] };

function networkSection(input: RedisConfInput): Section {
    const { node, tls } = input;
    const listenPort = input.listenPort ?? node.port;
    const lines = listenerLines({
        port: listenPort,
        bind: input.bind,
        paths: input.paths,
        tls,
        extraTls: [...(input.topology.kind === "cluster" ? ["tls-cluster yes"] : []), 'tls-protocols "TLSv1.2 TLSv1.3"', "tls-prefer-server-ciphers yes"],
    });
    lines.push("tcp-backlog 511", "tcp-keepalive 60", "timeout 300", "maxclients 10000");
    return {
        comment:
            "TLS only: port 0 closes the plaintext listener. Replication and the cluster bus use TLS too, and the node presents its certificate to peers. " +
            "timeout closes idle clients after 5 minutes (replicas and pub/sub clients are exempt) so leaked connections do not pile up.",
        lines,
    };
}

function generalSection(input: RedisConfInput): Section {
    const { engine } = input;
    const threads = ioThreadsFor(input.cpuCores);
    const hideUserData = engineHas(engine, "hideUserDataFromLog");
    const commandLog = engineHas(engine, "commandLog");
    const lines = [
        "daemonize no",
        'logfile ""',
        "loglevel notice",
        ...(hideUserData ? ["hide-user-data-from-log yes"] : []),
        `dir ${input.paths.dataDir}`,
        `aclfile ${input.paths.aclFile}`,
        "acllog-max-len 256",
        "enable-debug-command no",
        "enable-protected-configs no",
        "enable-module-command no",
        `io-threads ${threads}`,
        ...(threads > 1 && !engineHas(engine, "ioThreadsAlwaysRead") ? ["io-threads-do-reads yes"] : []),
        `${commandLog ? "commandlog-execution-slower-than" : "slowlog-log-slower-than"} ${SLOWLOG_THRESHOLD_US}`,
        `${commandLog ? "commandlog-slow-execution-max-len" : "slowlog-max-len"} 256`,
        `latency-monitor-threshold ${LATENCY_MONITOR_THRESHOLD_MS}`,
        "dynamic-hz yes",
    ];
    return {
        comment:
            "Users come from the hashed ACL file; DEBUG, CONFIG SET of protected settings and MODULE are off for everyone, admin included. " +
            (hideUserData ? "Keys and values never reach the log. " : "") +
            `io-threads follows the CPU limit (${input.cpuCores} CPU): threads only help from 4 cores on.`,
        lines,
    };
}

function memorySection(input: RedisConfInput): Section {
    return {
        comment: "Evict (or refuse writes) before the container's memory limit; free memory in the background so deletes never block.",
        lines: [
            `maxmemory ${mibToRedisSize(input.maxmemoryMiB)}`,
            `maxmemory-policy ${input.evictionPolicy}`,
            "lazyfree-lazy-eviction yes",
            "lazyfree-lazy-expire yes",
            "lazyfree-lazy-server-del yes",
            "lazyfree-lazy-user-del yes",
            "replica-lazy-flush yes",
        ],
    };
}

function persistenceSection(input: RedisConfInput): Section {
    const { mode, appendfsync } = input.persistence;
    switch (mode) {
        case "none":
            return {
                comment: "No persistence: a restarted node starts empty and must resync from a primary.",
                lines: ['save ""', "appendonly no"],
            };
        case "rdb":
            return {
                comment: "RDB snapshots only: a restart is warm, but writes since the last snapshot are lost on a crash.",
                lines: [`save ${RDB_SAVE_POINTS}`, "appendonly no", "rdbcompression yes", "rdbchecksum yes", "stop-writes-on-bgsave-error yes"],
            };
        case "aof":
            return {
                comment: `Append-only file, fsynced ${appendfsync === "always" ? "on every write" : "every second"}, with an RDB preamble so restarts load fast.`,
                lines: [
                    'save ""',
                    "appendonly yes",
                    `appendfsync ${appendfsync}`,
                    "aof-use-rdb-preamble yes",
                    "no-appendfsync-on-rewrite no",
                    "auto-aof-rewrite-percentage 100",
                    "auto-aof-rewrite-min-size 64mb",
                    "aof-load-truncated yes",
                ],
            };
    }
}

function replicationSection(input: RedisConfInput): Section | undefined {
    const { topology, node, timing } = input;
    if (topology.replicasPerPrimary === 0) {
        return undefined;
    }
    const minReplicas = minReplicasToWriteFor(topology.replicasPerPrimary);
    const lines = [
        `${engineHas(input.engine, "primaryNames") ? "primaryuser" : "masteruser"} replication`,
        `replica-announce-ip ${node.announceHost}`,
        `replica-announce-port ${node.port}`,
        "replica-read-only yes",
        "replica-serve-stale-data yes",
        "replica-priority 100",
        "repl-diskless-sync yes",
        "repl-diskless-sync-delay 1",
        `repl-diskless-sync-max-replicas ${topology.replicasPerPrimary}`,
        "repl-diskless-load disabled",
        `repl-backlog-size ${replBacklogMiB(input.maxmemoryMiB)}mb`,
        "repl-ping-replica-period 1",
        `min-replicas-to-write ${minReplicas}`,
        `min-replicas-max-lag ${timing.minReplicasMaxLagSeconds}`,
    ];
    return {
        comment:
            "Replicas log in as the replication user (the start script adds masterauth from the password file). " +
            `min-replicas-to-write is ${minReplicas}: a primary refuses writes unless that many replicas acked within min-replicas-max-lag seconds, ` +
            "so a primary cut off from its replicas stops accepting writes that a failover would discard (0 when a primary has a single replica: " +
            "requiring it would turn the loss of that replica into a write outage). The start script decides replicaof at every start.",
        lines,
    };
}

function clusterSection(input: RedisConfInput): Section | undefined {
    const { topology, node, timing } = input;
    if (topology.kind !== "cluster") {
        return undefined;
    }
    const busPort = node.busPort as number;
    const listenBusPort = input.listenBusPort ?? busPort;
    const listenPort = input.listenPort ?? node.port;
    const lines = [
        "cluster-enabled yes",
        `cluster-config-file ${input.paths.dataDir}/nodes.conf`,
        `cluster-node-timeout ${timing.clusterNodeTimeoutMs}`,
        `cluster-port ${listenBusPort}`,
        `cluster-announce-hostname ${node.announceHost}`,
        "cluster-preferred-endpoint-type hostname",
        ...(node.port !== listenPort ? [`cluster-announce-${input.tls.enabled ? "tls-" : ""}port ${node.port}`] : []),
        ...(busPort !== listenBusPort ? [`cluster-announce-bus-port ${busPort}`] : []),
        ...(engineHas(input.engine, "clusterHumanNodename") ? [`cluster-announce-human-nodename ${node.name}`] : []),
        "cluster-require-full-coverage no",
        "cluster-allow-reads-when-down no",
        "cluster-replica-validity-factor 10",
        "cluster-migration-barrier 1",
        "cluster-allow-replica-migration yes",
    ];
    return {
        comment:
            "nodes.conf lives on the data volume so a restarted node rejoins with its identity. Nodes announce a host name, not an IP that " +
            "changes with every pod. cluster-require-full-coverage no: when one shard has no primary, the other shards keep serving their " +
            "slots instead of the whole cluster refusing every command.",
        lines,
    };
}

/**
 * Renders the `redis.conf` of one data node. The file holds no secret: passwords live in the hashed ACL file
 * and `masterauth` is added at start from the password file.
 */
export function renderRedisConf(input: RedisConfInput): string {
    const sections = [
        networkSection(input),
        generalSection(input),
        memorySection(input),
        persistenceSection(input),
        replicationSection(input),
        clusterSection(input),
    ].filter((section): section is Section => section !== undefined);
    const header = [
        `# redis.conf for ${input.node.name} (${input.topology.kind}, ${input.engine.name} ${input.engine.version}).`,
        "# Rendered by components/redisconf/redisConf.ts: edit the renderer, not this file.",
    ];
    const body = sections.map((section) => [...(section.comment ? wrapComment(section.comment) : []), ...section.lines].join("\n"));
    return `${[header.join("\n"), ...body].join("\n\n")}\n`;
}

/** Wraps a comment at about 110 columns, one `#` per line. */
export function wrapComment(text: string, width = 110): string[] {
    const lines: string[] = [];
    let line = "#";
    for (const word of text.split(/\s+/)) {
        if (line.length + word.length + 1 > width && line !== "#") {
            lines.push(line);
            line = "#";
        }
        line += ` ${word}`;
    }
    lines.push(line);
    return lines;
}
