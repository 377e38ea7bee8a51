import type { AclUserEntry } from "./acl";
import type { EngineName } from "./engines";
import type { NodePaths } from "./layout";
import type { RedisSettings, SelfHostedSettings } from "../settings";
import { engineStartEnvFor } from "./engineUpgrade";
import { renderRedisConf } from "./redisConf";
import { renderClusterCreateScript } from "./scripts/clusterCreate";
import { renderClusterDrainScript } from "./scripts/clusterDrain";
import { clusterCreateEnvFor, ScriptEnv, scriptEnvFor, sentinelResetEnvFor } from "./scripts/env";
import { renderPreStopScript } from "./scripts/preStop";
import { renderRedisStartScript } from "./scripts/redisStart";
import { renderSentinelResetScript } from "./scripts/sentinelReset";
import { renderSentinelStartScript } from "./scripts/sentinelStart";
import { renderSwitchoverScript } from "./scripts/switchover";
import { renderSentinelConf } from "./sentinelConf";
import { FAILOVER_TIMING, FailoverTiming } from "./timing";
import { buildTopology, DataNode, NodeIdentity, PlacementFn, SentinelNode, slotRanges, Topology } from "./topology";
import { cpuCores } from "./tuning";
import { aclEntriesFor, renderDeploymentUsersAcl } from "./users";

/**
 * Every file of a self-hosted deployment, in one call: the Docker and Kubernetes platforms, `npm run render`
 * and the local harness all go through {@link renderDeployment}, so they deploy, show and test the same text.
 */

/** The settings a deployment is rendered from (a `SelfHostedConfig`'s plain parts). */
export type DeploymentConfig = Pick<RedisSettings, "acl" | "tls" | "evictionPolicy" | "persistence" | "maxmemoryMiB" | "engine"> & {
    selfhosted: SelfHostedSettings;
};

/** What differs per platform, plus the secrets. */
export interface DeploymentInput {
    config: DeploymentConfig;
    /** Where each node lives (announce host, ports). */
    place: PlacementFn;
    /** The files each node uses. */
    pathsFor: (node: NodeIdentity) => NodePaths;
    /** Every user's passwords, current first (see `aclEntriesFor`). */
    passwordsByUser: Readonly<Record<string, readonly string[]>>;
    /** Addresses processes listen on. @default ["*", "-::*"] */
    bind?: readonly string[];
    /** Ports a node listens on when they differ from the announced ones. */
    listenFor?: (node: NodeIdentity) => { listenPort?: number; listenBusPort?: number };
    /** Overrides the engine, for a harness running whatever Redis is installed. */
    engine?: { name: EngineName; version: string };
    /** Seconds a data node waits for a sentinel before giving up. @default 60 */
    startTimeoutSeconds?: number;
}

/** One node's rendered config and script environment. */
export interface RenderedNode {
    node: DataNode | SentinelNode;
    paths: NodePaths;
    /** `redis.conf` for data nodes, the `sentinel.conf` template for sentinels. */
    config: string;
    /** The environment of the node's scripts. */
    env: ScriptEnv;
}

/** The scripts of a deployment, by file name. Their text is the same for every node and platform. */
export interface RenderedScripts {
    "redis-start.sh": string;
    "redis-prestop.sh": string;
    "sentinel-start.sh"?: string;
    "cluster-create.sh"?: string;
    /** Cluster only: the scale-down step that runs before nodes are removed (see `renderClusterDrainScript`). */
    "cluster-drain.sh"?: string;
    /** Sentinel topology: run after the data nodes changed, makes the sentinels forget removed nodes. */
    "sentinel-reset.sh"?: string;
    /** Moves the primary to a named node (sentinel and cluster topologies). */
    "redis-switchover.sh"?: string;
}

/** Everything a deployment runs. */
export interface RenderedDeployment {
    topology: Topology;
    timing: FailoverTiming;
    engine: { name: EngineName; version: string };
    users: AclUserEntry[];
    /** `users.acl`, shared by every data node. Holds password hashes: a secret. */
    usersAcl: string;
    nodes: RenderedNode[];
    scripts: RenderedScripts;
    /** The extra environment of `cluster-create.sh` (cluster topology only). */
    clusterCreateEnv?: ScriptEnv;
    /** The extra environment of `sentinel-reset.sh` (sentinel topology only). */
    sentinelResetEnv?: ScriptEnv;
}

