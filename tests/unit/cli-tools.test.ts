import { strict as assert } from "node:assert";
import { BENCH_SPEC, benchMain } from "../../tools/bench";
import { CI_STACKS_SPEC, ciStacksMain } from "../../tools/ciStacks";
import { CliIo, CliMain, CliSpec, existingStacks, helpText, parseCommandLine, runCli } from "../../tools/cli";
import { DAY2_SPEC, day2Main } from "../../tools/day2/cli";
import { DRILL_SPEC, drillMain } from "../../tools/drill";
import { ENGINE_CHECK_SPEC, engineCheckMain } from "../../tools/engineCheck";
import { RENDER_SPEC, renderMain } from "../../tools/render";
import { SANDBOX_SPEC, sandboxMain } from "../../tools/sandbox";
import { SYNTH_SPEC, synthMain } from "../../tools/synth";
import { VERIFY_SPEC } from "../../tools/verify/args";
import { verifyMain } from "../../tools/verify";

/** Runs a tool in-process and captures what it prints. */
async function run(spec: CliSpec, main: CliMain, argv: string[]) {
    let stdout = "";
    let stderr = "";
    const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) };
    const code = await runCli(spec, main, argv, io);
    return { code, stdout, stderr };
}

/** Every tool on the shared convention, and the arguments that make it fail on a stack that does not exist. */
const TOOLS: { spec: CliSpec; main: CliMain; missingStack?: string[] }[] = [
    { spec: RENDER_SPEC, main: renderMain, missingStack: ["--stack", "no-such-stack", "--out", "-"] },
    { spec: SYNTH_SPEC, main: synthMain, missingStack: ["--stack", "no-such-stack"] },
    { spec: SANDBOX_SPEC, main: sandboxMain, missingStack: ["--stack", "no-such-stack"] },
    { spec: VERIFY_SPEC, main: verifyMain },
    { spec: BENCH_SPEC, main: benchMain },
    { spec: DRILL_SPEC, main: drillMain },
    { spec: DAY2_SPEC, main: day2Main },
    { spec: CI_STACKS_SPEC, main: ciStacksMain },
    { spec: ENGINE_CHECK_SPEC, main: engineCheckMain },
];

