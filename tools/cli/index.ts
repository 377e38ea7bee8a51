/** The command-line convention every tool of this repository follows: see docs/selfhosted.md "Tools". */
export { CliError, EXIT_FINDINGS, EXIT_USAGE } from "./errors";
export { flagsOf, oneOf, parseCommandLine, positiveInteger } from "./parse";
export type { FlagValues, ParsedCommandLine } from "./parse";
export { cliMain, PROCESS_IO, runCli } from "./run";
export type { CliArgs, CliIo, CliMain } from "./run";
export { helpText, HELP_FLAG, JSON_FLAG, STACK_FLAG } from "./spec";
export type { CliSpec, FlagSpec } from "./spec";
export { existingStacks, requireStack } from "./stacks";
