import { DOCKER, KUBERNETES } from "../../../policies/rules/lib/types";
import * as conf from "../../../policies/rules/redisConfig";
import { Fixture, FixtureResource, one, RuleCase } from "../helpers";

/** A data node's redis.conf as the renderer writes it: TLS only, AOF, maxmemory, default user off. */
export const REDIS_CONF = [
    "# redis.conf for redis-0 (sentinel, redis 7.2).",
    "bind * -::*",
    "protected-mode yes",
    "port 0",
    "tls-port 6379",
    "tls-cert-file /etc/redis/tls/tls.crt",
    "tls-replication yes",
    'tls-protocols "TLSv1.2 TLSv1.3"',
    "aclfile /etc/redis/acl/users.acl",
    "maxmemory 409mb",
    "maxmemory-policy noeviction",
    "appendonly yes",
    'save ""',
    "",
].join("\n");

/** A sentinel's sentinel.conf: TLS only, quorum 2 of 3. */
export function sentinelConf(quorum = 2, announce = "sentinel-0"): string {
    return [
        "port 0",
        "tls-port 26379",
        "tls-replication yes",
        `sentinel announce-ip ${announce}`,
        "user default reset off resetkeys resetchannels -@all",
        `sentinel monitor redis-primary redis-0.redis 6379 ${quorum}`,
        "sentinel down-after-milliseconds redis-primary 5000",
        "",
    ].join("\n");
}

const replace = (text: string, from: string, to: string) => text.replace(from, to);
const configMap = (data: Record<string, string>, name = "redis-config"): FixtureResource => ({ type: KUBERNETES.configMap, name, props: { metadata: { name, namespace: "redis" }, data } });
const upload = (files: Record<string, string>) => ({ uploads: Object.entries(files).map(([file, content]) => ({ file, content })) });
const container = (name: string, files: Record<string, string>): FixtureResource => ({ type: DOCKER.container, name, props: { image: `sha256:${"a".repeat(64)}`, ...upload(files) } });

/** Three docker sentinels plus a data node, each with its own files. */
function dockerSentinels(quorums: number[], dataConf = REDIS_CONF): Fixture {
    return {
        resources: [
            container("redis-0", { "/etc/redis/conf/node.conf": dataConf }),
            ...quorums.map((quorum, index) => container(`sentinel-${index}`, { "/etc/redis/conf/node.conf": sentinelConf(quorum, `sentinel-${index}`) })),
        ],
    };
}

/** A StatefulSet of sentinels mounting one shared ConfigMap. */
function kubernetesSentinels(replicas: number, quorum: number): Fixture {
    return {
        resources: [
            configMap({ "sentinel.conf": sentinelConf(quorum) }, "redis-sentinel"),
            {
                type: KUBERNETES.statefulSet,
                name: "redis-sentinel",
                props: { spec: { replicas, template: { spec: { containers: [{ name: "sentinel", image: "redis:7.2.5" }], volumes: [{ name: "config", configMap: { name: "redis-sentinel" } }] } } } },
            },
        ],
    };
}

