import { formatThroughputTable } from "./bench/results";
import { runRestoreCommand } from "./bench/restoreCommand";
import { runThroughput } from "./bench/throughput";

const USAGE = `usage: npm run bench -- throughput [--json] [--repeats N] [--requests N] [--clients N] [--persistence aof|rdb|none]
       npm run bench -- restore [--keys N] [--json]

  Runs redis-benchmark with TLS against our rendered production config and a stock redis-server, interleaved:
  SET and GET, pipeline 1 and 16. Prints ops/s and p50/p99 per case and the ratio ours/stock.
  --json       the last line is {"bench":"throughput","ratio":...,"ours":{...},"stock":{...}}
  --repeats N  rounds (default 5)   --requests N  per run (default 100000)   --clients N  (default 50)
  --persistence aof|rdb|none  our node's persistence mode (default aof everysec, the production setting)`;

type Args = { json: boolean; repeats?: number; requests?: number; clients?: number; persistence?: "aof" | "rdb" | "none" };

function parse(argv: readonly string[]): Args {
    if (argv[0] !== "throughput") {
        throw new Error(`unknown benchmark "${argv[0] ?? ""}"\n${USAGE}`);
    }
    const result: Args = { json: false };
    for (let i = 1; i < argv.length; i++) {
        const flag = argv[i];
        if (flag === "--json") {
            result.json = true;
            continue;
        }
        if (flag === "--persistence") {
            const mode = argv[++i];
            if (mode !== "aof" && mode !== "rdb" && mode !== "none") {
                throw new Error(`--persistence ${mode ?? ""}: must be aof, rdb or none`);
            }
            result.persistence = mode;
            continue;
        }
        const key = ({ "--repeats": "repeats", "--requests": "requests", "--clients": "clients" } as const)[flag as "--repeats"];
        const value = Number(argv[++i]);
        if (key === undefined || !Number.isInteger(value) || value < 1) {
            throw new Error(`bad argument "${flag}"\n${USAGE}`);
        }
        result[key] = value;
    }
    return result;
}

/** `npm run bench -- throughput [--json]`: see {@link runThroughput}; `npm run bench -- restore`: see {@link runRestoreCommand}. */
async function main(): Promise<number> {
    const argv = process.argv.slice(2);
    if (argv[0] === "restore") {
        return runRestoreCommand(argv);
    }
    let args;
    try {
        args = parse(argv);
    } catch (error) {
        process.stderr.write(`bench: ${(error as Error).message}\n`);
        return 2;
    }
    const result = await runThroughput({ ...args, progress: (message) => process.stderr.write(`${message}\n`) });
    process.stdout.write(
        `throughput: ${result.repeats} interleaved rounds, ${result.requests} requests, ${result.clients} clients, TLS, ours with persistence ${result.persistence}; medians, spread = (max-min)/median\n\n` +
            `${formatThroughputTable(result.ours, result.stock, result.perCase)}\n\nratio (worst case of the per-case medians of paired ours/stock rounds): ${result.ratio.toFixed(3)}\n`,
    );
    if (args.json) {
        process.stdout.write(`${JSON.stringify({ bench: "throughput", ratio: result.ratio, perCase: result.perCase, repeats: result.repeats, persistence: result.persistence, ours: result.ours, stock: result.stock })}\n`);
    }
    return 0;
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        process.stderr.write(`bench: ${error instanceof Error ? error.message.split("\n")[0] : "failed"}\n`);
        process.exitCode = 1;
    },
);
