import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT, stackFilePath } from "../../stacks/config/stackFile";
import { OfflineTarget, shippedTarget, stackNameOf } from "./offlineTarget";

/** What `npm run policy` was asked to do. */
export type PolicyCommand =
    | { help: true }
    | { help: false; target: OfflineTarget; shipped: boolean; policyConfigFile?: string; json: boolean };

/** The tool's `--help` text. */
export const POLICY_HELP = `Usage: npm run policy -- (--stack <name> | --stack-file <Pulumi.<stack>.yaml> | --program <file>) [options]

Checks a stack against the policy pack offline: runs the program under Pulumi's mock runtime (no Pulumi CLI,
no cloud, no files written), then runs every rule on every registered resource and the stack rules once.
Takes about 5 s per stack.

Target (one of --stack / --stack-file; --program may be added to either, or given alone):
  --stack <name>            a shipped stack: Pulumi.<name>.yaml in this checkout, with policies/config.<name>.json
  --stack-file <path>       any Pulumi.<stack>.yaml: its config is handed to the program; the stack name comes
                            from the file name
  --program <file>          your own program (.ts or .js) that uses this library: its top level registers
                            resources, its exports (or the result of an exported function) are the stack
                            outputs; without it, this project's program (stacks/program.ts) runs

Options:
  --policy-config <path>    levels and rule settings, as for pulumi preview --policy-pack-config. Default:
                            policies/config.<stack>.json for a shipped stack, else the defaults of the
                            stack's redis:environment (policies/environments/<env>.json), else the pack's own
  --json                    print only one JSON line on stdout (the table goes to stderr):
                            {"stack","status":"passed"|"failed"|"unavailable"|"error","rules","resources",
                             "violations","findings":[{rule,level,resource,type,urn,message}],"policyConfig"}
  -h, --help                this text

Paths are relative to the directory npm was run in.

Exit codes: 0 no mandatory violation; 1 mandatory violations, or the program failed; 2 bad usage;
3 not checked because the stack's backend has not landed yet.`;

/** The shipped stacks: the `<name>` of each `Pulumi.<name>.yaml` of the checkout. */
export function shippedStacks(root: string = PROJECT_ROOT): string[] {
    return readdirSync(root)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/** Turns a `util.parseArgs` error into a message that names the flag. */
function usageProblem(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const named = /'([^' ]+)/.exec(message)?.[1] ?? "?";
    switch ((error as { code?: string }).code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
            return `unknown flag ${named} (see --help)`;
        case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
            return `unexpected argument ${named}: every input is a flag (see --help)`;
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
            return message.includes("does not take") ? `${named} takes no value` : `${named} needs a value`;
        default:
            return message;
    }
}

/**
 * Parses the policy tool's arguments. Pure apart from checking that a named shipped stack exists. File
 * paths are taken relative to `cwd`: `npm run` starts the tool in the project root, so the CLI passes the
 * directory the user ran npm in (`INIT_CWD`).
 *
 * @throws Error naming the offending flag or value (the CLI exits 2)
 */
export function parsePolicyArgs(argv: readonly string[], cwd: string = process.cwd(), root: string = PROJECT_ROOT): PolicyCommand {
    let values: Record<string, string | boolean | undefined>;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            strict: true,
            allowPositionals: false,
            options: {
                stack: { type: "string" },
                "stack-file": { type: "string" },
                program: { type: "string" },
                "policy-config": { type: "string" },
                json: { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
        }));
    } catch (error) {
        throw new Error(usageProblem(error));
    }
    if (values.help === true) {
        return { help: true };
    }
    const fromCwd = (file: unknown) => (typeof file === "string" ? path.resolve(cwd, file) : undefined);
    const stack = values.stack as string | undefined;
    const stackFile = fromCwd(values["stack-file"]);
    const program = fromCwd(values.program);
    if (stack !== undefined && stackFile !== undefined) {
        throw new Error("--stack and --stack-file both name the stack: give one");
    }
    const common = { policyConfigFile: fromCwd(values["policy-config"]), json: values.json === true };
    if (stack !== undefined) {
        if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !existsSync(stackFilePath(stack, root))) {
            throw new Error(`--stack ${stack}: no Pulumi.${stack}.yaml here; the stacks are: ${shippedStacks(root).join(", ")} (use --stack-file for a stack file elsewhere)`);
        }
        return { help: false, target: { ...shippedTarget(stack), program }, shipped: program === undefined, ...common };
    }
    if (stackFile !== undefined) {
        return { help: false, target: { stack: stackNameOf(stackFile), stackFile, program }, shipped: false, ...common };
    }
    if (program !== undefined) {
        return { help: false, target: { stack: "offline", program }, shipped: false, ...common };
    }
    throw new Error(`give --stack <name> (one of ${shippedStacks(root).join(", ")}), --stack-file <path> or --program <file>; see --help`);
}
