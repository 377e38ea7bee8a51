import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/**
 * The directory day-2 runs create their run directories in: apart from other harness users' runs, so a
 * cleanup of theirs never removes the files of a scenario still running.
 */
export function day2BaseDir(): string {
    const dir = path.join(tmpdir(), "redis-day2");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
}
