/**
 * What a command-line tool of this repository declares about itself: the one source of its `--help` text,
 * its flag parser and its exit codes, shared by render, synth, verify, bench, drill, sandbox and day2.
 */

/** One flag, as `node:util` `parseArgs` takes it plus what `--help` says about it. */
export interface FlagSpec {
    type: "string" | "boolean";
    /** A one-letter alias (`-o`). */
    short?: string;
    /** Whether the flag may repeat (its value is then a list). */
    multiple?: boolean;
    /** The value's placeholder in `--help` (`<dir|->`). @default "<value>" */
    value?: string;
    /** What the flag does, including its default. */
    description: string;
}

/** A tool's declaration. */
export interface CliSpec {
    /** The npm script (`render`): the help says `npm run <name> -- ...`. */
    name: string;
    /** One sentence: what the tool does. */
    summary: string;
    /** Usage lines after `npm run <name> -- `. */
    usage: readonly string[];
    /** More paragraphs of explanation, if any. */
    details?: string;
    /** Flags besides `--help`/`-h`, which every tool has. */
    flags: Readonly<Record<string, FlagSpec>>;
    /** Whether the tool takes positional arguments (`bench throughput`). @default false */
    positionals?: boolean;
    /** The network ports the tool opens, or `none`. */
    ports: string;
    /** Roughly how long a run takes. */
    duration: string;
    /** What each exit code means; 0 and 2 are always documented. */
    exitCodes: Readonly<Record<number, string>>;
}

/** The flag every tool takes. */
export const HELP_FLAG: FlagSpec = { type: "boolean", short: "h", description: "print this help and exit 0" };

/** The flag of every tool that takes a stack. */
export const STACK_FLAG: FlagSpec = { type: "string", value: "<name>", description: "the stack: <name> of a Pulumi.<name>.yaml in the repository root" };

/** The flag of every tool that can print JSON. */
export const JSON_FLAG: FlagSpec = {
    type: "boolean",
    description: "print only JSON on stdout (one object, with a `status` field); progress and messages go to stderr",
};

/** The `--help` text of a tool. Pure. */
export function helpText(spec: CliSpec): string {
    const flags: [string, FlagSpec][] = [...Object.entries(spec.flags), ["help", HELP_FLAG]];
    const labels = flags.map(([name, flag]) => `${flag.short ? `-${flag.short}, ` : "    "}--${name}${flag.type === "string" ? ` ${flag.value ?? "<value>"}` : ""}`);
    const width = Math.max(...labels.map((label) => label.length)) + 2;
    const codes = { 0: "success", ...spec.exitCodes, 2: spec.exitCodes[2] ?? "bad usage: an unknown flag, a missing or bad value, a stack that does not exist" };
    return [
        `${spec.name}: ${spec.summary}`,
        "",
        "Usage:",
        ...spec.usage.map((line) => `  npm run ${spec.name} -- ${line}`),
        ...(spec.details ? ["", spec.details] : []),
        "",
        "Flags:",
        ...flags.map(([, flag], index) => `  ${labels[index].padEnd(width)}${flag.description}`),
        "",
        `Ports:     ${spec.ports}`,
        `Duration:  ${spec.duration}`,
        "",
        "Exit codes:",
        ...Object.entries(codes)
            .sort(([a], [b]) => Number(a) - Number(b))
            .map(([code, meaning]) => `  ${code}  ${meaning}`),
        "",
    ].join("\n");
}
