import type { PolicyResource } from "@pulumi/policy";
import { lastArgs, value } from "./redisConf";
import { renderedFilesOf } from "./renderedFiles";
import { DOCKER, ELASTICACHE } from "./types";
import { numeric, records } from "./values";

/** Redis's own defaults: clients, the cluster bus, sentinels; always counted, whatever the stack configures. */
export const REDIS_DEFAULT_PORTS: readonly number[] = [6379, 16379, 26379];

/** Cluster-mode nodes talk on the bus at `cluster-port`, by default the client port plus 10000. */
const BUS_OFFSET = 10000;

function confPorts(directives: ReturnType<typeof renderedFilesOf>[number]): number[] {
    const ports = ["port", "tls-port"].map((name) => numeric(value(directives.directives, name))).filter((port): port is number => port !== undefined && port > 0);
    if (directives.kind === "redis" && value(directives.directives, "cluster-enabled") === "yes") {
        const bus = numeric(lastArgs(directives.directives, "cluster-port")?.[0]);
        ports.push(...(bus !== undefined && bus > 0 ? [bus] : ports.map((port) => port + BUS_OFFSET)));
    }
    return ports;
}

/**
 * Every port the stack's Redis deployment serves, derived from its own resources: ElastiCache ports (a
 * serverless cache also serves readers on port + 1), the `port`/`tls-port`/cluster bus of every rendered
 * redis.conf and sentinel.conf, and the host ports Docker publishes them on; plus Redis's defaults.
 */
export function deploymentPorts(resources: readonly PolicyResource[]): number[] {
    const ports = new Set<number>(REDIS_DEFAULT_PORTS);
    for (const resource of resources) {
        const props = resource.props ?? {};
        if (resource.type === ELASTICACHE.replicationGroup || resource.type === ELASTICACHE.cluster) {
            ports.add(numeric(props.port) ?? 6379);
        }
        if (resource.type === ELASTICACHE.serverlessCache) {
            ports.add(6379).add(6380);
        }
        renderedFilesOf(resource.type, props).flatMap(confPorts).forEach((port) => ports.add(port));
    }
    // Docker publishes a node's port from whichever container owns the network namespace, so the mapping is
    // matched against the ports served anywhere in the stack.
    const served = new Set(ports);
    for (const container of resources.filter((resource) => resource.type === DOCKER.container)) {
        for (const mapping of records(container.props?.ports)) {
            const internal = numeric(mapping.internal);
            const external = numeric(mapping.external);
            if (internal !== undefined && external !== undefined && served.has(internal)) {
                ports.add(external);
            }
        }
    }
    return [...ports].sort((a, b) => a - b);
}
