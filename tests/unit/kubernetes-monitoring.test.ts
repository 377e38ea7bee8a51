import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { buildTopology, Topology } from "../../components/redisconf/topology";
import { renderBackupScript } from "../../components/redisconf/scripts/backup";
import { AWS_CLI_IMAGE, EXPORTER_IMAGE, imageFor, MONITORING_IMAGES } from "../../components/selfhosted/images";
import { backupCronJobManifests } from "../../components/selfhosted/kubernetes/backup/cronJob";
import { KubernetesBackup } from "../../components/selfhosted/kubernetes/backup/kubernetesBackup";
import { kubernetesLayout } from "../../components/selfhosted/kubernetes/layout";
import { bundledMonitoringManifests } from "../../components/selfhosted/kubernetes/monitoring/bundled";
import { KubernetesMonitoring } from "../../components/selfhosted/kubernetes/monitoring/kubernetesMonitoring";
import { monitoringLabels } from "../../components/selfhosted/kubernetes/monitoring/labels";
import { operatorMonitoringManifests } from "../../components/selfhosted/kubernetes/monitoring/operatorMode";
import { alertDeploymentFor } from "../../components/monitoring/alertDeployment";
import type { SelfHostedConfig } from "../../components/selfhosted/platform";
import { leakedSecrets, MOCK_SECRET_MARKER, MockRun, ofType, RecordedResource, runWithMocks } from "../../tools/offline/mockRuntime";
import { kubernetesConfig } from "./kubernetesFixtures";

/**
 * Kubernetes monitoring (`bundled` and `operator`) and the backup CronJob: every object validated with
 * kubernetes-models (core kinds) and @kubernetes-models/prometheus-operator (ServiceMonitor,
 * PrometheusRule), the pure manifests and the components under mocks, secrets only in Secrets.
 */

