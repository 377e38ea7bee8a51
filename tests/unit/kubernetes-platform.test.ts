import { strict as assert } from "node:assert";
import * as path from "node:path";
import { aclPasswordHash } from "../../components/redisconf/acl";
import { renderDeployment, RenderedDeployment } from "../../components/redisconf/deployment";
import { renderReloadScript, reloadEnvFor } from "../../components/redisconf/scripts/reload";
import { allUserNames } from "../../components/redisconf/users";
import {
    CLUSTER_CREATE_ENV_KEY,
    SENTINEL_RESET_ENV_KEY,
    contentAddressedName,
    nodesConfigMapData,
    parseEnvFile,
    POD_ENV_FILE,
    scriptsConfigMapData,
} from "../../components/selfhosted/kubernetes/files";
import { kubernetesNames } from "../../components/selfhosted/kubernetes/names";
import { nodesConfigMapName } from "../../components/selfhosted/kubernetes/nodeFilesDigest";
import { switchoverJobEnv } from "../../components/redisconf/deployment";
import { engineUpgradeEnvFor } from "../../components/redisconf/engineUpgrade";
import { kubernetesLayout } from "../../components/selfhosted/kubernetes/layout";
import { dataNodeProbeScripts, preStopCommand, runScriptCommand, sentinelProbeScripts } from "../../components/selfhosted/kubernetes/pods";
import { RELOAD_CONTAINER } from "../../components/selfhosted/kubernetes/reload";
import { allPinnedImages, AWS_CLI_IMAGE, PINNED_IMAGE_PATTERN } from "../../components/selfhosted/images";
import { redisProgram } from "../../stacks/program";
import { leakedSecrets, MOCK_SECRET_MARKER, MockOptions, MockRun, ofType, RecordedResource, runStack, runWithMocks } from "../../tools/offline/mockRuntime";
import { kubernetesConfig, kubernetesConfigMap } from "./kubernetesFixtures";
import { assertValidKubernetesObject } from "./kubernetesModels";

const COMPONENT = "redisplatform:kubernetes:KubernetesRedis";
/** The components `KubernetesRedis` parents, whose own children are parented to them. */
const MONITORING = "redisplatform:kubernetes:Monitoring";
const BACKUP = "redisplatform:kubernetes:Backup";

/** The bucket the mocks return for a `BackupBucket`, so a backup job has a target. */
const BUCKET_OUTPUTS: MockOptions["outputs"] = {
    "aws:kms/key:Key": () => ({ arn: "arn:aws:kms:eu-west-1:111122223333:key/mock" }),
    "aws:s3/bucket:Bucket": (name) => ({ bucket: `${name}-generated`, arn: `arn:aws:s3:::${name}-generated` }),
};

async function build(selfhosted: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<MockRun<unknown>> {
    const config = kubernetesConfigMap(selfhosted, extra);
    const run = await runWithMocks(() => redisProgram("test", config), { config, outputs: BUCKET_OUTPUTS });
    assert.equal(run.error, undefined, String(run.error));
    return run;
}

function kube(run: MockRun<unknown>): RecordedResource[] {
    return run.resources.filter((resource) => resource.type.startsWith("kubernetes:"));
}

/** The one resource of a type, asserted to exist. */
function only(run: MockRun<unknown>, type: string): RecordedResource {
    const found = ofType(run.resources, type);
    assert.equal(found.length, 1, `exactly one ${type}`);
    return found[0];
}

/** The Kubernetes objects whose parent is the one component of `componentType`. */
function kubeOf(run: MockRun<unknown>, componentType: string): RecordedResource[] {
    const component = only(run, componentType);
    return kube(run).filter((resource) => resource.parent === component.urn);
}

/** `type name` of each object, sorted: what exact-set assertions compare. */
function typeNames(resources: readonly RecordedResource[]): string[] {
    return resources.map((resource) => `${resource.type} ${resource.inputs.metadata.name}`).sort();
}

/** Whether a `matchLabels` selector selects a pod with these labels. */
function selects(selector: { matchLabels?: Record<string, string> }, labels: Record<string, string>): boolean {
    return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

function named(run: MockRun<unknown>, type: string, name: string): RecordedResource {
    const found = ofType(run.resources, type).find((resource) => resource.inputs.metadata?.name === name);
    assert.ok(found, `no ${type} named ${name}`);
    return found;
}

/** The mock password of a user's generation, as the mocks generate it. */
function mockPassword(user: string, generation = 1): string {
    return `${MOCK_SECRET_MARKER}-password-redis-users-${user}-password-g${generation}`;
}

/**
 * Renders the deployment the way the backend does, with the mock passwords: generation 1, or for the users
 * in `rotated`, generation 2 and (with `keepPrevious`) generation 1.
 */
function renderedFor(selfhosted: Record<string, unknown>, extra: Record<string, unknown> = {}, rotated: readonly string[] = []): RenderedDeployment {
    const config = kubernetesConfig(selfhosted, extra);
    const layout = kubernetesLayout("redis", config);
    const passwordsOf = (user: string) => (rotated.includes(user) ? [mockPassword(user, 2), mockPassword(user, 1)] : [mockPassword(user)]);
    return renderDeployment({
        config,
        place: layout.place,
        pathsFor: layout.pathsFor,
        passwordsByUser: Object.fromEntries(allUserNames(config).map((user) => [user, passwordsOf(user)])),
    });
}

/** The content-addressed ConfigMap names a rendered deployment must get. */
function configMapNames(rendered: RenderedDeployment): { nodes: string; sentinelNodes: string; scripts: string } {
    const names = kubernetesNames("redis", { namespace: rendered.nodes[0].node.announceHost.split(".")[2], clusterDomain: "cluster.local" });
    return {
        nodes: nodesConfigMapName(names, rendered),
        sentinelNodes: contentAddressedName("redis-sentinel-nodes", nodesConfigMapData(names, rendered, "sentinel")),
        scripts: contentAddressedName("redis-scripts", scriptsConfigMapData(rendered)),
    };
}

/** Replaces the content-hash annotation (checked separately) so pod templates compare exactly. */
function withoutHash(spec: any): any {
    const copy = JSON.parse(JSON.stringify(spec));
    const annotations = copy.template.metadata.annotations;
    assert.match(annotations["redisplatform.io/content-hash"], /^[0-9a-f]{64}$/);
    annotations["redisplatform.io/content-hash"] = "<hash>";
    return copy;
}

/** The objects of `bundled` monitoring for the deployment `redis`, as `typeNames` lists them. */
const BUNDLED_MONITORING = [
    "kubernetes:apps/v1:Deployment redis-alertmanager",
    "kubernetes:apps/v1:Deployment redis-grafana",
    "kubernetes:apps/v1:Deployment redis-pushgateway",
    "kubernetes:apps/v1:StatefulSet redis-prometheus",
    "kubernetes:core/v1:ConfigMap redis-grafana-dashboards",
    "kubernetes:core/v1:ConfigMap redis-grafana-provisioning",
    "kubernetes:core/v1:ConfigMap redis-prometheus",
    "kubernetes:core/v1:Namespace monitoring",
    "kubernetes:core/v1:Secret redis-alertmanager",
    "kubernetes:core/v1:Secret redis-grafana",
    "kubernetes:core/v1:Service redis-alertmanager",
    "kubernetes:core/v1:Service redis-grafana",
    "kubernetes:core/v1:Service redis-prometheus",
    "kubernetes:core/v1:Service redis-pushgateway",
    "kubernetes:policy/v1:PodDisruptionBudget redis-prometheus",
];

/** The backup objects of the deployment `redis`, as `typeNames` lists them. */
const BACKUP_OBJECTS = ["kubernetes:batch/v1:CronJob redis-backup", "kubernetes:core/v1:ConfigMap redis-backup-scripts", "kubernetes:networking.k8s.io/v1:NetworkPolicy redis-backup"];

const LABELS = (component: string) => ({
    "app.kubernetes.io/name": component === "cluster-init" ? "redis-cluster-init" : "redis",
    "app.kubernetes.io/instance": "redis",
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "redis-platform",
    "app.kubernetes.io/managed-by": "pulumi",
});
const SELECTOR = (component: string) => ({ "app.kubernetes.io/name": "redis", "app.kubernetes.io/instance": "redis", "app.kubernetes.io/component": component });
const POD_NAME_ENV = { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } };
const SECURITY = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } };
const REDIS_72 = "redis:7.2.5-alpine@sha256:6aaf3f5e6bc8a592fbfe2cccf19eb36d27c39d12dab4f4b01556b7449e7b1f44";
const EXPORTER = "oliver006/redis_exporter:v1.66.0@sha256:d98e6db8094f491b95791e9f776b0ba30a20aeacb90e18334935d5e51bf2e6a1";
const probe = (script: string, periodSeconds: number, failureThreshold: number) => ({
    exec: { command: ["/bin/sh", "-c", script] },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
    successThreshold: 1,
});
const TLS_ITEMS = (pod: string) => ["tls.crt", "tls.key", "ca.crt", "client.crt", "client.key"].map((file) => ({ key: file, path: `${pod}/${file}` }));
const exporterContainer = (port: number, extraEnv: object[] = []) => ({
    name: "exporter",
    image: EXPORTER,
    imagePullPolicy: "IfNotPresent",
    env: [
        POD_NAME_ENV,
        { name: "REDIS_ADDR", value: `rediss://$(POD_NAME).redis-headless.redis.svc.cluster.local:${port}` },
        { name: "REDIS_USER", value: "monitor" },
        { name: "REDIS_PASSWORD_FILE", value: "/etc/redis-exporter/auth/passwords.json" },
        { name: "REDIS_EXPORTER_TLS_CA_CERT_FILE", value: "/etc/redis-exporter/tls/ca.crt" },
        { name: "REDIS_EXPORTER_TLS_CLIENT_CERT_FILE", value: "/etc/redis-exporter/tls/client.crt" },
        { name: "REDIS_EXPORTER_TLS_CLIENT_KEY_FILE", value: "/etc/redis-exporter/tls/client.key" },
        { name: "REDIS_EXPORTER_WEB_LISTEN_ADDRESS", value: ":9121" },
        ...extraEnv,
    ],
    ports: [{ name: "metrics", containerPort: 9121, protocol: "TCP" }],
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "50m", memory: "64Mi" } },
    securityContext: SECURITY,
    volumeMounts: [
        { name: "exporter", mountPath: "/etc/redis-exporter/auth", readOnly: true },
        { name: "exporter-tls", mountPath: "/etc/redis-exporter/tls", readOnly: true },
    ],
});
const mounts = (configVolume: string) => [
    { name: "data", mountPath: "/data" },
    { name: configVolume, mountPath: "/etc/redis/conf/node.conf", subPathExpr: "$(POD_NAME).conf", readOnly: true },
    { name: "node-files", mountPath: "/etc/redis/env/node.env", subPathExpr: "$(POD_NAME).env", readOnly: true },
    { name: "scripts", mountPath: "/etc/redis/scripts", readOnly: true },
    { name: "passwords", mountPath: "/etc/redis/passwords", readOnly: true },
    { name: "tls", mountPath: "/etc/redis/tls", readOnly: true },
    { name: "tmp", mountPath: "/tmp" },
];
const podSecurity = { runAsNonRoot: true, runAsUser: 999, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: "OnRootMismatch", seccompProfile: { type: "RuntimeDefault" } };
const spread = (component: string, when: string) =>
    ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: when, labelSelector: { matchLabels: SELECTOR(component) } }));
