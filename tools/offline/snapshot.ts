import * as path from "node:path";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";

/** Where a stack's committed snapshot lives. */
export function snapshotPath(stack: string, root: string = PROJECT_ROOT): string {
    return path.join(root, "stacks", "snapshots", `${stack}.md`);
}

/**
 * A short line diff of a stale snapshot: the first differing region, up to `limit` lines each side, as
 * `-` (committed) and `+` (current) lines. Empty when the texts are equal. Pure.
 */
export function snapshotDiff(committed: string, current: string, limit = 12): string[] {
    if (committed === current) {
        return [];
    }
    const before = committed.split("\n");
    const after = current.split("\n");
    let start = 0;
    while (start < before.length && start < after.length && before[start] === after[start]) {
        start++;
    }
    let endBefore = before.length - 1;
    let endAfter = after.length - 1;
    while (endBefore >= start && endAfter >= start && before[endBefore] === after[endAfter]) {
        endBefore--;
        endAfter--;
    }
    const removed = before.slice(start, endBefore + 1);
    const added = after.slice(start, endAfter + 1);
    const clip = (lines: string[], sign: string) => [
        ...lines.slice(0, limit).map((line) => `${sign} ${line}`),
        ...(lines.length > limit ? [`${sign} ... ${lines.length - limit} more line(s)`] : []),
    ];
    return [`@@ line ${start + 1} @@`, ...clip(removed, "-"), ...clip(added, "+")];
}
