import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackSecrets } from "../../../backend";
import { alertDeploymentFor } from "../../../monitoring/alertDeployment";
import { alertmanagerConfigSecret } from "../../../monitoring/alertmanagerSecret";
import { alertmanagerSettingsFor } from "../../../monitoring/alertmanagerSettings";
import type { Topology } from "../../../redisconf/topology";
import { EXPORTER_IMAGE, MONITORING_IMAGES } from "../../images";
import type { SelfHostedConfig } from "../../platform";
import { containerHardening, dockerUploads, envList, holderNamespaces, NodeTlsFiles, UploadFile } from "../containerSpec";
import {
    EXPORTER_FILES_ROOT,
    exporterEnv,
    exporterUploads,
    GRAFANA_PASSWORD_FILE,
    grafanaUploads,
    monitoringContainerNames,
    prometheusUploads,
    UI_CONTAINER_PORTS,
    uiPort,
} from "./spec";

/** Arguments of {@link DockerMonitoring}. */
export interface DockerMonitoringArgs {
    /** The deployment name: the `deployment` label of every series and alert. */
    deploymentName: string;
    /** The Docker object name prefix (`redis-<stack>`). */
    prefix: string;
    config: SelfHostedConfig;
    topology: Topology;
    /** The deployment's bridge network. */
    networkName: pulumi.Input<string>;
    /** `container:<holder id>`: the shared network namespace the exporters join. */
    networkMode: pulumi.Input<string>;
    /** The monitor user's password (secret). */
    monitorPassword: pulumi.Input<string>;
    /** The CA and client certificate, when TLS is on. */
    tls: pulumi.Input<NodeTlsFiles | undefined>;
    /** The stack's secret config values (receiver webhooks, SMTP password). */
    secrets: StackSecrets;
    /** Docker labels of every container. */
    labels: Record<string, string>;
}

/**
 * The monitoring stack of a Docker deployment (see `spec.ts` for the layout): an exporter per node and
 * sentinel, Prometheus with the scrape config and the rules, Alertmanager with the secret config,
 * Grafana with the provisioned datasource and dashboard, and the Pushgateway the backup container reports
 * to. Images pinned by tag and digest; every container hardened like the nodes; UIs on 127.0.0.1 only.
 */
export class DockerMonitoring extends pulumi.ComponentResource {
    /** The Pushgateway's URL on the deployment network. */
    public readonly pushgatewayUrl: string;
    /** Grafana's admin password (user `admin`), a secret. */
    public readonly grafanaAdminPassword: pulumi.Output<string>;
    /** The UIs' URLs on the host. */
    public readonly urls: { prometheus: string; alertmanager: string; grafana: string };

