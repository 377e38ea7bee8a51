import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { alertRulesFor } from "../../components/monitoring/alertRules";
import { dashboardRows } from "../../components/monitoring/dashboard";
import { ENVOY_IMAGE } from "../../components/selfhosted/images";
import { envoyBootstrap, EnvoyProxyInput } from "../../components/selfhosted/proxy/envoyConfig";
import { proxyFilePaths, proxySecretFiles } from "../../components/selfhosted/proxy/files";
import { proxyArgsProblems } from "../../components/selfhosted/proxy/settings";
import { monitoringLabels } from "../../components/selfhosted/kubernetes/monitoring/labels";
import { operatorMonitoringManifests } from "../../components/selfhosted/kubernetes/monitoring/operatorMode";
import { kubernetesNames } from "../../components/selfhosted/kubernetes/names";
import { proxyServices } from "../../components/selfhosted/kubernetes/proxy/manifests";
import { ofType, RecordedResource } from "../../tools/offline/mockRuntime";
import { runStackOffline } from "../../tools/offline/stackRun";
import { dockerPlan } from "../../tools/docker/plan";
import { STANDIN_SKIPPED, standinImages } from "../../tools/docker/standins";
import { parseStackConfig } from "../../stacks/config/parse";
import { readStackFile } from "../../stacks/config/stackFile";
import { envoySchemaProblems } from "../support/envoySchema";

/** A Kubernetes-like input: three seeds verified by pod name, mTLS on, a rotation window open. */
function input(overrides: Partial<EnvoyProxyInput> = {}): EnvoyProxyInput {
    return {
        listen: { host: "0.0.0.0", port: 6379 },
        adminPort: 9901,
        statsPort: 9902,
        seeds: [0, 1, 2].map((index) => ({ host: `redis-${index}.redis-headless.redis.svc.cluster.local`, port: 6379 })),
        nodeNames: { suffix: ".redis-headless.redis.svc.cluster.local" },
        username: "app",
        mtls: true,
        files: proxyFilePaths("/etc/envoy/secrets", true, true),
        ...overrides,
    };
}

/** A deep copy with one change at a dotted path (`a.b.0.c`). */
function withChange(value: unknown, path: string, change: (parent: Record<string, any>, key: string) => void): unknown {
    const copy = JSON.parse(JSON.stringify(value));
    const keys = path.split(".");
    const parent = keys.slice(0, -1).reduce((inner: any, key) => inner[key], copy);
    change(parent, keys[keys.length - 1]);
    return copy;
}

const REDIS_FILTER = "static_resources.listeners.0.filter_chains.0.filters.0.typed_config";
const REDIS_CLUSTER = "static_resources.clusters.0";

