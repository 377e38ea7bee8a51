/** Options of the offline CLIs (`policy`, `synth`). */
export interface CliOptions {
    stack: string;
    json: boolean;
    out?: string;
    check: boolean;
}

/**
 * Parses `--stack <name> [--json] [--out FILE] [--check]`. Pure.
 *
 * @param allowed the flags this CLI accepts besides --stack
 * @throws Error naming the offending argument
 */
export function parseCliArgs(argv: readonly string[], allowed: readonly ("json" | "out" | "check")[]): CliOptions {
    const options: Partial<CliOptions> = { json: false, check: false };
    for (let index = 0; index < argv.length; index++) {
        const arg = argv[index];
        const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const takeValue = () => {
            const value = inline ?? argv[++index];
            if (value === undefined || value.startsWith("--")) {
                throw new Error(`${flag} needs a value`);
            }
            return value;
        };
        if (flag === "--stack") {
            options.stack = takeValue();
        } else if (flag === "--json" && allowed.includes("json")) {
            options.json = true;
        } else if (flag === "--check" && allowed.includes("check")) {
            options.check = true;
        } else if (flag === "--out" && allowed.includes("out")) {
            options.out = takeValue();
        } else {
            throw new Error(`unknown argument "${arg}": use --stack <name>${allowed.map((name) => (name === "out" ? " [--out FILE]" : ` [--${name}]`)).join("")}`);
        }
    }
    if (options.stack === undefined || !/^[A-Za-z0-9_.-]+$/.test(options.stack)) {
        throw new Error("--stack <name> is required (the <name> of a Pulumi.<name>.yaml)");
    }
    return options as CliOptions;
}
