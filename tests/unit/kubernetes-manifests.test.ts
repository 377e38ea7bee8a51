import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CONTAINER_PATHS } from "../../components/redisconf/layout";
import { renderPreStopScript } from "../../components/redisconf/scripts/preStop";
import { buildTopology } from "../../components/redisconf/topology";
import { parseEnvFile, renderEnvFile } from "../../components/selfhosted/kubernetes/files";
import { kubernetesCertificateNames, kubernetesClientEndpoints, kubernetesLayout, kubernetesNodePaths, kubernetesPlacement, podPaths } from "../../components/selfhosted/kubernetes/layout";
import { kubernetesNames } from "../../components/selfhosted/kubernetes/names";
import { clientPeers, namespaceManifest, networkPolicyManifest } from "../../components/selfhosted/kubernetes/network";
import { dataNodeProbeScripts, PRESTOP_TIMEOUT_SECONDS, preStopCommand, runScriptCommand, spreadConstraints } from "../../components/selfhosted/kubernetes/pods";
import { kubernetesConfig } from "./kubernetesFixtures";

const names = kubernetesNames("redis", { namespace: "cache", clusterDomain: "cluster.local" });

describe("Kubernetes layout", () => {
    it("places nodes at their pod DNS names through the headless Service, with fixed ports", () => {
        assert.deepEqual(kubernetesPlacement(names, "sentinel", { name: "redis-1", kind: "redis", index: 1 }), {
            announceHost: "redis-1.redis-headless.cache.svc.cluster.local",
            port: 6379,
        });
        assert.deepEqual(kubernetesPlacement(names, "cluster", { name: "redis-4", kind: "redis", index: 4 }), {
            announceHost: "redis-4.redis-headless.cache.svc.cluster.local",
            port: 6379,
            busPort: 16379,
        });
        assert.deepEqual(kubernetesPlacement(names, "sentinel", { name: "sentinel-2", kind: "sentinel", index: 2 }), {
            announceHost: "redis-sentinel-2.redis-headless.cache.svc.cluster.local",
            port: 26379,
        });
    });

    it("covers the pod names and the client Services that may route to a node in its certificate", () => {
        assert.deepEqual(kubernetesCertificateNames(names, "cluster", { name: "redis-0", kind: "redis", index: 0 }), [
            "redis-0.redis-headless.cache.svc.cluster.local",
            "redis-0.redis-headless.cache.svc",
            "redis-0.redis-headless.cache",
            "redis.cache.svc.cluster.local",
            "redis.cache.svc",
            "redis.cache",
        ]);
        assert.deepEqual(kubernetesCertificateNames(names, "sentinel", { name: "redis-2", kind: "redis", index: 2 }), [
            "redis-2.redis-headless.cache.svc.cluster.local",
            "redis-2.redis-headless.cache.svc",
            "redis-2.redis-headless.cache",
        ]);
        assert.deepEqual(kubernetesCertificateNames(names, "sentinel", { name: "sentinel-0", kind: "sentinel", index: 0 }), [
            "redis-sentinel-0.redis-headless.cache.svc.cluster.local",
            "redis-sentinel-0.redis-headless.cache.svc",
            "redis-sentinel-0.redis-headless.cache",
            "redis-sentinel.cache.svc.cluster.local",
            "redis-sentinel.cache.svc",
            "redis-sentinel.cache",
        ]);
    });

    it("gives clients the Service (standalone, cluster) or every sentinel (sentinel)", () => {
        const sentinel = kubernetesConfig({ topology: "sentinel", replicas: 1, sentinels: 3, kubernetes: { namespace: "cache" } });
        const layout = kubernetesLayout("redis", sentinel);
        const topology = buildTopology(sentinel.selfhosted, layout.place);
        assert.deepEqual(layout.clientEndpoints(topology), {
            endpoints: [0, 1, 2].map((i) => ({ host: `redis-sentinel-${i}.redis-headless.cache.svc.cluster.local`, port: 26379 })),
        });
        const cluster = kubernetesConfig({ topology: "cluster", kubernetes: { namespace: "cache", clusterDomain: "k8s.example.org" } });
        const clusterLayout = kubernetesLayout("redis", cluster);
        assert.deepEqual(clusterLayout.clientEndpoints(buildTopology(cluster.selfhosted, clusterLayout.place)), {
            endpoints: [{ host: "redis.cache.svc.k8s.example.org", port: 6379 }],
        });
        assert.deepEqual(kubernetesClientEndpoints(names, buildTopology({ ...sentinel.selfhosted, topology: "standalone", replicas: 0, sentinels: 0 }, layout.place)), {
            endpoints: [{ host: "redis.cache.svc.cluster.local", port: 6379 }],
        });
    });

    it("gives each pod its own TLS directory, and every other file at the shared container paths", () => {
        const layout = kubernetesLayout("redis", kubernetesConfig({ topology: "sentinel", replicas: 1, sentinels: 3, kubernetes: { namespace: "cache" } }));
        assert.deepEqual(layout.pathsFor({ name: "sentinel-2", kind: "sentinel", index: 2 }), {
            ...CONTAINER_PATHS,
            tls: {
                certFile: "/etc/redis/tls/redis-sentinel-2/tls.crt",
                keyFile: "/etc/redis/tls/redis-sentinel-2/tls.key",
                caFile: "/etc/redis/tls/redis-sentinel-2/ca.crt",
                clientCertFile: "/etc/redis/tls/redis-sentinel-2/client.crt",
                clientKeyFile: "/etc/redis/tls/redis-sentinel-2/client.key",
            },
        });
        assert.deepEqual(kubernetesNodePaths(names, { name: "redis-1", kind: "redis", index: 1 }), podPaths("redis-1"));
        assert.equal(podPaths("$(POD_NAME)").tls.keyFile, "/etc/redis/tls/$(POD_NAME)/tls.key");
    });

    it("refuses a deployment name that cannot prefix pod names", () => {
        assert.throws(() => kubernetesNames("Redis_1", { namespace: "x", clusterDomain: "cluster.local" }), /deployment name "Redis_1": must be a DNS label/);
        assert.throws(() => kubernetesNames("r".repeat(41), { namespace: "x", clusterDomain: "cluster.local" }), /at most 40 characters/);
    });
});

