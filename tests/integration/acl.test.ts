import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { LocalDeployment } from "../../tools/harness/localDeployment";
import { attempt, connectAndPing, startDeployment } from "./helpers";

const execFileAsync = promisify(execFile);

/** One row of the matrix: this user runs this command; Redis must allow it or refuse it with NOPERM. */
type Row = [user: string, command: (string | number)[], expected: "allowed" | "denied"];

// `app` and `reporting` may touch `app:*` keys (and `app` the `app:*` channels) only, as localStackConfig says.
const MATRIX: Row[] = [
    ["admin", ["SET", "other:1", "v"], "allowed"],
    ["admin", ["GET", "app:1"], "allowed"],
    ["admin", ["CONFIG", "GET", "maxmemory"], "allowed"],
    ["admin", ["ACL", "WHOAMI"], "allowed"],
    ["admin", ["DBSIZE"], "allowed"],
    ["app", ["SET", "app:1", "v"], "allowed"],
    ["app", ["GET", "app:1"], "allowed"],
    ["app", ["INCR", "app:counter"], "allowed"],
    ["app", ["EVAL", "return redis.call('GET', KEYS[1])", 1, "app:1"], "allowed"],
    ["app", ["PUBLISH", "app:events", "hi"], "allowed"],
    ["app", ["INFO", "server"], "allowed"],
    ["app", ["WAIT", 0, 10], "allowed"],
    ["app", ["SET", "other:1", "v"], "denied"],
    ["app", ["GET", "other:1"], "denied"],
    ["app", ["PUBLISH", "other:events", "hi"], "denied"],
    ["app", ["KEYS", "*"], "denied"],
    ["app", ["FLUSHALL"], "denied"],
    ["app", ["FLUSHDB"], "denied"],
    ["app", ["CONFIG", "GET", "maxmemory"], "denied"],
    ["app", ["CONFIG", "SET", "maxmemory", "1mb"], "denied"],
    ["app", ["SHUTDOWN", "NOSAVE"], "denied"],
    ["app", ["MONITOR"], "denied"],
    ["app", ["REPLICAOF", "NO", "ONE"], "denied"],
    ["app", ["BGSAVE"], "denied"],
    ["app", ["ACL", "WHOAMI"], "denied"],
    ["app", ["MODULE", "LIST"], "denied"],
    ["app", ["SWAPDB", 0, 1], "denied"],
    ["reporting", ["GET", "app:1"], "allowed"],
    ["reporting", ["SCAN", 0, "MATCH", "app:*"], "allowed"],
    ["reporting", ["INFO", "server"], "allowed"],
    ["reporting", ["SET", "app:1", "v"], "denied"],
    ["reporting", ["DEL", "app:1"], "denied"],
    ["reporting", ["GET", "other:1"], "denied"],
    ["reporting", ["KEYS", "*"], "denied"],
    ["reporting", ["CONFIG", "GET", "maxmemory"], "denied"],
    ["monitor", ["INFO", "all"], "allowed"],
    ["monitor", ["PING"], "allowed"],
    ["monitor", ["CONFIG", "GET", "maxmemory"], "allowed"],
    ["monitor", ["SLOWLOG", "GET", 10], "allowed"],
    ["monitor", ["LATENCY", "LATEST"], "allowed"],
    ["monitor", ["CLIENT", "LIST"], "allowed"],
    ["monitor", ["MEMORY", "STATS"], "allowed"],
    ["monitor", ["GET", "app:1"], "denied"],
    ["monitor", ["SET", "app:1", "v"], "denied"],
    ["monitor", ["CONFIG", "SET", "maxmemory", "1mb"], "denied"],
    ["monitor", ["SLOWLOG", "RESET"], "denied"],
    ["replication", ["PING"], "allowed"],
    ["replication", ["REPLCONF", "listening-port", 1], "allowed"],
    ["replication", ["GET", "app:1"], "denied"],
    ["replication", ["INFO"], "denied"],
    ["replication", ["CONFIG", "GET", "maxmemory"], "denied"],
    ["sentinel", ["PING"], "allowed"],
    ["sentinel", ["INFO", "replication"], "allowed"],
    ["sentinel", ["ROLE"], "allowed"],
    ["sentinel", ["PUBLISH", "__sentinel__:hello", "x"], "allowed"],
    ["sentinel", ["CLIENT", "SETNAME", "sentinel-test"], "allowed"],
    ["sentinel", ["SCRIPT", "KILL"], "allowed"],
    ["sentinel", ["MULTI"], "allowed"],
    ["sentinel", ["GET", "app:1"], "denied"],
    ["sentinel", ["CONFIG", "GET", "maxmemory"], "denied"],
    ["sentinel", ["FLUSHALL"], "denied"],
    ["backup", ["PING"], "allowed"],
    ["backup", ["INFO", "persistence"], "allowed"],
    ["backup", ["GET", "app:1"], "denied"],
    ["backup", ["SET", "app:1", "v"], "denied"],
    ["backup", ["CONFIG", "GET", "dir"], "denied"],
];

