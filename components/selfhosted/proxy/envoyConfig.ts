import { stringify } from "yaml";
import type { Endpoint } from "../../connection";

/**
 * The Envoy bootstrap (`envoy.yaml`) of the cluster proxy. Pure: plain values in, a plain object (the v3
 * `envoy.config.bootstrap.v3.Bootstrap` in its proto3 JSON form) out. It holds no secret: passwords,
 * private keys and certificates are read from files (`DataSource.filename`) that the platform mounts from a
 * Secret, so the bootstrap itself can live in a ConfigMap and show in previews.
 *
 * What it sets up:
 * - a listener taking TLS (and, with mTLS, a client certificate signed by the deployment's CA) and running
 *   the `redis_proxy` filter: clients AUTH as the first application user with its current or, during a
 *   rotation window, previous password, checked by Envoy itself;
 * - an `envoy.clusters.redis` cluster seeded with every data node, refreshing the slot map on a timer and at
 *   once on MOVED/ASK or failures, following redirections (hostnames through a DNS cache), authenticating
 *   to every node as that same user over TLS, verified against the deployment's CA and the nodes' names;
 * - the admin interface on 127.0.0.1 only, and a second HTTP listener that serves only
 *   `/stats/prometheus` and `/ready` from it, for Prometheus and the platform's probes.
 */

/** Where the files the bootstrap reads are mounted, one file each (no trailing newline in any of them). */
export interface EnvoyFiles {
    /** The proxy's server certificate chain (PEM). */
    certChain: string;
    /** Its private key (PEM). */
    privateKey: string;
    /** The deployment's CA bundle (PEM): verifies the nodes, and clients under mTLS. */
    ca: string;
    /** The client certificate and key Envoy presents to the nodes (mTLS only). */
    clientCert?: string;
    clientKey?: string;
    /** The current password of the user (upstream AUTH, and downstream). */
    password: string;
    /** The previous password during a rotation window (downstream only). */
    previousPassword?: string;
}

/** What {@link envoyBootstrap} renders from. */
export interface EnvoyProxyInput {
    /** Where clients connect: `0.0.0.0` and the proxy port. */
    listen: Endpoint;
    /** The admin interface's port on 127.0.0.1 (never reachable from outside the pod or namespace). */
    adminPort: number;
    /** The port of the HTTP listener serving `/stats/prometheus` and `/ready` only. */
    statsPort: number;
    /** Every data node, as the cluster's seeds (Envoy asks a random one for CLUSTER SLOTS). */
    seeds: Endpoint[];
    /** The DNS name pattern every node's certificate carries: the nodes are verified against it. */
    nodeNames: { suffix: string } | { prefix: string };
    /** The user clients log in as and Envoy runs every command as. */
    username: string;
    /** Whether clients must present a certificate, and Envoy presents one to the nodes. */
    mtls: boolean;
    files: EnvoyFiles;
    /** Seconds between slot-map refreshes when nothing goes wrong. @default 10 */
    refreshSeconds?: number;
    /** Milliseconds a command may take upstream before Envoy answers with an error. @default 5000 */
    opTimeoutMs?: number;
}

/** The name of the upstream cluster and the stat prefix its metrics carry (`envoy_cluster_..{envoy_cluster_name="redis_cluster"}`). */
export const ENVOY_REDIS_CLUSTER = "redis_cluster";

/** The stat prefix of the `redis_proxy` filter (`envoy_redis_<prefix>_...` metrics). */
export const ENVOY_REDIS_STAT_PREFIX = "redis";

const TLS_SOCKET = "envoy.transport_sockets.tls";
const TYPE = "type.googleapis.com/";
const TLS_PARAMS = { tls_minimum_protocol_version: "TLSv1_2" };

function socketAddress(endpoint: Endpoint): Record<string, unknown> {
    return { socket_address: { address: endpoint.host, port_value: endpoint.port } };
}

function file(path: string): { filename: string } {
    return { filename: path };
}

function seconds(value: number): string {
    return `${value}s`;
}

/** The `redis_proxy` listener: TLS from clients, AUTH checked by Envoy, every command to the cluster. */
function redisListener(input: EnvoyProxyInput): Record<string, unknown> {
    const { files } = input;
    return {
        name: "redis",
        address: socketAddress(input.listen),
        filter_chains: [
            {
                transport_socket: {
                    name: TLS_SOCKET,
                    typed_config: {
                        "@type": `${TYPE}envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext`,
                        require_client_certificate: input.mtls,
                        common_tls_context: {
                            tls_params: TLS_PARAMS,
                            tls_certificates: [{ certificate_chain: file(files.certChain), private_key: file(files.privateKey) }],
                            ...(input.mtls ? { validation_context: { trusted_ca: file(files.ca) } } : {}),
                        },
                    },
                },
                filters: [
                    {
                        name: "envoy.filters.network.redis_proxy",
                        typed_config: {
                            "@type": `${TYPE}envoy.extensions.filters.network.redis_proxy.v3.RedisProxy`,
                            stat_prefix: ENVOY_REDIS_STAT_PREFIX,
                            settings: {
                                op_timeout: `${(input.opTimeoutMs ?? 5000) / 1000}s`,
                                enable_hashtagging: true,
                                enable_redirection: true,
                                enable_command_stats: true,
                                read_policy: "MASTER",
                                // The nodes redirect by hostname (cluster-preferred-endpoint-type hostname): without a DNS
                                // cache Envoy hands MOVED/ASK with a hostname back to the client instead of following it.
                                dns_cache_config: { name: "redis_redirects", dns_lookup_family: "V4_PREFERRED" },
                            },
                            prefix_routes: { catch_all_route: { cluster: ENVOY_REDIS_CLUSTER } },
                            downstream_auth_username: { inline_string: input.username },
                            downstream_auth_passwords: [file(files.password), ...(files.previousPassword === undefined ? [] : [file(files.previousPassword)])],
                        },
                    },
                ],
            },
        ],
    };
}

