import * as docker from "../../../policies/rules/docker";
import { DOCKER, SECURITY_GROUPS, UPSTASH } from "../../../policies/rules/lib/types";
import * as network from "../../../policies/rules/network";
import * as upstash from "../../../policies/rules/upstash";
import { one, RuleCase } from "../helpers";

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
            { title: "the whole internet", fixture: database({ ipAllowlists: ["0.0.0.0/0"] }), messages: ["ipAllowlists includes 0.0.0.0/0: that allows the whole internet"] },
        ],
    },
];

/** Fixtures of the security-group rule. */
export const NETWORK_CASES: RuleCase[] = [
    {
        policy: network.noPublicRedisPorts,
        pass: [
            { title: "an ingress rule from a security group", fixture: one(SECURITY_GROUPS.ingressRule, { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, referencedSecurityGroupId: "sg-app" }) },
            { title: "HTTPS from the internet", fixture: one(SECURITY_GROUPS.ingressRule, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }) },
            { title: "a private CIDR inline", fixture: one(SECURITY_GROUPS.group, { ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["10.0.0.0/8"] }] }) },
            { title: "an egress rule to anywhere", fixture: one(SECURITY_GROUPS.rule, { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }) },
        ],
        flag: [
            {
                title: "6379 to 0.0.0.0/0 (vpc ingress rule)",
                fixture: one(SECURITY_GROUPS.ingressRule, { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "0.0.0.0/0" }),
                messages: ["ingress opens port 6379 to 0.0.0.0/0: allow the application's security group or network instead"],
            },
            {
                title: "a port range covering the bus and sentinel ports to ::/0 (inline)",
                fixture: one(SECURITY_GROUPS.group, { ingress: [{ protocol: "tcp", fromPort: 16000, toPort: 27000, ipv6CidrBlocks: ["::/0"] }] }),
                messages: ["ingress opens port 16379, 26379 to ::/0: allow the application's security group or network instead"],
            },
            {
                title: "all traffic (security group rule)",
                fixture: one(SECURITY_GROUPS.rule, { type: "ingress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }),
                messages: ["ingress opens port 6379, 16379, 26379 to 0.0.0.0/0: allow the application's security group or network instead"],
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
        ],
    },
    {
        policy: docker.dockerNotPrivileged,
        pass: [{ title: "an unprivileged container", fixture: container({}) }],
        flag: [{ title: "a privileged container", fixture: container({ privileged: true }), messages: ["privileged is true: Redis needs no host privileges"] }],
    },
];