// The models' base class resolves only through package exports, which this repo's node10 resolution ignores: typed here.
type ModelClass = new (data?: unknown) => { validate(): void };
const CORE_MODELS: Record<string, () => Promise<unknown>> = {
    Namespace: async () => (await import("kubernetes-models/v1/Namespace")).Namespace,
    ConfigMap: async () => (await import("kubernetes-models/v1/ConfigMap")).ConfigMap,
    Secret: async () => (await import("kubernetes-models/v1/Secret")).Secret,
    Service: async () => (await import("kubernetes-models/v1/Service")).Service,
    Deployment: async () => (await import("kubernetes-models/apps/v1/Deployment")).Deployment,
    StatefulSet: async () => (await import("kubernetes-models/apps/v1/StatefulSet")).StatefulSet,
    CronJob: async () => (await import("kubernetes-models/batch/v1/CronJob")).CronJob,
    PodDisruptionBudget: async () => (await import("kubernetes-models/policy/v1/PodDisruptionBudget")).PodDisruptionBudget,
    NetworkPolicy: async () => (await import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy")).NetworkPolicy,
};
const CRD_MODELS_PACKAGE = "@kubernetes-models/prometheus-operator";

async function modelFor(kind: string): Promise<ModelClass> {
    if (kind === "ServiceMonitor" || kind === "PrometheusRule") {
        // A computed specifier keeps the type check independent of the (ESM-only) package.
        const specifier = `${CRD_MODELS_PACKAGE}/monitoring.coreos.com/v1/${kind}`;
        return ((await import(specifier)) as Record<string, ModelClass>)[kind];
    }
    const load = CORE_MODELS[kind];
    assert.ok(load, `no model for kind ${kind}: add it`);
    return (await load()) as ModelClass;
}

async function validate(object: Record<string, unknown>): Promise<void> {
    const Model = await modelFor(String(object.kind));
    new Model(object).validate();
}

function placed(config: SelfHostedConfig): Topology {
    return buildTopology(config.selfhosted, kubernetesLayout("redis", config).place);
}

const sentinel = () => kubernetesConfig({ topology: "sentinel", replicas: 2, sentinels: 3 }, { profile: "session", monitoring: { receivers: ["slack"] }, slackWebhookUrl: "set" });
const meta = { namespace: "monitoring", labels: monitoringLabels("redis") };

describe("Kubernetes monitoring: pure manifests", () => {
    it("bundled: every object is valid, Prometheus scrapes each exporter by pod DNS name with the pod as node", async () => {
        const config = sentinel();
        const objects = bundledMonitoringManifests({ deployment: "redis", meta, topology: placed(config), alert: alertDeploymentFor("redis", config), retentionDays: 15, storage: { size: "10gb" }, clusterDomain: "cluster.local" });
        const all = [...objects.configMaps, objects.prometheus, objects.prometheusBudget, ...objects.deployments, ...objects.services] as unknown as Record<string, unknown>[];
        for (const object of all) {
            await validate(object);
        }
        assert.deepEqual(all.map((object) => `${object.kind}/${(object.metadata as { name: string }).name}`), [
            "ConfigMap/redis-prometheus",
            "ConfigMap/redis-grafana-provisioning",
            "ConfigMap/redis-grafana-dashboards",
            "StatefulSet/redis-prometheus",
            "PodDisruptionBudget/redis-prometheus",
            "Deployment/redis-alertmanager",
            "Deployment/redis-grafana",
            "Deployment/redis-pushgateway",
            "Service/redis-prometheus",
            "Service/redis-alertmanager",
            "Service/redis-grafana",
            "Service/redis-pushgateway",
        ]);
        const yml = objects.configMaps[0].data!["prometheus.yml"];
        assert.match(yml, /- redis-1\.redis-headless\.redis\.svc\.cluster\.local:9121\n\s+labels:\n\s+deployment: redis\n\s+node: redis-1\n\s+kind: redis/);
        assert.match(yml, /redis-sentinel-2\.redis-headless\.redis\.svc\.cluster\.local:9121/);
        assert.match(yml, /redis-alertmanager\.monitoring\.svc\.cluster\.local:9093/);
        assert.match(yml, /redis-pushgateway\.monitoring\.svc\.cluster\.local:9091/);
        const images = [objects.prometheus, ...objects.deployments].map((workload) => workload.spec!.template.spec!.containers[0].image);
        assert.deepEqual(images, [MONITORING_IMAGES.prometheus.ref, MONITORING_IMAGES.alertmanager.ref, MONITORING_IMAGES.grafana.ref, MONITORING_IMAGES.pushgateway.ref]);
        for (const workload of [objects.prometheus, ...objects.deployments]) {
            const container = workload.spec!.template.spec!.containers[0];
            assert.deepEqual(
                { ...container.securityContext, runAsUser: undefined, runAsGroup: undefined },
                { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" }, runAsUser: undefined, runAsGroup: undefined },
            );
            assert.equal(workload.spec!.template.spec!.automountServiceAccountToken, false, `${workload.metadata!.name} needs no API token`);
        }
        const grafana = objects.deployments[1].spec!.template.spec!.containers[0];
        assert.deepEqual(grafana.env!.find((env) => env.name === "GF_SECURITY_ADMIN_PASSWORD"), { name: "GF_SECURITY_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: "redis-grafana", key: "admin-password" } } });
        assert.equal(objects.prometheus.spec!.volumeClaimTemplates![0].spec!.resources!.requests!.storage, "10Gi");
        // The budget selects Prometheus's pods and never blocks a drain (one replica, one may go).
        assert.deepEqual(objects.prometheusBudget.spec, { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: objects.prometheus.spec!.selector });
    });

    it("operator: metrics Services, ServiceMonitors (with the Pushgateway's honoring labels) and a PrometheusRule, valid against the CRD models", async () => {
        const config = sentinel();
        const objects = operatorMonitoringManifests({
            deployment: "redis",
            meta: { namespace: "redis", labels: monitoringLabels("redis") },
            podSelectors: { redis: { app: "redis" }, sentinel: { app: "sentinel" } },
            alert: alertDeploymentFor("redis", config),
            operatorLabels: { release: "kube-prometheus-stack" },
        });
        for (const object of [...objects.services, ...objects.customResources] as unknown as Record<string, unknown>[]) {
            await validate(object);
        }
        assert.deepEqual(objects.services.map((service) => [service.metadata!.name, service.spec!.selector, service.spec!.clusterIP]), [
            ["redis-metrics", { app: "redis" }, "None"],
            ["redis-sentinel-metrics", { app: "sentinel" }, "None"],
        ]);
        assert.deepEqual(objects.customResources.map((resource) => `${resource.kind}/${(resource.metadata as { name: string }).name}`), [
            "ServiceMonitor/redis-redis",
            "ServiceMonitor/redis-sentinel",
            "ServiceMonitor/redis-pushgateway",
            "PrometheusRule/redis-rules",
        ]);
        for (const resource of objects.customResources) {
            assert.equal((resource.metadata as { labels: Record<string, string> }).labels.release, "kube-prometheus-stack");
        }
        const push = objects.customResources[2] as { spec: { endpoints: { honorLabels: boolean }[] } };
        assert.equal(push.spec.endpoints[0].honorLabels, true);
    });

    it("backup CronJob: take in the engine image, upload in the AWS CLI image, only the backup password mounted", async () => {
        const config = sentinel();
        const { cronJob, scripts } = backupCronJobManifests({
            deployment: "redis",
            namespace: "redis",
            schedule: "0 */6 * * *",
            topology: placed(config),
            target: { kind: "s3", bucket: "acme-redis-backups", prefix: "staging", kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/abcd" },
            engineImage: imageFor(config.engine!),
            uploadImage: `amazon/aws-cli:2.0.0@sha256:${"a".repeat(64)}`,
            tls: true,
            passwordsSecret: "redis-passwords",
            tlsClientSecret: "redis-tls-client",
            clientPodLabels: { "redis-client": "true" },
            labels: { "app.kubernetes.io/name": "redis-backup" },
            serviceAccountName: "redis-backup",
            pushgatewayUrl: "http://redis-pushgateway.monitoring.svc.cluster.local:9091",
        });
        await validate(cronJob as unknown as Record<string, unknown>);
        await validate(scripts as unknown as Record<string, unknown>);
        assert.equal(scripts.data!["redis-backup.sh"], renderBackupScript());
        const pod = cronJob.spec!.jobTemplate.spec!.template.spec!;
        assert.equal(cronJob.spec!.concurrencyPolicy, "Forbid");
        assert.deepEqual(pod.initContainers!.map((container) => [container.name, container.image, container.command]), [["take", imageFor(config.engine!).ref, ["sh", "/etc/redis-backup/scripts/redis-backup.sh", "take"]]]);
        assert.deepEqual(pod.containers.map((container) => [container.name, container.command]), [["upload", ["sh", "/etc/redis-backup/scripts/redis-backup.sh", "upload"]]]);
        const env = Object.fromEntries(pod.initContainers![0].env!.map((entry) => [entry.name, entry.value]));
        assert.deepEqual(env, {
            BACKUP_DEPLOYMENT: "redis",
            BACKUP_SHARDS: ["redis-0", "redis-1", "redis-2"].map((pod) => `${pod}.redis-headless.redis.svc.cluster.local:6379`).join(","),
            BACKUP_TARGET: "s3://acme-redis-backups/staging",
            REDIS_PASSWORD_DIR: "/etc/redis/passwords",
            REDIS_TLS: "yes",
            BACKUP_TIMEOUT: "3600",
            REDIS_TLS_CA_FILE: "/etc/redis/tls/ca.crt",
            REDIS_TLS_CLIENT_CERT_FILE: "/etc/redis/tls/client.crt",
            REDIS_TLS_CLIENT_KEY_FILE: "/etc/redis/tls/client.key",
            BACKUP_S3_SSE: "aws:kms",
            BACKUP_KMS_KEY_ID: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
            BACKUP_PUSHGATEWAY_URL: "http://redis-pushgateway.monitoring.svc.cluster.local:9091",
            BACKUP_WORK_DIR: "/work",
        });
        assert.deepEqual(pod.volumes!.find((volume) => volume.name === "passwords"), { name: "passwords", secret: { secretName: "redis-passwords", defaultMode: 0o440, items: [{ key: "backup", path: "backup" }] } });
        assert.equal(pod.serviceAccountName, "redis-backup");
        assert.equal(cronJob.spec!.jobTemplate.spec!.template.metadata!.labels!["redis-client"], "true", "the NetworkPolicy admits the job as a client");
    });
});

function kube(run: MockRun<unknown>): RecordedResource[] {
    return run.resources.filter((resource) => resource.type.startsWith("kubernetes:"));
}

async function validateRecorded(run: MockRun<unknown>): Promise<void> {
    for (const resource of kube(run)) {
        const kind = resource.type.split(":").pop()!;
        const [group, version] = resource.type.split(":")[1].split("/");
        const apiVersion = group === "core" ? version : `${group}/${version}`;
        const body = kind === "CustomResource" || resource.inputs.apiVersion !== undefined ? resource.inputs : { apiVersion, kind, ...resource.inputs };
        await validate(body);
    }
}

const WEBHOOK = `https://hooks.slack.com/services/${MOCK_SECRET_MARKER}-webhook`;

function monitoringRun(config: SelfHostedConfig): Promise<MockRun<KubernetesMonitoring>> {
    return runWithMocks(() =>
        new KubernetesMonitoring("redis-monitoring", {
            deploymentName: "redis",
            config,
            topology: placed(config),
            namespace: "redis",
            podSelectors: { redis: { "app.kubernetes.io/component": "redis" }, sentinel: { "app.kubernetes.io/component": "sentinel" } },
            secrets: { slackWebhookUrl: pulumi.secret(WEBHOOK) },
        }),
    );
}

describe("Kubernetes monitoring and backup components under mocks", () => {
    it("bundled: the namespace, the secret Alertmanager config and Grafana password, every object valid, no secret elsewhere", async () => {
        const run = await monitoringRun(sentinel());
        assert.equal(run.error, undefined, String(run.error));
        await validateRecorded(run);
        assert.deepEqual(kube(run).map((resource) => `${resource.type.split(":").pop()}/${resource.inputs.metadata.name}`).sort(), [
            "ConfigMap/redis-grafana-dashboards",
            "ConfigMap/redis-grafana-provisioning",
            "ConfigMap/redis-prometheus",
            "Deployment/redis-alertmanager",
            "Deployment/redis-grafana",
            "Deployment/redis-pushgateway",
            "Namespace/monitoring",
            "PodDisruptionBudget/redis-prometheus",
            "Secret/redis-alertmanager",
            "Secret/redis-grafana",
            "Service/redis-alertmanager",
            "Service/redis-grafana",
            "Service/redis-prometheus",
            "Service/redis-pushgateway",
            "StatefulSet/redis-prometheus",
        ]);
        const alertmanager = ofType(run.resources, "kubernetes:core/v1:Secret").find((secret) => secret.inputs.metadata.name === "redis-alertmanager")!;
        assert.ok(alertmanager.secretInputs.includes("stringData"));
        assert.ok(alertmanager.inputs.stringData["alertmanager.yml"].includes(WEBHOOK));
        for (const resource of run.resources) {
            for (const [key, value] of Object.entries(resource.inputs)) {
                if (!resource.secretInputs.includes(key)) {
                    assert.deepEqual(leakedSecrets(value), [], `${resource.type} ${resource.name}.${key}`);
                    assert.ok(!JSON.stringify(value).includes(WEBHOOK), `${resource.name}.${key} carries the webhook`);
                }
            }
        }
        assert.equal(run.result!.pushgatewayUrl, "http://redis-pushgateway.monitoring.svc.cluster.local:9091");
    });

    it("operator: CustomResources for the operator, metrics Services and the Pushgateway in the deployment's namespace", async () => {
        const run = await monitoringRun(kubernetesConfig({ topology: "standalone" }, { monitoring: { mode: "operator", operatorLabels: { release: "prom" } } }));
        assert.equal(run.error, undefined, String(run.error));
        await validateRecorded(run);
        assert.deepEqual(kube(run).map((resource) => `${resource.type}/${resource.inputs.metadata.name}/${resource.inputs.metadata.namespace}`).sort(), [
            "kubernetes:apps/v1:Deployment/redis-pushgateway/redis",
            "kubernetes:core/v1:ConfigMap/redis-grafana-dashboard/redis",
            "kubernetes:core/v1:Service/redis-metrics/redis",
            "kubernetes:core/v1:Service/redis-pushgateway/redis",
            "kubernetes:monitoring.coreos.com/v1:PrometheusRule/redis-rules/redis",
            "kubernetes:monitoring.coreos.com/v1:ServiceMonitor/redis-pushgateway/redis",
            "kubernetes:monitoring.coreos.com/v1:ServiceMonitor/redis-redis/redis",
        ]);
        const [monitor] = ofType(run.resources, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").filter((resource) => resource.inputs.metadata.name === "redis-redis");
        assert.equal(monitor.inputs.metadata.labels.release, "prom");
        // The dashboard ships in operator mode too, for the Grafana sidecar of kube-prometheus-stack.
        const [dashboard] = ofType(run.resources, "kubernetes:core/v1:ConfigMap");
        assert.equal(dashboard.inputs.metadata.labels.grafana_dashboard, "1");
        assert.deepEqual(Object.keys(dashboard.inputs.data), ["redis-redis.json"]);
        assert.equal(JSON.parse(dashboard.inputs.data["redis-redis.json"]).uid, "redis-redis");
        assert.equal(run.result!.pushgatewayUrl, "http://redis-pushgateway.redis.svc.cluster.local:9091");
    });

    it("creates nothing when monitoring is off", async () => {
        const run = await monitoringRun(kubernetesConfig({ topology: "standalone" }, { monitoring: { enabled: false } }));
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(kube(run), []);
    });

    it("backup: a BackupBucket on AWS and the CronJob with its key; the pinned AWS CLI image without an upload image", async () => {
        const uploadImage = `amazon/aws-cli:2.0.0@sha256:${"b".repeat(64)}`;
        const config = kubernetesConfig({ topology: "standalone" }, { backup: { uploadImage, serviceAccount: "redis-backup" } });
        const keyArn = "arn:aws:kms:eu-west-1:111122223333:key/mock";
        const run = await runWithMocks(
            () => new KubernetesBackup("redis-backup", { deploymentName: "redis", config, topology: placed(config), namespace: "redis", passwordsSecret: "redis-passwords", tlsClientSecret: "redis-tls-client", pushgatewayUrl: "http://redis-pushgateway.monitoring.svc.cluster.local:9091" }),
            { outputs: { "aws:kms/key:Key": () => ({ arn: keyArn }), "aws:s3/bucket:Bucket": (name) => ({ bucket: `${name}-generated`, arn: `arn:aws:s3:::${name}-generated` }) } },
        );
        assert.equal(run.error, undefined, String(run.error));
        await validateRecorded(run);
        assert.equal(ofType(run.resources, "redisplatform:backup:BackupBucket").length, 1);
        const [cronJob] = ofType(run.resources, "kubernetes:batch/v1:CronJob");
        const upload = cronJob.inputs.spec.jobTemplate.spec.template.spec.containers[0];
        assert.equal(upload.image, uploadImage);
        assert.deepEqual(upload.env.find((entry: { name: string }) => entry.name === "BACKUP_KMS_KEY_ID"), { name: "BACKUP_KMS_KEY_ID", value: keyArn }, "the job encrypts with the bucket's key");
        assert.equal(cronJob.inputs.spec.jobTemplate.spec.template.spec.serviceAccountName, "redis-backup");
        // The job's pods run the engine image: a NetworkPolicy of their own selects them and admits nothing.
        const [policy] = ofType(run.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
        const podLabels = cronJob.inputs.spec.jobTemplate.spec.template.metadata.labels;
        assert.deepEqual(policy.inputs.spec.policyTypes, ["Ingress"]);
        assert.deepEqual(policy.inputs.spec.ingress, []);
        assert.ok(Object.entries(policy.inputs.spec.podSelector.matchLabels).every(([key, value]) => podLabels[key] === value), "it selects the job's pods");
        assert.equal(policy.inputs.metadata.namespace, "redis");

        // Without `backup.uploadImage`, the CronJob uploads with the AWS CLI image pinned in the code.
        const without = kubernetesConfig({ topology: "standalone" });
        const pinnedDefault = await runWithMocks(() => new KubernetesBackup("redis-backup", { deploymentName: "redis", config: without, topology: placed(without), namespace: "redis", passwordsSecret: "redis-passwords", tlsClientSecret: "redis-tls-client" }));
        assert.equal(pinnedDefault.error, undefined, String(pinnedDefault.error));
        assert.deepEqual(kube(pinnedDefault).map((resource) => resource.type).sort(), ["kubernetes:batch/v1:CronJob", "kubernetes:core/v1:ConfigMap", "kubernetes:networking.k8s.io/v1:NetworkPolicy"]);
        const [defaultJob] = ofType(pinnedDefault.resources, "kubernetes:batch/v1:CronJob");
        assert.equal(defaultJob.inputs.spec.jobTemplate.spec.template.spec.containers[0].image, AWS_CLI_IMAGE.ref);
        assert.match(AWS_CLI_IMAGE.ref, /^amazon\/aws-cli:2\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
        assert.equal(EXPORTER_IMAGE.repository, "oliver006/redis_exporter");
    });
});