/** The Redis Cluster upstream: discovery from the seeds, AUTH and TLS to every node. */
function redisCluster(input: EnvoyProxyInput): Record<string, unknown> {
    const { files } = input;
    const refresh = input.refreshSeconds ?? 10;
    return {
        name: ENVOY_REDIS_CLUSTER,
        connect_timeout: "2s",
        dns_lookup_family: "V4_PREFERRED",
        lb_policy: "CLUSTER_PROVIDED",
        cluster_type: {
            name: "envoy.clusters.redis",
            typed_config: {
                "@type": `${TYPE}envoy.extensions.clusters.redis.v3.RedisClusterConfig`,
                cluster_refresh_rate: seconds(refresh),
                cluster_refresh_timeout: "3s",
                // A MOVED/ASK, an upstream failure or a degraded host triggers a refresh at once (at most once a second).
                redirect_refresh_interval: "1s",
                redirect_refresh_threshold: 1,
                failure_refresh_threshold: 1,
                host_degraded_refresh_threshold: 1,
            },
        },
        load_assignment: {
            cluster_name: ENVOY_REDIS_CLUSTER,
            endpoints: [{ lb_endpoints: input.seeds.map((seed) => ({ endpoint: { address: socketAddress(seed) } })) }],
        },
        typed_extension_protocol_options: {
            "envoy.filters.network.redis_proxy": {
                "@type": `${TYPE}envoy.extensions.filters.network.redis_proxy.v3.RedisProtocolOptions`,
                auth_username: { inline_string: input.username },
                auth_password: file(files.password),
            },
        },
        transport_socket: {
            name: TLS_SOCKET,
            typed_config: {
                "@type": `${TYPE}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`,
                common_tls_context: {
                    tls_params: TLS_PARAMS,
                    ...(input.mtls && files.clientCert !== undefined && files.clientKey !== undefined
                        ? { tls_certificates: [{ certificate_chain: file(files.clientCert), private_key: file(files.clientKey) }] }
                        : {}),
                    validation_context: {
                        trusted_ca: file(files.ca),
                        // The CA also signs client certificates: only a certificate naming a node is a node.
                        match_typed_subject_alt_names: [{ san_type: "DNS", matcher: input.nodeNames }],
                    },
                },
            },
        },
    };
}

/** The HTTP listener that exposes only the admin paths Prometheus and the probes need. */
function statsListener(input: EnvoyProxyInput): Record<string, unknown> {
    const route = (path: string) => ({ match: { path }, route: { cluster: "envoy_admin" } });
    return {
        name: "stats",
        address: socketAddress({ host: "0.0.0.0", port: input.statsPort }),
        filter_chains: [
            {
                filters: [
                    {
                        name: "envoy.filters.network.http_connection_manager",
                        typed_config: {
                            "@type": `${TYPE}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`,
                            stat_prefix: "stats",
                            route_config: { virtual_hosts: [{ name: "stats", domains: ["*"], routes: [route("/stats/prometheus"), route("/ready")] }] },
                            http_filters: [{ name: "envoy.filters.http.router", typed_config: { "@type": `${TYPE}envoy.extensions.filters.http.router.v3.Router` } }],
                        },
                    },
                ],
            },
        ],
    };
}

/**
 * The bootstrap as a plain object.
 *
 * @throws Error when there is no seed, a port is out of range, or mTLS is on without a client certificate
 */
export function envoyBootstrap(input: EnvoyProxyInput): Record<string, unknown> {
    if (input.seeds.length === 0) {
        throw new Error("envoyBootstrap: the cluster has no seed node");
    }
    for (const [what, port] of [
        ["listen.port", input.listen.port],
        ["adminPort", input.adminPort],
        ["statsPort", input.statsPort],
    ] as const) {
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            throw new Error(`envoyBootstrap: ${what} = ${port}: must be a port from 1 to 65535`);
        }
    }
    if (new Set([input.listen.port, input.adminPort, input.statsPort]).size !== 3) {
        throw new Error(`envoyBootstrap: listen.port, adminPort and statsPort must differ (${input.listen.port}, ${input.adminPort}, ${input.statsPort})`);
    }
    if (input.mtls && (input.files.clientCert === undefined || input.files.clientKey === undefined)) {
        throw new Error("envoyBootstrap: mtls is on but files.clientCert or files.clientKey is missing: the nodes require a client certificate");
    }
    return {
        node: { id: "redis-proxy", cluster: "redis-proxy" },
        admin: { address: socketAddress({ host: "127.0.0.1", port: input.adminPort }) },
        static_resources: {
            listeners: [redisListener(input), statsListener(input)],
            clusters: [
                redisCluster(input),
                {
                    name: "envoy_admin",
                    connect_timeout: "1s",
                    type: "STATIC",
                    load_assignment: { cluster_name: "envoy_admin", endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress({ host: "127.0.0.1", port: input.adminPort }) } }] }] },
                },
            ],
        },
    };
}

/** `envoy.yaml` as text. */
export function renderEnvoyConfig(input: EnvoyProxyInput): string {
    return stringify(envoyBootstrap(input), { lineWidth: 0 });
}
