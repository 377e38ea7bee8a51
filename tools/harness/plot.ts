import type { WriteEvent } from "./load";

/**
 * Draws write latency over time as an SVG: one dot per write (grey acknowledged, blue successful but not
 * acknowledged, red failed), a red line at each kill.
 */
export function renderLatencySvg(events: readonly WriteEvent[], kills: readonly { atMs: number; label: string }[], title: string): string {
    const width = 1000;
    const height = 400;
    const margin = { left: 60, right: 20, top: 30, bottom: 40 };
    const endMs = Math.max(1, ...events.map((e) => e.startMs + e.latencyMs));
    const maxLatency = Math.max(10, ...events.map((e) => e.latencyMs));
    const x = (ms: number) => margin.left + (ms / endMs) * (width - margin.left - margin.right);
    // Latency on a log scale: failovers stretch from a millisecond to seconds.
    const y = (ms: number) => height - margin.bottom - (Math.log10(1 + ms) / Math.log10(1 + maxLatency)) * (height - margin.top - margin.bottom);
    const dots = events.map((e) => {
        const color = !e.ok ? "#d62728" : e.acked ? "#7f7f7f" : "#1f77b4";
        return `<circle cx="${x(e.startMs).toFixed(1)}" cy="${y(e.latencyMs).toFixed(1)}" r="1.5" fill="${color}"/>`;
    });
    const killLines = kills.map(
        (k) =>
            `<line x1="${x(k.atMs).toFixed(1)}" y1="${margin.top}" x2="${x(k.atMs).toFixed(1)}" y2="${height - margin.bottom}" stroke="#d62728" stroke-dasharray="4 3"/>` +
            `<text x="${(x(k.atMs) + 3).toFixed(1)}" y="${margin.top + 12}" font-size="10" fill="#d62728">${escapeXml(k.label)}</text>`,
    );
    const ticks = [1, 10, 100, 1000, 10000].filter((t) => t <= maxLatency * 1.01).map(
        (t) => `<text x="${margin.left - 6}" y="${y(t).toFixed(1)}" font-size="10" text-anchor="end">${t} ms</text>`,
    );
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
        `<rect width="100%" height="100%" fill="white"/>`,
        `<text x="${margin.left}" y="18" font-size="13">${escapeXml(title)}</text>`,
        `<line x1="${margin.left}" y1="${height - margin.bottom}" x2="${width - margin.right}" y2="${height - margin.bottom}" stroke="black"/>`,
        `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${height - margin.bottom}" stroke="black"/>`,
        `<text x="${width / 2}" y="${height - 8}" font-size="11" text-anchor="middle">time (s), ${(endMs / 1000).toFixed(0)} s in all; grey acknowledged, blue written not acknowledged, red failed</text>`,
        ...ticks,
        ...dots,
        ...killLines,
        "</svg>",
        "",
    ].join("\n");
}

function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
