import { strict as assert } from "node:assert";
import { aclPasswordHash } from "../../components/redisconf/acl";
import { renderDeployment, RenderedDeployment } from "../../components/redisconf/deployment";
import { allUserNames } from "../../components/redisconf/users";
import {
    CLUSTER_CREATE_ENV_KEY,
    contentAddressedName,
    nodesConfigMapData,
    parseEnvFile,
    POD_ENV_FILE,
    scriptsConfigMapData,
} from "../../components/selfhosted/kubernetes/files";
import { kubernetesNames } from "../../components/selfhosted/kubernetes/names";
import { kubernetesLayout } from "../../components/selfhosted/kubernetes/layout";
import { dataNodeProbeScripts, preStopCommand, runScriptCommand, sentinelProbeScripts } from "../../components/selfhosted/kubernetes/pods";
import { allPinnedImages, PINNED_IMAGE_PATTERN } from "../../components/selfhosted/images";
import { redisProgram } from "../../stacks/program";
import { leakedSecrets, MOCK_SECRET_MARKER, MockRun, ofType, RecordedResource, runStack, runWithMocks } from "../../tools/offline/mockRuntime";
import { kubernetesConfig, kubernetesConfigMap } from "./kubernetesFixtures";

/** The kubernetes-models class of every Kubernetes type the program creates; any other type fails the test. */
// The models' base class resolves only through package exports, which this repo's node10 resolution ignores: typed here.
type ModelClass = new (data?: unknown) => { validate(): void };
const MODELS: Record<string, () => Promise<unknown>> = {
    "kubernetes:core/v1:Namespace": async () => (await import("kubernetes-models/v1/Namespace")).Namespace,
    "kubernetes:core/v1:ConfigMap": async () => (await import("kubernetes-models/v1/ConfigMap")).ConfigMap,
    "kubernetes:core/v1:Secret": async () => (await import("kubernetes-models/v1/Secret")).Secret,
    "kubernetes:core/v1:Service": async () => (await import("kubernetes-models/v1/Service")).Service,
    "kubernetes:apps/v1:StatefulSet": async () => (await import("kubernetes-models/apps/v1/StatefulSet")).StatefulSet,
    "kubernetes:batch/v1:Job": async () => (await import("kubernetes-models/batch/v1/Job")).Job,
    "kubernetes:policy/v1:PodDisruptionBudget": async () => (await import("kubernetes-models/policy/v1/PodDisruptionBudget")).PodDisruptionBudget,
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": async () => (await import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy")).NetworkPolicy,
};

const COMPONENT = "redisplatform:kubernetes:KubernetesRedis";

