import * as pulumi from "@pulumi/pulumi";
import type { BackendOutputs } from "../backend";
import type { RedisConnection } from "../connection";
import type { AclRole } from "../redisconf/acl";
import { renderDeployment } from "../redisconf/deployment";
import { buildTopology } from "../redisconf/topology";
import { systemUserNames } from "../redisconf/users";
import { AclUsers, AclUserSpec } from "../security/aclUsers";
import { CertificateAuthority } from "../security/certificateAuthority";
import type { RedisSecrets } from "../secrets";
import type { DeploymentTls, SelfHostedConfig } from "./platform";
import { SELF_HOSTED_PLATFORMS } from "./platforms";

/** The name of the client certificate node scripts and exporters present under mTLS. */
export const NODE_CLIENT_CERTIFICATE = "node-client";

/** The name of the Envoy proxy's server certificate (`selfhosted.proxy`). */
export const PROXY_CERTIFICATE = "proxy";

/** The name of the client certificate applications present under mTLS (a stack output). */
export const APP_CLIENT_CERTIFICATE = "app-client";

/** Every ACL user of a self-hosted deployment, system users first, as {@link AclUsers} takes them. */
export function aclUserSpecsFor(config: SelfHostedConfig): AclUserSpec[] {
    return [
        ...systemUserNames(config.selfhosted).map((name): AclUserSpec => ({ name, role: name as AclRole })),
        ...config.acl.users.map((user): AclUserSpec => ({ name: user.name, role: user.role, keys: user.keys, channels: user.channels })),
    ];
}

/** What {@link buildSelfHosted} creates and hands back. */
export interface SelfHostedBuild extends BackendOutputs {
    /** The CA and the certificates of every node (TLS only). */
    certificateAuthority: CertificateAuthority | undefined;
    /** The ACL users and their random passwords. */
    users: AclUsers;
    /** The platform's component: `KubernetesRedis` or `DockerDeployment`. */
    platform: pulumi.ComponentResource;
    /** How clients connect through the Envoy proxy (`selfhosted.proxy`): one TLS endpoint, standalone mode. */
    proxyConnection?: pulumi.Output<RedisConnection>;
}

/**
 * The self-hosted backend: the platform decides where nodes live; from that come the topology, a CA with a
 * certificate per node, ACL users with random passwords, and every rendered file; the platform then runs
 * them. The files are the ones `npm run render` shows and the integration tests run on real processes.
 * `SelfHostedRedis` and the `Redis` facade both build through it, as children of `parent`.
 */
