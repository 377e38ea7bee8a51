import { existsSync, readdirSync } from "node:fs";
import { PROJECT_ROOT, stackFilePath } from "../../stacks/config/stackFile";
import { CliError } from "./errors";

/** The stacks of the repository: the `<name>` of every `Pulumi.<name>.yaml`, sorted. */
export function existingStacks(root: string = PROJECT_ROOT): string[] {
    return readdirSync(root)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/**
 * The `--stack` value, checked: given, and a stack that exists.
 *
 * @throws CliError (exit 2) listing the stacks that exist
 */
export function requireStack(value: string | boolean | string[] | undefined, root: string = PROJECT_ROOT): string {
    const stacks = existingStacks(root);
    if (typeof value !== "string" || value === "") {
        throw new CliError(`--stack <name> is required; stacks: ${stacks.join(", ")}`);
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(value) || !existsSync(stackFilePath(value, root))) {
        throw new CliError(`stack "${value}" does not exist (no Pulumi.${value}.yaml); stacks: ${stacks.join(", ")}`);
    }
    return value;
}
