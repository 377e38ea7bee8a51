import { ConfigError } from "./errors";
import { resolveStackConfig, ResolvedStackConfig } from "./resolve";
import { isSecretConfigKey, SecretConfigKey } from "./secretKeys";
import { validateStackConfig } from "./validate";

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
    const validation = validateStackConfig(CONFIG_NAMESPACE, raw, secretKeys);
    if (!validation.ok) {
        throw new ConfigError(stack, validation.problems);
    }
    return resolveStackConfig(stack, validation.parsed, secretKeys);
}
