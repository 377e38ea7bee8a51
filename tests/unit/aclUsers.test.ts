import { strict as assert } from "node:assert";
import { aclPasswordHash } from "../../components/redisconf/acl";
import { AclUsers, PASSWORD_CHARSET } from "../../components/security/aclUsers";
import { leakedSecrets, ofType, resolveOutput, runWithMocks } from "../../tools/offline/mockRuntime";

const PASSWORD = "random:index/randomPassword:RandomPassword";

describe("AclUsers under mocks", () => {
    const users = [
        { name: "admin", role: "admin" as const },
        { name: "app", role: "app" as const, keys: ["app:*"], channels: ["app:*"] },
        { name: "monitor", role: "monitor" as const },
    ];

    it("creates one random password per user with the documented length and charset", async () => {
        const run = await runWithMocks(() => new AclUsers("acl", { users }));
        assert.equal(run.error, undefined);
        const passwords = ofType(run.resources, PASSWORD);
        assert.deepEqual(
            passwords.map((password) => [password.name, password.inputs]),
            [
                ["acl-admin-password-g1", { length: 40, upper: true, lower: true, numeric: true, special: false, minUpper: 2, minLower: 2, minNumeric: 2 }],
                ["acl-app-password-g1", { length: 40, upper: true, lower: true, numeric: true, special: false, minUpper: 2, minLower: 2, minNumeric: 2 }],
                ["acl-monitor-password-g1", { length: 40, upper: true, lower: true, numeric: true, special: false, minUpper: 2, minLower: 2, minNumeric: 2 }],
            ],
        );
        assert.deepEqual(PASSWORD_CHARSET.special, false);
        const component = run.resources.find((resource) => resource.type === "redisplatform:security:AclUsers");
        for (const password of passwords) {
            assert.equal(password.parent, component?.urn);
            assert.ok(password.additionalSecretOutputs.includes("result"));
        }
    });

    it("keeps every password secret and renders users.acl with hashes only", async () => {
        const run = await runWithMocks(() => new AclUsers("acl", { users, passwordLength: 32 }));
        const acl = run.result!;
        const credentials = await resolveOutput(acl.credentials);
        assert.equal(credentials.secret, true);
        assert.deepEqual(credentials.value, {
            admin: { username: "admin", password: "MOCK-SECRET-password-acl-admin-password-g1" },
            app: { username: "app", password: "MOCK-SECRET-password-acl-app-password-g1" },
            monitor: { username: "monitor", password: "MOCK-SECRET-password-acl-monitor-password-g1" },
        });
        const file = await resolveOutput(acl.aclFile);
        assert.equal(file.secret, true);
        assert.deepEqual(leakedSecrets(file.value), [], "users.acl holds hashes, never a password");
        const appHash = aclPasswordHash("MOCK-SECRET-password-acl-app-password-g1");
        assert.equal(
            (file.value as string).split("\n")[2],
            `user app reset on #${appHash} ~app:* resetchannels &app:* -@all +@all -@admin -@dangerous -flushall -flushdb -keys -debug -config -shutdown -monitor -replicaof -slaveof -save -bgsave -bgrewriteaof -migrate -cluster -failover -module -acl -sync -psync -swapdb +info`,
        );
        assert.equal((await resolveOutput(acl.entries)).secret, true);
        assert.equal(ofType(run.resources, PASSWORD)[0].inputs.length, 32);
    });

    it("rotates without replacing: a new generation is added, the old one stays valid, outputs switch to the new one", async () => {
        const step1 = await runWithMocks(() => new AclUsers("acl", { users, rotation: { app: { generation: 2, keepPrevious: true } } }));
        assert.deepEqual(ofType(step1.resources, PASSWORD).map((password) => password.name), [
            "acl-admin-password-g1",
            "acl-app-password-g2",
            "acl-app-password-g1",
            "acl-monitor-password-g1",
        ]);
        const credentials = (await resolveOutput(step1.result!.credentials)).value as Record<string, { password: string }>;
        assert.equal(credentials.app.password, "MOCK-SECRET-password-acl-app-password-g2");
        const file = (await resolveOutput(step1.result!.aclFile)).value as string;
        const appLine = file.split("\n").find((line) => line.startsWith("user app "))!;
        assert.ok(appLine.includes(`#${aclPasswordHash("MOCK-SECRET-password-acl-app-password-g2")} #${aclPasswordHash("MOCK-SECRET-password-acl-app-password-g1")}`));

        const step2 = await runWithMocks(() => new AclUsers("acl", { users, rotation: { app: { generation: 2, keepPrevious: false } } }));
        assert.deepEqual(ofType(step2.resources, PASSWORD).map((password) => password.name), ["acl-admin-password-g1", "acl-app-password-g2", "acl-monitor-password-g1"]);
        const retired = (await resolveOutput(step2.result!.aclFile)).value as string;
        assert.ok(!retired.includes(aclPasswordHash("MOCK-SECRET-password-acl-app-password-g1")), "the old password no longer logs in");
    });

    const invalid: [string, ConstructorParameters<typeof AclUsers>[1], RegExp][] = [
        ["the default user", { users: [{ name: "default", role: "admin" }] }, /user "default" is reserved/],
        ["a duplicate user", { users: [{ name: "a", role: "app" }, { name: "a", role: "readonly" }] }, /user "a" appears twice/],
        ["no user", { users: [] }, /users = \[\]: at least one user is needed/],
        ["a short password", { users, passwordLength: 8 }, /passwordLength = 8: must be a whole number from 24 to 128/],
        ["rotation of an unknown user", { users, rotation: { ghost: { generation: 2, keepPrevious: false } } }, /rotation.ghost: names no user; users are admin, app, monitor/],
        ["generation 0", { users, rotation: { app: { generation: 0, keepPrevious: false } } }, /password generation 0: must be a whole number from 1/],
    ];
    for (const [title, args, message] of invalid) {
        it(`refuses ${title} before registering anything`, async () => {
            const run = await runWithMocks(() => new AclUsers("bad", args));
            assert.match(String(run.error), message);
            assert.deepEqual(run.resources, []);
        });
    }
});