export function buildSelfHosted(name: string, config: SelfHostedConfig, secrets: RedisSecrets, parent: pulumi.ComponentResource): SelfHostedBuild {
    const platform = SELF_HOSTED_PLATFORMS[config.selfhosted.platform];
    if (platform === undefined) {
        throw new Error(`self-hosted platform "${config.selfhosted.platform}" is not registered`);
    }
    const layout = platform.layout(name, config);
    const topology = buildTopology(config.selfhosted, layout.place);
    const proxyLayout = config.selfhosted.proxy === undefined ? undefined : layout.proxy;
    if (config.selfhosted.proxy !== undefined && proxyLayout === undefined) {
        throw new Error(`self-hosted platform "${config.selfhosted.platform}" has no proxy layout`);
    }

    let tls: DeploymentTls | undefined;
    let certificateAuthority: CertificateAuthority | undefined;
    let clientCertificate: BackendOutputs["clientCertificate"];
    if (config.tls.enabled) {
        const ca = new CertificateAuthority(
            `${name}-ca`,
            {
                servers: [
                    ...[...topology.dataNodes, ...topology.sentinels].map((node) => {
                        const names = layout.certificateNames(node);
                        return { name: node.name, dnsNames: [...names.dnsNames, ...config.tls.dnsNames], ipAddresses: [...names.ipAddresses, ...config.tls.ipAddresses] };
                    }),
                    ...(proxyLayout === undefined
                        ? []
                        : [{ name: PROXY_CERTIFICATE, dnsNames: [...proxyLayout.certificateNames.dnsNames, ...config.tls.dnsNames], ipAddresses: [...proxyLayout.certificateNames.ipAddresses, ...config.tls.ipAddresses] }]),
                ],
                clients: config.tls.mtls ? [NODE_CLIENT_CERTIFICATE, APP_CLIENT_CERTIFICATE] : [NODE_CLIENT_CERTIFICATE],
                includeLocalhost: config.tls.includeLocalhost,
                validityDays: config.tls.validityDays,
                earlyRenewalDays: config.tls.earlyRenewalDays,
                caRotation: config.tls.caRotation,
            },
            { parent },
        );
        certificateAuthority = ca;
        tls = {
            caCertPem: ca.caCertPem,
            servers: ca.serverCertificates,
            client: ca.clientCertificates[NODE_CLIENT_CERTIFICATE],
            ...(proxyLayout === undefined ? {} : { proxy: ca.serverCertificates[PROXY_CERTIFICATE] }),
        };
        const app = ca.clientCertificates[APP_CLIENT_CERTIFICATE];
        if (app !== undefined) {
            clientCertificate = pulumi.secret(pulumi.all([app.certPem, app.privateKeyPem]).apply(([certPem, keyPem]) => ({ certPem, keyPem })));
        }
    }

    const users = new AclUsers(`${name}-users`, { users: aclUserSpecsFor(config), passwordLength: config.acl.passwordLength, rotation: config.acl.rotation }, { parent });
    const deployment = pulumi.secret(
        users.entries.apply((entries) =>
            renderDeployment({
                config,
                place: layout.place,
                pathsFor: layout.pathsFor,
                listenFor: layout.listenFor,
                passwordsByUser: Object.fromEntries(entries.map((entry) => [entry.name, entry.passwords])),
            }),
        ),
    );
    const systemUsers = new Set(systemUserNames(config.selfhosted));
    const passwordFiles = pulumi.secret(
        users.credentials.apply((credentials) =>
            Object.fromEntries(Object.values(credentials).filter((credential) => systemUsers.has(credential.username)).map((credential) => [credential.username, credential.password])),
        ),
    );

    // Clients log in to the proxy as the first application user, and Envoy runs their commands as that user.
    const proxyUserName = config.acl.users[0]?.name;
    const proxyUser =
        proxyLayout === undefined || proxyUserName === undefined
            ? undefined
            : pulumi.secret(
                  users.entries.apply((entries) => {
                      const entry = entries.find((candidate) => candidate.name === proxyUserName);
                      if (entry === undefined) {
                          throw new Error(`no ACL user "${proxyUserName}" for the proxy`);
                      }
                      return { username: entry.name, passwords: [...entry.passwords] };
                  }),
              );
    const platformComponent = platform.build({ name, config, topology, deployment, passwordFiles, tls, secrets, parent, ...(proxyUser === undefined ? {} : { proxyUser }) });

    const clients = layout.clientEndpoints(topology);
    const connection: pulumi.Output<RedisConnection> = pulumi.output(tls?.caCertPem ?? "").apply((caCertPem) => ({
        mode: topology.kind,
        endpoints: clients.endpoints,
        ...(clients.readerEndpoints ? { readerEndpoints: clients.readerEndpoints } : {}),
        ...(topology.masterName ? { sentinelMasterName: topology.masterName } : {}),
        tls: config.tls.enabled
            ? { enabled: true, caCertPem, ...(clients.serverName ? { serverName: clients.serverName } : {}), clientCertRequired: config.tls.mtls }
            : { enabled: false },
    }));
    const proxyConnection =
        proxyLayout === undefined
            ? undefined
            : pulumi.output(tls?.caCertPem ?? "").apply(
                  (caCertPem): RedisConnection => ({
                      mode: "standalone",
                      endpoints: [proxyLayout.endpoint],
                      proxy: "envoy",
                      tls: { enabled: true, caCertPem, clientCertRequired: config.tls.mtls },
                  }),
              );
    return {
        connection,
        credentials: users.credentials,
        ...(clientCertificate ? { clientCertificate } : {}),
        certificateAuthority,
        users,
        platform: platformComponent,
        ...(proxyConnection === undefined ? {} : { proxyConnection }),
    };
}
