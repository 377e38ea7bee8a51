import { AclUserEntry, renderUsersAcl } from "./acl";
import type { RedisSettings, SelfHostedSettings } from "../settings";

/**
 * The ACL users a self-hosted deployment has: the system users this project creates, then the stack's own
 * application users. The Pulumi components and the local harness both call {@link aclEntriesFor}, so the
 * users that tests prove are the users that get deployed.
 */

/** The system users every self-hosted node has, whatever the topology. */
export const ALWAYS_SYSTEM_USERS = ["admin", "monitor", "backup"] as const;

/** The part of the stack config that decides which users exist. */
export type UsersConfig = Pick<RedisSettings, "acl"> & {
    selfhosted: Pick<SelfHostedSettings, "topology" | "replicas" | "replicasPerShard">;
};

/**
 * The system user names for a topology: `admin`, `monitor`, `backup`, plus `replication` when nodes have
 * replicas and `sentinel` in the sentinel topology.
 */
export function systemUserNames(selfhosted: UsersConfig["selfhosted"]): string[] {
    const names: string[] = [...ALWAYS_SYSTEM_USERS];
    const hasReplicas = selfhosted.topology === "cluster" ? selfhosted.replicasPerShard > 0 : selfhosted.replicas > 0;
    if (hasReplicas) {
        names.push("replication");
    }
    if (selfhosted.topology === "sentinel") {
        names.push("sentinel");
    }
    return names;
}

/** Every user name of a deployment: system users first, then the stack's users in config order. */
export function allUserNames(config: UsersConfig): string[] {
    return [...systemUserNames(config.selfhosted), ...config.acl.users.map((user) => user.name)];
}

/**
 * The `users.acl` entries of a deployment.
 *
 * @param config the stack config (its `acl.users` and `selfhosted` topology)
 * @param passwordsByUser every user's passwords, current first; a second one keeps the previous password
 *   valid during a rotation window
 * @throws Error naming the user when a password is missing
 */
export function aclEntriesFor(config: UsersConfig, passwordsByUser: Readonly<Record<string, readonly string[]>>): AclUserEntry[] {
    const passwords = (name: string): readonly string[] => {
        const list = passwordsByUser[name];
        if (list === undefined || list.length === 0) {
            throw new Error(`no password for ACL user "${name}": pass one in passwordsByUser`);
        }
        return list;
    };
    const system: AclUserEntry[] = systemUserNames(config.selfhosted).map((name) => ({
        name,
        role: name as AclUserEntry["role"],
        passwords: passwords(name),
    }));
    const application: AclUserEntry[] = config.acl.users.map((user) => ({
        name: user.name,
        role: user.role,
        keys: user.keys,
        channels: user.channels,
        passwords: passwords(user.name),
    }));
    return [...system, ...application];
}

/**
 * CLUSTER subcommands the `app` and `readonly` roles get in the cluster topology: cluster clients read the
 * slot map (CLUSTER SLOTS, SHARDS or NODES), ioredis checks CLUSTER INFO before it is ready, and replica
 * reads need READONLY. They only read the topology; `ROLE_COMMAND_RULES` denies every other CLUSTER command.
 */
export const CLUSTER_CLIENT_RULES = ["+cluster|slots", "+cluster|shards", "+cluster|nodes", "+cluster|info", "+cluster|myid", "+readonly", "+readwrite"] as const;

/**
 * Renders the `users.acl` of a self-hosted deployment: `renderUsersAcl`, plus {@link CLUSTER_CLIENT_RULES} for
 * the `app` and `readonly` users when the topology is a cluster.
 */
export function renderDeploymentUsersAcl(users: readonly AclUserEntry[], topology: UsersConfig["selfhosted"]["topology"]): string {
    const text = renderUsersAcl(users);
    if (topology !== "cluster") {
        return text;
    }
    const clientUsers = new Set(users.filter((user) => user.role === "app" || user.role === "readonly").map((user) => user.name));
    return text
        .split("\n")
        .map((line) => (clientUsers.has(line.split(" ")[1]) ? `${line} ${CLUSTER_CLIENT_RULES.join(" ")}` : line))
        .join("\n");
}
