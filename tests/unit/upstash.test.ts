import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import type { UpstashRedisArgs } from "../../components/upstash/args";
import { planUpstash } from "../../components/upstash/plan";
import { UpstashRedis } from "../../components/upstash/upstashRedis";
import { upstashArgsFor } from "../../stacks/config/redisArgs";
import { ConfigError } from "../../stacks/config/errors";
import { parseStackConfig } from "../../stacks/config/parse";
import { redisProgram } from "../../stacks/program";
import { leakedSecrets, ofType, resolveOutput, resolveOutputs, runStack, runWithMocks } from "../../tools/offline/mockRuntime";

const API_KEY = { "redis:upstashApiKey": "MOCK-SECRET-upstash-api-key" };
const base = { primaryRegion: "us-east-1", email: "ops@example.com" };
const DB = "upstash:index/redisDatabase:RedisDatabase";

function configMap(values: Record<string, unknown>): Record<string, string> {
    return {
        ...Object.fromEntries(Object.entries(values).map(([key, value]) => [`redis:${key}`, typeof value === "string" ? value : JSON.stringify(value)])),
        ...API_KEY,
    };
}

function problems(values: Record<string, unknown>): string[] {
    try {
        parseStackConfig("t", configMap({ backend: "upstash", ...values }));
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.problems.map((problem) => `${problem.key} = ${problem.value}: ${problem.message}`);
    }
    assert.fail("the config was accepted");
}

async function runProgram(stack: string, values: Record<string, unknown>) {
    const config = configMap({ backend: "upstash", ...values });
    const run = await runWithMocks(() => redisProgram(stack, config), { stack, config, secretKeys: Object.keys(API_KEY) });
    return { ...run, outputs: run.result ? await resolveOutputs(run.result as unknown as Record<string, unknown>) : {} };
}

