import { aclPasswordHash, AclUserEntry } from "./acl";
import { EngineName, engineHas } from "./engines";
import type { NodePaths } from "./layout";
import { listenerLines } from "./listener";
import { wrapComment } from "./redisConf";
import type { FailoverTiming } from "./timing";
import type { SentinelNode, Topology } from "./topology";

/**
 * Commands a client may send a sentinel to find the primary (what ioredis, redis-py and Lettuce send), plus
 * the read-only views an exporter reads. No user but `admin` and `sentinel` may reconfigure a sentinel.
 */
export const SENTINEL_CLIENT_RULES: readonly string[] = [
    "+@connection",
    "+ping",
    "+info",
    "+role",
    "+subscribe",
    "+psubscribe",
    "+unsubscribe",
    "+punsubscribe",
    "+sentinel|get-master-addr-by-name",
    "+sentinel|master",
    "+sentinel|masters",
    "+sentinel|sentinels",
    "+sentinel|replicas",
    "+sentinel|slaves",
    "+sentinel|ckquorum",
];

/**
 * The same discovery commands under Valkey's own names (Valkey 8.0 on), which newer Valkey clients send. Older
 * engines do not know them, and a sentinel refuses a `user` line naming an unknown subcommand.
 */
export const SENTINEL_PRIMARY_CLIENT_RULES: readonly string[] = ["+sentinel|get-primary-addr-by-name", "+sentinel|primary", "+sentinel|primaries"];

/** The discovery rules of an engine version: {@link SENTINEL_CLIENT_RULES}, and Valkey's own names where it has them. */
export function sentinelClientRulesFor(engine: { name: EngineName; version: string }): string[] {
    return [...SENTINEL_CLIENT_RULES, ...(engineHas(engine, "sentinelPrimarySubcommands") ? SENTINEL_PRIMARY_CLIENT_RULES : [])];
}

/** The user sentinels log in as, to the data nodes and to each other. */
export const SENTINEL_USER = "sentinel";

/**
 * The sentinel-side rules for one deployment user, or `undefined` when the user has no business with sentinels.
 *
 * @param engine the engine version, which decides the discovery subcommands that exist.
 */
export function sentinelRulesFor(user: AclUserEntry, engine: { name: EngineName; version: string }): string[] | undefined {
    switch (user.role) {
        case "admin":
        case "sentinel":
            return ["+@all"];
        case "app":
        case "readonly":
        case "monitor":
            return sentinelClientRulesFor(engine);
        case "replication":
        case "backup":
            return undefined;
    }
}

/** Everything that decides one sentinel's `sentinel.conf`. */
export interface SentinelConfInput {
    engine: { name: EngineName; version: string };
    topology: Topology;
    node: SentinelNode;
    paths: Pick<NodePaths, "dataDir" | "tls">;
    tls: { enabled: boolean; mtls: boolean };
    /** Addresses to listen on. @default ["*", "-::*"] */
    bind?: readonly string[];
    /** The port the process listens on when it differs from the announced one. */
    listenPort?: number;
    /** The deployment's users (from `aclEntriesFor`); sentinels get the ones that talk to them. */
    users: readonly AclUserEntry[];
    timing: FailoverTiming;
}

/**
 * Renders the `sentinel.conf` template of one sentinel. Every sentinel gets the same initial primary
 * (`redis-0`), or sentinels would each elect their own. The file holds password hashes, never a password:
 * the start script appends `auth-pass` and `sentinel-pass` from the password file into the writable copy the
 * sentinel runs with (a sentinel rewrites its config as it learns the topology).
 */
export function renderSentinelConf(input: SentinelConfInput): string {
    const { topology, node, tls, timing } = input;
    if (topology.kind !== "sentinel" || topology.masterName === undefined || topology.quorum === undefined) {
        throw new Error(`renderSentinelConf needs a sentinel topology, got "${topology.kind}"`);
    }
    const initialPrimary = topology.dataNodes.find((candidate) => candidate.initialRole === "primary");
    if (!initialPrimary) {
        throw new Error("the sentinel topology has no initial primary");
    }
    if (!input.users.some((user) => user.name === SENTINEL_USER && user.role === "sentinel")) {
        throw new Error(`the users given to renderSentinelConf must include "${SENTINEL_USER}" with role sentinel`);
    }
    const master = topology.masterName;
    const listenPort = input.listenPort ?? node.port;
    const network = listenerLines({ port: listenPort, bind: input.bind, paths: input.paths, tls, extraTls: ['tls-protocols "TLSv1.2 TLSv1.3"'] });
    const users = ["user default reset off resetkeys resetchannels -@all"];
    for (const user of input.users) {
        const rules = sentinelRulesFor(user, input.engine);
        if (rules === undefined) {
            continue;
        }
        const hashes = user.passwords.map((password) => `#${aclPasswordHash(password)}`);
        // Sentinels publish only their own events, so every user that may subscribe may hear all of them.
        users.push(`user ${user.name} reset ${user.enabled === false ? "off" : "on"} ${hashes.join(" ")} resetkeys &* -@all ${rules.join(" ")}`);
    }
    const sections: { comment: string; lines: string[] }[] = [
        { comment: `sentinel.conf for ${node.name}. Rendered by components/redisconf/sentinelConf.ts. TLS only, to clients and to the data nodes (tls-replication).`, lines: network },
        {
            comment: "Sentinels announce host names, and resolve the host names data nodes announce, so addresses survive pod restarts.",
            lines: [
                'logfile ""',
                `dir ${input.paths.dataDir}`,
                "sentinel resolve-hostnames yes",
                "sentinel announce-hostnames yes",
                `sentinel announce-ip ${node.announceHost}`,
                `sentinel announce-port ${node.port}`,
                "sentinel deny-scripts-reconfig yes",
                `sentinel sentinel-user ${SENTINEL_USER}`,
            ],
        },
        { comment: "Users: the default user is off; clients may only discover the primary. Password hashes only.", lines: users },
        {
            comment:
                `Every sentinel starts from the same initial primary; the quorum is a majority (${topology.quorum} of ${topology.sentinels.length}), ` +
                `so a minority cannot fail over on its own. down-after ${timing.downAfterMs} ms trades false failovers for recovery time.`,
            lines: [
                `sentinel monitor ${master} ${initialPrimary.announceHost} ${initialPrimary.port} ${topology.quorum}`,
                `sentinel auth-user ${master} ${SENTINEL_USER}`,
                `sentinel down-after-milliseconds ${master} ${timing.downAfterMs}`,
                `sentinel failover-timeout ${master} ${timing.failoverTimeoutMs}`,
                `sentinel parallel-syncs ${master} ${timing.parallelSyncs}`,
            ],
        },
    ];
    const body = sections.map((section) => [...wrapComment(section.comment), ...section.lines].join("\n"));
    return `${body.join("\n\n")}\n`;
}
