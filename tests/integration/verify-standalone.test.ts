import { strict as assert } from "node:assert";
import type { LocalDeployment } from "../../tools/harness/localDeployment";
import { localStackOutputs, LocalStackOutputs } from "../../tools/harness/stackOutputs";
import { startDeployment } from "./helpers";
import { failures, secretsOf, verifyCli, verifyRun } from "./verify-support";

describe("verify: standalone on real Redis", function () {
    let deployment: LocalDeployment;
    let outputs: LocalStackOutputs;

    before(async function () {
        deployment = await startDeployment({ topology: "standalone" }, this);
        outputs = localStackOutputs(deployment);
    });

    it("passes every check of a healthy deployment, printing a table without any secret", async function () {
        const { code, stdout, stderr } = await verifyCli(deployment, outputs);
        assert.equal(code, 0, stdout + stderr);
        for (const secret of secretsOf(outputs)) {
            assert.equal(stdout.includes(secret) || stderr.includes(secret), false, "a secret was printed");
        }
        for (const row of [/^tls +127\.0\.0\.1:\d+ +(PASS|WARN) +TLSv1\.3, verified; certificate valid \d+ more days/m, /^login +app +PASS/m, /^login +reporting +PASS/m, /^acl-denial +app FLUSHALL +PASS/m, /^acl-denial +reporting SET +PASS/m, /^acl-denial +monitor GET +PASS/m, /^acl-denial +default \(no AUTH\) +PASS/m, /^persistence +\S+ +PASS +aof everysec/m, /^maxmemory +\S+ +PASS +maxmemory \d+ MiB/m, /^latency +app@\S+ +PASS +p50 [\d.]+ ms, p99 [\d.]+ ms/m]) {
            assert.match(stdout, row);
        }
        assert.match(stdout, /\d+ checks: \d+ passed, 0 failed/);
    });

    it("reads the outputs from stdin with --outputs - and prints JSON with --json", async function () {
        const { execFile } = await import("node:child_process");
        const path = await import("node:path");
        const root = path.resolve(__dirname, "../..");
        const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
            const child = execFile(process.execPath, ["--import", "tsx", "tools/verify.ts", "--outputs", "-", "--json", "--samples", "10", "--max-p99-ms", "60000"], { cwd: root }, (error, stdout) =>
                resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout }),
            );
            child.stdin?.end(JSON.stringify(outputs));
        });
        assert.equal(result.code, 0);
        const parsed = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as { ok: boolean; counts: { fail: number }; results: { check: string }[] };
        assert.equal(parsed.ok, true);
        assert.equal(parsed.counts.fail, 0);
        assert.ok(parsed.results.some((row) => row.check === "latency"));
    });

    it("fails, exit 1, on a wrong password, a wrong CA and an ACL that lets the app user run CONFIG", async function () {
        const wrong = structuredClone(outputs);
        wrong.credentials.reporting.password = "wrong-password-for-the-test";
        const login = await verifyCli(deployment, wrong);
        assert.equal(login.code, 1);
        assert.match(login.stdout, /^login +reporting +FAIL +.*WRONGPASS/m);
        assert.equal(login.stdout.includes("wrong-password-for-the-test"), false);

        await deployment.command("redis-0", "admin", ["ACL", "SETUSER", "app", "+config|get"]);
        try {
            const results = await verifyRun(deployment);
            assert.deepEqual(failures(results), ["acl-denial app CONFIG GET: NOT denied for role app: reply [\"maxmemory\",\"201326592\"]"]);
        } finally {
            await deployment.command("redis-0", "admin", ["ACL", "SETUSER", "app", "-config|get"]);
        }
        assert.deepEqual(failures(await verifyRun(deployment)), []);

        const foreignCa = structuredClone(outputs);
        const { readFileSync } = await import("node:fs");
        foreignCa.connection.tls.caCertPem = readFileSync(deployment.certs.clientCertFile, "utf8");
        const tls = await verifyCli(deployment, foreignCa);
        assert.equal(tls.code, 1);
        assert.match(tls.stdout, /^tls +\S+ +FAIL +handshake failed/m);
    });

    it("refuses outputs without secrets, exit 2, naming --show-secrets", async function () {
        const hidden = { ...outputs, credentials: "[secret]" } as unknown as LocalStackOutputs;
        const result = await verifyCli(deployment, hidden);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /--show-secrets/);
    });
});