/** Fixtures of every rendered-config rule. */
export const REDIS_CONFIG_CASES: RuleCase[] = [
    {
        policy: conf.redisConfTlsOnly,
        pass: [
            { title: "a TLS-only redis.conf in a ConfigMap", fixture: { resources: [configMap({ "redis-0.conf": REDIS_CONF, "start.sh": "#!/bin/sh\nexec redis-server /etc/redis/conf/node.conf\n" })] } },
            { title: "a TLS-only sentinel.conf uploaded to a container", fixture: { resources: [container("sentinel-0", { "/etc/redis/conf/node.conf": sentinelConf() })] } },
            { title: "a cluster node with tls-cluster", fixture: { resources: [configMap({ "node.conf": `${REDIS_CONF}cluster-enabled yes\ntls-cluster yes\n` })] } },
        ],
        flag: [
            {
                title: "a plain-text port",
                fixture: { resources: [configMap({ "redis-0.conf": replace(REDIS_CONF, "port 0", "port 6380") })] },
                messages: ["redis-0.conf: port is 6380: set port 0 so no plain-text listener exists"],
            },
            {
                title: "no TLS at all (base64 upload)",
                fixture: one(DOCKER.container, { uploads: [{ file: "/etc/redis/conf/node.conf", contentBase64: Buffer.from("port 6379\nmaxmemory 100mb\n").toString("base64") }] }),
                messages: [
                    "/etc/redis/conf/node.conf: port is 6379: set port 0 so no plain-text listener exists",
                    "/etc/redis/conf/node.conf: tls-port is unset: clients must connect over TLS",
                    "/etc/redis/conf/node.conf: tls-replication is not yes: replication would run in plain text",
                ],
            },
            {
                title: "a cluster bus in plain text",
                fixture: { resources: [configMap({ "node.conf": `${REDIS_CONF}cluster-enabled yes\n` })] },
                messages: ["node.conf: tls-cluster is not yes: the cluster bus would run in plain text"],
            },
            {
                title: "a sentinel talking plain text to data nodes",
                fixture: { resources: [container("sentinel-0", { "/etc/redis/conf/node.conf": replace(sentinelConf(), "tls-replication yes\n", "") })] },
                messages: ["/etc/redis/conf/node.conf: tls-replication is not yes: the sentinel would talk to data nodes in plain text"],
            },
        ],
    },
    {
        policy: conf.redisConfMaxmemory,
        pass: [{ title: "maxmemory 409mb", fixture: { resources: [configMap({ "redis.conf": REDIS_CONF })] } }],
        flag: [
            {
                title: "no maxmemory",
                fixture: { resources: [configMap({ "redis.conf": replace(REDIS_CONF, "maxmemory 409mb\n", "") })] },
                messages: ["redis.conf: maxmemory is unset: set it below the memory limit so Redis evicts or refuses writes instead of being killed"],
            },
            {
                title: "maxmemory 0",
                fixture: { resources: [configMap({ "redis.conf": replace(REDIS_CONF, "maxmemory 409mb", "maxmemory 0") })] },
                messages: ["redis.conf: maxmemory is 0: set it below the memory limit so Redis evicts or refuses writes instead of being killed"],
            },
        ],
    },
    {
        policy: conf.redisConfDefaultUserOff,
        pass: [
            { title: "an ACL file with the default user off", fixture: { resources: [{ type: KUBERNETES.secret, name: "acl", props: { stringData: { "users.acl": "user default reset off\nuser app on #abc ~app:* +@all\n" } } }] } },
            { title: "a sentinel.conf", fixture: { resources: [container("sentinel-0", { "/etc/redis/conf/node.conf": sentinelConf() })] } },
        ],
        flag: [
            {
                title: "a default user switched back on (base64 Secret data)",
                fixture: { resources: [{ type: KUBERNETES.secret, name: "acl", props: { data: { "users.acl": Buffer.from("user default off\nuser default on nopass ~* +@all\n").toString("base64") } } }] },
                messages: ['users.acl line 2: the default user is not switched off: end its rule with "off"'],
            },
        ],
    },
    {
        policy: conf.redisConfPersistenceInHa,
        pass: [
            { title: "AOF in a sentinel deployment", fixture: dockerSentinels([2, 2, 2]) },
            { title: "a standalone cache without persistence", fixture: { resources: [configMap({ "redis.conf": replace(REDIS_CONF, "appendonly yes", "appendonly no") })] } },
            { title: "RDB save points on a replica", fixture: { resources: [configMap({ "redis.conf": `${replace(REDIS_CONF, "appendonly yes", "appendonly no")}save 3600 1 300 100\nreplicaof redis-0 6379\n` })] } },
        ],
        flag: [
            {
                title: "no persistence next to sentinels",
                fixture: dockerSentinels([2, 2, 2], replace(REDIS_CONF, "appendonly yes", "appendonly no")),
                messages: ["redis-0 /etc/redis/conf/node.conf: persistence is off in a replicated deployment: a restarted primary would empty its replicas; set appendonly yes or save points"],
            },
            {
                title: "save points cleared after being set",
                fixture: { resources: [configMap({ "redis.conf": `save 3600 1\n${replace(REDIS_CONF, "appendonly yes", "appendonly no")}cluster-enabled yes\n` })] },
                messages: ["redis-config redis.conf: persistence is off in a replicated deployment: a restarted primary would empty its replicas; set appendonly yes or save points"],
            },
        ],
    },
    {
        policy: conf.redisConfSentinelQuorum,
        pass: [
            { title: "3 docker sentinels, quorum 2", fixture: dockerSentinels([2, 2, 2]) },
            { title: "a StatefulSet of 5 sentinels sharing one ConfigMap, quorum 3", fixture: kubernetesSentinels(5, 3) },
            { title: "no sentinel at all", fixture: { resources: [configMap({ "redis.conf": REDIS_CONF })] } },
        ],
        flag: [
            {
                title: "2 sentinels",
                fixture: dockerSentinels([2, 2]),
                messages: [
                    "sentinel-0, sentinel-1: master redis-primary is watched by 2 sentinel(s): run at least 3",
                    "sentinel-0, sentinel-1: master redis-primary is watched by 2 sentinels: use an odd number so a partition always leaves one side with a majority",
                ],
            },
            { title: "a minority quorum", fixture: dockerSentinels([1, 1, 1]), messages: ["sentinel-0, sentinel-1, sentinel-2: master redis-primary has quorum 1 with 3 sentinels: use a majority, 2"] },
            {
                title: "4 sentinels in a StatefulSet with quorum 2",
                fixture: kubernetesSentinels(4, 2),
                messages: [
                    "redis-sentinel: master redis-primary has quorum 2 with 4 sentinels: use a majority, 3",
                    "redis-sentinel: master redis-primary is watched by 4 sentinels: use an odd number so a partition always leaves one side with a majority",
                ],
            },
        ],
    },
];
