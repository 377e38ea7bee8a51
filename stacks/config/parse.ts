import { ConfigError, ConfigProblem, formatKeyPath, formatValue, problemsFromIssues, valueAt } from "./errors";
import { resolveStackConfig, ResolvedStackConfig } from "./resolve";
import { crossFieldProblems, stackConfigSchema } from "./schema";
import { isSecretConfigKey, SecretConfigKey } from "./secretKeys";

/** The config namespace every key of this program lives in (`redis:backend`, `redis:selfhosted`, ...). */
export const CONFIG_NAMESPACE = "redis";

/** Reads one config value as Pulumi stores it (always text): JSON when it parses, the text otherwise. */
export function parseConfigValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/**
 * Splits a stack's whole config map (`namespace:key` to text, as `pulumi.runtime.allConfig()` returns it)
 * into this program's plain keys, parsed from JSON, and the names of the secret keys that are set. Secret
 * values are left out on purpose: they are read later, only as Pulumi secrets.
 */
export function splitConfigMap(allConfig: Readonly<Record<string, string>>): { raw: Record<string, unknown>; secretKeys: SecretConfigKey[] } {
    const raw: Record<string, unknown> = {};
    const secretKeys: SecretConfigKey[] = [];
    for (const [fullKey, text] of Object.entries(allConfig)) {
        const separator = fullKey.indexOf(":");
        if (fullKey.slice(0, separator) !== CONFIG_NAMESPACE) {
            continue;
        }
        const key = fullKey.slice(separator + 1);
        if (isSecretConfigKey(key)) {
            secretKeys.push(key);
        } else {
            raw[key] = parseConfigValue(text);
        }
    }
    return { raw, secretKeys: secretKeys.sort() };
}

/**
 * Validates and resolves a stack's config in one step. Pure: it registers nothing, so a bad config fails
 * before the program creates any resource.
 *
 * @param stack the stack name, for the error message
 * @param allConfig the whole config map of the stack (`pulumi.runtime.allConfig()`)
 * @throws ConfigError listing every problem with its key path, value and what is allowed
 */
export function parseStackConfig(stack: string, allConfig: Readonly<Record<string, string>>): ResolvedStackConfig {
    const { raw, secretKeys } = splitConfigMap(allConfig);
    const result = stackConfigSchema.safeParse(raw);
    if (!result.success) {
        throw new ConfigError(stack, problemsFromIssues(CONFIG_NAMESPACE, stackConfigSchema, raw, result.error.issues));
    }
    const crossField = crossFieldProblems(result.data, new Set(secretKeys));
    if (crossField.length > 0) {
        const problems: ConfigProblem[] = crossField.map((problem) => ({
            key: formatKeyPath(CONFIG_NAMESPACE, problem.path),
            value: isSecretConfigKey(String(problem.path[0]))
                ? secretKeys.includes(problem.path[0] as SecretConfigKey)
                    ? "(secret)"
                    : "(not set)"
                : formatValue(valueAt(raw, problem.path)),
            message: problem.message,
        }));
        throw new ConfigError(stack, problems);
    }
    return resolveStackConfig(stack, result.data, secretKeys);
}