    constructor(name: string, args: DockerMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redisplatform:docker:Monitoring", name, {}, opts);
        const { config, topology, prefix } = args;
        const basePort = config.selfhosted.docker.basePort;
        const tlsEnabled = config.tls.enabled;
        const names = monitoringContainerNames(prefix);
        const labels = Object.entries(args.labels).map(([label, value]) => ({ label, value }));
        // The containers start once the nodes do (the component's own dependsOn does not hold its children back).
        const child = { parent: this, dependsOn: opts?.dependsOn };
        // Fixed container names: the old container must go before its replacement starts.
        const fixedName = { ...child, deleteBeforeReplace: true };
        const image = (key: string, ref: string) => new docker.RemoteImage(`${name}-${key}-image`, { name: ref, keepLocally: true }, child);
        const uploadsOf = (files: pulumi.Output<UploadFile[]>, gid: number) => pulumi.secret(files.apply((list) => dockerUploads(list, gid)));
        const common = { ...containerHardening(), restart: "unless-stopped", labels } as const;

        const exporterImage = image("exporter", EXPORTER_IMAGE.ref);
        for (const node of [...topology.dataNodes, ...topology.sentinels]) {
            new docker.Container(
                `${name}-exporter-${node.name}`,
                {
                    name: names.exporter(node),
                    image: exporterImage.imageId,
                    user: `${EXPORTER_IMAGE.uid}:${EXPORTER_IMAGE.gid}`,
                    envs: envList(exporterEnv(node, basePort, tlsEnabled)),
                    ...holderNamespaces(args.networkMode),
                    volumes: [{ containerPath: EXPORTER_FILES_ROOT }],
                    uploads: uploadsOf(pulumi.all([args.monitorPassword, args.tls]).apply(([password, tls]) => exporterUploads(node, password, tls)), EXPORTER_IMAGE.gid),
                    memory: 64,
                    cpus: "0.2",
                    ...common,
                },
                fixedName,
            );
        }

        const pushgatewayImage = image("pushgateway", MONITORING_IMAGES.pushgateway.ref);
        new docker.Container(
            `${name}-pushgateway`,
            {
                name: names.pushgateway,
                image: pushgatewayImage.imageId,
                user: `${MONITORING_IMAGES.pushgateway.uid}:${MONITORING_IMAGES.pushgateway.gid}`,
                command: [`--web.listen-address=:${UI_CONTAINER_PORTS.pushgateway}`],
                networksAdvanced: [{ name: args.networkName }],
                memory: 64,
                cpus: "0.2",
                ...common,
            },
            fixedName,
        );

        const alert = alertDeploymentFor(args.deploymentName, config);
        const prometheusImage = image("prometheus", MONITORING_IMAGES.prometheus.ref);
        const prometheusData = new docker.Volume(`${name}-prometheus-data`, { name: `${names.prometheus}-data`, labels }, fixedName);
        new docker.Container(
            `${name}-prometheus`,
            {
                name: names.prometheus,
                image: prometheusImage.imageId,
                user: `${MONITORING_IMAGES.prometheus.uid}:${MONITORING_IMAGES.prometheus.gid}`,
                command: [
                    "--config.file=/etc/prometheus/config/prometheus.yml",
                    "--storage.tsdb.path=/prometheus",
                    `--storage.tsdb.retention.time=${config.monitoring.retentionDays}d`,
                    `--web.listen-address=:${UI_CONTAINER_PORTS.prometheus}`,
                ],
                networksAdvanced: [{ name: args.networkName }],
                ports: [uiPort(basePort, "prometheus")],
                volumes: [{ volumeName: prometheusData.name, containerPath: "/prometheus" }, { containerPath: "/etc/prometheus/config" }],
                uploads: uploadsOf(pulumi.output(prometheusUploads(args.deploymentName, prefix, basePort, topology, alert)), MONITORING_IMAGES.prometheus.gid),
                memory: 512,
                cpus: "0.5",
                ...common,
            },
            fixedName,
        );

        const alertmanagerImage = image("alertmanager", MONITORING_IMAGES.alertmanager.ref);
        const alertmanagerYaml = alertmanagerConfigSecret(alertmanagerSettingsFor(config.monitoring), args.secrets);
        const alertmanagerData = new docker.Volume(`${name}-alertmanager-data`, { name: `${names.alertmanager}-data`, labels }, fixedName);
        new docker.Container(
            `${name}-alertmanager`,
            {
                name: names.alertmanager,
                image: alertmanagerImage.imageId,
                user: `${MONITORING_IMAGES.alertmanager.uid}:${MONITORING_IMAGES.alertmanager.gid}`,
                // An empty cluster address turns gossip off: one Alertmanager, nothing listening beyond its API.
                command: ["--config.file=/etc/alertmanager/config/alertmanager.yml", "--storage.path=/alertmanager", "--cluster.listen-address=", `--web.listen-address=:${UI_CONTAINER_PORTS.alertmanager}`],
                networksAdvanced: [{ name: args.networkName }],
                ports: [uiPort(basePort, "alertmanager")],
                volumes: [{ volumeName: alertmanagerData.name, containerPath: "/alertmanager" }, { containerPath: "/etc/alertmanager/config" }],
                uploads: uploadsOf(
                    alertmanagerYaml.apply((content): UploadFile[] => [{ file: "/etc/alertmanager/config/alertmanager.yml", content, secret: true }]),
                    MONITORING_IMAGES.alertmanager.gid,
                ),
                memory: 128,
                cpus: "0.2",
                ...common,
            },
            fixedName,
        );

        const grafanaImage = image("grafana", MONITORING_IMAGES.grafana.ref);
        const adminPassword = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, child);
        this.grafanaAdminPassword = pulumi.secret(adminPassword.result);
        const grafanaData = new docker.Volume(`${name}-grafana-data`, { name: `${names.grafana}-data`, labels }, fixedName);
        new docker.Container(
            `${name}-grafana`,
            {
                name: names.grafana,
                image: grafanaImage.imageId,
                user: `${MONITORING_IMAGES.grafana.uid}:${MONITORING_IMAGES.grafana.gid}`,
                envs: [
                    "GF_SECURITY_ADMIN_USER=admin",
                    // Grafana reads the password from the file: it is in neither the environment nor the command line.
                    `GF_SECURITY_ADMIN_PASSWORD__FILE=${GRAFANA_PASSWORD_FILE}`,
                    "GF_USERS_ALLOW_SIGN_UP=false",
                    // Logs to the console only: the root filesystem (and /var/log/grafana) is read-only.
                    "GF_LOG_MODE=console",
                    "GF_ANALYTICS_REPORTING_ENABLED=false",
                    "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
                ],
                networksAdvanced: [{ name: args.networkName }],
                ports: [uiPort(basePort, "grafana")],
                volumes: [
                    { volumeName: grafanaData.name, containerPath: "/var/lib/grafana" },
                    { containerPath: "/etc/grafana/provisioning" },
                    { containerPath: "/etc/grafana/dashboards" },
                    { containerPath: "/etc/grafana-secrets" },
                ],
                uploads: uploadsOf(this.grafanaAdminPassword.apply((password) => grafanaUploads(prefix, topology, args.deploymentName, password, { proxy: alert.proxy })), MONITORING_IMAGES.grafana.gid),
                memory: 256,
                cpus: "0.5",
                ...common,
            },
            fixedName,
        );

        this.pushgatewayUrl = `http://${names.pushgateway}:${UI_CONTAINER_PORTS.pushgateway}`;
        this.urls = {
            prometheus: `http://127.0.0.1:${uiPort(basePort, "prometheus").external}`,
            alertmanager: `http://127.0.0.1:${uiPort(basePort, "alertmanager").external}`,
            grafana: `http://127.0.0.1:${uiPort(basePort, "grafana").external}`,
        };
        this.registerOutputs({ pushgatewayUrl: this.pushgatewayUrl, grafanaAdminPassword: this.grafanaAdminPassword, urls: this.urls });
    }
}
