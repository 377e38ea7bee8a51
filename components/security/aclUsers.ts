import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AclRole, AclUserEntry, renderUsersAcl } from "../redisconf/acl";
import type { RoleCredentials } from "../connection";
import { passwordResourceName, RotationState, validGenerations } from "./passwordRotation";

/** One user to create. */
export interface AclUserSpec {
    /** The ACL username. */
    name: string;
    /** The role that decides what it may run. */
    role: AclRole;
    /** Key patterns for `app` and `readonly` users. @default ["*"] */
    keys?: string[];
    /** Channel patterns for `app` and `readonly` users. @default [] */
    channels?: string[];
}

/** Arguments of {@link AclUsers}. */
export interface AclUsersArgs {
    /** Every user, system and application. `default` is reserved: it is always rendered disabled. */
    users: AclUserSpec[];
    /** Length of every generated password (letters and digits only, so URLs and config files need no escaping). @default 40 */
    passwordLength?: number;
    /** Rotation state per username; users not listed are at generation 1. @default {} */
    rotation?: Record<string, RotationState>;
}

/** The character rules of every generated password. */
export const PASSWORD_CHARSET = { upper: true, lower: true, numeric: true, special: false, minUpper: 2, minLower: 2, minNumeric: 2 } as const;

/**
 * Redis ACL users with random passwords: `credentials` for clients, `entries` for renderers that need
 * passwords (sentinel `auth-pass`, `masterauth`), and the rendered `users.acl`. Every password exists only
 * as a Pulumi secret. During a rotation a user holds two valid passwords; outputs always carry the newest.
 */
export class AclUsers extends pulumi.ComponentResource {
    /** The current username and password per user, as a secret. */
    public readonly credentials: pulumi.Output<RoleCredentials>;
    /** Every user with all of its valid passwords, as a secret. */
    public readonly entries: pulumi.Output<AclUserEntry[]>;
    /**
     * The rendered `users.acl` (password hashes only, still a secret). Self-hosted deployments render theirs
     * through `renderDeployment`, which adds the CLUSTER discovery rules app users need in cluster mode.
     */
    public readonly aclFile: pulumi.Output<string>;

    /**
     * @param name the logical name; children are named after it
     * @param args the users and their rotation state
     * @param opts resource options
     * @throws Error before registering anything on a duplicate or reserved username or a bad length
     */
    constructor(name: string, args: AclUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        const length = args.passwordLength ?? 40;
        validateAclUsersArgs(args.users, length, args.rotation ?? {});
        super("redisplatform:security:AclUsers", name, {}, opts);

        const userPasswords = args.users.map((user) => {
            const passwords = validGenerations(args.rotation?.[user.name]).map(
                (generation) =>
                    new random.RandomPassword(
                        passwordResourceName(name, user.name, generation),
                        { length, ...PASSWORD_CHARSET },
                        { parent: this, additionalSecretOutputs: ["result", "bcryptHash"] },
                    ).result,
            );
            return { user, passwords: pulumi.all(passwords) };
        });

        this.entries = pulumi.secret(
            pulumi.all(userPasswords.map(({ passwords }) => passwords)).apply((all) =>
                args.users.map(
                    (user, index): AclUserEntry => ({
                        name: user.name,
                        role: user.role,
                        keys: user.keys ?? ["*"],
                        channels: user.channels ?? [],
                        passwords: all[index],
                    }),
                ),
            ),
        );
        this.credentials = pulumi.secret(
            this.entries.apply((entries) => Object.fromEntries(entries.map((entry) => [entry.name, { username: entry.name, password: entry.passwords[0] }]))),
        );
        this.aclFile = pulumi.secret(this.entries.apply(renderUsersAcl));
        this.registerOutputs({ credentials: this.credentials, aclFile: this.aclFile });
    }
}

/**
 * Checks the plain arguments of {@link AclUsers}.
 *
 * @throws Error naming the argument, the value and what is allowed
 */
export function validateAclUsersArgs(users: readonly AclUserSpec[], passwordLength: number, rotation: Readonly<Record<string, RotationState>>): void {
    if (!Number.isInteger(passwordLength) || passwordLength < 24 || passwordLength > 128) {
        throw new Error(`AclUsers: passwordLength = ${passwordLength}: must be a whole number from 24 to 128`);
    }
    if (users.length === 0) {
        throw new Error("AclUsers: users = []: at least one user is needed, or nobody could log in");
    }
    const names = new Set<string>();
    for (const user of users) {
        if (user.name === "default") {
            throw new Error('AclUsers: user "default" is reserved: it is always rendered disabled');
        }
        if (names.has(user.name)) {
            throw new Error(`AclUsers: user "${user.name}" appears twice: usernames must be unique`);
        }
        names.add(user.name);
    }
    for (const [user, state] of Object.entries(rotation)) {
        if (!names.has(user)) {
            throw new Error(`AclUsers: rotation.${user}: names no user; users are ${[...names].join(", ")}`);
        }
        validGenerations(state);
    }
}