const templateMeta = (component: string) => ({
    labels: LABELS(component),
    annotations: {
        "redisplatform.io/content-hash": "<hash>",
        "kubectl.kubernetes.io/default-container": component,
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9121",
        "prometheus.io/path": "/metrics",
    },
});

/** The data nodes' StatefulSet spec of a TLS deployment with the exporter on, in dev. */
function expectedDataSpec(kind: "standalone" | "sentinel" | "cluster", replicas: number, passwordUsers: string[], cm: { nodes: string; scripts: string }) {
    const scripts = dataNodeProbeScripts(kind, true);
    return {
        serviceName: "redis-headless",
        replicas,
        podManagementPolicy: "Parallel",
        updateStrategy: { type: "RollingUpdate" },
        selector: { matchLabels: SELECTOR("redis") },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        template: {
            metadata: templateMeta("redis"),
            spec: {
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                securityContext: podSecurity,
                topologySpreadConstraints: spread("redis", "ScheduleAnyway"),
                terminationGracePeriodSeconds: 60,
                containers: [
                    {
                        name: "redis",
                        image: REDIS_72,
                        imagePullPolicy: "IfNotPresent",
                        command: ["/bin/sh", "-c", "set -a && . /etc/redis/env/node.env && set +a && exec /bin/sh /etc/redis/scripts/redis-start.sh"],
                        env: [POD_NAME_ENV],
                        ports: [
                            { name: "redis", containerPort: 6379, protocol: "TCP" },
                            ...(kind === "cluster" ? [{ name: "cluster-bus", containerPort: 16379, protocol: "TCP" }] : []),
                        ],
                        resources: { requests: { cpu: "1", memory: "1024Mi" }, limits: { cpu: "1", memory: "1024Mi" } },
                        securityContext: SECURITY,
                        volumeMounts: [...mounts("node-files"), { name: "acl", mountPath: "/etc/redis/acl", readOnly: true }],
                        startupProbe: probe(scripts.alive, 5, 60),
                        livenessProbe: probe(scripts.alive, 10, 6),
                        readinessProbe: probe(scripts.ready, 5, 3),
                        lifecycle: { preStop: { exec: { command: preStopCommand() } } },
                    },
                    {
                        name: "reload",
                        image: REDIS_72,
                        imagePullPolicy: "IfNotPresent",
                        command: ["/bin/sh", "-c", "set -a && . /etc/redis/env/node.env && set +a && exec /bin/sh /etc/redis/scripts/redis-reload.sh"],
                        env: [
                            POD_NAME_ENV,
                            { name: "REDIS_RELOAD_KIND", value: "redis" },
                            { name: "REDIS_RELOAD_USER", value: "admin" },
                            { name: "REDIS_RELOAD_INTERVAL", value: "5" },
                            { name: "REDIS_ACL_FILE", value: "/etc/redis/acl/users.acl" },
                            { name: "REDIS_ACL_APPLY", value: "load" },
                            { name: "REDIS_TLS_CERT_FILE", value: "/etc/redis/tls/$(POD_NAME)/tls.crt" },
                            { name: "REDIS_TLS_KEY_FILE", value: "/etc/redis/tls/$(POD_NAME)/tls.key" },
                        ],
                        resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { cpu: "50m", memory: "32Mi" } },
                        securityContext: SECURITY,
                        volumeMounts: [...mounts("node-files").filter((mount) => mount.name !== "data"), { name: "acl", mountPath: "/etc/redis/acl", readOnly: true }],
                    },
                    exporterContainer(6379),
                ],
                volumes: [
                    { name: "node-files", configMap: { name: cm.nodes, defaultMode: 0o444 } },
                    { name: "scripts", configMap: { name: cm.scripts, defaultMode: 0o555 } },
                    { name: "passwords", secret: { secretName: "redis-passwords", defaultMode: 0o440, items: passwordUsers.map((user) => ({ key: user, path: user })) } },
                    {
                        name: "tls",
                        projected: {
                            defaultMode: 0o440,
                            sources: Array.from({ length: replicas }, (_, i) => ({ secret: { name: `redis-${i}-tls`, items: TLS_ITEMS(`redis-${i}`) } })),
                        },
                    },
                    { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                    { name: "acl", secret: { secretName: "redis-acl", defaultMode: 0o440, items: [{ key: "users.acl", path: "users.acl" }] } },
                    { name: "exporter", secret: { secretName: "redis-exporter", defaultMode: 0o440 } },
                    { name: "exporter-tls", secret: { secretName: "redis-tls-client", defaultMode: 0o440 } },
                ],
            },
        },
        volumeClaimTemplates: [
            { metadata: { name: "data", labels: LABELS("redis") }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10240Mi" } } } },
        ],
    };
}

/**
 * Checks a data pod's reload sidecar against what the pod's node was rendered with: the rendered script, the
 * pod's environment file plus `reloadEnvFor` with the node's own paths (once Kubernetes expands `$(POD_NAME)`),
 * the redis container's files at the same paths, and every file it applies live on a mount kubelet updates.
 */
function checkReloadSidecar(podSpec: any, pod: string, node: RenderedDeployment["nodes"][number], rendered: RenderedDeployment): void {
    const [redis] = podSpec.containers;
    const reload = podSpec.containers.find((container: any) => container.name === RELOAD_CONTAINER);
    assert.ok(reload, `${pod} runs the reload sidecar`);
    assert.deepEqual(reload.command, runScriptCommand("redis-reload.sh"));
    const env = Object.fromEntries(reload.env.filter((entry: any) => entry.value !== undefined).map((entry: any) => [entry.name, entry.value.replaceAll("$(POD_NAME)", pod)]));
    const tls = { enabled: rendered.nodes[0].env.REDIS_TLS === "yes" };
    assert.deepEqual(env, reloadEnvFor({ node: { kind: "redis" }, paths: node.paths, engine: rendered.engine, tls }), `${pod}'s sidecar watches the node's own files`);
    if (tls.enabled) {
        assert.ok(node.config.includes(`tls-cert-file ${env.REDIS_TLS_CERT_FILE}\n`), `${pod}'s sidecar reloads the certificate its redis.conf names`);
    }
    // Every variable the script requires of a data node's sidecar is set, by the env file it sources or its own env.
    const sentinelOnly = ["REDIS_CONF_FILE", "REDIS_MASTER_NAME", "REDIS_SENTINELS", "REDIS_ANNOUNCE_HOST"];
    const required = [...renderReloadScript().matchAll(/\$\{([A-Z_]+):\?/g)].map((match) => match[1]).filter((name) => !sentinelOnly.includes(name));
    const merged = { ...env, ...node.env };
    assert.deepEqual(required.filter((name) => merged[name] === undefined && (tls.enabled || !name.startsWith("REDIS_TLS_"))), [], `${pod}'s sidecar has the environment it requires`);
    assert.deepEqual(reload.volumeMounts, redis.volumeMounts.filter((mount: any) => mount.name !== "data"), "the same files at the same paths, but not the data");
    for (const live of ["acl", "passwords", ...(tls.enabled ? ["tls"] : [])]) {
        const mount = reload.volumeMounts.find((candidate: any) => candidate.name === live);
        assert.ok(mount && mount.subPath === undefined && mount.subPathExpr === undefined, `${live} is a directory mount: kubelet never updates a subPath mount`);
    }
}

const WORKLOAD_TEMPLATES: Record<string, (inputs: any) => any> = {
    "kubernetes:apps/v1:StatefulSet": (inputs) => inputs.spec.template,
    "kubernetes:apps/v1:Deployment": (inputs) => inputs.spec.template,
    "kubernetes:batch/v1:Job": (inputs) => inputs.spec.template,
    "kubernetes:batch/v1:CronJob": (inputs) => inputs.spec.jobTemplate.spec.template,
};

/**
 * Checks that the NetworkPolicies admit what monitoring and backups need and nothing runs Redis unguarded:
 * every pod running the engine or the exporter is selected by a NetworkPolicy of its namespace; the bundled
 * Prometheus runs in the namespace the deployment's policy admits on the exporter port; the backup job is
 * admitted as a client on the Redis port, reads only the `backup` password (which the data pods do not
 * mount), and no NetworkPolicy stands between it and the Pushgateway it pushes to.
 */
function checkNetworkReach(run: MockRun<unknown>): void {
    const policies = ofType(run.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const selectedIn = (namespace: string, labels: Record<string, string>) =>
        policies.some((policy) => policy.inputs.metadata.namespace === namespace && selects(policy.inputs.spec.podSelector, labels));
    for (const workload of kube(run).filter((resource) => WORKLOAD_TEMPLATES[resource.type] !== undefined)) {
        const template = WORKLOAD_TEMPLATES[workload.type](workload.inputs);
        const containers = [...template.spec.containers, ...(template.spec.initContainers ?? [])];
        if (containers.some((container: any) => /redis|valkey/i.test(container.image))) {
            assert.ok(selectedIn(workload.inputs.metadata.namespace, template.metadata.labels), `${workload.name} runs Redis and a NetworkPolicy selects its pods`);
        }
    }

    const [platformPolicy] = kubeOf(run, COMPONENT).filter((resource) => resource.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const namespace = platformPolicy.inputs.metadata.namespace;
    const ingress: any[] = platformPolicy.inputs.spec.ingress;
    const data = kubeOf(run, COMPONENT).find((resource) => resource.type === "kubernetes:apps/v1:StatefulSet" && resource.inputs.spec.template.spec.containers[0].name === "redis");
    assert.ok(data, "the data nodes' StatefulSet");
    const dataPod = data.inputs.spec.template.spec;
    const exporterOn = dataPod.containers.some((container: any) => container.name === "exporter");
    const scrapeRule = ingress.find((rule) => rule.ports.some((port: any) => port.port === 9121));
    assert.equal(scrapeRule !== undefined, exporterOn, "the exporter port is open exactly when there is an exporter");
    const prometheus = kubeOf(run, MONITORING).find((resource) => resource.type === "kubernetes:apps/v1:StatefulSet");
    if (prometheus && scrapeRule) {
        assert.deepEqual(scrapeRule.from, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": prometheus.inputs.metadata.namespace } } }], "the bundled Prometheus scrapes from the namespace the policy admits");
    }

    const passwordsVolume = (pod: any) => pod.volumes.find((volume: any) => volume.name === "passwords");
    assert.ok(!passwordsVolume(dataPod).secret.items.some((item: any) => item.key === "backup"), "the data pods do not mount the backup password");
    const cronJob = kubeOf(run, BACKUP).find((resource) => resource.type === "kubernetes:batch/v1:CronJob");
    if (cronJob === undefined) {
        return;
    }
    const jobPod = cronJob.inputs.spec.jobTemplate.spec.template;
    assert.equal(cronJob.inputs.metadata.namespace, namespace, "the backup job runs beside the nodes");
    const clientRule = ingress.find((rule) => rule.ports.some((port: any) => port.port === 6379) && rule.from.some((peer: any) => peer.namespaceSelector === undefined && selects(peer.podSelector, jobPod.metadata.labels)));
    assert.ok(clientRule, "the deployment's NetworkPolicy admits the backup job on the Redis port");
    const secretName = passwordsVolume(jobPod.spec).secret.secretName;
    assert.deepEqual(passwordsVolume(jobPod.spec).secret.items, [{ key: "backup", path: "backup" }], "the job mounts only the backup password");
    assert.ok("backup" in named(run, "kubernetes:core/v1:Secret", secretName).inputs.stringData, `${secretName} holds the backup password`);
    const pushUrl = jobPod.spec.initContainers[0].env.find((entry: any) => entry.name === "BACKUP_PUSHGATEWAY_URL")?.value;
    const pushgateway = kubeOf(run, MONITORING).find((resource) => resource.type === "kubernetes:core/v1:Service" && resource.inputs.metadata.name.endsWith("-pushgateway"));
    if (pushgateway) {
        assert.equal(pushUrl, `http://${pushgateway.inputs.metadata.name}.${pushgateway.inputs.metadata.namespace}.svc.cluster.local:9091`, "the job pushes to the Pushgateway");
        assert.ok(!selectedIn(pushgateway.inputs.metadata.namespace, pushgateway.inputs.spec.selector), "no NetworkPolicy stands between the job and the Pushgateway");
    }
}

/**
 * Checks the Jobs that run `redis-switchover.sh` and the order around them: the engine guard and the engine
 * upgrade's pre-flight Job come before the data StatefulSet (so an engine change moves the primaries to the
 * lowest ordinals before any data pod is replaced); the `switchoverTo` Job, when set, comes after the pods.
 * Each runs the rendered script with the first data node's environment plus its own, with the TLS files
 * where that environment says and only the passwords it logs in with.
 */
function checkSwitchoverJobs(run: MockRun<unknown>, rendered: RenderedDeployment): void {
    const jobs = ofType(run.resources, "kubernetes:batch/v1:Job").filter((job) => /-(engine-upgrade|switchover)$/.test(job.inputs.metadata.name));
    const dataSet = kubeOf(run, COMPONENT).find((resource) => resource.type === "kubernetes:apps/v1:StatefulSet" && resource.inputs.metadata.name === "redis");
    const guard = only(run, "pulumi-nodejs:dynamic/redisplatform:EngineVersionGuard");
    assert.deepEqual(guard.inputs.name, rendered.engine.name);
    assert.deepEqual(guard.inputs.version, rendered.engine.version);
    assert.ok(dataSet?.dependencies.includes(guard.urn), "the data StatefulSet waits for the engine guard");
    const upgrade = jobs.find((job) => job.inputs.metadata.name.endsWith("-engine-upgrade"));
    if (rendered.topology.kind === "standalone") {
        assert.equal(upgrade, undefined, "a standalone node has no primary to move");
        return;
    }
    assert.ok(upgrade, "sentinel and cluster have an engine upgrade pre-flight Job");
    assert.ok(upgrade.dependencies.includes(guard.urn), "the pre-flight runs after the guard accepted the engine");
    assert.ok(dataSet?.dependencies.includes(upgrade.urn), "the data StatefulSet rolls only after the pre-flight Job completed");
    assert.equal(dataSet?.inputs.spec.updateStrategy.type, "RollingUpdate", "pods are replaced one at a time, highest ordinal first");
    const first = rendered.nodes[0];
    const expected: Record<string, string> = { ...switchoverJobEnv(rendered, engineUpgradeEnvFor(rendered.topology, rendered.engine)) };
    for (const job of jobs) {
        const [container] = job.inputs.spec.template.spec.containers;
        assert.deepEqual(container.command, ["/bin/sh", "/etc/redis/scripts/redis-switchover.sh"]);
        const env = Object.fromEntries(container.env.map((entry: any) => [entry.name, entry.value]));
        if (job === upgrade) {
            assert.deepEqual(env, expected, "the pre-flight runs with the first node's environment and the upgrade's");
        } else {
            assert.ok(dataSet && job.dependencies.includes(dataSet.urn), "the switchoverTo Job runs after the data pods");
        }
        const passwordVolume: any = job.inputs.spec.template.spec.volumes.find((volume: any) => volume.name === "passwords");
        assert.deepEqual(passwordVolume.secret.items.map((item: any) => item.key), rendered.topology.kind === "sentinel" ? ["admin", "sentinel"] : ["admin"]);
        const tlsMount = container.volumeMounts.find((candidate: any) => candidate.name === "tls");
        if (first.env.REDIS_TLS === "yes") {
            assert.equal(tlsMount.mountPath, path.posix.dirname(first.env.REDIS_TLS_CA_FILE), "the job finds the TLS files where its environment says");
        }
    }
}

/**
 * Checks what every run must satisfy: each object valid against the Kubernetes schema, parented, images
 * pinned, secrets only in Secrets (as Pulumi secrets), and each pod's files the rendered ones.
 */
async function checkInvariants(run: MockRun<unknown>, rendered: RenderedDeployment): Promise<void> {
    const component = only(run, COMPONENT);
    const redis = run.resources.find((resource) => resource.type === "redisplatform:index:Redis");
    assert.equal(component.parent, redis?.urn, "KubernetesRedis is a child of the Redis component");
    // Monitoring and backups are components of their own under KubernetesRedis; their objects are their children.
    const monitoring = only(run, MONITORING);
    const backup = only(run, BACKUP);
    assert.equal(monitoring.parent, component.urn, "KubernetesMonitoring is a child of KubernetesRedis");
    assert.equal(backup.parent, component.urn, "KubernetesBackup is a child of KubernetesRedis");
    const owners = new Map([component, monitoring, backup].map((owner) => [owner.urn, owner.type]));

    const pinned = new Set(allPinnedImages().map((image) => image.ref));
    const secrets = rendered.users.flatMap((user) => user.passwords.flatMap((password) => [password, aclPasswordHash(password)]));
    for (const resource of kube(run)) {
        const owner = owners.get(resource.parent ?? "");
        assert.ok(owner, `${resource.name} is parented to KubernetesRedis, its monitoring or its backup`);
        if (owner === MONITORING) {
            // The deployment's NetworkPolicy selects part-of: redis-platform; monitoring pods must stay outside it.
            assert.equal(resource.inputs.metadata.labels?.["app.kubernetes.io/part-of"], "redis-monitoring", `${resource.name} carries the monitoring labels`);
        }
        await assertValidKubernetesObject(resource);
        if (resource.type === "kubernetes:core/v1:Secret") {
            assert.deepEqual(resource.secretInputs, ["stringData"], `${resource.name} sends its data as a Pulumi secret`);
            assert.equal(resource.inputs.data, undefined);
        } else {
            assert.deepEqual(leakedSecrets(resource.inputs), [], `${resource.name} holds no secret`);
            const text = JSON.stringify(resource.inputs);
            assert.ok(!secrets.some((secret) => text.includes(secret)), `${resource.name} holds no password and no password hash`);
        }
        const pod = resource.inputs.spec?.template?.spec ?? resource.inputs.spec?.jobTemplate?.spec?.template?.spec;
        for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
            assert.match(container.image, PINNED_IMAGE_PATTERN, `${resource.name}/${container.name} pins its image`);
            // The upload image may be the stack's `backup.uploadImage`, not one of ours.
            const override = owner === BACKUP && container.name === "upload" && container.image !== AWS_CLI_IMAGE.ref;
            assert.ok(override || pinned.has(container.image), `${resource.name}/${container.name} runs an image of the pinned table`);
        }
    }
    checkNetworkReach(run);

    // The scripts, byte for byte, and every pod's config and environment, as the pod selects them by its name.
    const cm = configMapNames(rendered);
    const scripts = named(run, "kubernetes:core/v1:ConfigMap", cm.scripts);
    assert.deepEqual(scripts.inputs.data, {
        ...Object.fromEntries(Object.entries(rendered.scripts).filter(([, text]) => text !== undefined)),
        "redis-reload.sh": renderReloadScript(),
    });
    const store = (volume: any): Record<string, string> =>
        volume.configMap ? named(run, "kubernetes:core/v1:ConfigMap", volume.configMap.name).inputs.data : named(run, "kubernetes:core/v1:Secret", volume.secret.secretName).inputs.stringData;
    for (const set of kubeOf(run, COMPONENT).filter((resource) => resource.type === "kubernetes:apps/v1:StatefulSet")) {
        const podSpec = set.inputs.spec.template.spec;
        const main = podSpec.containers[0];
        assert.deepEqual(main.env[0], POD_NAME_ENV, "the pod learns its name from the downward API");
        const volumeOf = (mountPath: string) => {
            const mount = main.volumeMounts.find((candidate: any) => candidate.mountPath === mountPath);
            return { mount, volume: podSpec.volumes.find((candidate: any) => candidate.name === mount.name) };
        };
        for (let ordinal = 0; ordinal < set.inputs.spec.replicas; ordinal++) {
            const pod = `${set.inputs.metadata.name}-${ordinal}`;
            const node = rendered.nodes.find((candidate) => candidate.node.announceHost.startsWith(`${pod}.${set.inputs.spec.serviceName}.`));
            assert.ok(node, `pod ${pod} is a rendered node`);
            const config = volumeOf(node.paths.configFile);
            assert.equal(store(config.volume)[config.mount.subPathExpr.replace("$(POD_NAME)", pod)], node.config, `${pod} mounts its rendered config`);
            const env = volumeOf(POD_ENV_FILE);
            assert.deepEqual(parseEnvFile(store(env.volume)[env.mount.subPathExpr.replace("$(POD_NAME)", pod)]), node.env, `${pod} sources its rendered environment`);
            assert.deepEqual(main.command, runScriptCommand(node.node.kind === "redis" ? "redis-start.sh" : "sentinel-start.sh"));
            if (node.node.kind === "redis") {
                checkReloadSidecar(podSpec, pod, node, rendered);
            }
        }
        if (set.inputs.metadata.name === "redis-sentinel") {
            assert.ok(!podSpec.containers.some((container: any) => container.name === RELOAD_CONTAINER), "sentinels roll on a change instead");
        }
    }
    // Each script Job: its script, its environment file (the first node's plus its own), its one password.
    const jobs: Record<string, { script: "cluster-create.sh" | "cluster-drain.sh" | "sentinel-reset.sh"; key: string; own: Record<string, string> | undefined; user: string }> = {
        "redis-cluster-init": { script: "cluster-create.sh", key: CLUSTER_CREATE_ENV_KEY, own: rendered.clusterCreateEnv, user: "admin" },
        "redis-cluster-drain": { script: "cluster-drain.sh", key: CLUSTER_CREATE_ENV_KEY, own: rendered.clusterCreateEnv, user: "admin" },
        "redis-sentinel-reset": { script: "sentinel-reset.sh", key: SENTINEL_RESET_ENV_KEY, own: rendered.sentinelResetEnv, user: "sentinel" },
    };
    checkSwitchoverJobs(run, rendered);
    // The switchover and engine-upgrade Jobs run the switchover script with their own environment (checkSwitchoverJobs).
    const scriptJobs = ofType(run.resources, "kubernetes:batch/v1:Job").filter((resource) => resource.parent === component.urn && !/-(switchover|engine-upgrade)$/.test(resource.inputs.metadata.name));
    for (const job of scriptJobs) {
        const expected = jobs[job.inputs.metadata.name];
        assert.ok(expected, `${job.inputs.metadata.name} is a known script Job`);
        const [container] = job.inputs.spec.template.spec.containers;
        assert.deepEqual(container.command, runScriptCommand(expected.script));
        const mount = container.volumeMounts.find((candidate: any) => candidate.mountPath === POD_ENV_FILE);
        assert.equal(mount.subPath, expected.key);
        const first = rendered.nodes[0];
        assert.deepEqual(parseEnvFile(named(run, "kubernetes:core/v1:ConfigMap", cm.nodes).inputs.data[expected.key]), { ...first.env, ...expected.own });
        assert.deepEqual(job.inputs.spec.template.spec.volumes.find((volume: any) => volume.name === "passwords").secret.items, [{ key: expected.user, path: expected.user }]);
        const tlsMount = container.volumeMounts.find((candidate: any) => candidate.name === "tls");
        if (first.env.REDIS_TLS === "yes") {
            assert.equal(tlsMount.mountPath, path.posix.dirname(first.env.REDIS_TLS_CA_FILE), "the job finds the TLS files where its environment says");
        }
    }
}

describe("Kubernetes platform under mocks", function () {
    this.timeout(20000);

    it("standalone: the exact objects", async () => {
        const selfhosted = { topology: "standalone" };
        const run = await build(selfhosted);
        const rendered = renderedFor(selfhosted);
        await checkInvariants(run, rendered);
        assert.deepEqual(
            typeNames(kubeOf(run, COMPONENT)),
            [
                "kubernetes:apps/v1:StatefulSet redis",
                `kubernetes:core/v1:ConfigMap ${configMapNames(rendered).nodes}`,
                `kubernetes:core/v1:ConfigMap ${configMapNames(rendered).scripts}`,
                "kubernetes:core/v1:Namespace redis",
                "kubernetes:core/v1:PersistentVolumeClaimPatch data-redis-0",
                "kubernetes:core/v1:Secret redis-0-tls",
                "kubernetes:core/v1:Secret redis-acl",
                "kubernetes:core/v1:Secret redis-exporter",
                "kubernetes:core/v1:Secret redis-passwords",
                "kubernetes:core/v1:Secret redis-tls-client",
                "kubernetes:core/v1:Service redis",
                "kubernetes:core/v1:Service redis-headless",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy redis",
                "kubernetes:policy/v1:PodDisruptionBudget redis",
            ],
        );
        // Monitoring is on and `bundled` by default: the stack in the monitoring namespace.
        assert.deepEqual(typeNames(kubeOf(run, MONITORING)), BUNDLED_MONITORING);
        assert.ok(kubeOf(run, MONITORING).every((resource) => resource.inputs.metadata.namespace === (resource.type === "kubernetes:core/v1:Namespace" ? undefined : "monitoring")));
        // Backups are on by default: without `backup.uploadImage` the CronJob uploads with the pinned AWS CLI image.
        assert.deepEqual(typeNames(kubeOf(run, BACKUP)), BACKUP_OBJECTS);
        assert.equal(named(run, "kubernetes:batch/v1:CronJob", "redis-backup").inputs.spec.jobTemplate.spec.template.spec.containers[0].image, AWS_CLI_IMAGE.ref);
        assert.equal(ofType(run.resources, "redisplatform:backup:BackupBucket")[0].parent, only(run, BACKUP).urn);
        const set = named(run, "kubernetes:apps/v1:StatefulSet", "redis");
        assert.deepEqual(set.inputs.metadata, { name: "redis", namespace: "redis", labels: LABELS("redis") });
        assert.deepEqual(withoutHash(set.inputs.spec), expectedDataSpec("standalone", 1, ["admin", "monitor"], configMapNames(rendered)));
        assert.equal(set.protect, false);

        assert.deepEqual(named(run, "kubernetes:core/v1:Service", "redis").inputs, {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "redis", namespace: "redis", labels: LABELS("redis") },
            spec: { type: "ClusterIP", selector: SELECTOR("redis"), ports: [{ name: "redis", port: 6379, targetPort: "redis", protocol: "TCP" }] },
        });
        assert.deepEqual(named(run, "kubernetes:core/v1:Service", "redis-headless").inputs, {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "redis-headless", namespace: "redis", labels: LABELS("redis") },
            spec: {
                clusterIP: "None",
                publishNotReadyAddresses: true,
                selector: { "app.kubernetes.io/name": "redis", "app.kubernetes.io/instance": "redis" },
                ports: [{ name: "redis", port: 6379, targetPort: "redis", protocol: "TCP" }],
            },
        });
        assert.deepEqual(named(run, "kubernetes:policy/v1:PodDisruptionBudget", "redis").inputs, {
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: { name: "redis", namespace: "redis", labels: LABELS("redis") },
            spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: SELECTOR("redis") } },
        });
        assert.deepEqual(named(run, "kubernetes:core/v1:Secret", "redis-passwords").inputs.stringData, {
            admin: mockPassword("admin"),
            monitor: mockPassword("monitor"),
            backup: mockPassword("backup"),
        });
        assert.deepEqual(named(run, "kubernetes:core/v1:Secret", "redis-acl").inputs.stringData, { "users.acl": rendered.usersAcl });
        assert.deepEqual(JSON.parse(named(run, "kubernetes:core/v1:Secret", "redis-exporter").inputs.stringData["passwords.json"]), {
            "rediss://redis-0.redis-headless.redis.svc.cluster.local:6379": mockPassword("monitor"),
        });
        assert.deepEqual(Object.keys(named(run, "kubernetes:core/v1:Secret", "redis-0-tls").inputs.stringData).sort(), ["ca.crt", "client.crt", "client.key", "tls.crt", "tls.key"]);
        assert.deepEqual(named(run, "kubernetes:core/v1:Secret", "redis-0-tls").inputs.stringData["tls.crt"], "-----BEGIN CERTIFICATE redis-ca-redis-0-cert-----");
    });

    it("sentinel: the exact StatefulSets, Services and budgets; discovery through the sentinels", async () => {
        const selfhosted = { topology: "sentinel", replicas: 2, sentinels: 3 };
        const run = await build(selfhosted);
        const rendered = renderedFor(selfhosted);
        await checkInvariants(run, rendered);
        assert.deepEqual(withoutHash(named(run, "kubernetes:apps/v1:StatefulSet", "redis").inputs.spec), expectedDataSpec("sentinel", 3, ["admin", "monitor", "replication", "sentinel"], configMapNames(rendered)));
        const sentinelScripts = sentinelProbeScripts(true);
        const cm = configMapNames(rendered);
        assert.deepEqual(withoutHash(named(run, "kubernetes:apps/v1:StatefulSet", "redis-sentinel").inputs.spec), {
            serviceName: "redis-headless",
            replicas: 3,
            podManagementPolicy: "Parallel",
            updateStrategy: { type: "RollingUpdate" },
            selector: { matchLabels: SELECTOR("sentinel") },
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            template: {
                metadata: templateMeta("sentinel"),
                spec: {
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: podSecurity,
                    topologySpreadConstraints: spread("sentinel", "ScheduleAnyway"),
                    terminationGracePeriodSeconds: 30,
                    containers: [
                        {
                            name: "sentinel",
                            image: REDIS_72,
                            imagePullPolicy: "IfNotPresent",
                            command: ["/bin/sh", "-c", "set -a && . /etc/redis/env/node.env && set +a && exec /bin/sh /etc/redis/scripts/sentinel-start.sh"],
                            env: [POD_NAME_ENV],
                            ports: [{ name: "sentinel", containerPort: 26379, protocol: "TCP" }],
                            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "100m", memory: "128Mi" } },
                            securityContext: SECURITY,
                            volumeMounts: mounts("sentinel-config"),
                            startupProbe: probe(sentinelScripts.alive, 5, 60),
                            livenessProbe: probe(sentinelScripts.alive, 10, 6),
                            readinessProbe: probe(sentinelScripts.ready, 5, 3),
                        },
                        exporterContainer(26379, [{ name: "REDIS_EXPORTER_CONFIG_COMMAND", value: "-" }]),
                    ],
                    volumes: [
                        { name: "node-files", configMap: { name: cm.sentinelNodes, defaultMode: 0o444 } },
                        { name: "scripts", configMap: { name: cm.scripts, defaultMode: 0o555 } },
                        { name: "passwords", secret: { secretName: "redis-passwords", defaultMode: 0o440, items: [{ key: "sentinel", path: "sentinel" }, { key: "monitor", path: "monitor" }] } },
                        {
                            name: "tls",
                            projected: {
                                defaultMode: 0o440,
                                sources: [0, 1, 2].map((i) => ({ secret: { name: `redis-sentinel-${i}-tls`, items: TLS_ITEMS(`redis-sentinel-${i}`) } })),
                            },
                        },
                        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                        { name: "sentinel-config", secret: { secretName: "redis-sentinel-config", defaultMode: 0o440 } },
                        { name: "exporter", secret: { secretName: "redis-exporter", defaultMode: 0o440 } },
                        { name: "exporter-tls", secret: { secretName: "redis-tls-client", defaultMode: 0o440 } },
                    ],
                },
            },
            volumeClaimTemplates: [
                { metadata: { name: "data", labels: LABELS("sentinel") }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1024Mi" } } } },
            ],
        });
        const platformOf = (type: string) => kubeOf(run, COMPONENT).filter((resource) => resource.type === type);
        assert.deepEqual(platformOf("kubernetes:core/v1:Service").map((service) => service.inputs.metadata.name).sort(), ["redis-headless", "redis-sentinel"]);
        assert.deepEqual(named(run, "kubernetes:core/v1:Service", "redis-sentinel").inputs.spec, {
            type: "ClusterIP",
            selector: SELECTOR("sentinel"),
            ports: [{ name: "sentinel", port: 26379, targetPort: "sentinel", protocol: "TCP" }],
        });
        assert.deepEqual(named(run, "kubernetes:core/v1:Service", "redis-headless").inputs.spec.ports, [
            { name: "redis", port: 6379, targetPort: "redis", protocol: "TCP" },
            { name: "sentinel", port: 26379, targetPort: "sentinel", protocol: "TCP" },
        ]);
        assert.deepEqual(
            platformOf("kubernetes:policy/v1:PodDisruptionBudget").map((budget) => [budget.inputs.metadata.name, budget.inputs.spec.maxUnavailable, budget.inputs.spec.selector.matchLabels]),
            [
                ["redis", 1, SELECTOR("redis")],
                ["redis-sentinel", 1, SELECTOR("sentinel")],
            ],
        );
        // Sentinel configs carry password hashes: a Secret, never the ConfigMap.
        const sentinelConfig = named(run, "kubernetes:core/v1:Secret", "redis-sentinel-config").inputs.stringData;
        assert.deepEqual(Object.keys(sentinelConfig), ["redis-sentinel-0.conf", "redis-sentinel-1.conf", "redis-sentinel-2.conf"]);
        assert.equal(sentinelConfig["redis-sentinel-1.conf"], rendered.nodes.find((node) => node.node.name === "sentinel-1")?.config);
        assert.ok(!Object.keys(named(run, "kubernetes:core/v1:ConfigMap", cm.nodes).inputs.data).some((key) => key.startsWith("redis-sentinel-") && key.endsWith(".conf")));
    });

    it("cluster: the exact data StatefulSet and cluster-init Job", async () => {
        const selfhosted = { topology: "cluster", shards: 3, replicasPerShard: 1 };
        const run = await build(selfhosted);
        const rendered = renderedFor(selfhosted);
        await checkInvariants(run, rendered);
        assert.deepEqual(withoutHash(named(run, "kubernetes:apps/v1:StatefulSet", "redis").inputs.spec), expectedDataSpec("cluster", 6, ["admin", "monitor", "replication"], configMapNames(rendered)));
        assert.deepEqual(named(run, "kubernetes:core/v1:Service", "redis-headless").inputs.spec.ports, [
            { name: "redis", port: 6379, targetPort: "redis", protocol: "TCP" },
            { name: "cluster-bus", port: 16379, targetPort: "cluster-bus", protocol: "TCP" },
        ]);
        const cm = configMapNames(rendered);
        const job = named(run, "kubernetes:batch/v1:Job", "redis-cluster-init");
        assert.deepEqual(job.inputs.metadata, { name: "redis-cluster-init", namespace: "redis", labels: LABELS("cluster-init") });
        const spec = JSON.parse(JSON.stringify(job.inputs.spec));
        assert.match(spec.template.metadata.annotations["redisplatform.io/content-hash"], /^[0-9a-f]{64}$/);
        spec.template.metadata.annotations["redisplatform.io/content-hash"] = "<hash>";
        assert.deepEqual(spec, {
            backoffLimit: 10,
            activeDeadlineSeconds: 1800,
            template: {
                metadata: { labels: LABELS("cluster-init"), annotations: { "redisplatform.io/content-hash": "<hash>" } },
                spec: {
                    restartPolicy: "Never",
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: podSecurity,
                    containers: [
                        {
                            name: "cluster-create",
                            image: REDIS_72,
                            imagePullPolicy: "IfNotPresent",
                            command: ["/bin/sh", "-c", "set -a && . /etc/redis/env/node.env && set +a && exec /bin/sh /etc/redis/scripts/cluster-create.sh"],
                            resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
                            securityContext: SECURITY,
                            volumeMounts: [
                                { name: "node-files", mountPath: "/etc/redis/env/node.env", subPath: "cluster-create.env", readOnly: true },
                                { name: "scripts", mountPath: "/etc/redis/scripts", readOnly: true },
                                { name: "passwords", mountPath: "/etc/redis/passwords", readOnly: true },
                                { name: "tls", mountPath: "/etc/redis/tls/redis-0", readOnly: true },
                                { name: "tmp", mountPath: "/tmp" },
                            ],
                        },
                    ],
                    volumes: [
                        { name: "node-files", configMap: { name: cm.nodes, defaultMode: 0o444 } },
                        { name: "scripts", configMap: { name: cm.scripts, defaultMode: 0o555 } },
                        { name: "passwords", secret: { secretName: "redis-passwords", defaultMode: 0o440, items: [{ key: "admin", path: "admin" }] } },
                        { name: "tls", secret: { secretName: "redis-tls-client", defaultMode: 0o440 } },
                        { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                    ],
                },
            },
        });
        assert.deepEqual(kubeOf(run, COMPONENT).filter((resource) => resource.type === "kubernetes:core/v1:Service").map((service) => service.inputs.metadata.name).sort(), ["redis", "redis-headless"]);
        assert.deepEqual(Object.keys(named(run, "kubernetes:core/v1:Secret", "redis-tls-client").inputs.stringData).sort(), ["ca.crt", "client.crt", "client.key"]);
    });

    it("cluster: the drain Job runs the same way as the init Job, before the StatefulSet; the init Job after the drain, not after the StatefulSet", async () => {
        const run = await build({ topology: "cluster", shards: 3, replicasPerShard: 1 });
        const init = named(run, "kubernetes:batch/v1:Job", "redis-cluster-init");
        const drain = named(run, "kubernetes:batch/v1:Job", "redis-cluster-drain");
        const set = named(run, "kubernetes:apps/v1:StatefulSet", "redis");
        assert.deepEqual(drain.inputs.metadata, { name: "redis-cluster-drain", namespace: "redis", labels: { ...LABELS("cluster-drain"), "app.kubernetes.io/name": "redis-cluster-drain" } });
        const sameJob = (spec: any) => {
            const copy = JSON.parse(JSON.stringify(spec));
            delete copy.template.metadata.annotations["redisplatform.io/content-hash"];
            delete copy.template.metadata.labels;
            copy.template.spec.containers[0].name = "<name>";
            copy.template.spec.containers[0].command = "<command>";
            return copy;
        };
        assert.deepEqual(sameJob(drain.inputs.spec), sameJob(init.inputs.spec), "same image, environment file, credentials and limits");
        assert.equal(drain.inputs.spec.template.spec.containers[0].name, "cluster-drain");
        assert.ok(set.dependencies.includes(drain.urn), "the StatefulSet (and so a scale-down) waits for the drain");
        assert.ok(init.dependencies.includes(drain.urn), "the init Job runs after the drain");
        assert.ok(!init.dependencies.includes(set.urn), "the init Job does not wait for the StatefulSet, whose pods are ready only once it ran");
        assert.ok(!drain.dependencies.includes(set.urn));
    });

    for (const [change, from, to] of [
        ["shards 3 -> 4", { shards: 3, replicasPerShard: 1 }, { shards: 4, replicasPerShard: 1 }],
        ["shards 4 -> 3", { shards: 4, replicasPerShard: 1 }, { shards: 3, replicasPerShard: 1 }],
    ] as const) {
        it(`cluster ${change}: the StatefulSet is updated in place, only its replica count changes (no pod restarts); both Jobs re-run`, async () => {
            const [before, after] = [await build({ topology: "cluster", ...from }), await build({ topology: "cluster", ...to })];
            const set = (run: MockRun<unknown>) => named(run, "kubernetes:apps/v1:StatefulSet", "redis").inputs;
            assert.deepEqual(set(after).metadata, set(before).metadata, "same name: an update, not a replacement");
            assert.equal(set(after).spec.replicas, to.shards * (1 + to.replicasPerShard));
            // Only the projected TLS volume changes: it lists every node's certificate Secret, so the data pods roll
            // (one at a time, each handing over first); without TLS the template does not change at all.
            const withoutTls = (spec: any) => ({ ...spec, replicas: 0, template: { ...spec.template, spec: { ...spec.template.spec, volumes: spec.template.spec.volumes.filter((volume: any) => volume.name !== "tls") } } });
            assert.deepEqual(withoutTls(set(after).spec), withoutTls(set(before).spec), "the pod template (ConfigMap names and content hash included) is otherwise unchanged");
            const tlsSecrets = (run: MockRun<unknown>) => set(run).spec.template.spec.volumes.find((volume: any) => volume.name === "tls").projected.sources.map((source: any) => source.secret.name);
            assert.deepEqual(tlsSecrets(after), Array.from({ length: to.shards * 2 }, (_, index) => `redis-${index}-tls`));
            const plain = async (shape: typeof from) => named(await build({ topology: "cluster", ...shape }, { tls: { enabled: false } }), "kubernetes:apps/v1:StatefulSet", "redis").inputs.spec;
            const [plainBefore, plainAfter] = [await plain(from), await plain(to)];
            assert.deepEqual({ ...plainAfter, replicas: 0 }, { ...plainBefore, replicas: 0 }, "without TLS no running pod restarts");
            const nodesMap = (run: MockRun<unknown>) => ofType(run.resources, "kubernetes:core/v1:ConfigMap").find((map) => map.inputs.metadata.name.startsWith("redis-nodes-"));
            assert.deepEqual(Object.keys(nodesMap(after)?.inputs.data).filter((key) => key.endsWith(".conf")).length, to.shards * (1 + to.replicasPerShard), "the new nodes' files are there");
            const hash = (run: MockRun<unknown>, job: string) => named(run, "kubernetes:batch/v1:Job", job).inputs.spec.template.metadata.annotations["redisplatform.io/content-hash"];
            for (const job of ["redis-cluster-drain", "redis-cluster-init"]) {
                assert.notEqual(hash(after, job), hash(before, job), `${job} gets a new pod template, so it is replaced and runs again`);
            }
        });
    }

    it("cluster replicas per shard 1 -> 2: every node's redis.conf changes, so the data pods roll (one at a time)", async () => {
        const [before, after] = [await build({ topology: "cluster", shards: 3, replicasPerShard: 1 }), await build({ topology: "cluster", shards: 3, replicasPerShard: 2 })];
        const hash = (run: MockRun<unknown>) => named(run, "kubernetes:apps/v1:StatefulSet", "redis").inputs.spec.template.metadata.annotations["redisplatform.io/content-hash"];
        assert.notEqual(hash(after), hash(before));
    });

    it("prod: hard spreading, priority class, somaxconn when asked, data protected", async () => {
        const selfhosted = { topology: "sentinel", replicas: 1, sentinels: 3, kubernetes: { namespace: "cache", priorityClassName: "redis-critical", somaxconn: 4096 }, storage: { size: "20gb", className: "fast" } };
        const extra = { environment: "prod", monitoring: { enabled: false } };
        const run = await build(selfhosted, extra);
        await checkInvariants(run, renderedFor(selfhosted, extra));
        assert.deepEqual(kubeOf(run, MONITORING), [], "monitoring off: no monitoring object");
        for (const set of ofType(run.resources, "kubernetes:apps/v1:StatefulSet")) {
            const pod = set.inputs.spec.template.spec;
            assert.equal(set.protect, true, `${set.name} is protected`);
            assert.equal(pod.priorityClassName, "redis-critical");
            assert.deepEqual(pod.securityContext.sysctls, [{ name: "net.core.somaxconn", value: "4096" }]);
            assert.deepEqual(pod.topologySpreadConstraints.map((constraint: any) => constraint.whenUnsatisfiable), ["DoNotSchedule", "DoNotSchedule"]);
            assert.deepEqual(pod.containers.map((container: any) => container.name), set.inputs.metadata.name === "redis" ? ["redis", "reload"] : ["sentinel"]);
            assert.equal(set.inputs.spec.volumeClaimTemplates[0].spec.storageClassName, "fast");
        }
        const [namespace] = ofType(run.resources, "kubernetes:core/v1:Namespace");
        assert.equal(namespace.protect, true, "the namespace (whose deletion would delete the volumes) is protected");
        assert.equal(namespace.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], undefined);
        assert.ok(!ofType(run.resources, "kubernetes:core/v1:Secret").some((secret) => secret.inputs.metadata.name === "redis-exporter"));
        const policy = ofType(run.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy")[0];
        assert.equal(policy.inputs.spec.ingress.length, 2, "no monitoring rule without the exporter");
    });

    it("without TLS: no certificates, plain probes and exporter", async () => {
        const selfhosted = { topology: "cluster", shards: 3, replicasPerShard: 1 };
        const extra = { tls: { enabled: false } };
        const run = await build(selfhosted, extra);
        await checkInvariants(run, renderedFor(selfhosted, extra));
        assert.deepEqual(kubeOf(run, COMPONENT).filter((resource) => resource.type === "kubernetes:core/v1:Secret").map((secret) => secret.inputs.metadata.name).sort(), ["redis-acl", "redis-exporter", "redis-passwords"]);
        const set = named(run, "kubernetes:apps/v1:StatefulSet", "redis");
        const pod = set.inputs.spec.template.spec;
        assert.ok(!pod.volumes.some((volume: any) => volume.name === "tls" || volume.name === "exporter-tls"));
        assert.equal(pod.containers[0].readinessProbe.exec.command[2], dataNodeProbeScripts("cluster", false).ready);
        assert.deepEqual(pod.containers.map((container: any) => container.name), ["redis", "reload", "exporter"]);
        assert.equal(pod.containers[2].env[1].value, "redis://$(POD_NAME).redis-headless.redis.svc.cluster.local:6379");
        assert.ok(!pod.containers[1].env.some((entry: any) => entry.name.startsWith("REDIS_TLS_")), "no TLS files to watch");
        assert.ok(!named(run, "kubernetes:batch/v1:Job", "redis-cluster-init").inputs.spec.template.spec.volumes.some((volume: any) => volume.name === "tls"));
    });

    it("does not create the namespace when told not to", async () => {
        const run = await build({ topology: "standalone", kubernetes: { createNamespace: false, namespace: "shared" } });
        assert.deepEqual(ofType(run.resources, "kubernetes:core/v1:Namespace"), [], "neither the deployment's nor the monitoring namespace");
        assert.ok(kubeOf(run, COMPONENT).every((resource) => resource.inputs.metadata.namespace === "shared"));
        assert.ok(kubeOf(run, MONITORING).every((resource) => resource.inputs.metadata.namespace === "monitoring"), "bundled monitoring stays in the monitoring namespace");
    });

    it("rolls the data nodes, and only them, when their files change", async () => {
        const hashes = async (memory: string) => {
            const run = await build({ topology: "sentinel", replicas: 1, sentinels: 3, resources: { cpu: "1", memory } });
            return kubeOf(run, COMPONENT).filter((resource) => resource.type === "kubernetes:apps/v1:StatefulSet").map((set) => [set.inputs.metadata.name, set.inputs.spec]);
        };
        const [small, large] = [Object.fromEntries(await hashes("1gb")), Object.fromEntries(await hashes("2gb"))];
        const hash = (spec: any) => spec.template.metadata.annotations["redisplatform.io/content-hash"];
        assert.notEqual(hash(small.redis), hash(large.redis), "a new maxmemory rolls the data nodes");
        assert.notDeepEqual(small.redis.template.spec.volumes[0], large.redis.template.spec.volumes[0], "into a new ConfigMap");
        assert.deepEqual(small["redis-sentinel"], large["redis-sentinel"], "the sentinels' pod template does not change: they keep running");
    });

    it("applies a password rotation live: new Secrets, the same data pod template; the sentinels roll", async () => {
        const selfhosted = { topology: "sentinel", replicas: 2, sentinels: 3 };
        const rotated = ["app", "admin", "monitor", "replication", "sentinel"];
        const rotation = { acl: { rotation: Object.fromEntries(rotated.map((user) => [user, { generation: 2, keepPrevious: true }])) } };
        const [before, after] = [await build(selfhosted), await build(selfhosted, rotation)];
        const rendered = renderedFor(selfhosted, rotation, rotated);
        await checkInvariants(after, rendered);

        // The Secrets carry the new passwords, and the ACL file both generations of each rotated user.
        const secretOf = (run: MockRun<unknown>, name: string) => named(run, "kubernetes:core/v1:Secret", name).inputs.stringData;
        assert.deepEqual(secretOf(after, "redis-passwords"), Object.fromEntries(["admin", "monitor", "backup", "replication", "sentinel"].map((user) => [user, mockPassword(user, rotated.includes(user) ? 2 : 1)])));
        assert.notDeepEqual(secretOf(after, "redis-passwords"), secretOf(before, "redis-passwords"));
        const acl = secretOf(after, "redis-acl")["users.acl"];
        assert.equal(acl, rendered.usersAcl);
        for (const user of rotated) {
            assert.ok(acl.includes(`#${aclPasswordHash(mockPassword(user, 2))}`) && acl.includes(`#${aclPasswordHash(mockPassword(user, 1))}`), `${user} logs in with either password`);
        }
        assert.notEqual(secretOf(after, "redis-sentinel-config")["redis-sentinel-0.conf"], secretOf(before, "redis-sentinel-config")["redis-sentinel-0.conf"]);

        // The data nodes' pod template, ConfigMaps included, is byte for byte the same: no data pod restarts.
        const spec = (run: MockRun<unknown>, name: string) => named(run, "kubernetes:apps/v1:StatefulSet", name).inputs.spec;
        assert.deepEqual(spec(after, "redis"), spec(before, "redis"), "a rotation does not roll the data nodes: their reload sidecars apply it");
        const configMaps = (run: MockRun<unknown>) => ofType(run.resources, "kubernetes:core/v1:ConfigMap").map((map) => [map.inputs.metadata.name, map.inputs.data]);
        assert.deepEqual(configMaps(after), configMaps(before));
        // Sentinels have no sidecar: their config carries the hashes, so they roll, one at a time.
        const hash = (run: MockRun<unknown>) => spec(run, "redis-sentinel").template.metadata.annotations["redisplatform.io/content-hash"];
        assert.notEqual(hash(after), hash(before));
    });
});

