/** The outcome of one check. `warn` is reported but does not fail the run. */
export type CheckStatus = "pass" | "fail" | "warn" | "skip";

/** One row of the verify table. Never holds a secret. */
export interface CheckResult {
    /** What was checked, e.g. `tls`, `login`, `acl-denial`. */
    check: string;
    /** Where or as whom, e.g. `127.0.0.1:6380` or `app`. */
    target: string;
    status: CheckStatus;
    /** Figures or the reason, in one line. */
    detail: string;
}

/**
 * Replaces every occurrence of a secret in `text` with `***`, longest first so a secret containing another is
 * fully covered. Secrets shorter than 4 characters are ignored (they would mask ordinary words).
 */
export function redact(text: string, secrets: readonly string[]): string {
    let result = text;
    for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
        result = result.split(secret).join("***");
    }
    return result;
}

/** Applies {@link redact} to every field of every result. */
export function redactResults(results: readonly CheckResult[], secrets: readonly string[]): CheckResult[] {
    return results.map((result) => ({
        check: redact(result.check, secrets),
        target: redact(result.target, secrets),
        status: result.status,
        detail: redact(result.detail, secrets),
    }));
}

/** The process exit code: 1 when any check failed, else 0. */
export function exitCodeFor(results: readonly CheckResult[]): number {
    return results.some((result) => result.status === "fail") ? 1 : 0;
}

/** Counts per status. */
export function tally(results: readonly CheckResult[]): Record<CheckStatus, number> {
    const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
    for (const result of results) {
        counts[result.status]++;
    }
    return counts;
}

/**
 * Formats results as a fixed-width table with a summary line. Details longer than `maxDetail` characters are
 * cut with `...`, and newlines become spaces, so every result is one line.
 */
export function formatTable(results: readonly CheckResult[], maxDetail = 100): string {
    const header = { check: "CHECK", target: "TARGET", status: "RESULT", detail: "DETAIL" };
    const rows = results.map((result) => {
        const oneLine = result.detail.replace(/\s+/g, " ").trim();
        return {
            check: result.check,
            target: result.target,
            status: result.status.toUpperCase(),
            detail: oneLine.length > maxDetail ? `${oneLine.slice(0, maxDetail - 3)}...` : oneLine,
        };
    });
    const width = (key: "check" | "target" | "status") => Math.max(header[key].length, ...rows.map((row) => row[key].length));
    const widths = { check: width("check"), target: width("target"), status: width("status") };
    const line = (row: typeof header) => `${row.check.padEnd(widths.check)}  ${row.target.padEnd(widths.target)}  ${row.status.padEnd(widths.status)}  ${row.detail}`.trimEnd();
    const counts = tally(results);
    const summary = `${results.length} checks: ${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warnings, ${counts.skip} skipped`;
    return [line(header), ...rows.map(line), "", summary].join("\n");
}
