/**
 * The `p`th percentile (0 < p <= 100) of samples by the nearest-rank method: the smallest sample that at
 * least `p` percent of the samples are less than or equal to.
 *
 * @throws Error when there are no samples or `p` is out of range
 */
export function percentile(samples: readonly number[], p: number): number {
    if (samples.length === 0) {
        throw new Error("percentile of no samples");
    }
    if (!(p > 0 && p <= 100)) {
        throw new Error(`percentile p = ${p}: must be in (0, 100]`);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

/** p50, p99 and max of round-trip samples, in the samples' unit. */
export interface LatencySummary {
    count: number;
    p50: number;
    p99: number;
    max: number;
}

/** Summarizes samples. @throws Error when there are none */
export function summarizeLatency(samples: readonly number[]): LatencySummary {
    return { count: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples) };
}

/** Formats milliseconds with 2 decimals below 10 ms, 1 decimal above. */
export function formatMs(ms: number): string {
    return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}