async function build(selfhosted: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<MockRun<unknown>> {
    const config = kubernetesConfigMap(selfhosted, extra);
    const run = await runWithMocks(() => redisProgram("test", config), { config });
    assert.equal(run.error, undefined, String(run.error));
    return run;
}

function kube(run: MockRun<unknown>): RecordedResource[] {
    return run.resources.filter((resource) => resource.type.startsWith("kubernetes:"));
}

function named(run: MockRun<unknown>, type: string, name: string): RecordedResource {
    const found = ofType(run.resources, type).find((resource) => resource.inputs.metadata?.name === name);
    assert.ok(found, `no ${type} named ${name}`);
    return found;
}

/** The mock password of a user, as the mocks generate it. */
function mockPassword(user: string): string {
    return `${MOCK_SECRET_MARKER}-password-redis-users-${user}-password-g1`;
}

/** Renders the deployment the way the backend does, with the mock passwords. */
function renderedFor(selfhosted: Record<string, unknown>, extra: Record<string, unknown> = {}): RenderedDeployment {
    const config = kubernetesConfig(selfhosted, extra);
    const layout = kubernetesLayout("redis", config);
    return renderDeployment({
        config,
        place: layout.place,
        pathsFor: layout.pathsFor,
        passwordsByUser: Object.fromEntries(allUserNames(config).map((user) => [user, [mockPassword(user)]])),
    });
}

/** The content-addressed ConfigMap names a rendered deployment must get. */
function configMapNames(rendered: RenderedDeployment): { nodes: string; sentinelNodes: string; scripts: string } {
    const names = kubernetesNames("redis", { namespace: rendered.nodes[0].node.announceHost.split(".")[2], clusterDomain: "cluster.local" });
    return {
        nodes: contentAddressedName("redis-nodes", nodesConfigMapData(names, rendered, "redis")),
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
    { name: "tls", mountPath: "/etc/redis/tls", subPathExpr: "$(POD_NAME)", readOnly: true },
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
 * Checks what every run must satisfy: each object valid against the Kubernetes schema, parented, images
 * pinned, secrets only in Secrets (as Pulumi secrets), and each pod's files the rendered ones.
 */
async function checkInvariants(run: MockRun<unknown>, rendered: RenderedDeployment): Promise<void> {
    const component = run.resources.find((resource) => resource.type === COMPONENT);
    assert.ok(component, "the KubernetesRedis component exists");
    const redis = run.resources.find((resource) => resource.type === "redisplatform:index:Redis");
    assert.equal(component.parent, redis?.urn, "KubernetesRedis is a child of the Redis component");

    const pinned = new Set(allPinnedImages().map((image) => image.ref));
    const secrets = rendered.users.flatMap((user) => user.passwords.flatMap((password) => [password, aclPasswordHash(password)]));
    for (const resource of kube(run)) {
        assert.equal(resource.parent, component.urn, `${resource.name} is parented to KubernetesRedis`);
        const load = MODELS[resource.type];
        assert.ok(load, `no kubernetes-models class mapped for ${resource.type}`);
        const Model = (await load()) as ModelClass;
        try {
            new Model(resource.inputs).validate();
        } catch (error) {
            assert.fail(`${resource.type} ${resource.name} is not a valid Kubernetes object: ${String(error).slice(0, 2000)}`);
        }
        if (resource.type === "kubernetes:core/v1:Secret") {
            assert.deepEqual(resource.secretInputs, ["stringData"], `${resource.name} sends its data as a Pulumi secret`);
            assert.equal(resource.inputs.data, undefined);
        } else {
            assert.deepEqual(leakedSecrets(resource.inputs), [], `${resource.name} holds no secret`);
            const text = JSON.stringify(resource.inputs);
            assert.ok(!secrets.some((secret) => text.includes(secret)), `${resource.name} holds no password and no password hash`);
        }
        const pod = resource.inputs.spec?.template?.spec;
        for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
            assert.match(container.image, PINNED_IMAGE_PATTERN, `${resource.name}/${container.name} pins its image`);
            assert.ok(pinned.has(container.image), `${resource.name}/${container.name} runs an image of the pinned table`);
        }
    }

    // The scripts, byte for byte, and every pod's config and environment, as the pod selects them by its name.
    const cm = configMapNames(rendered);
    const scripts = named(run, "kubernetes:core/v1:ConfigMap", cm.scripts);
    assert.deepEqual(scripts.inputs.data, Object.fromEntries(Object.entries(rendered.scripts).filter(([, text]) => text !== undefined)));
    const store = (volume: any): Record<string, string> =>
        volume.configMap ? named(run, "kubernetes:core/v1:ConfigMap", volume.configMap.name).inputs.data : named(run, "kubernetes:core/v1:Secret", volume.secret.secretName).inputs.stringData;
    for (const set of ofType(run.resources, "kubernetes:apps/v1:StatefulSet")) {
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
        }
    }
    for (const job of ofType(run.resources, "kubernetes:batch/v1:Job")) {
        const [container] = job.inputs.spec.template.spec.containers;
        assert.deepEqual(container.command, runScriptCommand("cluster-create.sh"));
        const mount = container.volumeMounts.find((candidate: any) => candidate.mountPath === POD_ENV_FILE);
        assert.equal(mount.subPath, CLUSTER_CREATE_ENV_KEY);
        const first = rendered.nodes[0];
        assert.deepEqual(parseEnvFile(named(run, "kubernetes:core/v1:ConfigMap", cm.nodes).inputs.data[CLUSTER_CREATE_ENV_KEY]), { ...first.env, ...rendered.clusterCreateEnv });
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
            kube(run).map((resource) => `${resource.type} ${resource.inputs.metadata.name}`).sort(),
            [
                "kubernetes:apps/v1:StatefulSet redis",
                `kubernetes:core/v1:ConfigMap ${configMapNames(rendered).nodes}`,
                `kubernetes:core/v1:ConfigMap ${configMapNames(rendered).scripts}`,
                "kubernetes:core/v1:Namespace redis",
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
        assert.deepEqual(ofType(run.resources, "kubernetes:core/v1:Service").map((service) => service.inputs.metadata.name).sort(), ["redis-headless", "redis-sentinel"]);
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
            ofType(run.resources, "kubernetes:policy/v1:PodDisruptionBudget").map((budget) => [budget.inputs.metadata.name, budget.inputs.spec.maxUnavailable, budget.inputs.spec.selector.matchLabels]),
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
                                { name: "tls", mountPath: "/etc/redis/tls", readOnly: true },
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
        assert.deepEqual(ofType(run.resources, "kubernetes:core/v1:Service").map((service) => service.inputs.metadata.name).sort(), ["redis", "redis-headless"]);
        assert.deepEqual(Object.keys(named(run, "kubernetes:core/v1:Secret", "redis-tls-client").inputs.stringData).sort(), ["ca.crt", "client.crt", "client.key"]);
    });

    it("prod: hard spreading, priority class, somaxconn when asked, data protected", async () => {
        const selfhosted = { topology: "sentinel", replicas: 1, sentinels: 3, kubernetes: { namespace: "cache", priorityClassName: "redis-critical", somaxconn: 4096 }, storage: { size: "20gb", className: "fast" } };
        const extra = { environment: "prod", monitoring: { enabled: false } };
        const run = await build(selfhosted, extra);
        await checkInvariants(run, renderedFor(selfhosted, extra));
        for (const set of ofType(run.resources, "kubernetes:apps/v1:StatefulSet")) {
            const pod = set.inputs.spec.template.spec;
            assert.equal(set.protect, true, `${set.name} is protected`);
            assert.equal(pod.priorityClassName, "redis-critical");
            assert.deepEqual(pod.securityContext.sysctls, [{ name: "net.core.somaxconn", value: "4096" }]);
            assert.deepEqual(pod.topologySpreadConstraints.map((constraint: any) => constraint.whenUnsatisfiable), ["DoNotSchedule", "DoNotSchedule"]);
            assert.deepEqual(pod.containers.map((container: any) => container.name), [set.inputs.metadata.name === "redis" ? "redis" : "sentinel"]);
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
        assert.deepEqual(ofType(run.resources, "kubernetes:core/v1:Secret").map((secret) => secret.inputs.metadata.name).sort(), ["redis-acl", "redis-exporter", "redis-passwords"]);
        const [set] = ofType(run.resources, "kubernetes:apps/v1:StatefulSet");
        const pod = set.inputs.spec.template.spec;
        assert.ok(!pod.volumes.some((volume: any) => volume.name === "tls" || volume.name === "exporter-tls"));
        assert.equal(pod.containers[0].readinessProbe.exec.command[2], dataNodeProbeScripts("cluster", false).ready);
        assert.equal(pod.containers[1].env[1].value, "redis://$(POD_NAME).redis-headless.redis.svc.cluster.local:6379");
        assert.ok(!ofType(run.resources, "kubernetes:batch/v1:Job")[0].inputs.spec.template.spec.volumes.some((volume: any) => volume.name === "tls"));
    });

    it("does not create the namespace when told not to", async () => {
        const run = await build({ topology: "standalone", kubernetes: { createNamespace: false, namespace: "shared" } });
        assert.deepEqual(ofType(run.resources, "kubernetes:core/v1:Namespace"), []);
        assert.ok(kube(run).every((resource) => resource.inputs.metadata.namespace === "shared"));
    });

    it("rolls the data nodes, and only them, when their files change", async () => {
        const hashes = async (memory: string) => {
            const run = await build({ topology: "sentinel", replicas: 1, sentinels: 3, resources: { cpu: "1", memory } });
            return ofType(run.resources, "kubernetes:apps/v1:StatefulSet").map((set) => [set.inputs.metadata.name, set.inputs.spec]);
        };
        const [small, large] = [Object.fromEntries(await hashes("1gb")), Object.fromEntries(await hashes("2gb"))];
        const hash = (spec: any) => spec.template.metadata.annotations["redisplatform.io/content-hash"];
        assert.notEqual(hash(small.redis), hash(large.redis), "a new maxmemory rolls the data nodes");
        assert.notDeepEqual(small.redis.template.spec.volumes[0], large.redis.template.spec.volumes[0], "into a new ConfigMap");
        assert.deepEqual(small["redis-sentinel"], large["redis-sentinel"], "the sentinels' pod template does not change: they keep running");
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
            "kubernetes:core/v1:Service": 2,
            "kubernetes:policy/v1:PodDisruptionBudget": 2,
            "kubernetes:networking.k8s.io/v1:NetworkPolicy": 1,
        });
        assert.deepEqual(typeCounts(run, "tls:"), {
            "tls:index/privateKey:PrivateKey": 8,
            "tls:index/selfSignedCert:SelfSignedCert": 1,
            "tls:index/certRequest:CertRequest": 7,
            "tls:index/locallySignedCert:LocallySignedCert": 7,
        });
        assert.deepEqual(typeCounts(run, "random:"), { "random:index/randomPassword:RandomPassword": 7 });
        assert.deepEqual(run.outputs.connection.value, {
            mode: "sentinel",
            endpoints: [0, 1, 2].map((i) => ({ host: `redis-sentinel-${i}.redis-headless.redis-staging.svc.cluster.local`, port: 26379 })),
            sentinelMasterName: "redis-primary",
            tls: { enabled: true, caCertPem: "-----BEGIN CERTIFICATE redis-ca-ca-cert-----", clientCertRequired: false },
        });
        const set = ofType(run.resources, "kubernetes:apps/v1:StatefulSet");
        assert.deepEqual(set.map((resource) => [resource.inputs.metadata.name, resource.inputs.spec.replicas, resource.protect]), [
            ["redis-sentinel", 3, false],
            ["redis", 3, false],
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
            "kubernetes:batch/v1:Job": 1,
            "kubernetes:core/v1:Service": 2,
            "kubernetes:policy/v1:PodDisruptionBudget": 1,
            "kubernetes:networking.k8s.io/v1:NetworkPolicy": 1,
        });
        assert.deepEqual(typeCounts(run, "tls:"), {
            "tls:index/privateKey:PrivateKey": 8,
            "tls:index/selfSignedCert:SelfSignedCert": 1,
            "tls:index/certRequest:CertRequest": 7,
            "tls:index/locallySignedCert:LocallySignedCert": 7,
        });
        assert.deepEqual(typeCounts(run, "random:"), { "random:index/randomPassword:RandomPassword": 5 });
        const [set] = ofType(run.resources, "kubernetes:apps/v1:StatefulSet");
        assert.equal(set.protect, true);
        assert.equal(set.inputs.spec.replicas, 6);
        assert.match(set.inputs.spec.template.spec.containers[0].image, /^valkey\/valkey:8\.1\.3-alpine@sha256:/);
        assert.deepEqual(run.outputs.connection.value, {
            mode: "cluster",
            endpoints: [{ host: "redis.redis-cluster.svc.cluster.local", port: 6379 }],
            tls: { enabled: true, caCertPem: "-----BEGIN CERTIFICATE redis-ca-ca-cert-----", clientCertRequired: true },
        });
    });
});
