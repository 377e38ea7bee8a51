import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { BackendNotAvailableError } from "../../components/backend";
import { connectionUrl } from "../../components/connection";
import { ElastiCacheRedis } from "../../components/elasticache/elastiCacheRedis";
import { ComponentArgsError } from "../../components/problems";
import { Redis } from "../../components/redis";
import { SelfHostedRedis, validateSelfHostedRedisArgs } from "../../components/selfhosted/selfHostedRedis";
import { UpstashRedis } from "../../components/upstash/upstashRedis";
import { CertificateAuthority } from "../../components/security/certificateAuthority";
import { DockerDeployment } from "../../components/selfhosted/docker/dockerDeployment";
import { OFFLINE_INVOKES, OFFLINE_OUTPUTS } from "../../tools/offline/answers";
import { leakedSecrets, resolveOutput, runWithMocks } from "../../tools/offline/mockRuntime";

const upstash = { primaryRegion: "us-east-1" as const, email: "ops@example.com", apiKey: pulumi.secret("k") };

describe("Redis facade", () => {
    it("refuses bad args of the chosen backend before registering anything, naming each argument and value", async () => {
        const run = await runWithMocks(() => new Redis("redis", { backend: "elasticache", replicas: 0, multiAz: true, allowedCidrs: ["0.0.0.0/0"] }));
        assert.ok(run.error instanceof ComponentArgsError, String(run.error));
        assert.equal(
            (run.error as Error).message,
            [
                'ElastiCacheRedis "redis": 3 invalid arguments; no resource was created:',
                "  multiAz = true: needs at least 1 replica: Multi-AZ fails over to a replica in another zone",
                "  subnetIds = (not set): is required (with elasticache.vpcId), or set elasticache.exampleVpc to create a private example VPC",
                '  allowedCidrs.0 = "0.0.0.0/0": must not open Redis to the whole internet: name the application\'s network instead',
            ].join("\n"),
        );
        assert.deepEqual(run.resources, []);
    });

    it("refuses a self-hosted platform that has not landed", () => {
        assert.throws(
            () => validateSelfHostedRedisArgs("Redis", "r", { topology: "standalone", platform: "unheard-of" as "docker" }),
            (error: Error) => error instanceof BackendNotAvailableError && /Self-hosted platform "unheard-of" \(platform\) is not available yet/.test(error.message),
        );
    });

    it("refuses self-hosted sizes that do not fit the topology, before anything exists", async () => {
        const run = await runWithMocks(() => new SelfHostedRedis("cache", { topology: "sentinel", platform: "docker", replicas: 0, sentinels: 4, shards: 3 }));
        assert.ok(run.error instanceof ComponentArgsError);
        assert.deepEqual((run.error as ComponentArgsError).problems.map((problem) => problem.path.join(".")), ["shards", "replicas", "sentinels"]);
        assert.deepEqual(run.resources, []);
    });

    it("builds the chosen backend's component under the facade and keeps credentials and URL secret", async () => {
        const run = await runWithMocks(() => new Redis("redis", { backend: "upstash", ...upstash }));
        assert.equal(run.error, undefined, String(run.error));
        const [facade, component] = run.resources;
        assert.equal(facade.type, "redisplatform:index:Redis");
        assert.deepEqual([component.type, component.name, component.parent], ["redisplatform:upstash:UpstashRedis", "redis-upstash", facade.urn]);
        const redis = run.result!;
        assert.ok(redis.upstash instanceof UpstashRedis);
        assert.equal(redis.elastiCache, undefined);
        const connection = await resolveOutput(redis.connection);
        assert.equal(connection.secret, false);
        assert.deepEqual(leakedSecrets(connection.value), []);
        const url = await resolveOutput(redis.url);
        assert.equal(url.secret, true);
        assert.match(String(url.value), /^rediss:\/\/default:MOCK-SECRET-upstash-password-redis-upstash-db@/);
        assert.equal((await resolveOutput(redis.credentials)).secret, true);
    });
});

describe("Redis facade, self-hosted", () => {
    it("builds the self-hosted children directly under the facade (the URNs of 0.1.0) and exposes them", async () => {
        const run = await runWithMocks(() => new Redis("redis", { backend: "selfhosted", topology: "sentinel", platform: "docker", monitoring: { enabled: false }, backup: { enabled: false } }), {
            invokes: OFFLINE_INVOKES,
            outputs: OFFLINE_OUTPUTS,
        });
        assert.equal(run.error, undefined, String(run.error));
        const facade = run.resources[0];
        const children = run.resources.filter((resource) => resource.parent === facade.urn).map((resource) => `${resource.type} ${resource.name}`);
        assert.deepEqual(children, ["redisplatform:security:CertificateAuthority redis-ca", "redisplatform:security:AclUsers redis-users", "redisplatform:docker:DockerDeployment redis"]);
        const redis = run.result!;
        assert.ok(redis.selfHosted?.certificateAuthority instanceof CertificateAuthority);
        assert.ok(redis.selfHosted?.platform instanceof DockerDeployment);
        const url = await resolveOutput(redis.url);
        assert.equal(url.secret, true);
        assert.match(String(url.value), /^rediss\+sentinel:\/\/app:[^@]+@127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+\/[a-z0-9-]+$/);
    });
});

describe("type tokens", () => {
    it("renamed components keep their old token as an alias, so existing stacks are not replaced", async () => {
        const run = await runWithMocks(() => new UpstashRedis("u", upstash));
        const [component] = run.resources;
        assert.equal(component.type, "redisplatform:upstash:UpstashRedis");
        assert.deepEqual(component.aliases, [{ spec: { name: "", type: "redisplatform:upstash:UpstashDatabase", stack: "", project: "" } }]);
        const cache = await runWithMocks(() => new ElastiCacheRedis("c", { exampleVpc: {}, allowedCidrs: ["10.0.0.0/8"] }), {
            invokes: { "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ names: ["a", "b", "c"] }), "aws:index/getRegion:getRegion": () => ({ region: "eu-west-1" }) },
        });
        assert.equal(cache.error, undefined, String(cache.error));
        assert.equal(cache.resources[0].type, "redisplatform:elasticache:ElastiCacheRedis");
        assert.deepEqual(cache.resources[0].aliases, [{ spec: { name: "", type: "redisplatform:elasticache:ElastiCache", stack: "", project: "" } }]);
    });
});

describe("connectionUrl", () => {
    it("percent-encodes credentials, brackets IPv6 and follows the TLS setting", () => {
        assert.equal(
            connectionUrl({ mode: "standalone", endpoints: [{ host: "::1", port: 7000 }], tls: { enabled: true } }, { username: "a@b", password: "p/w:x" }),
            "rediss://a%40b:p%2Fw%3Ax@[::1]:7000",
        );
        assert.equal(connectionUrl({ mode: "standalone", endpoints: [{ host: "h", port: 1 }], tls: { enabled: false } }, { username: "u", password: "p" }), "redis://u:p@h:1");
        assert.throws(() => connectionUrl({ mode: "cluster", endpoints: [], tls: { enabled: true } }, { username: "u", password: "p" }), /no endpoint/);
    });
});
