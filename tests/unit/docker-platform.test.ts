import { strict as assert } from "node:assert";
import { isDeepStrictEqual } from "node:util";
import { Redis } from "../../components/redis";
import { redisArgsFor } from "../../stacks/config/redisArgs";
import { aclPasswordHash } from "../../components/redisconf/acl";
import { reloadEnvFor, renderReloadScript } from "../../components/redisconf/scripts/reload";
import { WRITER_SCRIPT } from "../../components/selfhosted/docker/liveFiles";
import { renderDeployment, RenderedDeployment } from "../../components/redisconf/deployment";
import { buildTopology } from "../../components/redisconf/topology";
import { allUserNames, systemUserNames } from "../../components/redisconf/users";
import { healthCheckCommand, publishedPorts } from "../../components/selfhosted/docker/containerSpec";
import { dockerLayout, validateDockerConfig } from "../../components/selfhosted/docker/layout";
import { imageFor, PINNED_IMAGE_PATTERN } from "../../components/selfhosted/images";
import type { SelfHostedConfig } from "../../components/selfhosted/platform";
import { CONTAINER_PATHS } from "../../components/redisconf/layout";
import { engineStartEnvFor } from "../../components/redisconf/engineUpgrade";
import { parseStackConfig } from "../../stacks/config/parse";
import { leakedSecrets, MOCK_SECRET_MARKER, ofType, RecordedResource, runStack, runWithMocks } from "../../tools/offline/mockRuntime";
import { HARDENING, named } from "./dockerFixtures";

const CONTAINER = "docker:index/container:Container";
/** What every data node's start script is told about the engine (the default, Redis 7.2). */
const ENGINE_ENV = Object.entries(engineStartEnvFor({ name: "redis", version: "7.2" })).map(([name, value]) => `${name}=${value}`);
const VOLUME = "docker:index/volume:Volume";
const NETWORK = "docker:index/network:Network";
const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
/** The image ID the mocked RemoteImage reports; every container must run it. */
const IMAGE_ID = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

/** A parsed self-hosted Docker config with TLS and one app user. */
function dockerConfig(selfhosted: Record<string, unknown>, extra: Record<string, string> = {}): SelfHostedConfig {
    return parseStackConfig("t", {
        "redis:backend": "selfhosted",
        "redis:environment": "dev",
        "redis:selfhosted": JSON.stringify({ platform: "docker", resources: { cpu: "500m", memory: "256mb" }, ...selfhosted }),
        "redis:tls": JSON.stringify({ enabled: true }),
        "redis:acl": JSON.stringify({ users: [{ name: "app", role: "app", keys: ["app:*"] }] }),
        // The nodes alone: the monitoring and backup containers have their own tests (docker-monitoring.test.ts).
        "redis:monitoring": JSON.stringify({ enabled: false }),
        "redis:backup": JSON.stringify({ enabled: false }),
        ...extra,
    }) as SelfHostedConfig;
}

async function build(config: SelfHostedConfig, outputs: Record<string, (name: string) => Record<string, unknown>> = {}) {
    return runWithMocks(() => new Redis("redis", redisArgsFor(config)), { outputs: { [REMOTE_IMAGE]: () => ({ imageId: IMAGE_ID }), ...outputs } });
}

/** Each Docker object's inputs by `type name`. */
function dockerInputs(resources: readonly RecordedResource[]): Map<string, Record<string, unknown>> {
    return new Map(resources.filter((resource) => resource.type.startsWith("docker:")).map((resource) => [`${resource.type} ${resource.name}`, resource.inputs]));
}

/** The Docker objects whose inputs differ between two runs, or that only one run has, sorted. */
function changedDockerObjects(before: readonly RecordedResource[], after: readonly RecordedResource[]): string[] {
    const [old, now] = [dockerInputs(before), dockerInputs(after)];
    return [...new Set([...old.keys(), ...now.keys()])].filter((key) => !isDeepStrictEqual(old.get(key), now.get(key))).sort();
}

/** The mock password of a user's generation, as the mocks generate it. */
function mockPassword(user: string, generation = 1): string {
    return `${MOCK_SECRET_MARKER}-password-redis-users-${user}-password-g${generation}`;
}

/**
 * What the platform must have rendered: the same call, with the passwords the mocks generate (generation 1,
 * or for the users in `rotated`, generation 2 then generation 1).
 */
function rendered(config: SelfHostedConfig, rotated: readonly string[] = []): RenderedDeployment {
    const layout = dockerLayout("redis", config);
    const passwordsOf = (user: string) => (rotated.includes(user) ? [mockPassword(user, 2), mockPassword(user, 1)] : [mockPassword(user)]);
    const passwordsByUser = Object.fromEntries(allUserNames(config).map((user) => [user, passwordsOf(user)]));
    return renderDeployment({ config, place: layout.place, pathsFor: layout.pathsFor, listenFor: layout.listenFor, passwordsByUser });
}

/** The stack config of a rotation: each of `users` at generation 2, the previous password kept. */
function rotation(users: readonly string[]): Record<string, string> {
    return {
        "redis:acl": JSON.stringify({
            users: [{ name: "app", role: "app", keys: ["app:*"] }],
            rotation: Object.fromEntries(users.map((user) => [user, { generation: 2, keepPrevious: true }])),
        }),
    };
}

/**
 * Every file a node's processes see, by path: its container's uploads, and for a data node its writer's
 * uploads at their final paths (the writer stages them under `/stage`).
 */
function nodeFiles(resources: RecordedResource[], nodeName: string): Map<string, string> {
    const own: { file: string; content: string }[] = named(resources, CONTAINER, `redis-${nodeName}`).inputs.uploads ?? [];
    const writer = resources.find((resource) => resource.type === CONTAINER && resource.name === `redis-${nodeName}-files`);
    const staged: { file: string; content: string }[] = writer?.inputs.uploads ?? [];
    return new Map([...own.map((upload) => [upload.file, upload.content] as const), ...staged.map((upload) => [upload.file.replace(/^\/stage/, ""), upload.content] as const)]);
}

