import { stringify } from "yaml";
import { ExporterKind, SCRAPE_LABELS } from "./metrics";

/**
 * `prometheus.yml` for the bundled monitoring stack: one scrape job per deployment and exporter kind, with
 * the `deployment`, `node` and `kind` labels every alert rule and dashboard query selects on. Pure.
 */

/** One exporter to scrape. */
export interface ExporterTarget {
    /** `host:port` of the exporter's metrics endpoint. */
    address: string;
    /** The node the exporter watches, such as `redis-0` or `sentinel-1`. */
    node: string;
    kind: ExporterKind;
}

/**
 * The Envoy proxy of a deployment, scraped at `/stats/prometheus` with `kind="proxy"`: fixed targets (Docker),
 * or a DNS name whose A records are the proxy pods (a headless Service on Kubernetes), each pod its own
 * target with its address as the `node` label.
 */
export type ProxyScrapeTarget = { static: { address: string; node: string }[] } | { dns: { name: string; port: number } };

/** The path Envoy's admin serves Prometheus metrics at (the proxy's stats listener forwards only it). */
export const ENVOY_METRICS_PATH = "/stats/prometheus";

/** The exporters of one deployment. */
export interface ScrapedDeployment {
    /** The deployment name; becomes the `deployment` label. */
    name: string;
    targets: ExporterTarget[];
    /** The Envoy proxy in front of a cluster, when there is one. */
    proxy?: ProxyScrapeTarget;
}

/** What {@link renderPrometheusConfig} needs. */
export interface PrometheusConfigInput {
    deployments: ScrapedDeployment[];
    /** Paths of the rule files as Prometheus sees them (inside its container). */
    ruleFiles: string[];
    /** `host:port` of each Alertmanager. @default [] (alerts are evaluated but not sent) */
    alertmanagers?: string[];
    /** `host:port` of the Pushgateway the backup job pushes its last-success metric to. @default none */
    pushgateway?: string;
    /** How often targets are scraped, in seconds. @default 15 */
    scrapeIntervalSeconds?: number;
    /** How often rules are evaluated, in seconds. @default 15 */
    evaluationIntervalSeconds?: number;
    /** Labels added to every series and alert leaving this Prometheus (for federation or a shared Alertmanager). @default {} */
    externalLabels?: Record<string, string>;
}

const HOST_PORT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:[0-9]{1,5}$/;

function checkAddress(what: string, address: string): void {
    const port = Number(address.split(":").pop());
    if (!HOST_PORT.test(address) || port < 1 || port > 65535) {
        throw new Error(`${what} "${address}": must be host:port, such as redis-0-exporter:9121`);
    }
}

/**
 * Checks a {@link PrometheusConfigInput}.
 *
 * @throws Error naming the deployment, target or address and what is allowed
 */
export function validatePrometheusConfigInput(input: PrometheusConfigInput): void {
    const names = new Set<string>();
    for (const deployment of input.deployments) {
        if (names.has(deployment.name)) {
            throw new Error(`scraped deployment "${deployment.name}" appears twice`);
        }
        names.add(deployment.name);
        if (!deployment.targets.some((target) => target.kind === "redis")) {
            throw new Error(`scraped deployment "${deployment.name}" has no Redis exporter target`);
        }
        const nodes = new Set<string>();
        for (const target of deployment.targets) {
            checkAddress(`exporter of ${deployment.name}/${target.node}`, target.address);
            if (nodes.has(target.node)) {
                throw new Error(`scraped deployment "${deployment.name}" lists node "${target.node}" twice`);
            }
            nodes.add(target.node);
        }
    }
    for (const address of input.alertmanagers ?? []) {
        checkAddress("alertmanager", address);
    }
    if (input.pushgateway !== undefined) {
        checkAddress("pushgateway", input.pushgateway);
    }
    for (const [key, seconds] of [
        ["scrapeIntervalSeconds", input.scrapeIntervalSeconds],
        ["evaluationIntervalSeconds", input.evaluationIntervalSeconds],
    ] as const) {
        if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 1 || seconds > 300)) {
            throw new Error(`${key} = ${seconds}: must be a whole number of seconds from 1 to 300`);
        }
    }
}

