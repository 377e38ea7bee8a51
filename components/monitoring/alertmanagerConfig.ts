import { stringify } from "yaml";
import { PRIMARY_MISSING_ALERT, REPLICA_SCOPE_LABEL } from "./alertRules";

/**
 * `alertmanager.yml`: where alerts go. Critical alerts page (PagerDuty) and every alert goes to the chat and
 * e-mail receivers; replica alerts are held back while their deployment's primary is missing, since they
 * are its consequence. Pure: the secrets arrive as plain strings, so callers render inside a Pulumi
 * `apply` and mark the result secret (see `alertmanagerSecret.ts`).
 */

/** The receivers a stack can configure (`redis:monitoring.receivers`). */
export type ReceiverKind = "slack" | "discord" | "pagerduty" | "email";

/** The secret values the chosen receivers need, each from its own secret config key. */
export interface ReceiverSecrets {
    /** `redis:slackWebhookUrl`. */
    slackWebhookUrl?: string;
    /** `redis:discordWebhookUrl`. */
    discordWebhookUrl?: string;
    /** `redis:pagerdutyRoutingKey` (Events API v2). */
    pagerdutyRoutingKey?: string;
    /** `redis:smtpPassword`. */
    smtpPassword?: string;
}

/** The SMTP server and addresses of the e-mail receiver. */
export interface EmailSettings {
    /** Where alerts are sent. */
    to: string;
    /** The sender address. */
    from: string;
    /** `host:port` of the SMTP server (submission with STARTTLS, usually port 587). */
    smarthost: string;
    /** The SMTP login. @default the `from` address */
    username?: string;
}

/** What {@link alertmanagerConfig} needs, secrets aside. */
export interface AlertmanagerSettings {
    receivers: ReceiverKind[];
    /** Required when `receivers` includes `email`. */
    email?: EmailSettings;
    /** How long to wait to group the first alerts of a group, in seconds. @default 30 */
    groupWaitSeconds?: number;
    /** How long to wait before notifying about new alerts of a group already notified, in seconds. @default 300 */
    groupIntervalSeconds?: number;
    /** How long before a still-firing alert is notified again, in hours. @default 4 */
    repeatIntervalHours?: number;
    /** Overrides the PagerDuty Events API URL (tests point it at a local server). @default Alertmanager's */
    pagerdutyUrl?: string;
}

/** Receiver that pages: PagerDuty, critical alerts only. */
export const PAGER_RECEIVER = "pager";
/** Receiver for every alert: Slack, Discord and e-mail. */
export const NOTIFY_RECEIVER = "notify";
/** Receiver that drops alerts, the root's when nothing else is configured. */
export const NULL_RECEIVER = "null";

const REQUIRED_SECRET: Readonly<Record<ReceiverKind, keyof ReceiverSecrets>> = {
    slack: "slackWebhookUrl",
    discord: "discordWebhookUrl",
    pagerduty: "pagerdutyRoutingKey",
    email: "smtpPassword",
};

/**
 * Checks that every chosen receiver has its secret and settings.
 *
 * @throws Error naming the receiver and the missing value, never a secret's value
 */
export function validateAlertmanagerInput(settings: AlertmanagerSettings, secrets: ReceiverSecrets): void {
    if (new Set(settings.receivers).size !== settings.receivers.length) {
        throw new Error(`alertmanager receivers ${settings.receivers.join(", ")}: a receiver is listed twice`);
    }
    for (const receiver of settings.receivers) {
        const key = REQUIRED_SECRET[receiver];
        const value = secrets[key];
        if (value === undefined || value === "") {
            throw new Error(`alertmanager receiver "${receiver}" needs the secret redis:${key}, which is not set`);
        }
    }
    for (const [receiver, key] of [
        ["slack", "slackWebhookUrl"],
        ["discord", "discordWebhookUrl"],
    ] as const) {
        const value = secrets[key];
        if (settings.receivers.includes(receiver) && value !== undefined && !/^https?:\/\/\S+$/.test(value)) {
            throw new Error(`alertmanager receiver "${receiver}": redis:${key} must be an http(s) URL (value not shown)`);
        }
    }
    if (settings.receivers.includes("email")) {
        if (settings.email === undefined) {
            throw new Error('alertmanager receiver "email" needs the e-mail settings (to, from, smarthost)');
        }
        if (!/^[^\s:]+:[0-9]{1,5}$/.test(settings.email.smarthost)) {
            throw new Error(`alertmanager e-mail smarthost "${settings.email.smarthost}": must be host:port, such as smtp.example.com:587`);
        }
    }
}