const TLS_ENV = ["REDIS_TLS_CA_FILE=/etc/redis/tls/ca.crt", "REDIS_TLS_CLIENT_CERT_FILE=/etc/redis/tls/client.crt", "REDIS_TLS_CLIENT_KEY_FILE=/etc/redis/tls/client.key"];
const TLS_CLI = "redis-cli --tls --cacert /etc/redis/tls/ca.crt --cert /etc/redis/tls/client.crt --key /etc/redis/tls/client.key --user monitor --askpass -h 127.0.0.1";
const labels = (role: string, node?: string) => [
    { label: "redisplatform.deployment", value: "redis-t" },
    { label: "redisplatform.role", value: role },
    ...(node ? [{ label: "redisplatform.node", value: node }] : []),
];
const ports = (...numbers: number[]) => numbers.map((port) => ({ external: port, internal: port, ip: "127.0.0.1", protocol: "tcp" }));

/** Asserts the common rules of every Docker run: parenting, pinned image, secrets, uploads = rendered files. */
function assertDockerRun(resources: RecordedResource[], config: SelfHostedConfig, rotated: readonly string[] = []): void {
    const component = named(resources, "redisplatform:docker:DockerDeployment", "redis");
    const urns = new Set(resources.map((resource) => resource.urn));
    for (const resource of resources.filter((candidate) => candidate.type.startsWith("docker:") || candidate.type.startsWith("redisplatform:docker:"))) {
        assert.ok(resource.parent !== undefined && urns.has(resource.parent), `${resource.name} is parented`);
        for (const [key, value] of Object.entries(resource.inputs)) {
            if (!resource.secretInputs.includes(key)) {
                assert.deepEqual(leakedSecrets(value), [], `${resource.type} ${resource.name} input ${key} carries a secret in plain text`);
            }
        }
    }
    assert.ok(ofType(resources, "redisplatform:docker:DockerNode").every((node) => node.parent === component.urn));

    const [image] = ofType(resources, REMOTE_IMAGE);
    assert.deepEqual(image.inputs, { name: imageFor(config.engine!).ref, keepLocally: true });
    assert.match(image.inputs.name, PINNED_IMAGE_PATTERN);

    const expected = rendered(config, rotated);
    for (const container of ofType(resources, CONTAINER)) {
        assert.equal(container.inputs.image, IMAGE_ID, `${container.name} runs the pinned image`);
        for (const port of container.inputs.ports ?? []) {
            assert.notEqual(port.ip, "0.0.0.0", `${container.name} publishes ${port.external} on every interface`);
            assert.equal(port.ip, config.selfhosted.docker.publishAddress);
        }
        const uploads: { file: string; content: string }[] = container.inputs.uploads ?? [];
        if (uploads.some((upload) => /\/(passwords|acl)\/|\.key$/.test(upload.file))) {
            assert.deepEqual(container.secretInputs, ["uploads"], `${container.name} sends its passwords, hashes and keys as a secret`);
        }
        const nodeName = /^redis-(redis-\d+|sentinel-\d+)$/.exec(container.name)?.[1];
        if (nodeName === undefined) {
            continue;
        }
        const byFile = nodeFiles(resources, nodeName);
        const node = expected.nodes.find((candidate) => candidate.node.name === nodeName)!;
        const script = node.node.kind === "redis" ? "redis-start.sh" : "sentinel-start.sh";
        assert.deepEqual(container.inputs.entrypoints, ["sh", `/etc/redis/scripts/${script}`]);
        assert.equal(byFile.get(`/etc/redis/scripts/${script}`), expected.scripts[script], `${nodeName} runs the rendered ${script} byte for byte`);
        assert.deepEqual(container.inputs.envs, Object.entries(node.env).map(([key, value]) => `${key}=${value}`), `${nodeName} runs with the rendered env`);
        assert.equal(byFile.get(CONTAINER_PATHS.configFile), node.config, `${nodeName} gets its rendered config`);
        if (node.node.kind === "redis") {
            assert.equal(byFile.get("/etc/redis/scripts/redis-prestop.sh"), expected.scripts["redis-prestop.sh"]);
            assert.equal(byFile.get("/etc/redis/scripts/redis-switchover.sh"), expected.scripts["redis-switchover.sh"], "the preStop hands over through the switchover script beside it");
            assert.equal(byFile.get(CONTAINER_PATHS.aclFile), expected.usersAcl);
            // The files a rotation changes are not the container's own: its writer delivers them.
            assert.deepEqual(
                uploads.map((upload) => upload.file),
                ["/etc/redis/conf/node.conf", "/etc/redis/scripts/redis-start.sh", "/etc/redis/scripts/redis-prestop.sh", "/etc/redis/scripts/redis-switchover.sh"],
                `${nodeName} keeps only its config and scripts as uploads`,
            );
            assertReloadSidecar(resources, config, nodeName, node.env);
        }
        for (const user of systemUserNames(config.selfhosted)) {
            assert.equal(byFile.get(`/etc/redis/passwords/${user}`), mockPassword(user, rotated.includes(user) ? 2 : 1));
        }
        assert.equal(byFile.get(CONTAINER_PATHS.tls.keyFile), `-----BEGIN ${MOCK_SECRET_MARKER} KEY redis-ca-${nodeName}-key-----`);
        assert.equal(byFile.get(CONTAINER_PATHS.tls.certFile), `-----BEGIN CERTIFICATE redis-ca-${nodeName}-cert-----`);
        assert.equal(byFile.get(CONTAINER_PATHS.tls.clientKeyFile), `-----BEGIN ${MOCK_SECRET_MARKER} KEY redis-ca-node-client-key-----`);
        assert.equal(byFile.get(CONTAINER_PATHS.tls.caFile), "-----BEGIN CERTIFICATE redis-ca-ca-cert-----");
    }
}