describe("redis:upstash config", () => {
    const refused: [string, Record<string, unknown>, string[]][] = [
        ["a regional (non-global) database", { upstash: { ...base, region: "eu-west-1" } }, [
            'redis:upstash.region = "eu-west-1": must be "global": Upstash creates only global databases; put the region in upstash.primaryRegion and the others in upstash.readRegions',
        ]],
        ["a primary region Upstash does not offer", { upstash: { ...base, primaryRegion: "us-east-2" } }, [
            'redis:upstash.primaryRegion = "us-east-2": must be one of "us-east-1", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "sa-east-1", "ap-southeast-1", "ap-southeast-2" (did you mean "us-east-1"?)',
        ]],
        ["the primary among the read regions, twice", { upstash: { ...base, readRegions: ["us-east-1", "eu-west-1", "eu-west-1"] } }, [
            'redis:upstash.readRegions = ["us-east-1","eu-west-1","eu-west-1"]: must not include the primary region (us-east-1): it already holds the primary',
            'redis:upstash.readRegions = ["us-east-1","eu-west-1","eu-west-1"]: lists a region twice',
        ]],
        ["an allowlist that admits the internet", { upstash: { ...base, allowedIps: ["0.0.0.0/0"] } }, [
            'redis:upstash.allowedIps[0] = "0.0.0.0/0": must not admit the whole internet: set upstash.allowAllIps: true to say so explicitly, or list the application\'s addresses',
        ]],
        ["allowAllIps with an allowlist", { upstash: { ...base, allowAllIps: true, allowedIps: ["203.0.113.7"] } }, [
            "redis:upstash.allowAllIps = true: cannot be true while upstash.allowedIps lists addresses: choose one",
        ]],
        ["a prod database open to every address by default", { environment: "prod", upstash: base }, [
            "redis:upstash.allowedIps = (not set): must list the application's addresses in a prod stack (an empty list admits every address), or set upstash.allowAllIps: true to accept that",
        ]],
        ["eviction for a queue", { profile: "queue", upstash: { ...base, eviction: true } }, [
            'redis:upstash.eviction = true: cannot be true with profile "queue": its data must never be evicted',
        ]],
        ["eviction set twice", { memory: { evictionPolicy: "allkeys-lru" }, upstash: { ...base, eviction: false } }, [
            'redis:memory.evictionPolicy = "allkeys-lru": cannot be set together with upstash.eviction: Upstash only turns eviction on or off; keep one of them',
        ]],
        ["two users", { upstash: base, acl: { users: [{ name: "a", role: "app" }, { name: "b", role: "readonly" }] } }, [
            'redis:acl.users = [{"name":"a","role":"app"},{"name":"b","role":"readonly"}]: must hold exactly one user with backend "upstash": an Upstash database has one password for everybody',
        ]],
        ["a read-only user", { upstash: base, acl: { users: [{ name: "r", role: "readonly" }] } }, [
            'redis:acl.users[0].role = "readonly": cannot be "readonly" with backend "upstash": the database password grants every command',
        ]],
        ["memory, persistence and mTLS Upstash decides itself", { upstash: base, memory: { maxmemory: "1gb" }, persistence: { appendfsync: "always" }, tls: { mtls: true } }, [
            'redis:memory.maxmemory = "1gb": does not apply to backend "upstash": the plan and upstash.budgetUsd decide the size',
            'redis:persistence.appendfsync = "always": does not apply to backend "upstash": Upstash persists every write itself',
            'redis:tls.mtls = true: cannot be true with backend "upstash": Upstash does not verify client certificates',
        ]],
        ["a budget of 0", { upstash: { ...base, budgetUsd: 0 } }, ["redis:upstash.budgetUsd = 0: must be at least 1"]],
    ];
    for (const [title, values, expected] of refused) {
        it(`refuses ${title}`, () => {
            assert.deepEqual(problems(values), expected);
        });
    }

    it("refuses a stack without the API key, and never prints the key", () => {
        try {
            parseStackConfig("t", { "redis:backend": "upstash", "redis:upstash": JSON.stringify(base) });
            assert.fail("accepted");
        } catch (error) {
            assert.ok(error instanceof ConfigError);
            assert.deepEqual(error.problems.map((problem) => problem.key), ["redis:upstashApiKey"]);
        }
        const message = (() => {
            try {
                parseStackConfig("t", configMap({ backend: "upstash", upstash: { ...base, region: "x" } }));
            } catch (error) {
                return String(error);
            }
            return "";
        })();
        assert.ok(message !== "" && !message.includes("MOCK-SECRET"), message);
    });

    it("plans eviction and the prod pack from the profile and environment", () => {
        const plan = (values: Record<string, unknown>) => {
            const config = parseStackConfig("s", configMap({ backend: "upstash", ...values }));
            return planUpstash("redis-s", upstashArgsFor({ ...config, upstash: config.upstash! }, { upstashApiKey: "k" }));
        };
        assert.deepEqual(plan({ upstash: base }), {
            databaseName: "redis-s",
            primaryRegion: "us-east-1",
            readRegions: [],
            eviction: true,
            budgetUsd: 20,
            autoScale: false,
            prodPack: false,
            ipAllowlist: [],
            email: "ops@example.com",
            protect: false,
            userName: "app",
        });
        assert.equal(plan({ profile: "durable", upstash: base }).eviction, false);
        assert.equal(plan({ profile: "queue", upstash: base }).eviction, false);
        assert.equal(plan({ profile: "session", upstash: { ...base, eviction: false } }).eviction, false);
        const prod = plan({ environment: "prod", upstash: { ...base, allowAllIps: true } });
        assert.deepEqual([prod.prodPack, prod.protect, prod.ipAllowlist], [true, true, []]);
        assert.equal(plan({ environment: "prod", upstash: { ...base, allowedIps: ["203.0.113.7"], prodPack: false } }).prodPack, false);
    });
});

