import * as stack from "../../../policies/rules/stack";
import { Fixture, RuleCase } from "../helpers";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const BUCKET = "aws:s3/bucket:Bucket";

const data = (protect: boolean): Fixture => ({
    resources: [
        { type: "redisplatform:index:Redis", name: "redis", props: {} },
        { type: GROUP, name: "redis-rg", props: { replicationGroupId: "redis-prod" }, protect },
        { type: BUCKET, name: "backups", props: {}, protect },
        { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "cpu", props: {} },
    ],
});

const password = (additionalSecretOutputs: string[]): Fixture => ({
    resources: [{ type: "random:index/randomPassword:RandomPassword", name: "app-password", props: { length: 40 }, additionalSecretOutputs }],
});

const outputs = (secretUrl: boolean): Fixture => ({
    resources: [],
    outputs: {
        connection: { value: { mode: "standalone", endpoints: [{ host: "redis.example", port: 6379 }], tls: { enabled: true, caCertPem: "-----BEGIN CERTIFICATE-----" } }, secret: false },
        credentials: { value: { app: { username: "app", password: "MOCK-SECRET-password" } }, secret: true },
        url: { value: "rediss://app:MOCK-SECRET-password@redis.example:6379", secret: secretUrl },
    },
});

/** Fixtures of the stack-wide rules. */
export const STACK_CASES: RuleCase[] = [
    {
        policy: stack.prodDataProtected,
        pass: [{ title: "protected data resources (components and alarms need no protection)", fixture: data(true) }],
        flag: [
            {
                title: "unprotected data resources",
                fixture: data(false),
                messages: [
                    "backups (aws:s3/bucket:Bucket) is not protected: set protect: true (redis:protect) so it cannot be deleted by accident",
                    "redis-rg (aws:elasticache/replicationGroup:ReplicationGroup) is not protected: set protect: true (redis:protect) so it cannot be deleted by accident",
                ],
            },
        ],
    },
    {
        policy: stack.secretOutputs,
        pass: [
            { title: "a password resource whose outputs are secret", fixture: password(["bcryptHash", "result"]) },
            { title: "secret credential outputs", fixture: outputs(true) },
        ],
        flag: [
            {
                title: "a password resource whose result is not secret",
                fixture: password(["bcryptHash"]),
                messages: ["app-password (random:index/randomPassword:RandomPassword): output result is not marked secret: list it in additionalSecretOutputs"],
            },
            { title: "a plain URL output carrying a password", fixture: outputs(false), messages: ["stack output url holds a credential but is not secret: wrap it in pulumi.secret"] },
            {
                title: "a plain output with a nested password and a private key",
                fixture: { resources: [], outputs: { connection: { value: { admin: { password: "x" }, tls: { keyPem: `-----BEGIN ${"PRIVATE"} KEY-----` } }, secret: false } } },
                messages: ["stack output connection.admin.password holds a credential but is not secret: wrap it in pulumi.secret", "stack output connection.tls.keyPem holds a credential but is not secret: wrap it in pulumi.secret"],
            },
        ],
    },
];
