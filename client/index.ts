/**
 * The client package: an ioredis client built from a stack's `connection` output, and a health check an
 * application can expose. See docs/client.md.
 *
 * @packageDocumentation
 */
export type { Credential, Endpoint, RedisConnection, RoleCredentials } from "../components/connection";
export { connectionUrl, parseConnectionUrl } from "../components/connection";
export type { ParsedConnectionUrl } from "../components/connection";
export { connectionFromUrl } from "./url";
export type { UrlClientOptions } from "./url";
export { createRedisClient, refuseUnproxiedCommands } from "./createClient";
export { ENVOY_SUPPORTED_CLUSTER_SUBCOMMANDS, ENVOY_SUPPORTED_COMMANDS, proxyCommandProblem } from "./proxyCommands";
export { checkHealth, overallStatus } from "./health";
export type { HealthOptions, NodeHealth, RedisHealth } from "./health";
export { planClient, reconnectOnReadOnly, resolveClientOptions } from "./options";
export type { ClientOptions, ClientPlan, ReadFrom, ResolvedClientOptions } from "./options";
export { reconnectDelay } from "./backoff";
export type { BackoffPolicy } from "./backoff";
export { CLIENT_DEFAULTS } from "./defaults";
export { tlsConnectionOptions } from "./tlsOptions";
export type { ClientCertificate } from "./tlsOptions";
export { credentialFor, parseConnection, parseCredentials } from "./parse";
export { parseInfo, replicationState } from "./info";
export { parseClusterNodes, servesSlot, slotCount } from "./clusterNodes";
export type { ClusterNodeLine } from "./clusterNodes";
export type { ReplicationState } from "./info";
