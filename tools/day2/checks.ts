import type { Day2Check } from "./scenario";

/** Collects a scenario's checks and reports each one as a progress line when it is made. */
export class CheckList {
    /** Every check so far, in order. */
    readonly checks: Day2Check[] = [];

    constructor(private readonly progress: (line: string) => void) {}

    /** Records a check; `detail` says why it failed and must never hold a secret. */
    record(name: string, ok: boolean, detail?: string): void {
        this.checks.push(ok || detail === undefined ? { name, ok } : { name, ok, detail });
        this.progress(`${ok ? "ok" : "FAILED"}: ${name}${!ok && detail ? ` (${detail})` : ""}`);
    }
}
