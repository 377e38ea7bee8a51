import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ApplicationRole } from "../redisconf/acl";
import type { EngineName } from "../redisconf/engines";
import type { RoleCredentials } from "../connection";
import { PASSWORD_CHARSET } from "../security/aclUsers";
import { passwordResourceName, RotationState, validGenerations } from "../security/passwordRotation";
import { DISABLED_DEFAULT_ACCESS_STRING, elastiCacheAccessString } from "./accessStrings";
import { elastiCacheIdentifier } from "./identifiers";

/** One application user of {@link RbacUsers}. */
export interface RbacUserSpec {
    /** The username clients log in with. */
    name: string;
    role: ApplicationRole;
    /** Key patterns for `app` and `readonly`. @default ["*"] */
    keys?: string[];
    /** Channel patterns for `app` and `readonly`. @default [] */
    channels?: string[];
}

/** Arguments of {@link RbacUsers}. */
export interface RbacUsersArgs {
    /** The cache's identifier: user ids and the user group id start with it, so they are unique per region. */
    identifier: string;
    engine: EngineName;
    /** The application users; `default` is reserved for the disabled default user. */
    users: RbacUserSpec[];
    /** Gives non-admin users the read-only CLUSTER subcommands cluster clients need. @default false */
    clusterMode?: boolean;
    /** Length of every password (letters and digits). @default 40 */
    passwordLength?: number;
    /** Rotation state per username; users not listed are at generation 1. @default {} */
    rotation?: Record<string, RotationState>;
}

/**
 * ElastiCache RBAC: a disabled `default` user with its own id (a user group must contain a user named
 * `default`, and the built-in one has full access with no password), one user per application user with
 * the access string of its role, and the user group that binds them to the cache. Each password is a
 * `RandomPassword` per rotation generation; during a rotation a user holds both, and changing them
 * modifies the user in place, never the cache.
 */
export class RbacUsers extends pulumi.ComponentResource {
    /** The user group's id, for `userGroupIds` of a replication group or `userGroupId` of a Serverless cache. */
    public readonly userGroupId: pulumi.Output<string>;
    /** The current username and password of every application user, as a secret. */
    public readonly credentials: pulumi.Output<RoleCredentials>;

    /**
     * @param name the logical name; children are named after it
     * @param args the users, their rotation state and the engine
     * @param opts resource options
     * @throws Error before registering anything on a reserved or duplicate username, a bad length or rotation
     */
    constructor(name: string, args: RbacUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        const length = args.passwordLength ?? 40;
        validateRbacUsersArgs(args.users, length, args.rotation ?? {});
        super("redisplatform:elasticache:RbacUsers", name, {}, opts);

        const password = (user: string, generation: number) =>
            new random.RandomPassword(passwordResourceName(name, user, generation), { length, ...PASSWORD_CHARSET }, { parent: this, additionalSecretOutputs: ["result", "bcryptHash"] }).result;

        // A password nobody knows: the default user is off, and stays unusable even if someone switches it on.
        const defaultUser = new aws.elasticache.User(
            `${name}-default`,
            {
                userId: elastiCacheIdentifier([args.identifier, "default"]),
                userName: "default",
                engine: args.engine,
                accessString: DISABLED_DEFAULT_ACCESS_STRING,
                passwords: [password("default", 1)],
            },
            { parent: this },
        );

        const users = args.users.map((user) => {
            const passwords = validGenerations(args.rotation?.[user.name]).map((generation) => password(user.name, generation));
            const resource = new aws.elasticache.User(
                `${name}-${user.name}`,
                {
                    userId: elastiCacheIdentifier([args.identifier, user.name]),
                    userName: user.name,
                    engine: args.engine,
                    accessString: elastiCacheAccessString({ role: user.role, keys: user.keys ?? ["*"], channels: user.channels ?? [] }, args.clusterMode ?? false),
                    passwords,
                },
                { parent: this },
            );
            return { user, resource, current: passwords[0] };
        });

        const group = new aws.elasticache.UserGroup(
            `${name}-group`,
            {
                userGroupId: elastiCacheIdentifier([args.identifier, "users"]),
                engine: args.engine,
                userIds: [defaultUser.userId, ...users.map(({ resource }) => resource.userId)],
            },
            { parent: this },
        );

        this.userGroupId = group.userGroupId;
        this.credentials = pulumi.secret(
            pulumi.all(users.map(({ current }) => current)).apply((passwords) =>
                Object.fromEntries(users.map(({ user }, index) => [user.name, { username: user.name, password: passwords[index] }])),
            ),
        );
        this.registerOutputs({ userGroupId: this.userGroupId, credentials: this.credentials });
    }
}

/**
 * Checks the plain arguments of {@link RbacUsers}.
 *
 * @throws Error naming the argument, the value and what is allowed
 */
export function validateRbacUsersArgs(users: readonly RbacUserSpec[], passwordLength: number, rotation: Readonly<Record<string, RotationState>>): void {
    if (!Number.isInteger(passwordLength) || passwordLength < 16 || passwordLength > 128) {
        throw new Error(`RbacUsers: passwordLength = ${passwordLength}: must be a whole number from 16 to 128 (ElastiCache's password limits)`);
    }
    if (users.length === 0 || users.length > 99) {
        throw new Error(`RbacUsers: users has ${users.length} entries: must have 1 to 99 (a user group holds 100 users, one of them default)`);
    }
    const names = new Set<string>();
    for (const user of users) {
        if (user.name === "default") {
            throw new Error('RbacUsers: user "default" is reserved: the user group\'s default user is always created disabled');
        }
        if (names.has(user.name)) {
            throw new Error(`RbacUsers: user "${user.name}" appears twice: usernames must be unique`);
        }
        names.add(user.name);
    }
    for (const [user, state] of Object.entries(rotation)) {
        if (!names.has(user)) {
            throw new Error(`RbacUsers: rotation.${user}: names no user; users are ${[...names].join(", ")}`);
        }
        validGenerations(state);
    }
}
