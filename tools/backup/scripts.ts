import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { renderBackupScript } from "../../components/redisconf/scripts/backup";
import { renderRestoreScript } from "../../components/redisconf/scripts/restore";
import { ProcessSupervisor } from "../harness/processes";

/**
 * Runs the rendered backup and restore scripts as a platform would: the exact text of
 * `renderBackupScript`/`renderRestoreScript`, written to a directory and run with `sh` and an environment,
 * supervised so nothing outlives the run.
 */

/** How one script run ended. */
export interface ScriptRun {
    /** The exit code (or the signal name). */
    code: number | string;
    /** What the script printed (stdout and stderr). */
    log: string;
    /** Wall-clock seconds. */
    seconds: number;
}

/** The rendered scripts of one run, written to `dir`. */
export class BackupScripts {
    readonly backupScript: string;
    readonly restoreScript: string;
    private readonly supervisor = new ProcessSupervisor();
    private runs = 0;

    constructor(private readonly dir: string) {
        this.backupScript = path.join(dir, "redis-backup.sh");
        this.restoreScript = path.join(dir, "redis-restore.sh");
        writeFileSync(this.backupScript, renderBackupScript(), { mode: 0o700 });
        writeFileSync(this.restoreScript, renderRestoreScript(), { mode: 0o700 });
    }

    /** Runs `redis-backup.sh [phase]` with `env` (a `PATH` in it replaces the default one). */
    backup(env: Record<string, string>, phase?: "take" | "upload"): Promise<ScriptRun> {
        return this.run("backup", this.backupScript, env, phase === undefined ? [] : [phase]);
    }

    /** Runs `redis-restore.sh` with `env`. */
    restore(env: Record<string, string>): Promise<ScriptRun> {
        return this.run("restore", this.restoreScript, env, []);
    }

    private async run(kind: string, script: string, env: Record<string, string>, args: string[]): Promise<ScriptRun> {
        this.runs += 1;
        const name = `${kind}-${this.runs}`;
        const logFile = path.join(this.dir, `${name}.log`);
        const started = process.hrtime.bigint();
        const supervised = this.supervisor.start(name, script, env, logFile, args);
        const code = await supervised.exited;
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        return { code, log: readFileSync(logFile, "utf8"), seconds };
    }

    /** Stops anything still running. */
    async dispose(): Promise<void> {
        await this.supervisor.dispose();
    }
}
