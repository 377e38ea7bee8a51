import { ApplicationRole, ROLE_COMMAND_RULES } from "../redisconf/acl";

/**
 * Our ACL roles as ElastiCache RBAC access strings. ElastiCache takes the Redis ACL rule syntax minus the
 * password and `reset` rules, which it manages itself. Pure: no Pulumi.
 */

/** The access string of the `default` user every user group must contain: switched off, no command. */
export const DISABLED_DEFAULT_ACCESS_STRING = "off -@all";

/**
 * Commands cluster-aware clients send to learn the slot map. The `app` role denies `cluster` outright, so
 * with cluster mode on these read-only subcommands are given back, or no client could route a command.
 */
export const CLUSTER_DISCOVERY_RULES = ["+cluster|slots", "+cluster|shards", "+cluster|nodes", "+cluster|info", "+cluster|myid", "+readonly", "+readwrite"] as const;

/** One application user as the access string needs it. */
export interface AccessStringUser {
    role: ApplicationRole;
    /** Key patterns; `admin` always has every key. */
    keys: readonly string[];
    /** Channel patterns; `admin` always has every channel. */
    channels: readonly string[];
}

/**
 * The ElastiCache access string of one application user: on, its key and channel patterns, then `-@all`
 * and the role's command rules, the same rules `users.acl` gets on self-hosted nodes.
 */
export function elastiCacheAccessString(user: AccessStringUser, clusterMode: boolean): string {
    const keys = user.role === "admin" ? ["*"] : user.keys;
    const channels = user.role === "admin" ? ["*"] : user.channels;
    const discovery = clusterMode && user.role !== "admin" ? CLUSTER_DISCOVERY_RULES : [];
    return [
        "on",
        ...keys.map((pattern) => `~${pattern}`),
        ...channels.map((pattern) => `&${pattern}`),
        "-@all",
        ...ROLE_COMMAND_RULES[user.role],
        ...discovery,
    ].join(" ");
}