/** Renders every file of a self-hosted deployment. */
export function renderDeployment(input: DeploymentInput): RenderedDeployment {
    const { config } = input;
    const engine = input.engine ?? config.engine;
    if (engine === undefined) {
        throw new Error("renderDeployment: the stack config has no engine");
    }
    if (config.maxmemoryMiB === undefined) {
        throw new Error("renderDeployment: the stack config has no maxmemoryMiB");
    }
    const maxmemoryMiB = config.maxmemoryMiB;
    const topology = buildTopology(config.selfhosted, input.place);
    const timing = FAILOVER_TIMING[config.selfhosted.failover];
    const users = aclEntriesFor(config, input.passwordsByUser);
    const tls = { enabled: config.tls.enabled, mtls: config.tls.mtls };
    const cores = cpuCores(config.selfhosted.resources.cpu);
    const nodes: RenderedNode[] = [];
    for (const node of topology.dataNodes) {
        const paths = input.pathsFor(node);
        const listen = input.listenFor?.(node) ?? {};
        const text = renderRedisConf({
            engine,
            topology,
            node,
            paths,
            tls,
            bind: input.bind,
            listenPort: listen.listenPort,
            listenBusPort: listen.listenBusPort,
            maxmemoryMiB,
            evictionPolicy: config.evictionPolicy,
            persistence: config.persistence,
            cpuCores: cores,
            timing,
        });
        const env = { ...scriptEnvFor({ topology, node, paths, tls, listenPort: listen.listenPort, startTimeoutSeconds: input.startTimeoutSeconds }), ...engineStartEnvFor(engine) };
        nodes.push({ node, paths, config: text, env });
    }
    for (const node of topology.sentinels) {
        const paths = input.pathsFor(node);
        const listen = input.listenFor?.(node) ?? {};
        const text = renderSentinelConf({ engine, topology, node, paths, tls, bind: input.bind, listenPort: listen.listenPort, users, timing });
        const env = scriptEnvFor({ topology, node, paths, tls, listenPort: listen.listenPort });
        nodes.push({ node, paths, config: text, env });
    }
    const scripts: RenderedScripts = { "redis-start.sh": renderRedisStartScript(), "redis-prestop.sh": renderPreStopScript() };
    if (topology.kind === "sentinel") {
        scripts["sentinel-start.sh"] = renderSentinelStartScript();
        scripts["sentinel-reset.sh"] = renderSentinelResetScript();
    }
    if (topology.kind !== "standalone") {
        scripts["redis-switchover.sh"] = renderSwitchoverScript();
    }
    let clusterCreateEnv: ScriptEnv | undefined;
    if (topology.kind === "cluster") {
        scripts["cluster-create.sh"] = renderClusterCreateScript();
        scripts["cluster-drain.sh"] = renderClusterDrainScript();
        clusterCreateEnv = clusterCreateEnvFor(topology, slotRanges(topology.shards.length));
    }
    const sentinelResetEnv = topology.kind === "sentinel" ? sentinelResetEnvFor(topology) : undefined;
    return { topology, timing, engine, users, usersAcl: renderDeploymentUsersAcl(users, topology.kind), nodes, scripts, clusterCreateEnv, sentinelResetEnv };
}

/**
 * The environment of a one-shot job script (`cluster-create.sh`, `sentinel-reset.sh`): the first data node's,
 * plus the job's own. The platforms and the local harness run the job with exactly this environment.
 *
 * @throws Error when the job has no environment of its own in this deployment or there is no data node
 */
export function jobEnvFor(deployment: Pick<RenderedDeployment, "nodes">, own: ScriptEnv | undefined, job: string): ScriptEnv {
    const first = deployment.nodes.find((node) => node.node.kind === "redis");
    if (first === undefined || own === undefined) {
        throw new Error(`the rendered deployment has no ${job} job (wrong topology, or no data node)`);
    }
    return { ...first.env, ...own };
}

/**
 * The environment of a switchover job (a Kubernetes Job, a Docker one-shot container): the first data node's
 * with `extra` over it (`switchoverEnvFor`, and `REDIS_ENGINES_ALLOWED` for the engine upgrade). Pure.
 *
 * @throws Error when the deployment has no data node
 */
export function switchoverJobEnv(deployment: Pick<RenderedDeployment, "nodes">, extra: ScriptEnv): ScriptEnv {
    return jobEnvFor(deployment, { REDIS_NODE_NAME: "switchover", ...extra }, "switchover");
}