describe("tools: one command-line convention", () => {
    it("covers every npm script that runs a tool of ours except policy (converted with the policy pack)", () => {
        assert.deepEqual(TOOLS.map(({ spec }) => spec.name).sort(), ["bench", "ci:stacks", "day2", "drill", "engine-check", "render", "sandbox", "synth", "verify"]);
    });

    for (const { spec, main, missingStack } of TOOLS) {
        describe(spec.name, () => {
            for (const flag of ["--help", "-h"]) {
                it(`${flag}: says what it does, every flag, the ports it takes and how long it runs; exit 0`, async () => {
                    const result = await run(spec, main, [flag]);
                    assert.equal(result.code, 0);
                    assert.equal(result.stderr, "");
                    assert.equal(result.stdout, helpText(spec));
                    assert.ok(result.stdout.startsWith(`${spec.name}: ${spec.summary}\n`));
                    for (const name of [...Object.keys(spec.flags), "help"]) {
                        assert.match(result.stdout, new RegExp(`\\n {2}(-., )? *--${name}\\b`), `--${name} is documented`);
                    }
                    assert.match(result.stdout, new RegExp(`\\nPorts: +${spec.ports.replace(/[()]/g, ".")}\\n`));
                    assert.match(result.stdout, /\nDuration: +\S/);
                    assert.match(result.stdout, /\n {2}0 {2}success\n[^]* {2}2 {2}/);
                });
            }

            it("an unknown flag names itself, prints nothing on stdout, exit 2", async () => {
                const result = await run(spec, main, ["--no-such-flag"]);
                assert.deepEqual(result, { code: 2, stdout: "", stderr: `${spec.name}: unknown flag --no-such-flag: see --help\n` });
            });

            if (missingStack) {
                it("a stack that does not exist: lists the stacks that do, exit 2", async () => {
                    const result = await run(spec, main, missingStack);
                    assert.equal(result.code, 2);
                    assert.equal(result.stdout, "");
                    assert.equal(result.stderr, `${spec.name}: stack "no-such-stack" does not exist (no Pulumi.no-such-stack.yaml); stacks: ${existingStacks().join(", ")}\n`);
                });
            }
        });
    }

    it("--json prints only one JSON object on stdout, with a status", async () => {
        const result = await run(CI_STACKS_SPEC, ciStacksMain, ["--json"]);
        assert.equal(result.code, 0);
        assert.equal(result.stdout.trim().split("\n").length, 1);
        assert.equal((JSON.parse(result.stdout) as { status: string }).status, "ok");
    });

    it("the stacks listed are the Pulumi.<stack>.yaml files", () => {
        assert.deepEqual(existingStacks(), ["dev", "example-k8s-cluster", "example-serverless", "example-upstash", "prod", "staging"]);
    });

    it("--json and a value starting with a dash, a flag missing its value, a positional where none is taken", () => {
        assert.throws(() => parseCommandLine(VERIFY_SPEC, ["--max-p99-ms", "-1"]), /--max-p99-ms: a value starting with "-" is written --max-p99-ms=<value>/);
        assert.throws(() => parseCommandLine(SYNTH_SPEC, ["--stack"]), /--stack needs a value: see --help/);
        assert.throws(() => parseCommandLine(SYNTH_SPEC, ["dev"]), /unexpected argument dev: this tool takes flags only/);
        assert.deepEqual(parseCommandLine(SYNTH_SPEC, ["--stack=dev", "--json", "--bogus", "-h"]), { help: true });
    });

    it("a managed stack is sent to synth by render and sandbox, exit 2", async () => {
        const render = await run(RENDER_SPEC, renderMain, ["--stack", "prod", "--out", "-"]);
        assert.equal(render.code, 2);
        assert.equal(render.stderr, "render: stack prod uses the managed elasticache backend, which runs no files of ours: see its resources with npm run synth -- --stack prod\n");
        const sandbox = await run(SANDBOX_SPEC, sandboxMain, ["--stack", "example-upstash"]);
        assert.equal(sandbox.code, 2);
        assert.match(sandbox.stderr, /^sandbox: stack example-upstash uses the managed upstash backend: only self-hosted stacks run locally/);
    });

    it("refuses flags of the other benchmark or scenario and unknown choices before running anything", async () => {
        assert.deepEqual(await run(BENCH_SPEC, benchMain, ["restore", "--repeats", "2"]), { code: 2, stdout: "", stderr: "bench: --repeats is a throughput flag, not a restore one\n" });
        assert.deepEqual(await run(BENCH_SPEC, benchMain, ["latency"]), { code: 2, stdout: "", stderr: 'bench: unknown benchmark "latency": throughput or restore\n' });
        assert.deepEqual(await run(ENGINE_CHECK_SPEC, engineCheckMain, ["--engine", "keydb"]), { code: 2, stdout: "", stderr: "engine-check: --engine keydb: must be one of redis, valkey\n" });
        assert.deepEqual(await run(ENGINE_CHECK_SPEC, engineCheckMain, ["--version", "9.0"]), { code: 2, stdout: "", stderr: "engine-check: --version needs --engine\n" });
        assert.deepEqual(await run(ENGINE_CHECK_SPEC, engineCheckMain, ["--engine", "valkey", "--version", "9.1"]), { code: 2, stdout: "", stderr: "engine-check: --version 9.1: valkey versions supported self-hosted are 7.2, 8.0, 8.1, 9.0\n" });
        assert.deepEqual(await run(DRILL_SPEC, drillMain, ["--scenario", "rotate-cert", "--rounds", "3"]), { code: 2, stdout: "", stderr: "drill: --rounds is a failover flag, not one of the rotate-cert scenario\n" });
        assert.deepEqual(await run(DRILL_SPEC, drillMain, ["--topology", "ring"]), { code: 2, stdout: "", stderr: "drill: --topology ring: must be one of sentinel, cluster\n" });
        assert.deepEqual(await run(DRILL_SPEC, drillMain, ["--platform", "k8s"]), { code: 2, stdout: "", stderr: "drill: --platform k8s: must be one of local, docker\n" });
        assert.deepEqual(await run(DRILL_SPEC, drillMain, ["--platform", "docker", "--topology", "sentinel", "--plot", "p.svg"]), { code: 2, stdout: "", stderr: "drill: --plot is not available with --platform docker\n" });
        assert.deepEqual(await run(DRILL_SPEC, drillMain, ["--scenario", "rotate-cert", "--platform", "docker"]), { code: 2, stdout: "", stderr: "drill: --platform is a failover flag, not one of the rotate-cert scenario\n" });
        assert.deepEqual(await run(DAY2_SPEC, day2Main, []), { code: 2, stdout: "", stderr: "day2: --scenario must be one of rotate-password, rotate-cert, scale-replicas, scale-shards, scale-cluster-replicas, switchover, upgrade-engine, or run the switchover operation (switchover --to <node> --outputs <file>)\n" });
        assert.deepEqual(await run(VERIFY_SPEC, verifyMain, []), { code: 2, stdout: "", stderr: "verify: --outputs is required: see --help\n" });
    });
});