/** The scrape job name of one deployment's exporters of one kind. */
export function scrapeJobName(deployment: string, kind: ExporterKind | "proxy"): string {
    return `${kind}-${deployment}`;
}

/** The scrape job of a deployment's Envoy proxy. */
function proxyScrapeJob(deployment: string, proxy: ProxyScrapeTarget): Record<string, unknown> {
    const job = { job_name: scrapeJobName(deployment, "proxy"), metrics_path: ENVOY_METRICS_PATH };
    if ("static" in proxy) {
        proxy.static.forEach((target) => checkAddress(`proxy of ${deployment}/${target.node}`, target.address));
        return {
            ...job,
            static_configs: proxy.static.map((target) => ({
                targets: [target.address],
                labels: { [SCRAPE_LABELS.deployment]: deployment, [SCRAPE_LABELS.node]: target.node, [SCRAPE_LABELS.kind]: "proxy" },
            })),
        };
    }
    checkAddress(`proxy of ${deployment}`, `${proxy.dns.name}:${proxy.dns.port}`);
    return {
        ...job,
        dns_sd_configs: [{ names: [proxy.dns.name], type: "A", port: proxy.dns.port }],
        // Pods come and go: each is named by its address, and labelled like every other target of the deployment.
        relabel_configs: [
            { source_labels: ["__address__"], regex: "(.+):[0-9]+", target_label: SCRAPE_LABELS.node, replacement: "$1" },
            { target_label: SCRAPE_LABELS.deployment, replacement: deployment },
            { target_label: SCRAPE_LABELS.kind, replacement: "proxy" },
        ],
    };
}

/** The Prometheus configuration as a plain object. */
export function prometheusConfig(input: PrometheusConfigInput): Record<string, unknown> {
    validatePrometheusConfigInput(input);
    const jobs: Record<string, unknown>[] = input.deployments.flatMap((deployment) =>
        (["redis", "sentinel"] as const)
            .map((kind) => ({ kind, targets: deployment.targets.filter((target) => target.kind === kind) }))
            .filter(({ targets }) => targets.length > 0)
            .map(({ kind, targets }) => ({
                job_name: scrapeJobName(deployment.name, kind),
                static_configs: targets.map((target) => ({
                    targets: [target.address],
                    labels: { [SCRAPE_LABELS.deployment]: deployment.name, [SCRAPE_LABELS.node]: target.node, [SCRAPE_LABELS.kind]: kind },
                })),
            })),
    );
    for (const deployment of input.deployments) {
        if (deployment.proxy !== undefined) {
            jobs.push(proxyScrapeJob(deployment.name, deployment.proxy));
        }
    }
    if (input.pushgateway !== undefined) {
        // The backup job sets the deployment label itself; honor_labels keeps it instead of the scrape's.
        jobs.push({ job_name: "redis-backup", honor_labels: true, static_configs: [{ targets: [input.pushgateway] }] });
    }
    const alertmanagers = input.alertmanagers ?? [];
    return {
        global: {
            scrape_interval: `${input.scrapeIntervalSeconds ?? 15}s`,
            evaluation_interval: `${input.evaluationIntervalSeconds ?? 15}s`,
            ...(input.externalLabels && Object.keys(input.externalLabels).length > 0 ? { external_labels: input.externalLabels } : {}),
        },
        rule_files: input.ruleFiles,
        ...(alertmanagers.length > 0 ? { alerting: { alertmanagers: [{ static_configs: [{ targets: alertmanagers }] }] } } : {}),
        scrape_configs: jobs,
    };
}

/** `prometheus.yml` as text. */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
    return stringify(prometheusConfig(input), { lineWidth: 0 });
}
