import { strict as assert } from "node:assert";
import { ConfigError } from "../../stacks/config/errors";
import { parseStackConfig, splitConfigMap } from "../../stacks/config/parse";
import { readStackFile } from "../../stacks/config/stackFile";

/** Builds a config map the way Pulumi hands it over: `redis:<key>` to text, objects as JSON. */
function configMap(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [`redis:${key}`, typeof value === "string" ? value : JSON.stringify(value)]));
}

const sentinelDocker = { topology: "sentinel", platform: "docker" };

function problemsOf(values: Record<string, unknown>): string[] {
    try {
        parseStackConfig("test", configMap(values));
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error.problems.map((problem) => `${problem.key} = ${problem.value}: ${problem.message}`);
    }
    assert.fail("the config was accepted");
}

describe("stack config", () => {
    describe("the shipped stack files", () => {
        for (const stack of ["dev", "prod"]) {
            it(`Pulumi.${stack}.yaml parses`, () => {
                const file = readStackFile(stack);
                const config = parseStackConfig(stack, file.config);
                assert.equal(config.stack, stack);
            });
        }

        it("dev is self-hosted Sentinel on Docker with 2 replicas, 3 sentinels, TLS and ACL", () => {
            const config = parseStackConfig("dev", readStackFile("dev").config);
            assert.equal(config.backend, "selfhosted");
            assert.deepEqual(
                { ...config.selfhosted!, docker: undefined, kubernetes: undefined },
                {
                    topology: "sentinel",
                    platform: "docker",
                    replicas: 2,
                    sentinels: 3,
                    shards: 0,
                    replicasPerShard: 0,
                    failover: "fast",
                    resources: { cpu: "1", memoryMiB: 512 },
                    storage: { sizeMiB: 10240, className: undefined },
                    docker: undefined,
                    kubernetes: undefined,
                },
            );
            assert.equal(config.tls.enabled, true);
            assert.equal(config.maxmemoryMiB, 384);
            assert.deepEqual(config.persistence, { mode: "aof", appendfsync: "everysec" });
            assert.equal(config.evictionPolicy, "volatile-lru");
            assert.equal(config.protect, false);
        });

        it("prod is ElastiCache, protected", () => {
            const config = parseStackConfig("prod", readStackFile("prod").config);
            assert.equal(config.backend, "elasticache");
            assert.equal(config.environment, "prod");
            assert.equal(config.protect, true);
            assert.deepEqual(config.engine, { name: "valkey", version: "8.0" });
        });
    });

    describe("defaults", () => {
        it("resolves a minimal self-hosted sentinel stack", () => {
            const config = parseStackConfig("s", configMap({ backend: "selfhosted", selfhosted: sentinelDocker }));
            assert.deepEqual(config.engine, { name: "redis", version: "7.2" });
            assert.equal(config.profile, "cache");
            assert.equal(config.evictionPolicy, "allkeys-lru");
            assert.deepEqual(config.persistence, { mode: "rdb", appendfsync: "everysec" });
            assert.equal(config.maxmemoryMiB, 768);
            assert.deepEqual(config.tls, { enabled: true, mtls: false, validityDays: 365, earlyRenewalDays: 30, dnsNames: [], ipAddresses: [], includeLocalhost: false });
            assert.deepEqual(config.acl, { users: [{ name: "app", role: "app", keys: ["*"], channels: ["*"] }], passwordLength: 40, rotation: {} });
            assert.equal(config.selfhosted?.replicas, 2);
            assert.equal(config.selfhosted?.sentinels, 3);
            assert.deepEqual(config.selfhosted?.docker, { publishAddress: "127.0.0.1", basePort: 7000 });
            assert.equal(config.protect, false);
            assert.deepEqual(config.secretKeys, []);
        });

        it("derives cluster sizes and profile settings", () => {
            const config = parseStackConfig(
                "c",
                configMap({ backend: "selfhosted", environment: "prod", profile: "durable", selfhosted: { topology: "cluster", platform: "kubernetes", resources: { memory: "4gb" } } }),
            );
            assert.equal(config.selfhosted?.shards, 3);
            assert.equal(config.selfhosted?.replicasPerShard, 1);
            assert.equal(config.selfhosted?.replicas, 0);
            assert.equal(config.selfhosted?.sentinels, 0);
            assert.equal(config.maxmemoryMiB, 3072);
            assert.deepEqual(config.persistence, { mode: "aof", appendfsync: "always" });
            assert.equal(config.evictionPolicy, "noeviction");
            assert.equal(config.protect, true);
        });

        it("takes explicit overrides", () => {
            const config = parseStackConfig(
                "o",
                configMap({
                    backend: "selfhosted",
                    profile: "session",
                    memory: { maxmemory: "600mb", evictionPolicy: "volatile-ttl" },
                    persistence: { mode: "rdb" },
                    selfhosted: { topology: "standalone", platform: "docker" },
                }),
            );
            assert.equal(config.maxmemoryMiB, 600);
            assert.equal(config.evictionPolicy, "volatile-ttl");
            assert.equal(config.persistence.mode, "rdb");
        });

        it("ignores other namespaces and keeps secret values out of the plain config", () => {
            const split = splitConfigMap({ "aws:region": "us-east-1", "redis:backend": "selfhosted", "redis:slackWebhookUrl": "https://hooks.example/secret", "redis:tls": "{\"mtls\":true}" });
            assert.deepEqual(split, { raw: { backend: "selfhosted", tls: { mtls: true } }, secretKeys: ["slackWebhookUrl"] });
        });
    });

    describe("bad config is refused with the key, the value and what is allowed", () => {
        const cases: [string, Record<string, unknown>, string[]][] = [
            ["no backend", {}, ['redis:backend = (not set): is required: set it to one of "selfhosted", "elasticache", "upstash"']],
            ["an unknown backend", { backend: "memcached" }, ['redis:backend = "memcached": must be one of "selfhosted", "elasticache", "upstash"']],
            [
                "a misspelled backend",
                { backend: "selfhostd", selfhosted: sentinelDocker },
                ['redis:backend = "selfhostd": must be one of "selfhosted", "elasticache", "upstash" (did you mean "selfhosted"?)'],
            ],
            [
                "a misspelled top-level key",
                { backend: "selfhosted", selfhosted: sentinelDocker, profle: "cache" },
                [
                    'redis:profle = "cache": is not a known key (did you mean "profile"?); allowed keys here: backend, environment, profile, engine, memory, persistence, tls, acl, selfhosted, elasticache, upstash, monitoring, backup, protect',
                ],
            ],
            [
                "a misspelled nested key",
                { backend: "selfhosted", selfhosted: { ...sentinelDocker, replcas: 2 } },
                [
                    "redis:selfhosted.replcas = 2: is not a known key (did you mean \"replicas\"?); allowed keys here: topology, platform, replicas, sentinels, shards, replicasPerShard, failover, switchoverTo, resources, storage, docker, kubernetes, proxy",
                ],
            ],
            ["an unknown profile", { backend: "selfhosted", selfhosted: sentinelDocker, profile: "fast" }, ['redis:profile = "fast": must be one of "cache", "session", "queue", "durable"']],
            ["a number as a string", { backend: "selfhosted", selfhosted: { ...sentinelDocker, replicas: "2" } }, ['redis:selfhosted.replicas = "2": must be a number']],
            ["a fractional count", { backend: "selfhosted", selfhosted: { ...sentinelDocker, replicas: 1.5 } }, ["redis:selfhosted.replicas = 1.5: must be a whole number"]],
            ["a boolean as text", { backend: "selfhosted", selfhosted: sentinelDocker, tls: { enabled: "yes" } }, ['redis:tls.enabled = "yes": must be true or false']],
            ["an even sentinel count", { backend: "selfhosted", selfhosted: { ...sentinelDocker, sentinels: 4 } }, [
                "redis:selfhosted.sentinels = 4: must be odd (3, 5 or 7): an even count needs the same majority as one more sentinel and tolerates no extra failure",
            ]],
            ["too few sentinels", { backend: "selfhosted", selfhosted: { ...sentinelDocker, sentinels: 1 } }, ["redis:selfhosted.sentinels = 1: must be at least 3"]],
            ["a cluster with 2 shards", { backend: "selfhosted", selfhosted: { topology: "cluster", platform: "kubernetes", shards: 2 } }, ["redis:selfhosted.shards = 2: must be at least 3"]],
            ["too many replicas", { backend: "selfhosted", selfhosted: { ...sentinelDocker, replicas: 6 } }, ["redis:selfhosted.replicas = 6: must be at most 5"]],
            ["sentinel without replicas", { backend: "selfhosted", selfhosted: { ...sentinelDocker, replicas: 0 } }, [
                'redis:selfhosted.replicas = 0: must be at least 1 with topology "sentinel": failover needs a replica to promote',
            ]],
            ["standalone with replicas", { backend: "selfhosted", selfhosted: { topology: "standalone", platform: "docker", replicas: 1 } }, [
                'redis:selfhosted.replicas = 1: must be 0 with topology "standalone": use topology "sentinel" for replicas with failover',
            ]],
            ["shards on a sentinel topology", { backend: "selfhosted", selfhosted: { ...sentinelDocker, shards: 3 } }, [
                'redis:selfhosted.shards = 3: does not apply to topology "sentinel" (only to cluster)',
            ]],
            ["a bad memory size", { backend: "selfhosted", selfhosted: { ...sentinelDocker, resources: { memory: "1GB" } } }, [
                'redis:selfhosted.resources.memory = "1GB": must be a whole number followed by mb, gb, Mi or Gi, for example 256mb, 2gb, 512Mi or 1Gi',
            ]],
            ["maxmemory above the memory limit", { backend: "selfhosted", selfhosted: { ...sentinelDocker, resources: { memory: "1gb" } }, memory: { maxmemory: "1gb" } }, [
                'redis:memory.maxmemory = "1gb": must be at most 819mb, 80% of selfhosted.resources.memory (1gb): forks and client buffers need the rest',
            ]],
            ["an unknown eviction policy", { backend: "selfhosted", selfhosted: sentinelDocker, memory: { evictionPolicy: "lru" } }, [
                'redis:memory.evictionPolicy = "lru": must be one of "noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"',
            ]],
            ["a queue that evicts", { backend: "selfhosted", selfhosted: sentinelDocker, profile: "queue", memory: { evictionPolicy: "allkeys-lru" } }, [
                'redis:memory.evictionPolicy = "allkeys-lru": profile "queue" must not evict data: use evictionPolicy "noeviction" or profile "cache" or "session"',
            ]],
            ["durable data without the AOF", { backend: "selfhosted", selfhosted: sentinelDocker, profile: "durable", persistence: { mode: "rdb" } }, [
                'redis:persistence.mode = "rdb": profile "durable" needs the append-only file: use persistence "aof" or profile "cache" or "session"',
            ]],
            ["appendfsync without the AOF", { backend: "selfhosted", selfhosted: sentinelDocker, persistence: { mode: "rdb", appendfsync: "always" } }, [
                'redis:persistence.appendfsync = "always": only applies when persistence.mode is "aof", not "rdb"',
            ]],
            ["mTLS without TLS", { backend: "selfhosted", selfhosted: sentinelDocker, tls: { enabled: false, mtls: true } }, [
                "redis:tls.mtls = true: cannot be true while tls.enabled is false: client certificates need TLS",
            ]],
            ["TLS off in prod", { backend: "selfhosted", environment: "prod", selfhosted: sentinelDocker, tls: { enabled: false } }, [
                "redis:tls.enabled = false: cannot be false in a prod stack: production traffic and passwords must be encrypted",
            ]],
            ["a renewal window longer than validity", { backend: "selfhosted", selfhosted: sentinelDocker, tls: { validityDays: 60, earlyRenewalDays: 90 } }, [
                "redis:tls.earlyRenewalDays = 90: must be less than tls.validityDays (60)",
            ]],
            ["a patch-level engine version", { backend: "selfhosted", selfhosted: sentinelDocker, engine: { version: "7.2.4" } }, [
                "redis:engine.version = \"7.2.4\": must be major.minor such as 7.2 (no patch level, no '.x')",
            ]],
            ["a 6.x-style engine version", { backend: "selfhosted", selfhosted: sentinelDocker, engine: { version: "7.x" } }, [
                "redis:engine.version = \"7.x\": must be major.minor such as 7.2 (no patch level, no '.x')",
            ]],
            ["an unsupported engine version", { backend: "selfhosted", selfhosted: sentinelDocker, engine: { name: "valkey", version: "7.0" } }, [
                'redis:engine.version = "7.0": is not a valkey version backend "selfhosted" supports: use one of 7.2, 8.0, 8.1, 9.0',
            ]],
            ["an engine for Upstash", { backend: "upstash", upstash: { primaryRegion: "us-east-1", email: "ops@example.com" }, engine: { name: "redis" } }, [
                'redis:engine = {"name":"redis"}: cannot be chosen with backend "upstash": Upstash runs its own engine',
                "redis:upstashApiKey = (not set): is required with backend \"upstash\": run pulumi config set --secret redis:upstashApiKey ...",
            ]],
            ["a backend without its section", { backend: "selfhosted" }, ['redis:selfhosted = (not set): is required when backend is "selfhosted"']],
            ["two backends' sections", { backend: "selfhosted", selfhosted: sentinelDocker, upstash: { primaryRegion: "us-east-1", email: "ops@example.com" } }, [
                'redis:upstash = {"primaryRegion":"us-east-1","email":"ops@example.com"}: is set but backend is "selfhosted": remove it or set backend to "upstash"',
            ]],
            ["Kubernetes settings on Docker", { backend: "selfhosted", selfhosted: { ...sentinelDocker, kubernetes: { namespace: "redis" } } }, [
                'redis:selfhosted.kubernetes = {"namespace":"redis"}: is set but platform is "docker": remove it or set platform to "kubernetes"',
            ]],
            ["a bad ACL username", { backend: "selfhosted", selfhosted: sentinelDocker, acl: { users: [{ name: "App User", role: "app" }] } }, [
                "redis:acl.users[0].name = \"App User\": must start with a lower-case letter and hold at most 32 of a-z, 0-9, '_' and '-'",
            ]],
            ["a system role for an app user", { backend: "selfhosted", selfhosted: sentinelDocker, acl: { users: [{ name: "x", role: "replication" }] } }, [
                'redis:acl.users[0].role = "replication": must be one of "app", "readonly", "admin"',
            ]],
            ["a reserved username", { backend: "selfhosted", selfhosted: sentinelDocker, acl: { users: [{ name: "monitor", role: "app" }] } }, [
                "redis:acl.users[0].name = \"monitor\": is reserved for a system user: choose a name other than default, admin, monitor, backup, replication, sentinel",
            ]],
            ["duplicate usernames", { backend: "selfhosted", selfhosted: sentinelDocker, acl: { users: [{ name: "web", role: "app" }, { name: "web", role: "readonly" }] } }, [
                'redis:acl.users[1].name = "web": appears twice: user names must be unique',
            ]],
            ["a key pattern with a space", { backend: "selfhosted", selfhosted: sentinelDocker, acl: { users: [{ name: "web", role: "app", keys: ["a b"] }] } }, [
                'redis:acl.users[0].keys[0] = "a b": must be a glob pattern with no spaces and none of ~ & % # < >',
            ]],
            ["a short password length", { backend: "selfhosted", selfhosted: sentinelDocker, acl: { passwordLength: 12 } }, ["redis:acl.passwordLength = 12: must be at least 24"]],
            ["rotating an unknown user", { backend: "selfhosted", selfhosted: sentinelDocker, acl: { rotation: { ghost: { generation: 2 } } } }, [
                'redis:acl.rotation.ghost = {"generation":2}: names no user: rotate one of admin, monitor, backup, replication, sentinel, app',
            ]],
            ["a receiver without its secret", { backend: "selfhosted", selfhosted: sentinelDocker, monitoring: { receivers: ["pagerduty"] } }, [
                'redis:monitoring.receivers = ["pagerduty"]: includes "pagerduty" but secret redis:pagerdutyRoutingKey (the PagerDuty Events v2 routing key) is not set: run pulumi config set --secret redis:pagerdutyRoutingKey ...',
            ]],
            ["a bad cron schedule", { backend: "selfhosted", selfhosted: sentinelDocker, backup: { schedule: "hourly" } }, [
                "redis:backup.schedule = \"hourly\": must be a five-field cron expression such as '0 */6 * * *'",
            ]],
            ["archiving after expiry", { backend: "selfhosted", selfhosted: { topology: "sentinel", platform: "kubernetes" }, backup: { retentionDays: 7, archiveAfterDays: 30 } }, [
                "redis:backup.archiveAfterDays = 30: must be less than backup.retentionDays (7), or backups expire before they are archived",
            ]],
            ["an unprotected prod stack", { backend: "selfhosted", environment: "prod", selfhosted: sentinelDocker, protect: false }, [
                "redis:protect = false: cannot be false in a prod stack: data-bearing resources must be protected from deletion",
            ]],
            ["a public Docker port typo", { backend: "selfhosted", selfhosted: { ...sentinelDocker, docker: { publishAddress: "localhost" } } }, [
                'redis:selfhosted.docker.publishAddress = "localhost": must be an IPv4 or IPv6 address',
            ]],
            ["a string where an object belongs", { backend: "selfhosted", selfhosted: "sentinel" }, ['redis:selfhosted = "sentinel": must be an object']],
        ];

        for (const [title, values, expected] of cases) {
            it(`refuses ${title}`, () => {
                assert.deepEqual(problemsOf(values), expected);
            });
        }

        it("reports every problem at once, in one error", () => {
            try {
                parseStackConfig("many", configMap({ backend: "selfhosted", selfhosted: { ...sentinelDocker, sentinels: 4, replicas: 0 }, profile: "queue", memory: { evictionPolicy: "allkeys-lru" } }));
                assert.fail("accepted");
            } catch (error) {
                assert.ok(error instanceof ConfigError);
                assert.equal(
                    error.message,
                    [
                        'Invalid config for stack "many" (3 problems):',
                        '  - redis:memory.evictionPolicy = "allkeys-lru": profile "queue" must not evict data: use evictionPolicy "noeviction" or profile "cache" or "session"',
                        '  - redis:selfhosted.replicas = 0: must be at least 1 with topology "sentinel": failover needs a replica to promote',
                        "  - redis:selfhosted.sentinels = 4: must be odd (3, 5 or 7): an even count needs the same majority as one more sentinel and tolerates no extra failure",
                    ].join("\n"),
                );
            }
        });

        it("reports the problems between keys in the same pass as bad values, and none about the bad values themselves", () => {
            assert.deepEqual(
                problemsOf({
                    backend: "selfhosted",
                    selfhosted: { ...sentinelDocker, sentinels: 4, replicas: 9, resources: { memory: "lots" } },
                    memory: { maxmemory: "900mb", evictionPolicy: "allkeys-lru" },
                    tls: { validityDays: 20, earlyRenewalDays: 400 },
                    acl: { users: [{ name: "app", role: "wizard" }] },
                    profile: "queue",
                    monitoring: { receivers: ["email"], colour: "red" },
                }),
                [
                    'redis:tls.validityDays = 20: must be at least 30',
                    'redis:tls.earlyRenewalDays = 400: must be at most 365',
                    'redis:acl.users[0].role = "wizard": must be one of "app", "readonly", "admin"',
                    'redis:selfhosted.replicas = 9: must be at most 5',
                    'redis:selfhosted.resources.memory = "lots": must be a whole number followed by mb, gb, Mi or Gi, for example 256mb, 2gb, 512Mi or 1Gi',
                    'redis:monitoring.colour = "red": is not a known key; allowed keys here: enabled, mode, receivers, emailTo, smtp, operatorLabels, retentionDays, runbookBaseUrl',
                    // The checks between keys still ran on the rest:
                    'redis:memory.evictionPolicy = "allkeys-lru": profile "queue" must not evict data: use evictionPolicy "noeviction" or profile "cache" or "session"',
                    "redis:selfhosted.sentinels = 4: must be odd (3, 5 or 7): an even count needs the same majority as one more sentinel and tolerates no extra failure",
                    'redis:monitoring.receivers = ["email"]: includes "email" but secret redis:smtpPassword (the password of the SMTP server alert e-mails are sent through) is not set: run pulumi config set --secret redis:smtpPassword ...',
                    'redis:monitoring.smtp = (not set): is required when monitoring.receivers includes "email": set smarthost and from',
                    'redis:monitoring.emailTo = (not set): is required when monitoring.receivers includes "email"',
                ],
            );
        });

        it("refuses another backend's section as one mistake, not one per key it lacks", () => {
            assert.deepEqual(problemsOf({ backend: "elasticache", elasticache: { exampleVpc: {}, allowedCidrs: ["10.0.0.0/16"] }, selfhosted: { replicas: 2 }, tls: { validityDays: 1 } }), [
                'redis:selfhosted = {"replicas":2}: is set but backend is "elasticache": remove it or set backend to "selfhosted"',
                "redis:tls.validityDays = 1: must be at least 30",
            ]);
        });

        it("accepts Kubernetes quantities wherever a memory size is given, as the same sizes", () => {
            const config = parseStackConfig(
                "k",
                configMap({ backend: "selfhosted", memory: { maxmemory: "512Mi" }, selfhosted: { topology: "standalone", platform: "kubernetes", resources: { memory: "1Gi" }, storage: { size: "20Gi" } } }),
            );
            assert.equal(config.maxmemoryMiB, 512);
            assert.deepEqual(config.selfhosted?.resources.memoryMiB, 1024);
            assert.deepEqual(config.selfhosted?.storage.sizeMiB, 20 * 1024);
            // The 80% ceiling compares quantities and Redis sizes alike.
            assert.deepEqual(problemsOf({ backend: "selfhosted", memory: { maxmemory: "900Mi" }, selfhosted: { topology: "standalone", platform: "docker", resources: { memory: "1gb" } } }), [
                'redis:memory.maxmemory = "900Mi": must be at most 819mb, 80% of selfhosted.resources.memory (1gb): forks and client buffers need the rest',
            ]);
        });

        it("never prints a secret value", () => {
            const map = { ...configMap({ backend: "upstash", upstash: { primaryRegion: "nowhere", email: "ops@example.com" } }), "redis:upstashApiKey": "very-secret-api-key" };
            try {
                parseStackConfig("s", map);
                assert.fail("accepted");
            } catch (error) {
                assert.ok(error instanceof ConfigError);
                assert.ok(!error.message.includes("very-secret-api-key"), error.message);
            }
        });
    });
});
