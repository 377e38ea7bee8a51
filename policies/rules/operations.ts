import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { envPairs } from "./lib/credentials";
import { resourceRule, stackRule } from "./lib/define";
import { podTemplateOf, runsRedis, WORKLOAD_TYPES } from "./lib/pods";
import { ofTypes } from "./lib/relations";
import { deliveredFiles, renderedFilesOf } from "./lib/renderedFiles";
import { CLOUDWATCH, DOCKER, ELASTICACHE, KUBERNETES } from "./lib/types";
import { records, strings } from "./lib/values";

const CACHES = [ELASTICACHE.replicationGroup, ELASTICACHE.serverlessCache, ELASTICACHE.cluster];

/** Whether a CloudWatch alarm would tell someone: actions enabled and at least one alarm action. */
function alarmNotifies(alarm: PolicyResource): boolean {
    return alarm.props.actionsEnabled !== false && strings(alarm.props.alarmActions).length > 0;
}

/** Whether a resource runs a Redis exporter: by its image, or (Docker, where images are ids) by its exporter settings. */
function runsExporter(resource: PolicyResource): boolean {
    const exporterImage = (image: unknown) => /redis[_-]exporter/i.test(String(image ?? ""));
    if (resource.type === DOCKER.container) {
        return exporterImage(resource.props.image) || strings(resource.props.envs).some((entry) => entry.startsWith("REDIS_EXPORTER_") || entry.startsWith("REDIS_ADDR="));
    }
    return podTemplateOf(resource.type, resource.props)?.containers.some((container) => exporterImage(container.image)) ?? false;
}

/** Whether the stack defines Prometheus alerting rules (a rule file with `alert:` entries, or a PrometheusRule). */
function hasAlertRules(resources: readonly PolicyResource[]): boolean {
    return ofTypes(resources, [KUBERNETES.prometheusRule]).length > 0 || resources.some((resource) => deliveredFiles(resource.type, resource.props ?? {}).some(({ content }) => /^\s*-?\s*alert:\s*\S/m.test(content)));
}

/** The self-hosted Redis resources of the stack: what carries rendered Redis config, or runs Redis pods. */
function selfHostedRedis(resources: readonly PolicyResource[]): PolicyResource[] {
    return resources.filter((resource) => {
        const template = podTemplateOf(resource.type, resource.props);
        return (template !== undefined && runsRedis(template)) || renderedFilesOf(resource.type, resource.props ?? {}).some((file) => file.kind === "redis" || file.kind === "sentinel");
    });
}

/** A production Redis nobody is paged about fails silently until the application does. */
export const monitoringAlerts = stackRule({
    name: "stack-monitoring-alerts",
    description: "Every Redis the stack runs is watched (prod): ElastiCache by CloudWatch alarms that notify someone; self-hosted Redis by an exporter and Prometheus alert rules.",
    enforcementLevel: "mandatory",
    check: (resources, report) => {
        const caches = ofTypes(resources, CACHES);
        const alarms = ofTypes(resources, [CLOUDWATCH.metricAlarm]);
        if (caches.length > 0 && !alarms.some(alarmNotifies)) {
            const why = alarms.length === 0 ? "no CloudWatch alarm exists" : "no CloudWatch alarm has an enabled alarm action";
            for (const cache of caches) {
                report(`${cache.name}: ${why}: alarm on it and route the alarms to someone (in this project: redis:elasticache.alarms)`, cache.urn);
            }
        }
        const selfHosted = selfHostedRedis(resources);
        if (selfHosted.length === 0) {
            return;
        }
        const missing = [resources.some(runsExporter) ? undefined : "no Redis exporter runs", hasAlertRules(resources) ? undefined : "no Prometheus alert rule exists"].filter((problem) => problem !== undefined);
        if (missing.length > 0) {
            report(`${selfHosted[0].name}: ${missing.join(" and ")}: scrape it and alert on it so failures page someone (in this project: redis:monitoring)`, selfHosted[0].urn);
        }
    },
});

/**
 * Names of settings that carry an object-store endpoint: `AWS_ENDPOINT_URL(_S3)`, `BACKUP_S3_ENDPOINT`,
 * `S3_ENDPOINT`, `MINIO_ENDPOINT`, ...; not telemetry endpoints (`OTEL_..._ENDPOINT`) or metric pushes.
 */
const ENDPOINT_NAME = /(S3|BACKUP|AWS|MINIO|BUCKET|OBJECT_?STORE)\w*ENDPOINT|S3\w*URL|ENDPOINT_URL/i;

/** Whether a URL is plain http to a host other than loopback. */
export function plainHttpRemote(url: string): boolean {
    const match = /^http:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(url.trim());
    return match !== null && !/^(localhost|127(\.[0-9]+){3}|\[::1\])$/i.test(match[1]);
}

/** The endpoint settings of one resource that use plain http: env variables, env files, `--endpoint-url` arguments. */
function plainEndpoints(type: string, props: Record<string, any>): string[] {
    const fromPairs = (where: string, pairs: [string, string][]) => pairs.filter(([name, value]) => ENDPOINT_NAME.test(name) && plainHttpRemote(value)).map(([name, value]) => `${where}${name}=${value}`);
    const fromArgs = (where: string, args: readonly string[]) =>
        args.flatMap((arg, index) => {
            const inline = /--endpoint(-url)?[= ](\S+)/.exec(arg)?.[2];
            const next = /^--endpoint(-url)?$/.test(arg) ? args[index + 1] : undefined;
            return [inline, next].filter((url): url is string => url !== undefined && plainHttpRemote(url)).map((url) => `${where}--endpoint-url ${url}`);
        });
    if (type === DOCKER.container) {
        return [...fromPairs("", envPairs(strings(props.envs))), ...fromArgs("", [...strings(props.entrypoints), ...strings(props.command)])];
    }
    if (type === KUBERNETES.configMap || type === KUBERNETES.secret) {
        return deliveredFiles(type, props).flatMap(({ file, content }) => fromPairs(`${file}: `, envPairs(content.split(/\r?\n/))));
    }
    return (podTemplateOf(type, props)?.containers ?? []).flatMap((container) => {
        const where = `container ${JSON.stringify(container.name ?? "?")} `;
        const env = records(container.env)
            .filter((variable) => typeof variable.name === "string" && typeof variable.value === "string")
            .map((variable) => [variable.name, variable.value] as [string, string]);
        return [...fromPairs(where, env), ...fromArgs(where, [...strings(container.command), ...strings(container.args)])];
    });
}

/** Backups hold every key: over plain http they, and the request signatures, cross the network readable. */
export const backupEndpointTls = resourceRule({
    name: "backup-endpoint-tls",
    description: "Object-store endpoints for backups (settings such as AWS_ENDPOINT_URL, BACKUP_S3_ENDPOINT, S3_ENDPOINT, and --endpoint-url arguments) use https, except on loopback.",
    enforcementLevel: "mandatory",
    types: [...WORKLOAD_TYPES, DOCKER.container, KUBERNETES.configMap, KUBERNETES.secret],
    check: (props, report, _config, args) => {
        for (const setting of plainEndpoints(args.type, props)) {
            report(`${setting} uses plain http: backups and credentials would cross the network unencrypted; use an https endpoint`);
        }
    },
});

/** Every operations rule that looks at one resource. */
export const OPERATIONS_RESOURCE_RULES: ResourceValidationPolicy[] = [backupEndpointTls];

/** Every operations rule that looks at the whole stack. */
export const OPERATIONS_STACK_RULES: StackValidationPolicy[] = [monitoringAlerts];
