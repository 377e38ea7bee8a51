import type * as pulumi from "@pulumi/pulumi";
import type { AlertReceiver } from "./settings";

/**
 * The secret values a deployment may need, each its own Pulumi secret, never inside a plain object. The
 * stack files read them from `redis:<name>` secret config keys of the same names.
 */
export const SECRET_NAMES = {
    upstashApiKey: "the Upstash management API key",
    slackWebhookUrl: "the Slack incoming-webhook URL alerts are posted to",
    discordWebhookUrl: "the Discord webhook URL alerts are posted to",
    pagerdutyRoutingKey: "the PagerDuty Events v2 routing key",
    smtpPassword: "the password of the SMTP server alert e-mails are sent through",
} as const;

/** The name of a secret. */
export type SecretName = keyof typeof SECRET_NAMES;

/** The secret each alert receiver needs. */
export const RECEIVER_SECRET: Readonly<Record<AlertReceiver, SecretName>> = {
    slack: "slackWebhookUrl",
    discord: "discordWebhookUrl",
    pagerduty: "pagerdutyRoutingKey",
    email: "smtpPassword",
};

/** Secret values by name. Each may come from another resource or a StackReference; it is wrapped as a secret. */
export type RedisSecrets = Partial<Record<SecretName, pulumi.Input<string>>>;