describe("ACL matrix on real Redis (users.acl from renderUsersAcl, sentinel topology)", function () {
    let deployment: LocalDeployment;
    let primary: string;

    before(async function () {
        deployment = await startDeployment({ topology: "sentinel", failover: "fast" }, this);
        primary = await deployment.sentinelPrimary();
    });

    it("covers every role", function () {
        const roles = new Set(deployment.rendered.users.map((user) => user.role));
        const covered = new Set(MATRIX.map(([user]) => deployment.rendered.users.find((u) => u.name === user)?.role));
        assert.deepEqual([...roles].sort(), [...covered].sort());
    });

    for (const [user, command, expected] of MATRIX) {
        it(`${user}: ${command.join(" ")} is ${expected}`, async function () {
            const result = await attempt(() => deployment.command(primary, user, command));
            if (expected === "denied") {
                assert.equal(result.ok, false, `expected NOPERM, got ${JSON.stringify(result)}`);
                assert.match((result as { error: string }).error, /NOPERM/);
            } else if (!result.ok) {
                // Allowed means the ACL let it through; the command itself may still fail (SCRIPT KILL with no script).
                assert.doesNotMatch(result.error, /NOPERM|NOAUTH|WRONGPASS/);
            }
        });
    }

    it("DEBUG is disabled for every user, admin included (enable-debug-command no)", async function () {
        for (const user of ["admin", "app"]) {
            const result = await attempt(() => deployment.command(primary, user, ["DEBUG", "SLEEP", 0]));
            assert.equal(result.ok, false);
            assert.match((result as { error: string }).error, /NOPERM|DEBUG command not allowed/);
        }
    });

    it("the default user cannot log in, with or without a password", async function () {
        const anonymous = deployment.client(primary, undefined);
        await anonymous.connect();
        const unauthenticated = await attempt(() => anonymous.get("app:1"));
        assert.equal(unauthenticated.ok, false);
        assert.match((unauthenticated as { error: string }).error, /NOAUTH/);
        const asDefault = await attempt(() => anonymous.call("AUTH", "default", "anything"));
        assert.equal(asDefault.ok, false);
        assert.match((asDefault as { error: string }).error, /WRONGPASS/);
        anonymous.disconnect();
    });

    it("a wrong password is refused", async function () {
        const client = deployment.client(primary, "app", { password: "not-the-password" });
        const result = await connectAndPing(client);
        client.disconnect();
        assert.equal(result.ok, false);
        assert.match((result as { error: string }).error, /WRONGPASS/);
    });

    it("the backup user can take an RDB with redis-cli --rdb, and the app user cannot", async function () {
        const { node } = deployment.node(primary);
        const certs = deployment.certs;
        const run = (user: string, file: string) =>
            execFileAsync(
                "redis-cli",
                ["--tls", "--cacert", certs.caFile, "--cert", certs.clientCertFile, "--key", certs.clientKeyFile, "--user", user, "-h", node.announceHost, "-p", String(node.port), "--rdb", file],
                { env: { ...process.env, REDISCLI_AUTH: deployment.password(user) } },
            );
        const file = path.join(deployment.root, "backup.rdb");
        await run("backup", file);
        assert.ok(statSync(file).size > 0);
        const denied = await attempt(() => run("app", path.join(deployment.root, "app.rdb")));
        assert.equal(denied.ok, false);
    });

    it("the replication user is what replicas log in with: every replica's link is up", async function () {
        for (const name of deployment.dataNodeNames.filter((n) => n !== primary)) {
            assert.equal((await deployment.info(name, "replication")).master_link_status, "up");
        }
        assert.deepEqual(await deployment.command(primary, "admin", ["CONFIG", "GET", "masteruser"]), ["masteruser", "replication"]);
    });

    it("sentinels refuse the default user and let app users only discover the primary", async function () {
        const sentinel = deployment.sentinelNames[0];
        const masterName = deployment.rendered.topology.masterName ?? "";
        const address = await deployment.command(sentinel, "app", ["SENTINEL", "get-master-addr-by-name", masterName]);
        assert.equal(Array.isArray(address), true);
        const reset = await attempt(() => deployment.command(sentinel, "app", ["SENTINEL", "RESET", "*"]));
        assert.match((reset as { error: string }).error, /NOPERM/);
        const failover = await attempt(() => deployment.command(sentinel, "reporting", ["SENTINEL", "FAILOVER", masterName]));
        assert.match((failover as { error: string }).error, /NOPERM/);
        const anonymous = deployment.client(sentinel, undefined);
        await anonymous.connect();
        const result = await attempt(() => anonymous.call("SENTINEL", "masters"));
        anonymous.disconnect();
        assert.match((result as { error: string }).error, /NOAUTH/);
    });
});
