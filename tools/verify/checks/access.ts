import { randomBytes } from "node:crypto";
import type { Credential, Endpoint, RoleCredentials } from "../../../components/connection";
import type { AclRole } from "../../../components/redisconf/acl";
import { addressOf, messageOf, NodeAccess, pairs, withNode } from "../nodes";
import type { CheckResult } from "../report";
import { DENIAL_PROBES, DenialProbe, isAclDenial, roleFromAclCommands, systemRoleFor, VerifyRole } from "../roles";

/** Logs in as every user and sends PING. */
export async function checkLogins(primary: Endpoint, credentials: RoleCredentials, access: NodeAccess): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const [name, credential] of Object.entries(credentials)) {
        try {
            const reply = await withNode(primary, credential, access, (client) => client.ping());
            results.push({ check: "login", target: name, status: reply === "PONG" ? "pass" : "fail", detail: `AUTH and PING on ${addressOf(primary)}: ${reply}` });
        } catch (error) {
            results.push({ check: "login", target: name, status: "fail", detail: `on ${addressOf(primary)}: ${messageOf(error)}` });
        }
    }
    return results;
}

/**
 * The role of every user: `--roles` first, then the system user names, then what `ACL GETUSER` (as admin)
 * shows; `unknown` otherwise.
 */
export async function resolveRoles(primary: Endpoint, credentials: RoleCredentials, overrides: Readonly<Record<string, AclRole>>, access: NodeAccess): Promise<Record<string, VerifyRole>> {
    const roles: Record<string, VerifyRole> = {};
    const pending: string[] = [];
    for (const [name, credential] of Object.entries(credentials)) {
        const role = overrides[name] ?? systemRoleFor(credential.username);
        if (role !== undefined) {
            roles[name] = role;
        } else {
            pending.push(name);
        }
    }
    const admin = credentials.admin;
    for (const name of pending) {
        roles[name] = "unknown";
        if (admin !== undefined) {
            try {
                const user = pairs(await withNode(primary, admin, access, (client) => client.call("ACL", "GETUSER", credentials[name].username)));
                roles[name] = roleFromAclCommands(user.commands ?? "");
            } catch {
                // Managed services may refuse ACL GETUSER; the role stays unknown and the row says how to name it.
            }
        }
    }
    return roles;
}

async function probeDenied(primary: Endpoint, credential: Credential, probe: DenialProbe, access: NodeAccess): Promise<{ denied: boolean; reply: string }> {
    return withNode(primary, credential, access, async (client) => {
        if (probe.inTransaction) {
            await client.call("MULTI");
        }
        let reply: unknown;
        try {
            reply = await client.call(probe.args[0], ...probe.args.slice(1));
        } catch (error) {
            reply = error;
        }
        if (probe.inTransaction) {
            await client.call("DISCARD").catch(() => undefined);
        }
        return { denied: isAclDenial(reply), reply: reply instanceof Error ? reply.message : `reply ${typeof reply === "string" ? reply : JSON.stringify(reply)}` };
    });
}

/** Runs the denial sample of every user with a known role, and checks that the `default` user cannot log in. */
export async function checkDenials(primary: Endpoint, credentials: RoleCredentials, roles: Readonly<Record<string, VerifyRole>>, access: NodeAccess): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const [name, credential] of Object.entries(credentials)) {
        const role = roles[name];
        if (role === undefined || role === "unknown") {
            results.push({ check: "acl-denial", target: name, status: "skip", detail: "role unknown: name it with --roles user=role" });
            continue;
        }
        for (const probe of DENIAL_PROBES[role]) {
            const target = `${name} ${probe.label}`;
            try {
                const { denied, reply } = await probeDenied(primary, credential, probe, access);
                results.push({ check: "acl-denial", target, status: denied ? "pass" : "fail", detail: denied ? `denied (${role})` : `NOT denied for role ${role}: ${reply}` });
            } catch (error) {
                results.push({ check: "acl-denial", target, status: "fail", detail: `could not probe: ${messageOf(error)}` });
            }
        }
    }
    if (Object.values(credentials).some((credential) => credential.username === "default")) {
        results.push({ check: "acl-denial", target: "default", status: "skip", detail: "the deployment logs in as the default user" });
        return results;
    }
    try {
        const reply = await withNode(primary, undefined, access, (client) => client.ping().catch((error: unknown) => error));
        const denied = reply instanceof Error && /^NOAUTH\b/.test(reply.message);
        results.push({ check: "acl-denial", target: "default (no AUTH)", status: denied ? "pass" : "fail", detail: denied ? "PING without AUTH refused" : `PING without AUTH answered: ${messageOf(reply)}` });
    } catch (error) {
        results.push({ check: "acl-denial", target: "default (no AUTH)", status: "fail", detail: `could not connect: ${messageOf(error)}` });
    }
    try {
        const guess = randomBytes(18).toString("base64url");
        const reply = await withNode(primary, undefined, access, (client) => client.call("AUTH", "default", guess).catch((error: unknown) => error));
        const denied = reply instanceof Error && /^(WRONGPASS|ERR)/.test(reply.message);
        results.push({ check: "acl-denial", target: "default AUTH", status: denied ? "pass" : "fail", detail: denied ? "AUTH default refused" : "AUTH default accepted a random password" });
    } catch (error) {
        results.push({ check: "acl-denial", target: "default AUTH", status: "fail", detail: `could not connect: ${messageOf(error)}` });
    }
    return results;
}

/**
 * Checks that every application user can do what its client library needs to find the nodes: `CLUSTER SLOTS`
 * and `CLUSTER INFO` on a cluster node (what ioredis's Cluster sends), or `SENTINEL GET-MASTER-ADDR-BY-NAME` on
 * every sentinel. Standalone deployments need nothing.
 */
export async function checkClientDiscovery(
    connection: { mode: string; endpoints: readonly Endpoint[]; sentinelMasterName?: string },
    primary: Endpoint,
    credentials: RoleCredentials,
    roles: Readonly<Record<string, VerifyRole>>,
    access: NodeAccess,
): Promise<CheckResult[]> {
    if (connection.mode === "standalone") {
        return [];
    }
    const results: CheckResult[] = [];
    const clients = Object.entries(credentials).filter(([name]) => roles[name] === "app" || roles[name] === "readonly");
    for (const [name, credential] of clients) {
        const targets = connection.mode === "cluster" ? [primary] : connection.endpoints;
        for (const target of targets) {
            try {
                await withNode(target, credential, access, async (client) => {
                    if (connection.mode === "cluster") {
                        await client.call("CLUSTER", "SLOTS");
                        await client.call("CLUSTER", "INFO");
                    } else {
                        await client.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", connection.sentinelMasterName ?? "");
                    }
                });
                results.push({ check: "client-discovery", target: `${name}@${addressOf(target)}`, status: "pass", detail: connection.mode === "cluster" ? "CLUSTER SLOTS and INFO allowed" : "the sentinel names the primary" });
            } catch (error) {
                results.push({ check: "client-discovery", target: `${name}@${addressOf(target)}`, status: "fail", detail: `clients of this user cannot find the nodes: ${messageOf(error)}` });
            }
        }
    }
    return results;
}
