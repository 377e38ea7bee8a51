import * as docker from "../../../policies/rules/docker";
import { DOCKER, ELASTICACHE, SECURITY_GROUPS, UPSTASH } from "../../../policies/rules/lib/types";
import * as network from "../../../policies/rules/network";
import * as upstash from "../../../policies/rules/upstash";
import { FixtureResource, one, RuleCase } from "../helpers";

const GOOD_DATABASE = { databaseName: "redis-prod", region: "global", primaryRegion: "us-east-1", tls: true, budget: 50, ipAllowlists: ["203.0.113.10/32"] };
const database = (overrides: Record<string, unknown>) => one(UPSTASH.redisDatabase, { ...GOOD_DATABASE, ...overrides });

const SHA = "a".repeat(64);
const GOOD_CONTAINER = {
    image: `sha256:${SHA}`,
    ports: [{ internal: 6379, external: 7000, ip: "127.0.0.1" }],
    envs: ["REDIS_NODE=redis-0"],
    uploads: [],
};
const container = (overrides: Record<string, unknown>) => one(DOCKER.container, { ...GOOD_CONTAINER, ...overrides });

/** Fixtures of the Upstash rules. */
export const UPSTASH_CASES: RuleCase[] = [
    {
        policy: upstash.upstashTls,
        pass: [{ title: "tls: true", fixture: database({}) }],
        flag: [{ title: "tls unset", fixture: database({ tls: undefined }), messages: ["tls is unset: set it to true so passwords and data never cross the internet in plain text"] }],
    },
    {
        policy: upstash.upstashBudget,
        pass: [{ title: "a 50 USD budget", fixture: database({}) }],
        flag: [
            { title: "no budget", fixture: database({ budget: undefined }), messages: ["budget is unset: set a monthly cap in US dollars"] },
            { title: "a budget over the review limit", fixture: { ...database({ budget: 5000 }), config: { maximumUsd: 1000 } }, messages: ["budget is 5000: more than the 1000 USD accepted without review"] },
        ],
    },
    {
        policy: upstash.upstashIpAllowlist,
        pass: [{ title: "an allowlist", fixture: database({}) }],
        flag: [
            { title: "no allowlist", fixture: database({ ipAllowlists: [] }), messages: ["ipAllowlists is empty: list the application's egress addresses"] },
            {
                title: "the whole internet",
                fixture: database({ ipAllowlists: ["0.0.0.0/0"] }),
                messages: ["ipAllowlists covers a large public range: 0.0.0.0/0 (3702258688 public IPv4 addresses): list only the application's egress addresses"],
            },
            {
                title: "many small blocks adding up to more than a /24",
                fixture: database({ ipAllowlists: ["198.51.99.0/25", "198.51.99.128/25", "198.51.98.0/30"] }),
                messages: ["ipAllowlists covers a large public range: 198.51.99.0/25, 198.51.99.128/25, 198.51.98.0/30 (260 public IPv4 addresses): list only the application's egress addresses"],
            },
        ],
    },
];

const ingressRule = (props: Record<string, unknown>, extra: Partial<FixtureResource> = {}): FixtureResource => ({ type: SECURITY_GROUPS.ingressRule, name: "ingress", props: { securityGroupId: "sg-redis", ipProtocol: "tcp", ...props }, ...extra });
const inline = (ingress: Record<string, unknown>[]): FixtureResource => ({ type: SECURITY_GROUPS.group, name: "redis-sg", props: { description: "redis", ingress } });
const redisSg: FixtureResource = { type: SECURITY_GROUPS.group, name: "redis-sg", props: { description: "redis" } };
const cache = (props: Record<string, unknown> = {}): FixtureResource => ({ type: ELASTICACHE.replicationGroup, name: "cache", props: { description: "redis", ...props }, refs: { securityGroupIds: ["redis-sg"] } });
const fromWorld = (fromPort: number, toPort = fromPort): Record<string, unknown> => ({ ipProtocol: "tcp", fromPort, toPort, cidrIpv4: "0.0.0.0/0" });
const nodeConf = (tlsPort: number) => ({ type: DOCKER.container, name: "redis-0", props: { image: `sha256:${SHA}`, uploads: [{ file: "/etc/redis/node.conf", content: `port 0\ntls-port ${tlsPort}\ntls-replication yes\nappendonly yes\n` }] } });
const openMessage = (name: string, port: string, world: string) => `${name}: ingress opens Redis port ${port} to ${world}: allow the application's security group or private network instead`;
const ALL_V4 = "3702258688 public IPv4 addresses";

