import { runRestoreBench } from "../backup/restoreBench";

const USAGE = `usage: npm run bench -- restore [--keys N] [--json]

  Writes N keys of varied types to a local TLS node, backs it up with the rendered redis-backup.sh, restores
  it with redis-restore.sh into a fresh stopped node, starts it and compares every key.
  --keys N   keys to write (default 1000000)
  --json     the last line is {"bench":"restore","keys":N,"backup_s":...,"restore_s":...,"bytes":...,"digest_match":...}`;

/** Parses `restore [--keys N] [--json]`. */
export function parseRestoreArgs(argv: readonly string[]): { keys?: number; json: boolean } {
    if (argv[0] !== "restore") {
        throw new Error(`unknown benchmark "${argv[0] ?? ""}"\n${USAGE}`);
    }
    const result: { keys?: number; json: boolean } = { json: false };
    for (let i = 1; i < argv.length; i++) {
        if (argv[i] === "--json") {
            result.json = true;
        } else if (argv[i] === "--keys" && Number.isInteger(Number(argv[i + 1])) && Number(argv[i + 1]) >= 1) {
            result.keys = Number(argv[++i]);
        } else {
            throw new Error(`bad argument "${argv[i]}"\n${USAGE}`);
        }
    }
    return result;
}

/** `npm run bench -- restore [--keys N] [--json]`: see {@link runRestoreBench}. Returns the exit code. */
export async function runRestoreCommand(argv: readonly string[]): Promise<number> {
    let args;
    try {
        args = parseRestoreArgs(argv);
    } catch (error) {
        process.stderr.write(`bench: ${(error as Error).message}\n`);
        return 2;
    }
    const result = await runRestoreBench({ keys: args.keys, progress: (message) => process.stderr.write(`${message}\n`) });
    process.stdout.write(
        `restore: ${result.keys} keys, ${result.bytes} bytes compressed; backup ${result.backup_s.toFixed(2)} s, ` +
            `restore ${result.restore_s.toFixed(2)} s (script ${result.restore_script_s.toFixed(2)} s, then start and load); every key matches: ${result.digest_match}\n`,
    );
    if (args.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
    }
    return result.digest_match ? 0 : 1;
}
