import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { generateCa } from "../../tools/harness/certs";
import type { LocalDeployment } from "../../tools/harness/localDeployment";
import { connectAndPing, plaintextProbe, startDeployment } from "./helpers";

describe("TLS on real Redis (standalone)", function () {
    let deployment: LocalDeployment;
    let rogueDir: string;
    let rogueCa: string;

    before(async function () {
        deployment = await startDeployment({ topology: "standalone", profile: "cache" }, this);
        rogueDir = mkdtempSync(path.join(tmpdir(), "redis-rogue-ca-"));
        rogueCa = generateCa(rogueDir, "rogue-ca").caFile;
    });
    after(() => rmSync(rogueDir, { recursive: true, force: true }));

    it("has no plaintext listener (port 0) and refuses plaintext on the TLS port", async function () {
        assert.deepEqual(await deployment.command("redis-0", "admin", ["CONFIG", "GET", "port"]), ["port", "0"]);
        const probe = await plaintextProbe(deployment.node("redis-0").node.port);
        assert.equal(probe.closed, true);
        assert.doesNotMatch(probe.reply, /PONG|NOAUTH|ERR/);
    });

    it("refuses a plaintext replication handshake on the data port", async function () {
        const probe = await plaintextProbe(deployment.node("redis-0").node.port, "REPLCONF listening-port 1\r\nPSYNC ? -1\r\n");
        assert.equal(probe.closed, true);
        assert.doesNotMatch(probe.reply, /FULLRESYNC|OK/);
    });

    it("is verified by the run's CA and not by another CA", async function () {
        const good = deployment.client("redis-0", "app");
        await good.connect();
        assert.equal(await good.ping(), "PONG");
        good.disconnect();

        const bad = deployment.client("redis-0", "app", { tls: { caFile: rogueCa } });
        const result = await connectAndPing(bad);
        bad.disconnect();
        assert.equal(result.ok, false);
        assert.match((result as { error: string }).error, /certificate|self.signed|verify/i);
    });

    it("accepts a client without a certificate when mTLS is off", async function () {
        const client = deployment.client("redis-0", "app", { tls: { presentClientCert: false } });
        await client.connect();
        assert.equal(await client.ping(), "PONG");
        client.disconnect();
    });
});

describe("mTLS on real Redis (standalone)", function () {
    let deployment: LocalDeployment;

    before(async function () {
        deployment = await startDeployment({ topology: "standalone", profile: "cache", mtls: true }, this);
    });

    it("refuses a client without a certificate", async function () {
        const client = deployment.client("redis-0", "app", { tls: { presentClientCert: false } });
        const result = await connectAndPing(client);
        client.disconnect();
        assert.equal(result.ok, false);
    });

    it("accepts a client with a certificate from the CA", async function () {
        const client = deployment.client("redis-0", "app");
        await client.connect();
        assert.equal(await client.ping(), "PONG");
        client.disconnect();
    });
});
