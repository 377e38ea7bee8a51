import type { Endpoint } from "../../connection";
import { CONTAINER_PATHS } from "../../redisconf/layout";
import type { DataNode, NodeIdentity, NodePlacement, SentinelNode, Topology } from "../../redisconf/topology";
import type { PlatformLayout, SelfHostedConfig } from "../platform";
import { dockerProxyLayout } from "./proxy/spec";

/**
 * Where the nodes of a Docker deployment live. Pure: no Pulumi import.
 *
 * Every process of a deployment runs in its own container, and every container joins the network namespace
 * of one small holder container, the way the containers of a Kubernetes pod share the pause container's.
 * Each process listens on a port of its own, which is also the host port it is published on, and announces
 * the publish address. So a node's address is the same from the host (through the published port) and from
 * the other nodes (on the shared loopback): a client on the host follows cluster `MOVED` redirects and
 * sentinel answers without any address translation, and the deployment is laid out exactly like the local
 * harness that runs the same files on real processes (127.0.0.1, one port per node).
 */

/** Sentinel ports start this far above `basePort`, so data nodes may use the 100 ports below. */
export const SENTINEL_PORT_OFFSET = 100;

/** A cluster node's bus port is its client port plus this, as Redis does by default. */
export const CLUSTER_BUS_PORT_OFFSET = 10000;

/** The most data nodes a Docker deployment may have: they take the ports below the sentinels'. */
export const MAX_DOCKER_DATA_NODES = SENTINEL_PORT_OFFSET;

/** Whether an address is a loopback address (`127.0.0.0/8` or `::1`). */
export function isLoopbackAddress(address: string): boolean {
    return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address === "::1";
}

/** Whether an address means every interface (`0.0.0.0` or `::`). */
export function isUnspecifiedAddress(address: string): boolean {
    return address === "0.0.0.0" || address === "::";
}

/**
 * The address nodes announce and clients connect to: the publish address, or `127.0.0.1` when ports are
 * published on every interface (a wildcard is not an address anyone can connect to).
 */
export function announceAddress(publishAddress: string): string {
    return isUnspecifiedAddress(publishAddress) ? "127.0.0.1" : publishAddress;
}

/** How many data nodes a topology of this config has. */
export function dataNodeCount(selfhosted: SelfHostedConfig["selfhosted"]): number {
    switch (selfhosted.topology) {
        case "standalone":
            return 1;
        case "sentinel":
            return 1 + selfhosted.replicas;
        case "cluster":
            return selfhosted.shards * (1 + selfhosted.replicasPerShard);
    }
}

/**
 * Checks that a config can run on Docker, before any resource exists.
 *
 * @throws Error naming the setting, its value and what is allowed.
 */
export function validateDockerConfig(config: SelfHostedConfig): void {
    const { selfhosted } = config;
    const { publishAddress, basePort } = selfhosted.docker;
    const nodes = dataNodeCount(selfhosted);
    if (nodes > MAX_DOCKER_DATA_NODES) {
        throw new Error(`selfhosted: ${nodes} data nodes do not fit on Docker, which gives each a port of its own below basePort + ${SENTINEL_PORT_OFFSET}: use at most ${MAX_DOCKER_DATA_NODES}`);
    }
    const highest =
        selfhosted.topology === "cluster" ? basePort + nodes - 1 + CLUSTER_BUS_PORT_OFFSET : basePort + SENTINEL_PORT_OFFSET + Math.max(selfhosted.sentinels - 1, 0);
    if (highest > 65535) {
        throw new Error(
            `selfhosted.docker.basePort: ${basePort} puts port ${highest} above 65535 (${selfhosted.topology === "cluster" ? `cluster bus ports are client ports + ${CLUSTER_BUS_PORT_OFFSET}` : `sentinels use basePort + ${SENTINEL_PORT_OFFSET}`}): use at most ${basePort - (highest - 65535)}`,
        );
    }
    // Cluster nodes meet at the announced address, which must reach them inside the shared namespace, and Redis
    // accepts only letters, digits, '-' and '.' in cluster-announce-hostname: an IPv4 loopback address.
    const announced = announceAddress(publishAddress);
    if (selfhosted.topology === "cluster" && !(isLoopbackAddress(announced) && announced.includes("."))) {
        throw new Error(
            `selfhosted.docker.publishAddress: "${publishAddress}" cannot carry a Docker cluster: cluster nodes meet each other at the address they announce, ` +
                "and only an IPv4 loopback address reaches them inside their shared network namespace. Use 127.0.0.1 (the default) or 0.0.0.0 (published on every interface, announced as 127.0.0.1).",
        );
    }
}

/** The name prefix of every Docker object of a deployment (containers, volumes, network): unique per stack. */
export function dockerPrefix(name: string, config: SelfHostedConfig): string {
    return `${name}-${config.stack}`;
}

/** The Docker container name of a node. */
export function containerName(prefix: string, node: Pick<NodeIdentity, "name">): string {
    return `${prefix}-${node.name}`;
}

/** Where each node listens and what it announces. */
export function dockerPlacement(config: SelfHostedConfig): (node: NodeIdentity) => NodePlacement {
    const { publishAddress, basePort } = config.selfhosted.docker;
    const announceHost = announceAddress(publishAddress);
    const cluster = config.selfhosted.topology === "cluster";
    return (node) => {
        if (node.kind === "sentinel") {
            return { announceHost, port: basePort + SENTINEL_PORT_OFFSET + node.index };
        }
        const port = basePort + node.index;
        return cluster ? { announceHost, port, busPort: port + CLUSTER_BUS_PORT_OFFSET } : { announceHost, port };
    };
}

/**
 * The names a node's certificate covers: its container name (other containers on the deployment network
 * reach it there), the address it announces, and `localhost` with the loopback addresses when that address
 * is a loopback one.
 */
export function dockerCertificateNames(prefix: string, config: SelfHostedConfig, node: Pick<DataNode | SentinelNode, "name">): { dnsNames: string[]; ipAddresses: string[] } {
    const announced = announceAddress(config.selfhosted.docker.publishAddress);
    const loopback = isLoopbackAddress(announced);
    const dnsNames = [containerName(prefix, node), ...(loopback ? ["localhost"] : [])];
    const ipAddresses = [...new Set([announced, ...(loopback ? ["127.0.0.1", "::1"] : [])])];
    return { dnsNames, ipAddresses };
}

/**
 * What clients connect to: the primary (standalone), the sentinels (sentinel) or every cluster primary as
 * a seed (cluster), each at the announced address and published port.
 */
export function dockerClientEndpoints(topology: Topology): { endpoints: Endpoint[] } {
    const at = (node: { announceHost: string; port: number }): Endpoint => ({ host: node.announceHost, port: node.port });
    switch (topology.kind) {
        case "standalone":
            return { endpoints: topology.dataNodes.slice(0, 1).map(at) };
        case "sentinel":
            return { endpoints: topology.sentinels.map(at) };
        case "cluster":
            return { endpoints: topology.dataNodes.filter((node) => node.initialRole === "primary").map(at) };
    }
}

/** The complete Docker layout of a deployment. Validates the config first. */
export function dockerLayout(name: string, config: SelfHostedConfig): PlatformLayout {
    validateDockerConfig(config);
    const prefix = dockerPrefix(name, config);
    return {
        place: dockerPlacement(config),
        pathsFor: () => CONTAINER_PATHS,
        certificateNames: (node) => dockerCertificateNames(prefix, config, node),
        clientEndpoints: dockerClientEndpoints,
        ...(config.selfhosted.proxy === undefined ? {} : { proxy: dockerProxyLayout(prefix, config) }),
    };
}