/** The reload sidecar of a data node: the rendered script byte for byte, the node's env plus `reloadEnvFor`, hardened. */
function assertReloadSidecar(resources: RecordedResource[], config: SelfHostedConfig, nodeName: string, nodeEnv: Record<string, string>): void {
    const sidecar = named(resources, CONTAINER, `redis-${nodeName}-reload`);
    const tls = config.tls.enabled;
    const env = { ...nodeEnv, ...reloadEnvFor({ node: { kind: "redis" }, paths: CONTAINER_PATHS, engine: config.engine!, tls: { enabled: tls } }) };
    const liveMounts = ["acl", "passwords", ...(tls ? ["tls"] : [])].map((key) => ({ volumeName: `redis-t-${nodeName}-${key}`, containerPath: `/etc/redis/${key}`, readOnly: true }));
    const image = imageFor(config.engine!);
    const [uid, gid] = [`${image.uid}:${image.gid}`, String(image.gid)];
    assert.deepEqual(sidecar.inputs, {
        name: `redis-t-${nodeName}-reload`,
        image: IMAGE_ID,
        entrypoints: ["sh", "/etc/redis/scripts/redis-reload.sh"],
        envs: Object.entries(env).map(([key, value]) => `${key}=${value}`),
        user: uid,
        networkMode: "container:redis-netns-id",
        pidMode: "container:redis-netns-id",
        volumes: [{ containerPath: "/etc/redis" }, ...liveMounts],
        uploads: [{ file: "/etc/redis/scripts/redis-reload.sh", content: renderReloadScript(), owner: "0", group: gid, permissions: "0440" }],
        ...HARDENING,
        memory: 32,
        cpus: "0.1",
        restart: "unless-stopped",
        labels: labels("reload", nodeName),
    });
    assert.deepEqual(sidecar.secretInputs, [], "the sidecar carries its script only, shown in previews");
    const node = named(resources, CONTAINER, `redis-${nodeName}`);
    assert.deepEqual(node.inputs.volumes.slice(2), liveMounts, `${nodeName} mounts its live files read-only at the same paths`);
    assert.ok(sidecar.dependencies.includes(node.urn), "the sidecar starts after its node");
    assert.ok(node.dependencies.includes(named(resources, CONTAINER, `redis-${nodeName}-files`).urn), `${nodeName} starts once its writer has filled the volumes`);
}

describe("Docker layout (pure)", () => {
    it("places data nodes from basePort, sentinels 100 above, cluster buses 10000 above, all on the publish address", () => {
        const sentinel = dockerLayout("redis", dockerConfig({ topology: "sentinel", replicas: 2, sentinels: 3 }));
        assert.deepEqual(sentinel.place({ name: "redis-2", kind: "redis", index: 2 }), { announceHost: "127.0.0.1", port: 7002 });
        assert.deepEqual(sentinel.place({ name: "sentinel-1", kind: "sentinel", index: 1 }), { announceHost: "127.0.0.1", port: 7101 });
        const cluster = dockerLayout("redis", dockerConfig({ topology: "cluster", docker: { basePort: 8000 } }));
        assert.deepEqual(cluster.place({ name: "redis-4", kind: "redis", index: 4 }), { announceHost: "127.0.0.1", port: 8004, busPort: 18004 });
        assert.equal(cluster.listenFor, undefined, "each node listens on the port it announces and is published on");
        assert.deepEqual(cluster.pathsFor({ name: "redis-0", kind: "redis", index: 0 }), CONTAINER_PATHS);
    });

    it("announces 127.0.0.1 when ports are published on every interface", () => {
        const layout = dockerLayout("redis", dockerConfig({ topology: "standalone", docker: { publishAddress: "0.0.0.0" } }));
        assert.deepEqual(layout.place({ name: "redis-0", kind: "redis", index: 0 }), { announceHost: "127.0.0.1", port: 7000 });
    });

    it("covers the container name and loopback in certificates, the publish address otherwise", () => {
        const loopback = dockerLayout("redis", dockerConfig({ topology: "sentinel" }));
        const topology = buildTopology(dockerConfig({ topology: "sentinel" }).selfhosted, loopback.place);
        assert.deepEqual(loopback.certificateNames(topology.sentinels[0]), { dnsNames: ["redis-t-sentinel-0", "localhost"], ipAddresses: ["127.0.0.1", "::1"] });
        const lan = dockerConfig({ topology: "sentinel", docker: { publishAddress: "192.168.10.5" } });
        const lanLayout = dockerLayout("redis", lan);
        const lanTopology = buildTopology(lan.selfhosted, lanLayout.place);
        assert.deepEqual(lanLayout.certificateNames(lanTopology.dataNodes[1]), { dnsNames: ["redis-t-redis-1"], ipAddresses: ["192.168.10.5"] });
    });

    it("gives clients the primary, the sentinels or the cluster primaries at their published ports", () => {
        for (const [selfhosted, endpoints] of [
            [{ topology: "standalone" }, [7000]],
            [{ topology: "sentinel", sentinels: 3 }, [7100, 7101, 7102]],
            [{ topology: "cluster", shards: 3, replicasPerShard: 1 }, [7000, 7001, 7002]],
        ] as const) {
            const config = dockerConfig(selfhosted);
            const layout = dockerLayout("redis", config);
            const topology = buildTopology(config.selfhosted, layout.place);
            assert.deepEqual(layout.clientEndpoints(topology), { endpoints: endpoints.map((port) => ({ host: "127.0.0.1", port })) });
        }
    });

    it("refuses a cluster announced on a non-loopback address and ports beyond 65535", () => {
        assert.throws(
            () => validateDockerConfig(dockerConfig({ topology: "cluster", docker: { publishAddress: "192.168.10.5" } })),
            /selfhosted.docker.publishAddress: "192.168.10.5" cannot carry a Docker cluster: .* Use 127.0.0.1 \(the default\) or 0.0.0.0/,
        );
        assert.throws(() => validateDockerConfig(dockerConfig({ topology: "cluster", docker: { publishAddress: "::1" } })), /cannot carry a Docker cluster/);
        assert.throws(
            () => validateDockerConfig(dockerConfig({ topology: "cluster", docker: { basePort: 60000 } })),
            /^Error: selfhosted.docker.basePort: 60000 puts port 70005 above 65535 \(cluster bus ports are client ports \+ 10000\): use at most 55530$/,
        );
        assert.doesNotThrow(() => validateDockerConfig(dockerConfig({ topology: "sentinel", docker: { basePort: 60000, publishAddress: "192.168.10.5" } })));
    });

    it("checks health as the monitor user with the password piped from its file", () => {
        const config = dockerConfig({ topology: "sentinel" });
        const topology = buildTopology(config.selfhosted, dockerLayout("redis", config).place);
        assert.deepEqual(healthCheckCommand(topology.sentinels[0], CONTAINER_PATHS, true), ["CMD-SHELL", `${TLS_CLI} -p 7100 PING < /etc/redis/passwords/monitor | grep -q PONG`]);
        assert.deepEqual(healthCheckCommand(topology.dataNodes[1], CONTAINER_PATHS, false), [
            "CMD-SHELL",
            'out=$(redis-cli --user monitor --askpass -h 127.0.0.1 -p 7001 INFO replication < /etc/redis/passwords/monitor) && case "$out" in *role:master*|*master_link_status:up*) exit 0 ;; esac; exit 1',
        ]);
        assert.deepEqual(publishedPorts(topology, "0.0.0.0")[0], { internal: 7000, external: 7000, ip: "0.0.0.0", protocol: "tcp" }, "every interface only when asked");
    });
});

