import type { ResourceValidationPolicy } from "@pulumi/policy";
import { credentialPaths, envPairs, isCredentialEnvName } from "./lib/credentials";
import { resourceRule } from "./lib/define";
import { aclUsers, AclState, applyAclRules, Directive, parseConf, value } from "./lib/redisConf";
import { renderedFilesOf } from "./lib/renderedFiles";
import { ELASTICACHE, KUBERNETES } from "./lib/types";
import { at, record, text } from "./lib/values";
import { CONFIG_CARRIERS } from "./redisConfig";

/** A user with its effective ACL state and where it was found, whatever defined it. */
interface FoundUser {
    where: string;
    name: string;
    state: AclState;
    /** ElastiCache users can be created without a password (authenticationMode no-password-required). */
    passwordOptional?: boolean;
    /** The file itself names the user as the sentinels' peer identity, which needs every sentinel command. */
    sentinelPeer?: boolean;
}

/** The users a resource defines: `user` lines of rendered config and ACL files, or an ElastiCache RBAC user. */
function usersOf(type: string, props: Record<string, any>): FoundUser[] {
    if (type === ELASTICACHE.user) {
        const name = text(props.userName) ?? "?";
        const mode = text(at(props, "authenticationMode", "type"));
        return [
            {
                where: `user ${JSON.stringify(name)}`,
                name,
                state: applyAclRules(String(props.accessString ?? "").trim().split(/\s+/)),
                passwordOptional: props.noPasswordRequired === true || mode === "no-password-required",
            },
        ];
    }
    return renderedFilesOf(type, props).flatMap((file) => {
        const peer = file.directives.find((directive) => directive.name === "sentinel" && directive.args[0]?.toLowerCase() === "sentinel-user")?.args[1];
        return aclUsers(file.directives).map((user) => ({
            where: `${file.file} line ${user.line}: user ${JSON.stringify(user.name)}`,
            name: user.name,
            state: user.state,
            sentinelPeer: user.name === peer,
        }));
    });
}

const USER_TYPES = [...CONFIG_CARRIERS, ELASTICACHE.user];

/** Whether a config file leaves Redis's built-in default user as it starts: on, with nopass. */
export function implicitDefaultUser(directives: readonly Directive[]): boolean {
    const settles = (directive: Directive) =>
        ["aclfile", "requirepass", "include"].includes(directive.name) || (directive.name === "user" && directive.args[0] === "default");
    return !directives.some(settles);
}

/** `nopass` on any user, not only `default`, lets anyone who knows the name in. */
export const usersRequirePassword = resourceRule({
    name: "redis-users-require-password",
    description: "Every enabled user, not only default, authenticates with a password: no nopass in rendered ACL and config files, no password-less ElastiCache user.",
    enforcementLevel: "mandatory",
    types: USER_TYPES,
    check: (props, report, _config, args) => {
        for (const user of usersOf(args.type, props).filter((candidate) => candidate.state.enabled)) {
            if (user.state.nopass || user.passwordOptional === true) {
                report(`${user.where} is enabled without a password: give it a password (or switch it off)`);
            }
        }
        for (const file of renderedFilesOf(args.type, props).filter((candidate) => candidate.kind === "redis" || candidate.kind === "sentinel")) {
            if (implicitDefaultUser(file.directives)) {
                report(`${file.file}: the default user is on without a password: nothing sets it (no aclfile, user default rule, requirepass or include); load an ACL file or add "user default off"`);
            }
        }
    },
});

/** An application user with every command or every key can FLUSHALL, CONFIG SET or read every tenant's data. */
export const appUsersLeastPrivilege = resourceRule<{ privilegedUsers: string[] }>({
    name: "redis-app-users-least-privilege",
    description: "Enabled users other than `privilegedUsers` (operators) and a sentinel.conf's own sentinel-user hold neither every command (+@all/allcommands with nothing removed) nor every key (~*/allkeys) (prod).",
    enforcementLevel: "mandatory",
    config: { privilegedUsers: { type: "array", items: { type: "string" }, default: ["admin"], description: "Operator users that may hold every command and key." } },
    types: USER_TYPES,
    check: (props, report, config, args) => {
        for (const user of usersOf(args.type, props).filter((candidate) => candidate.state.enabled && candidate.sentinelPeer !== true && !config.privilegedUsers.includes(candidate.name))) {
            const grants = [user.state.allCommands ? "every command (+@all)" : undefined, user.state.allKeys ? "every key (~*)" : undefined].filter((grant) => grant !== undefined);
            if (grants.length > 0) {
                report(`${user.where} may use ${grants.join(" and ")}: grant the application its own key prefix and take away @admin and @dangerous`);
            }
        }
    },
});

