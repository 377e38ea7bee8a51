import { createHash } from "node:crypto";

/**
 * ACL roles and the `users.acl` file. Every role starts from `-@all` and adds only what it needs, so a
 * command category that a later Redis version adds is denied until someone decides otherwise.
 */

/** The roles a user can have. */
export const ACL_ROLES = ["admin", "app", "readonly", "monitor", "replication", "sentinel", "backup"] as const;

/** An ACL role. */
export type AclRole = (typeof ACL_ROLES)[number];

/** Roles a stack may give to its own users; the others belong to the system users this project creates. */
export const APPLICATION_ROLES = ["app", "readonly", "admin"] as const;

/** A role that stack config may assign. */
export type ApplicationRole = (typeof APPLICATION_ROLES)[number];

/** Commands no application user may run, whatever its role: they can wipe, stall or reconfigure a node. */
export const DANGEROUS_COMMANDS = [
    "flushall",
    "flushdb",
    "keys",
    "debug",
    "config",
    "shutdown",
    "monitor",
    "replicaof",
    "slaveof",
    "save",
    "bgsave",
    "bgrewriteaof",
    "migrate",
    "cluster",
    "failover",
    "module",
    "acl",
    "sync",
    "psync",
    "swapdb",
] as const;

/**
 * Command rules per role, after `-@all`.
 *
 * - `app` may use every data, scripting, pub/sub and transaction command, never `@admin` or `@dangerous`
 *   ones; `info` stays allowed because clients (ioredis's ready check among them) ask for it.
 * - `monitor` is what prometheus-redis-exporter reads: INFO, CONFIG GET (maxmemory, maxclients), SLOWLOG,
 *   LATENCY, CLIENT LIST, CLUSTER INFO and NODES; it can touch no key.
 * - `replication` is the set the Redis replication docs give: PSYNC, REPLCONF, PING.
 * - `sentinel` is the set the Redis Sentinel docs give for a sentinel's ACL user.
 * - `backup` is what `redis-cli --rdb` sends: REPLCONF and SYNC (PSYNC for older clients), plus PING and INFO.
 */
export const ROLE_COMMAND_RULES: Readonly<Record<AclRole, readonly string[]>> = {
    admin: ["+@all"],
    app: ["+@all", "-@admin", "-@dangerous", ...DANGEROUS_COMMANDS.map((command) => `-${command}`), "+info"],
    readonly: ["+@read", "+@connection", "-@dangerous", "-keys", "+info"],
    monitor: [
        "+@connection",
        "+info",
        "+ping",
        "+config|get",
        "+client|list",
        "+client|info",
        "+slowlog|get",
        "+slowlog|len",
        "+latency|latest",
        "+latency|histogram",
        "+memory|stats",
        "+cluster|info",
        "+cluster|nodes",
        "+cluster|shards",
    ],
    replication: ["+psync", "+replconf", "+ping"],
    sentinel: [
        "+multi",
        "+exec",
        "+slaveof",
        "+replicaof",
        "+ping",
        "+subscribe",
        "+publish",
        "+config|rewrite",
        "+role",
        "+info",
        "+client|setname",
        "+client|kill",
        "+script|kill",
    ],
    backup: ["+replconf", "+sync", "+psync", "+ping", "+info"],
};

/** Key and channel access a role has regardless of config. `undefined` means config decides. */
const ROLE_FIXED_PATTERNS: Readonly<Record<AclRole, { keys: readonly string[]; channels: readonly string[] } | undefined>> = {
    admin: { keys: ["*"], channels: ["*"] },
    app: undefined,
    readonly: undefined,
    monitor: { keys: [], channels: [] },
    replication: { keys: [], channels: [] },
    sentinel: { keys: [], channels: ["*"] },
    backup: { keys: [], channels: [] },
};

/** One user as it goes into `users.acl`. */
export interface AclUserEntry {
    /** The ACL username. */
    name: string;
    /** The role that decides its commands. */
    role: AclRole;
    /** Key patterns (`~` rules) for `app` and `readonly`; ignored for roles with fixed access. */
    keys?: readonly string[];
    /** Channel patterns (`&` rules) for `app` and `readonly`; ignored for roles with fixed access. */
    channels?: readonly string[];
    /** Every password that may log in: the current one first, the previous one during a rotation window. */
    passwords: readonly string[];
    /** Whether the user may log in. @default true */
    enabled?: boolean;
}

/** The SHA-256 of a password as `users.acl` stores it (`#<hex>`), so the file holds no plain password. */
export function aclPasswordHash(password: string): string {
    return createHash("sha256").update(password, "utf8").digest("hex");
}

/** The ACL rules (everything after `user <name>`) for one user. */
export function aclRulesFor(user: AclUserEntry): string[] {
    if (user.passwords.length === 0 || user.passwords.length > 2) {
        throw new Error(`ACL user "${user.name}" must have one or two passwords, got ${user.passwords.length}`);
    }
    const fixed = ROLE_FIXED_PATTERNS[user.role];
    const keys = fixed?.keys ?? user.keys ?? [];
    const channels = fixed?.channels ?? user.channels ?? [];
    return [
        "reset",
        user.enabled === false ? "off" : "on",
        ...user.passwords.map((password) => `#${aclPasswordHash(password)}`),
        ...keys.map((pattern) => (user.role === "readonly" ? `%R~${pattern}` : `~${pattern}`)),
        "resetchannels",
        ...channels.map((pattern) => `&${pattern}`),
        "-@all",
        ...ROLE_COMMAND_RULES[user.role],
    ];
}

/**
 * Renders `users.acl`: the `default` user switched off with no access, then every user, in the order
 * given. The result holds password hashes: treat it as a secret all the same.
 */
export function renderUsersAcl(users: readonly AclUserEntry[]): string {
    const names = new Set<string>();
    for (const user of users) {
        if (user.name === "default") {
            throw new Error('ACL user "default" is reserved: it is always rendered disabled');
        }
        if (names.has(user.name)) {
            throw new Error(`ACL user "${user.name}" appears twice`);
        }
        names.add(user.name);
    }
    const lines = [
        "user default reset off resetkeys resetchannels -@all",
        ...users.map((user) => `user ${user.name} ${aclRulesFor(user).join(" ")}`),
    ];
    return `${lines.join("\n")}\n`;
}