describe("Docker platform under mocks", () => {
    it("sentinel: network, pinned image, holder with loopback ports, a volume and a hardened container per node", async () => {
        const config = dockerConfig({ topology: "sentinel", replicas: 2, sentinels: 3 });
        const run = await build(config);
        assert.equal(run.error, undefined, String(run.error));
        assertDockerRun(run.resources, config);

        assert.deepEqual(named(run.resources, NETWORK, "redis-network").inputs, { name: "redis-t", driver: "bridge", labels: labels("network") });
        // Children of child components register later: compare the sets, sorted.
        assert.deepEqual(
            ofType(run.resources, VOLUME)
                .map((volume) => [volume.name, volume.inputs.name, volume.protect])
                .sort(),
            [
                ...["redis-0", "redis-1", "redis-2"].flatMap((node) => [
                    [`redis-${node}-data`, `redis-t-${node}-data`, false],
                    ...["acl", "passwords", "tls"].map((key) => [`redis-${node}-files-${key}`, `redis-t-${node}-${key}`, false]),
                ]),
                ...["sentinel-0", "sentinel-1", "sentinel-2"].map((node) => [`redis-${node}-data`, `redis-t-${node}-data`, false]),
            ].sort(),
        );
        assert.deepEqual(named(run.resources, VOLUME, "redis-redis-1-files-tls").inputs, { name: "redis-t-redis-1-tls", labels: labels("files", "redis-1") });
        assert.deepEqual(named(run.resources, CONTAINER, "redis-netns").inputs, {
            name: "redis-t-netns",
            image: IMAGE_ID,
            entrypoints: ["sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"],
            user: "999:1000",
            networksAdvanced: [
                {
                    name: "redis-t",
                    aliases: ["redis-t-redis-0", "redis-t-redis-1", "redis-t-redis-2", "redis-t-sentinel-0", "redis-t-sentinel-1", "redis-t-sentinel-2"],
                },
            ],
            ports: ports(7000, 7001, 7002, 7100, 7101, 7102),
            ...HARDENING,
            memory: 16,
            cpus: "0.1",
            restart: "unless-stopped",
            labels: labels("netns"),
        });

        const replica = named(run.resources, CONTAINER, "redis-redis-1");
        const { uploads: replicaUploads, ...replicaInputs } = replica.inputs;
        assert.deepEqual(replicaInputs, {
            name: "redis-t-redis-1",
            image: IMAGE_ID,
            entrypoints: ["sh", "/etc/redis/scripts/redis-start.sh"],
            envs: [
                "REDIS_TOPOLOGY=sentinel",
                "REDIS_NODE_NAME=redis-1",
                "REDIS_ANNOUNCE_HOST=127.0.0.1",
                "REDIS_PORT=7001",
                "REDIS_LOCAL_PORT=7001",
                "REDIS_CONF_FILE=/etc/redis/conf/node.conf",
                "REDIS_DATA_DIR=/data",
                "REDIS_PASSWORD_DIR=/etc/redis/passwords",
                "REDIS_TLS=yes",
                "REDIS_START_TIMEOUT=60",
                ...TLS_ENV,
                "REDIS_SENTINELS=127.0.0.1:7100 127.0.0.1:7101 127.0.0.1:7102",
                "REDIS_MASTER_NAME=redis-primary",
                "REDIS_INITIAL_PRIMARY=127.0.0.1:7000",
                ...ENGINE_ENV,
            ],
            user: "999:1000",
            networkMode: "container:redis-netns-id",
            pidMode: "container:redis-netns-id",
            volumes: [
                { volumeName: "redis-t-redis-1-data", containerPath: "/data" },
                { containerPath: "/etc/redis" },
                ...["acl", "passwords", "tls"].map((key) => ({ volumeName: `redis-t-redis-1-${key}`, containerPath: `/etc/redis/${key}`, readOnly: true })),
            ],
            ...HARDENING,
            memory: 256,
            cpus: "0.5",
            ulimits: [{ name: "nofile", soft: 10032, hard: 10032 }],
            restart: "unless-stopped",
            stopTimeout: 60,
            destroyGraceSeconds: 60,
            healthcheck: {
                tests: ["CMD-SHELL", `out=$(${TLS_CLI} -p 7001 INFO replication < /etc/redis/passwords/monitor) && case "$out" in *role:master*|*master_link_status:up*) exit 0 ;; esac; exit 1`],
                interval: "5s",
                timeout: "3s",
                retries: 3,
                startPeriod: "2m0s",
            },
            wait: true,
            waitTimeout: 180,
            labels: labels("redis", "redis-1"),
        });
        const upload = (file: string) => ({ file, owner: "0", group: "1000", permissions: "0440" });
        assert.deepEqual(
            replicaUploads.map(({ content: _content, ...rest }: { content: string }) => rest),
            ["/etc/redis/conf/node.conf", "/etc/redis/scripts/redis-start.sh", "/etc/redis/scripts/redis-prestop.sh", "/etc/redis/scripts/redis-switchover.sh"].map(upload),
        );
        assert.deepEqual(replica.secretInputs, ["uploads"]);

        // The files a rotation changes: the writer stages them and copies them into the node's volumes.
        const expected = rendered(config);
        const writer = named(run.resources, CONTAINER, "redis-redis-1-files");
        const { uploads: writerUploads, ...writerInputs } = writer.inputs;
        assert.deepEqual(writerInputs, {
            name: "redis-t-redis-1-files",
            image: IMAGE_ID,
            entrypoints: ["sh", "-c", WRITER_SCRIPT, "write-files", "/stage/etc/redis/acl=/etc/redis/acl", "/stage/etc/redis/passwords=/etc/redis/passwords", "/stage/etc/redis/tls=/etc/redis/tls"],
            user: "0:1000",
            networkMode: "none",
            volumes: [{ containerPath: "/stage" }, ...["acl", "passwords", "tls"].map((key) => ({ volumeName: `redis-t-redis-1-${key}`, containerPath: `/etc/redis/${key}` }))],
            ...HARDENING,
            memory: 16,
            cpus: "0.1",
            attach: true,
            logs: true,
            mustRun: false,
            restart: "no",
            labels: labels("files", "redis-1"),
        });
        assert.deepEqual(writer.secretInputs, ["uploads"], "the writer's uploads carry passwords, hashes and keys: secret");
        assert.deepEqual(writerUploads, [
            { file: "/stage/etc/redis/acl/users.acl", content: expected.usersAcl },
            ...["admin", "monitor", "backup", "replication", "sentinel"].map((user) => ({ file: `/stage/etc/redis/passwords/${user}`, content: mockPassword(user) })),
            { file: "/stage/etc/redis/tls/ca.crt", content: "-----BEGIN CERTIFICATE redis-ca-ca-cert-----" },
            { file: "/stage/etc/redis/tls/tls.crt", content: "-----BEGIN CERTIFICATE redis-ca-redis-1-cert-----" },
            { file: "/stage/etc/redis/tls/tls.key", content: `-----BEGIN ${MOCK_SECRET_MARKER} KEY redis-ca-redis-1-key-----` },
            { file: "/stage/etc/redis/tls/client.crt", content: "-----BEGIN CERTIFICATE redis-ca-node-client-cert-----" },
            { file: "/stage/etc/redis/tls/client.key", content: `-----BEGIN ${MOCK_SECRET_MARKER} KEY redis-ca-node-client-key-----` },
        ].map(({ file, content }) => ({ ...upload(file), content })));

        const sentinel = named(run.resources, CONTAINER, "redis-sentinel-0");
        assert.deepEqual(
            sentinel.inputs.uploads.map((file: { file: string }) => file.file),
            [
                "/etc/redis/conf/node.conf",
                "/etc/redis/scripts/sentinel-start.sh",
                ...["admin", "monitor", "backup", "replication", "sentinel"].map((user) => `/etc/redis/passwords/${user}`),
                "/etc/redis/tls/ca.crt",
                "/etc/redis/tls/tls.crt",
                "/etc/redis/tls/tls.key",
                "/etc/redis/tls/client.crt",
                "/etc/redis/tls/client.key",
            ],
        );
        assert.equal(sentinel.inputs.memory, 128);
        assert.equal(sentinel.inputs.cpus, "0.5");
        assert.deepEqual(sentinel.inputs.healthcheck.tests, ["CMD-SHELL", `${TLS_CLI} -p 7100 PING < /etc/redis/passwords/monitor | grep -q PONG`]);
        assert.deepEqual(sentinel.inputs.volumes, [{ volumeName: "redis-t-sentinel-0-data", containerPath: "/data" }, { containerPath: "/etc/redis" }]);
        assert.deepEqual(
            ofType(run.resources, CONTAINER)
                .map((container) => container.name)
                .sort(),
            [
                "redis-netns",
                ...["redis-0", "redis-1", "redis-2"].flatMap((node) => [`redis-${node}-files`, `redis-${node}`, `redis-${node}-reload`]),
                "redis-sentinel-0",
                "redis-sentinel-1",
                "redis-sentinel-2",
                "redis-sentinel-reset",
            ].sort(),
            "holder; per data node a writer, the node and its reload sidecar; sentinels; the sentinel-reset job; no cluster job",
        );

        // The sentinel-reset job: the rendered script once every node ran, with the sentinel password only.
        const reset = named(run.resources, CONTAINER, "redis-sentinel-reset");
        const { uploads: resetUploads, ...resetInputs } = reset.inputs;
        const first = expected.nodes.find((node) => node.node.name === "redis-0")!;
        assert.deepEqual(resetInputs.entrypoints, ["sh", "/etc/redis/scripts/sentinel-reset.sh"]);
        assert.deepEqual(resetInputs.envs, Object.entries({ ...first.env, REDIS_NODE_NAME: "sentinel-reset", REDIS_DATA_NODES: "127.0.0.1:7000 127.0.0.1:7001 127.0.0.1:7002" }).map(([key, value]) => `${key}=${value}`));
        assert.deepEqual([resetInputs.attach, resetInputs.mustRun, resetInputs.restart, resetInputs.networkMode], [true, false, "no", "container:redis-netns-id"]);
        assert.deepEqual(reset.secretInputs, ["uploads"]);
        assert.deepEqual(
            resetUploads.map((file: { file: string; content: string }) => [file.file, file.content.startsWith(MOCK_SECRET_MARKER) ? "password" : file.content === expected.scripts["sentinel-reset.sh"] ? "script" : "tls"]),
            [
                ["/etc/redis/scripts/sentinel-reset.sh", "script"],
                ["/etc/redis/passwords/sentinel", "password"],
                ["/etc/redis/tls/ca.crt", "tls"],
                ["/etc/redis/tls/client.crt", "tls"],
                ["/etc/redis/tls/client.key", "tls"],
            ],
        );
        for (const node of ofType(run.resources, CONTAINER).filter((container) => /^redis-(redis|sentinel)-\d$/.test(container.name))) {
            assert.ok(reset.dependencies.includes(node.urn), `the sentinel-reset job waits for ${node.name}`);
        }
    });

    it("standalone: one node, its port only, TLS off leaves no TLS files and a plaintext health check", async () => {
        const config = dockerConfig({ topology: "standalone" }, { "redis:tls": JSON.stringify({ enabled: false }) });
        const run = await build(config);
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(
            ofType(run.resources, CONTAINER)
                .map((container) => container.name)
                .sort(),
            ["redis-netns", "redis-redis-0", "redis-redis-0-files", "redis-redis-0-reload"],
        );
        assert.deepEqual(named(run.resources, CONTAINER, "redis-netns").inputs.ports, ports(7000));
        const node = named(run.resources, CONTAINER, "redis-redis-0");
        assert.deepEqual(
            node.inputs.uploads.map((file: { file: string }) => file.file),
            ["/etc/redis/conf/node.conf", "/etc/redis/scripts/redis-start.sh", "/etc/redis/scripts/redis-prestop.sh"],
        );
        // No TLS volume without TLS; the writer fills the other two.
        const writer = named(run.resources, CONTAINER, "redis-redis-0-files");
        assert.deepEqual(writer.inputs.entrypoints.slice(3), ["write-files", "/stage/etc/redis/acl=/etc/redis/acl", "/stage/etc/redis/passwords=/etc/redis/passwords"]);
        assert.deepEqual(
            writer.inputs.uploads.map((file: { file: string }) => file.file),
            ["/stage/etc/redis/acl/users.acl", "/stage/etc/redis/passwords/admin", "/stage/etc/redis/passwords/monitor", "/stage/etc/redis/passwords/backup"],
        );
        assertReloadSidecar(run.resources, config, "redis-0", rendered(config).nodes[0].env);
        assert.deepEqual(node.inputs.envs, [
            "REDIS_TOPOLOGY=standalone",
            "REDIS_NODE_NAME=redis-0",
            "REDIS_ANNOUNCE_HOST=127.0.0.1",
            "REDIS_PORT=7000",
            "REDIS_LOCAL_PORT=7000",
            "REDIS_CONF_FILE=/etc/redis/conf/node.conf",
            "REDIS_DATA_DIR=/data",
            "REDIS_PASSWORD_DIR=/etc/redis/passwords",
            "REDIS_TLS=no",
            "REDIS_START_TIMEOUT=60",
            ...ENGINE_ENV,
        ]);
        assert.deepEqual(node.inputs.healthcheck.tests, healthCheckCommand(rendered(config).topology.dataNodes[0], CONTAINER_PATHS, false));
        for (const resource of run.resources) {
            for (const [key, value] of Object.entries(resource.inputs)) {
                if (!resource.secretInputs.includes(key)) {
                    assert.deepEqual(leakedSecrets(value), [], `${resource.name}.${key}`);
                }
            }
        }
    });

    it("cluster: nodes announce the loopback address, bus ports stay unpublished, a one-shot job forms the cluster", async () => {
        const config = dockerConfig({ topology: "cluster", shards: 3, replicasPerShard: 1 }, { "redis:engine": JSON.stringify({ name: "valkey", version: "8.1" }) });
        const run = await build(config);
        assert.equal(run.error, undefined, String(run.error));
        assertDockerRun(run.resources, config);
        assert.equal(named(run.resources, REMOTE_IMAGE, "redis-image").inputs.name, "valkey/valkey:8.1.3-alpine@sha256:d827e7f7552cdee40cc7482dbae9da020f42bc47669af6f71182a4ef76a22773");
        assert.deepEqual(named(run.resources, CONTAINER, "redis-netns").inputs.ports, ports(7000, 7001, 7002, 7003, 7004, 7005));

        const expected = rendered(config);
        const conf = expected.nodes.find((node) => node.node.name === "redis-4")!.config;
        assert.ok(conf.includes("\ncluster-announce-hostname 127.0.0.1\ncluster-preferred-endpoint-type hostname\n"), "MOVED redirects name an address the host reaches");
        assert.ok(conf.includes("\ntls-port 7004\n") && conf.includes("\ncluster-port 17004\n"));

        const job = named(run.resources, CONTAINER, "redis-cluster-create");
        const { uploads, ...jobInputs } = job.inputs;
        assert.deepEqual(jobInputs, {
            name: "redis-t-cluster-create",
            image: IMAGE_ID,
            entrypoints: ["sh", "/etc/redis/scripts/cluster-create.sh"],
            envs: [
                "REDIS_TOPOLOGY=cluster",
                "REDIS_NODE_NAME=redis-0",
                "REDIS_ANNOUNCE_HOST=127.0.0.1",
                "REDIS_PORT=7000",
                "REDIS_LOCAL_PORT=7000",
                "REDIS_CONF_FILE=/etc/redis/conf/node.conf",
                "REDIS_DATA_DIR=/data",
                "REDIS_PASSWORD_DIR=/etc/redis/passwords",
                "REDIS_TLS=yes",
                "REDIS_START_TIMEOUT=60",
                ...TLS_ENV,
                // This cluster runs Valkey 8.1 (its config's engine).
                ...Object.entries(engineStartEnvFor({ name: "valkey", version: "8.1" })).map(([name, value]) => `${name}=${value}`),
                "REDIS_CLUSTER_PRIMARIES=127.0.0.1:7000:17000:0-5461 127.0.0.1:7001:17001:5462-10922 127.0.0.1:7002:17002:10923-16383",
                "REDIS_CLUSTER_REPLICAS=127.0.0.1:7003:17003:127.0.0.1:7000 127.0.0.1:7004:17004:127.0.0.1:7001 127.0.0.1:7005:17005:127.0.0.1:7002",
            ],
            user: "999:1000",
            networkMode: "container:redis-netns-id",
            pidMode: "container:redis-netns-id",
            volumes: [{ containerPath: "/etc/redis" }],
            ...HARDENING,
            memory: 64,
            cpus: "0.5",
            attach: true,
            logs: true,
            mustRun: false,
            restart: "no",
            labels: labels("cluster-create"),
        });
        assert.deepEqual(job.secretInputs, ["uploads"]);
        assert.deepEqual(
            uploads.map((file: { file: string; content: string }) => [file.file, file.content]),
            [
                ["/etc/redis/scripts/cluster-create.sh", expected.scripts["cluster-create.sh"]],
                ["/etc/redis/passwords/admin", `${MOCK_SECRET_MARKER}-password-redis-users-admin-password-g1`],
                ["/etc/redis/tls/ca.crt", "-----BEGIN CERTIFICATE redis-ca-ca-cert-----"],
                ["/etc/redis/tls/client.crt", "-----BEGIN CERTIFICATE redis-ca-node-client-cert-----"],
                ["/etc/redis/tls/client.key", `-----BEGIN ${MOCK_SECRET_MARKER} KEY redis-ca-node-client-key-----`],
            ],
        );
        const nodeContainers = new Set(ofType(run.resources, CONTAINER).filter((container) => /^redis-redis-\d$/.test(container.name)).map((container) => container.urn));
        assert.equal(nodeContainers.size, 6);
        for (const urn of nodeContainers) {
            assert.ok(job.dependencies.includes(urn), `the job waits for ${urn}`);
        }

        // The drain: the same job with cluster-drain.sh, in the host's network namespace, before the holder (and so
        // before any node container is replaced or removed); the create job runs after it.
        const drain = named(run.resources, CONTAINER, "redis-cluster-drain");
        const { uploads: drainUploads, ...drainInputs } = drain.inputs;
        const { pidMode: _pidMode, ...jobWithoutPid } = jobInputs;
        assert.deepEqual(drainInputs, {
            ...jobWithoutPid,
            name: "redis-t-cluster-drain",
            entrypoints: ["sh", "/etc/redis/scripts/cluster-drain.sh"],
            networkMode: "host",
            labels: labels("cluster-drain"),
        });
        assert.deepEqual(drainUploads.map((file: { file: string }) => file.file), uploads.map((file: { file: string }) => file.file.replace("cluster-create.sh", "cluster-drain.sh")));
        assert.equal(drainUploads[0].content, expected.scripts["cluster-drain.sh"]);
        assert.ok(named(run.resources, CONTAINER, "redis-netns").dependencies.includes(drain.urn), "the holder waits for the drain");
        assert.ok(job.dependencies.includes(drain.urn), "the create job runs after the drain");
        assert.ok(!drain.dependencies.some((urn) => nodeContainers.has(urn)), "the drain waits for no node");
    });

    it("protects every data volume when the stack protects its data", async () => {
        const run = await build(dockerConfig({ topology: "sentinel", replicas: 1, sentinels: 3 }, { "redis:protect": "true" }));
        assert.equal(run.error, undefined, String(run.error));
        const volumes = ofType(run.resources, VOLUME);
        const data = volumes.filter((volume) => volume.name.endsWith("-data"));
        assert.equal(data.length, 5);
        assert.ok(data.every((volume) => volume.protect));
        assert.equal(volumes.length, 5 + 2 * 3, "and the live files' volumes of both data nodes");
        assert.ok(volumes.filter((volume) => !data.includes(volume)).every((volume) => !volume.protect), "live files' volumes are refilled by their writer: not protected");
        assert.ok(ofType(run.resources, CONTAINER).every((container) => !container.protect), "containers stay replaceable");
    });

    it("publishes on every interface only when publishAddress says so", async () => {
        const run = await build(dockerConfig({ topology: "standalone", docker: { publishAddress: "0.0.0.0" } }));
        assert.equal(run.error, undefined, String(run.error));
        assert.deepEqual(named(run.resources, CONTAINER, "redis-netns").inputs.ports, [{ external: 7000, internal: 7000, ip: "0.0.0.0", protocol: "tcp" }]);
    });

    it("applies a password rotation live: only the writers change among the data nodes' objects; the sentinels are replaced", async () => {
        const selfhosted = { topology: "sentinel", replicas: 2, sentinels: 3 };
        const rotated = ["app", "admin", "monitor", "replication", "sentinel"];
        const config = dockerConfig(selfhosted, rotation(rotated));
        const [before, after] = [await build(dockerConfig(selfhosted)), await build(config)];
        assert.equal(before.error, undefined, String(before.error));
        assert.equal(after.error, undefined, String(after.error));
        assertDockerRun(after.resources, config, rotated);

        // Data nodes, their sidecars, volumes, the holder: the same inputs, so `pulumi up` leaves them running.
        const container = (name: string) => `${CONTAINER} redis-${name}`;
        assert.deepEqual(
            changedDockerObjects(before.resources, after.resources),
            [...["redis-0", "redis-1", "redis-2"].map((node) => container(`${node}-files`)), ...["sentinel-0", "sentinel-1", "sentinel-2", "sentinel-reset"].map(container)].sort(),
            "a rotation re-runs the writers; sentinels (no sidecar) are replaced; the sentinel-reset job runs again with the new sentinel password",
        );

        // The writers deliver the new passwords, and an ACL file valid for both generations of each rotated user.
        const files = nodeFiles(after.resources, "redis-0");
        const acl = files.get(CONTAINER_PATHS.aclFile)!;
        assert.equal(acl, rendered(config, rotated).usersAcl);
        for (const user of rotated) {
            assert.ok(acl.includes(`#${aclPasswordHash(mockPassword(user, 2))}`) && acl.includes(`#${aclPasswordHash(mockPassword(user, 1))}`), `${user} logs in with either password`);
        }
        assert.equal(files.get("/etc/redis/passwords/replication"), mockPassword("replication", 2));
        assert.equal(files.get("/etc/redis/passwords/backup"), mockPassword("backup", 1));
    });

    it("applies a certificate renewal live: only the writers change among the data nodes' objects", async () => {
        const config = dockerConfig({ topology: "sentinel", replicas: 2, sentinels: 3 });
        const renewed = { "tls:index/locallySignedCert:LocallySignedCert": (name: string) => ({ certPem: `-----BEGIN CERTIFICATE ${name} renewed-----` }) };
        const [before, after] = [await build(config), await build(config, renewed)];
        assert.equal(after.error, undefined, String(after.error));
        assert.deepEqual(
            changedDockerObjects(before.resources, after.resources),
            [...["redis-0", "redis-1", "redis-2"].map((node) => `${CONTAINER} redis-${node}-files`), ...["sentinel-0", "sentinel-1", "sentinel-2", "sentinel-reset"].map((node) => `${CONTAINER} redis-${node}`)].sort(),
        );
        const files = nodeFiles(after.resources, "redis-1");
        assert.equal(files.get(CONTAINER_PATHS.tls.certFile), "-----BEGIN CERTIFICATE redis-ca-redis-1-cert renewed-----");
        assert.equal(files.get(CONTAINER_PATHS.tls.clientCertFile), "-----BEGIN CERTIFICATE redis-ca-node-client-cert renewed-----");
    });

    it("dev stack: Sentinel on Docker with exact resource counts and the connection on loopback", async () => {
        const run = await runStack("dev", { outputs: { [REMOTE_IMAGE]: () => ({ imageId: IMAGE_ID }) } });
        assert.equal(run.error, undefined, String(run.error));
        const counts: Record<string, number> = {};
        for (const resource of run.resources.filter((candidate) => candidate.type.includes("docker"))) {
            counts[resource.type] = (counts[resource.type] ?? 0) + 1;
        }
        assert.deepEqual(counts, {
            "redisplatform:docker:DockerDeployment": 1,
            "redisplatform:docker:DockerNode": 6,
            "redisplatform:docker:Monitoring": 1,
            "redisplatform:docker:Backup": 1,
            // The engine, then the exporter, Pushgateway, Prometheus, Alertmanager and Grafana.
            [REMOTE_IMAGE]: 6,
            [NETWORK]: 1,
            "redisplatform:docker:LiveFiles": 3,
            // A data volume per node; ACL, password and TLS volumes per data node; Prometheus, Alertmanager, Grafana; the backups.
            [VOLUME]: 6 + 3 * 3 + 3 + 1,
            // The holder and the nodes; a writer and a reload sidecar per data node; an exporter per node, Pushgateway,
            // Prometheus, Alertmanager, Grafana; the backup loop; the sentinel-reset job.
            [CONTAINER]: 7 + 3 * 2 + 6 + 4 + 1 + 1,
        });
        assert.equal(named(run.resources, REMOTE_IMAGE, "redis-image").inputs.name, imageFor({ name: "redis", version: "7.2" }).ref);
        assert.ok(ofType(run.resources, VOLUME).every((volume) => !volume.protect), "dev does not protect its volumes");
        const connection = run.outputs.connection.value as { mode: string; endpoints: unknown; sentinelMasterName: string; tls: { enabled: boolean } };
        assert.equal(connection.mode, "sentinel");
        assert.deepEqual(connection.endpoints, [7100, 7101, 7102].map((port) => ({ host: "127.0.0.1", port })));
        assert.equal(connection.sentinelMasterName, "redis-primary");
        assert.equal(connection.tls.enabled, true);
        for (const resource of run.resources) {
            for (const [key, value] of Object.entries(resource.inputs)) {
                if (!resource.secretInputs.includes(key)) {
                    assert.deepEqual(leakedSecrets(value), [], `${resource.type} ${resource.name}.${key}`);
                }
            }
        }
    });
});
