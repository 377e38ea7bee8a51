/**
 * Links from every alert to its runbook in `docs/runbooks/`. Pure.
 *
 * The base is `redis:monitoring.runbookBaseUrl`: where the team reads this repository's runbooks, such as
 * `https://github.com/<org>/<repo>/blob/main/docs/runbooks`. Unset, links are paths relative to the
 * repository root (`docs/runbooks/failover.md`), which name the file without guessing where it is hosted.
 */

/** The runbook base when the stack sets none: the runbooks' folder, relative to the repository root. */
export const DEFAULT_RUNBOOK_BASE_URL = "docs/runbooks";

/** The runbooks alerts link to (files under `docs/runbooks/`). */
export const RUNBOOKS = ["failover.md", "scaling.md", "restore.md", "certificate-rotation.md", "password-rotation.md", "reload-sidecar.md", "engine-upgrade.md", "alerts.md"] as const;

/** A runbook file name. */
export type Runbook = (typeof RUNBOOKS)[number];

/** The link to `runbook` (and a heading in it, as a GitHub anchor) under `base`. */
export function runbookUrl(base: string, runbook: string, anchor?: string): string {
    return `${base.replace(/\/+$/, "")}/${runbook}${anchor === undefined ? "" : `#${anchor}`}`;
}