describe("Kubernetes platform: monitoring and backups under mocks", function () {
    this.timeout(20000);

    it("operator monitoring: metrics Services, ServiceMonitors and a PrometheusRule beside the nodes, valid against the CRD models", async () => {
        const selfhosted = { topology: "sentinel", replicas: 2, sentinels: 3 };
        const extra = { monitoring: { mode: "operator", operatorLabels: { release: "kube-prometheus-stack" } } };
        const run = await build(selfhosted, extra);
        await checkInvariants(run, renderedFor(selfhosted, extra));
        assert.deepEqual(typeNames(kubeOf(run, MONITORING)), [
            "kubernetes:apps/v1:Deployment redis-pushgateway",
            "kubernetes:core/v1:ConfigMap redis-grafana-dashboard",
            "kubernetes:core/v1:Service redis-metrics",
            "kubernetes:core/v1:Service redis-pushgateway",
            "kubernetes:core/v1:Service redis-sentinel-metrics",
            "kubernetes:monitoring.coreos.com/v1:PrometheusRule redis-rules",
            "kubernetes:monitoring.coreos.com/v1:ServiceMonitor redis-pushgateway",
            "kubernetes:monitoring.coreos.com/v1:ServiceMonitor redis-redis",
            "kubernetes:monitoring.coreos.com/v1:ServiceMonitor redis-sentinel",
        ]);
        assert.ok(kubeOf(run, MONITORING).every((resource) => resource.inputs.metadata.namespace === "redis"), "operator objects live beside the nodes");
        // The metrics Services select the platform's pods, on the exporter's named port.
        for (const [service, component] of [["redis-metrics", "redis"], ["redis-sentinel-metrics", "sentinel"]]) {
            const spec = named(run, "kubernetes:core/v1:Service", service).inputs.spec;
            assert.deepEqual(spec.selector, SELECTOR(component));
            const set = named(run, "kubernetes:apps/v1:StatefulSet", component === "redis" ? "redis" : "redis-sentinel");
            assert.ok(set.inputs.spec.template.spec.containers.some((container: any) => container.ports?.some((port: any) => port.name === spec.ports[0].targetPort)), `${service} targets the exporter port`);
        }
    });

    it("backups with an upload image: the CronJob, admitted as a client, reading only the backup password, guarded by its own policy", async () => {
        const uploadImage = `amazon/aws-cli:2.0.0@sha256:${"c".repeat(64)}`;
        const selfhosted = { topology: "sentinel", replicas: 2, sentinels: 3 };
        const extra = { backup: { uploadImage, serviceAccount: "redis-backup" } };
        const run = await build(selfhosted, extra);
        await checkInvariants(run, renderedFor(selfhosted, extra));
        assert.deepEqual(typeNames(kubeOf(run, BACKUP)), BACKUP_OBJECTS);
        const pod = named(run, "kubernetes:batch/v1:CronJob", "redis-backup").inputs.spec.jobTemplate.spec.template.spec;
        assert.deepEqual(pod.initContainers.map((container: any) => [container.name, container.image]), [["take", REDIS_72]]);
        assert.deepEqual(pod.containers.map((container: any) => [container.name, container.image]), [["upload", uploadImage]]);
        const env = Object.fromEntries(pod.initContainers[0].env.map((entry: any) => [entry.name, entry.value]));
        assert.equal(env.BACKUP_SHARDS, [0, 1, 2].map((i) => `redis-${i}.redis-headless.redis.svc.cluster.local:6379`).join(","));
        assert.equal(env.BACKUP_TARGET, "s3://redis-kubernetes-backup-bucket-bucket-generated");
        assert.equal(pod.serviceAccountName, "redis-backup");
    });
});

