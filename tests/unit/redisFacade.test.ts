import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { BackendBuilder, BackendNotAvailableError } from "../../components/backend";
import { BACKEND_BUILDERS, backendBuilderFor } from "../../components/backends";
import { connectionUrl, RoleCredentials } from "../../components/connection";
import { Redis } from "../../components/redis";
import { AclUsers } from "../../components/security/aclUsers";
import { parseStackConfig } from "../../stacks/config/parse";
import { leakedSecrets, resolveOutput, runWithMocks } from "../../tools/offline/mockRuntime";

const upstashConfig = parseStackConfig("t", {
    "redis:backend": "upstash",
    "redis:upstash": JSON.stringify({ primaryRegion: "us-east-1", email: "ops@example.com" }),
    "redis:upstashApiKey": "placeholder",
});

/** Runs `body` with `builder` standing in for the upstash backend, restoring the real one after. */
async function withBuilder<T>(builder: BackendBuilder | undefined, body: () => Promise<T>): Promise<T> {
    const original = BACKEND_BUILDERS.upstash;
    if (builder) {
        BACKEND_BUILDERS.upstash = builder;
    } else {
        delete BACKEND_BUILDERS.upstash;
    }
    try {
        return await body();
    } finally {
        if (original) {
            BACKEND_BUILDERS.upstash = original;
        } else {
            delete BACKEND_BUILDERS.upstash;
        }
    }
}

describe("Redis facade", () => {
    it("refuses a backend that has not landed before registering anything", async () => {
        await withBuilder(undefined, async () => {
            const run = await runWithMocks(() => new Redis("redis", { config: upstashConfig }));
            assert.ok(run.error instanceof BackendNotAvailableError);
            assert.equal(
                (run.error as Error).message,
                'Backend "upstash" (redis:backend) is not available yet in this version of the program; no resource was created. Choose another backend in Pulumi.<stack>.yaml.',
            );
            assert.deepEqual(run.resources, []);
        });
    });

    it("refuses a self-hosted platform that has not landed", () => {
        const config = parseStackConfig("t", { "redis:backend": "selfhosted", "redis:selfhosted": JSON.stringify({ topology: "cluster", platform: "kubernetes" }) });
        assert.throws(() => backendBuilderFor({ ...config, selfhosted: { ...config.selfhosted!, platform: "unheard-of" as "docker" } }), /Self-hosted platform "unheard-of" \(redis:selfhosted.platform\) is not available yet/);
    });

    it("dispatches to the chosen backend, parents its resources and keeps credentials and URL secret", async () => {
        const calls: string[] = [];
        const builder: BackendBuilder = (name, config, secrets, parent) => {
            calls.push(`${name}:${config.backend}:${Object.keys(secrets).join(",")}`);
            const users = new AclUsers(`${name}-users`, { users: [{ name: "app", role: "app" }] }, { parent });
            return {
                connection: pulumi.output({ mode: "standalone" as const, endpoints: [{ host: "redis.example.com", port: 6380 }], tls: { enabled: true, serverName: "redis.example.com" } }),
                credentials: users.credentials,
            };
        };
        await withBuilder(builder, async () => {
            const run = await runWithMocks(() => new Redis("redis", { config: upstashConfig, secrets: { upstashApiKey: pulumi.secret("k") } }));
            assert.equal(run.error, undefined);
            assert.deepEqual(calls, ["redis:upstash:upstashApiKey"]);
            const [facade, users] = run.resources;
            assert.equal(facade.type, "redisplatform:index:Redis");
            assert.equal(users.type, "redisplatform:security:AclUsers");
            assert.equal(users.parent, facade.urn);

            const redis = run.result!;
            const connection = await resolveOutput(redis.connection);
            assert.equal(connection.secret, false);
            assert.deepEqual(leakedSecrets(connection.value), []);
            const url = await resolveOutput(redis.url);
            assert.equal(url.secret, true);
            assert.equal(url.value, "rediss://app:MOCK-SECRET-password-redis-users-app-password-g1@redis.example.com:6380");
            assert.equal((await resolveOutput(redis.credentials)).secret, true);
        });
    });

    it("fails when a backend returns no credentials for the first app user", async () => {
        const builder: BackendBuilder = () => ({
            connection: pulumi.output({ mode: "standalone" as const, endpoints: [{ host: "h", port: 1 }], tls: { enabled: true } }),
            credentials: pulumi.output<RoleCredentials>({}),
        });
        await withBuilder(builder, async () => {
            const run = await runWithMocks(() => new Redis("redis", { config: upstashConfig }));
            await assert.rejects(resolveOutput(run.result!.url), /returned no credentials for app user "app"/);
        });
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
