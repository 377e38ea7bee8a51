import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runCli } from "../../tools/cli";
import { DAY2_SPEC, day2Main } from "../../tools/day2/cli";
import { assertRedisBinaries } from "../../tools/harness/binaries";
import { asDeploymentConfig, localStackConfig } from "../../tools/harness/config";
import { LocalDeployment } from "../../tools/harness/localDeployment";
import { localStackOutputs } from "../../tools/harness/stackOutputs";
import { upgradeEngine } from "../../tools/day2/scenarios/upgradeEngine";
import { runSwitchover } from "../../tools/day2/switchover";
import { day2BaseDir, day2TestOptions } from "../../tools/day2/runDir";
import type { Day2Outcome } from "../../tools/day2/scenario";
import { parseStackOutputs } from "../../tools/verify/outputs";

describe("Day 2: rolling engine upgrade under writes (Sentinel and Cluster, real processes)", function () {
    let outcome: Day2Outcome;

    before(async function () {
        assertRedisBinaries();
        outcome = await upgradeEngine(day2TestOptions());
    });

    it("lost no acknowledged write and no command failed", function () {
        assert.ok(outcome.result.acked_writes.sent > 300, `only ${outcome.result.acked_writes.sent} acknowledged writes`);
        assert.equal(outcome.result.acked_writes.lost, 0);
        assert.equal(outcome.result.failed_commands, 0);
    });

    it("rolled replicas first, switched over to upgraded replicas, then the old primaries, on both topologies", function () {
        assert.deepEqual(outcome.checks.filter((check) => !check.ok), []);
        const order = outcome.checks.map((check) => check.name).filter((name) => /: [0-3]\. /.test(name) || / 2\. /.test(name));
        for (const kind of ["sentinel", "cluster"]) {
            const steps = order.filter((name) => name.startsWith(`${kind}:`)).map((name) => Number(/: ([0-3])\. /.exec(name)?.[1]));
            assert.deepEqual([...steps].sort(), steps, `${kind}: steps in order: ${steps.join(" ")}`);
            assert.deepEqual([...new Set(steps)], [0, 1, 2, 3], `${kind}: every step ran`);
        }
    });
});

describe("Day 2: npm run day2 -- switchover, and the engine upgrade's pre-flight in redis-switchover.sh (real processes)", function () {
    let deployment: LocalDeployment;

    before(async function () {
        assertRedisBinaries();
        deployment = await LocalDeployment.start({ config: asDeploymentConfig(localStackConfig({ topology: "sentinel", replicas: 1, sentinels: 3 })), baseDir: day2BaseDir() });
    });
    after(async () => deployment?.destroy());

    const outputs = () => parseStackOutputs(JSON.stringify(localStackOutputs(deployment)));
    const address = (name: string) => `${deployment.node(name).node.announceHost}:${deployment.node(name).node.port}`;

    it("npm run day2 -- switchover --json moves the primary from the stack outputs, prints only JSON and no secret", async function () {
        const primary = await deployment.sentinelPrimary();
        const replica = deployment.dataNodeNames.find((name) => name !== primary)!;
        const dir = mkdtempSync(path.join(tmpdir(), "switchover-cli-"));
        try {
            const file = path.join(dir, "outputs.json");
            const outputsJson = JSON.stringify(localStackOutputs(deployment));
            writeFileSync(file, outputsJson, { mode: 0o600 });
            let stdout = "";
            let stderr = "";
            const code = await runCli(DAY2_SPEC, day2Main, ["switchover", "--to", address(replica), "--outputs", file, "--json"], { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
            assert.equal(code, 0, stderr);
            const result = JSON.parse(stdout);
            assert.equal(result.status, "passed");
            assert.deepEqual(result.switchover, [{ from: address(primary), to: address(replica), changed: true }]);
            assert.equal(await deployment.sentinelPrimary(), replica);
            const passwords = Object.values(parseStackOutputs(outputsJson).credentials).map((credential) => credential.password);
            assert.deepEqual(passwords.filter((password) => stdout.includes(password) || stderr.includes(password)), [], "no password printed");
            const unknown = await runCli(DAY2_SPEC, day2Main, ["switchover", "--to", "redis-9", "--outputs", file], { stdout: () => undefined, stderr: (text) => (stderr = text) });
            assert.equal(unknown, 1);
            assert.match(stderr, /"redis-9" names no data node of this deployment/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses, before anything moves, a node running an engine the target cannot be rolled onto", async function () {
        const primary = await deployment.sentinelPrimary();
        const replica = deployment.dataNodeNames.find((name) => name !== primary)!;
        await assert.rejects(
            runSwitchover(outputs(), address(replica), { env: { REDIS_ENGINES_ALLOWED: "valkey:8.0 valkey:8.1" } }),
            /runs redis:7\.0: the configured engine cannot be rolled onto it \(it accepts valkey:8\.0 valkey:8\.1\)/,
        );
        assert.equal(await deployment.sentinelPrimary(), primary, "nothing moved");
    });

    it("moves nothing when every node runs the target already", async function () {
        const primary = await deployment.sentinelPrimary();
        const replica = deployment.dataNodeNames.find((name) => name !== primary)!;
        const lines: string[] = [];
        const moves = await runSwitchover(outputs(), address(replica), { env: { REDIS_ENGINES_ALLOWED: "redis:7.0", REDIS_ENGINE_TARGET: "redis:7.0" }, progress: (line) => lines.push(line) });
        assert.deepEqual(moves, []);
        assert.match(lines.join("\n"), /every data node runs redis:7\.0 already: no primary needs to move/);
        assert.equal(await deployment.sentinelPrimary(), primary);
    });

    it("the start script refuses data last served by an engine the configured one must not take over from", async function () {
        const primary = await deployment.sentinelPrimary();
        const replica = deployment.dataNodeNames.find((name) => name !== primary)!;
        const { env, paths } = deployment.node(replica);
        const marker = path.join(paths.dataDir, "engine");
        assert.equal(readFileSync(marker, "utf8"), `${env.REDIS_ENGINE}\n`, "each start records the configured engine beside the data");
        await deployment.stopNode(replica);
        writeFileSync(marker, "valkey:8.1\n");
        await assert.rejects(deployment.runScript("redis-start.sh", env, `${replica}-refused`), /redis-start\.sh exited with 1/);
        assert.match(readFileSync(path.join(deployment.root, `${replica}-refused.log`), "utf8"), /the data in .* was last served by valkey:8\.1: redis:[0-9.]+ must not take it over/);
        writeFileSync(marker, `${env.REDIS_ENGINE}\n`);
        deployment.startNode(replica);
        await deployment.waitHealthy();
    });

    it("before the first deployment (no node answers) exits 0 only when asked to", async function () {
        const nowhere = outputs();
        nowhere.connection.endpoints = [{ host: "127.0.0.1", port: 1 }];
        await assert.rejects(runSwitchover(nowhere, "redis-0", { timeoutSeconds: 2 }), /no sentinel named a primary/);
        assert.deepEqual(await runSwitchover(nowhere, "redis-0", { env: { REDIS_SWITCHOVER_IF_DEPLOYED: "yes" } }), []);
    });
});
