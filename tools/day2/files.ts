import { randomBytes } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { AclUserEntry, renderUsersAcl } from "../../components/redisconf/acl";
import { renderSentinelConf } from "../../components/redisconf/sentinelConf";
import type { SentinelNode } from "../../components/redisconf/topology";
import type { LocalDeployment } from "../harness/localDeployment";

/**
 * Rewrites the mounted files of a local run the way a platform updates them: each file replaced atomically
 * (kubelet swaps a Secret volume's files in one rename), the ACL file and sentinel configs first, the
 * password files last.
 */

/** Every user's valid passwords, the current one first. */
export type PasswordsByUser = Readonly<Record<string, readonly string[]>>;

/** Replaces `file` with `content` in one rename, so a reader sees the old or the new file, never half of one. */
export function writeAtomic(file: string, content: string, mode = 0o600): void {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString("hex")}`);
    writeFileSync(temp, content, { mode });
    renameSync(temp, file);
}

/** A new random password in the charset the rendered scripts accept. Never print it. */
export function newPassword(): string {
    return randomBytes(30).toString("base64url").replace(/[-_]/g, "x");
}

/** The deployment's users with these passwords. */
export function usersWithPasswords(deployment: LocalDeployment, passwordsByUser: PasswordsByUser): AclUserEntry[] {
    return deployment.rendered.users.map((user) => {
        const passwords = passwordsByUser[user.name];
        if (passwords === undefined || passwords.length === 0) {
            throw new Error(`no password given for user "${user.name}"`);
        }
        return { ...user, passwords };
    });
}

function withoutUserLines(text: string): string {
    return text
        .split("\n")
        .filter((line) => !line.startsWith("user "))
        .join("\n");
}

/**
 * Writes `users.acl`, every sentinel's config template and one password file per user (its current password)
 * for `passwordsByUser`, as `pulumi up` after a rotation change would.
 *
 * @throws Error when a re-rendered sentinel config differs from the running one in anything but its users
 */
export function writeCredentialFiles(deployment: LocalDeployment, passwordsByUser: PasswordsByUser): void {
    const users = usersWithPasswords(deployment, passwordsByUser);
    const { rendered } = deployment;
    const dataNode = rendered.nodes.find((node) => node.node.kind === "redis");
    if (!dataNode) {
        throw new Error("the run has no data node");
    }
    writeAtomic(dataNode.paths.aclFile, renderUsersAcl(users));
    const tls = { enabled: dataNode.env.REDIS_TLS === "yes", mtls: dataNode.config.includes("tls-auth-clients yes") };
    for (const sentinel of rendered.nodes.filter((node) => node.node.kind === "sentinel")) {
        const text = renderSentinelConf({
            engine: rendered.engine,
            topology: rendered.topology,
            node: sentinel.node as SentinelNode,
            paths: sentinel.paths,
            tls,
            bind: ["127.0.0.1"],
            users,
            timing: rendered.timing,
        });
        if (withoutUserLines(text) !== withoutUserLines(sentinel.config)) {
            throw new Error(`the re-rendered config of ${sentinel.node.name} differs from the running one in more than its users`);
        }
        writeAtomic(sentinel.paths.configFile, text);
    }
    for (const user of users) {
        writeAtomic(path.join(deployment.passwordDir, user.name), user.passwords[0]);
    }
}
