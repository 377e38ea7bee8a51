import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Where the SNS topic of an ElastiCache deployment's alarms and events is delivered (`redis:monitoring.receivers`
 * and `redis:elasticache.notificationEmails`): e-mail subscriptions, and PagerDuty through its Amazon
 * CloudWatch integration, whose integration URL takes SNS notifications as they are (PagerDuty opens an
 * incident on ALARM and resolves it on OK, both of which the alarms publish).
 */

/** Who the alarm topic notifies. */
export interface AlarmReceivers {
    /** E-mail addresses: each gets an SNS e-mail subscription (confirmed by a link SNS mails once). @default [] */
    emails?: readonly string[];
    /**
     * The integration key of a PagerDuty "Amazon CloudWatch" integration (secret). It sits in the
     * subscription's URL, so the URL is a secret too. @default no PagerDuty subscription
     */
    pagerdutyIntegrationKey?: pulumi.Input<string>;
}

const INTEGRATION_KEY = /^[A-Za-z0-9]{20,64}$/;

/**
 * The URL SNS posts to for a PagerDuty CloudWatch integration. Pure.
 *
 * @throws Error (without the key) when the key is not 20 to 64 letters and digits, as PagerDuty issues them
 */
export function pagerDutyCloudWatchUrl(integrationKey: string): string {
    if (!INTEGRATION_KEY.test(integrationKey)) {
        throw new Error("redis:pagerdutyRoutingKey: must be a PagerDuty integration key (20 to 64 letters and digits); the value is not shown, it is a secret");
    }
    return `https://events.pagerduty.com/integration/${integrationKey}/enqueue`;
}

/** Subscribes each receiver to `topicArn`, as children of `parent` named after `name`. */
export function subscribeAlarmReceivers(name: string, topicArn: pulumi.Input<string>, receivers: AlarmReceivers, parent: pulumi.Resource): aws.sns.TopicSubscription[] {
    const subscriptions = (receivers.emails ?? []).map(
        (email, index) => new aws.sns.TopicSubscription(`${name}-email-${index}`, { topic: topicArn, protocol: "email", endpoint: email }, { parent }),
    );
    if (receivers.pagerdutyIntegrationKey !== undefined) {
        subscriptions.push(
            new aws.sns.TopicSubscription(
                `${name}-pagerduty`,
                {
                    topic: topicArn,
                    protocol: "https",
                    endpoint: pulumi.secret(pulumi.output(receivers.pagerdutyIntegrationKey).apply(pagerDutyCloudWatchUrl)),
                    // PagerDuty confirms the subscription itself.
                    endpointAutoConfirms: true,
                },
                { parent, additionalSecretOutputs: ["endpoint"] },
            ),
        );
    }
    return subscriptions;
}
