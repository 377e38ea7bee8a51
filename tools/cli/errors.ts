/** Exit code of a run that found problems (failed checks, violations, a stale snapshot). */
export const EXIT_FINDINGS = 1;

/** Exit code of bad usage: an unknown flag, a missing or bad value, a stack that does not exist. */
export const EXIT_USAGE = 2;

/**
 * An error the tool reports as one line on stderr (no stack trace) and exits with `exitCode`: bad usage
 * (2) unless said otherwise.
 */
export class CliError extends Error {
    constructor(
        message: string,
        /** The process exit code. @default 2 */
        readonly exitCode: number = EXIT_USAGE,
    ) {
        super(message);
        this.name = "CliError";
    }
}
