/**
 * Config keys under `redis` that hold secrets. Each is its own key, set with `pulumi config set --secret`,
 * and read only through `config.requireSecret`, so no secret ever travels inside a plain object.
 */
export const SECRET_CONFIG_KEYS = {
    upstashApiKey: "the Upstash management API key",
    slackWebhookUrl: "the Slack incoming-webhook URL alerts are posted to",
    discordWebhookUrl: "the Discord webhook URL alerts are posted to",
    pagerdutyRoutingKey: "the PagerDuty Events v2 routing key",
    smtpPassword: "the password of the SMTP server alert e-mails are sent through",
} as const;

/** The name of a secret config key. */
export type SecretConfigKey = keyof typeof SECRET_CONFIG_KEYS;

/** Whether a key under `redis` is one of the secret keys. */
export function isSecretConfigKey(key: string): key is SecretConfigKey {
    return Object.prototype.hasOwnProperty.call(SECRET_CONFIG_KEYS, key);
}

/** The secret key each alert receiver needs. */
export const RECEIVER_SECRET_KEY: Readonly<Record<"slack" | "discord" | "pagerduty" | "email", SecretConfigKey>> = {
    slack: "slackWebhookUrl",
    discord: "discordWebhookUrl",
    pagerduty: "pagerdutyRoutingKey",
    email: "smtpPassword",
};
