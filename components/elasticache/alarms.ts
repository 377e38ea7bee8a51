import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmSpec } from "./alarmSpecs";
import { AlarmReceivers, subscribeAlarmReceivers } from "./alarmSubscriptions";
import { runbookUrl } from "../monitoring/runbooks";

/** Arguments of {@link Alarms}. */
export interface AlarmsArgs {
    /** The cache's identifier, for the topic's display name and alarm names. */
    identifier: string;
    /** The alarms to create (none when alarms are off). */
    specs: AlarmSpec[];
    /** Who the topic notifies (e-mail, PagerDuty). @default nobody */
    receivers?: AlarmReceivers;
    /** Where the runbooks are read, for the link in each alarm's description (`redis:monitoring.runbookBaseUrl`). */
    runbookBaseUrl: string;
}

/**
 * The SNS topic ElastiCache events and CloudWatch alarms go to, its subscriptions (`alarmSubscriptions.ts`),
 * and one CloudWatch alarm per spec, notifying the topic when it fires and when it clears, its description
 * ending with the runbook's URL.
 *
 * The topic is not KMS-encrypted: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and
 * notifications carry metric names and node ids, never data.
 */
export class Alarms extends pulumi.ComponentResource {
    /** The topic's ARN. */
    public readonly topicArn: pulumi.Output<string>;

    /**
     * @param name the logical name; children are named after it
     * @param args the specs and subscribers
     * @param opts resource options
     * @throws Error before registering anything on a duplicate alarm key
     */
    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        validateAlarmsArgs(args.specs);
        super("redisplatform:elasticache:Alarms", name, {}, opts);

        const topic = new aws.sns.Topic(`${name}-topic`, { displayName: `ElastiCache ${args.identifier}` }, { parent: this });
        subscribeAlarmReceivers(name, topic.arn, args.receivers ?? {}, this);
        for (const spec of args.specs) {
            new aws.cloudwatch.MetricAlarm(
                `${name}-${spec.key}`,
                {
                    name: `${args.identifier}-${spec.key}`,
                    alarmDescription: `${spec.description}. Runbook: ${runbookUrl(args.runbookBaseUrl, spec.runbook)}`,
                    namespace: "AWS/ElastiCache",
                    metricName: spec.metricName,
                    dimensions: spec.dimensions,
                    statistic: spec.statistic,
                    period: spec.period,
                    evaluationPeriods: spec.evaluationPeriods,
                    datapointsToAlarm: spec.datapointsToAlarm,
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: spec.threshold,
                    treatMissingData: spec.treatMissingData,
                    alarmActions: [topic.arn],
                    okActions: [topic.arn],
                },
                { parent: this },
            );
        }
        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}

/**
 * Checks that every alarm key is unique, so no two alarms fight over one name.
 *
 * @throws Error naming the duplicate key
 */
export function validateAlarmsArgs(specs: readonly AlarmSpec[]): void {
    const keys = new Set<string>();
    for (const spec of specs) {
        if (keys.has(spec.key)) {
            throw new Error(`Alarms: specs has the key "${spec.key}" twice: every alarm needs its own key`);
        }
        keys.add(spec.key);
    }
}
