import { CliError, EXIT_FINDINGS } from "./errors";
import { FlagValues, parseCommandLine } from "./parse";
import { CliSpec, helpText } from "./spec";

/** Where a tool writes. Tests pass their own to capture it. */
export interface CliIo {
    /** Standard output: the result (with `--json`, only the JSON). */
    stdout(text: string): void;
    /** Standard error: progress, warnings, errors. */
    stderr(text: string): void;
}

/** The arguments a tool's main function receives after parsing. */
export interface CliArgs {
    values: FlagValues;
    positionals: string[];
    /** The raw arguments, for a tool that hands them on to another parser. */
    argv: readonly string[];
}

/** A tool's body: returns its exit code (`undefined` is 0). Throw {@link CliError} for usage errors. */
export type CliMain = (args: CliArgs, io: CliIo) => Promise<number | void> | number | void;

/** The process's own streams. */
export const PROCESS_IO: CliIo = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
};

/**
 * Runs a tool: `--help` prints its help (exit 0); a usage error prints one line naming the problem (exit 2);
 * any other error prints its first line, never its stack or fields (they may hold connection options), and
 * exits 1 unless it is a {@link CliError} with its own code.
 *
 * @returns the exit code
 */
export async function runCli(spec: CliSpec, main: CliMain, argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
    try {
        const parsed = parseCommandLine(spec, argv);
        if (parsed.help) {
            io.stdout(helpText(spec));
            return 0;
        }
        return (await main({ values: parsed.values, positionals: parsed.positionals, argv }, io)) ?? 0;
    } catch (error) {
        const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
        io.stderr(`${spec.name}: ${message}\n`);
        return error instanceof CliError ? error.exitCode : EXIT_FINDINGS;
    }
}

/**
 * The entry point of a tool's file: runs it on the process's arguments, exits with its code, and exits
 * quietly when the reader of stdout goes away (`npm run render -- --out - | head`) instead of dying on EPIPE.
 * It exits explicitly because clients and timers a tool leaves behind must not keep the process alive.
 */
export function cliMain(spec: CliSpec, main: CliMain): void {
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "EPIPE") {
            process.exit(0);
        }
        throw error;
    });
    // Exit only once everything written to stdout has been handed to the reader: a large --json line to a
    // pipe is written asynchronously, and exiting at once would cut it.
    void runCli(spec, main, process.argv.slice(2)).then((code) => process.stdout.write("", () => process.exit(code)));
}
