import { strict as assert } from "node:assert";
import { confKind, enabledDefaultUsers, memoryBytes, parseConf, persists, sentinelMonitors, splitArgs } from "../../policies/rules/lib/redisConf";
import { REDIS_CONF, REDIS_CONFIG_CASES, sentinelConf } from "./cases/redisConfig";
import { describeRuleCases } from "./ruleCases";

describe("rendered Redis config rules", () => describeRuleCases(REDIS_CONFIG_CASES));

describe("redis.conf parser", () => {
    it("splits quoted arguments the way Redis does", () => {
        assert.deepEqual(splitArgs('tls-protocols "TLSv1.2 TLSv1.3"'), ["tls-protocols", "TLSv1.2 TLSv1.3"]);
        assert.deepEqual(splitArgs("save ''"), ["save", ""]);
    });
    it("skips comments and blank lines, lower-cases names and keeps line numbers", () => {
        assert.deepEqual(parseConf("# comment\n\nMaxMemory 1gb\n"), [{ name: "maxmemory", args: ["1gb"], line: 3 }]);
    });
    it("tells redis, sentinel, ACL and other files apart", () => {
        assert.equal(confKind(parseConf(REDIS_CONF)), "redis");
        assert.equal(confKind(parseConf(sentinelConf())), "sentinel");
        assert.equal(confKind(parseConf("user default off\n")), "acl");
        assert.equal(confKind(parseConf("#!/bin/sh\nexec redis-server\n")), "other");
    });
    it("reads memory sizes", () => {
        assert.equal(memoryBytes("512mb"), 512 * 1024 * 1024);
        assert.equal(memoryBytes("1g"), 1e9);
        assert.equal(memoryBytes("100"), 100);
        assert.equal(memoryBytes("lots"), undefined);
    });
    it("knows when a node persists", () => {
        assert.equal(persists(parseConf("appendonly yes\n")), true);
        assert.equal(persists(parseConf('save ""\n')), false);
        assert.equal(persists(parseConf("save 3600 1\n")), true);
        assert.equal(persists(parseConf('save 3600 1\nsave ""\n')), false);
    });
    it("reads sentinel monitors and default users", () => {
        assert.deepEqual(sentinelMonitors(parseConf(sentinelConf(3))), [{ master: "redis-primary", quorum: 3 }]);
        assert.equal(enabledDefaultUsers(parseConf("user default on nopass\nuser default reset off\n")).length, 1);
    });
});

describe("the files the renderer really writes", () => {
    it("pass every rendered-config rule for the dev stack's Sentinel deployment", async () => {
        const { parseStackConfig } = await import("../../stacks/config/parse");
        const { readStackFile } = await import("../../stacks/config/stackFile");
        const { renderDeployment } = await import("../../components/redisconf/deployment");
        const { CONTAINER_PATHS } = await import("../../components/redisconf/layout");
        const { allUserNames } = await import("../../components/redisconf/users");
        const { messagesOf } = await import("./helpers");
        const { REDIS_CONFIG_RESOURCE_RULES, REDIS_CONFIG_STACK_RULES } = await import("../../policies/rules/redisConfig");
        const parsed = parseStackConfig("dev", readStackFile("dev").config);
        assert.ok(parsed.selfhosted !== undefined, "the dev stack is self-hosted");
        const config = { ...parsed, selfhosted: parsed.selfhosted };
        const passwordsByUser = Object.fromEntries(allUserNames(config).map((user) => [user, [`fixture-password-${user}`]]));
        const deployment = renderDeployment({
            config,
            place: (node) => ({ announceHost: `${node.name}.redis`, port: node.kind === "sentinel" ? 26379 : 6379 }),
            pathsFor: () => CONTAINER_PATHS,
            passwordsByUser,
        });
        const resources = deployment.nodes.map((node) => ({
            type: "docker:index/container:Container",
            name: node.node.name,
            props: {
                uploads: [
                    { file: CONTAINER_PATHS.configFile, content: node.config },
                    ...(node.node.kind === "redis" ? [{ file: CONTAINER_PATHS.aclFile, content: deployment.usersAcl }] : []),
                ],
            },
        }));
        assert.equal(resources.length, 6);
        for (const policy of [...REDIS_CONFIG_RESOURCE_RULES, ...REDIS_CONFIG_STACK_RULES]) {
            assert.deepEqual(await messagesOf(policy, { resources }), [], policy.name);
        }
    });
});
