/**
 * The pure parts of the throughput benchmark: parsing `redis-benchmark --csv`, summarizing repeated runs and
 * computing the ours/stock ratio.
 */

/** One `redis-benchmark` result line. */
export interface BenchmarkRun {
    opsPerSec: number;
    p50Ms: number;
    p99Ms: number;
}

/**
 * Parses `redis-benchmark --csv` output (header `"test","rps",...,"p50_latency_ms",...,"p99_latency_ms",...`)
 * into one run per test line.
 *
 * @throws Error when the header or a figure is missing
 */
export function parseBenchmarkCsv(text: string): BenchmarkRun[] {
    const lines = text.split(/\r?\n/).filter((line) => line.startsWith('"'));
    const unquote = (line: string) => line.split(",").map((field) => field.replace(/^"|"$/g, ""));
    const header = lines.length > 0 ? unquote(lines[0]) : [];
    const column = (name: string) => {
        const index = header.indexOf(name);
        if (index < 0) {
            throw new Error(`redis-benchmark CSV has no "${name}" column: ${lines[0] ?? "(no output)"}`);
        }
        return index;
    };
    const rps = column("rps");
    const p50 = column("p50_latency_ms");
    const p99 = column("p99_latency_ms");
    return lines.slice(1).map((line) => {
        const fields = unquote(line);
        const run = { opsPerSec: Number(fields[rps]), p50Ms: Number(fields[p50]), p99Ms: Number(fields[p99]) };
        if (!Object.values(run).every(Number.isFinite)) {
            throw new Error(`redis-benchmark CSV line has a non-numeric figure: ${line}`);
        }
        return run;
    });
}

/** The median of numbers (the mean of the two middle ones for an even count). @throws Error when empty */
export function median(values: readonly number[]): number {
    if (values.length === 0) {
        throw new Error("median of no values");
    }
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Repeated runs of one case on one server, summarized. */
export interface CaseSummary {
    /** The median ops/s. */
    opsPerSec: number;
    /** The lowest and highest ops/s, to show the spread. */
    minOpsPerSec: number;
    maxOpsPerSec: number;
    /** (max - min) / median, in percent. */
    spreadPercent: number;
    /** Median p50 and p99 latency, in ms. */
    p50Ms: number;
    p99Ms: number;
    /** Every run's ops/s, in order. */
    runs: number[];
}

/** Summarizes repeated runs. @throws Error when there are none */
export function summarizeRuns(runs: readonly BenchmarkRun[]): CaseSummary {
    const ops = runs.map((run) => run.opsPerSec);
    const opsPerSec = median(ops);
    const minOpsPerSec = Math.min(...ops);
    const maxOpsPerSec = Math.max(...ops);
    return {
        opsPerSec,
        minOpsPerSec,
        maxOpsPerSec,
        spreadPercent: Math.round(((maxOpsPerSec - minOpsPerSec) / opsPerSec) * 1000) / 10,
        p50Ms: median(runs.map((run) => run.p50Ms)),
        p99Ms: median(runs.map((run) => run.p99Ms)),
        runs: ops,
    };
}

/**
 * Per case, the median over rounds of the paired ratio ours/stock (the two runs of a round ran back to back,
 * so a load spike from other work on the machine hits both sides of a pair rather than one side of the
 * medians), and the worst case.
 */
export function throughputRatio(ours: Readonly<Record<string, CaseSummary>>, stock: Readonly<Record<string, CaseSummary>>): { ratio: number; perCase: Record<string, number> } {
    const perCase: Record<string, number> = {};
    for (const name of Object.keys(ours)) {
        const base = stock[name];
        if (base === undefined || base.runs.length !== ours[name].runs.length) {
            throw new Error(`case "${name}" has no stock run for every round`);
        }
        const paired = ours[name].runs.map((value, round) => value / base.runs[round]);
        perCase[name] = Math.round(median(paired) * 1000) / 1000;
    }
    const ratios = Object.values(perCase);
    if (ratios.length === 0) {
        throw new Error("no cases to compare");
    }
    return { ratio: Math.min(...ratios), perCase };
}

/** Formats the comparison as a table. */
export function formatThroughputTable(ours: Readonly<Record<string, CaseSummary>>, stock: Readonly<Record<string, CaseSummary>>, perCase: Readonly<Record<string, number>>): string {
    const cell = (summary: CaseSummary) => `${Math.round(summary.opsPerSec).toString().padStart(7)} (±${summary.spreadPercent.toFixed(1).padStart(4)}%) ${summary.p50Ms.toFixed(3)}/${summary.p99Ms.toFixed(3)}`;
    const header = `${"case".padEnd(10)}  ${"ours ops/s (spread) p50/p99 ms".padEnd(36)}  ${"stock ops/s (spread) p50/p99 ms".padEnd(36)}  ours/stock`;
    const rows = Object.keys(ours).map((name) => `${name.padEnd(10)}  ${cell(ours[name]).padEnd(36)}  ${cell(stock[name]).padEnd(36)}  ${perCase[name].toFixed(3)}`);
    return [header, ...rows].join("\n");
}
