import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { stackRule } from "./lib/define";
import { credentialPaths } from "./lib/credentials";
import { DOCKER, ELASTICACHE, KMS, KUBERNETES, S3, UPSTASH } from "./lib/types";

export { credentialPaths };

/** Resources that hold data (or the key to it): deleting one loses the data. */
export const DATA_RESOURCE_TYPES: readonly string[] = [
    ELASTICACHE.replicationGroup,
    ELASTICACHE.serverlessCache,
    UPSTASH.redisDatabase,
    ...S3.buckets,
    KUBERNETES.statefulSet,
    KUBERNETES.persistentVolumeClaim,
    DOCKER.volume,
    KMS.key,
];

/** A `pulumi destroy` or a rename in code must not delete production data. */
export const prodDataProtected = stackRule({
    name: "stack-prod-data-protected",
    description: "Every data-bearing resource (caches, databases, buckets, volumes, StatefulSets, KMS keys) is protected from deletion (prod).",
    enforcementLevel: "mandatory",
    check: (resources, report) => {
        for (const resource of resources.filter((candidate) => DATA_RESOURCE_TYPES.includes(candidate.type))) {
            if (resource.opts?.protect !== true) {
                report(`${resource.name} (${resource.type}) is not protected: set protect: true (redis:protect) so it cannot be deleted by accident`, resource.urn);
            }
        }
    },
});

/** Outputs each resource type produces that are credentials, and so must be secret. */
export const SECRET_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
    "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
    "tls:index/privateKey:PrivateKey": ["privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"],
    [UPSTASH.redisDatabase]: ["password", "restToken", "readOnlyRestToken"],
    [ELASTICACHE.user]: ["passwords"],
    [KUBERNETES.secret]: ["data", "stringData"],
};

/** A stack output as the offline runner resolved it, with its secret flag. */
export interface StackOutputFact {
    value: unknown;
    secret: boolean;
}

/**
 * Stack validation args as the offline runner passes them: the engine's args plus the stack outputs with
 * their secret flags, which the engine does not expose to policies (it hands them over decrypted).
 */
export interface OfflineStackValidationArgs extends StackValidationArgs {
    stackOutputs?: Readonly<Record<string, StackOutputFact>>;
}

/** A password in a plain output is printed by `pulumi stack output` and stored unencrypted in the state. */
export const secretOutputs = stackRule({
    name: "stack-secret-outputs",
    description: "Every password, token and private key is secret: in resource outputs (additionalSecretOutputs) and in stack outputs.",
    enforcementLevel: "mandatory",
    check: (resources, report, _config, args) => {
        for (const resource of resources) {
            const required = SECRET_OUTPUTS[resource.type] ?? [];
            const marked = new Set(resource.opts?.additionalSecretOutputs ?? []);
            const missing = required.filter((output) => !marked.has(output));
            if (missing.length > 0) {
                report(`${resource.name} (${resource.type}): output ${missing.join(", ")} is not marked secret: list it in additionalSecretOutputs`, resource.urn);
            }
        }
        const outputs = (args as OfflineStackValidationArgs).stackOutputs ?? {};
        for (const [name, fact] of Object.entries(outputs).sort(([a], [b]) => a.localeCompare(b))) {
            if (!fact.secret) {
                for (const path of credentialPaths(fact.value, name)) {
                    report(`stack output ${path} holds a credential but is not secret: wrap it in pulumi.secret`);
                }
            }
        }
    },
});

/** Every stack-wide rule. */
export const STACK_RULES: StackValidationPolicy[] = [prodDataProtected, secretOutputs];
