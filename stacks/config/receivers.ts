import type { CrossFieldProblem, ParsedStackConfig } from "./schema";
import { RECEIVER_SECRET_KEY, SECRET_CONFIG_KEYS } from "./secretKeys";

/**
 * The checks of `redis:monitoring.receivers` and what each receiver needs, per backend. Self-hosted
 * deployments route alerts through Alertmanager (Slack, Discord, PagerDuty Events v2, e-mail over SMTP);
 * ElastiCache routes its alarms through the SNS topic (e-mail subscriptions, PagerDuty's CloudWatch
 * integration URL), which cannot post to a Slack or Discord webhook. Upstash gets no receiver (see
 * `applicability.ts`). Pure.
 */

/** Receivers SNS cannot deliver to, with what to do instead. */
const NOT_ON_ELASTICACHE: Partial<Record<string, string>> = {
    slack: "SNS cannot post to a Slack webhook: use \"pagerduty\" or \"email\", or subscribe AWS Chatbot to the stack's alarm topic (output by the ElastiCache component as topicArn)",
    discord: "SNS cannot post to a Discord webhook: use \"pagerduty\" or \"email\"",
};

/** The receiver problems of a stack. `secretKeys` holds the secret keys the stack has set. */
export function receiverProblems(config: ParsedStackConfig, secretKeys: ReadonlySet<string>): CrossFieldProblem[] {
    const problems: CrossFieldProblem[] = [];
    const add = (path: (string | number)[], message: string) => problems.push({ path, message });
    const { receivers, emailTo, smtp } = config.monitoring;
    if (config.backend === "upstash") {
        return problems;
    }
    if (new Set(receivers).size !== receivers.length) {
        add(["monitoring", "receivers"], "lists a receiver twice");
    }
    const email = receivers.includes("email");
    const needsSecret = (receiver: keyof typeof RECEIVER_SECRET_KEY) => {
        const key = RECEIVER_SECRET_KEY[receiver];
        if (!secretKeys.has(key)) {
            add(["monitoring", "receivers"], `includes "${receiver}" but secret redis:${key} (${SECRET_CONFIG_KEYS[key]}) is not set: run pulumi config set --secret redis:${key} ...`);
        }
    };
    if (config.backend === "elasticache") {
        for (const receiver of receivers) {
            const refusal = NOT_ON_ELASTICACHE[receiver];
            if (refusal !== undefined) {
                add(["monitoring", "receivers"], `includes "${receiver}", which backend "elasticache" cannot route alarms to: ${refusal}`);
            } else if (receiver === "pagerduty") {
                needsSecret(receiver);
            }
        }
        for (const key of ["slackWebhookUrl", "discordWebhookUrl", "smtpPassword"] as const) {
            if (secretKeys.has(key)) {
                add([key], `does not apply to backend "elasticache": ${key === "smtpPassword" ? "SNS sends the alarm e-mails itself" : "SNS cannot post to a webhook"}; remove it`);
            }
        }
    } else {
        receivers.forEach(needsSecret);
        if (email && smtp === undefined) {
            add(["monitoring", "smtp"], 'is required when monitoring.receivers includes "email": set smarthost and from');
        }
        if (!email && smtp !== undefined) {
            add(["monitoring", "smtp"], 'only applies when monitoring.receivers includes "email"');
        }
    }
    if (email && emailTo === undefined) {
        add(["monitoring", "emailTo"], 'is required when monitoring.receivers includes "email"');
    }
    if (!email && emailTo !== undefined) {
        add(["monitoring", "emailTo"], 'only applies when monitoring.receivers includes "email"');
    }
    return problems;
}
