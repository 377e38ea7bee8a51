import { ACL_ROLES, AclRole } from "../../components/redisconf/acl";

/**
 * Which role each user has, and which commands each role must be denied. Denial probes are chosen so that
 * running them would do no harm if the ACL were wrong: a bogus argument that makes the command fail after
 * the permission check, a read, or (for users that may use MULTI) a command queued in a transaction that is
 * then discarded.
 */

/** The role of a user, or `unknown` when neither its name, the ACL nor `--roles` says. */
export type VerifyRole = AclRole | "unknown";

/** System users this project creates carry their role as their name. */
export function systemRoleFor(user: string): AclRole | undefined {
    return (ACL_ROLES as readonly string[]).includes(user) && user !== "app" && user !== "readonly" ? (user as AclRole) : undefined;
}

/**
 * Classifies a user from the `commands` field of `ACL GETUSER`, e.g. `-@all +@all -@admin ... +info`.
 * Only the three application roles are recognised; anything else is `unknown`.
 */
export function roleFromAclCommands(commands: string): VerifyRole {
    const rules = commands.split(/\s+/);
    const has = (rule: string) => rules.includes(rule);
    if (has("+@all") && !has("-@admin") && !has("-@dangerous")) {
        return "admin";
    }
    if (has("+@all") && has("-@admin")) {
        return "app";
    }
    if (has("+@read") && !has("+@write") && !has("+@all")) {
        return "readonly";
    }
    return "unknown";
}

/**
 * Parses `--roles reporting=readonly,jobs=app`.
 *
 * @throws Error naming the entry and the roles allowed
 */
export function parseRoleOverrides(text: string | undefined): Record<string, AclRole> {
    const overrides: Record<string, AclRole> = {};
    if (text === undefined || text.trim() === "") {
        return overrides;
    }
    for (const entry of text.split(",")) {
        const [user, role] = entry.split("=").map((part) => part.trim());
        if (!user || !role || !(ACL_ROLES as readonly string[]).includes(role)) {
            throw new Error(`--roles entry "${entry}": must be user=role with role one of ${ACL_ROLES.join(", ")}`);
        }
        overrides[user] = role as AclRole;
    }
    return overrides;
}

/** One command a role must not be able to run. */
export interface DenialProbe {
    /** What the row shows, e.g. `FLUSHALL`. */
    label: string;
    /** The command and arguments sent. */
    args: string[];
    /** Send it inside MULTI ... DISCARD, so that it is never executed even if allowed. */
    inTransaction?: boolean;
}

/** The key the probes name; it is never written. */
export const PROBE_KEY = "verify:probe:never-written";

const FLUSHALL: DenialProbe = { label: "FLUSHALL", args: ["FLUSHALL", "NOT-A-FLUSH-MODE"] };
const CONFIG_GET: DenialProbe = { label: "CONFIG GET", args: ["CONFIG", "GET", "maxmemory"] };
const SET: DenialProbe = { label: "SET", args: ["SET", PROBE_KEY, "x", "NOT-A-SET-OPTION"] };
const GET: DenialProbe = { label: "GET", args: ["GET", PROBE_KEY] };

/** The denial sample per role. `admin` may do everything, so it has none. */
export const DENIAL_PROBES: Readonly<Record<AclRole, readonly DenialProbe[]>> = {
    admin: [],
    app: [FLUSHALL, CONFIG_GET, { label: "KEYS", args: ["KEYS", "verify:*"], inTransaction: true }],
    readonly: [SET, FLUSHALL, CONFIG_GET],
    monitor: [GET, SET, FLUSHALL],
    replication: [GET, SET, FLUSHALL],
    sentinel: [GET, SET, FLUSHALL],
    backup: [GET, SET, FLUSHALL],
};

/**
 * Whether a reply (or the error a command raised) shows the command was denied by the ACL: only a NOPERM
 * error counts. Anything else, a syntax error included, means the permission check let it through.
 */
export function isAclDenial(reply: unknown): boolean {
    const message = reply instanceof Error ? reply.message : typeof reply === "string" ? reply : "";
    return /^NOPERM\b/.test(message);
}
