import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { DeploymentConfig } from "../../components/redisconf/deployment";
import type { NodePaths } from "../../components/redisconf/layout";
import { renderRedisConf } from "../../components/redisconf/redisConf";
import { ScriptEnv, scriptEnvFor } from "../../components/redisconf/scripts/env";
import type { DataNode, Topology } from "../../components/redisconf/topology";
import { cpuCores } from "../../components/redisconf/tuning";
import type { LocalDeployment } from "../harness/localDeployment";
import { freePorts } from "../harness/ports";

/**
 * Data nodes added to a running local deployment, rendered by the same renderers as the first ones: what a
 * scale-up (`replicas` or `shards` raised in the stack config) makes the platform start.
 */

/** A data node a scenario added. */
export interface ExtraNode {
    name: string;
    node: DataNode;
    paths: NodePaths;
    config: string;
    env: ScriptEnv;
}

function confInput(deployment: LocalDeployment, config: DeploymentConfig, topology: Topology, node: DataNode, paths: NodePaths) {
    const first = deployment.rendered.nodes.find((rendered) => rendered.node.kind === "redis");
    return {
        engine: deployment.rendered.engine,
        topology,
        node,
        paths,
        tls: { enabled: first?.env.REDIS_TLS === "yes", mtls: first?.config.includes("tls-auth-clients yes") ?? false },
        bind: ["127.0.0.1"],
        maxmemoryMiB: config.maxmemoryMiB ?? 0,
        evictionPolicy: config.evictionPolicy,
        persistence: config.persistence,
        cpuCores: cpuCores(config.selfhosted.resources.cpu),
        timing: deployment.rendered.timing,
    };
}

/**
 * Renders a new data node for a running deployment, on free ports, with the paths the harness gives its own
 * nodes. Before it does, it re-renders an existing node from the same inputs and refuses to go on unless
 * that matches the running node's config byte for byte, so an added node is configured like its peers.
 *
 * @param topology the topology after the scale-up (the new node included)
 * @param node the new node, without its placement
 */
export async function renderExtraNode(deployment: LocalDeployment, config: DeploymentConfig, topology: Topology, node: Omit<DataNode, "announceHost" | "port" | "busPort">): Promise<ExtraNode> {
    const existing = deployment.rendered.nodes.find((rendered) => rendered.node.kind === "redis");
    if (!existing) {
        throw new Error("the run has no data node");
    }
    const again = renderRedisConf(confInput(deployment, config, deployment.rendered.topology, existing.node as DataNode, existing.paths));
    if (again !== existing.config) {
        throw new Error(`re-rendering ${existing.node.name} does not give its running config: the scenario's inputs differ from the harness's`);
    }
    const cluster = deployment.rendered.topology.kind === "cluster";
    const ports = await freePorts(cluster ? 2 : 1);
    const placed: DataNode = { ...node, announceHost: "127.0.0.1", port: ports[0], ...(cluster ? { busPort: ports[1] } : {}) };
    const dir = path.join(deployment.root, "nodes", node.name);
    const paths: NodePaths = { ...existing.paths, configFile: path.join(dir, "redis.conf"), dataDir: path.join(dir, "data") };
    const withNode: Topology = { ...topology, dataNodes: topology.dataNodes.map((candidate) => (candidate.name === node.name ? placed : candidate)) };
    const text = renderRedisConf(confInput(deployment, config, withNode, placed, paths));
    const env = scriptEnvFor({ topology: withNode, node: placed, paths, tls: { enabled: existing.env.REDIS_TLS === "yes" }, startTimeoutSeconds: 20 });
    mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(paths.configFile, text, { mode: 0o600 });
    return { name: node.name, node: placed, paths, config: text, env };
}

/** Starts an added node with the rendered start script, as its container would. */
export function startExtraNode(deployment: LocalDeployment, extra: ExtraNode): void {
    const dir = path.join(deployment.root, "day2");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const script = path.join(dir, "redis-start.sh");
    if (!existsSync(script)) {
        writeFileSync(script, deployment.rendered.scripts["redis-start.sh"], { mode: 0o755 });
    }
    deployment.supervisor.start(extra.name, script, extra.env, path.join(deployment.root, "nodes", extra.name, "log.txt"));
}
