import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** The repository root, where `Pulumi.yaml` and the `Pulumi.<stack>.yaml` files live. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** A stack file read for offline use: its config map as Pulumi hands it to a program, and which keys are secret. */
export interface StackFileConfig {
    /** `namespace:key` to text, objects as JSON: the shape of `pulumi.runtime.allConfig()`. */
    config: Record<string, string>;
    /** Keys whose value is encrypted in the file. Their value here is a placeholder, never the secret. */
    secretKeys: string[];
}

/** The text that stands in for an encrypted value when a stack file is read without the Pulumi CLI. */
export const SECRET_PLACEHOLDER = "offline-placeholder-secret";

/** The path of `Pulumi.<stack>.yaml`. */
export function stackFilePath(stack: string, root: string = PROJECT_ROOT): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}

/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI would hand it to the program, for tools and tests that
 * run without the CLI (render, sandbox, synth, policy, the mock harness). Encrypted values cannot be
 * decrypted here: they become {@link SECRET_PLACEHOLDER} and are listed in `secretKeys`.
 */
export function readStackFile(stack: string, root: string = PROJECT_ROOT): StackFileConfig {
    const file = stackFilePath(stack, root);
    const document = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(document.config ?? {})) {
        if (value !== null && typeof value === "object" && "secure" in value) {
            config[key] = SECRET_PLACEHOLDER;
            secretKeys.push(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { config, secretKeys };
}