describe("Kubernetes pod commands", () => {
    it("writes env files that sh sources back to exactly the rendered environment", () => {
        const env = { REDIS_NODE_NAME: "redis-0", REDIS_SENTINELS: "a:1 b:2", ODD: "it's $HOME `x` \"q\" \\" };
        const text = renderEnvFile(env, "test");
        assert.deepEqual(parseEnvFile(text), env);
        const dir = mkdtempSync(path.join(tmpdir(), "k8s-env-"));
        try {
            const file = path.join(dir, "node.env");
            writeFileSync(file, text);
            const out = execFileSync("/bin/sh", ["-c", 'set -a && . "$1" && set +a && printf "%s\\n%s\\n%s" "$REDIS_NODE_NAME" "$REDIS_SENTINELS" "$ODD"', "sh", file], { env: {} }).toString();
            assert.equal(out, `redis-0\na:1 b:2\n${env.ODD}`);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
        assert.throws(() => renderEnvFile({ "BAD-NAME": "x" }, "t"), /"BAD-NAME" is not a shell identifier/);
    });

    it("runs the rendered scripts unchanged, with the pod's environment", () => {
        assert.deepEqual(runScriptCommand("redis-start.sh"), [
            "/bin/sh",
            "-c",
            "set -a && . /etc/redis/env/node.env && set +a && exec /bin/sh /etc/redis/scripts/redis-start.sh",
        ]);
        assert.match(preStopCommand()[2], /^set -a && \. \/etc\/redis\/env\/node\.env && set \+a && if \[ -w \/proc\/1\/fd\/2 \]; then exec \/bin\/sh \/etc\/redis\/scripts\/redis-prestop\.sh 2>\/proc\/1\/fd\/2; else exec \/bin\/sh \/etc\/redis\/scripts\/redis-prestop\.sh; fi$/);
    });

    it("sizes the grace period on the preStop script's own handover timeout", () => {
        assert.ok(renderPreStopScript().includes(`\${REDIS_PRESTOP_TIMEOUT:-${PRESTOP_TIMEOUT_SECONDS}}`), "the preStop default timeout moved: update PRESTOP_TIMEOUT_SECONDS");
    });

    it("marks a replica ready only with a live link to its primary, a cluster node only when the cluster is ok", () => {
        const sentinelReady = dataNodeProbeScripts("sentinel", true).ready;
        assert.match(sentinelReady, /\*role:slave\*master_link_status:up\*\) ;;/);
        assert.match(sentinelReady, /--user monitor -h 127\.0\.0\.1 -p 6379 INFO persistence replication/);
        assert.match(sentinelReady, /REDISCLI_AUTH="\$\(cat \/etc\/redis\/passwords\/monitor\)" redis-cli --tls --cacert \/etc\/redis\/tls\/\$POD_NAME\/ca\.crt --cert \/etc\/redis\/tls\/\$POD_NAME\/client\.crt --key \/etc\/redis\/tls\/\$POD_NAME\/client\.key /);
        assert.doesNotMatch(sentinelReady, /CLUSTER INFO/);
        assert.match(dataNodeProbeScripts("cluster", false).ready, /redis-cli --user monitor -h 127\.0\.0\.1 -p 6379 CLUSTER INFO .*cluster_state:ok/);
    });

    it("spreads hard in prod and soft elsewhere", () => {
        const selector = { app: "x" };
        assert.deepEqual(spreadConstraints(selector, "prod"), [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "x" } } },
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "x" } } },
        ]);
        assert.deepEqual(spreadConstraints(selector, "staging").map((c) => c.whenUnsatisfiable), ["ScheduleAnyway", "ScheduleAnyway"]);
    });
});