/** Fixtures of the security-group rules. */
export const NETWORK_CASES: RuleCase[] = [
    {
        policy: network.noPublicRedisPorts,
        pass: [
            { title: "an ingress rule from a security group", fixture: one(SECURITY_GROUPS.ingressRule, { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, referencedSecurityGroupId: "sg-app" }) },
            { title: "HTTPS from the internet", fixture: one(SECURITY_GROUPS.ingressRule, fromWorld(443)) },
            { title: "private and documentation ranges inline", fixture: { resources: [inline([{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["10.0.0.0/8", "172.16.0.0/12", "100.64.0.0/10", "203.0.113.0/24"] }])] } },
            { title: "one office /28 (no larger than the /24 limit)", fixture: one(SECURITY_GROUPS.ingressRule, { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "198.51.99.16/28" }) },
            { title: "an egress rule to anywhere", fixture: one(SECURITY_GROUPS.rule, { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }) },
            { title: "a /16 of public space when the limit is raised to /16", fixture: { ...one(SECURITY_GROUPS.ingressRule, { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "52.1.0.0/16" }), config: { largestPublicPrefixV4: 16 } } },
        ],
        flag: [
            { title: "6379 to 0.0.0.0/0 (vpc ingress rule)", fixture: { resources: [ingressRule(fromWorld(6379))] }, messages: [openMessage("ingress", "6379", `0.0.0.0/0 (${ALL_V4})`)] },
            {
                title: "the internet split in two halves (inline)",
                fixture: { resources: [inline([{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }])] },
                messages: [openMessage("redis-sg", "6379", `0.0.0.0/1, 128.0.0.0/1 (${ALL_V4})`)],
            },
            { title: "a short public prefix", fixture: { resources: [ingressRule({ ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "52.0.0.0/8" })] }, messages: [openMessage("ingress", "6379", "52.0.0.0/8 (16777216 public IPv4 addresses)")] },
            {
                title: "a port range covering the bus and sentinel ports to half of IPv6 (inline)",
                fixture: { resources: [inline([{ protocol: "tcp", fromPort: 16000, toPort: 27000, ipv6CidrBlocks: ["::/1"] }])] },
                messages: [openMessage("redis-sg", "16379, 26379", "::/1 (2^124+ public IPv6 addresses)")],
            },
            {
                title: "all traffic (security group rule)",
                fixture: one(SECURITY_GROUPS.rule, { type: "ingress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }),
                messages: [openMessage("r0", "6379, 16379, 26379", `0.0.0.0/0 (${ALL_V4})`)],
            },
            {
                title: "the replication group's own port 7379",
                fixture: { resources: [cache({ port: 7379 }), redisSg, ingressRule(fromWorld(7379), { refs: { securityGroupId: ["redis-sg"] } })] },
                messages: [openMessage("ingress", "7379", `0.0.0.0/0 (${ALL_V4})`)],
            },
            {
                title: "the TLS port a rendered redis.conf serves (7000)",
                fixture: { resources: [nodeConf(7000), ingressRule(fromWorld(7000, 7002))] },
                messages: [openMessage("ingress", "7000", `0.0.0.0/0 (${ALL_V4})`)],
            },
            {
                title: "a port listed in extraPorts",
                fixture: { resources: [ingressRule(fromWorld(8443))], config: { extraPorts: [8443] } },
                messages: [openMessage("ingress", "8443", `0.0.0.0/0 (${ALL_V4})`)],
            },
        ],
    },
    {
        policy: network.noPublicIngressBesideRedis,
        pass: [
            { title: "SSH from the world in a group that does not guard Redis", fixture: { resources: [ingressRule(fromWorld(22))] } },
            { title: "a Redis group open only to the application's group", fixture: { resources: [cache(), redisSg, ingressRule({ fromPort: 6379, toPort: 6379, referencedSecurityGroupId: "sg-app" }, { refs: { securityGroupId: ["redis-sg"] } })] } },
            { title: "7379 from the world when nothing serves it", fixture: { resources: [ingressRule(fromWorld(7379))] } },
        ],
        flag: [
            {
                title: "SSH from the world in the group attached to the cache",
                fixture: { resources: [cache(), redisSg, ingressRule(fromWorld(22), { name: "ssh", refs: { securityGroupId: ["redis-sg"] } })] },
                messages: [`ssh: ingress opens tcp port 22 to 0.0.0.0/0 (${ALL_V4}) in a security group that guards Redis: remove it or move it to a group of its own`],
            },
            {
                title: "an admin port beside a Redis rule in one inline group",
                fixture: { resources: [inline([{ protocol: "tcp", fromPort: 6379, toPort: 6379, securityGroups: ["sg-app"] }, { protocol: "udp", fromPort: 0, toPort: 65535, ipv6CidrBlocks: ["2000::/3"] }])] },
                messages: ["redis-sg: ingress opens udp ports 0-65535 to 2000::/3 (2^124+ public IPv6 addresses) in a security group that guards Redis: remove it or move it to a group of its own"],
            },
        ],
    },
];

/** Fixtures of the Docker rules. */
export const DOCKER_CASES: RuleCase[] = [
    {
        policy: docker.dockerPortsLoopback,
        pass: [{ title: "a port on 127.0.0.1", fixture: container({}) }, { title: "no published port", fixture: container({ ports: undefined }) }],
        flag: [
            { title: "a port on every interface", fixture: container({ ports: [{ internal: 6379, external: 7000 }] }), messages: ["port 6379 is published on 0.0.0.0: set ip to 127.0.0.1"] },
            {
                title: "every exposed port published",
                fixture: container({ publishAllPorts: true }),
                messages: ["publishAllPorts is true: every exposed port is published on 0.0.0.0; publish the ports you need on 127.0.0.1"],
            },
        ],
    },
    {
        policy: docker.dockerImagePinned,
        pass: [
            { title: "an image id", fixture: container({}) },
            { title: "an exact tag on the pulled image", fixture: one(DOCKER.remoteImage, { name: "redis:7.2.5-alpine" }) },
            { title: "a digest on the pulled image", fixture: one(DOCKER.remoteImage, { name: `redis@sha256:${SHA}` }) },
            { title: "a container whose image id is not known yet (preview)", fixture: container({ image: undefined }) },
        ],
        flag: [
            { title: "latest", fixture: container({ image: "redis:latest" }), messages: ['image "redis:latest" uses latest: pin a digest or an exact version'] },
            { title: "no tag", fixture: one(DOCKER.remoteImage, { name: "redis" }), messages: ['image "redis" has no tag, which means latest: pin a digest or an exact version'] },
            {
                title: "a floating tag",
                fixture: one(DOCKER.remoteImage, { name: "registry.local:5000/redis:7.2" }),
                messages: ['image "registry.local:5000/redis:7.2" uses the floating tag "7.2": pin a digest or an exact version such as 7.2.5'],
            },
        ],
    },
    {
        policy: docker.dockerNoPlaintextSecretEnv,
        pass: [
            { title: "no credential in env", fixture: container({}) },
            { title: "a pointer to a mounted password file", fixture: container({ envs: ["REDIS_PASSWORD_DIR=/etc/redis/passwords", "REDIS_PASSWORD_FILE=/run/secrets/app"] }) },
        ],
        flag: [
            { title: "a password in env", fixture: container({ envs: ["REDISCLI_AUTH=hunter2", "REDIS_NODE=redis-0"] }), messages: ["envs set REDISCLI_AUTH: mount credentials as files instead"] },
            { title: "a URL with a password under a harmless name", fixture: container({ envs: ["REDIS_URL=rediss://app:hunter2@redis:6379"] }), messages: ["envs set REDIS_URL: mount credentials as files instead"] },
        ],
    },
    {
        policy: docker.dockerNotPrivileged,
        pass: [{ title: "an unprivileged container", fixture: container({}) }, { title: "no-new-privileges and a custom seccomp profile", fixture: container({ securityOpts: ["no-new-privileges:true", "seccomp=/etc/docker/redis.json"] }) }],
        flag: [
            { title: "a privileged container", fixture: container({ privileged: true }), messages: ["privileged is true: Redis needs no host privileges"] },
            {
                title: "seccomp and AppArmor switched off",
                fixture: container({ securityOpts: ["no-new-privileges:true", "seccomp=unconfined", "apparmor:unconfined"] }),
                messages: ["securityOpts seccomp=unconfined, apparmor:unconfined switch confinement off: remove them"],
            },
        ],
    },
];
