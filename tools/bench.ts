import { formatThroughputTable } from "./bench/results";
import { runRestoreCommand } from "./bench/restoreCommand";
import { runThroughput } from "./bench/throughput";
import { CliError, CliMain, cliMain, CliSpec, JSON_FLAG, oneOf, positiveInteger } from "./cli";

/** `npm run bench`: see {@link BENCH_SPEC}. */
export const BENCH_SPEC: CliSpec = {
    name: "bench",
    summary: "benchmarks on local redis-server processes: throughput of our rendered production config against a stock redis-server, or a backup and restore of N keys",
    usage: ["throughput [--repeats N] [--requests N] [--clients N] [--persistence aof|rdb|none] [--json]", "restore [--keys N] [--json]"],
    details: [
        "throughput: redis-benchmark with TLS, SET and GET at pipeline 1 and 16, ours and stock interleaved; ops/s and",
        "p50/p99 per case and the ratio ours/stock (worst case of the per-case medians).",
        "restore: writes N keys of varied types to a TLS node, backs it up with the rendered redis-backup.sh, restores",
        "it with redis-restore.sh into a fresh node, starts it and compares every key.",
    ].join("\n"),
    positionals: true,
    flags: {
        repeats: { type: "string", value: "<n>", description: "throughput: interleaved rounds (default 5)" },
        requests: { type: "string", value: "<n>", description: "throughput: requests per run (default 100000)" },
        clients: { type: "string", value: "<n>", description: "throughput: parallel clients (default 50)" },
        persistence: { type: "string", value: "<aof|rdb|none>", description: "throughput: our node's persistence (default aof everysec, the production setting)" },
        keys: { type: "string", value: "<n>", description: "restore: keys to write (default 1000000)" },
        json: { ...JSON_FLAG, description: "print only the figures as JSON on stdout, with status (ok for throughput; passed|failed for restore)" },
    },
    ports: "random free loopback ports (never 6379), one or two redis-server processes at a time",
    duration: "throughput about 1-3 min with the defaults; restore about 1-2 min for 1000000 keys",
    exitCodes: { 1: "restore: a key differs after the restore; or a process failed" },
};

const THROUGHPUT_FLAGS = ["repeats", "requests", "clients", "persistence"];

const main: CliMain = async ({ values, positionals }, io) => {
    const [benchmark, ...rest] = positionals;
    if (rest.length > 0) {
        throw new CliError(`unexpected argument ${rest[0]}: one benchmark at a time`);
    }
    const json = values.json === true;
    const text = (flag: string) => values[flag] as string | undefined;
    if (benchmark === "restore") {
        const misplaced = THROUGHPUT_FLAGS.find((flag) => values[flag] !== undefined);
        if (misplaced !== undefined) {
            throw new CliError(`--${misplaced} is a throughput flag, not a restore one`);
        }
        const keys = text("keys") === undefined ? undefined : positiveInteger("keys", text("keys"), 1);
        return runRestoreCommand({ keys, json }, io);
    }
    if (benchmark !== "throughput") {
        throw new CliError(`${benchmark === undefined ? "a benchmark is required" : `unknown benchmark "${benchmark}"`}: throughput or restore`);
    }
    if (values.keys !== undefined) {
        throw new CliError("--keys is a restore flag, not a throughput one");
    }
    const result = await runThroughput({
        repeats: positiveInteger("repeats", text("repeats"), 5),
        requests: positiveInteger("requests", text("requests"), 100000),
        clients: positiveInteger("clients", text("clients"), 50),
        persistence: oneOf("persistence", text("persistence"), ["aof", "rdb", "none"] as const, "aof"),
        progress: (message) => io.stderr(`${message}\n`),
    });
    if (json) {
        io.stdout(`${JSON.stringify({ status: "ok", bench: "throughput", ratio: result.ratio, perCase: result.perCase, repeats: result.repeats, persistence: result.persistence, ours: result.ours, stock: result.stock })}\n`);
    } else {
        io.stdout(
            `throughput: ${result.repeats} interleaved rounds, ${result.requests} requests, ${result.clients} clients, TLS, ours with persistence ${result.persistence}; medians, spread = (max-min)/median\n\n` +
                `${formatThroughputTable(result.ours, result.stock, result.perCase)}\n\nratio (worst case of the per-case medians of paired ours/stock rounds): ${result.ratio.toFixed(3)}\n`,
        );
    }
    return 0;
};

/** Runs `npm run bench` (exported for the CLI test table). */
export const benchMain = main;

if (require.main === module) {
    cliMain(BENCH_SPEC, main);
}