describe("Kubernetes example stacks under mocks", function () {
    this.timeout(20000);

    const subtreeCounts = (run: MockRun<unknown>) => {
        const component = run.resources.find((resource) => resource.type === COMPONENT);
        assert.ok(component);
        const counts: Record<string, number> = {};
        for (const resource of run.resources.filter((candidate) => candidate.parent === component.urn)) {
            counts[resource.type] = (counts[resource.type] ?? 0) + 1;
        }
        return counts;
    };
    const typeCounts = (run: MockRun<unknown>, prefix: string) => {
        const counts: Record<string, number> = {};
        for (const resource of run.resources.filter((candidate) => candidate.type.startsWith(prefix))) {
            counts[resource.type] = (counts[resource.type] ?? 0) + 1;
        }
        return counts;
    };

    it("staging (Sentinel on Kubernetes) builds with the exact resources", async () => {
        const run = await runStack("staging");
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(subtreeCounts(run), {
            "kubernetes:core/v1:Namespace": 1,
            "kubernetes:core/v1:ConfigMap": 3,
            "kubernetes:core/v1:Secret": 11,
            "kubernetes:apps/v1:StatefulSet": 2,
            "kubernetes:batch/v1:Job": 2,
            "kubernetes:core/v1:PersistentVolumeClaimPatch": 3,
            "kubernetes:core/v1:Service": 2,
            "kubernetes:policy/v1:PodDisruptionBudget": 2,
            "kubernetes:networking.k8s.io/v1:NetworkPolicy": 1,
            "pulumi-nodejs:dynamic/redisplatform:EngineVersionGuard": 1,
            [MONITORING]: 1,
            [BACKUP]: 1,
        });
        // CA, 3 data nodes, 3 sentinels and the nodes' client certificate; no mTLS, so no applications' one.
        assert.deepEqual(typeCounts(run, "tls:"), {
            "tls:index/privateKey:PrivateKey": 8,
            "tls:index/selfSignedCert:SelfSignedCert": 1,
            "tls:index/certRequest:CertRequest": 7,
            "tls:index/locallySignedCert:LocallySignedCert": 7,
        });
        assert.equal(run.outputs.clientCertificate, undefined);
        // Seven ACL users and Grafana's admin password.
        assert.deepEqual(typeCounts(run, "random:"), { "random:index/randomPassword:RandomPassword": 8 });
        assert.deepEqual(run.outputs.connection.value, {
            mode: "sentinel",
            endpoints: [0, 1, 2].map((i) => ({ host: `redis-sentinel-${i}.redis-headless.redis-staging.svc.cluster.local`, port: 26379 })),
            sentinelMasterName: "redis-primary",
            tls: { enabled: true, caCertPem: "-----BEGIN CERTIFICATE redis-ca-ca-cert-----", clientCertRequired: false },
        });
        const set = kubeOf(run, COMPONENT).filter((resource) => resource.type === "kubernetes:apps/v1:StatefulSet");
        assert.deepEqual(set.map((resource) => [resource.inputs.metadata.name, resource.inputs.spec.replicas, resource.protect]).sort(), [
            ["redis", 3, false],
            ["redis-sentinel", 3, false],
        ]);
    });

    it("example-k8s-cluster (Cluster on Kubernetes, prod) builds with the exact resources", async () => {
        const run = await runStack("example-k8s-cluster");
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(subtreeCounts(run), {
            "kubernetes:core/v1:Namespace": 1,
            "kubernetes:core/v1:ConfigMap": 2,
            "kubernetes:core/v1:Secret": 10,
            "kubernetes:apps/v1:StatefulSet": 1,
            "kubernetes:batch/v1:Job": 3,
            "kubernetes:core/v1:PersistentVolumeClaimPatch": 6,
            "kubernetes:core/v1:Service": 2,
            "kubernetes:policy/v1:PodDisruptionBudget": 1,
            "kubernetes:networking.k8s.io/v1:NetworkPolicy": 1,
            "pulumi-nodejs:dynamic/redisplatform:EngineVersionGuard": 1,
            [MONITORING]: 1,
            [BACKUP]: 1,
            // The Envoy proxy the stack enables (docs/proxy.md); its own objects are counted in tests/unit/proxy.test.ts.
            "redisplatform:kubernetes:Proxy": 1,
        });
        // CA, 6 nodes, the nodes' client certificate and (mTLS) the applications' one.
        assert.deepEqual(typeCounts(run, "tls:"), {
            "tls:index/privateKey:PrivateKey": 10,
            "tls:index/selfSignedCert:SelfSignedCert": 1,
            "tls:index/certRequest:CertRequest": 9,
            "tls:index/locallySignedCert:LocallySignedCert": 9,
        });
        assert.equal(run.outputs.clientCertificate.secret, true, "the applications' client certificate is a secret output");
        assert.deepEqual(Object.keys(run.outputs.clientCertificate.value as object).sort(), ["certPem", "keyPem"]);
        // Five ACL users and Grafana's admin password.
        assert.deepEqual(typeCounts(run, "random:"), { "random:index/randomPassword:RandomPassword": 6 });
        const set = named(run, "kubernetes:apps/v1:StatefulSet", "redis");
        assert.equal(set.protect, true);
        assert.equal(set.inputs.spec.replicas, 6);
        assert.match(set.inputs.spec.template.spec.containers[0].image, /^valkey\/valkey:8\.1\.3-alpine@sha256:/);
        assert.deepEqual(run.outputs.connection.value, {
            mode: "cluster",
            endpoints: [{ host: "redis.redis-cluster.svc.cluster.local", port: 6379 }],
            tls: { enabled: true, caCertPem: "-----BEGIN CERTIFICATE redis-ca-ca-cert-----", clientCertRequired: true },
        });
    });
    /** Runs a shipped stack, collecting what the program warned (under mocks, warnings go to `console.warn`). */
    async function runCollectingWarnings(stack: string): Promise<{ run: MockRun<unknown>; warnings: string[] }> {
        const warnings: string[] = [];
        const original = console.warn;
        console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" "));
        try {
            return { run: await runStack(stack), warnings };
        } finally {
            console.warn = original;
        }
    }

    for (const [stack, namespace, protect] of [
        ["staging", "redis-staging", false],
        ["example-k8s-cluster", "redis-cluster", true],
    ] as const) {
        it(`${stack}: bundled monitoring in the monitoring namespace; the backup bucket and the CronJob with the pinned AWS CLI image`, async () => {
            const { run, warnings } = await runCollectingWarnings(stack);
            assert.equal(run.error, undefined, String(run.error));
            for (const resource of kube(run)) {
                await assertValidKubernetesObject(resource);
                if (resource.type === "kubernetes:core/v1:Secret") {
                    assert.deepEqual(resource.secretInputs, ["stringData"], `${resource.name} sends its data as a Pulumi secret`);
                } else {
                    assert.deepEqual(leakedSecrets(resource.inputs), [], `${resource.name} holds no secret`);
                }
            }
            checkNetworkReach(run);
            assert.deepEqual(typeNames(kubeOf(run, MONITORING)), BUNDLED_MONITORING);
            assert.ok(kubeOf(run, MONITORING).every((resource) => resource.inputs.metadata.namespace === (resource.type === "kubernetes:core/v1:Namespace" ? undefined : "monitoring")));
            assert.equal(named(run, "kubernetes:apps/v1:StatefulSet", "redis-prometheus").protect, protect, "Prometheus's volume is protected with the data");
            // Prometheus scrapes every exporter of the deployment by its pod's DNS name.
            const scrape = named(run, "kubernetes:core/v1:ConfigMap", "redis-prometheus").inputs.data["prometheus.yml"];
            const set = named(run, "kubernetes:apps/v1:StatefulSet", "redis");
            for (let i = 0; i < set.inputs.spec.replicas; i++) {
                assert.ok(scrape.includes(`redis-${i}.redis-headless.${namespace}.svc.cluster.local:9121`), `Prometheus scrapes redis-${i}`);
            }
            // The deployment's policy admits the monitoring namespace on the exporter port.
            const policy = named(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "redis");
            assert.ok(policy.inputs.spec.ingress.some((rule: any) => JSON.stringify(rule.from) === JSON.stringify([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }])));

            // The shipped stacks set no `backup.uploadImage`: the CronJob runs the pinned AWS CLI image, with no warning.
            assert.deepEqual(typeNames(kubeOf(run, BACKUP)), BACKUP_OBJECTS);
            assert.equal(named(run, "kubernetes:batch/v1:CronJob", "redis-backup").inputs.spec.jobTemplate.spec.template.spec.containers[0].image, AWS_CLI_IMAGE.ref);
            const [bucket] = ofType(run.resources, "redisplatform:backup:BackupBucket");
            assert.equal(bucket.parent, only(run, BACKUP).urn);
            for (const s3 of ofType(run.resources, "aws:s3/bucket:Bucket")) {
                assert.equal(s3.protect, protect, `${s3.name}: protected with the data`);
            }
            assert.deepEqual(warnings.filter((line) => line.includes("backup")), []);
        });
    }
});
