import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Day2Options } from "./scenario";

/**
 * The directory day-2 runs create their run directories in: apart from other harness users' runs, so a
 * cleanup of theirs never removes the files of a scenario still running.
 */
export function day2BaseDir(): string {
    const dir = path.join(tmpdir(), "redis-day2");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
}

/**
 * The options the day-2 integration tests run their scenarios with: with `KEEP_HARNESS=1` (as for the other
 * integration tests) each run directory, with every process's log, is kept and every step is printed on stderr.
 */
export function day2TestOptions(env: NodeJS.ProcessEnv = process.env): Day2Options {
    return env.KEEP_HARNESS === "1" ? { keepDir: true, progress: (line) => process.stderr.write(`${line}\n`) } : {};
}