const DANGEROUS_SWITCHES = ["enable-debug-command", "enable-module-command", "enable-protected-configs"];

/** DEBUG and MODULE LOAD execute arbitrary code in the server; protected configs rewrite where it writes files. */
export const noDangerousCommands = resourceRule({
    name: "redisconf-no-debug-or-module-commands",
    description: "Rendered redis.conf keeps enable-debug-command, enable-module-command and enable-protected-configs at no.",
    enforcementLevel: "mandatory",
    types: CONFIG_CARRIERS,
    check: (props, report, _config, args) => {
        for (const file of renderedFilesOf(args.type, props).filter((candidate) => candidate.kind === "redis" || candidate.kind === "sentinel")) {
            for (const name of DANGEROUS_SWITCHES) {
                const setting = value(file.directives, name);
                if (setting !== undefined && setting !== "no") {
                    report(`${file.file}: ${name} is ${setting}: set it to no (DEBUG, MODULE LOAD and protected CONFIG SET give a client code execution or file writes)`);
                }
            }
        }
    },
});

/** Config directives whose argument is a password. */
const PASSWORD_DIRECTIVES: readonly ((directive: Directive) => boolean)[] = [
    (directive) => ["requirepass", "masterauth", "tls-key-file-pass", "tls-client-key-file-pass"].includes(directive.name),
    (directive) => directive.name === "sentinel" && ["auth-pass", "sentinel-pass"].includes(directive.args[0]?.toLowerCase() ?? ""),
    (directive) => directive.name === "user" && directive.args.slice(1).some((rule) => rule.startsWith(">") || rule.startsWith("#")),
];

/** Where a ConfigMap entry holds a credential: a password directive, a credential-named key, a URL with a password, a private key. */
export function configMapCredentials(key: string, content: string): string[] {
    const directives = parseConf(content)
        .filter((directive) => PASSWORD_DIRECTIVES.some((matches) => matches(directive)))
        .map((directive) => `${key} line ${directive.line} (${directive.name}${directive.name === "sentinel" ? ` ${directive.args[0]}` : ""})`);
    // Env files (`.env`) hold NAME=value lines; a credential-named variable with a literal value is a leak.
    const variables = /\.env$/.test(key)
        ? envPairs(content.split(/\r?\n/))
              .filter(([name, literal]) => isCredentialEnvName(name) && literal !== "" && !literal.startsWith("$"))
              .map(([name]) => `${key} (${name})`)
        : [];
    const found = [...directives, ...variables];
    return found.length > 0 ? found : credentialPaths(content, key);
}

/** ConfigMaps are stored unencrypted, shown by `kubectl describe` and readable by far more roles than Secrets. */
export const k8sNoCredentialsInConfigMap = resourceRule({
    name: "k8s-no-credentials-in-configmap",
    description: "No ConfigMap holds a password, token or private key (password directives, user passwords, credential-named keys, URLs with a password); credentials go in Secrets.",
    enforcementLevel: "mandatory",
    types: [KUBERNETES.configMap],
    check: (props, report) => {
        const entries = [
            ...Object.entries(record(props.data) ?? {}),
            ...Object.entries(record(props.binaryData) ?? {}).map(([key, encoded]) => [key, typeof encoded === "string" ? Buffer.from(encoded, "base64").toString("utf8") : ""] as const),
        ];
        for (const [key, content] of entries) {
            for (const where of typeof content === "string" ? configMapCredentials(key, content) : []) {
                report(`${where} holds a credential in plain text: move it to a Secret and mount that`);
            }
        }
    },
});

/** Every authentication and privilege rule. */
export const ACCESS_RULES: ResourceValidationPolicy[] = [usersRequirePassword, appUsersLeastPrivilege, noDangerousCommands, k8sNoCredentialsInConfigMap];
