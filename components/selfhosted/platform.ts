import type * as pulumi from "@pulumi/pulumi";
import type { RedisSecrets } from "../secrets";
import type { Endpoint } from "../connection";
import type { RenderedDeployment } from "../redisconf/deployment";
import type { NodePaths } from "../redisconf/layout";
import type { DataNode, NodeIdentity, PlacementFn, SentinelNode, Topology } from "../redisconf/topology";
import type { IssuedCertificate } from "../security/certificateAuthority";
import type { SelfHostedConfig } from "../settings";

export type { SelfHostedConfig } from "../settings";

/**
 * Where a platform puts each node, decided from plain config before any resource exists: the topology, the
 * certificates' names and the renderers all follow from it.
 */
export interface PlatformLayout {
    /** Where each node lives: the host others reach it at and its ports. */
    place: PlacementFn;
    /** The files each node uses inside its container. */
    pathsFor: (node: NodeIdentity) => NodePaths;
    /** Ports a node listens on when they differ from the announced ones. */
    listenFor?: (node: NodeIdentity) => { listenPort?: number; listenBusPort?: number };
    /** Every name and address a node's server certificate must cover. */
    certificateNames: (node: DataNode | SentinelNode) => { dnsNames: string[]; ipAddresses: string[] };
    /** What clients connect to: the primary, the sentinels or the cluster seeds, and the TLS name to verify. */
    clientEndpoints: (topology: Topology) => { endpoints: Endpoint[]; readerEndpoints?: Endpoint[]; serverName?: string };
    /** Where the Envoy proxy listens for clients and the names its certificate covers (`selfhosted.proxy` only). */
    proxy?: { endpoint: Endpoint; certificateNames: { dnsNames: string[]; ipAddresses: string[] } };
}

/** TLS material of a deployment. Private keys are secrets. */
export interface DeploymentTls {
    caCertPem: pulumi.Output<string>;
    /** Server certificate per node name. */
    servers: Record<string, IssuedCertificate>;
    /** The certificate node scripts (and the exporter) present as clients, needed with mTLS. */
    client: IssuedCertificate;
    /** The Envoy proxy's server certificate (`selfhosted.proxy` only). */
    proxy?: IssuedCertificate;
}

/** The user clients log in to the Envoy proxy as, which Envoy also runs every command as. */
export interface ProxyUser {
    username: string;
    /** Its passwords, current first; a second one during a rotation window. */
    passwords: string[];
}

/** What a platform gets to create its resources from. */
export interface PlatformBuildArgs {
    /** The deployment's logical name; resource names derive from it. */
    name: string;
    config: SelfHostedConfig;
    /** The nodes, from the platform's own layout. */
    topology: Topology;
    /** Every rendered file and script (secret: it holds password hashes). */
    deployment: pulumi.Output<RenderedDeployment>;
    /** The files of each node's password directory: system user name to current password (secret). */
    passwordFiles: pulumi.Output<Record<string, string>>;
    /** TLS material, when TLS is on. */
    tls: DeploymentTls | undefined;
    /** The stack's secret config values (Alertmanager receivers' webhooks and SMTP password). @default {} */
    secrets?: RedisSecrets;
    /** The proxy's user and passwords (secret), when `selfhosted.proxy` is enabled. */
    proxyUser?: pulumi.Output<ProxyUser>;
    /** The component every resource is parented to. */
    parent: pulumi.ComponentResource;
}

/** A platform self-hosted nodes run on. */
export interface SelfHostedPlatform {
    /** Decides placement and paths. Pure. */
    layout(name: string, config: SelfHostedConfig): PlatformLayout;
    /** Creates the platform's component as a child of `args.parent`, and returns it. */
    build(args: PlatformBuildArgs): pulumi.ComponentResource;
}
