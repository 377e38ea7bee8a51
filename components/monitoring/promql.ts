import { SCRAPE_LABELS } from "./metrics";

/** Small helpers that write PromQL and Prometheus durations, so rules read as their intent. */

/** A label selector on the deployment, plus extra equality matchers: `{deployment="d",kind="redis"}`. */
export function selector(deployment: string, extra: Readonly<Record<string, string>> = {}): string {
    const matchers = [[SCRAPE_LABELS.deployment, deployment], ...Object.entries(extra)].map(([label, value]) => `${label}="${value}"`);
    return `{${matchers.join(",")}}`;
}

/** A Prometheus duration for a whole number of seconds, in the largest unit that divides it: `90s`, `5m`, `7h`. */
export function duration(seconds: number): string {
    if (!Number.isInteger(seconds) || seconds < 0) {
        throw new Error(`duration ${seconds}: must be a whole, non-negative number of seconds`);
    }
    if (seconds === 0) {
        return "0s";
    }
    if (seconds % 3600 === 0) {
        return `${seconds / 3600}h`;
    }
    if (seconds % 60 === 0) {
        return `${seconds / 60}m`;
    }
    return `${seconds}s`;
}

/** A ratio as a percentage for humans: 0.9 gives `90%`, 0.975 gives `97.5%`. */
export function percent(ratio: number): string {
    return `${Number((ratio * 100).toFixed(2))}%`;
}
