import { strict as assert } from "node:assert";
import { formatThroughputTable, median, parseBenchmarkCsv, summarizeRuns, throughputRatio } from "../../tools/bench/results";

const CSV = `"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
"SET app:bench:__rand_int__ xyz","40000.00","1.1","0.2","0.743","2.0","4.175","9.0"
`;

describe("bench: pure parts", () => {
    it("parses redis-benchmark --csv", () => {
        assert.deepEqual(parseBenchmarkCsv(CSV), [{ opsPerSec: 40000, p50Ms: 0.743, p99Ms: 4.175 }]);
        assert.throws(() => parseBenchmarkCsv('"test","rps"\n"x","1"\n'), /no "p50_latency_ms" column/);
        assert.throws(() => parseBenchmarkCsv(""), /no "rps" column: \(no output\)/);
    });

    it("summarizes rounds with their median and spread", () => {
        assert.equal(median([3, 1, 2]), 2);
        assert.equal(median([4, 1, 2, 3]), 2.5);
        const summary = summarizeRuns([
            { opsPerSec: 100, p50Ms: 1, p99Ms: 5 },
            { opsPerSec: 80, p50Ms: 2, p99Ms: 6 },
            { opsPerSec: 120, p50Ms: 3, p99Ms: 7 },
        ]);
        assert.deepEqual(summary, { opsPerSec: 100, minOpsPerSec: 80, maxOpsPerSec: 120, spreadPercent: 40, p50Ms: 2, p99Ms: 6, runs: [100, 80, 120] });
    });

    it("takes the median of paired per-round ratios per case and the worst case overall", () => {
        const of = (runs: number[]) => summarizeRuns(runs.map((opsPerSec) => ({ opsPerSec, p50Ms: 1, p99Ms: 2 })));
        // Round 2 is slow for both sides (machine load): paired ratios ignore it, medians of each side would not.
        const ours = { "SET P1": of([90, 45, 95]), "GET P1": of([100, 50, 100]) };
        const stock = { "SET P1": of([100, 50, 100]), "GET P1": of([100, 50, 100]) };
        assert.deepEqual(throughputRatio(ours, stock), { ratio: 0.9, perCase: { "SET P1": 0.9, "GET P1": 1 } });
        assert.throws(() => throughputRatio(ours, { "SET P1": stock["SET P1"] }), /case "GET P1" has no stock run for every round/);
        const table = formatThroughputTable(ours, stock, { "SET P1": 0.9, "GET P1": 1 });
        assert.match(table.split("\n")[1], /^SET P1 +90 \(±55\.6%\) 1\.000\/2\.000 +100 \(±50\.0%\) 1\.000\/2\.000 +0\.900$/);
    });
});
