import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { jobEnvFor, RenderedDeployment, RenderedNode, RenderedScripts, switchoverJobEnv } from "../../redisconf/deployment";
import { CONTAINER_PATHS } from "../../redisconf/layout";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import { imageFor } from "../images";
import type { PlatformBuildArgs } from "../platform";
import {
    containerHardening,
    dockerCpus,
    HOLDER_ENTRYPOINT,
    holderNamespaces,
    jobUploads,
    NodeTlsFiles,
    nodeUploads,
    publishedPorts,
    SMALL_CONTAINER_CPUS,
    SMALL_CONTAINER_MEMORY_MIB,
} from "./containerSpec";
import { DockerNode, DockerNodeLiveArgs } from "./dockerNode";
import { jobContainer } from "./jobContainer";
import { EngineVersionGuard } from "../engineGuard";
import { switchoverEnvFor, SWITCHOVER_SCRIPT } from "../../redisconf/scripts/switchover";
import { containerName, dockerPrefix } from "./layout";
import { liveDirs, partitionUploads } from "./liveFiles";
import { reloadSidecarEnv } from "./reloadSidecar";
import { DockerBackup } from "./monitoring/dockerBackup";
import { DockerMonitoring } from "./monitoring/dockerMonitoring";
import { DockerProxy } from "./proxy/dockerProxy";
import { dockerProxyName, dockerProxyPublishedPort } from "./proxy/spec";

/** A system user's password from the password files. @throws Error naming the user when it has none */
function requirePassword(passwords: Readonly<Record<string, string>>, user: string): string {
    const password = passwords[user];
    if (password === undefined) {
        throw new Error(`DockerDeployment: the password files have no ${user} password`);
    }
    return password;
}

/** Arguments of {@link DockerDeployment}: what the self-hosted backend hands its platform. */
export type DockerDeploymentArgs = Omit<PlatformBuildArgs, "name" | "parent">;

/**
 * A self-hosted Redis on the local Docker engine: a network, the pinned engine image, a holder container
 * owning the shared network namespace and the published ports, one {@link DockerNode} (volume + container)
 * per data node and sentinel, and in cluster mode a one-shot container running `cluster-create.sh`.
 *
 * Each data node's ACL, password and TLS files live in volumes a one-shot writer fills, and a reload sidecar
 * applies their changes to the running node: a password rotation or a certificate renewal re-runs the
 * writers and restarts no data node. Sentinels keep every file as an upload and are replaced on a change.
 *
 * The containers run the rendered scripts with the rendered environment, byte for byte what the local
 * harness runs on real processes.
 */
export class DockerDeployment extends pulumi.ComponentResource {
    /** The deployment's Docker network; other containers join it to reach the nodes by container name. */
    public readonly network: docker.Network;
    /** The pinned engine image. */
    public readonly image: docker.RemoteImage;
    /** The container owning the shared network namespace and the published ports. */
    public readonly holder: docker.Container;
    /** Each node by name (`redis-0`, `sentinel-1`, ...). */
    public readonly nodes: Record<string, DockerNode>;
    /** The one-shot container that drains what a scale-down removes, before the nodes change (cluster topology only). */
    public readonly clusterDrain: docker.Container | undefined;
    /** The one-shot container that forms the cluster, or brings it to the desired nodes after a scale (cluster topology only). */
    public readonly clusterCreate: docker.Container | undefined;
    /** The one-shot container that makes the sentinels forget removed data nodes (sentinel topology only). */
    public readonly sentinelReset: docker.Container | undefined;
    /** Exporters, Prometheus, Alertmanager, Grafana and the Pushgateway (`monitoring.enabled`). */
    public readonly monitoring: DockerMonitoring | undefined;
    /** The one-shot container running `redis-switchover.sh` (`selfhosted.switchoverTo` set). */
    public readonly switchover: docker.Container | undefined;
    /** The backup container and its volume (`backup.enabled`). */
    public readonly backup: DockerBackup | undefined;

