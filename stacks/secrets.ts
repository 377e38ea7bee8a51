import * as pulumi from "@pulumi/pulumi";
import type { StackSecrets } from "../components/backend";
import { CONFIG_NAMESPACE } from "./config/parse";
import type { SecretConfigKey } from "./config/secretKeys";

/** Reads each secret key the stack has set, only ever as a Pulumi secret. */
export function readStackSecrets(keys: readonly SecretConfigKey[]): StackSecrets {
    const config = new pulumi.Config(CONFIG_NAMESPACE);
    return Object.fromEntries(keys.map((key) => [key, config.requireSecret(key)]));
}
