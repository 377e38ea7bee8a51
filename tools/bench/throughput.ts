import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { asDeploymentConfig, localStackConfig } from "../harness/config";
import { directClient } from "../harness/clients";
import { LocalDeployment, waitFor } from "../harness/localDeployment";
import { freePorts } from "../harness/ports";
import { BenchmarkRun, CaseSummary, parseBenchmarkCsv, summarizeRuns, throughputRatio } from "./results";

const run = promisify(execFile);

/** One benchmark case: a command and a pipeline depth. */
export interface ThroughputCase {
    name: string;
    /** The command line after the options, `__rand_int__` replaced by redis-benchmark. */
    command: string[];
    pipeline: number;
}

/** The four cases of the issue: SET and GET with pipeline 1 and 16. Keys match the app user's `app:*` pattern. */
export const THROUGHPUT_CASES: readonly ThroughputCase[] = [
    { name: "SET P1", command: ["SET", "app:bench:__rand_int__", "xyz"], pipeline: 1 },
    { name: "GET P1", command: ["GET", "app:bench:__rand_int__"], pipeline: 1 },
    { name: "SET P16", command: ["SET", "app:bench:__rand_int__", "xyz"], pipeline: 16 },
    { name: "GET P16", command: ["GET", "app:bench:__rand_int__"], pipeline: 16 },
];

/** Options of {@link runThroughput}. */
export interface ThroughputOptions {
    /** Rounds; each runs every case on both servers, in alternating order. @default 5 */
    repeats?: number;
    /** Requests per run. @default 100000 */
    requests?: number;
    /** Parallel connections. @default 50 */
    clients?: number;
    /** Our node's persistence mode (the stack setting `redis:persistence.mode`). @default "aof" (everysec) */
    persistence?: "aof" | "rdb" | "none";
    /** Progress lines (stderr in the CLI). */
    progress?: (message: string) => void;
}

/** The result: per case and server, the summary of all rounds, and the ratios. */
export interface ThroughputResult {
    ours: Record<string, CaseSummary>;
    stock: Record<string, CaseSummary>;
    ratio: number;
    perCase: Record<string, number>;
    repeats: number;
    requests: number;
    clients: number;
    persistence: "aof" | "rdb" | "none";
}

interface Target {
    name: "ours" | "stock";
    port: number;
    /** `--user app -a <password>` for ours; never printed. */
    auth: string[];
}

/** Starts a stock `redis-server` with TLS only (every other setting its default) on the run's certificates. */
async function startStock(deployment: LocalDeployment): Promise<number> {
    const [port] = await freePorts(1);
    const dir = path.join(deployment.root, "stock");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const script = path.join(dir, "start.sh");
    const { certs } = deployment;
    writeFileSync(
        script,
        `cd "${dir}" && exec redis-server --bind 127.0.0.1 --port 0 --tls-port ${port} --tls-cert-file "${certs.serverCertFile}" ` +
            `--tls-key-file "${certs.serverKeyFile}" --tls-ca-cert-file "${certs.caFile}" --tls-auth-clients no\n`,
        { mode: 0o700 },
    );
    deployment.supervisor.start("stock", script, {}, path.join(dir, "log.txt"));
    await waitFor("the stock redis-server answers PING", async () => {
        const client = directClient("127.0.0.1", port, undefined, undefined, { enabled: true, certs, presentClientCert: false });
        client.on("error", () => undefined);
        try {
            await client.connect();
            return (await client.ping()) === "PONG";
        } finally {
            client.disconnect();
        }
    }, 20000);
    return port;
}

async function benchmark(deployment: LocalDeployment, target: Target, testCase: ThroughputCase, options: { requests: number; clients: number }): Promise<BenchmarkRun> {
    const args = [
        "-h", "127.0.0.1", "-p", String(target.port), "--tls", "--cacert", deployment.certs.caFile, ...target.auth,
        "-c", String(options.clients), "-n", String(options.requests), "-P", String(testCase.pipeline), "-r", "100000", "--csv", ...testCase.command,
    ];
    // The password is on redis-benchmark's command line (it has no other way to take one); it is the local
    // run's throw-away password and never printed: errors below quote only the case and the exit.
    let stdout: string;
    try {
        ({ stdout } = await run("redis-benchmark", args, { maxBuffer: 1 << 20 }));
    } catch (error) {
        throw new Error(`redis-benchmark ${testCase.name} against ${target.name} failed (${(error as { code?: unknown }).code ?? "?"})`);
    }
    const runs = parseBenchmarkCsv(stdout);
    if (runs.length !== 1) {
        throw new Error(`redis-benchmark ${testCase.name} against ${target.name} printed ${runs.length} results, expected 1`);
    }
    return runs[0];
}

/**
 * Measures our rendered production config (a standalone node of the harness: TLS, ACL users, AOF everysec, as
 * user `app`) against a stock `redis-server` with TLS only, on the same machine and certificates, running every
 * case on both in alternating order, `repeats` times. Both processes always stop.
 */
export async function runThroughput(options: ThroughputOptions = {}): Promise<ThroughputResult> {
    const settings = { repeats: options.repeats ?? 5, requests: options.requests ?? 100000, clients: options.clients ?? 50, persistence: options.persistence ?? "aof" };
    const progress = options.progress ?? (() => undefined);
    progress("starting our node (rendered production config) and a stock redis-server, both TLS");
    const deployment = await LocalDeployment.start({ config: asDeploymentConfig(localStackConfig({ topology: "standalone", persistence: settings.persistence })) });
    try {
        const stockPort = await startStock(deployment);
        const ours: Target = { name: "ours", port: deployment.rendered.topology.dataNodes[0].port, auth: ["--user", "app", "-a", deployment.password("app")] };
        const stock: Target = { name: "stock", port: stockPort, auth: [] };
        const runs: Record<"ours" | "stock", Record<string, BenchmarkRun[]>> = { ours: {}, stock: {} };
        for (let round = 0; round < settings.repeats; round++) {
            for (const testCase of THROUGHPUT_CASES) {
                // Alternating who goes first cancels a drift in machine load between the two.
                const order = round % 2 === 0 ? [ours, stock] : [stock, ours];
                for (const target of order) {
                    const result = await benchmark(deployment, target, testCase, settings);
                    (runs[target.name][testCase.name] ??= []).push(result);
                    progress(`round ${round + 1}/${settings.repeats} ${testCase.name.padEnd(7)} ${target.name.padEnd(5)} ${Math.round(result.opsPerSec)} ops/s`);
                }
            }
        }
        const summarize = (byCase: Record<string, BenchmarkRun[]>) => Object.fromEntries(Object.entries(byCase).map(([name, list]) => [name, summarizeRuns(list)]));
        const oursSummary = summarize(runs.ours);
        const stockSummary = summarize(runs.stock);
        const { ratio, perCase } = throughputRatio(oursSummary, stockSummary);
        return { ours: oursSummary, stock: stockSummary, ratio, perCase, ...settings };
    } finally {
        await deployment.destroy();
    }
}