describe("Envoy proxy: the rendered bootstrap against Envoy's API protos", function () {
    this.timeout(20000);

    it("is a valid v3 Bootstrap with mTLS and a rotation window, and without either", () => {
        assert.deepEqual(envoySchemaProblems(envoyBootstrap(input())), []);
        assert.deepEqual(envoySchemaProblems(envoyBootstrap(input({ mtls: false, files: proxyFilePaths("/s", false, false), nodeNames: { prefix: "redis-dev-redis-" } }))), []);
    });

    it("catches a misspelled field, a wrong enum, a wrong type, an unknown @type, two members of a oneof and a deprecated field", () => {
        const bootstrap = envoyBootstrap(input());
        const cases: [string, (parent: Record<string, any>, key: string) => void, RegExp][] = [
            [`${REDIS_FILTER}.settings.enable_redirection`, (parent) => (parent.enable_redirections = true), /unknown field "enable_redirections" in envoy\.extensions\.filters\.network\.redis_proxy\.v3\.RedisProxy\.ConnPoolSettings/],
            [`${REDIS_CLUSTER}.lb_policy`, (parent, key) => (parent[key] = "CLUSTER_PROVIDE"), /"CLUSTER_PROVIDE" is not a value of enum LbPolicy/],
            [`${REDIS_CLUSTER}.cluster_type.typed_config.cluster_refresh_rate`, (parent, key) => (parent[key] = "10 seconds"), /Duration "10 seconds"/],
            [`${REDIS_CLUSTER}.cluster_type.typed_config.redirect_refresh_threshold`, (parent, key) => (parent[key] = -1), /-1 is not a uint32/],
            [`${REDIS_CLUSTER}.cluster_type.typed_config.@type`, (parent, key) => (parent[key] = "type.googleapis.com/envoy.extensions.clusters.redis.v3.RedisCluster"), /names no message of Envoy's API/],
            [`${REDIS_FILTER}.downstream_auth_username`, (parent, key) => (parent[key] = { inline_string: "app", filename: "/x" }), /oneof specifier .* at most one/],
            [`${REDIS_FILTER}.downstream_auth_password`, (parent, key) => (parent[key] = { inline_string: "x" }), /deprecated/],
            [`${REDIS_FILTER}.stat_prefix`, (parent, key) => (parent[key] = ""), /at least 1 character/],
        ];
        for (const [path, change, expected] of cases) {
            const problems = envoySchemaProblems(withChange(bootstrap, path, change));
            assert.ok(problems.some((problem) => expected.test(problem)), `${path}: ${problems.join("\n")}`);
        }
    });

    it("reads every secret from a file: the bootstrap holds no password, key or certificate", () => {
        const text = JSON.stringify(envoyBootstrap(input()));
        assert.doesNotMatch(text, /BEGIN|inline_bytes/);
        assert.deepEqual(
            (text.match(/"inline_string":"[^"]*"/g) ?? []).sort(),
            ['"inline_string":"app"', '"inline_string":"app"'],
            "only the username is inline",
        );
        const redis = (envoyBootstrap(input()) as any).static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
        assert.deepEqual(redis.downstream_auth_passwords, [{ filename: "/etc/envoy/secrets/password" }, { filename: "/etc/envoy/secrets/previous-password" }]);
    });

    it("writes passwords without a trailing newline, and the client certificate only under mTLS", () => {
        const material = { caCertPem: "CA", server: { certPem: "S", privateKeyPem: "SK" }, client: { certPem: "C", privateKeyPem: "CK" }, username: "app", passwords: ["p1", "p0"] };
        assert.deepEqual(proxySecretFiles(material, true), { "tls.crt": "S", "tls.key": "SK", "ca.crt": "CA", "client.crt": "C", "client.key": "CK", password: "p1", "previous-password": "p0" });
        assert.deepEqual(Object.keys(proxySecretFiles({ ...material, passwords: ["p1"] }, false)), ["tls.crt", "tls.key", "ca.crt", "password"]);
        assert.throws(() => proxySecretFiles({ ...material, passwords: [] }, false), /one or two passwords/);
        assert.throws(() => envoyBootstrap(input({ files: proxyFilePaths("/s", false, false) })), /mtls is on but files\.clientCert/);
        assert.throws(() => envoyBootstrap(input({ seeds: [] })), /no seed/);
    });
});

describe("Envoy proxy: args", () => {
    const cluster = { topology: "cluster", platform: "kubernetes", tls: true, firstUserRole: "app" } as const;
    it("refuses it in front of anything but a TLS cluster, for an admin user, and its keys while it is off", () => {
        assert.deepEqual(proxyArgsProblems({ enabled: true, replicas: 3 }, cluster), []);
        const messages = (problems: ReturnType<typeof proxyArgsProblems>) => problems.map((problem) => `${problem.path.join(".")}: ${problem.message}`);
        assert.match(messages(proxyArgsProblems({ enabled: true }, { ...cluster, topology: "sentinel" }))[0], /^proxy\.enabled: is true but topology is "sentinel"/);
        assert.match(messages(proxyArgsProblems({ enabled: true }, { ...cluster, tls: false }))[0], /tls\.enabled is false/);
        assert.match(messages(proxyArgsProblems({ enabled: true }, { ...cluster, firstUserRole: "admin" }))[0], /role "admin"/);
        assert.match(messages(proxyArgsProblems({ enabled: true, replicas: 2 }, { ...cluster, platform: "docker" }))[0], /^proxy\.replicas: = 2: platform "docker" runs one Envoy container/);
        assert.match(messages(proxyArgsProblems({ enabled: false, image: ENVOY_IMAGE.ref }, cluster))[0], /^proxy\.image: is set but proxy\.enabled is false/);
        assert.match(messages(proxyArgsProblems({ enabled: true, image: "envoyproxy/envoy:v1.38.0" }, cluster))[0], /pinned by tag and digest/);
    });
});

describe("Envoy proxy: stack config", () => {
    const withProxy = (stack: string, proxy: unknown, extra: Record<string, string> = {}) => {
        const file = readStackFile(stack).config;
        return parseStackConfig(stack, { ...file, "redis:selfhosted": JSON.stringify({ ...JSON.parse(file["redis:selfhosted"]!), proxy }), ...extra });
    };
    it("resolves the keys (memory in MiB, the pinned image), and refuses them where they do not fit, naming key and value", () => {
        assert.deepEqual(withProxy("example-k8s-cluster", { enabled: true, resources: { memory: "512mb" } }).selfhosted?.proxy, {
            enabled: true,
            replicas: 2,
            image: ENVOY_IMAGE.ref,
            resources: { cpu: "500m", memoryMiB: 512 },
        });
        assert.equal(withProxy("example-k8s-cluster", { enabled: false }).selfhosted?.proxy, undefined);
        assert.throws(() => withProxy("dev", { enabled: true }), /redis:selfhosted\.proxy\.enabled = true: is true but topology is "sentinel"/);
        assert.throws(() => withProxy("example-k8s-cluster", { enabled: true }, { "redis:tls": JSON.stringify({ enabled: false }) }), /redis:selfhosted\.proxy\.enabled = true: is true but tls\.enabled is false/);
        assert.throws(() => withProxy("example-k8s-cluster", { enabled: true, replicas: 11 }), /redis:selfhosted\.proxy\.replicas = 11/);
        assert.throws(() => withProxy("example-k8s-cluster", { enabled: true, replica: 2 }), /proxy\.replica = 2: is not a known key \(did you mean "replicas"\?\)/);
    });
});

describe("Envoy proxy: the example-k8s-cluster stack", function () {
    this.timeout(60000);
    let run: Awaited<ReturnType<typeof runStackOffline>>;
    const proxyResources = () => run.resources.filter((resource) => resource.name.startsWith("redis-kubernetes-proxy"));
    const one = (type: string, name: string): RecordedResource => {
        const found = ofType(run.resources, type).filter((resource) => resource.name === name);
        assert.equal(found.length, 1, `${type} ${name}`);
        return found[0];
    };
    before(async () => {
        run = await runStackOffline("example-k8s-cluster");
        assert.equal(run.status, "ok", run.error);
    });

    it("registers the proxy's objects, and its certificate in the deployment's CA", () => {
        assert.deepEqual(proxyResources().map((resource) => `${resource.type} ${resource.name}`).sort(), [
            "kubernetes:apps/v1:Deployment redis-kubernetes-proxy-deployment",
            "kubernetes:core/v1:ConfigMap redis-kubernetes-proxy-config",
            "kubernetes:core/v1:Secret redis-kubernetes-proxy-secret",
            "kubernetes:core/v1:Service redis-kubernetes-proxy-metrics-service",
            "kubernetes:core/v1:Service redis-kubernetes-proxy-service",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy redis-kubernetes-proxy-network-policy",
            "kubernetes:policy/v1:PodDisruptionBudget redis-kubernetes-proxy-pdb",
            "redisplatform:kubernetes:Proxy redis-kubernetes-proxy",
        ]);
        const csr = one("tls:index/certRequest:CertRequest", "redis-ca-proxy-csr");
        assert.deepEqual(csr.inputs.dnsNames, ["redis-proxy.redis-cluster.svc.cluster.local", "redis-proxy.redis-cluster.svc", "redis-proxy.redis-cluster"]);
    });

    it("runs the pinned image as Envoy's account, read-only, on two pods, rolled by a digest of its files", () => {
        const deployment = one("kubernetes:apps/v1:Deployment", "redis-kubernetes-proxy-deployment").inputs;
        assert.equal(deployment.spec.replicas, 2);
        const pod = deployment.spec.template.spec;
        const [envoy] = pod.containers;
        assert.equal(envoy.image, ENVOY_IMAGE.ref);
        assert.deepEqual(envoy.args, ["-c", "/etc/envoy/config/envoy.yaml", "--disable-hot-restart", "--log-level", "info"]);
        assert.deepEqual([pod.securityContext.runAsUser, pod.securityContext.runAsNonRoot, envoy.securityContext.readOnlyRootFilesystem], [101, true, true]);
        assert.match(deployment.spec.template.metadata.annotations["redisplatform.io/config-hash"], /^[0-9a-f]{64}$/);
        assert.deepEqual(pod.volumes.map((volume: any) => volume.configMap?.name ?? volume.secret?.secretName ?? "emptyDir"), ["redis-proxy", "redis-proxy", "emptyDir"]);
    });

    it("keeps passwords and keys in the Secret, a secret input; the ConfigMap's envoy.yaml passes the schema and names no secret", () => {
        const secret = one("kubernetes:core/v1:Secret", "redis-kubernetes-proxy-secret");
        assert.ok(secret.secretInputs.includes("stringData"));
        assert.deepEqual(Object.keys(secret.inputs.stringData).sort(), ["ca.crt", "client.crt", "client.key", "password", "tls.crt", "tls.key"]);
        const yaml = one("kubernetes:core/v1:ConfigMap", "redis-kubernetes-proxy-config").inputs.data["envoy.yaml"];
        assert.ok(!yaml.includes(secret.inputs.stringData.password), "the password is not in the ConfigMap");
        const bootstrap = parse(yaml);
        assert.deepEqual(envoySchemaProblems(bootstrap), []);
        const cluster = bootstrap.static_resources.clusters[0];
        assert.deepEqual(cluster.load_assignment.endpoints[0].lb_endpoints.length, 6, "every data node is a seed");
        assert.equal(cluster.typed_extension_protocol_options["envoy.filters.network.redis_proxy"].auth_username.inline_string, "api");
        assert.deepEqual(cluster.transport_socket.typed_config.common_tls_context.validation_context.match_typed_subject_alt_names, [
            { san_type: "DNS", matcher: { suffix: ".redis-headless.redis-cluster.svc.cluster.local" } },
        ]);
        assert.equal(bootstrap.static_resources.listeners[0].filter_chains[0].transport_socket.typed_config.require_client_certificate, true);
    });

    it("exports proxyConnection (no secret) and proxyUrl (secret)", () => {
        assert.deepEqual({ ...(run.outputs.proxyConnection.value as any), tls: undefined }, { mode: "standalone", endpoints: [{ host: "redis-proxy.redis-cluster.svc.cluster.local", port: 6379 }], proxy: "envoy", tls: undefined });
        assert.equal(run.outputs.proxyConnection.secret, false);
        assert.equal(run.outputs.proxyUrl.secret, true);
        assert.match(String(run.outputs.proxyUrl.value), /^rediss:\/\/api:.+@redis-proxy\.redis-cluster\.svc\.cluster\.local:6379$/);
    });

    it("is scraped by the bundled Prometheus through the metrics Service's DNS records, with a dashboard row and two alerts", () => {
        const prometheus = ofType(run.resources, "kubernetes:core/v1:ConfigMap").find((resource) => resource.inputs.data?.["prometheus.yml"] !== undefined)!;
        const job = parse(prometheus.inputs.data["prometheus.yml"]).scrape_configs.find((candidate: any) => candidate.job_name === "proxy-redis");
        assert.deepEqual(job.dns_sd_configs, [{ names: ["redis-proxy-metrics.redis-cluster.svc.cluster.local"], type: "A", port: 9902 }]);
        assert.equal(job.metrics_path, "/stats/prometheus");
        const rules = parse(prometheus.inputs.data["redis-rules.yml"]).groups[0].rules.map((rule: any) => rule.alert);
        assert.ok(rules.includes("RedisProxyUnsupportedCommands") && rules.includes("RedisProxyUpstreamConnectFailures"));
        const dashboards = ofType(run.resources, "kubernetes:core/v1:ConfigMap").find((resource) => resource.inputs.data?.["redis.json"] !== undefined)!;
        assert.ok(JSON.parse(dashboards.inputs.data["redis.json"]).panels.some((panel: any) => panel.title === "Proxy (Envoy)"));
        const policy = one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "redis-kubernetes-proxy-network-policy").inputs;
        assert.deepEqual(policy.spec.ingress[0].ports, [{ protocol: "TCP", port: 9902 }]);
    });

    it("in operator mode, gets a ServiceMonitor on /stats/prometheus that selects the proxy's metrics Service", () => {
        const alert = { name: "redis", profile: "cache", topology: "cluster", primaries: 3, replicasPerPrimary: 1, sentinels: 0, replicationMaxLagSeconds: 5, proxy: true } as const;
        const objects = operatorMonitoringManifests({ deployment: "redis", meta: { namespace: "redis", labels: monitoringLabels("redis") }, podSelectors: { redis: { a: "b" } }, alert, operatorLabels: { release: "kps" } });
        const monitor = objects.customResources.find((resource: any) => resource.kind === "ServiceMonitor" && resource.metadata.name === "redis-proxy") as any;
        assert.equal(monitor.spec.endpoints[0].path, "/stats/prometheus");
        assert.equal(monitor.spec.endpoints[0].relabelings[1].replacement, "proxy");
        const metricsService = proxyServices(kubernetesNames("redis", { namespace: "redis", clusterDomain: "cluster.local" }))[1];
        for (const [label, value] of Object.entries(monitor.spec.selector.matchLabels)) {
            assert.equal(metricsService.metadata?.labels?.[label], value, `the metrics Service carries ${label}`);
        }
        const { proxy: _proxy, ...withoutProxy } = alert;
        const without = operatorMonitoringManifests({ deployment: "redis", meta: { namespace: "redis", labels: monitoringLabels("redis") }, podSelectors: { redis: { a: "b" } }, alert: withoutProxy, operatorLabels: {} });
        assert.ok(!without.customResources.some((resource: any) => resource.metadata.name === "redis-proxy"));
    });

    it("adds nothing when the proxy is off: no alert, no row", () => {
        const base = { name: "d", profile: "cache", topology: "cluster", primaries: 3, replicasPerPrimary: 1, sentinels: 0, replicationMaxLagSeconds: 5 } as const;
        assert.ok(!alertRulesFor(base).some((rule) => rule.alert.startsWith("RedisProxy")));
        assert.ok(!dashboardRows("cluster").some((row) => row.title === "Proxy (Envoy)"));
    });
});

describe("Envoy proxy: a Docker cluster", function () {
    this.timeout(60000);
    it("runs one Envoy container in the nodes' namespace, publishes basePort + 500, and has no stand-in (the applier skips it, saying why)", async () => {
        const plan = await dockerPlan({
            from: "dev",
            stack: "dev-proxy",
            selfhosted: { topology: "cluster", replicas: undefined, sentinels: undefined, shards: 3, replicasPerShard: 1, proxy: { enabled: true } },
            config: { backup: { enabled: false } },
        });
        const container = ofType(plan.resources, "docker:index/container:Container").find((resource) => resource.inputs.name === "redis-dev-proxy-proxy")!;
        assert.deepEqual([container.inputs.entrypoints, container.inputs.user, container.inputs.networkMode], [["envoy"], "101:101", "container:redis-netns-id"]);
        const uploads = container.inputs.uploads as { file: string; content: string }[];
        assert.deepEqual(envoySchemaProblems(parse(uploads.find((upload) => upload.file === "/etc/envoy/config/envoy.yaml")!.content)), []);
        assert.ok(container.secretInputs.includes("uploads"));
        const holder = ofType(plan.resources, "docker:index/container:Container").find((resource) => resource.inputs.name === "redis-dev-proxy-netns")!;
        assert.ok(holder.inputs.ports.some((port: any) => port.external === 7500 && port.ip === "127.0.0.1"));
        assert.deepEqual((plan.outputs.proxyConnection.value as any).endpoints, [{ host: "127.0.0.1", port: 7500 }]);
        const pinned = ofType(plan.resources, "docker:index/remoteImage:RemoteImage").map((image) => String(image.inputs.name));
        const covered = new Set(standinImages().map((image) => image.ref));
        assert.deepEqual(pinned.filter((ref) => !covered.has(ref)).sort(), Object.keys(STANDIN_SKIPPED).sort());
        assert.match(STANDIN_SKIPPED[ENVOY_IMAGE.ref], /no Debian bookworm package/);
        const prometheus = ofType(plan.resources, "docker:index/container:Container").find((resource) => resource.inputs.name === "redis-dev-proxy-prometheus")!;
        const config = (prometheus.inputs.uploads as { file: string; content: string }[]).find((upload) => upload.file.endsWith("prometheus.yml"))!.content;
        assert.deepEqual(parse(config).scrape_configs.find((job: any) => job.job_name === "proxy-redis").static_configs, [
            { targets: ["redis-dev-proxy-proxy:7502"], labels: { deployment: "redis", node: "proxy", kind: "proxy" } },
        ]);
    });
});
