import { parseArgs } from "node:util";
import { CliError } from "./errors";
import { CliSpec, HELP_FLAG } from "./spec";

/** Parsed flags: strings, booleans, or lists of strings for repeatable flags. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** What the command line asked for. */
export type ParsedCommandLine = { help: true } | { help: false; values: FlagValues; positionals: string[] };

/** Turns `parseArgs`' messages into ours: the flag named first, then where to look. */
function usageError(error: { code?: string; message: string }): CliError {
    const flag = /'(-[^' ]+)/.exec(error.message)?.[1];
    switch (error.code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
            return new CliError(`unknown flag ${flag}: see --help`);
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
            if (/ambiguous/.test(error.message)) {
                return new CliError(`${flag}: a value starting with "-" is written ${flag}=<value>`);
            }
            return new CliError(`${flag} ${/argument missing/.test(error.message) ? "needs a value" : "takes no value"}: see --help`);
        case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
            return new CliError(`unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ""}: this tool takes flags only, see --help`);
        default:
            return new CliError(error.message);
    }
}

/**
 * Parses a tool's arguments strictly against its spec. `--help`/`-h` anywhere wins, so that help works even
 * beside a bad flag. Pure.
 *
 * @throws CliError (exit 2) naming the unknown flag, or the flag whose value is missing
 */
export function parseCommandLine(spec: CliSpec, argv: readonly string[]): ParsedCommandLine {
    if (argv.includes("--help") || argv.includes("-h")) {
        return { help: true };
    }
    const options = Object.fromEntries(
        Object.entries({ ...spec.flags, help: HELP_FLAG }).map(([name, flag]) => [name, { type: flag.type, ...(flag.short ? { short: flag.short } : {}), ...(flag.multiple ? { multiple: true } : {}) }]),
    );
    try {
        const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: spec.positionals ?? false });
        return { help: false, values: values as FlagValues, positionals };
    } catch (error) {
        throw usageError(error as { code?: string; message: string });
    }
}

/**
 * The flags of a command line that is not a request for help: for tools and tests that parse raw arguments
 * outside the CLI runner. Pure.
 *
 * @throws CliError for `--help` and for anything {@link parseCommandLine} refuses
 */
export function flagsOf(spec: CliSpec, argv: readonly string[]): FlagValues {
    const parsed = parseCommandLine(spec, argv);
    if (parsed.help) {
        throw new CliError("--help asks for the help text, not a run");
    }
    return parsed.values;
}

/**
 * A flag's value as a positive integer.
 *
 * @throws CliError naming the flag, the value and what is allowed
 */
export function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
    if (value === undefined) {
        return fallback;
    }
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) {
        throw new CliError(`--${flag} ${value}: must be a whole number >= 1`);
    }
    return number;
}

/**
 * A flag's value checked against the allowed ones.
 *
 * @throws CliError naming the flag, the value and what is allowed
 */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback?: T): T {
    if (value === undefined && fallback !== undefined) {
        return fallback;
    }
    if (value === undefined || !(allowed as readonly string[]).includes(value)) {
        throw new CliError(`--${flag} ${value ?? "(missing)"}: must be one of ${allowed.join(", ")}`);
    }
    return value as T;
}
