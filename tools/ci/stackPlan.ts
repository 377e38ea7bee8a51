/** A credential a stack's `pulumi preview` or `up` needs from CI. */
export type CiCredential = "aws" | "kubernetes" | "upstash";

/** What CI can do with one stack beyond the offline checks every stack gets (policy report, synth snapshot). */
export interface StackCiPlan {
    stack: string;
    /** Whether a real `pulumi preview` can run on an ephemeral runner, given the credentials. */
    preview: boolean;
    /** The credentials the preview needs. */
    credentials: CiCredential[];
    /** The repository secret holding the kubeconfig, for Kubernetes stacks (`KUBECONFIG_STAGING`). */
    kubeconfigSecret?: string;
    /** Why there is no preview, or what it needs. */
    reason: string;
}

/** The secret name for a stack's kubeconfig: `KUBECONFIG_` and the stack name in upper case, `-` as `_`. Pure. */
export function kubeconfigSecretName(stack: string): string {
    return `KUBECONFIG_${stack.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** A stack file's `redis:selfhosted.platform`, if any. */
function platformOf(config: Readonly<Record<string, string>>): string | undefined {
    try {
        return (JSON.parse(config["redis:selfhosted"] ?? "{}") as { platform?: string }).platform;
    } catch {
        return undefined;
    }
}

/**
 * Decides from a stack file's config (`namespace:key` to text, as `readStackFile` gives it) what CI may run
 * for it. The Docker dev stack never: it deploys to a developer's own Docker engine, and a runner's engine
 * (with its volumes and published ports) is gone when the job ends. An Upstash stack only once its API key is
 * committed as an encrypted secret. Pure.
 */
export function stackCiPlan(stack: string, config: Readonly<Record<string, string>>, secretKeys: readonly string[]): StackCiPlan {
    const backend = config["redis:backend"];
    if (backend === "selfhosted") {
        const platform = platformOf(config);
        if (platform === "kubernetes") {
            const credentials: CiCredential[] = config["aws:region"] !== undefined ? ["kubernetes", "aws"] : ["kubernetes"];
            const secret = kubeconfigSecretName(stack);
            return { stack, preview: true, credentials, kubeconfigSecret: secret, reason: `needs the ${secret} repository secret (a kubeconfig for the stack's cluster)${credentials.includes("aws") ? " and the AWS preview role (backup bucket)" : ""}` };
        }
        return {
            stack,
            preview: false,
            credentials: [],
            reason: `a ${platform ?? "docker"} stack deploys to a developer's own engine, which an ephemeral CI runner does not have: run pulumi preview/up -s ${stack} locally; CI checks it offline (policy report, synth snapshot)`,
        };
    }
    if (backend === "upstash") {
        if (!secretKeys.includes("redis:upstashApiKey")) {
            return { stack, preview: false, credentials: ["upstash"], reason: `no Upstash API key in Pulumi.${stack}.yaml: run pulumi config set --secret redis:upstashApiKey <key> -s ${stack} and commit the file to get previews` };
        }
        return { stack, preview: true, credentials: ["upstash"], reason: "uses the encrypted redis:upstashApiKey of the stack file" };
    }
    return { stack, preview: true, credentials: ["aws"], reason: "needs the AWS preview role (vars.AWS_PREVIEW_ROLE_ARN)" };
}
