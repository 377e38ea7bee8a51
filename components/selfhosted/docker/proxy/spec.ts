import type { Endpoint } from "../../../connection";
import type { ProxyScrapeTarget } from "../../../monitoring/prometheusConfig";
import type { Topology } from "../../../redisconf/topology";
import type { EnvoyFiles, EnvoyProxyInput } from "../../proxy/envoyConfig";
import type { SelfHostedConfig } from "../../platform";
import type { PortBinding } from "../containerSpec";
import { announceAddress, containerName, dockerCertificateNames } from "../layout";

/**
 * The Envoy proxy of a Docker cluster deployment, decided from plain values (docs/proxy.md). Pure.
 *
 * Envoy runs in the deployment's shared network namespace, like the exporters: the nodes announce
 * `127.0.0.1:<port>` there, so the slot map Envoy reads is reachable as is. It listens for clients on
 * `basePort + 500` (published on `publishAddress`, like the nodes), keeps its admin interface on
 * `127.0.0.1:basePort + 501` inside the namespace, and serves `/stats/prometheus` and `/ready` on
 * `basePort + 502`, which Prometheus reaches through the `<prefix>-proxy` alias of the namespace holder
 * (never published on the host).
 */

/** The proxy's ports, as offsets from `selfhosted.docker.basePort`. */
export const DOCKER_PROXY_PORT_OFFSETS = { listen: 500, admin: 501, stats: 502 } as const;

/** The proxy's ports for a base port. */
export function dockerProxyPorts(basePort: number): { listen: number; admin: number; stats: number } {
    const ports = {
        listen: basePort + DOCKER_PROXY_PORT_OFFSETS.listen,
        admin: basePort + DOCKER_PROXY_PORT_OFFSETS.admin,
        stats: basePort + DOCKER_PROXY_PORT_OFFSETS.stats,
    };
    if (ports.stats > 65535) {
        throw new Error(`selfhosted.docker.basePort: ${basePort} puts the proxy's port ${ports.stats} above 65535 (the proxy uses basePort + 500 to + 502): use at most ${65535 - DOCKER_PROXY_PORT_OFFSETS.stats}`);
    }
    return ports;
}

/** The proxy's container name, which is also an alias of the namespace holder. */
export function dockerProxyName(prefix: string): string {
    return containerName(prefix, { name: "proxy" });
}

/** What clients connect to: the announced address and the proxy's published port. */
export function dockerProxyEndpoint(config: SelfHostedConfig): Endpoint {
    const { publishAddress, basePort } = config.selfhosted.docker;
    return { host: announceAddress(publishAddress), port: dockerProxyPorts(basePort).listen };
}

/** The proxy's layout: its endpoint and the names its certificate covers (like a node's). */
export function dockerProxyLayout(prefix: string, config: SelfHostedConfig): { endpoint: Endpoint; certificateNames: { dnsNames: string[]; ipAddresses: string[] } } {
    return { endpoint: dockerProxyEndpoint(config), certificateNames: dockerCertificateNames(prefix, config, { name: "proxy" }) };
}

/** The holder's extra published port: the proxy's listener, on `publishAddress`. */
export function dockerProxyPublishedPort(config: SelfHostedConfig): PortBinding {
    const port = dockerProxyPorts(config.selfhosted.docker.basePort).listen;
    return { internal: port, external: port, ip: config.selfhosted.docker.publishAddress, protocol: "tcp" };
}

/** What the bundled Prometheus scrapes: the stats listener, through the holder's `<prefix>-proxy` alias. */
export function dockerProxyScrapeTarget(prefix: string, basePort: number): ProxyScrapeTarget {
    return { static: [{ address: `${dockerProxyName(prefix)}:${dockerProxyPorts(basePort).stats}`, node: "proxy" }] };
}

/** The Envoy bootstrap input of a Docker deployment: every data node on the shared loopback, verified by its container name. */
export function dockerEnvoyInput(prefix: string, config: SelfHostedConfig, topology: Topology, username: string, files: EnvoyFiles): EnvoyProxyInput {
    const ports = dockerProxyPorts(config.selfhosted.docker.basePort);
    return {
        listen: { host: "0.0.0.0", port: ports.listen },
        adminPort: ports.admin,
        statsPort: ports.stats,
        seeds: topology.dataNodes.map((node) => ({ host: node.announceHost, port: node.port })),
        // Node certificates name their containers `<prefix>-redis-<i>`; the proxy's own is `<prefix>-proxy`.
        nodeNames: { prefix: `${prefix}-redis-` },
        username,
        mtls: config.tls.mtls,
        files,
    };
}