const SLACK_TITLE = '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.deployment }})';
const SLACK_TEXT = "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n{{ if .Annotations.runbook_url }}Runbook: {{ .Annotations.runbook_url }}\n{{ end }}{{ end }}";
/** The runbook of the group's first alert, as a link on the PagerDuty incident (every rule carries one). */
const PAGERDUTY_LINKS = [{ href: "{{ (index .Alerts 0).Annotations.runbook_url }}", text: "Runbook" }];

/** The Alertmanager configuration as a plain object, secrets included. */
export function alertmanagerConfig(settings: AlertmanagerSettings, secrets: ReceiverSecrets): Record<string, unknown> {
    validateAlertmanagerInput(settings, secrets);
    const has = (receiver: ReceiverKind) => settings.receivers.includes(receiver);
    const email = settings.email;

    const notify: Record<string, unknown> = { name: NOTIFY_RECEIVER };
    if (has("slack")) {
        notify.slack_configs = [{ api_url: secrets.slackWebhookUrl, send_resolved: true, title: SLACK_TITLE, text: SLACK_TEXT }];
    }
    if (has("discord")) {
        notify.discord_configs = [{ webhook_url: secrets.discordWebhookUrl, send_resolved: true, title: SLACK_TITLE, message: SLACK_TEXT }];
    }
    if (has("email") && email !== undefined) {
        notify.email_configs = [{ to: email.to, send_resolved: true }];
    }
    const chat = has("slack") || has("discord") || has("email");
    const receivers: Record<string, unknown>[] = [{ name: NULL_RECEIVER }];
    if (chat) {
        receivers.push(notify);
    }
    if (has("pagerduty")) {
        receivers.push({
            name: PAGER_RECEIVER,
            pagerduty_configs: [{ routing_key: secrets.pagerdutyRoutingKey, send_resolved: true, severity: "critical", description: SLACK_TITLE, links: PAGERDUTY_LINKS }],
        });
    }

    const routes: Record<string, unknown>[] = [];
    if (has("pagerduty")) {
        routes.push({ receiver: PAGER_RECEIVER, matchers: ['severity="critical"'], continue: chat });
    }
    if (chat) {
        routes.push({ receiver: NOTIFY_RECEIVER });
    }

    const global: Record<string, unknown> = { resolve_timeout: "5m" };
    if (has("email") && email !== undefined) {
        Object.assign(global, {
            smtp_smarthost: email.smarthost,
            smtp_from: email.from,
            smtp_auth_username: email.username ?? email.from,
            smtp_auth_password: secrets.smtpPassword,
            smtp_require_tls: true,
        });
    }
    if (settings.pagerdutyUrl !== undefined) {
        global.pagerduty_url = settings.pagerdutyUrl;
    }

    return {
        global,
        route: {
            receiver: NULL_RECEIVER,
            group_by: ["alertname", "deployment"],
            group_wait: `${settings.groupWaitSeconds ?? 30}s`,
            group_interval: `${settings.groupIntervalSeconds ?? 300}s`,
            repeat_interval: `${settings.repeatIntervalHours ?? 4}h`,
            routes,
        },
        receivers,
        inhibit_rules: [
            {
                source_matchers: [`alertname="${PRIMARY_MISSING_ALERT}"`],
                target_matchers: [`scope="${REPLICA_SCOPE_LABEL.scope}"`],
                equal: ["deployment"],
            },
            {
                // The critical memory alert says all the warning one would.
                source_matchers: ['alertname="RedisMemoryCritical"'],
                target_matchers: ['alertname="RedisMemoryHigh"'],
                equal: ["deployment", "node"],
            },
        ],
    };
}

/** `alertmanager.yml` as text. Holds secrets: render it only inside an `apply` whose result is secret. */
export function renderAlertmanagerConfig(settings: AlertmanagerSettings, secrets: ReceiverSecrets): string {
    return stringify(alertmanagerConfig(settings, secrets), { lineWidth: 0 });
}

/** The placeholder that stands for every secret in a redacted rendering. */
export const REDACTED = "<redacted>";

/**
 * `alertmanager.yml` with every secret replaced by {@link REDACTED}, for `npm run render` and reviews. The
 * placeholders are shaped so the redacted file still validates (`amtool check-config`).
 */
export function renderRedactedAlertmanagerConfig(settings: AlertmanagerSettings): string {
    const url = `https://redacted.invalid/${REDACTED}`;
    return renderAlertmanagerConfig(settings, { slackWebhookUrl: url, discordWebhookUrl: url, pagerdutyRoutingKey: REDACTED, smtpPassword: REDACTED });
}