    constructor(name: string, args: DockerDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redisplatform:docker:DockerDeployment", name, {}, opts);
        const { config, topology } = args;
        const engine = config.engine;
        if (engine === undefined) {
            throw new Error("DockerDeployment: the stack config has no engine");
        }
        const pinned = imageFor(engine);
        const prefix = dockerPrefix(name, config);
        const tlsEnabled = args.tls !== undefined;
        const labelsFor = (role: string, node?: string): Record<string, string> => ({
            "redisplatform.deployment": prefix,
            "redisplatform.role": role,
            ...(node === undefined ? {} : { "redisplatform.node": node }),
        });
        const labelList = (labels: Record<string, string>) => Object.entries(labels).map(([label, value]) => ({ label, value }));
        const deployment = pulumi.output(args.deployment);
        const passwordFiles = pulumi.output(args.passwordFiles);

        // Every Docker object has a fixed name (and the holder fixed host ports): a replacement must delete the old
        // object before creating the new one, or Docker refuses the duplicate.
        const fixedName: pulumi.CustomResourceOptions = { parent: this, deleteBeforeReplace: true };
        this.network = new docker.Network(`${name}-network`, { name: prefix, driver: "bridge", labels: labelList(labelsFor("network")) }, fixedName);
        this.image = new docker.RemoteImage(`${name}-image`, { name: pinned.ref, keepLocally: true }, { parent: this });

        // The deployed engine, remembered between runs: a downgrade fails the preview (engineGuard.ts). Docker
        // replaces every node's container at once on an image change, so no old replica ever syncs from a new primary.
        const engineGuard = new EngineVersionGuard(`${name}-engine`, engine, { parent: this });
        const tlsFiles = (nodeName: string | undefined): pulumi.Output<NodeTlsFiles | undefined> => {
            const tls = args.tls;
            if (tls === undefined) {
                return pulumi.output(undefined);
            }
            const server = nodeName === undefined ? undefined : tls.servers[nodeName];
            if (nodeName !== undefined && server === undefined) {
                throw new Error(`DockerDeployment: no server certificate for ${nodeName}`);
            }
            return pulumi
                .all([tls.caCertPem, tls.client.certPem, tls.client.privateKeyPem, server?.certPem, server?.privateKeyPem])
                .apply(([caCertPem, clientCert, clientKey, serverCert, serverKey]): NodeTlsFiles => ({
                    caCertPem,
                    ...(serverCert !== undefined && serverKey !== undefined ? { server: { certPem: serverCert, privateKeyPem: serverKey } } : {}),
                    client: { certPem: clientCert, privateKeyPem: clientKey },
                }));
        };
        // A one-shot container running a rendered script as `users`; a new environment (another shard or replica
        // count, another switchover target) or script replaces it, which runs it again.
        const scriptJob = (
            suffix: string,
            script: keyof RenderedScripts,
            env: (rendered: RenderedDeployment) => ScriptEnv,
            users: readonly string[],
            network: { networkMode: pulumi.Input<string>; pidMode?: pulumi.Input<string> },
            dependsOn: pulumi.Resource[],
        ) =>
            jobContainer(
                `${name}-${suffix}`,
                {
                    containerName: `${prefix}-${suffix}`,
                    script,
                    env: pulumi.unsecret(deployment.apply(env)),
                    uploads: pulumi.secret(
                        pulumi
                            .all([deployment, passwordFiles, tlsFiles(undefined)])
                            .apply(([rendered, passwords, tls]) => jobUploads(rendered.scripts, script, CONTAINER_PATHS, Object.fromEntries(users.map((user) => [user, requirePassword(passwords, user)])), tls)),
                    ),
                    image: pinned,
                    imageId: this.image.imageId,
                    network,
                    labels: labelsFor(suffix),
                },
                { ...fixedName, dependsOn },
            );
        const clusterEnv = (rendered: RenderedDeployment) => jobEnvFor(rendered, rendered.clusterCreateEnv, "cluster-create");
        // Cluster: the drain runs before anything else changes. A new node count changes the holder's published
        // ports, which replaces the holder and every node container in its namespace, and removes the containers
        // of nodes that go away: their slots must have moved first. It cannot live in the holder's namespace (the
        // holder waits for it), so it uses the host's, where the nodes' published ports are the addresses they
        // announce (validateDockerConfig keeps clusters on a loopback publish address).
        this.clusterDrain = topology.kind === "cluster" ? scriptJob("cluster-drain", "cluster-drain.sh", clusterEnv, ["admin"], { networkMode: "host" }, [this.image, engineGuard]) : undefined;

        const allNodes = [...topology.dataNodes, ...topology.sentinels];
        this.holder = new docker.Container(
            `${name}-netns`,
            {
                name: `${prefix}-netns`,
                image: this.image.imageId,
                entrypoints: HOLDER_ENTRYPOINT,
                user: `${pinned.uid}:${pinned.gid}`,
                networksAdvanced: [{ name: this.network.name, aliases: [...allNodes.map((node) => containerName(prefix, node)), ...(config.selfhosted.proxy === undefined ? [] : [dockerProxyName(prefix)])] }],
                ports: [...publishedPorts(topology, config.selfhosted.docker.publishAddress), ...(config.selfhosted.proxy === undefined ? [] : [dockerProxyPublishedPort(config)])],
                ...containerHardening(),
                memory: SMALL_CONTAINER_MEMORY_MIB.holder,
                cpus: SMALL_CONTAINER_CPUS.holder,
                restart: "unless-stopped",
                labels: labelList(labelsFor("netns")),
            },
            { ...fixedName, dependsOn: this.clusterDrain ? [this.clusterDrain] : [] },
        );
        // The holder's ID, not its name: replacing the holder then replaces every container in its namespace.
        const networkMode = pulumi.interpolate`container:${this.holder.id}`;

        const renderedNode = (rendered: RenderedDeployment, nodeName: string): RenderedNode => {
            const found = rendered.nodes.find((candidate) => candidate.node.name === nodeName);
            if (found === undefined) {
                throw new Error(`DockerDeployment: the rendered deployment has no node ${nodeName}`);
            }
            return found;
        };

        const dirs = liveDirs(CONTAINER_PATHS, tlsEnabled);
        this.nodes = {};
        for (const node of allNodes) {
            const data = node.kind === "redis";
            const files = pulumi.secret(
                pulumi.all([deployment, passwordFiles, tlsFiles(node.name)]).apply(([rendered, passwords, tls]) => nodeUploads(rendered, renderedNode(rendered, node.name), passwords, tls)),
            );
            // Data nodes: the files a rotation changes go to the writer, the rest stays with the container.
            const uploads = data ? pulumi.secret(files.apply((all) => partitionUploads(all, dirs).container)) : files;
            // The environment holds addresses and paths only; it leaves the secret deployment so previews show it.
            const env: pulumi.Output<ScriptEnv> = pulumi.unsecret(deployment.apply((rendered) => renderedNode(rendered, node.name).env));
            const live: DockerNodeLiveArgs | undefined = data
                ? {
                      dirs,
                      files: pulumi.secret(files.apply((all) => partitionUploads(all, dirs).live)),
                      reloadEnv: env.apply((nodeEnv) => reloadSidecarEnv(nodeEnv, CONTAINER_PATHS, engine, tlsEnabled)),
                      labels: { files: labelsFor("files", node.name), reload: labelsFor("reload", node.name) },
                  }
                : undefined;
            this.nodes[node.name] = new DockerNode(
                `${name}-${node.name}`,
                {
                    node,
                    containerName: containerName(prefix, node),
                    paths: CONTAINER_PATHS,
                    image: pinned,
                    imageId: this.image.imageId,
                    networkMode,
                    env,
                    uploads,
                    ...(live === undefined ? {} : { live }),
                    tlsEnabled,
                    memoryMiB: data ? config.selfhosted.resources.memoryMiB : SMALL_CONTAINER_MEMORY_MIB.sentinel,
                    cpus: data ? dockerCpus(config.selfhosted.resources.cpu) : SMALL_CONTAINER_CPUS.sentinel,
                    labels: labelsFor(data ? "redis" : "sentinel", node.name),
                    protect: config.protect,
                },
                { parent: this, dependsOn: [engineGuard] },
            );
        }

        this.clusterCreate =
            topology.kind === "cluster" ? scriptJob("cluster-create", "cluster-create.sh", clusterEnv, ["admin"], holderNamespaces(networkMode), [...Object.values(this.nodes), ...(this.clusterDrain ? [this.clusterDrain] : [])]) : undefined;
        // After every node was created, updated or replaced (Docker has no preStop: see docs/runbooks/scaling.md).
        this.sentinelReset =
            topology.kind === "sentinel"
                ? scriptJob("sentinel-reset", "sentinel-reset.sh", (rendered) => jobEnvFor(rendered, rendered.sentinelResetEnv, "sentinel-reset"), ["sentinel"], holderNamespaces(networkMode), Object.values(this.nodes))
                : undefined;
        const afterNodes = [...Object.values(this.nodes), ...(this.clusterCreate ? [this.clusterCreate] : [])];
        const switchoverTo = config.selfhosted.switchoverTo;
        // A new target changes the environment, which replaces the container: the switchover runs again.
        this.switchover =
            switchoverTo === undefined
                ? undefined
                : scriptJob(
                      "switchover",
                      SWITCHOVER_SCRIPT,
                      (rendered) => switchoverJobEnv(rendered, switchoverEnvFor(topology, [switchoverTo])),
                      topology.kind === "sentinel" ? ["admin", "sentinel"] : ["admin"],
                      holderNamespaces(networkMode),
                      afterNodes,
                  );

        const systemPassword = (user: string) =>
            pulumi.secret(
                passwordFiles.apply((passwords) => requirePassword(passwords, user)),
            );
        if (config.selfhosted.proxy !== undefined) {
            if (args.tls === undefined || args.proxyUser === undefined) {
                throw new Error("DockerDeployment: the proxy needs TLS and its user (selfhosted.proxy requires tls.enabled)");
            }
            new DockerProxy(
                `${name}-proxy`,
                { prefix, config, topology, networkMode, tls: args.tls, user: args.proxyUser, labels: labelsFor("proxy") },
                { parent: this, dependsOn: afterNodes },
            );
        }
        this.monitoring = config.monitoring.enabled
            ? new DockerMonitoring(
                  `${name}-monitoring`,
                  { deploymentName: name, prefix, config, topology, networkName: this.network.name, networkMode, monitorPassword: systemPassword("monitor"), tls: tlsFiles(undefined), secrets: args.secrets ?? {}, labels: labelsFor("monitoring") },
                  { parent: this, dependsOn: afterNodes },
              )
            : undefined;
        this.backup = config.backup.enabled
            ? new DockerBackup(
                  `${name}-backup`,
                  {
                      deploymentName: name,
                      prefix,
                      config,
                      topology,
                      image: pinned,
                      imageId: this.image.imageId,
                      networkMode,
                      backupPassword: systemPassword("backup"),
                      tls: tlsFiles(undefined),
                      ...(this.monitoring === undefined ? {} : { pushgatewayUrl: this.monitoring.pushgatewayUrl }),
                      labels: labelsFor("backup"),
                  },
                  { parent: this, dependsOn: afterNodes },
              )
            : undefined;

        this.registerOutputs({ network: this.network, image: this.image, holder: this.holder, nodes: this.nodes, clusterDrain: this.clusterDrain, clusterCreate: this.clusterCreate, sentinelReset: this.sentinelReset, switchover: this.switchover, monitoring: this.monitoring, backup: this.backup });
    }
}
