import { runRestoreBench } from "../backup/restoreBench";
import type { CliIo } from "../cli";

/**
 * `npm run bench -- restore [--keys N] [--json]`: see {@link runRestoreBench}. Progress goes to stderr; the
 * figures (or with `--json` only the JSON) to stdout.
 *
 * @returns the exit code: 0 when every key matched after the restore, 1 otherwise
 */
export async function runRestoreCommand(options: { keys?: number; json: boolean }, io: CliIo): Promise<number> {
    const result = await runRestoreBench({ keys: options.keys, progress: (message) => io.stderr(`${message}\n`) });
    if (options.json) {
        io.stdout(`${JSON.stringify({ status: result.digest_match ? "passed" : "failed", ...result })}\n`);
    } else {
        io.stdout(
            `restore: ${result.keys} keys, ${result.bytes} bytes compressed; backup ${result.backup_s.toFixed(2)} s, ` +
                `restore ${result.restore_s.toFixed(2)} s (script ${result.restore_script_s.toFixed(2)} s, then start and load); every key matches: ${result.digest_match}\n`,
        );
    }
    return result.digest_match ? 0 : 1;
}