describe("Kubernetes network manifests", () => {
    it("admits labelled clients of the own and listed namespaces, the deployment's pods and the monitoring namespace", () => {
        const config = kubernetesConfig({ topology: "cluster", kubernetes: { namespace: "cache", clientNamespaces: ["api"], clientPodLabels: { role: "api" } } });
        const layout = kubernetesLayout("redis", config);
        const topology = buildTopology(config.selfhosted, layout.place);
        assert.deepEqual(networkPolicyManifest(names, topology, config.selfhosted.kubernetes, true), {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: {
                name: "redis",
                namespace: "cache",
                labels: {
                    "app.kubernetes.io/name": "redis",
                    "app.kubernetes.io/instance": "redis",
                    "app.kubernetes.io/component": "redis",
                    "app.kubernetes.io/part-of": "redis-platform",
                    "app.kubernetes.io/managed-by": "pulumi",
                },
            },
            spec: {
                podSelector: { matchLabels: { "app.kubernetes.io/instance": "redis", "app.kubernetes.io/part-of": "redis-platform" } },
                policyTypes: ["Ingress"],
                ingress: [
                    {
                        from: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": "redis", "app.kubernetes.io/part-of": "redis-platform" } } }],
                        ports: [
                            { protocol: "TCP", port: 6379 },
                            { protocol: "TCP", port: 16379 },
                        ],
                    },
                    {
                        from: [
                            { podSelector: { matchLabels: { role: "api" } } },
                            { namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["api"] }] }, podSelector: { matchLabels: { role: "api" } } },
                        ],
                        ports: [{ protocol: "TCP", port: 6379 }],
                    },
                    { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ protocol: "TCP", port: 9121 }] },
                ],
            },
        });
        assert.deepEqual(clientPeers({ clientNamespaces: [], clientPodLabels: { "redis-client": "true" }, monitoringNamespace: "m" }), [
            { podSelector: { matchLabels: { "redis-client": "true" } } },
        ]);
    });

    it("enforces the restricted Pod Security profile unless somaxconn is set", () => {
        assert.deepEqual(namespaceManifest(names, false).metadata?.labels, {
            "app.kubernetes.io/part-of": "redis-platform",
            "app.kubernetes.io/managed-by": "pulumi",
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/warn": "restricted",
            "pod-security.kubernetes.io/warn-version": "latest",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/audit-version": "latest",
        });
        assert.equal(namespaceManifest(names, true).metadata?.labels?.["pod-security.kubernetes.io/enforce"], undefined);
    });
});