describe("Upstash under mocks", () => {
    it("runs the example-upstash stack: a provider from the secret key and a global TLS database", async () => {
        const run = await runStack("example-upstash", { secrets: API_KEY });
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(run.resources.map((resource) => [resource.type, resource.name]), [
            ["redisplatform:index:Redis", "redis"],
            ["redisplatform:upstash:UpstashRedis", "redis-upstash"],
            ["pulumi:providers:upstash", "redis-upstash-provider"],
            [DB, "redis-upstash-db"],
        ]);
        const [facade, component, provider, database] = run.resources;
        assert.equal(component.parent, facade.urn);
        assert.equal(provider.parent, component.urn);
        assert.equal(database.parent, component.urn);
        assert.deepEqual(provider.inputs, { apiKey: "MOCK-SECRET-upstash-api-key", email: "ops@example.com" });
        assert.deepEqual(provider.secretInputs, ["apiKey"]);
        assert.deepEqual(database.inputs, {
            databaseName: "redis-example-upstash",
            region: "global",
            primaryRegion: "us-east-1",
            readRegions: ["eu-west-1"],
            tls: true,
            eviction: true,
            budget: 20,
            autoScale: false,
            prodPack: false,
            ipAllowlists: ["203.0.113.0/24"],
        });
        assert.deepEqual([...new Set(database.additionalSecretOutputs)].sort(), ["password", "readOnlyRestToken", "restToken"]);
        assert.equal(database.protect, false);

        assert.deepEqual(run.outputs.connection, {
            value: { mode: "standalone", endpoints: [{ host: "redis-upstash-db.upstash.io", port: 6379 }], tls: { enabled: true, serverName: "redis-upstash-db.upstash.io" } },
            secret: false,
        });
        assert.deepEqual(run.outputs.credentials, { value: { app: { username: "default", password: "MOCK-SECRET-upstash-password-redis-upstash-db" } }, secret: true });
        assert.deepEqual(run.outputs.url, { value: "rediss://default:MOCK-SECRET-upstash-password-redis-upstash-db@redis-upstash-db.upstash.io:6379", secret: true });
        for (const [key, output] of Object.entries(run.outputs)) {
            if (!output.secret) {
                assert.deepEqual(leakedSecrets(output.value), [], key);
            }
        }
    });

    it("protects a prod database, turns the prod pack on and keeps eviction off for durable data", async () => {
        const run = await runProgram("prod", { environment: "prod", profile: "durable", upstash: { ...base, readRegions: ["eu-west-1", "ap-southeast-1"], allowAllIps: true, budgetUsd: 200, autoScale: true } });
        assert.equal(run.error, undefined, String(run.error));
        const [database] = ofType(run.resources, DB);
        assert.equal(database.protect, true);
        assert.deepEqual(database.inputs, {
            databaseName: "redis-prod",
            region: "global",
            primaryRegion: "us-east-1",
            readRegions: ["eu-west-1", "ap-southeast-1"],
            tls: true,
            eviction: false,
            budget: 200,
            autoScale: true,
            prodPack: true,
        });
    });

    it("hands out the password and both REST tokens only as secrets", async () => {
        const run = await runWithMocks(() => new UpstashRedis("up", { databaseName: "db", primaryRegion: "eu-west-1", email: "ops@example.com", apiKey: pulumi.secret("MOCK-SECRET-key") }));
        assert.equal(run.error, undefined, String(run.error));
        const database = run.result!;
        for (const output of [database.restToken, database.readOnlyRestToken, database.credentials]) {
            const resolved = await resolveOutput(output);
            assert.equal(resolved.secret, true);
            assert.notDeepEqual(leakedSecrets(resolved.value), []);
        }
        assert.deepEqual(await resolveOutput(database.restUrl), { value: "https://up-db.upstash.io", secret: false });
        assert.deepEqual((await resolveOutput(database.connection)).secret, false);
    });

    const invalid: [string, Partial<UpstashRedisArgs>, string][] = [
        ["a region Upstash does not offer", { primaryRegion: "eu-north-1" as UpstashRedisArgs["primaryRegion"] }, 'UpstashRedis: region "eu-north-1": must be one of us-east-1, us-west-1, us-west-2, eu-central-1, eu-west-1, sa-east-1, ap-southeast-1, ap-southeast-2'],
        ["the primary as a read region", { readRegions: ["us-east-1"] }, 'UpstashRedis: readRegions includes the primary region "us-east-1": read regions must be other regions'],
        ["a read region twice", { readRegions: ["eu-west-1", "eu-west-1"] }, 'UpstashRedis: readRegions = ["eu-west-1","eu-west-1"]: lists a region twice'],
        ["a zero budget", { budgetUsd: 0 }, "UpstashRedis: budgetUsd = 0: must be a whole number of dollars, at least 1"],
        ["an allowlist open to the internet", { allowedIps: ["::/0"] }, "UpstashRedis: ipAllowlist includes ::/0: must not admit the whole internet; leave the list empty to admit every address"],
    ];
    for (const [title, change, message] of invalid) {
        it(`refuses ${title} before registering anything`, async () => {
            const run = await runWithMocks(() => new UpstashRedis("bad", { databaseName: "db", primaryRegion: "us-east-1", email: "ops@example.com", apiKey: "k", ...change }));
            assert.equal((run.error as Error).message, message);
            assert.deepEqual(run.resources, []);
        });
    }
});
