import * as pulumi from "@pulumi/pulumi";
import { RECEIVER_SECRET, RedisSecrets, SECRET_NAMES } from "../secrets";
import { AlertmanagerSettings, ReceiverSecrets, renderAlertmanagerConfig } from "./alertmanagerConfig";

/**
 * Renders `alertmanager.yml` from the stack's secret config values without ever unwrapping them outside an
 * `apply`: the result is a Pulumi secret, to be handed to a Kubernetes Secret or a Docker container's file
 * as is.
 *
 * @param settings the receivers and e-mail settings
 * @param secrets the stack's secret config values (`readStackSecrets`)
 * @throws Error before creating anything when a chosen receiver's secret is not set (names the key only)
 */
export function alertmanagerConfigSecret(settings: AlertmanagerSettings, secrets: RedisSecrets): pulumi.Output<string> {
    const needed: Record<string, pulumi.Input<string>> = {};
    for (const receiver of settings.receivers) {
        const key = RECEIVER_SECRET[receiver];
        const value = secrets[key];
        if (value === undefined) {
            throw new Error(`alertmanager receiver "${receiver}" needs ${SECRET_NAMES[key]}: run pulumi config set --secret redis:${key} ...`);
        }
        needed[key] = value;
    }
    return pulumi.secret(pulumi.all(needed).apply((values) => renderAlertmanagerConfig(settings, values as ReceiverSecrets)));
}
