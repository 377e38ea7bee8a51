import * as access from "../../../policies/rules/access";
import { ELASTICACHE, KUBERNETES } from "../../../policies/rules/lib/types";
import { one, RuleCase } from "../helpers";
import { REDIS_CONF, sentinelConf } from "./redisConfig";

const HASH = "#" + "c".repeat(64);
const acl = (...users: string[]) => one(KUBERNETES.secret, { metadata: { name: "acl" }, stringData: { "users.acl": [...users, ""].join("\n") } });
const DEFAULT_OFF = "user default reset off resetkeys resetchannels -@all";
const ADMIN = `user admin reset on ${HASH} ~* &* -@all +@all`;
const APP = `user app reset on ${HASH} ~app:* &app:* -@all +@all -@admin -@dangerous +info`;
const rbacUser = (userName: string, props: Record<string, unknown> = {}) => one(ELASTICACHE.user, { userId: `redis-${userName}`, userName, engine: "valkey", accessString: "on ~app:* -@all +@read", passwords: ["x".repeat(20)], ...props });
const configMap = (data: Record<string, string>) => one(KUBERNETES.configMap, { metadata: { name: "redis-config" }, data });

/** Fixtures of the authentication and privilege rules. */
export const ACCESS_CASES: RuleCase[] = [
    {
        policy: access.usersRequirePassword,
        pass: [
            { title: "every user with a password hash, default off", fixture: acl(DEFAULT_OFF, ADMIN, APP) },
            { title: "a redis.conf that loads an ACL file", fixture: configMap({ "redis.conf": REDIS_CONF }) },
            { title: "a nopass user switched off", fixture: acl("user legacy on nopass ~* +@all off") },
            { title: "a nopass replaced by a password", fixture: acl(`user app on nopass ${HASH} ~app:* +@read`) },
            { title: "an RBAC user with passwords", fixture: rbacUser("app") },
        ],
        flag: [
            { title: "a nopass application user", fixture: acl(DEFAULT_OFF, "user app on nopass ~app:* +@read"), messages: ['users.acl line 2: user "app" is enabled without a password: give it a password (or switch it off)'] },
            {
                title: "a nopass user in a sentinel.conf",
                fixture: one(KUBERNETES.configMap, { metadata: { name: "s" }, data: { "sentinel.conf": `${sentinelConf()}user monitor on nopass +ping\n` } }),
                messages: ['sentinel.conf line 8: user "monitor" is enabled without a password: give it a password (or switch it off)'],
            },
            {
                title: "a redis.conf that never sets the default user",
                fixture: configMap({ "redis.conf": REDIS_CONF.replace("aclfile /etc/redis/acl/users.acl", "") }),
                messages: ['redis.conf: the default user is on without a password: nothing sets it (no aclfile, user default rule, requirepass or include); load an ACL file or add "user default off"'],
            },
            { title: "an RBAC user that needs no password", fixture: rbacUser("reporting", { passwords: undefined, authenticationMode: { type: "no-password-required" } }), messages: ['user "reporting" is enabled without a password: give it a password (or switch it off)'] },
        ],
    },
    {
        policy: access.appUsersLeastPrivilege,
        pass: [
            { title: "an operator with everything, an application with its prefix and @admin/@dangerous removed", fixture: acl(DEFAULT_OFF, ADMIN, APP) },
            { title: "a sentinel.conf's own sentinel-user with +@all", fixture: one(KUBERNETES.configMap, { metadata: { name: "s" }, data: { "sentinel.conf": `${sentinelConf()}sentinel sentinel-user peers\nuser peers on ${HASH} &* -@all +@all\n` } }) },
            { title: "an RBAC user on its prefix", fixture: rbacUser("app") },
            { title: "a user listed as privileged", fixture: { ...acl(`user ops on ${HASH} ~* +@all`), config: { privilegedUsers: ["ops"] } } },
        ],
        flag: [
            {
                title: "an application user with every command and every key",
                fixture: acl(DEFAULT_OFF, ADMIN, `user app on ${HASH} ~* &* +@all`),
                messages: ['users.acl line 3: user "app" may use every command (+@all) and every key (~*): grant the application its own key prefix and take away @admin and @dangerous'],
            },
            {
                title: "an RBAC user with allkeys, @admin removed then everything added back",
                fixture: rbacUser("reporting", { accessString: "on allkeys -@all -@admin allcommands" }),
                messages: ['user "reporting" may use every command (+@all) and every key (~*): grant the application its own key prefix and take away @admin and @dangerous'],
            },
            { title: "read access to every key", fixture: acl(`user reporting on ${HASH} %R~* -@all +@read`), messages: ['users.acl line 1: user "reporting" may use every key (~*): grant the application its own key prefix and take away @admin and @dangerous'] },
        ],
    },
    {
        policy: access.noDangerousCommands,
        pass: [
            { title: "the renderer's redis.conf", fixture: configMap({ "redis.conf": `${REDIS_CONF}enable-debug-command no\nenable-module-command no\nenable-protected-configs no\n` }) },
            { title: "the switches left at their defaults", fixture: configMap({ "redis.conf": REDIS_CONF }) },
        ],
        flag: [
            {
                title: "DEBUG for local clients and MODULE LOAD for everyone",
                fixture: configMap({ "redis.conf": `${REDIS_CONF}enable-debug-command local\nenable-module-command yes\n` }),
                messages: [
                    "redis.conf: enable-debug-command is local: set it to no (DEBUG, MODULE LOAD and protected CONFIG SET give a client code execution or file writes)",
                    "redis.conf: enable-module-command is yes: set it to no (DEBUG, MODULE LOAD and protected CONFIG SET give a client code execution or file writes)",
                ],
            },
        ],
    },
    {
        policy: access.k8sNoCredentialsInConfigMap,
        pass: [
            { title: "config, scripts and env files without secrets", fixture: configMap({ "redis.conf": REDIS_CONF, "start.sh": 'pass=$(cat "$REDIS_PASSWORD_DIR/admin")\n', "redis-0.env": "REDIS_PASSWORD_DIR=/etc/redis/passwords\nREDIS_NODE=redis-0\n" }) },
        ],
        flag: [
            {
                title: "masterauth, an ACL password, an env-file token and a URL with a password",
                fixture: configMap({
                    "redis.conf": `${REDIS_CONF}masterauth hunter2\nuser app on >hunter2 ~app:* +@read\n`,
                    "backup.env": "BACKUP_S3_ENDPOINT=https://s3.example\nAWS_SECRET_ACCESS_KEY=abc\n",
                    "client.properties": "url=rediss://app:hunter2@redis:6379\n",
                }),
                messages: [
                    "backup.env (AWS_SECRET_ACCESS_KEY) holds a credential in plain text: move it to a Secret and mount that",
                    "client.properties holds a credential in plain text: move it to a Secret and mount that",
                    "redis.conf line 14 (masterauth) holds a credential in plain text: move it to a Secret and mount that",
                    "redis.conf line 15 (user) holds a credential in plain text: move it to a Secret and mount that",
                ],
            },
            {
                title: "a sentinel auth-pass in binaryData",
                fixture: one(KUBERNETES.configMap, { metadata: { name: "s" }, binaryData: { "sentinel.conf": Buffer.from("sentinel auth-pass redis-primary hunter2\n").toString("base64") } }),
                messages: ["sentinel.conf line 1 (sentinel auth-pass) holds a credential in plain text: move it to a Secret and mount that"],
            },
        ],
    },
];
