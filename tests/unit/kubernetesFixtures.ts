import type { SelfHostedConfig } from "../../components/selfhosted/platform";
import { parseStackConfig } from "../../stacks/config/parse";

/**
 * A resolved self-hosted Kubernetes stack config, from a `selfhosted` section and other top-level keys,
 * through the real parser (so defaults are the shipped ones).
 */
export function kubernetesConfig(selfhosted: Record<string, unknown>, extra: Record<string, unknown> = {}): SelfHostedConfig {
    return parseStackConfig("test", kubernetesConfigMap(selfhosted, extra)) as SelfHostedConfig;
}

/** The stack config map (`redis:<key>` to text) of a self-hosted Kubernetes stack. */
export function kubernetesConfigMap(selfhosted: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, string> {
    const map: Record<string, string> = {
        "redis:backend": "selfhosted",
        "redis:environment": "dev",
        "redis:selfhosted": JSON.stringify({ platform: "kubernetes", ...selfhosted }),
    };
    for (const [key, value] of Object.entries(extra)) {
        map[`redis:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return map;
}
