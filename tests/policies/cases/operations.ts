import { CLOUDWATCH, DOCKER, ELASTICACHE, KUBERNETES } from "../../../policies/rules/lib/types";
import * as operations from "../../../policies/rules/operations";
import { FixtureResource, one, RuleCase } from "../helpers";
import { statefulSet } from "./kubernetes";
import { REDIS_CONF } from "./redisConfig";

const cache: FixtureResource = { type: ELASTICACHE.replicationGroup, name: "cache", props: { description: "redis" } };
const alarm = (props: Record<string, unknown> = {}): FixtureResource => ({ type: CLOUDWATCH.metricAlarm, name: "cpu", props: { namespace: "AWS/ElastiCache", metricName: "CPUUtilization", alarmActions: ["arn:aws:sns:us-east-1:1:topic"], ...props } });
const redisPods: FixtureResource = { type: KUBERNETES.statefulSet, name: "redis", props: statefulSet() };
const exporterPods: FixtureResource = { type: KUBERNETES.statefulSet, name: "redis", props: statefulSet({}, {}, { containers: [{ name: "redis", image: "redis:7.2.5" }, { name: "exporter", image: "oliver006/redis_exporter:v1.66.0" }] }) };
const rules: FixtureResource = { type: KUBERNETES.configMap, name: "prometheus", props: { data: { "redis-rules.yml": "groups:\n  - name: redis\n    rules:\n      - alert: RedisDown\n        expr: redis_up == 0\n" } } };
const dockerNode = (envs: string[]): FixtureResource => ({ type: DOCKER.container, name: "redis-0", props: { image: `sha256:${"a".repeat(64)}`, envs, uploads: [{ file: "/etc/redis/node.conf", content: REDIS_CONF }] } });
const cronJob = (container: Record<string, unknown>) => one(KUBERNETES.cronJob, { spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "backup", image: "amazon/aws-cli:2.17.0", ...container }] } } } } } });

/** Fixtures of the operations rules. */
export const OPERATIONS_CASES: RuleCase[] = [
    {
        policy: operations.monitoringAlerts,
        pass: [
            { title: "a cache with an alarm that notifies", fixture: { resources: [cache, alarm()] } },
            { title: "Redis pods with an exporter and alert rules", fixture: { resources: [exporterPods, rules] } },
            { title: "Docker nodes with an exporter (by its settings) and uploaded rules", fixture: { resources: [dockerNode([]), { ...dockerNode(["REDIS_EXPORTER_WEB_LISTEN_ADDRESS=:9121"]), name: "exporter" }, { ...rules, name: "rules" }] } },
            { title: "nothing to watch (Upstash only)", fixture: one("upstash:index/redisDatabase:RedisDatabase", { databaseName: "x" }) },
        ],
        flag: [
            { title: "a cache without alarms", fixture: { resources: [cache] }, messages: ["cache: no CloudWatch alarm exists: alarm on it and route the alarms to someone (in this project: redis:elasticache.alarms)"] },
            {
                title: "a cache whose alarms notify nobody",
                fixture: { resources: [cache, alarm({ alarmActions: [] }), { ...alarm({ actionsEnabled: false }), name: "memory" }] },
                messages: ["cache: no CloudWatch alarm has an enabled alarm action: alarm on it and route the alarms to someone (in this project: redis:elasticache.alarms)"],
            },
            { title: "Redis pods without exporter or rules", fixture: { resources: [redisPods] }, messages: ["redis: no Redis exporter runs and no Prometheus alert rule exists: scrape it and alert on it so failures page someone (in this project: redis:monitoring)"] },
            { title: "an exporter but no alert rule", fixture: { resources: [exporterPods] }, messages: ["redis: no Prometheus alert rule exists: scrape it and alert on it so failures page someone (in this project: redis:monitoring)"] },
        ],
    },
    {
        policy: operations.backupEndpointTls,
        pass: [
            { title: "an https endpoint", fixture: cronJob({ env: [{ name: "BACKUP_S3_ENDPOINT", value: "https://minio.example:9000" }] }) },
            { title: "a local MinIO on loopback (dev)", fixture: one(DOCKER.container, { envs: ["BACKUP_S3_ENDPOINT=http://127.0.0.1:9000"] }) },
            { title: "plain-http telemetry (not an object store)", fixture: one(DOCKER.container, { envs: ["BACKUP_PUSHGATEWAY_URL=http://pushgateway:9091", "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318"] }) },
        ],
        flag: [
            {
                title: "an http endpoint in env and in --endpoint-url",
                fixture: cronJob({ env: [{ name: "AWS_ENDPOINT_URL_S3", value: "http://minio.storage:9000" }], args: ["s3", "cp", "--endpoint-url", "http://minio.storage:9000", "/data", "s3://b/"] }),
                messages: [
                    'container "backup" --endpoint-url http://minio.storage:9000 uses plain http: backups and credentials would cross the network unencrypted; use an https endpoint',
                    'container "backup" AWS_ENDPOINT_URL_S3=http://minio.storage:9000 uses plain http: backups and credentials would cross the network unencrypted; use an https endpoint',
                ],
            },
            {
                title: "an env file in a ConfigMap",
                fixture: one(KUBERNETES.configMap, { data: { "backup.env": "BACKUP_S3_ENDPOINT=http://10.0.0.5:9000\n" } }),
                messages: ["backup.env: BACKUP_S3_ENDPOINT=http://10.0.0.5:9000 uses plain http: backups and credentials would cross the network unencrypted; use an https endpoint"],
            },
        ],
    },
];
